"""メルマガ newsletter pages: subscribe, confirm, preferences, unsubscribe, archive.

The links in mails carry signed tokens: a forged or unknown token is a 404. The
unsubscribe address also takes RFC 8058 one-click POSTs, which mail providers send with no
cookie and no CSRF token, so it is CSRF-exempt (the token is the authority) and answers
200 with no redirect.
"""

import re

from django.conf import settings
from django.core import signing
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from center.core.cache import public_cache, without_query
from center.lib.text import plain_text

from ..forms_newsletter import PreferencesForm, SubscribeForm
from ..models import Subscriber
from ..selectors.newsletter import newsletter_archive, newsletter_issue_get_for_user
from ..services.newsletter import (
    PRIVACY_NOTICE_VERSION,
    subscriber_confirm,
    subscriber_from_confirmation_token,
    subscriber_from_manage_token,
    subscriber_subscribe,
    subscriber_unsubscribe,
    subscriber_update_preferences,
)

ISSUES_PER_PAGE = 20
_PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,5}")
RECENT_ISSUES = 5


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def newsletter_home(request):
    """What the newsletter is, the subscribe form and the latest issues."""
    form = SubscribeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # A bot that filled the honeypot sees the same page and nothing is stored.
        if not form.is_spam():
            subscriber_subscribe(
                email=form.cleaned_data["email"],
                language=request.LANGUAGE_CODE,
                **form.service_choices(),
            )
        return redirect("publications:newsletter_subscribed")
    context = {
        "form": form,
        "recent_issues": newsletter_archive()[:RECENT_ISSUES],
        "privacy_notice_version": PRIVACY_NOTICE_VERSION,
    }
    return render(
        request,
        "publications/newsletter_home.html",
        context,
        status=400 if form.is_bound else 200,
    )


@require_safe
@public_cache(when=without_query)
def newsletter_subscribed(request):
    return render(
        request,
        "publications/newsletter_subscribed.html",
        {"hours": settings.NEWSLETTER_CONFIRMATION_HOURS},
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def newsletter_confirm(request, token: str):
    """GET shows a button, POST confirms: mail scanners that open every link must not
    subscribe anyone."""
    try:
        subscriber = subscriber_from_confirmation_token(token)
    except signing.SignatureExpired:
        return render(request, "publications/newsletter_link_expired.html", status=410)
    except (signing.BadSignature, ValueError, Subscriber.DoesNotExist):
        raise Http404 from None
    if subscriber.status == Subscriber.Status.UNSUBSCRIBED:
        return render(request, "publications/newsletter_link_expired.html", status=410)
    confirmed = subscriber.status == Subscriber.Status.ACTIVE
    if request.method == "POST" and not confirmed:
        subscriber_confirm(subscriber=subscriber)
        confirmed = True
    return render(
        request,
        "publications/newsletter_confirm.html",
        {"subscriber": subscriber, "confirmed": confirmed, "token": token},
    )


def _subscriber_or_404(token: str) -> Subscriber:
    try:
        return subscriber_from_manage_token(token)
    except (signing.BadSignature, ValueError, Subscriber.DoesNotExist):
        raise Http404 from None


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def newsletter_preferences(request, token: str):
    subscriber = _subscriber_or_404(token)
    saved = False
    if request.method == "POST" and subscriber.status == Subscriber.Status.ACTIVE:
        form = PreferencesForm(request.POST)
        if form.is_valid():
            subscriber_update_preferences(
                subscriber=subscriber,
                language=form.cleaned_data["language"],
                **form.service_choices(),
            )
            saved = True
    else:
        form = PreferencesForm(
            initial={
                "topics": list(subscriber.topics.all()),
                "wards": list(subscriber.wards.all()),
                "language": subscriber.language,
            }
        )
    response = render(
        request,
        "publications/newsletter_preferences.html",
        {"subscriber": subscriber, "form": form, "saved": saved, "token": token},
        status=400 if form.is_bound and not form.is_valid() else 200,
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def newsletter_unsubscribe(request, token: str):
    """GET: a page with one button. POST (that button, or a mail client's RFC 8058
    one-click request): unsubscribe and answer 200 on the spot."""
    subscriber = _subscriber_or_404(token)
    done = subscriber.status == Subscriber.Status.UNSUBSCRIBED
    if request.method == "POST":
        one_click = request.POST.get("List-Unsubscribe") == "One-Click"
        subscriber_unsubscribe(subscriber=subscriber, method="one-click" if one_click else "page")
        done = True
    response = render(
        request,
        "publications/newsletter_unsubscribe.html",
        {"subscriber": subscriber, "done": done, "token": token},
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _archive_query_is_ours(request) -> bool:
    """Only ?page=<n>, the archive's own links, is cached: junk never fills the cache."""
    params = request.GET
    if not params:
        return True
    return set(params) == {"page"} and bool(_PAGE_NUMBER.fullmatch(params.get("page", "")))


@require_safe
@public_cache(when=_archive_query_is_ours)
def newsletter_archive_list(request):
    paginator = Paginator(newsletter_archive(), ISSUES_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "publications/newsletter_archive.html", {"page": page})


@require_safe
@public_cache(when=without_query)
def newsletter_issue(request, pk: int):
    issue_page = newsletter_issue_get_for_user(user=request.user, pk=pk)
    issue = issue_page.issue
    language = request.LANGUAGE_CODE
    context = {
        "issue": issue,
        "subject": issue.subject_in(language),
        "body": issue.body_in(language),
        "subject_language": issue.subject_language(language),
        "body_language": issue.body_language(language),
        "is_preview": issue_page.is_preview,
        "description": plain_text(issue.body_in(language), 160),
    }
    response = render(request, "publications/newsletter_issue.html", context)
    if issue_page.is_preview:
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex, nofollow"
    return response
