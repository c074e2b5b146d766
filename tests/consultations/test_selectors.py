"""Who sees which consultation: one selector decides for the admin, the views and the export."""

import itertools

import pytest
from django.http import Http404
from django.utils import timezone

from center.core.models import Ward
from consultations import selectors, services
from consultations.models import CaseEvent, Consultation, RequesterType, Topic

_numbers = itertools.count(1)


def make_case(**fields) -> Consultation:
    """A case written straight to the table (fast enough for list pages with many rows).

    Tests that need the timeline or the mails submit through the service instead.
    """
    number = next(_numbers)
    values = {
        "reference": f"S2026-{number:04d}",
        "fiscal_year": 2026,
        "requester_type": RequesterType.NPO,
        "topic": Topic.ACTIVITY,
        "title": f"活動場所についての相談{number}",
        "body": "詳しい内容",
        "family_name": "山田",
        "given_name": "花子",
        "family_name_kana": "ヤマダ",
        "given_name_kana": "ハナコ",
        "organization_name": "みなと子ども食堂",
        "email": "hanako@example.com",
        "phone": "045-671-0000",
        "privacy_notice_version": services.PRIVACY_NOTICE_VERSION,
        "created_at": timezone.now(),
        "last_activity_at": timezone.now(),
    }
    values.update(fields)
    return Consultation.objects.create(**values)


def ward(code: str) -> Ward:
    return Ward.objects.get(code=code)


@pytest.fixture
def cases(db, coordinator):
    """One case of each kind of visibility."""
    tsurumi = ward("tsurumi")
    return {
        "plain": make_case(),
        "assigned": make_case(assignee=coordinator),
        "shared": make_case(shared_with_city=True),
        "tsurumi": make_case(referred_ward=tsurumi),
        "tsurumi_contact": make_case(referred_ward=tsurumi, referral_shares_contact=True),
        "naka": make_case(referred_ward=ward("naka")),
        "quarantined": make_case(
            quarantined=True,
            quarantine_reason="honeypot",
            assignee=coordinator,
            shared_with_city=True,
            referred_ward=tsurumi,
        ),
    }


def visible(user, cases) -> set[str]:
    by_pk = {case.pk: name for name, case in cases.items()}
    return {
        by_pk[pk]
        for pk in selectors.consultations_visible_to(user=user).values_list("pk", flat=True)
    }


def test_center_staff_see_every_case_quarantined_included(center_staff, cases):
    assert visible(center_staff, cases) == set(cases)


def test_coordinators_see_only_the_cases_assigned_to_them(coordinator, cases):
    assert visible(coordinator, cases) == {"assigned"}


def test_city_staff_see_only_cases_shared_with_the_city(city_staff, cases):
    assert visible(city_staff, cases) == {"shared"}


def test_ward_staff_see_only_cases_referred_to_their_own_ward(tsurumi_staff, naka_staff, cases):
    assert visible(tsurumi_staff, cases) == {"tsurumi", "tsurumi_contact"}
    assert visible(naka_staff, cases) == {"naka"}


@pytest.mark.parametrize("persona", ["outsider", "org_member"])
def test_people_without_a_case_role_see_nothing(request, cases, persona):
    assert visible(request.getfixturevalue(persona), cases) == set()


def test_anonymous_visitors_see_nothing(cases):
    from django.contrib.auth.models import AnonymousUser

    assert visible(AnonymousUser(), cases) == set()


def test_quarantined_cases_are_hidden_from_every_role_but_center_staff(
    coordinator, city_staff, tsurumi_staff, cases
):
    # The quarantined case is assigned, shared and referred: still nobody else sees it.
    for user in (coordinator, city_staff, tsurumi_staff):
        assert "quarantined" not in visible(user, cases)


def test_a_case_of_another_ward_is_a_404_for_ward_staff(naka_staff, cases):
    with pytest.raises(Http404):
        selectors.consultation_get_for_user(user=naka_staff, pk=cases["tsurumi"].pk)


def test_a_case_not_assigned_to_a_coordinator_is_a_404(coordinator, cases):
    with pytest.raises(Http404):
        selectors.consultation_get_for_user(user=coordinator, pk=cases["plain"].pk)
    assert selectors.consultation_get_for_user(user=coordinator, pk=cases["assigned"].pk)


@pytest.mark.parametrize("pk", ["x", None, -1])
def test_a_malformed_id_is_a_404_not_an_error(center_staff, pk):
    with pytest.raises(Http404):
        selectors.consultation_get_for_user(user=center_staff, pk=pk)


def test_ward_staff_see_contact_details_only_when_the_referral_says_so(tsurumi_staff, cases):
    assert not selectors.contact_details_visible(user=tsurumi_staff, consultation=cases["tsurumi"])
    assert selectors.contact_details_visible(
        user=tsurumi_staff, consultation=cases["tsurumi_contact"]
    )


def test_internal_notes_never_reach_the_public_timeline(center_staff, cases):
    case = cases["plain"]
    services.consultation_add_note(consultation=case, actor=center_staff, text="内部メモ: 要注意")
    services.consultation_reply(
        consultation=case, actor=center_staff, text="ご相談ありがとうございます"
    )
    services.consultation_change_status(consultation=case, status="in_progress", actor=center_staff)
    public = list(selectors.public_timeline(consultation=case))
    assert [event.kind for event in public] == [CaseEvent.Kind.PUBLIC_REPLY, CaseEvent.Kind.STATUS]
    assert all("内部メモ" not in event.text for event in public)
