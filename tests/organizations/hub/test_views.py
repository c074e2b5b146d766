"""The board through the client: who may post and ask, what the pages show and never show."""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from organizations.models import HubPost, IntroductionRequest

from .helpers import (
    GROUP_ADDRESS,
    GROUP_EMAIL,
    GROUP_PHONE,
    PARTNER_CONTACT,
    PARTNER_EMAIL,
    PARTNER_PHONE,
    make_group,
    make_need,
    make_offer,
    make_partner,
    make_user,
)

pytestmark = pytest.mark.django_db

BOARD = "/hub/"
CONTACT_DETAILS = (GROUP_EMAIL, GROUP_PHONE, GROUP_ADDRESS, PARTNER_EMAIL, PARTNER_PHONE)


@pytest.fixture(autouse=True)
def _empty_page_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def member():
    return make_user("member-a@example.com")


@pytest.fixture
def partner_user():
    return make_user("partner-a@example.com")


@pytest.fixture
def board(member, partner_user):
    group = make_group(member=member)
    partner = make_partner(user=partner_user)
    return {
        "group": group,
        "partner": partner,
        "need": make_need(group, author=member),
        "offer": make_offer(partner, author=partner_user),
    }


def _assert_no_contact_details(content: str) -> None:
    for detail in CONTACT_DETAILS:
        assert detail not in content, detail


def test_anyone_browses_the_board_and_a_post_without_contact_details(client, board, member):
    response = client.get(BOARD)
    assert response.status_code == 200
    assert {post.pk for post in response.context["posts"]} == {
        board["need"].pk,
        board["offer"].pk,
    }
    _assert_no_contact_details(response.content.decode())
    for post in (board["need"], board["offer"]):
        response = client.get(reverse("organizations:hub_post", args=[post.pk]))
        assert response.status_code == 200
        content = response.content.decode()
        assert post.title in content
        _assert_no_contact_details(content)
        assert PARTNER_CONTACT not in content
    # The author's account address is not shown to another signed-in person either.
    client.force_login(make_user("reader@example.com"))
    content = client.get(reverse("organizations:hub_post", args=[board["need"].pk])).content
    assert member.email not in content.decode()


def test_the_board_filters_by_kind(client, board):
    response = client.get(BOARD, {"kind": "offer"})
    assert [post.pk for post in response.context["posts"]] == [board["offer"].pk]


def test_a_forged_filter_is_a_form_error_not_a_500(client, board):
    response = client.get(BOARD, {"kind": "nonsense", "field": "abc"})
    assert response.status_code == 400
    assert response.context["form"].errors
    assert response.context["posts"] == []


def test_hidden_closed_and_expired_posts_are_gone_from_the_board(client, board):
    hidden = make_offer(board["partner"], title="非表示の投稿", is_hidden=True)
    make_offer(board["partner"], title="終了した投稿", status=HubPost.Status.CLOSED)
    make_offer(
        board["partner"],
        title="期限切れの投稿",
        until=timezone.localdate() - datetime.timedelta(days=1),
    )
    content = client.get(BOARD).content.decode()
    for title in ("非表示の投稿", "終了した投稿", "期限切れの投稿"):
        assert title not in content
    assert client.get(reverse("organizations:hub_post", args=[hidden.pk])).status_code == 404


def test_hiding_in_the_admin_drops_the_cached_board(
    client, board, center_staff, django_capture_on_commit_callbacks
):
    assert board["offer"].title in client.get(BOARD).content.decode()
    client.force_login(center_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:organizations_hubpost_changelist"),
            {"action": "hide", "_selected_action": [board["offer"].pk]},
        )
    assert response.status_code == 302
    board["offer"].refresh_from_db()
    assert board["offer"].is_hidden
    client.logout()
    assert board["offer"].title not in client.get(BOARD).content.decode()


def test_the_partner_list_shows_opted_in_partners_only_and_no_contacts(client, board):
    make_partner("非公開テスト株式会社", listed=False)
    response = client.get(reverse("organizations:hub_partners"))
    content = response.content.decode()
    assert response.status_code == 200
    assert board["partner"].name in content
    assert "非公開テスト株式会社" not in content
    _assert_no_contact_details(content)
    assert PARTNER_CONTACT not in content


