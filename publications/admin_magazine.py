"""情報誌 magazine issues in the back office.

Center staff write an issue with its articles inline (a reprinted case story, picked by
autocomplete, or an article of its own; a standalone article's photos are added on the
article's own page), preview the web version and the PDF, and publish through the
service. The PDF's build status shows in the list; a failed build keeps its error here and
"Rebuild PDF" tries again. Editing a published issue rebuilds its PDF.
"""

from django import forms
from django.contrib import admin, messages
from django.db.models import Count
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from center.lib.images import VerifiedImageField
from center.lib.text import markdown_preview

from .admin_common import EachActionMixin
from .admin_news import MARKDOWN_HELP
from .forms_stories import PHOTO_MAX_SIDE, StoryPhotoAdminForm
from .models import MagazineArticle, MagazineIssue, MagazinePhoto
from .selectors.magazine import user_is_magazine_editor
from .services import magazine as services

PdfStatus = MagazineIssue.PdfStatus
# Long enough for the PDF's full-bleed A4 cover at print resolution.
COVER_MAX_SIDE = 3000
ERROR_PREVIEW_CHARS = 120


class MagazineIssueAdminForm(forms.ModelForm):
    """The cover is verified and re-encoded without EXIF (`VerifiedImageField`): a file that
    is not an image, or is too large, is a form error. Alt text is required with a cover."""

    cover_image = VerifiedImageField(
        label=_("cover image"), max_side=COVER_MAX_SIDE, required=False
    )

    class Meta:
        model = MagazineIssue
        fields = [
            "number",
            "season",
            "title",
            "lead",
            "published_on",
            "cover_image",
            "cover_alt_text",
        ]

    def clean(self):
        cleaned = super().clean()
        has_cover = bool(cleaned.get("cover_image"))
        missing = not (cleaned.get("cover_alt_text") or "").strip()
        if has_cover and missing and "cover_alt_text" not in self.errors:
            self.add_error(
                "cover_alt_text",
                forms.ValidationError(
                    _("Describe what the cover image shows."), code="alt_required"
                ),
            )
        return cleaned


class MagazineArticleFormMixin:
    """An article reprints a published story, or has a title and text of its own."""

    def clean(self):
        cleaned = super().clean()
        story = cleaned.get("story")
        own_text = [name for name in ("title", "lead", "body") if (cleaned.get(name) or "").strip()]
        # Errors go on fields, not the form: the database constraint on those fields is
        # then not checked again, and staff read one clear message, not two.
        if story is not None and own_text:
            self.add_error(
                "story",
                forms.ValidationError(
                    _(
                        "An article either reprints a collaboration story or has its own "
                        "text, not both: empty the title, summary and body, or remove the "
                        "story."
                    ),
                    code="story_and_text",
                ),
            )
        if story is None and "story" not in self.errors and not own_text:
            self.add_error(
                "title",
                forms.ValidationError(
                    _("Give the article a title, or choose a collaboration story to reprint."),
                    code="required",
                ),
            )
        return cleaned


_ARTICLE_FIELDS = ["order", "kicker", "story", "title", "lead", "body"]
_STORY_ERRORS = {
    "story": {
        "invalid_choice": _(
            "Choose a published collaboration story: a story that is not (or no longer) "
            "published cannot appear in the magazine."
        )
    }
}


