"""Posting rules and the introduction flow, against the real database."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from organizations.models import Group, HubPost, IntroductionRequest
from organizations.services_hub import (
    hub_intro_assign,
    hub_intro_decide,
    hub_intro_request_create,
    hub_post_close,
    hub_post_create_need,
    hub_post_create_offer,
)

from .helpers import (
    GROUP_EMAIL,
    PARTNER_EMAIL,
    make_group,
    make_need,
    make_offer,
    make_partner,
    make_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def member():
    return make_user("member-a@example.com")


@pytest.fixture
def partner_user():
    return make_user("partner-a@example.com")


def test_a_member_of_a_current_group_posts_a_need(member):
    group = make_group(member=member)
    post = hub_post_create_need(user=member, group=group, title="募集", body="詳細")
    assert post.kind == HubPost.Kind.NEED
    assert post.group == group
    assert post.status == HubPost.Status.OPEN
    # The group's ward is the default place of a need.
    assert post.ward == group.ward


@pytest.mark.parametrize(
    "status, valid_days",
    [
        (Group.Status.PENDING, 100),
        (Group.Status.REJECTED, 100),
        (Group.Status.APPROVED, -1),  # lapsed
    ],
)
def test_a_group_that_is_not_approved_and_current_cannot_post(member, status, valid_days):
    group = make_group(status=status, valid_days=valid_days, member=member)
    with pytest.raises(PermissionDenied):
        hub_post_create_need(user=member, group=group, title="募集", body="詳細")
    assert not HubPost.objects.exists()


def test_a_stranger_cannot_post_for_a_group(member):
    group = make_group(member=make_user("other@example.com"))
    with pytest.raises(PermissionDenied):
        hub_post_create_need(user=member, group=group, title="募集", body="詳細")


def test_only_partner_accounts_post_offers(partner_user, member):
    partner = make_partner(user=partner_user)
    post = hub_post_create_offer(user=partner_user, partner=partner, title="提供", body="詳細")
    assert post.partner == partner
    with pytest.raises(PermissionDenied):
        hub_post_create_offer(user=member, partner=partner, title="提供", body="詳細")


def test_an_inactive_partner_cannot_post(partner_user):
    partner = make_partner(user=partner_user, active=False)
    with pytest.raises(PermissionDenied):
        hub_post_create_offer(user=partner_user, partner=partner, title="提供", body="詳細")


def test_a_date_in_the_past_is_refused(member):
    group = make_group(member=member)
    with pytest.raises(ValidationError) as info:
        hub_post_create_need(
            user=member,
            group=group,
            title="募集",
            body="詳細",
            until=timezone.localdate() - datetime.timedelta(days=1),
        )
    assert "until" in info.value.message_dict


def test_the_posting_side_closes_its_post_and_nobody_else_can(member, partner_user):
    group = make_group(member=member)
    post = make_need(group)
    with pytest.raises(PermissionDenied):
        hub_post_close(post=post, user=partner_user)
    hub_post_close(post=post, user=member)
    post.refresh_from_db()
    assert post.status == HubPost.Status.CLOSED


def test_introduction_flow_mails_coordinators_then_both_sides(
    member, partner_user, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    group = make_group(member=member)
    partner = make_partner(user=partner_user)
    offer = make_offer(partner, author=partner_user)

    with django_capture_on_commit_callbacks(execute=True):
        intro = hub_intro_request_create(
            post=offer, user=member, group=group, message="ぜひ紹介してください"
        )
    assert intro.status == IntroductionRequest.Status.NEW
    assert [mail.to for mail in mailoutbox] == [[coordinator.email], [member.email]]
    assert "ぜひ紹介してください" in mailoutbox[0].body
    # The receipt repeats nothing the requester typed.
    assert "ぜひ紹介してください" not in mailoutbox[1].body
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        hub_intro_assign(intro=intro, coordinator=coordinator)
    intro.refresh_from_db()
    assert intro.status == IntroductionRequest.Status.IN_PROGRESS
    assert intro.coordinator == coordinator
    assert mailoutbox == []

    with django_capture_on_commit_callbacks(execute=True):
        hub_intro_decide(
            intro=intro,
            coordinator=coordinator,
            outcome=IntroductionRequest.Status.INTRODUCED,
            note="来週、センターで顔合わせをしましょう。",
        )
    intro.refresh_from_db()
    assert intro.status == IntroductionRequest.Status.INTRODUCED
    assert intro.decided_at is not None
    assert sorted(mail.to[0] for mail in mailoutbox) == sorted([member.email, PARTNER_EMAIL])
    assert all("来週、センターで顔合わせをしましょう。" in mail.body for mail in mailoutbox)
    # Neither side's mail carries the other side's address: the coordinator connects them.
    requester_mail = next(mail for mail in mailoutbox if mail.to == [member.email])
    assert PARTNER_EMAIL not in requester_mail.body
    owner_mail = next(mail for mail in mailoutbox if mail.to == [PARTNER_EMAIL])
    assert member.email not in owner_mail.body


def test_a_declined_request_is_mailed_to_both_sides_and_cannot_be_decided_again(
    member, partner_user, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    group = make_group(member=member)
    need = make_need(group)
    partner = make_partner(user=partner_user)
    intro = hub_intro_request_create(post=need, user=partner_user, partner=partner, message="x")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        hub_intro_decide(
            intro=intro, coordinator=coordinator, outcome=IntroductionRequest.Status.DECLINED
        )
    assert sorted(mail.to[0] for mail in mailoutbox) == sorted([partner_user.email, GROUP_EMAIL])
    with pytest.raises(ValidationError):
        hub_intro_decide(
            intro=intro, coordinator=coordinator, outcome=IntroductionRequest.Status.INTRODUCED
        )
    with pytest.raises(ValidationError):
        hub_intro_assign(intro=intro, coordinator=coordinator)


def test_coordinators_missing_the_staff_inbox_hears_of_the_request(
    member, partner_user, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.STAFF_ALERT_EMAILS = ["inbox@example.jp"]
    group = make_group(member=member)
    offer = make_offer(make_partner(user=partner_user))
    with django_capture_on_commit_callbacks(execute=True):
        hub_intro_request_create(post=offer, user=member, group=group, message="x")
    assert mailoutbox[0].to == ["inbox@example.jp"]


def test_one_open_request_per_person_and_post(member, partner_user):
    group = make_group(member=member)
    offer = make_offer(make_partner(user=partner_user))
    hub_intro_request_create(post=offer, user=member, group=group, message="1")
    with pytest.raises(ValidationError):
        hub_intro_request_create(post=offer, user=member, group=group, message="2")
    assert IntroductionRequest.objects.count() == 1


def test_no_request_on_a_closed_or_hidden_post_or_on_ones_own(member, partner_user):
    group = make_group(member=member)
    partner = make_partner(user=partner_user)
    closed = make_offer(partner, status=HubPost.Status.CLOSED)
    hidden = make_offer(partner, is_hidden=True)
    own = make_need(group)
    for post in (closed, hidden, own):
        with pytest.raises(ValidationError):
            hub_intro_request_create(post=post, user=member, group=group, message="x")
    assert not IntroductionRequest.objects.exists()


def test_no_request_for_a_group_one_does_not_belong_to(member, partner_user):
    other_group = make_group("別の会", member=make_user("x@example.com"))
    offer = make_offer(make_partner(user=partner_user))
    with pytest.raises(PermissionDenied):
        hub_intro_request_create(post=offer, user=member, group=other_group, message="x")
