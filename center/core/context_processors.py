from django.conf import settings

from .navigation import BUSINESSES


def site(request) -> dict:
    return {
        "CENTER_NAME": settings.CENTER_NAME,
        "SITE_URL": settings.SITE_URL,
        "BUSINESSES": BUSINESSES,
    }
