import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="Partner",
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
                            ("university", "University"),
                            ("company", "Company"),
                            ("other", "Other organisation"),
                        ],
                        max_length=16,
                        verbose_name="kind",
                    ),
                ),
                ("name", models.CharField(max_length=200, verbose_name="name")),
                (
                    "department",
                    models.CharField(blank=True, max_length=200, verbose_name="department"),
                ),
                ("description", models.TextField(blank=True, verbose_name="description")),
                ("website", models.URLField(blank=True, verbose_name="website")),
                (
                    "listed_publicly",
                    models.BooleanField(
                        default=False,
                        help_text="Only with the partner's consent. Contact details never appear.",
                        verbose_name="show in the public partner list",
                    ),
                ),
                ("is_active", models.BooleanField(default=True, verbose_name="active")),
                (
                    "contact_name",
                    models.CharField(blank=True, max_length=100, verbose_name="contact person"),
                ),
                (
                    "contact_email",
                    models.EmailField(blank=True, max_length=254, verbose_name="contact email"),
                ),
                (
                    "contact_phone",
                    models.CharField(blank=True, max_length=30, verbose_name="contact phone"),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                (
                    "fields",
                    models.ManyToManyField(
                        blank=True,
                        related_name="+",
                        to="organizations.activityfield",
                        verbose_name="fields of interest",
                    ),
                ),
                (
                    "sdgs",
                    models.ManyToManyField(
                        blank=True,
                        related_name="+",
                        to="core.sdggoal",
                        verbose_name="SDG goals of interest",
                    ),
                ),
            ],
            options={
                "verbose_name": "HUB partner",
                "verbose_name_plural": "HUB partners",
                "ordering": ["kind", "name", "pk"],
            },
        ),
        migrations.CreateModel(
            name="HubPost",
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
                        choices=[("need", "Need"), ("offer", "Offer")],
                        max_length=8,
                        verbose_name="kind",
                    ),
                ),
                ("title", models.CharField(max_length=120, verbose_name="title")),
                ("body", models.TextField(max_length=4000, verbose_name="details")),
                ("until", models.DateField(blank=True, null=True, verbose_name="until")),
                (
                    "status",
                    models.CharField(
                        choices=[("open", "Open"), ("closed", "Closed")],
                        default="open",
                        max_length=8,
                        verbose_name="status",
                    ),
                ),
                ("is_hidden", models.BooleanField(default=False, verbose_name="hidden by staff")),
                (
                    "hidden_reason",
                    models.CharField(blank=True, max_length=300, verbose_name="reason for hiding"),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="posted at")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                (
                    "author",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="posted by",
                    ),
                ),
                (
                    "field",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="organizations.activityfield",
                        verbose_name="field",
                    ),
                ),
                (
                    "group",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="hub_posts",
                        to="organizations.group",
                        verbose_name="group",
                    ),
                ),
                (
                    "ward",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="core.ward",
                        verbose_name="ward",
                    ),
                ),
                (
                    "partner",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="posts",
                        to="organizations.partner",
                        verbose_name="partner",
                    ),
                ),
            ],
            options={
                "verbose_name": "HUB post",
                "verbose_name_plural": "HUB posts",
                "ordering": ["-created_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="PartnerMembership",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                (
                    "partner",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="memberships",
                        to="organizations.partner",
                        verbose_name="partner",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="partner_memberships",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="account",
                    ),
                ),
            ],
            options={
                "verbose_name": "partner account",
                "verbose_name_plural": "partner accounts",
            },
        ),
        migrations.CreateModel(
            name="IntroductionRequest",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("message", models.TextField(max_length=2000, verbose_name="message")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("new", "New"),
                            ("in_progress", "In progress"),
                            ("introduced", "Introduced"),
                            ("declined", "Declined"),
                        ],
                        db_index=True,
                        default="new",
                        max_length=16,
                        verbose_name="status",
                    ),
                ),
                (
                    "outcome_note",
                    models.TextField(
                        blank=True,
                        help_text="Sent with the outcome mail to both sides.",
                        verbose_name="message to both sides",
                    ),
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
                    "coordinator",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="coordinator",
                    ),
                ),
                (
                    "post",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="introductions",
                        to="organizations.hubpost",
                        verbose_name="post",
                    ),
                ),
                (
                    "requester",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="hub_introductions",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="requested by",
                    ),
                ),
                (
                    "requester_group",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="organizations.group",
                        verbose_name="for group",
                    ),
                ),
                (
                    "requester_partner",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="organizations.partner",
                        verbose_name="for partner",
                    ),
                ),
            ],
            options={
                "verbose_name": "introduction request",
                "verbose_name_plural": "introduction requests",
                "ordering": ["-created_at", "-pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("requester_group__isnull", True),
                            ("requester_partner__isnull", True),
                            _connector="OR",
                        ),
                        name="hub_intro_one_side",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("status__in", ["new", "in_progress"])),
                        fields=("post", "requester"),
                        name="hub_intro_one_open_per_requester",
                    ),
                ],
            },
        ),
        migrations.AddIndex(
            model_name="hubpost",
            index=models.Index(
                fields=["status", "is_hidden", "-created_at"], name="organizatio_status_d982d3_idx"
            ),
        ),
        migrations.AddConstraint(
            model_name="hubpost",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("group__isnull", False), ("kind", "need"), ("partner__isnull", True)),
                    models.Q(
                        ("group__isnull", True), ("kind", "offer"), ("partner__isnull", False)
                    ),
                    _connector="OR",
                ),
                name="hub_post_has_one_owner",
            ),
        ),
        migrations.AddConstraint(
            model_name="partnermembership",
            constraint=models.UniqueConstraint(
                fields=("partner", "user"), name="one_membership_per_partner"
            ),
        ),
    ]
