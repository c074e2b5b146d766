"""The dashboard's numbers of the information business, counted by hand on a small year."""

import datetime
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from center.core.models import Ward
from center.core.stats import StatsPeriod
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
from publications.stats import business_stats
from tests.publications.test_newsletter import make_issue, make_subscriber
from tests.publications.test_stories import make_story

pytestmark = pytest.mark.django_db

TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")
FY2025 = StatsPeriod(datetime.date(2025, 4, 1), datetime.date(2026, 3, 31))
Q1_2025 = StatsPeriod(datetime.date(2025, 4, 1), datetime.date(2025, 6, 30))
Active, Pending = Subscriber.Status.ACTIVE, Subscriber.Status.PENDING
Unsubscribed = Subscriber.Status.UNSUBSCRIBED


def at(year, month, day, hour=10, minute=0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=TOKYO)


def subscriber(name, status=Active, *, confirmed=None, left=None):
    return make_subscriber(
        f"{name}@example.jp", status=status, confirmed_at=confirmed, unsubscribed_at=left
    )


def sent_issue(finished, recipients, *, status=NewsletterIssue.Status.SENT):
    """An issue and its delivery rows: (subscriber, delivery status)."""
    issue = make_issue(status=status, finished_at=finished)
    for person, delivery_status in recipients:
        NewsletterDelivery.objects.create(
            issue=issue,
            subscriber=person,
            status=delivery_status,
            sent_at=finished if delivery_status == NewsletterDelivery.Status.SENT else None,
        )
    return issue


def news(title, published_from, *, published=True):
    return NewsItem.objects.create(title=title, is_published=published, publish_from=published_from)


def story(title, published, *, ward_code, status=CaseStory.Status.PUBLISHED):
    made = make_story(title, status=status, ward_code=ward_code)
    CaseStory.objects.filter(pk=made.pk).update(published_at=published)
    return made


def talent(name, *, published=True, consent=True, withdrawn=False):
    return TalentProfile.objects.create(
        name=name,
        name_kana=name,
        is_published=published,
        consent_given_at=at(2024, 4, 1) if consent else None,
        consent_withdrawn_at=at(2025, 1, 1) if withdrawn else None,
    )


@pytest.fixture
def year():
    """Fiscal year 2025 (2025-04-01 to 2026-03-31)."""
    sent, failed, skipped = (
        NewsletterDelivery.Status.SENT,
        NewsletterDelivery.Status.FAILED,
        NewsletterDelivery.Status.SKIPPED,
    )
    s1 = subscriber("s1", confirmed=at(2024, 12, 1))
    s2 = subscriber("s2", confirmed=at(2025, 4, 15))
    s3 = subscriber("s3", Unsubscribed, confirmed=at(2025, 5, 20), left=at(2025, 8, 10))
    s4 = subscriber("s4", Unsubscribed, confirmed=at(2024, 6, 1), left=at(2026, 2, 1))
    # Signed up, never confirmed, then dropped: neither a subscriber nor an unsubscription.
    subscriber("s5", Unsubscribed, left=at(2025, 7, 1))
    subscriber("s6", confirmed=at(2026, 4, 1, 0, 0))  # the first minute of the next year
    subscriber("s7", confirmed=at(2026, 3, 31, 23, 50))  # the last minutes of this one
    s8 = subscriber("s8", confirmed=at(2025, 3, 31, 23, 59))  # the last minute of the last
    subscriber("s9", Pending)

    sent_issue(at(2025, 5, 10), [(s1, sent), (s2, sent), (s4, sent), (s8, failed)])
    sent_issue(at(2025, 11, 1), [(s1, sent), (s2, sent), (s3, skipped)])
    sent_issue(at(2026, 4, 2), [(s1, sent)])  # next year
    make_issue(status=NewsletterIssue.Status.DRAFT)

    news("年度初めのお知らせ", at(2025, 4, 1, 0, 0))
    news("フェスのお知らせ", at(2025, 9, 1))
    news("下書き", at(2025, 10, 1), published=False)
    news("来年度", at(2026, 4, 1, 0, 0))
    news("前年度", at(2025, 3, 31, 23, 59))

    story("中区の事例", at(2025, 5, 1), ward_code="naka")
    story("鶴見区の事例", at(2025, 10, 10), ward_code="tsurumi")
    story("取り下げ", at(2025, 6, 1), ward_code="naka", status=CaseStory.Status.WITHDRAWN)
    story("前年度の事例", at(2024, 12, 1), ward_code="naka")
    story("全市の事例", at(2025, 7, 7), ward_code=None)

    talent("公開 一郎")
    talent("撤回 二郎", withdrawn=True)
    talent("非公開 三郎", published=False)
    talent("同意なし 四郎", consent=False)
    talent("公開 五郎")

    def magazine(number, published_on, status=MagazineIssue.Status.PUBLISHED):
        MagazineIssue.objects.create(
            number=number, season="2025年 夏号", title="特集", status=status,
            published_on=published_on,
        )  # fmt: skip

    magazine(1, datetime.date(2025, 6, 15))
    magazine(2, datetime.date(2026, 4, 10))
    magazine(3, datetime.date(2025, 7, 1), MagazineIssue.Status.DRAFT)
    Pamphlet.objects.create(
        title="センター案内", summary="概要", is_published=True, published_at=at(2025, 8, 1)
    )
    Pamphlet.objects.create(title="準備中", summary="概要", is_published=False)


