import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("publications", "0002_newsletter"),
    ]

    operations = [
        migrations.CreateModel(
            name="MagazineIssue",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "number",
                    models.PositiveIntegerField(
                        help_text="Printed as “No. N”; also the issue's web address (/magazine/N/).",
                        unique=True,
                        validators=[django.core.validators.MinValueValidator(1)],
                        verbose_name="issue number",
                    ),
                ),
                (
                    "season",
                    models.CharField(
                        help_text="As printed on the cover, e.g. 2025年 秋号.",
                        max_length=50,
                        verbose_name="season",
                    ),
                ),
                (
                    "title",
                    models.CharField(
                        help_text="The issue's feature or headline.",
                        max_length=200,
                        verbose_name="title",
                    ),
                ),
                (
                    "lead",
                    models.TextField(
                        blank=True,
                        help_text="A few sentences on the cover page and at the top of the web version.",
                        max_length=600,
                        verbose_name="introduction",
                    ),
                ),
                (
                    "cover_image",
                    models.ImageField(
                        blank=True, upload_to="magazine/covers/%Y/", verbose_name="cover image"
                    ),
                ),
                (
                    "cover_thumbnail",
                    models.ImageField(
                        blank=True,
                        editable=False,
                        upload_to="magazine/covers/%Y/",
                        verbose_name="cover thumbnail",
                    ),
                ),
                (
                    "cover_alt_text",
                    models.CharField(
                        blank=True,
                        help_text="What the cover image shows, for people who cannot see it.",
                        max_length=300,
                        verbose_name="cover alternative text",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[("draft", "Draft"), ("published", "Published")],
                        default="draft",
                        max_length=16,
                        verbose_name="status",
                    ),
                ),
                (
                    "published_on",
                    models.DateField(
                        blank=True,
                        help_text="Printed on the issue. Left empty, it becomes the day of publication.",
                        null=True,
                        verbose_name="publication date",
                    ),
                ),
                (
                    "published_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="first published"),
                ),
                (
                    "pdf_status",
                    models.CharField(
                        choices=[
                            ("none", "Not built (draft)"),
                            ("pending", "Being prepared"),
                            ("ready", "Ready"),
                            ("failed", "Build failed"),
                        ],
                        default="none",
                        max_length=16,
                        verbose_name="PDF",
                    ),
                ),
                (
                    "pdf_file",
                    models.FileField(
                        blank=True, upload_to="magazine/pdf/", verbose_name="PDF file"
                    ),
                ),
                (
                    "pdf_size",
                    models.PositiveBigIntegerField(
                        blank=True, null=True, verbose_name="PDF size (bytes)"
                    ),
                ),
                (
                    "pdf_generation",
                    models.PositiveIntegerField(
                        default=0,
                        help_text="Raised at every build request; a build for an older number is dropped.",
                        verbose_name="PDF build number",
                    ),
                ),
                (
                    "pdf_requested_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="PDF requested"),
                ),
                (
                    "pdf_built_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="PDF built"),
                ),
                ("pdf_error", models.TextField(blank=True, verbose_name="PDF build error")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
            ],
            options={
                "verbose_name": "magazine issue",
                "verbose_name_plural": "magazine issues",
                "ordering": ["-number"],
                "indexes": [
                    models.Index(fields=["status", "-published_on"], name="magazine_issue_archive")
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("cover_image", ""),
                            models.Q(("cover_alt_text", ""), _negated=True),
                            _connector="OR",
                        ),
                        name="magazine_cover_has_alt_text",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="MagazineArticle",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("order", models.PositiveSmallIntegerField(default=0, verbose_name="order")),
                (
                    "kicker",
                    models.CharField(
                        blank=True,
                        help_text="A short label above the title, e.g. 特集, 団体紹介, 相談会レポート.",
                        max_length=50,
                        verbose_name="section label",
                    ),
                ),
                (
                    "title",
                    models.CharField(
                        blank=True,
                        help_text="Only for an article of its own.",
                        max_length=200,
                        verbose_name="title",
                    ),
                ),
                ("lead", models.TextField(blank=True, max_length=600, verbose_name="summary")),
                ("body", models.TextField(blank=True, verbose_name="body (Markdown)")),
                (
                    "story",
                    models.ForeignKey(
                        blank=True,
                        help_text="Reprint a published collaboration story (its title, summary, text and photos), or leave empty and write the article below.",
                        limit_choices_to={"status": "published"},
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="magazine_articles",
                        to="publications.casestory",
                        verbose_name="collaboration story",
                    ),
                ),
                (
                    "issue",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="articles",
                        to="publications.magazineissue",
                        verbose_name="issue",
                    ),
                ),
            ],
            options={
                "verbose_name": "magazine article",
                "verbose_name_plural": "magazine articles",
                "ordering": ["order", "pk"],
            },
        ),
        migrations.CreateModel(
            name="MagazinePhoto",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("image", models.ImageField(upload_to="magazine/%Y/", verbose_name="photo")),
                ("caption", models.CharField(blank=True, max_length=200, verbose_name="caption")),
                (
                    "alt_text",
                    models.CharField(
                        blank=True,
                        help_text="What the photo shows, for people who cannot see it.",
                        max_length=300,
                        verbose_name="alternative text",
                    ),
                ),
                (
                    "is_decorative",
                    models.BooleanField(
                        default=False, verbose_name="decorative (no alternative text needed)"
                    ),
                ),
                ("order", models.PositiveSmallIntegerField(default=0, verbose_name="order")),
                (
                    "article",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="photos",
                        to="publications.magazinearticle",
                        verbose_name="article",
                    ),
                ),
            ],
            options={
                "verbose_name": "photo",
                "verbose_name_plural": "photos",
                "ordering": ["order", "pk"],
            },
        ),
        migrations.AddIndex(
            model_name="magazinearticle",
            index=models.Index(fields=["issue", "order"], name="magazine_article_order"),
        ),
        migrations.AddConstraint(
            model_name="magazinearticle",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("body", ""), ("lead", ""), ("story__isnull", False), ("title", "")),
                    models.Q(("story__isnull", True), models.Q(("title", ""), _negated=True)),
                    _connector="OR",
                ),
                name="magazine_article_story_or_own_text",
            ),
        ),
        migrations.AddConstraint(
            model_name="magazinephoto",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("is_decorative", True),
                    models.Q(("alt_text", ""), _negated=True),
                    _connector="OR",
                ),
                name="magazine_photo_alt_or_decorative",
            ),
        ),
    ]
