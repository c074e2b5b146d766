"""協働人材バンク talent bank: public only with recorded consent."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from center.core.models import BilingualNameMixin


class TalentProfileQuerySet(models.QuerySet):
    def published(self):
        """Public only with the person's recorded, unwithdrawn consent."""
        return self.filter(
            is_published=True,
            consent_given_at__isnull=False,
            consent_withdrawn_at__isnull=True,
        )


class Expertise(BilingualNameMixin):
    """A field of expertise (NPO運営, 協働コーディネート, ファンドレイジング...)."""

    name = models.CharField(_("name (Japanese)"), max_length=50, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=50)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("field of expertise")
        verbose_name_plural = _("fields of expertise")


class TalentProfile(models.Model):
    """A collaboration coordinator's public profile. Contact goes through the center only:
    the email address here is for staff and is never shown."""

    name = models.CharField(_("name"), max_length=100)
    name_kana = models.CharField(_("name (furigana)"), max_length=100)
    photo = models.ImageField(_("photo"), upload_to="talent/", blank=True)
    photo_alt = models.CharField(_("photo alternative text"), max_length=200, blank=True)
    affiliation = models.CharField(_("affiliation"), max_length=200, blank=True)
    expertise = models.ManyToManyField(Expertise, verbose_name=_("fields of expertise"), blank=True)
    wards = models.ManyToManyField(
        "core.Ward", verbose_name=_("areas (wards)"), blank=True, related_name="+"
    )
    activities = models.TextField(_("activities (Markdown)"), blank=True)
    languages = models.CharField(
        _("languages"), max_length=200, blank=True, help_text=_("e.g. 日本語, English")
    )
    email = models.EmailField(_("email address (never shown)"), blank=True)
    is_published = models.BooleanField(_("published"), default=False)
    consent_given_at = models.DateTimeField(
        _("consent to publication given"), null=True, blank=True
    )
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("consent recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    consent_withdrawn_at = models.DateTimeField(_("consent withdrawn"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = TalentProfileQuerySet.as_manager()

    class Meta:
        ordering = ["name_kana"]
        verbose_name = _("talent profile")
        verbose_name_plural = _("talent bank")

    def __str__(self) -> str:
        return self.name


class TalentContactRequest(models.Model):
    """A visitor's message to a coordinator, passed on by staff (no address is exposed)."""

    profile = models.ForeignKey(
        TalentProfile,
        verbose_name=_("coordinator"),
        on_delete=models.CASCADE,
        related_name="contact_requests",
    )
    name = models.CharField(_("name"), max_length=100)
    email = models.EmailField(_("email address"))
    organization = models.CharField(_("organisation"), max_length=200, blank=True)
    message = models.TextField(_("message"), max_length=4000)
    created_at = models.DateTimeField(_("received"), default=timezone.now)
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("contact request")
        verbose_name_plural = _("contact requests")

    def __str__(self) -> str:
        return f"{self.profile} ← {self.name}"
