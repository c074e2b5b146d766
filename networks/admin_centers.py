"""Admin of the 18 ward centers (their contact details) and the invitation of ward staff."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import WardCenter


@admin.register(WardCenter)
class WardCenterAdmin(admin.ModelAdmin):
    list_display = ["name", "ward", "phone", "email", "invite_link"]
    search_fields = ["name", "name_en", "address"]
    readonly_fields = ["ward"]
    fields = ["ward", "name", "name_en", "address", "phone", "email", "website"]

    # The 18 centers come from the migration, one per ward: staff edit contacts only.
    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("staff"))
    def invite_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("networks:invitation_create"), _("Invite staff")
        )
