"""Group documents and invitations, the renewal-reminder claim, and the 20 fields of
activity of the NPO law (特定非営利活動促進法 別表 第1号–第20号)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import center.lib.storage
import organizations.models.groups

ACTIVITY_FIELDS = [
    (1, "保健、医療又は福祉の増進を図る活動", "Health, medical care or welfare"),
    (2, "社会教育の推進を図る活動", "Social education"),
    (3, "まちづくりの推進を図る活動", "Community development"),
    (4, "観光の振興を図る活動", "Tourism"),
    (5, "農山漁村又は中山間地域の振興を図る活動", "Rural, mountain and fishing communities"),
    (6, "学術、文化、芸術又はスポーツの振興を図る活動", "Science, culture, the arts or sports"),
    (7, "環境の保全を図る活動", "Conservation of the environment"),
    (8, "災害救援活動", "Disaster relief"),
    (9, "地域安全活動", "Community safety"),
    (10, "人権の擁護又は平和の推進を図る活動", "Human rights or peace"),
    (11, "国際協力の活動", "International cooperation"),
    (12, "男女共同参画社会の形成の促進を図る活動", "Gender equality"),
    (13, "子どもの健全育成を図る活動", "Healthy development of children"),
    (14, "情報化社会の発展を図る活動", "The information society"),
    (15, "科学技術の振興を図る活動", "Science and technology"),
    (16, "経済活動の活性化を図る活動", "Economic activity"),
    (
        17,
        "職業能力の開発又は雇用機会の拡充を支援する活動",
        "Vocational skills or employment opportunities",
    ),
    (18, "消費者の保護を図る活動", "Consumer protection"),
    (
        19,
        "前各号に掲げる活動を行う団体の運営又は活動に関する連絡、助言又は援助の活動",
        "Support for organizations active in the fields above",
    ),
    (
        20,
        "前各号で掲げる活動に準ずる活動として都道府県又は指定都市の条例で定める活動",
        "Activities set by prefectural or designated-city ordinance",
    ),
]


def load_activity_fields(apps, schema_editor):
    ActivityField = apps.get_model("organizations", "ActivityField")
    for number, name, name_en in ACTIVITY_FIELDS:
        ActivityField.objects.using(schema_editor.connection.alias).update_or_create(
            number=number, defaults={"name": name, "name_en": name_en}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="group",
            name="search_text",
            field=models.TextField(blank=True, editable=False, verbose_name="search text"),
        ),
        migrations.AddField(
            model_name="group",
            name="renewal_reminded_for",
            field=models.PositiveSmallIntegerField(
                blank=True, null=True, verbose_name="renewal reminder sent for fiscal year"
            ),
        ),
        migrations.CreateModel(
            name="GroupDocument",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("rules", "Rules or articles of association (規約・定款)"),
                            ("roster", "List of officers or members (名簿)"),
                            ("other", "Other document"),
                        ],
                        max_length=10,
                        verbose_name="kind of document",
                    ),
                ),
                (
                    "file",
                    models.FileField(
                        max_length=200,
                        storage=center.lib.storage.private_storage,
                        upload_to=organizations.models.groups._document_path,
                        verbose_name="file",
                    ),
                ),
                ("original_name", models.CharField(max_length=200, verbose_name="file name")),
                ("content_type", models.CharField(max_length=100, verbose_name="content type")),
                ("size", models.PositiveIntegerField(verbose_name="size in bytes")),
                (
                    "uploaded_at",
                    models.DateTimeField(auto_now_add=True, verbose_name="uploaded at"),
                ),
                (
                    "group",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="documents",
                        to="organizations.group",
                        verbose_name="group",
                    ),
                ),
                (
                    "uploaded_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="uploaded by",
                    ),
                ),
            ],
            options={
                "verbose_name": "group document",
                "verbose_name_plural": "group documents",
                "ordering": ["group", "kind", "-uploaded_at"],
            },
        ),
        migrations.CreateModel(
            name="GroupInvitation",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("email", models.EmailField(max_length=254, verbose_name="email")),
                ("token", models.CharField(max_length=64, unique=True, verbose_name="token")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="invited at")),
                (
                    "accepted_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="accepted at"),
                ),
                (
                    "accepted_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="accepted by",
                    ),
                ),
                (
                    "group",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="invitations",
                        to="organizations.group",
                        verbose_name="group",
                    ),
                ),
                (
                    "invited_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="invited by",
                    ),
                ),
            ],
            options={
                "verbose_name": "group invitation",
                "verbose_name_plural": "group invitations",
                "ordering": ["-created_at"],
            },
        ),
        migrations.RunPython(load_activity_fields, migrations.RunPython.noop),
    ]
