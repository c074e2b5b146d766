"""Pamphlets and the business-card center guide in the back office.

Staff write a pamphlet as ordered sections (inline: heading, Markdown text, an optional
image with alternative text), publish it, and the PDF is built by a task. The list shows
each PDF's state; a failed build keeps its error and "Rebuild the PDF" tries again. Saving a
published pamphlet with any change, to it or to a section, rebuilds its PDF; saving the
card rebuilds the card and the A4 sheet. Every write goes through services.pamphlets.
"""

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from center.lib.images import VerifiedImageField
from center.lib.text import markdown_preview

from .admin_common import EachActionMixin
from .admin_news import MARKDOWN_HELP
from .forms_stories import PHOTO_MAX_SIDE
from .models import NameCard, Pamphlet, PamphletSection, PdfStatus
from .services import pamphlets as services

ERROR_PREVIEW_CHARS = 160


def _pdf_state(obj, links: list[tuple[str, str, int | None]]) -> str:
    """The PDF status in words, the links to the files there are, and the last error."""
    parts = [format_html("<strong>{}</strong>", obj.get_pdf_status_display())]
    for label, url, size in links:
        parts.append(
            format_html(' · <a href="{}">{}</a> ({})', url, label, filesizeformat(size or 0))
        )
    if obj.pdf_status == PdfStatus.FAILED and obj.pdf_error:
        error = obj.pdf_error
        if len(error) > ERROR_PREVIEW_CHARS:
            error = error[: ERROR_PREVIEW_CHARS - 1] + "…"
        parts.append(format_html('<br><span class="errornote">{}</span>', error))
    return format_html("".join(["{}"] * len(parts)), *parts)


class PamphletSectionAdminForm(forms.ModelForm):
    """The image is verified and re-encoded without EXIF/GPS (`VerifiedImageField`): a file
    that is not an image, or too large, is a form error, never a stored file."""

    image = VerifiedImageField(label=_("image"), max_side=PHOTO_MAX_SIDE, required=False)

    class Meta:
        model = PamphletSection
        fields = [
            "order",
            "heading",
            "body",
            "image",
            "image_alt",
            "image_is_decorative",
            "image_caption",
        ]
        widgets = {"body": forms.Textarea(attrs={"rows": 8, "cols": 80})}
        help_texts = {"body": MARKDOWN_HELP}


class PamphletSectionInline(admin.StackedInline):
    model = PamphletSection
    form = PamphletSectionAdminForm
    fields = [
        "order",
        "heading",
        "body",
        "body_preview",
        "image",
        "image_alt",
        "image_is_decorative",
        "image_caption",
    ]
    readonly_fields = ["body_preview"]
    ordering = ["order", "pk"]
    extra = 0

    def get_extra(self, request, obj=None, **kwargs):
        # A new pamphlet starts with one empty section to fill in.
        return 1 if obj is None else 0

    @admin.display(description=_("preview of the text"))
    def body_preview(self, obj: PamphletSection) -> str:
        return markdown_preview(obj.body if obj is not None and obj.pk else "")


