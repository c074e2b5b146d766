"""The 18 ward citizen-activity support centers (区民活動支援センター)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from center.core.models import BilingualNameMixin

__all__ = ["WardCenter"]


class WardCenter(BilingualNameMixin):
    """One ward's support center. Ward staff belong to it through `User.ward`: an account
    has exactly one ward, and each ward has exactly one center."""

    ward = models.OneToOneField(
        "core.Ward", verbose_name=_("ward"), on_delete=models.PROTECT, related_name="center"
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        ordering = ["ward__order"]
        verbose_name = _("ward center")
        verbose_name_plural = _("ward centers")
