"""Choices and fields shared by several publications."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sector(models.TextChoices):
    CITIZEN = "citizen", _("Citizens")
    NEIGHBOURHOOD = "neighbourhood", _("Neighbourhood associations")
    NPO = "npo", _("NPOs and citizen groups")
    COMPANY = "company", _("Companies")
    UNIVERSITY = "university", _("Universities and schools")
    GOVERNMENT = "government", _("Government")
    OTHER = "other", _("Other")


class AccessiblePhoto(models.Model):
    """A photo with a caption and alternative text, which is required unless the photo is
    marked decorative (each subclass adds the database constraint under its own name)."""

    caption = models.CharField(_("caption"), max_length=200, blank=True)
    alt_text = models.CharField(
        _("alternative text"),
        max_length=300,
        blank=True,
        help_text=_("What the photo shows, for people who cannot see it."),
    )
    is_decorative = models.BooleanField(_("decorative (no alternative text needed)"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        abstract = True
        ordering = ["order", "pk"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return self.caption or self.alt_text or self.image.name

    @staticmethod
    def alt_text_constraint(name: str) -> models.CheckConstraint:
        return models.CheckConstraint(
            condition=models.Q(is_decorative=True) | ~models.Q(alt_text=""), name=name
        )
