"""Yearly numbers of the information business (情報活用) for the dashboard (issue #8).

Everything is counted in the database: seven queries per call whatever the number of rows.
"""

import datetime

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from center.core.stats import BusinessStats, Figure, StatsPeriod, Table
from center.core.stats import day_start as _midnight
from center.lib.queries import counts_in_one_query
from publications.models import (
    CaseStory,
    MagazineIssue,
    NewsItem,
    NewsletterDelivery,
    NewsletterIssue,
    Pamphlet,
    Subscriber,
    TalentProfile,
)


def _next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


def _subscribed_at(moment: datetime.datetime) -> Q:
    """Confirmed before `moment` and not unsubscribed before it.

    A subscriber row keeps only its latest subscription: someone who left and confirmed
    again counts from the new confirmation (subscriber_confirm clears unsubscribed_at)."""
    return Q(confirmed_at__lt=moment) & (
        Q(unsubscribed_at__isnull=True) | Q(unsubscribed_at__gte=moment)
    )


def _stories_queryset(period: StatsPeriod, start, end):
    stories = CaseStory.objects.published().filter(published_at__gte=start, published_at__lt=end)
    if period.ward is not None:
        stories = stories.filter(ward=period.ward)
    return stories


def _stories_figure(count: int) -> Figure:
    return Figure("publications.stories_published", _("Collaboration stories published"), count)


def _newsletter(period: StatsPeriod, start, end) -> tuple[list[Figure], Table]:
    # Months that have not begun yet would only repeat today's number: left out.
    today = timezone.localdate()
    months = [month for month in period.months() if month <= today]
    month_ends = {f"m{i}": _midnight(_next_month(month)) for i, month in enumerate(months)}
    counts = Subscriber.objects.aggregate(
        at_end=Count("pk", filter=_subscribed_at(end)),
        joined=Count("pk", filter=Q(confirmed_at__gte=start, confirmed_at__lt=end)),
        # Only confirmed subscriptions: dropping a pending sign-up is not an unsubscription.
        left=Count(
            "pk",
            filter=Q(
                confirmed_at__isnull=False, unsubscribed_at__gte=start, unsubscribed_at__lt=end
            ),
        ),
        **{key: Count("pk", filter=_subscribed_at(moment)) for key, moment in month_ends.items()},
    )
    sent = NewsletterIssue.objects.aggregate(
        # distinct: the join with the deliveries repeats each issue once per recipient.
        issues=Count(
            "pk",
            distinct=True,
            filter=Q(
                status=NewsletterIssue.Status.SENT, finished_at__gte=start, finished_at__lt=end
            ),
        ),
        deliveries=Count(
            "deliveries",
            filter=Q(
                deliveries__status=NewsletterDelivery.Status.SENT,
                deliveries__sent_at__gte=start,
                deliveries__sent_at__lt=end,
            ),
        ),
    )
    figures = [
        Figure(
            "publications.newsletter_subscribers",
            _("Newsletter subscribers at the end of the period"),
            counts["at_end"],
        ),
        Figure(
            "publications.newsletter_subscribed",
            _("New newsletter subscriptions"),
            counts["joined"],
        ),
        Figure(
            "publications.newsletter_unsubscribed", _("Newsletter unsubscriptions"), counts["left"]
        ),
        Figure("publications.newsletter_issues_sent", _("Newsletter issues sent"), sent["issues"]),
        Figure(
            "publications.newsletter_deliveries_sent",
            _("Newsletter mails delivered"),
            sent["deliveries"],
        ),
    ]
    table = Table(
        "publications.newsletter_subscribers_by_month",
        _("Newsletter subscribers at the end of each month"),
        [_("Month"), _("Subscribers")],
        [
            # "2025-04": center.dashboard.collect.month_label names it in the reader's language.
            (f"{month:%Y-%m}", counts[f"m{i}"])
            for i, month in enumerate(months)
        ],
        chart="line",
    )
    return figures, table


def business_stats(period: StatsPeriod) -> list[BusinessStats]:
    """News, stories, talent bank, newsletter, magazine and pamphlets for the period.

    Three queries. For a ward only the stories tagged with that ward are reported: nothing
    else here belongs to one ward.
    """
    start, end = _midnight(period.start), _midnight(period.end_exclusive)
    if period.ward is not None:
        stories = _stories_queryset(period, start, end).aggregate(n=Count("pk"))["n"]
        return [BusinessStats("information", figures=[_stories_figure(stories)])]

    # One round trip for the five simple counts (the dashboard's query budget).
    counts = counts_in_one_query(
        news=NewsItem.objects.filter(
            is_published=True, publish_from__gte=start, publish_from__lt=end
        ),
        talent=TalentProfile.objects.published(),
        magazine=MagazineIssue.objects.published().filter(
            published_on__gte=period.start, published_on__lte=period.end
        ),
        pamphlets=Pamphlet.objects.published().filter(
            published_at__gte=start, published_at__lt=end
        ),
        stories=_stories_queryset(period, start, end),
    )
    news, talent = counts["news"], counts["talent"]
    magazine, pamphlets = counts["magazine"], counts["pamphlets"]
    newsletter_figures, newsletter_table = _newsletter(period, start, end)
    figures = [
        Figure("publications.news_published", _("News items published"), news),
        _stories_figure(counts["stories"]),
        Figure("publications.talent_profiles", _("Talent bank profiles public (now)"), talent),
        *newsletter_figures,
        Figure("publications.magazine_issues", _("Magazine issues published"), magazine),
        Figure("publications.pamphlets", _("Pamphlets published"), pamphlets),
    ]
    return [BusinessStats("information", figures=figures, tables=[newsletter_table])]
