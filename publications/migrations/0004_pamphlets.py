import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("publications", "0003_magazine"),
    ]

    operations = [
        migrations.CreateModel(
            name='NameCard',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('pdf_status', models.CharField(choices=[('none', 'No PDF'), ('pending', 'Being prepared'), ('ready', 'Ready'), ('failed', 'Failed')], default='none', max_length=8, verbose_name='PDF status')),
                ('pdf_revision', models.PositiveIntegerField(default=0, editable=False, verbose_name='PDF revision')),
                ('pdf_error', models.TextField(blank=True, editable=False, verbose_name='last PDF error')),
                ('pdf_built_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='PDF built')),
                ('center_name', models.CharField(default='横浜市市民協働推進センター', max_length=24, verbose_name='center name')),
                ('center_name_en', models.CharField(blank=True, default='Yokohama Citizen Collaboration Promotion Center', max_length=72, verbose_name='center name in English')),
                ('tagline', models.CharField(blank=True, default='組織の垣根を超えて、つながり、協働して、未来をつくる', max_length=52, verbose_name='tagline')),
                ('address', models.TextField(default='〒231-0005\n横浜市中区本町6-50-10\n横浜市市庁舎1階', max_length=100, verbose_name='address')),
                ('access', models.TextField(blank=True, default='みなとみらい線「馬車道駅」直結\nJR・市営地下鉄「桜木町駅」徒歩約3分', max_length=100, verbose_name='how to get there')),
                ('phone', models.CharField(blank=True, max_length=30, verbose_name='phone')),
                ('hours', models.TextField(blank=True, help_text='Left empty, the card asks readers to check the website.', max_length=100, verbose_name='opening hours')),
                ('url', models.URLField(blank=True, help_text='Left empty, the QR code and the card show the address of this website.', max_length=60, verbose_name='website address for the QR code')),
                ('card_pdf', models.FileField(blank=True, editable=False, upload_to='namecard/', verbose_name='card PDF')),
                ('card_pdf_size', models.PositiveIntegerField(blank=True, null=True, verbose_name='card PDF size (bytes)')),
                ('sheet_pdf', models.FileField(blank=True, editable=False, upload_to='namecard/', verbose_name='A4 sheet PDF')),
                ('sheet_pdf_size', models.PositiveIntegerField(blank=True, null=True, verbose_name='A4 sheet PDF size (bytes)')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
            ],
            options={
                'verbose_name': 'business-card center guide',
                'verbose_name_plural': 'business-card center guide',
                'constraints': [models.CheckConstraint(condition=models.Q(('id', 1)), name='namecard_singleton')],
            },
        ),
        migrations.CreateModel(
            name='Pamphlet',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('pdf_status', models.CharField(choices=[('none', 'No PDF'), ('pending', 'Being prepared'), ('ready', 'Ready'), ('failed', 'Failed')], default='none', max_length=8, verbose_name='PDF status')),
                ('pdf_revision', models.PositiveIntegerField(default=0, editable=False, verbose_name='PDF revision')),
                ('pdf_error', models.TextField(blank=True, editable=False, verbose_name='last PDF error')),
                ('pdf_built_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='PDF built')),
                ('title', models.CharField(max_length=100, verbose_name='title')),
                ('summary', models.TextField(help_text='One or two sentences, for the cover, the list of pamphlets and search engines.', max_length=300, verbose_name='summary')),
                ('edition', models.CharField(blank=True, help_text='Printed on the cover, for example “2024年度版”.', max_length=50, verbose_name='edition')),
                ('language', models.CharField(choices=[('ja', 'Japanese'), ('en', 'English')], default='ja', max_length=8, verbose_name='language of the text')),
                ('order', models.PositiveSmallIntegerField(default=0, verbose_name='order on the list')),
                ('is_published', models.BooleanField(default=False, verbose_name='published')),
                ('published_at', models.DateTimeField(blank=True, null=True, verbose_name='first published')),
                ('pdf', models.FileField(blank=True, editable=False, upload_to='pamphlets/pdf/', verbose_name='PDF')),
                ('pdf_size', models.PositiveIntegerField(blank=True, null=True, verbose_name='PDF size (bytes)')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
            ],
            options={
                'verbose_name': 'pamphlet',
                'verbose_name_plural': 'pamphlets',
                'ordering': ['order', 'pk'],
                'indexes': [models.Index(fields=['is_published', 'order'], name='publication_is_publ_09a854_idx')],
            },
        ),
        migrations.CreateModel(
            name='PamphletSection',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('order', models.PositiveSmallIntegerField(default=0, verbose_name='order')),
                ('heading', models.CharField(max_length=200, verbose_name='heading')),
                ('body', models.TextField(blank=True, verbose_name='text (Markdown)')),
                ('image', models.ImageField(blank=True, upload_to='pamphlets/images/%Y/', verbose_name='image')),
                ('image_alt', models.CharField(blank=True, help_text='What the image shows, for people who cannot see it.', max_length=300, verbose_name='alternative text')),
                ('image_is_decorative', models.BooleanField(default=False, verbose_name='decorative image (no alternative text needed)')),
                ('image_caption', models.CharField(blank=True, max_length=200, verbose_name='caption')),
                ('pamphlet', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='sections', to='publications.pamphlet', verbose_name='pamphlet')),
            ],
            options={
                'verbose_name': 'section',
                'verbose_name_plural': 'sections',
                'ordering': ['order', 'pk'],
                'constraints': [models.CheckConstraint(condition=models.Q(('image', ''), ('image_is_decorative', True), models.Q(('image_alt', ''), _negated=True), _connector='OR'), name='pamphlet_section_alt_or_decorative')],
            },
        ),
    ]
