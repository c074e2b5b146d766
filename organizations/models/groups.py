"""Registered citizen groups (団体登録) and the accounts that act for them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from center.core.models import BilingualNameMixin
from center.lib.storage import private_storage

__all__ = [
    "ActivityField",
    "Group",
    "GroupDocument",
    "GroupInvitation",
    "GroupMembership",
]


class ActivityField(BilingualNameMixin):
    """One of the 20 fields of activity of the NPO law (特定非営利活動促進法 別表)."""

    number = models.PositiveSmallIntegerField(_("number"), primary_key=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("field of activity")
        verbose_name_plural = _("fields of activity")


class GroupQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Group.Status.APPROVED)

    def current(self, today=None):
        """Approved and still valid on `today`: lapsed groups drop out by date alone."""
        from django.utils import timezone

        today = today or timezone.localdate()
        return self.approved().filter(valid_until__gte=today)

    def listed(self, today=None):
        """What the public directory shows."""
        return self.current(today).filter(listed_publicly=True)


class Group(models.Model):
    """A citizen group that applied to register with the center.

    A registration is valid to the end of the fiscal year it was approved or renewed in
    (`valid_until`, a 3月31日); lapsed groups leave the public directory.
    """

    class Kind(models.TextChoices):
        NPO_CORPORATION = "npo", _("NPO corporation (NPO法人)")
        GENERAL_ASSOCIATION = "association", _("General incorporated association (一般社団法人)")
        VOLUNTARY = "voluntary", _("Voluntary group (任意団体)")
        NEIGHBOURHOOD = "neighbourhood", _("Neighbourhood association (自治会町内会)")
        COMPANY = "company", _("Company (企業)")
        UNIVERSITY = "university", _("University (大学)")
        GOVERNMENT = "government", _("Public body (行政)")
        OTHER = "other", _("Other (その他)")

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for review")
        NEEDS_INFO = "needs_info", _("more information requested")
        # A context: "registered" alone is already 申込日時 (an event registration's time).
        APPROVED = "approved", pgettext_lazy("group status", "registered")
        REJECTED = "rejected", _("rejected")

    name = models.CharField(_("group name"), max_length=200)
    name_kana = models.CharField(_("group name in kana (ふりがな)"), max_length=200)
    kind = models.CharField(_("kind of group"), max_length=20, choices=Kind.choices)
    representative_name = models.CharField(_("representative"), max_length=100)
    contact_name = models.CharField(_("contact person"), max_length=100)
    contact_email = models.EmailField(_("contact email"))
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=8)
    address = models.CharField(_("address"), max_length=300)
    ward = models.ForeignKey(
        "core.Ward", verbose_name=_("ward"), on_delete=models.PROTECT, related_name="+"
    )
    fields = models.ManyToManyField(
        ActivityField, verbose_name=_("fields of activity"), related_name="groups"
    )
    sdgs = models.ManyToManyField(
        "core.SdgGoal", verbose_name=_("SDG goals"), blank=True, related_name="+"
    )
    description = models.TextField(_("description of activities"))
    website = models.URLField(_("website"), blank=True)
    sns = models.TextField(_("social media accounts"), blank=True)
    member_count = models.PositiveIntegerField(_("number of members"))
    listed_publicly = models.BooleanField(
        _("show in the public directory"),
        default=True,
        help_text=_("Only the name, kind, ward, fields, SDGs, description and website are shown."),
    )

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    review_note = models.TextField(
        _("message to the applicant"),
        blank=True,
        help_text=_("The reason for a rejection or what more is needed; sent in the mail."),
    )
    submitted_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("registered at"), null=True, blank=True)
    valid_until = models.DateField(_("registration valid until"), null=True, blank=True)
    # Name, kana and description folded with center.lib.japanese.normalize (width, case,
    # hiragana → katakana): the directory search is one `contains` on this column.
    search_text = models.TextField(_("search text"), blank=True, editable=False)
    # The fiscal year whose renewal reminder was sent: claimed before sending, so the beat
    # job mails each group at most once a year.
    renewal_reminded_for = models.PositiveSmallIntegerField(
        _("renewal reminder sent for fiscal year"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = GroupQuerySet.as_manager()

    class Meta:
        ordering = ["name_kana", "pk"]
        verbose_name = _("registered group")
        verbose_name_plural = _("registered groups")
        indexes = [models.Index(fields=["status", "valid_until"])]

    def __str__(self) -> str:
        return self.name

    def is_current(self, today=None) -> bool:
        from django.utils import timezone

        today = today or timezone.localdate()
        return (
            self.status == self.Status.APPROVED
            and self.valid_until is not None
            and self.valid_until >= today
        )

    @property
    def is_lapsed(self) -> bool:
        return self.status == self.Status.APPROVED and not self.is_current()


class GroupMembership(models.Model):
    """An account that acts for a group; group admins invite and remove members."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("group administrator")
        MEMBER = "member", _("member")

    group = models.ForeignKey(
        Group, verbose_name=_("group"), on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="group_memberships",
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(_("joined at"), auto_now_add=True)

    class Meta:
        verbose_name = _("group member")
        verbose_name_plural = _("group members")
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="one_membership_per_group_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.group}"


def _document_path(instance, filename: str) -> str:
    # A random name: the sender's file name is kept in `original_name`, never in the path.
    import uuid

    return f"groups/{instance.group_id}/{uuid.uuid4().hex}"


class GroupDocument(models.Model):
    """A document of a group's application (規約, 名簿). Private: served only to the group's
    members and staff by a permission-checked view."""

    class Kind(models.TextChoices):
        RULES = "rules", _("Rules or articles of association (規約・定款)")
        ROSTER = "roster", _("List of officers or members (名簿)")
        OTHER = "other", _("Other document")

    group = models.ForeignKey(
        Group, verbose_name=_("group"), on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("kind of document"), max_length=10, choices=Kind.choices)
    file = models.FileField(
        _("file"), upload_to=_document_path, storage=private_storage, max_length=200
    )
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["group", "kind", "-uploaded_at"]
        verbose_name = _("group document")
        verbose_name_plural = _("group documents")

    def __str__(self) -> str:
        return self.original_name


class GroupInvitation(models.Model):
    """An invitation by a group admin to an email address; the token in the mailed link is
    the only key. Accepted once, by whoever signs in with that link."""

    group = models.ForeignKey(
        Group, verbose_name=_("group"), on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("email"))
    token = models.CharField(_("token"), max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("invited at"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("group invitation")
        verbose_name_plural = _("group invitations")

    def __str__(self) -> str:
        return f"{self.email} — {self.group}"
