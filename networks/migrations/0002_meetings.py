# ネットワーク会議 (networks/models/meetings.py) and the 18 区民活動支援センター.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import center.lib.storage

# (ward code, address). Ward centers sit in their ward office; contact details are the
# public ones staff fill in through the admin.
WARD_CENTERS = [
    ("tsurumi", "横浜市鶴見区鶴見中央3-20-1（鶴見区役所内）"),
    ("kanagawa", "横浜市神奈川区広台太田町3-8（神奈川区役所内）"),
    ("nishi", "横浜市西区中央1-5-10（西区役所内）"),
    ("naka", "横浜市中区日本大通35（中区役所内）"),
    ("minami", "横浜市南区浦舟町2-33（南区役所内）"),
    ("konan", "横浜市港南区港南4-2-10（港南区役所内）"),
    ("hodogaya", "横浜市保土ケ谷区川辺町2-9（保土ケ谷区役所内）"),
    ("asahi", "横浜市旭区鶴ケ峰1-4-12（旭区役所内）"),
    ("isogo", "横浜市磯子区磯子3-5-1（磯子区役所内）"),
    ("kanazawa", "横浜市金沢区泥亀2-9-1（金沢区役所内）"),
    ("kohoku", "横浜市港北区大豆戸町26-1（港北区役所内）"),
    ("midori", "横浜市緑区寺山町118（緑区役所内）"),
    ("aoba", "横浜市青葉区市ケ尾町31-4（青葉区役所内）"),
    ("tsuzuki", "横浜市都筑区茅ケ崎中央32-1（都筑区役所内）"),
    ("totsuka", "横浜市戸塚区戸塚町16-17（戸塚区役所内）"),
    ("sakae", "横浜市栄区桂町303-19（栄区役所内）"),
    ("izumi", "横浜市泉区和泉中央北5-1-1（泉区役所内）"),
    ("seya", "横浜市瀬谷区二ツ橋町190（瀬谷区役所内）"),
]


