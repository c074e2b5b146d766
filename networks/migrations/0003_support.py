# Hearings, support requests and the know-how library (networks/models/support.py).
# ruff: noqa: E501

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import center.lib.storage

HEARING_QUESTIONS = [
    ("operations", "運営状況", "How the center is run", "職員体制、開館状況、利用状況など"),
    (
        "programs",
        "実施事業",
        "Programs carried out",
        "講座・イベント・相談対応など今年度の主な事業",
    ),
    ("issues", "課題", "Issues", "運営や事業で困っていること"),
    ("support_needed", "必要な支援", "Support needed", "市民協働推進センターに期待する支援"),
    (
        "collaboration",
        "区内の協働の状況",
        "Collaboration in the ward",
        "区役所・団体・企業との連携",
    ),
    ("other", "その他", "Other", ""),
]


KNOWHOW_CATEGORIES = [
    ("group_support", "団体支援", "Supporting groups"),
    ("coordination", "協働コーディネート", "Collaboration coordination"),
    ("courses", "講座運営", "Running courses"),
    ("publicity", "広報", "Publicity"),
    ("center_operation", "センター運営", "Running a center"),
    ("other", "その他", "Other"),
]


def add_knowhow_categories(apps, schema_editor):
    KnowHowCategory = apps.get_model("networks", "KnowHowCategory")
    for order, (key, name, name_en) in enumerate(KNOWHOW_CATEGORIES, start=1):
        KnowHowCategory.objects.get_or_create(
            key=key, defaults={"name": name, "name_en": name_en, "order": order * 10}
        )


def add_hearing_template(apps, schema_editor):
    """The default question template; center staff edit it in the admin afterwards."""
    HearingQuestion = apps.get_model("networks", "HearingQuestion")
    for order, (key, text, text_en, hint) in enumerate(HEARING_QUESTIONS, start=1):
        HearingQuestion.objects.get_or_create(
            key=key,
            defaults={"text": text, "text_en": text_en, "help_text": hint, "order": order * 10},
        )


