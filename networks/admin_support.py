"""Admin: hearings and their question template, support requests, the know-how library."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import services_support as services
from .models import (
    Hearing,
    HearingAnswer,
    HearingQuestion,
    KnowHowArticle,
    KnowHowCategory,
    KnowHowDocument,
    SupportRequest,
)


@admin.register(HearingQuestion)
class HearingQuestionAdmin(admin.ModelAdmin):
    list_display = ("text", "key", "order", "is_active")
    list_editable = ("order", "is_active")
    list_filter = ("is_active",)
    search_fields = ("text", "text_en", "key")


class HearingAnswerInline(admin.StackedInline):
    model = HearingAnswer
    extra = 0
    fields = ("question_text", "answer")
    readonly_fields = ("question_text",)
    # Answers come from the template (services.hearing_answers_fill), one per question.
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Hearing)
class HearingAdmin(admin.ModelAdmin):
    list_display = ("ward_center", "fiscal_year", "held_on", "interviewer")
    list_filter = ("fiscal_year", "ward_center")
    list_select_related = ("ward_center", "interviewer")
    search_fields = ("ward_center__name", "summary", "answers__answer")
    autocomplete_fields = ("interviewer",)
    readonly_fields = ("created_at", "updated_at")
    inlines = [HearingAnswerInline]

    def get_changeform_initial_data(self, request):
        from center.core.fiscal import fiscal_year_of

        return {"fiscal_year": fiscal_year_of(), "interviewer": request.user.pk}

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # A new hearing gets one answer row per template question; the staff member
        # fills them in on the next screen. An old hearing keeps the questions it was
        # asked: editing it must not add this year's.
        if not change:
            services.hearing_answers_fill(hearing=form.instance)

    def response_add(self, request, obj, post_url_continue=None):
        # Straight back to the hearing, where the answers now wait to be filled in.
        from django.http import HttpResponseRedirect

        return HttpResponseRedirect(reverse("admin:networks_hearing_change", args=[obj.pk]))


@admin.register(SupportRequest)
class SupportRequestAdmin(admin.ModelAdmin):
    list_display = (
        "summary",
        "ward_center",
        "kind",
        "urgency",
        "case_link",
        "case_status",
        "created_at",
    )
    list_filter = ("ward_center", "kind", "urgency", "consultation__status", "contact_consent")
    list_select_related = ("ward_center", "consultation")
    search_fields = ("summary", "group_name", "consultation__reference")
    date_hierarchy = "created_at"
    # Filed by ward staff through the network area; staff act on the linked case.
    readonly_fields = [field.name for field in SupportRequest._meta.fields] + ["case_link"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("consultation case"))
    def case_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:consultations_consultation_change", args=[obj.consultation_id]),
            obj.consultation.reference,
        )

    @admin.display(description=_("status"), ordering="consultation__status")
    def case_status(self, obj):
        return obj.consultation.get_status_display()


class KnowHowDocumentInline(admin.TabularInline):
    model = KnowHowDocument
    extra = 0
    fields = ("original_name", "content_type", "size", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        # Uploads go through the network page, which checks type and size by content.
        return False


@admin.register(KnowHowCategory)
class KnowHowCategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "name_en", "key", "order")
    list_editable = ("order",)
    search_fields = ("name", "name_en", "key")


@admin.register(KnowHowArticle)
class KnowHowArticleAdmin(admin.ModelAdmin):
    list_display = ("title", "category", "ward_center", "author", "updated_at")
    list_filter = ("category", "ward_center")
    list_select_related = ("ward_center", "author", "category")
    search_fields = ("title", "body")
    autocomplete_fields = ("author",)
    readonly_fields = ("created_at", "updated_at")
    inlines = [KnowHowDocumentInline]

    def save_model(self, request, obj, form, change):
        if not change and obj.author_id is None:
            obj.author = request.user
        super().save_model(request, obj, form, change)
        services.knowhow_reindex(article=obj)
