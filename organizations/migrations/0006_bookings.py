import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import organizations.models.booking

SPACES = [
    {
        "slug": "lab-meeting",
        "name": "協働ラボ ミーティングスペース",
        "name_en": "Collaboration Lab meeting space",
        "audience": "groups",
        "requires_approval": False,
        "booking_window_days": 60,
        "max_hours_per_month": 12,
        "order": 1,
    },
    {
        "slug": "space-a",
        "name": "スペースA",
        "name_en": "Space A",
        "audience": "cohosted",
        "requires_approval": True,
        "booking_window_days": 90,
        "max_hours_per_month": 21,
        "order": 2,
    },
    {
        "slug": "space-b",
        "name": "スペースB",
        "name_en": "Space B",
        "audience": "cohosted",
        "requires_approval": True,
        "booking_window_days": 90,
        "max_hours_per_month": 21,
        "order": 3,
    },
]


def create_spaces(apps, schema_editor):
    Space = apps.get_model("organizations", "Space")
    for data in SPACES:
        slug = data["slug"]
        defaults = {k: v for k, v in data.items() if k != "slug"}
        defaults["blocks"] = organizations.models.booking.default_blocks()
        Space.objects.update_or_create(slug=slug, defaults=defaults)


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0005_merge"),
    ]

    operations = [
        migrations.CreateModel(
            name="Space",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("slug", models.SlugField(unique=True, verbose_name="slug")),
                ("name", models.CharField(max_length=100, verbose_name="name")),
                (
                    "name_en",
                    models.CharField(blank=True, max_length=100, verbose_name="name (English)"),
                ),
                ("description", models.TextField(blank=True, verbose_name="description")),
                (
                    "audience",
                    models.CharField(
                        choices=[
                            ("groups", "registered groups"),
                            ("cohosted", "events co-hosted with the city"),
                        ],
                        max_length=10,
                        verbose_name="who may book",
                    ),
                ),
                (
                    "booking_window_days",
                    models.PositiveSmallIntegerField(
                        default=60, verbose_name="bookable days ahead"
                    ),
                ),
                (
                    "max_hours_per_month",
                    models.PositiveSmallIntegerField(
                        default=12, verbose_name="maximum hours per month per group"
                    ),
                ),
                (
                    "requires_approval",
                    models.BooleanField(default=False, verbose_name="staff approval needed"),
                ),
                (
                    "blocks",
                    models.JSONField(
                        default=organizations.models.booking.default_blocks,
                        verbose_name="time blocks",
                    ),
                ),
                ("order", models.PositiveSmallIntegerField(default=0, verbose_name="order")),
            ],
            options={
                "verbose_name": "space",
                "verbose_name_plural": "spaces",
                "ordering": ["order", "id"],
            },
        ),
        migrations.CreateModel(
            name="Closure",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("date", models.DateField(verbose_name="date")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("holiday", "holiday"),
                            ("maintenance", "maintenance"),
                            ("emergency", "emergency closure"),
                        ],
                        max_length=12,
                        verbose_name="kind",
                    ),
                ),
                ("reason", models.CharField(max_length=200, verbose_name="reason")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                (
                    "space",
                    models.ForeignKey(
                        blank=True,
                        help_text="Empty: the whole center is closed.",
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="closures",
                        to="organizations.space",
                        verbose_name="space",
                    ),
                ),
            ],
            options={
                "verbose_name": "closure day",
                "verbose_name_plural": "closure days",
                "ordering": ["date"],
            },
        ),
        migrations.CreateModel(
            name="Booking",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("date", models.DateField(verbose_name="date")),
                ("block", models.CharField(max_length=20, verbose_name="time block")),
                (
                    "hours",
                    models.DecimalField(decimal_places=2, max_digits=4, verbose_name="hours"),
                ),
                ("purpose", models.CharField(max_length=200, verbose_name="purpose")),
                (
                    "public_title",
                    models.CharField(
                        blank=True,
                        help_text="Shown on the calendar and the signage; empty: hidden.",
                        max_length=100,
                        verbose_name="public title",
                    ),
                ),
                (
                    "attendees",
                    models.PositiveSmallIntegerField(default=1, verbose_name="expected attendees"),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "waiting for approval"),
                            ("confirmed", "confirmed"),
                            ("declined", "declined"),
                            ("cancelled", "cancelled"),
                            ("closure", "cancelled by closure"),
                        ],
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                (
                    "decline_reason",
                    models.TextField(blank=True, verbose_name="reason for declining"),
                ),
                (
                    "created_at",
                    models.DateTimeField(auto_now_add=True, verbose_name="requested at"),
                ),
                (
                    "decided_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="decided at"),
                ),
                (
                    "cancelled_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="cancelled at"),
                ),
                (
                    "reminder_sent_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="reminder sent at"),
                ),
                (
                    "booked_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="space_bookings",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="booked by",
                    ),
                ),
                (
                    "group",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="bookings",
                        to="organizations.group",
                        verbose_name="group",
                    ),
                ),
                (
                    "space",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="bookings",
                        to="organizations.space",
                        verbose_name="space",
                    ),
                ),
            ],
            options={
                "verbose_name": "booking",
                "verbose_name_plural": "bookings",
                "ordering": ["date", "space", "block"],
                "indexes": [models.Index(fields=["date", "status"], name="booking_date_status")],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("status__in", ["pending", "confirmed"])),
                        fields=("space", "date", "block"),
                        name="one_active_space_booking_per_slot",
                    )
                ],
            },
        ),
        migrations.RunPython(create_spaces, migrations.RunPython.noop),
    ]