@pytest.mark.parametrize("url_name", ["hub_need_new", "hub_offer_new"])
def test_anonymous_visitors_are_sent_to_sign_in_to_post(client, url_name):
    response = client.get(reverse(f"organizations:{url_name}"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_only_members_of_current_groups_get_the_need_form(client, board, member, partner_user):
    url = reverse("organizations:hub_need_new")
    client.force_login(partner_user)
    assert client.get(url).status_code == 403
    client.force_login(make_user("outsider-x@example.com"))
    assert client.get(url).status_code == 403
    lapsed_member = make_user("lapsed@example.com")
    make_group("失効した会", valid_days=-1, member=lapsed_member)
    client.force_login(lapsed_member)
    assert client.post(url, {"title": "x", "body": "y"}).status_code == 403
    client.force_login(member)
    assert client.get(url).status_code == 200


def test_only_partner_accounts_get_the_offer_form(client, board, member, partner_user):
    url = reverse("organizations:hub_offer_new")
    client.force_login(member)
    assert client.get(url).status_code == 403
    client.force_login(partner_user)
    assert client.get(url).status_code == 200


def test_a_member_posts_a_need_that_appears_on_the_board(client, board, member):
    client.force_login(member)
    response = client.post(
        reverse("organizations:hub_need_new"),
        {
            "group": board["group"].pk,
            "title": "イベント運営の手伝い",
            "body": "秋祭りの受付を手伝ってください。",
            "ward": "naka",
            "until": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
        },
    )
    post = HubPost.objects.get(title="イベント運営の手伝い")
    assert response.status_code == 302
    assert response["Location"] == reverse("organizations:hub_post", args=[post.pk])
    assert post.author == member and post.group == board["group"]
    client.logout()
    assert "イベント運営の手伝い" in client.get(BOARD).content.decode()


def test_bad_post_input_shows_errors_and_stores_nothing(client, board, member):
    client.force_login(member)
    before = HubPost.objects.count()
    response = client.post(
        "/en" + reverse("organizations:hub_need_new"),
        {
            "group": board["group"].pk,
            "title": "",
            "body": "x",
            "until": "2026-02-30",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) >= {"title", "until"}
    assert "Please correct the following" in response.content.decode()
    assert HubPost.objects.count() == before
    response = client.post(
        reverse("organizations:hub_need_new"),
        {
            "group": board["group"].pk,
            "title": "t",
            "body": "x",
            "until": (timezone.localdate() - datetime.timedelta(days=2)).isoformat(),
        },
    )
    assert "until" in response.context["form"].errors


def test_a_member_cannot_post_for_a_group_they_do_not_belong_to(client, board, member):
    other = make_group("別の会", member=make_user("someone@example.com"))
    client.force_login(member)
    response = client.post(
        reverse("organizations:hub_need_new"), {"group": other.pk, "title": "t", "body": "b"}
    )
    assert response.status_code == 200
    assert "group" in response.context["form"].errors
    assert not HubPost.objects.filter(group=other).exists()


def test_introduction_request_through_the_form(
    client, board, member, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    url = reverse("organizations:hub_introduce", args=[board["offer"].pk])
    client.force_login(member)
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"on_behalf": f"g{board['group'].pk}", "message": "紹介をお願いします"}
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("organizations:hub_mine")
    intro = IntroductionRequest.objects.get()
    assert intro.requester_group == board["group"]
    assert coordinator.email in mailoutbox[0].to
    # The requester's own view: the post and the status, no contact of the other side.
    response = client.get(reverse("organizations:hub_mine"))
    content = response.content.decode()
    assert board["offer"].title in content
    _assert_no_contact_details(content)
    assert PARTNER_CONTACT not in content


def test_introduction_form_errors(client, board, member):
    url = f"/en/hub/posts/{board['offer'].pk}/introduce/"
    client.force_login(member)
    response = client.post(url, {"on_behalf": "g999999", "message": ""})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"on_behalf", "message"}
    # Asking about one's own post is refused on the form.
    own = f"/en/hub/posts/{board['need'].pk}/introduce/"
    response = client.post(own, {"on_behalf": f"g{board['group'].pk}", "message": "x"})
    assert response.status_code == 200
    assert "This is your own post." in response.content.decode()
    assert not IntroductionRequest.objects.exists()


def test_who_may_ask_for_an_introduction(client, board):
    url = reverse("organizations:hub_introduce", args=[board["offer"].pk])
    response = client.get(url)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    client.force_login(make_user("nobody@example.com"))
    assert client.get(url).status_code == 403
    assert client.post(url, {"on_behalf": "g1", "message": "x"}).status_code == 403


def test_a_partner_asks_about_a_need(client, board, partner_user):
    client.force_login(partner_user)
    response = client.post(
        reverse("organizations:hub_introduce", args=[board["need"].pk]),
        {"on_behalf": f"p{board['partner'].pk}", "message": "学生と参加したいです"},
    )
    assert response.status_code == 302
    assert IntroductionRequest.objects.get().requester_partner == board["partner"]


def test_the_owner_closes_a_post_from_their_page(client, board, member, partner_user):
    url = reverse("organizations:hub_post_close", args=[board["need"].pk])
    client.force_login(partner_user)
    assert client.post(url).status_code == 404
    client.force_login(member)
    response = client.post(url)
    assert response.status_code == 302
    board["need"].refresh_from_db()
    assert board["need"].status == HubPost.Status.CLOSED


def test_english_pages(client, board):
    for path in (BOARD, f"/hub/posts/{board['offer'].pk}/", "/hub/partners/"):
        response = client.get("/en" + path)
        assert response.status_code == 200
        assert '<html lang="en">' in response.content.decode()


def test_the_board_costs_a_constant_number_of_queries(client, board, django_assert_max_num_queries):
    for number in range(10):
        make_offer(board["partner"], title=f"提供 {number}")
    with django_assert_max_num_queries(12):
        response = client.get(BOARD, {"kind": "offer"})
    assert len(response.context["posts"]) == 11