@admin.register(Pamphlet)
class PamphletAdmin(EachActionMixin, admin.ModelAdmin):
    list_display = ["title", "edition", "is_published", "pdf_state", "pdf_built_at", "order"]
    list_filter = ["is_published", "pdf_status", "language"]
    search_fields = ["title", "summary", "sections__heading", "sections__body"]
    fieldsets = [
        (None, {"fields": ["title", "summary", "edition", "language", "order"]}),
        (_("Publication"), {"fields": ["is_published", "published_at"]}),
        (_("PDF"), {"fields": ["pdf_state", "pdf_built_at"]}),
        (_("Record"), {"fields": ["created_at", "updated_at"]}),
    ]
    readonly_fields = ["published_at", "pdf_state", "pdf_built_at", "created_at", "updated_at"]
    inlines = [PamphletSectionInline]
    actions = ["publish", "unpublish", "rebuild_pdf"]

    def view_on_site(self, obj: Pamphlet) -> str:
        # Staff see a draft there as a preview.
        return reverse("publications:pamphlet_detail", args=[obj.pk])

    @admin.display(description=_("PDF"), ordering="pdf_status")
    def pdf_state(self, obj: Pamphlet) -> str:
        links = []
        if obj.pk and obj.pdf:
            links.append(
                (
                    gettext("open"),
                    reverse("publications:pamphlet_pdf", args=[obj.pk]),
                    obj.pdf_size,
                )
            )
        return _pdf_state(obj, links)

    def save_model(self, request, obj, form, change):
        # The sections are saved after this; save_related asks for the PDF once they are.
        services.pamphlet_save(pamphlet=obj, rebuild=False)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        pamphlet = form.instance
        if not pamphlet.is_published:
            return
        changed = form.has_changed() or any(formset.has_changed() for formset in formsets)
        if changed or pamphlet.pdf_status in (PdfStatus.NONE, PdfStatus.FAILED):
            services.pamphlet_pdf_request(pamphlet=pamphlet)
            messages.info(
                request,
                gettext(
                    "The PDF is being prepared with your changes; the list shows when it is ready."
                ),
            )

    # Django's "delete selected" action calls delete_queryset: through the service too, so
    # the PDFs and images go with the rows.
    def delete_model(self, request, obj):
        services.pamphlet_delete(pamphlets=Pamphlet.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        services.pamphlet_delete(pamphlets=queryset)

    @admin.action(description=_("Publish (and build the PDF)"), permissions=["change"])
    def publish(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda pamphlet: services.pamphlet_publish(pamphlet=pamphlet),
            gettext("Published; the PDF is being prepared: %(titles)s"),
        )

    @admin.action(description=_("Unpublish (the PDF is deleted)"), permissions=["change"])
    def unpublish(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda pamphlet: services.pamphlet_unpublish(pamphlet=pamphlet),
            gettext("Taken off the public site: %(titles)s"),
        )

    @admin.action(description=_("Rebuild the PDF"), permissions=["change"])
    def rebuild_pdf(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda pamphlet: services.pamphlet_pdf_request(pamphlet=pamphlet),
            gettext("The PDF is being rebuilt: %(titles)s"),
        )


@admin.register(NameCard)
class NameCardAdmin(EachActionMixin, admin.ModelAdmin):
    """There is one card: it can be added once and never deleted."""

    list_display = ["center_name", "pdf_state", "pdf_built_at", "updated_at"]
    fieldsets = [
        (_("Front"), {"fields": ["center_name", "center_name_en", "tagline"]}),
        (
            _("Back"),
            {
                "fields": ["address", "access", "phone", "hours", "url"],
                "description": _(
                    "The back also carries a QR code to the website address. Saving "
                    "rebuilds the card PDF and the A4 sheet of 10 cards."
                ),
            },
        ),
        (_("PDF"), {"fields": ["pdf_state", "pdf_built_at"]}),
    ]
    readonly_fields = ["pdf_state", "pdf_built_at"]
    actions = ["rebuild_pdf"]
    # An address typed without a scheme is the center's site: https, as production serves.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        # Several lines, but few: the card is 91 × 55 mm.
        for name in ("address", "access", "hours"):
            form.base_fields[name].widget = forms.Textarea(attrs={"rows": 3, "cols": 40})
        return form

    def has_add_permission(self, request):
        return (
            super().has_add_permission(request)
            and not NameCard.objects.filter(pk=NameCard.SINGLETON_PK).exists()
        )

    def has_delete_permission(self, request, obj=None):
        return False

    def view_on_site(self, obj: NameCard) -> str:
        return reverse("publications:namecard")

    @admin.display(description=_("PDF"), ordering="pdf_status")
    def pdf_state(self, obj: NameCard) -> str:
        links = []
        if obj.pk and obj.card_pdf:
            links.append((gettext("card"), reverse("publications:namecard_pdf"), obj.card_pdf_size))
        if obj.pk and obj.sheet_pdf:
            links.append(
                (
                    gettext("A4 sheet"),
                    reverse("publications:namecard_sheet_pdf"),
                    obj.sheet_pdf_size,
                )
            )
        return _pdf_state(obj, links)

    def save_model(self, request, obj, form, change):
        services.namecard_save(card=obj)
        messages.info(request, gettext("The card PDF and the A4 sheet are being prepared."))

    @admin.action(description=_("Rebuild the PDFs"), permissions=["change"])
    def rebuild_pdf(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda card: services.namecard_pdf_request(card=card),
            gettext("The PDFs are being rebuilt: %(titles)s"),
        )
