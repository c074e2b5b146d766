"""Back office for news: staff write Markdown, see the sanitised result, and open the page.

Imported by publications/admin.py. Saves and deletes go through the news services, which
drop the cached public pages once the change is committed.
"""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from center.lib.text import markdown_preview

from .admin_common import NulSafeChangelistMixin
from .models import NewsItem
from .services.news import news_delete, news_delete_many, news_save

MARKDOWN_HELP = _(
    "Markdown: **bold**, *italic*, “## Heading”, “- ” for a list, "
    "[link text](https://example.jp) for a link, | a | b | rows for a table; a line break "
    "is kept. Images only from files uploaded to this site (/media/…). Scripts, styles, "
    "forms and embedded content from other sites are removed."
)


@admin.register(NewsItem)
class NewsItemAdmin(NulSafeChangelistMixin, admin.ModelAdmin):
    list_display = (
        "title",
        "category",
        "is_published",
        "is_pinned",
        "publish_from",
        "publish_until",
        "preview_link",
    )
    list_filter = ("category", "is_published", "is_pinned")
    search_fields = ("title", "body")
    date_hierarchy = "publish_from"
    ordering = ("-publish_from",)
    readonly_fields = ("body_preview", "created_by", "created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("title", "category", "body", "body_preview")}),
        (
            _("Publication"),
            {"fields": ("is_published", "publish_from", "publish_until", "is_pinned")},
        ),
        (_("Record"), {"fields": ("created_by", "created_at", "updated_at")}),
    )

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["help_texts"] = {**kwargs.get("help_texts", {}), "body": MARKDOWN_HELP}
        return super().get_form(request, obj, change, **kwargs)

    def view_on_site(self, obj: NewsItem) -> str:
        return reverse("publications:news_detail", args=[obj.pk])

    @admin.display(description=_("page"))
    def preview_link(self, obj: NewsItem) -> str:
        return format_html(
            '<a href="{}">{}</a>',
            reverse("publications:news_detail", args=[obj.pk]),
            _("preview"),
        )

    @admin.display(description=_("preview of the body"))
    def body_preview(self, obj: NewsItem) -> str:
        return markdown_preview(obj.body if obj.pk else "")

    def save_model(self, request, obj, form, change):
        news_save(item=obj, actor=request.user)

    def delete_model(self, request, obj):
        news_delete(item=obj)

    def delete_queryset(self, request, queryset):
        news_delete_many(items=queryset)
