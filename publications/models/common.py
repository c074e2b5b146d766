"""Choices shared by several publications."""

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