def information(period) -> object:
    with translation.override("en"):
        (stats,) = business_stats(period)
    assert stats.business == "information"
    return stats


def figures(stats) -> dict:
    return {figure.key: figure.value for figure in stats.figures}


def test_a_fiscal_year_counts_what_was_published_and_sent(year):
    assert figures(information(FY2025)) == {
        "publications.news_published": 2,
        "publications.stories_published": 3,  # not the withdrawn one, not last year's
        "publications.talent_profiles": 2,
        "publications.newsletter_subscribers": 4,  # s1, s2, s7, s8
        "publications.newsletter_subscribed": 3,  # s2, s3, s7
        "publications.newsletter_unsubscribed": 2,  # s3, s4
        "publications.newsletter_issues_sent": 2,
        "publications.newsletter_deliveries_sent": 5,
        "publications.magazine_issues": 1,
        "publications.pamphlets": 1,
    }


def test_subscribers_at_the_end_of_each_month_make_a_line(year):
    (table,) = information(FY2025).tables
    assert table.chart == "line"
    assert table.columns == ["Month", "Subscribers"]
    assert table.rows == [
        ("2025-04", 4),  # s1, s2, s4, s8
        ("2025-05", 5),  # + s3
        ("2025-06", 5),
        ("2025-07", 5),
        ("2025-08", 4),  # s3 left
        ("2025-09", 4),
        ("2025-10", 4),
        ("2025-11", 4),
        ("2025-12", 4),
        ("2026-01", 4),
        ("2026-02", 3),  # s4 left on February 1
        ("2026-03", 4),  # s7 joined on the last evening
    ]


def test_a_quarter_counts_only_its_own_three_months(year):
    stats = information(Q1_2025)
    assert figures(stats) == {
        "publications.news_published": 1,
        "publications.stories_published": 1,
        "publications.talent_profiles": 2,
        "publications.newsletter_subscribers": 5,
        "publications.newsletter_subscribed": 2,
        "publications.newsletter_unsubscribed": 0,
        "publications.newsletter_issues_sent": 1,
        "publications.newsletter_deliveries_sent": 3,
        "publications.magazine_issues": 1,
        "publications.pamphlets": 0,
    }
    assert [count for _month, count in stats.tables[0].rows] == [4, 5, 5]


def test_months_that_have_not_begun_are_left_out(year, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: datetime.date(2025, 6, 15))
    (table,) = information(FY2025).tables
    assert [month for month, _count in table.rows] == ["2025-04", "2025-05", "2025-06"]


def test_a_ward_sees_only_the_stories_of_its_ward(year):
    naka = StatsPeriod(FY2025.start, FY2025.end, Ward.objects.get(code="naka"))
    stats = information(naka)
    assert figures(stats) == {"publications.stories_published": 1}
    assert stats.tables == []


def test_labels_are_english_msgids_and_months_are_year_month(year):
    stats = information(Q1_2025)
    assert stats.figures[0].label == "News items published"
    assert stats.tables[0].title == "Newsletter subscribers at the end of each month"
    assert stats.tables[0].rows[0] == ("2025-04", 4)


def test_an_empty_year_is_all_zeros(db):
    stats = information(FY2025)
    assert set(figures(stats).values()) == {0}
    assert {count for _month, count in stats.tables[0].rows} == {0}


def test_the_number_of_queries_does_not_grow_with_the_rows(
    year, django_assert_max_num_queries, django_assert_num_queries
):
    with django_assert_max_num_queries(3):
        business_stats(FY2025)
    naka = Ward.objects.get(code="naka")
    with django_assert_num_queries(1):
        business_stats(StatsPeriod(FY2025.start, FY2025.end, naka))
    with CaptureQueriesContext(connection) as before:
        business_stats(FY2025)
    people = [subscriber(f"more{n}", confirmed=at(2025, 6, 1 + n)) for n in range(5)]
    sent_issue(at(2025, 7, 1), [(person, NewsletterDelivery.Status.SENT) for person in people])
    for n in range(5):
        news(f"追加{n}", at(2025, 7, 1 + n))
        story(f"追加{n}", at(2025, 7, 1 + n), ward_code="naka")
    with CaptureQueriesContext(connection) as after:
        business_stats(FY2025)
    assert len(after) == len(before)
    assert figures(information(FY2025))["publications.newsletter_deliveries_sent"] == 10