class Migration(migrations.Migration):
    dependencies = [
        ("networks", "0001_initial"),
        ("consultations", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="HearingQuestion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "key",
                    models.SlugField(
                        help_text="Stays the same when the wording changes: answers are compared by it.",
                        unique=True,
                        verbose_name="key",
                    ),
                ),
                ("text", models.CharField(max_length=300, verbose_name="question (Japanese)")),
                (
                    "text_en",
                    models.CharField(blank=True, max_length=300, verbose_name="question (English)"),
                ),
                (
                    "help_text",
                    models.CharField(
                        blank=True, max_length=300, verbose_name="hint for the interviewer"
                    ),
                ),
                ("order", models.PositiveSmallIntegerField(default=0, verbose_name="order")),
                (
                    "is_active",
                    models.BooleanField(
                        default=True,
                        help_text="Only questions in use go into new hearings.",
                        verbose_name="in use",
                    ),
                ),
            ],
            options={
                "verbose_name": "hearing question",
                "verbose_name_plural": "hearing question template",
                "ordering": ["order", "pk"],
            },
        ),
        migrations.CreateModel(
            name="Hearing",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("fiscal_year", models.PositiveIntegerField(verbose_name="fiscal year")),
                ("held_on", models.DateField(verbose_name="held on")),
                (
                    "attendees",
                    models.CharField(
                        blank=True, max_length=300, verbose_name="ward center attendees"
                    ),
                ),
                ("summary", models.TextField(blank=True, verbose_name="summary")),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="created"),
                ),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
                (
                    "interviewer",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="interviewer",
                    ),
                ),
                (
                    "ward_center",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="hearings",
                        to="networks.wardcenter",
                        verbose_name="ward center",
                    ),
                ),
            ],
            options={
                "verbose_name": "hearing",
                "verbose_name_plural": "hearings",
                "ordering": ["-fiscal_year", "ward_center__ward__order"],
            },
        ),
        migrations.CreateModel(
            name="HearingAnswer",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("question_key", models.SlugField(verbose_name="key")),
                ("question_text", models.CharField(max_length=300, verbose_name="question")),
                (
                    "question_text_en",
                    models.CharField(blank=True, max_length=300, verbose_name="question (English)"),
                ),
                ("order", models.PositiveSmallIntegerField(default=0, verbose_name="order")),
                ("answer", models.TextField(blank=True, verbose_name="answer")),
                (
                    "hearing",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="answers",
                        to="networks.hearing",
                        verbose_name="hearing",
                    ),
                ),
                (
                    "question",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="answers",
                        to="networks.hearingquestion",
                        verbose_name="template question",
                    ),
                ),
            ],
            options={
                "verbose_name": "answer",
                "verbose_name_plural": "answers",
                "ordering": ["order", "pk"],
            },
        ),
        migrations.CreateModel(
            name="KnowHowCategory",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=100, verbose_name="name (Japanese)")),
                ("name_en", models.CharField(max_length=100, verbose_name="name (English)")),
                ("key", models.SlugField(max_length=30, unique=True, verbose_name="key")),
                ("order", models.PositiveSmallIntegerField(default=0, verbose_name="order")),
            ],
            options={
                "verbose_name": "know-how category",
                "verbose_name_plural": "know-how categories",
                "ordering": ["order", "pk"],
            },
        ),
        migrations.CreateModel(
            name="KnowHowArticle",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("title", models.CharField(max_length=200, verbose_name="title")),
                (
                    "category",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="articles",
                        to="networks.knowhowcategory",
                        verbose_name="category",
                    ),
                ),
                (
                    "body",
                    models.TextField(
                        help_text="Markdown: **bold**, lists, [links](url).", verbose_name="text"
                    ),
                ),
                ("search_text", models.TextField(blank=True, editable=False)),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="created"),
                ),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
                (
                    "author",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="author",
                    ),
                ),
                (
                    "ward_center",
                    models.ForeignKey(
                        blank=True,
                        help_text="Empty: shared by the center.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="knowhow_articles",
                        to="networks.wardcenter",
                        verbose_name="shared by ward center",
                    ),
                ),
            ],
            options={
                "verbose_name": "know-how article",
                "verbose_name_plural": "know-how articles",
                "ordering": ["-updated_at"],
            },
        ),
        migrations.CreateModel(
            name="KnowHowDocument",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "file",
                    models.FileField(
                        storage=center.lib.storage.private_storage,
                        upload_to="knowhow/%Y/%m/",
                        verbose_name="file",
                    ),
                ),
                ("original_name", models.CharField(max_length=255, verbose_name="file name")),
                ("content_type", models.CharField(max_length=120, verbose_name="content type")),
                ("size", models.PositiveIntegerField(verbose_name="size (bytes)")),
                (
                    "created_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="uploaded"
                    ),
                ),
                (
                    "article",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="documents",
                        to="networks.knowhowarticle",
                        verbose_name="article",
                    ),
                ),
            ],
            options={
                "verbose_name": "know-how document",
                "verbose_name_plural": "know-how documents",
                "ordering": ["pk"],
            },
        ),
        migrations.CreateModel(
            name="SupportRequest",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("summary", models.CharField(max_length=200, verbose_name="summary")),
                ("details", models.TextField(blank=True, verbose_name="details")),
                (
                    "group_name",
                    models.CharField(blank=True, max_length=200, verbose_name="group name"),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("founding", "Starting a group or an NPO corporation"),
                            ("management", "Running a group (accounting, tax, labour)"),
                            ("collaboration", "Coordinating a collaboration"),
                            ("publicity", "Publicity"),
                            ("place_funds", "Places and funding"),
                            ("referral", "Introducing an expert or another organisation"),
                            ("other", "Other"),
                        ],
                        max_length=16,
                        verbose_name="kind of help",
                    ),
                ),
                (
                    "urgency",
                    models.PositiveSmallIntegerField(
                        choices=[
                            (1, "Whenever convenient"),
                            (2, "Within a few weeks"),
                            (3, "Within a week"),
                            (4, "Urgent (within a few days)"),
                        ],
                        default=2,
                        verbose_name="urgency",
                    ),
                ),
                (
                    "contact_consent",
                    models.BooleanField(
                        default=False,
                        verbose_name="the person consented to sharing their contact details",
                    ),
                ),
                (
                    "contact_name",
                    models.CharField(blank=True, max_length=100, verbose_name="contact name"),
                ),
                (
                    "contact_email",
                    models.EmailField(blank=True, max_length=254, verbose_name="contact email"),
                ),
                (
                    "contact_phone",
                    models.CharField(blank=True, max_length=30, verbose_name="contact phone"),
                ),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="filed"),
                ),
                (
                    "consultation",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="support_request",
                        to="consultations.consultation",
                        verbose_name="consultation case",
                    ),
                ),
                (
                    "filed_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="filed by",
                    ),
                ),
                (
                    "ward_center",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="support_requests",
                        to="networks.wardcenter",
                        verbose_name="ward center",
                    ),
                ),
            ],
            options={
                "verbose_name": "support request",
                "verbose_name_plural": "support requests",
                "ordering": ["-created_at"],
            },
        ),
        migrations.AddConstraint(
            model_name="hearing",
            constraint=models.UniqueConstraint(
                fields=("ward_center", "fiscal_year"), name="hearing_one_per_center_and_year"
            ),
        ),
        migrations.AddConstraint(
            model_name="hearinganswer",
            constraint=models.UniqueConstraint(
                fields=("hearing", "question_key"), name="hearing_answer_one_per_question"
            ),
        ),
        migrations.AddIndex(
            model_name="supportrequest",
            index=models.Index(
                fields=["ward_center", "-created_at"], name="networks_su_ward_ce_f2682c_idx"
            ),
        ),
        migrations.AddConstraint(
            model_name="supportrequest",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("contact_consent", True),
                    models.Q(("contact_email", ""), ("contact_name", ""), ("contact_phone", "")),
                    _connector="OR",
                ),
                name="support_request_contact_only_with_consent",
            ),
        ),
        migrations.RunPython(add_hearing_template, migrations.RunPython.noop),
        migrations.RunPython(add_knowhow_categories, migrations.RunPython.noop),
    ]
