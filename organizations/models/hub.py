"""市民協働HUB: partners (universities, companies) and the needs/offers board.

The board never carries a way to reach either side: people ask for an introduction, and a
coordinator connects them. Partners' contact fields are for the center's staff only.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .groups import ActivityField, Group

__all__ = ["HubPost", "IntroductionRequest", "Partner", "PartnerMembership"]


class PartnerQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def listed(self):
        return self.active().filter(listed_publicly=True)


class Partner(models.Model):
    """A university's 地域連携部門 or a company's CSR・SDGs部門, registered by the staff."""

    class Kind(models.TextChoices):
        UNIVERSITY = "university", _("University")
        COMPANY = "company", _("Company")
        OTHER = "other", _("Other organisation")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    department = models.CharField(_("department"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    fields = models.ManyToManyField(
        ActivityField, verbose_name=_("fields of interest"), blank=True, related_name="+"
    )
    sdgs = models.ManyToManyField(
        "core.SdgGoal", verbose_name=_("SDG goals of interest"), blank=True, related_name="+"
    )
    website = models.URLField(_("website"), blank=True)
    listed_publicly = models.BooleanField(
        _("show in the public partner list"),
        default=False,
        help_text=_("Only with the partner's consent. Contact details never appear."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    contact_name = models.CharField(_("contact person"), max_length=100, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = PartnerQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "name", "pk"]
        verbose_name = _("HUB partner")
        verbose_name_plural = _("HUB partners")

    def __str__(self) -> str:
        return f"{self.name} {self.department}".strip()


class PartnerMembership(models.Model):
    """An account that acts for a partner: it may post offers and ask for introductions."""

    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="partner_memberships",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("partner account")
        verbose_name_plural = _("partner accounts")
        constraints = [
            models.UniqueConstraint(fields=["partner", "user"], name="one_membership_per_partner")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.partner}"


class HubPostQuerySet(models.QuerySet):
    def visible(self):
        return self.filter(is_hidden=False)

    def on_board(self, today=None):
        """Open, not hidden, and not past its date (the board lists these)."""
        today = today or timezone.localdate()
        return (
            self.visible()
            .filter(status=HubPost.Status.OPEN)
            .filter(Q(until__isnull=True) | Q(until__gte=today))
        )

    def for_listing(self):
        return self.select_related("group", "partner", "field", "ward")


class HubPost(models.Model):
    """A need (posted for a registered group) or an offer (posted for a partner).

    Published at once; staff can hide a post, which takes it off every public page.
    """

    class Kind(models.TextChoices):
        NEED = "need", pgettext_lazy("hub post kind", "Need")
        OFFER = "offer", pgettext_lazy("hub post kind", "Offer")

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("hub post status", "Open")
        CLOSED = "closed", pgettext_lazy("hub post status", "Closed")

    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("details"), max_length=4000)
    field = models.ForeignKey(
        ActivityField,
        verbose_name=_("field"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    ward = models.ForeignKey(
        "core.Ward",
        verbose_name=_("ward"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    until = models.DateField(_("until"), null=True, blank=True)
    group = models.ForeignKey(
        Group,
        verbose_name=_("group"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="hub_posts",
    )
    partner = models.ForeignKey(
        Partner,
        verbose_name=_("partner"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="posts",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("posted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.OPEN
    )
    is_hidden = models.BooleanField(_("hidden by staff"), default=False)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("posted at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = HubPostQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("HUB post")
        verbose_name_plural = _("HUB posts")
        constraints = [
            # A need belongs to a group, an offer to a partner: never both, never neither.
            models.CheckConstraint(
                condition=(
                    Q(kind="need", group__isnull=False, partner__isnull=True)
                    | Q(kind="offer", partner__isnull=False, group__isnull=True)
                ),
                name="hub_post_has_one_owner",
            )
        ]
        # The board: open, visible posts, newest first.
        indexes = [models.Index(fields=["status", "is_hidden", "-created_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def owner_name(self) -> str:
        return self.group.name if self.group_id else str(self.partner)


class IntroductionRequest(models.Model):
    """Someone asks the center to introduce them to the side behind a post."""

    class Status(models.TextChoices):
        NEW = "new", pgettext_lazy("introduction status", "New")
        IN_PROGRESS = "in_progress", pgettext_lazy("introduction status", "In progress")
        INTRODUCED = "introduced", pgettext_lazy("introduction status", "Introduced")
        DECLINED = "declined", pgettext_lazy("introduction status", "Declined")

    OPEN_STATUSES = (Status.NEW, Status.IN_PROGRESS)

    post = models.ForeignKey(
        HubPost, verbose_name=_("post"), on_delete=models.CASCADE, related_name="introductions"
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.CASCADE,
        related_name="hub_introductions",
    )
    requester_group = models.ForeignKey(
        Group,
        verbose_name=_("for group"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    requester_partner = models.ForeignKey(
        Partner,
        verbose_name=_("for partner"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    message = models.TextField(_("message"), max_length=2000)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.NEW, db_index=True
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coordinator"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    outcome_note = models.TextField(
        _("message to both sides"),
        blank=True,
        help_text=_("Sent with the outcome mail to both sides."),
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("introduction request")
        verbose_name_plural = _("introduction requests")
        constraints = [
            models.CheckConstraint(
                condition=Q(requester_group__isnull=True) | Q(requester_partner__isnull=True),
                name="hub_intro_one_side",
            ),
            # One open request per person and post: a double submit makes no second request.
            models.UniqueConstraint(
                fields=["post", "requester"],
                condition=Q(status__in=["new", "in_progress"]),
                name="hub_intro_one_open_per_requester",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.post}"

    @property
    def requester_side_name(self) -> str:
        if self.requester_group_id:
            return self.requester_group.name
        if self.requester_partner_id:
            return str(self.requester_partner)
        return ""