class MagazineArticleInlineForm(MagazineArticleFormMixin, forms.ModelForm):
    class Meta:
        model = MagazineArticle
        fields = _ARTICLE_FIELDS
        error_messages = _STORY_ERRORS
        widgets = {
            "lead": forms.Textarea(attrs={"rows": 2}),
            "body": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {"body": MARKDOWN_HELP}


class MagazineArticleAdminForm(MagazineArticleFormMixin, forms.ModelForm):
    class Meta:
        model = MagazineArticle
        fields = ["issue", *_ARTICLE_FIELDS]
        error_messages = _STORY_ERRORS
        help_texts = {"body": MARKDOWN_HELP}


class MagazinePhotoAdminForm(StoryPhotoAdminForm):
    """The story photo's form for a magazine photo: verified upload, alt text unless
    decorative."""

    image = VerifiedImageField(label=_("photo"), max_side=PHOTO_MAX_SIDE)

    class Meta(StoryPhotoAdminForm.Meta):
        model = MagazinePhoto


def _pdf_status_html(issue: MagazineIssue):
    label = issue.get_pdf_status_display()
    if issue.pdf_status == PdfStatus.READY and issue.pdf_file:
        return format_html(
            '✔ <a href="{}">{}</a> ({})',
            reverse("publications:magazine_pdf", args=[issue.number]),
            label,
            filesizeformat(issue.pdf_size or 0),
        )
    if issue.pdf_status == PdfStatus.FAILED:
        error = issue.pdf_error.splitlines()[0] if issue.pdf_error else ""
        if len(error) > ERROR_PREVIEW_CHARS:
            error = error[: ERROR_PREVIEW_CHARS - 1] + "…"
        return format_html('<strong class="errornote">✖ {}</strong> {}', label, error)
    if issue.pdf_status == PdfStatus.PENDING:
        return format_html("⌛ {}", label)
    return label


class MagazineArticleInline(admin.StackedInline):
    model = MagazineArticle
    form = MagazineArticleInlineForm
    fields = [*_ARTICLE_FIELDS, "photo_note"]
    readonly_fields = ["photo_note"]
    autocomplete_fields = ["story"]
    show_change_link = True
    extra = 1
    ordering = ["order", "pk"]

    def get_queryset(self, request):
        return (
            super().get_queryset(request).select_related("story").annotate(_photos=Count("photos"))
        )

    @admin.display(description=_("photos"))
    def photo_note(self, obj: MagazineArticle | None) -> str:
        if obj is None or obj.pk is None:
            return gettext("Save first; then add photos on the article's own page.")
        if obj.story_id:
            return gettext("The story's own photos are printed.")
        count = getattr(obj, "_photos", None)
        if count is None:
            count = obj.photos.count()
        return ngettext(
            "%(count)d photo: add or change them on the article's page (“Change” above).",
            "%(count)d photos: add or change them on the article's page (“Change” above).",
            count,
        ) % {"count": count}


class _EditorOnly:
    """Everything here belongs to center staff (the services check again)."""

    def has_publish_permission(self, request) -> bool:
        return user_is_magazine_editor(request.user)


@admin.register(MagazineIssue)
class MagazineIssueAdmin(_EditorOnly, EachActionMixin, admin.ModelAdmin):
    form = MagazineIssueAdminForm
    list_display = [
        "number",
        "season",
        "title",
        "status",
        "published_on",
        "article_count",
        "pdf_column",
    ]
    list_display_links = ["number", "title"]
    list_filter = ["status", "pdf_status"]
    search_fields = ["title", "season", "lead", "articles__title", "articles__story__title"]
    date_hierarchy = "published_on"
    fieldsets = [
        (None, {"fields": ["number", "season", "title", "lead", "published_on"]}),
        (_("Cover"), {"fields": ["cover_image", "cover_alt_text", "cover_preview"]}),
        (
            _("Publication and PDF"),
            {
                "fields": [
                    "status",
                    "published_at",
                    "preview_links",
                    "pdf_column",
                    "pdf_requested_at",
                    "pdf_built_at",
                    "pdf_error",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
    ]
    # Status and PDF move only through the actions (and their services).
    readonly_fields = [
        "cover_preview",
        "status",
        "published_at",
        "preview_links",
        "pdf_column",
        "pdf_requested_at",
        "pdf_built_at",
        "pdf_error",
        "created_at",
        "updated_at",
    ]
    inlines = [MagazineArticleInline]
    actions = ["publish", "return_to_draft", "rebuild_pdf"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_articles=Count("articles", distinct=True))

    def get_actions(self, request):
        actions = super().get_actions(request)
        # A published issue is taken back to draft, never bulk-deleted.
        actions.pop("delete_selected", None)
        return actions

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or not obj.is_published

    def view_on_site(self, obj: MagazineIssue) -> str:
        # Center staff see a draft there as a preview.
        return reverse("publications:magazine_issue", args=[obj.number])

    @admin.display(description=_("articles"), ordering="_articles")
    def article_count(self, obj: MagazineIssue) -> int:
        return obj._articles

    @admin.display(description=_("PDF"), ordering="pdf_status")
    def pdf_column(self, obj: MagazineIssue):
        return _pdf_status_html(obj)

    @admin.display(description=_("cover"))
    def cover_preview(self, obj: MagazineIssue):
        image = obj.cover_thumbnail or obj.cover_image if obj is not None else None
        if not image:
            return "—"
        return format_html('<img src="{}" alt="" width="160">', image.url)

    @admin.display(description=_("preview"))
    def preview_links(self, obj: MagazineIssue):
        if obj is None or obj.pk is None:
            return "—"
        links = [
            (reverse("publications:magazine_issue", args=[obj.number]), gettext("Web version")),
            (
                reverse("publications:magazine_pdf_preview", args=[obj.number]),
                gettext("PDF as it would print now"),
            ),
        ]
        return format_html_join(" · ", '<a href="{}">{}</a>', links)

    def save_model(self, request, obj, form, change):
        services.magazine_issue_save(
            issue=obj, actor=request.user, cover_changed="cover_image" in form.changed_data
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        issue = form.instance
        changed = form.has_changed() or any(formset.has_changed() for formset in formsets)
        if change and changed and issue.is_published:
            services.magazine_issue_content_changed(issue=issue, actor=request.user)
            messages.info(
                request,
                gettext("The issue is live with your changes; its PDF is being built again."),
            )

    # Actions -----------------------------------------------------------------------

    each_placeholder = "issues"

    def each_refused_message(self, count: int) -> str:
        return ngettext(
            "%(count)d issue was not changed: %(details)s",
            "%(count)d issues were not changed: %(details)s",
            count,
        )

    @admin.action(description=_("Publish (and build the PDF)"), permissions=["publish"])
    def publish(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda issue: services.magazine_issue_publish(issue=issue, actor=request.user),
            gettext("Published: %(issues)s. The PDF is being built."),
        )

    @admin.action(description=_("Return to draft (off the public site)"), permissions=["publish"])
    def return_to_draft(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda issue: services.magazine_issue_return_to_draft(issue=issue, actor=request.user),
            gettext("Returned to draft: %(issues)s"),
        )

    @admin.action(description=_("Rebuild PDF"), permissions=["publish"])
    def rebuild_pdf(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda issue: services.magazine_pdf_rebuild(issue=issue, actor=request.user),
            gettext("PDF being built again: %(issues)s"),
        )


class MagazinePhotoInline(admin.StackedInline):
    model = MagazinePhoto
    form = MagazinePhotoAdminForm
    fields = ["image", "caption", "alt_text", "is_decorative", "order"]
    extra = 1


@admin.register(MagazineArticle)
class MagazineArticleAdmin(_EditorOnly, admin.ModelAdmin):
    """An article's own page: its text and, for a standalone article, its photos."""

    form = MagazineArticleAdminForm
    list_display = ["__str__", "issue", "order", "kicker", "is_story"]
    list_filter = ["issue"]
    list_select_related = ["issue", "story"]
    search_fields = ["title", "lead", "body", "story__title"]
    autocomplete_fields = ["story"]
    fields = ["issue", *_ARTICLE_FIELDS, "body_preview"]
    readonly_fields = ["body_preview"]
    ordering = ["-issue__number", "order", "pk"]

    @admin.display(description=_("reprinted story"), boolean=True)
    def is_story(self, obj: MagazineArticle) -> bool:
        return obj.is_story

    @admin.display(description=_("preview of the body"))
    def body_preview(self, obj: MagazineArticle):
        return markdown_preview(obj.body if obj is not None and obj.pk else "")

    def get_inlines(self, request, obj):
        # A reprinted story prints the story's photos; only an article of its own has some.
        return [] if obj is not None and obj.story_id else [MagazinePhotoInline]

    def view_on_site(self, obj: MagazineArticle) -> str:
        return reverse("publications:magazine_issue", args=[obj.issue.number]) + (
            f"#article-{obj.pk}"
        )

    def _changed(self, request, issue: MagazineIssue) -> None:
        if services.magazine_issue_content_changed(issue=issue, actor=request.user):
            messages.info(
                request,
                gettext("The issue is live with your changes; its PDF is being built again."),
            )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        changed = form.has_changed() or any(formset.has_changed() for formset in formsets)
        if changed:
            self._changed(request, form.instance.issue)
            if "issue" in form.changed_data and form.initial.get("issue"):
                # Moved out of another issue: that one changed too.
                previous = MagazineIssue.objects.filter(pk=form.initial["issue"]).first()
                if previous is not None:
                    self._changed(request, previous)

    def delete_model(self, request, obj):
        issue = obj.issue
        super().delete_model(request, obj)
        self._changed(request, issue)

    def delete_queryset(self, request, queryset):
        issues = list(MagazineIssue.objects.filter(articles__in=queryset).distinct())
        super().delete_queryset(request, queryset)
        for issue in issues:
            self._changed(request, issue)
