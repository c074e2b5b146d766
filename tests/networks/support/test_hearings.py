"""Hearings: one per ward center and fiscal year, answers that keep their question, and the
same question compared year over year."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from networks import services_support as services
from networks.models import Hearing, HearingQuestion
from networks.selectors_support import hearing_comparison

from . import make_hearing, ward_center

pytestmark = pytest.mark.django_db


def test_the_default_template_holds_the_center_questions():
    texts = list(HearingQuestion.objects.values_list("text", flat=True))
    assert texts[:4] == ["運営状況", "実施事業", "課題", "必要な支援"]


def test_a_hearing_gets_one_answer_per_question_in_use():
    HearingQuestion.objects.filter(key="other").update(is_active=False)
    hearing = make_hearing("tsurumi", 2025)
    keys = list(hearing.answers.values_list("question_key", flat=True))
    assert "other" not in keys
    assert keys[:4] == ["operations", "programs", "issues", "support_needed"]


def test_a_second_hearing_of_the_same_center_and_year_is_refused():
    make_hearing("tsurumi", 2025)
    with pytest.raises(ValidationError):
        make_hearing("tsurumi", 2025)
    # The constraint holds even when the service's check is bypassed.
    with pytest.raises(IntegrityError), transaction.atomic():
        Hearing.objects.create(
            ward_center=ward_center("tsurumi"), fiscal_year=2025, held_on=datetime.date(2025, 7, 1)
        )
    make_hearing("tsurumi", 2026)  # another year is fine
    assert Hearing.objects.count() == 2


def test_old_answers_keep_the_question_they_answered_after_the_template_changes():
    old = make_hearing("tsurumi", 2024)
    HearingQuestion.objects.filter(key="issues").update(text="今年度の課題")
    new = make_hearing("tsurumi", 2025)
    assert old.answers.get(question_key="issues").question_text == "課題"
    assert new.answers.get(question_key="issues").question_text == "今年度の課題"


def test_the_comparison_lines_up_the_same_question_over_the_years():
    make_hearing("tsurumi", 2024, issues="担い手不足")
    HearingQuestion.objects.filter(key="issues").update(text="今年度の課題")
    make_hearing("tsurumi", 2025, issues="オンライン相談の増加")
    make_hearing("naka", 2025, issues="中区の課題")
    years, rows = hearing_comparison(ward_center=ward_center("tsurumi"))
    assert years == [2024, 2025]
    issues = next(row for row in rows if row.key == "issues")
    assert issues.question == "今年度の課題"  # the latest wording
    assert issues.answers == [(2024, "担い手不足"), (2025, "オンライン相談の増加")]


def test_the_comparison_page_shows_each_year_in_a_column(client, tsurumi_staff):
    make_hearing("tsurumi", 2024, issues="担い手不足")
    make_hearing("tsurumi", 2025, issues="オンライン相談の増加")
    client.force_login(tsurumi_staff)
    page = client.get("/en/network/hearings/compare/tsurumi/").text
    assert 'data-year="2024">担い手不足' in page
    assert 'data-year="2025">オンライン相談の増加' in page
    assert "FY2024" in page


def test_ward_staff_list_only_their_own_wards_hearings(client, tsurumi_staff, center_staff):
    mine = make_hearing("tsurumi")
    other = make_hearing("naka")
    client.force_login(tsurumi_staff)
    assert list(client.get("/en/network/hearings/").context["hearings"]) == [mine]
    client.force_login(center_staff)
    assert set(client.get("/en/network/hearings/").context["hearings"]) == {mine, other}


def test_center_staff_record_a_hearing_in_the_admin_and_the_answers_follow(client, center_staff):
    client.force_login(center_staff)
    center = ward_center("naka")
    response = client.post(
        "/admin/networks/hearing/add/",
        {
            "ward_center": center.pk,
            "fiscal_year": 2026,
            "held_on": "2026-07-01",
            "attendees": "",
            "summary": "",
            "answers-TOTAL_FORMS": "0",
            "answers-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    hearing = Hearing.objects.get(ward_center=center, fiscal_year=2026)
    assert hearing.answers.count() == HearingQuestion.objects.filter(is_active=True).count()
    assert client.get(response["Location"]).status_code == 200


def test_the_admin_refuses_a_duplicate_hearing_with_a_message(client, center_staff):
    client.force_login(center_staff)
    make_hearing("naka", 2026)
    response = client.post(
        "/admin/networks/hearing/add/",
        {
            "ward_center": ward_center("naka").pk,
            "fiscal_year": 2026,
            "held_on": "2026-07-01",
            "answers-TOTAL_FORMS": "0",
            "answers-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert Hearing.objects.count() == 1


def test_services_hearing_answers_fill_is_idempotent():
    hearing = make_hearing("tsurumi")
    assert services.hearing_answers_fill(hearing=hearing) == 0


def test_only_center_staff_get_the_edit_link(client, tsurumi_staff, center_staff):
    hearing = make_hearing("tsurumi")
    edit_link = f"/admin/networks/hearing/{hearing.pk}/change/"
    client.force_login(tsurumi_staff)
    assert edit_link not in client.get(f"/en/network/hearings/{hearing.pk}/").text
    client.force_login(center_staff)
    assert edit_link in client.get(f"/en/network/hearings/{hearing.pk}/").text