def add_ward_centers(apps, schema_editor):
    Ward = apps.get_model("core", "Ward")
    WardCenter = apps.get_model("networks", "WardCenter")
    addresses = dict(WARD_CENTERS)
    for ward in Ward.objects.order_by("order"):
        # "鶴見区" → "鶴見区民活動支援センター"; one per ward, never duplicated on re-run.
        WardCenter.objects.get_or_create(
            ward=ward,
            defaults={
                "name": f"{ward.name}民活動支援センター",
                "name_en": f"{ward.name_en} Ward Citizen Activity Support Center",
                "address": addresses.get(ward.code, ""),
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("networks", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Meeting",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("title", models.CharField(max_length=200, verbose_name="title")),
                ("starts_at", models.DateTimeField(verbose_name="starts at")),
                ("ends_at", models.DateTimeField(blank=True, null=True, verbose_name="ends at")),
                ("place", models.CharField(blank=True, max_length=200, verbose_name="place")),
                (
                    "online_url",
                    models.URLField(
                        blank=True,
                        help_text="Shown to network users only.",
                        verbose_name="online meeting link",
                    ),
                ),
                (
                    "description",
                    models.TextField(blank=True, verbose_name="notes for participants"),
                ),
                (
                    "rsvp_deadline",
                    models.DateTimeField(
                        blank=True,
                        help_text="Empty: replies are accepted until the meeting starts.",
                        null=True,
                        verbose_name="reply by",
                    ),
                ),
                (
                    "minutes",
                    models.TextField(
                        blank=True,
                        help_text="Markdown: **bold**, lists, [links](url).",
                        verbose_name="minutes",
                    ),
                ),
                (
                    "minutes_published_at",
                    models.DateTimeField(
                        blank=True,
                        help_text=(
                            "Set by the “Publish minutes” action; ward staff are mailed then."
                        ),
                        null=True,
                        verbose_name="minutes published",
                    ),
                ),
                (
                    "reminder_sent_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="reminder sent"),
                ),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="created"),
                ),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
            ],
            options={
                "verbose_name": "network meeting",
                "verbose_name_plural": "network meetings",
                "ordering": ["-starts_at"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("ends_at__isnull", True),
                            ("ends_at__gt", models.F("starts_at")),
                            _connector="OR",
                        ),
                        name="meeting_ends_after_start",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="AgendaItem",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("order", models.PositiveSmallIntegerField(default=0, verbose_name="order")),
                ("title", models.CharField(max_length=200, verbose_name="agenda item")),
                (
                    "presenter",
                    models.CharField(blank=True, max_length=100, verbose_name="presented by"),
                ),
                (
                    "duration_minutes",
                    models.PositiveSmallIntegerField(
                        blank=True, null=True, verbose_name="minutes allotted"
                    ),
                ),
                (
                    "meeting",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="agenda_items",
                        to="networks.meeting",
                        verbose_name="meeting",
                    ),
                ),
            ],
            options={
                "verbose_name": "agenda item",
                "verbose_name_plural": "agenda",
                "ordering": ["order", "pk"],
            },
        ),
        migrations.CreateModel(
            name="MeetingMaterial",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("title", models.CharField(max_length=200, verbose_name="title")),
                (
                    "file",
                    models.FileField(
                        storage=center.lib.storage.private_storage,
                        upload_to="network/%Y/%m/",
                        verbose_name="file",
                    ),
                ),
                (
                    "original_name",
                    models.CharField(editable=False, max_length=255, verbose_name="file name"),
                ),
                (
                    "content_type",
                    models.CharField(editable=False, max_length=120, verbose_name="content type"),
                ),
                (
                    "size",
                    models.PositiveIntegerField(
                        default=0, editable=False, verbose_name="size (bytes)"
                    ),
                ),
                (
                    "uploaded_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, editable=False, verbose_name="uploaded"
                    ),
                ),
                (
                    "notified_at",
                    models.DateTimeField(
                        blank=True, editable=False, null=True, verbose_name="announced"
                    ),
                ),
                (
                    "meeting",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="materials",
                        to="networks.meeting",
                        verbose_name="meeting",
                    ),
                ),
            ],
            options={
                "verbose_name": "material",
                "verbose_name_plural": "materials",
                "ordering": ["pk"],
            },
        ),
        migrations.CreateModel(
            name="ActionItem",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("title", models.CharField(max_length=200, verbose_name="action")),
                ("details", models.TextField(blank=True, verbose_name="details")),
                (
                    "all_wards",
                    models.BooleanField(
                        default=False,
                        help_text=(
                            "Shown to every ward center; otherwise only to its owner and the "
                            "center."
                        ),
                        verbose_name="concerns all wards",
                    ),
                ),
                ("due_on", models.DateField(blank=True, null=True, verbose_name="due")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("open", "Open"),
                            ("in_progress", "In progress"),
                            ("done", "Done"),
                        ],
                        default="open",
                        max_length=12,
                        verbose_name="status",
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="created"),
                ),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
                (
                    "owner",
                    models.ForeignKey(
                        blank=True,
                        help_text="Empty: the center owns it.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="action_items",
                        to="networks.wardcenter",
                        verbose_name="owner (ward center)",
                    ),
                ),
                (
                    "meeting",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="action_items",
                        to="networks.meeting",
                        verbose_name="agreed at",
                    ),
                ),
            ],
            options={
                "verbose_name": "action item",
                "verbose_name_plural": "action items",
                "ordering": ["status", "due_on", "pk"],
                "indexes": [
                    models.Index(fields=["owner", "status"], name="networks_ac_owner_i_765113_idx")
                ],
            },
        ),
        migrations.CreateModel(
            name="MeetingRsvp",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("attending", models.BooleanField(verbose_name="attending")),
                (
                    "attendee_names",
                    models.CharField(blank=True, max_length=300, verbose_name="who attends"),
                ),
                ("note", models.CharField(blank=True, max_length=300, verbose_name="note")),
                (
                    "responded_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="replied at"
                    ),
                ),
                (
                    "meeting",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="rsvps",
                        to="networks.meeting",
                        verbose_name="meeting",
                    ),
                ),
                (
                    "responded_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="replied by",
                    ),
                ),
                (
                    "ward_center",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="meeting_rsvps",
                        to="networks.wardcenter",
                        verbose_name="ward center",
                    ),
                ),
            ],
            options={
                "verbose_name": "reply",
                "verbose_name_plural": "replies",
                "ordering": ["ward_center__ward__order"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("meeting", "ward_center"), name="meeting_rsvp_one_per_center"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("attending", False),
                            models.Q(("attendee_names", ""), _negated=True),
                            _connector="OR",
                        ),
                        name="meeting_rsvp_attending_has_names",
                    ),
                ],
            },
        ),
        migrations.RunPython(add_ward_centers, migrations.RunPython.noop),
    ]
