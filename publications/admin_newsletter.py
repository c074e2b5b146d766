"""The メルマガ newsletter in the back office.

Coordinators and staff write issues (Markdown with a preview, a web preview, a test mail to
themselves); only people with "send newsletter issues" schedule, send, stop or retry, always
through the buttons on the issue page, which call `services.newsletter`. Once a send has
started the issue is read-only and its page shows the progress of the send.
Subscribers are never added here: an address joins only by confirming it (double opt-in).
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from center.core.templatetags.center import jdate
from center.lib.text import markdown_preview

from .admin_news import MARKDOWN_HELP
from .models import NewsletterDelivery, NewsletterIssue, NewsletterTopic, Subscriber
from .services import newsletter as services

ISSUE_ACTION_FIELD = "_newsletter_action"
SEND_PERMISSION = "publications.send_newsletterissue"
FAILURES_SHOWN = 20


def _issue_actions(request, issue: NewsletterIssue) -> list[tuple[str, str]]:
    """(name, label) of the buttons this user may press on this issue now."""
    actions = [("test", gettext("Send a test to me (%(email)s)") % {"email": request.user.email})]
    if not request.user.has_perm(SEND_PERMISSION):
        return actions
    status = NewsletterIssue.Status
    if issue.status in (status.DRAFT, status.SCHEDULED):
        actions.append(("schedule", gettext("Schedule for the time above")))
        actions.append(("send_now", gettext("Send now")))
    if issue.status == status.SCHEDULED:
        actions.append(("cancel", gettext("Unschedule (back to draft)")))
    if issue.status == status.SENDING:
        actions.append(("cancel", gettext("Stop sending")))
    if issue.status in (status.SENDING, status.SENT) and issue.failed_count:
        actions.append(("retry", gettext("Retry the failed deliveries")))
    return actions


@admin.register(NewsletterTopic)
class NewsletterTopicAdmin(admin.ModelAdmin):
    list_display = ("name", "name_en", "order", "subscriber_count")
    list_editable = ("order",)
    search_fields = ("name", "name_en")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                active_subscribers=Count(
                    "subscriber", filter=Q(subscriber__status=Subscriber.Status.ACTIVE)
                )
            )
        )

    @admin.display(description=_("active subscribers"), ordering="active_subscribers")
    def subscriber_count(self, obj) -> int:
        return obj.active_subscribers


@admin.register(NewsletterIssue)
class NewsletterIssueAdmin(admin.ModelAdmin):
    list_display = ("subject", "status", "scheduled_at", "finished_at", "progress_summary")
    list_filter = ("status", "topics", ("created_by", admin.RelatedOnlyFieldListFilter))
    search_fields = ("subject", "body")
    date_hierarchy = "created_at"
    filter_horizontal = ("topics", "wards")
    fieldsets = (
        (None, {"fields": ("subject", "body", "body_preview")}),
        (_("English version (optional)"), {"fields": ("subject_en", "body_en")}),
        (_("Recipients"), {"fields": ("topics", "wards", "recipient_estimate")}),
        (
            _("Sending"),
            {"fields": ("status", "scheduled_at", "progress", "failures")},
        ),
        (_("Record"), {"fields": ("created_by", "created_at", "started_at", "finished_at")}),
    )

    def get_queryset(self, request):
        status = NewsletterDelivery.Status
        return (
            super()
            .get_queryset(request)
            .annotate(
                total_count=Count("deliveries"),
                sent_count=Count("deliveries", filter=Q(deliveries__status=status.SENT)),
                failed_count=Count("deliveries", filter=Q(deliveries__status=status.FAILED)),
            )
        )

    def get_readonly_fields(self, request, obj=None):
        computed = (
            "body_preview",
            "recipient_estimate",
            "status",
            "progress",
            "failures",
            "created_by",
            "created_at",
            "started_at",
            "finished_at",
        )
        if obj is not None and not obj.is_editable:
            # Sent (or being sent): what subscribers received must stay what the archive shows.
            return (
                *computed,
                "subject",
                "body",
                "subject_en",
                "body_en",
                "topics",
                "wards",
                "scheduled_at",
            )
        return computed

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["help_texts"] = {
            **kwargs.get("help_texts", {}),
            "body": MARKDOWN_HELP,
            "body_en": MARKDOWN_HELP,
            "scheduled_at": _("For “Schedule”. Leave empty and press “Send now” to send at once."),
        }
        return super().get_form(request, obj, change, **kwargs)

    def view_on_site(self, obj: NewsletterIssue) -> str:
        return reverse("publications:newsletter_issue", args=[obj.pk])

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None):
        # A sent issue is part of the public archive and of the delivery record.
        if obj is not None and obj.status != NewsletterIssue.Status.DRAFT:
            return False
        return super().has_delete_permission(request, obj)

    # Read-only panels ---------------------------------------------------------------------

    @admin.display(description=_("preview of the body"))
    def body_preview(self, obj: NewsletterIssue):
        return markdown_preview(obj.body if obj.pk else "")

    @admin.display(description=_("recipients if sent now"))
    def recipient_estimate(self, obj: NewsletterIssue):
        if not obj.pk:
            return gettext("Save the issue to see how many subscribers it reaches.")
        count = Subscriber.objects.for_issue(obj).count()
        return ngettext("%(count)s active subscriber", "%(count)s active subscribers", count) % {
            "count": f"{count:,}"
        }

    @admin.display(description=_("progress"))
    def progress(self, obj: NewsletterIssue):
        if not obj.pk or obj.status in (
            NewsletterIssue.Status.DRAFT,
            NewsletterIssue.Status.SCHEDULED,
        ):
            return gettext("Not started.")
        progress = services.issue_progress(obj)
        return format_html(
            '<progress max="100" value="{}" aria-label="{}"></progress> {}%<br>{}',
            progress.percent_done,
            gettext("progress"),
            progress.percent_done,
            gettext(
                "%(sent)s sent, %(failed)s failed, %(skipped)s skipped (unsubscribed), "
                "%(waiting)s waiting, of %(total)s recipients."
            )
            % {
                "sent": f"{progress.sent:,}",
                "failed": f"{progress.failed:,}",
                "skipped": f"{progress.skipped:,}",
                "waiting": f"{progress.waiting:,}",
                "total": f"{progress.total:,}",
            },
        )

    @admin.display(description=_("failed deliveries"))
    def failures(self, obj: NewsletterIssue):
        if not obj.pk:
            return "-"
        failed = (
            NewsletterDelivery.objects.filter(issue=obj, status=NewsletterDelivery.Status.FAILED)
            .select_related("subscriber")
            .order_by("pk")[:FAILURES_SHOWN]
        )
        if not failed:
            return "-"
        link = format_html(
            '<a href="{}?issue__id__exact={}&status__exact=failed">{}</a>',
            reverse("admin:publications_newsletterdelivery_changelist"),
            obj.pk,
            gettext("All failed deliveries"),
        )
        rows = format_html_join(
            "", "<li>{}: {}</li>", ((d.subscriber.email, d.last_error) for d in failed)
        )
        return format_html("<ul>{}</ul>{}", rows, link)

    @admin.display(description=_("sent"))
    def progress_summary(self, obj: NewsletterIssue) -> str:
        if not obj.total_count:
            return "-"
        text = f"{obj.sent_count:,} / {obj.total_count:,}"
        if obj.failed_count:
            text += " " + gettext("(%(count)s failed)") % {"count": f"{obj.failed_count:,}"}
        return text

    # The buttons ---------------------------------------------------------------------------

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # The buttons depend on the user, so they come through the template context.
        if obj is not None:
            context["newsletter_actions"] = _issue_actions(request, obj)
            context["newsletter_action_field"] = ISSUE_ACTION_FIELD
        return super().render_change_form(request, context, add, change, form_url, obj)

    def response_change(self, request, obj):
        name = request.POST.get(ISSUE_ACTION_FIELD)
        obj = self.get_queryset(request).get(pk=obj.pk)
        allowed = dict(_issue_actions(request, obj))
        if name not in allowed:
            return super().response_change(request, obj)
        try:
            message = self._run_action(request, obj, name)
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
        except OSError as exc:  # the mail server refused or is unreachable (test mail)
            self.message_user(
                request,
                gettext("The test mail could not be sent: %(error)s") % {"error": exc},
                messages.ERROR,
            )
        else:
            self.message_user(request, message, messages.SUCCESS)
        return HttpResponseRedirect(request.path)

    def _run_action(self, request, issue: NewsletterIssue, name: str) -> str:
        if name == "test":
            services.newsletter_issue_send_test(
                issue=issue,
                to=request.user.email,
                actor=request.user,
                language=translation.get_language() or "ja",
            )
            return gettext("A test mail was sent to %(email)s.") % {"email": request.user.email}
        if name == "schedule":
            if issue.scheduled_at is None:
                raise ValidationError(gettext("Enter the sending time first, then save."))
            services.newsletter_issue_schedule(
                issue=issue, send_at=issue.scheduled_at, actor=request.user
            )
            return gettext("Scheduled for %(date)s.") % {"date": jdate(issue.scheduled_at, True)}
        if name == "send_now":
            services.newsletter_issue_schedule(
                issue=issue, send_at=timezone.now(), actor=request.user
            )
            return gettext("Sending has started. This page shows its progress.")
        if name == "cancel":
            issue = services.newsletter_issue_cancel(issue=issue, actor=request.user)
            return gettext("Done: the issue is now “%(status)s”.") % {
                "status": issue.get_status_display()
            }
        count = services.newsletter_issue_retry_failed(issue=issue, actor=request.user)
        return ngettext(
            "%(count)s failed delivery will be tried again.",
            "%(count)s failed deliveries will be tried again.",
            count,
        ) % {"count": count}


@admin.register(NewsletterDelivery)
class NewsletterDeliveryAdmin(admin.ModelAdmin):
    """The send record, read-only: who got which issue, and why a mail failed."""

    list_display = ("issue", "subscriber", "status", "attempts", "sent_at", "last_error")
    list_filter = ("status", "issue")
    search_fields = ("subscriber__email", "last_error")
    list_select_related = ("issue", "subscriber")
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SubscriberStatusFilter(admin.SimpleListFilter):
    title = _("confirmation")
    parameter_name = "stale"

    def lookups(self, request, model_admin):
        return [("pending_expired", _("Never confirmed (link expired)"))]

    def queryset(self, request, queryset):
        if self.value() == "pending_expired":
            return queryset.filter(
                status=Subscriber.Status.PENDING,
                confirmation_sent_at__lt=timezone.now() - services.confirmation_lifetime(),
            )
        return queryset


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ("email", "status", "language", "created_at", "confirmed_at", "unsubscribed_at")
    list_filter = ("status", SubscriberStatusFilter, "language", "topics", "wards")
    search_fields = ("email",)
    date_hierarchy = "created_at"
    filter_horizontal = ("topics", "wards")
    readonly_fields = (
        "email",
        "status",
        "privacy_notice_version",
        "created_at",
        "confirmation_sent_at",
        "confirmed_at",
        "unsubscribed_at",
        "unsubscribe_method",
    )
    actions = ("unsubscribe_selected",)

    def has_add_permission(self, request):
        # Only the owner of an address can subscribe it (double opt-in).
        return False

    @admin.action(description=_("Unsubscribe the selected addresses"), permissions=["change"])
    def unsubscribe_selected(self, request, queryset):
        count = sum(
            services.subscriber_unsubscribe(subscriber=subscriber, method="staff")
            for subscriber in queryset
        )
        self.message_user(
            request,
            ngettext("%(count)s address unsubscribed.", "%(count)s addresses unsubscribed.", count)
            % {"count": count},
            messages.SUCCESS,
        )
