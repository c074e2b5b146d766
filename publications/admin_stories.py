"""協働事例 case stories in the back office.

Coordinators write drafts and submit them; center staff review, publish, withdraw or send
back. Who sees what comes from `selectors.stories`; every change of status goes through
`services.stories` (which checks the actor again), never through the form: the status
field is read-only here.
"""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from center.accounts.roles import COORDINATOR
from center.lib.text import markdown_preview

from .admin_common import EachActionMixin, NulSafeChangelistMixin
from .admin_news import MARKDOWN_HELP
from .forms_stories import ReturnToDraftForm, StoryPhotoAdminForm
from .models import CaseStory, StoryPartner, StoryPhoto, StoryRevision, Theme
from .selectors.stories import stories_visible_to, story_is_editable_by, user_is_story_editor
from .services import stories as services


class StoryInlinePermissions:
    """Partners and photos are part of the story: editable exactly when the story is."""

    def _story_editable(self, request, obj) -> bool:
        return obj is None or story_is_editable_by(user=request.user, story=obj)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._story_editable(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._story_editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._story_editable(request, obj)


class StoryPartnerInline(StoryInlinePermissions, admin.TabularInline):
    model = StoryPartner
    fields = ["name", "sector", "role"]
    extra = 1


class StoryPhotoInline(StoryInlinePermissions, admin.StackedInline):
    model = StoryPhoto
    form = StoryPhotoAdminForm
    fields = ["image", "caption", "alt_text", "is_decorative", "order"]
    extra = 1


class StoryRevisionInline(admin.TabularInline):
    """What the public read at each publication: a record, never edited."""

    model = StoryRevision
    fk_name = "story"
    fields = ["created_at", "published_by", "title", "summary"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False
    verbose_name_plural = _("publication record")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("published_by")


@admin.register(CaseStory)
class CaseStoryAdmin(NulSafeChangelistMixin, EachActionMixin, admin.ModelAdmin):
    list_display = ["title", "status", "ward", "year", "author", "published_at"]
    list_filter = ["status", "ward", "sdgs", "themes", "year"]
    list_select_related = ["ward", "author"]
    search_fields = ["title", "summary", "body", "partners__name"]
    filter_horizontal = ["sdgs", "themes"]
    fieldsets = [
        (None, {"fields": ["title", "summary", "body", "body_preview"]}),
        (_("Where and when"), {"fields": ["ward", "year", "sdgs", "themes"]}),
        (
            _("Workflow"),
            {"fields": ["status", "author", "published_at", "created_at", "updated_at"]},
        ),
    ]
    # Status moves only through the actions (and their services), never by editing.
    readonly_fields = [
        "body_preview",
        "status",
        "author",
        "published_at",
        "created_at",
        "updated_at",
    ]
    inlines = [StoryPartnerInline, StoryPhotoInline, StoryRevisionInline]
    actions = ["submit_for_review", "publish", "withdraw", "return_to_draft"]

    # Who sees and edits what -------------------------------------------------------

    def get_queryset(self, request):
        queryset = stories_visible_to(user=request.user).select_related("ward", "author")
        ordering = self.get_ordering(request)
        return queryset.order_by(*ordering) if ordering else queryset

    def get_inlines(self, request, obj):
        # No record to show on a story not yet saved.
        return self.inlines if obj is not None else [StoryPartnerInline, StoryPhotoInline]

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or story_is_editable_by(user=request.user, story=obj)

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        # A story that was ever public keeps its publication record: withdraw it instead.
        return obj is None or (
            obj.published_at is None and story_is_editable_by(user=request.user, story=obj)
        )

    def get_actions(self, request):
        actions = super().get_actions(request)
        # Bulk deletion checks no single story, so it could erase a publication record.
        actions.pop("delete_selected", None)
        return actions

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["help_texts"] = {**kwargs.get("help_texts", {}), "body": MARKDOWN_HELP}
        return super().get_form(request, obj, change, **kwargs)

    def view_on_site(self, obj: CaseStory) -> str:
        # Staff and the author see an unpublished story there as a preview.
        return reverse("publications:story_detail", args=[obj.pk])

    @admin.display(description=_("preview of the body"))
    def body_preview(self, obj: CaseStory) -> str:
        return markdown_preview(obj.body if obj is not None and obj.pk else "")

    def has_submit_permission(self, request) -> bool:
        user = request.user
        return user_is_story_editor(user) or user.has_role(COORDINATOR)

    def has_publish_permission(self, request) -> bool:
        return user_is_story_editor(request.user)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.author = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        story = form.instance
        changed = form.has_changed() or any(formset.has_changed() for formset in formsets)
        if change and changed and story.status == CaseStory.Status.PUBLISHED:
            # Staff corrected a live story: publishing again keeps the record complete (a
            # revision of what the public now reads) and empties the page cache.
            services.story_publish(story=story, actor=request.user)
            messages.info(
                request, gettext("The story is live with your changes; a revision was recorded.")
            )

    # Workflow actions --------------------------------------------------------------

    def each_name(self, obj) -> str:
        return obj.title

    def each_refused_message(self, count: int) -> str:
        return ngettext(
            "%(count)d story was not changed: %(details)s",
            "%(count)d stories were not changed: %(details)s",
            count,
        )

    @admin.action(description=_("Submit for review"), permissions=["submit"])
    def submit_for_review(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda story: services.story_submit_for_review(story=story, actor=request.user),
            gettext("Submitted for review: %(titles)s"),
        )

    @admin.action(description=_("Publish"), permissions=["publish"])
    def publish(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda story: services.story_publish(story=story, actor=request.user),
            gettext("Published: %(titles)s"),
        )

    @admin.action(description=_("Withdraw from the public site"), permissions=["publish"])
    def withdraw(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda story: services.story_withdraw(story=story, actor=request.user),
            gettext("Withdrawn: %(titles)s"),
        )

    @admin.action(description=_("Return to draft"), permissions=["publish"])
    def return_to_draft(self, request, queryset):
        form = ReturnToDraftForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            context = {
                **self.admin_site.each_context(request),
                "title": gettext("Return to draft"),
                "intro": gettext(
                    "The author will be able to edit these stories again. Tell them what "
                    "should change; the reason is kept in the audit log."
                ),
                "form": form,
                "items": [f"{s.title} ({s.get_status_display()})" for s in queryset[:50]],
                "more": queryset.count() > 50,
                "action": "return_to_draft",
                "submit_label": gettext("Return to draft"),
                # "Select all N" posts no ids: keep the flag rather than thousands of fields.
                "select_across": request.POST.get("select_across") == "1",
                "selected": list(queryset.values_list("pk", flat=True)),
                "opts": self.model._meta,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                "media": self.media + form.media,
            }
            return TemplateResponse(request, "admin/action_with_reason.html", context)
        reason = form.cleaned_data["reason"]
        self._each(
            request,
            queryset,
            lambda story: services.story_return_to_draft(
                story=story, actor=request.user, reason=reason
            ),
            gettext("Returned to draft: %(titles)s"),
        )
        return None


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "order"]
    list_editable = ["order"]
    search_fields = ["name", "name_en"]
