"""Group pages through the client: apply (with bad input), my group, isolation between
groups, documents, invitations, renewal, and the public directory."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from organizations.models import Group, GroupDocument, GroupMembership
from organizations.services_groups import group_approve, invitation_create

from .helpers import (
    SECRET_ADDRESS,
    SECRET_CONTACT,
    SECRET_EMAIL,
    SECRET_PHONE,
    application_data,
    make_group,
    make_user,
    pdf,
)

pytestmark = pytest.mark.django_db
APPLY = "/en/groups/apply/"


# Apply ------------------------------------------------------------------------------------


def test_the_application_form_asks_anonymous_visitors_to_sign_in(client):
    response = client.get("/groups/apply/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_signed_in_person_applies_and_sees_the_group_as_under_review(client, outsider):
    client.force_login(outsider)
    response = client.post(APPLY, application_data())
    group = Group.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/en/groups/mine/{group.pk}/"
    assert group.postal_code == "231-0023"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "waiting for review" in page.content.decode()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"postal_code": "231-002"}, "postal_code"),
        ({"postal_code": "abcdefg"}, "postal_code"),
        ({"member_count": "十二"}, "member_count"),
        ({"member_count": "0"}, "member_count"),
        ({"fields": []}, "fields"),
        ({"ward": "9999"}, "ward"),
        ({"kind": "club"}, "kind"),
        ({"name_kana": "Aozora 会"}, "name_kana"),
        ({"contact_email": "not-an-address"}, "contact_email"),
        ({"rules_document": None}, "rules_document"),
        (
            {"rules_document": SimpleUploadedFile("kiyaku.pdf", b"MZ\x90\x00 not a pdf")},
            "rules_document",
        ),
        (
            {"roster_document": SimpleUploadedFile("meibo.xlsx", b"<html><script>x</script>")},
            "roster_document",
        ),
        (
            {"rules_document": SimpleUploadedFile("cut.pdf", b"%PDF-1.4\n1 0 obj")},
            "rules_document",
        ),
    ],
)
def test_bad_input_gets_a_message_on_the_form_and_stores_nothing(
    client, outsider, overrides, field
):
    client.force_login(outsider)
    response = client.post(APPLY, application_data(**overrides))
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    html = response.content.decode()
    assert "error-summary" in html
    # What was typed is kept on the form.
    assert "青空 花子" in html
    assert not Group.objects.exists()
    assert not GroupDocument.objects.exists()


def test_a_document_over_the_size_limit_is_refused(client, outsider, monkeypatch):
    monkeypatch.setattr("organizations.forms_groups.MAX_DOCUMENT_BYTES", 10)
    client.force_login(outsider)
    response = client.post(APPLY, application_data())
    assert "rules_document" in response.context["form"].errors
    assert not Group.objects.exists()


# My group and isolation -------------------------------------------------------------------


@pytest.fixture
def two_groups(db):
    alice = make_user("alice@example.com")
    bob = make_user("bob@example.com")
    group_a = make_group("Aの会", admin=alice)
    group_b = make_group("Bの会", admin=bob)
    document = GroupDocument(
        group=group_b,
        kind="rules",
        original_name="B規約.pdf",
        content_type="application/pdf",
        size=10,
    )
    document.file.save("b.pdf", pdf(), save=False)
    document.save()
    return alice, bob, group_a, group_b, document


def test_a_member_of_group_a_gets_404_for_everything_of_group_b(client, two_groups):
    alice, _bob, _group_a, group_b, document = two_groups
    client.force_login(alice)
    base = f"/en/groups/mine/{group_b.pk}/"
    assert client.get(base).status_code == 404
    assert client.get(base + "edit/").status_code == 404
    assert client.post(base + "edit/", application_data(name="乗っ取り")).status_code == 404
    assert client.get(base + f"documents/{document.pk}/").status_code == 404
    assert client.post(base + "renew/").status_code == 404
    assert client.post(base + "invite/", {"email": "x@example.com"}).status_code == 404
    membership = group_b.memberships.get()
    assert client.post(base + f"members/{membership.pk}/remove/").status_code == 404
    group_b.refresh_from_db()
    assert group_b.name == "Bの会"
    assert group_b.memberships.count() == 1
    assert not group_b.invitations.exists()


def test_a_document_of_group_a_is_not_reachable_through_group_a_s_address(client, two_groups):
    alice, _bob, group_a, _group_b, document = two_groups
    client.force_login(alice)
    response = client.get(f"/en/groups/mine/{group_a.pk}/documents/{document.pk}/")
    assert response.status_code == 404


def test_a_member_downloads_their_own_group_s_document(client, two_groups):
    _alice, bob, _group_a, group_b, document = two_groups
    client.force_login(bob)
    response = client.get(f"/en/groups/mine/{group_b.pk}/documents/{document.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]


def test_a_member_edits_their_group(client, two_groups):
    alice, _bob, group_a, _group_b, _document = two_groups
    client.force_login(alice)
    data = application_data(name="Aの会（新）", postal_code="2310005")
    data.pop("rules_document")
    data.pop("roster_document")
    response = client.post(f"/en/groups/mine/{group_a.pk}/edit/", data)
    assert response.status_code == 302
    group_a.refresh_from_db()
    assert group_a.name == "Aの会（新）"
    assert group_a.postal_code == "231-0005"


def test_my_groups_lists_only_mine_and_shows_a_lapsed_group_as_lapsed(client):
    user = make_user("u@example.com")
    make_group("今の会", admin=user)
    lapsed = make_group(
        "切れた会", admin=user, valid_until=timezone.localdate() - datetime.timedelta(days=1)
    )
    make_group("他人の会")
    client.force_login(user)
    html = client.get("/en/groups/mine/").content.decode()
    assert "今の会" in html and "切れた会" in html and "他人の会" not in html
    detail = client.get(f"/en/groups/mine/{lapsed.pk}/").content.decode()
    assert 'id="lapsed-notice"' in detail
    assert 'id="renew-button"' in detail


def test_the_renew_button_extends_the_registration(client):
    user = make_user("u@example.com")
    today = timezone.localdate()
    group = make_group(admin=user, valid_until=today - datetime.timedelta(days=1))
    client.force_login(user)
    response = client.post(f"/en/groups/mine/{group.pk}/renew/")
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.valid_until >= today
    assert group.valid_until.month == 3 and group.valid_until.day == 31


def test_an_invitation_link_lets_a_signed_in_person_join(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    admin = make_user("admin@example.com")
    group = make_group(admin=admin)
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/en/groups/mine/{group.pk}/invite/", {"email": "new@example.com"})
    assert response.status_code == 302
    link = next(line for line in mailoutbox[0].body.splitlines() if "/groups/invitation/" in line)
    path = link.strip().split("testserver", 1)[-1].split("example.jp", 1)[-1]
    path = path[path.index("/") :] if not path.startswith("/") else path
    invitee = make_user("new@example.com")
    client.force_login(invitee)
    assert client.get(path).status_code == 200
    response = client.post(path)
    assert response.status_code == 302
    assert GroupMembership.objects.filter(group=group, user=invitee).exists()
    assert client.get(path).status_code == 404


def test_a_plain_member_cannot_remove_the_admin(client):
    admin = make_user("admin@example.com")
    member = make_user("m@example.com")
    group = make_group(admin=admin, member=member)
    client.force_login(member)
    admin_membership = group.memberships.get(user=admin)
    response = client.post(f"/en/groups/mine/{group.pk}/members/{admin_membership.pk}/remove/")
    assert response.status_code == 404
    assert group.memberships.count() == 2


def test_an_admin_removes_a_member(client):
    admin = make_user("admin@example.com")
    member = make_user("m@example.com")
    group = make_group(admin=admin, member=member)
    client.force_login(admin)
    membership = group.memberships.get(user=member)
    response = client.post(f"/en/groups/mine/{group.pk}/members/{membership.pk}/remove/")
    assert response.status_code == 302
    assert list(group.memberships.values_list("user__email", flat=True)) == [admin.email]


# Directory --------------------------------------------------------------------------------


def names(response) -> list[str]:
    return [group.name for group in response.context["groups"]]


def test_the_directory_shows_only_approved_current_listed_groups(client):
    make_group("登録の会")
    make_group("審査中の会", status=Group.Status.PENDING)
    make_group("却下の会", status=Group.Status.REJECTED)
    make_group("非公開の会", listed=False)
    make_group("期限切れの会", valid_until=timezone.localdate() - datetime.timedelta(days=1))
    response = client.get("/en/groups/")
    assert response.status_code == 200
    assert names(response) == ["登録の会"]


def test_the_directory_and_group_page_never_show_contact_details(client):
    group = make_group("登録の会")
    for path in ("/groups/", f"/groups/{group.pk}/", "/en/groups/", f"/en/groups/{group.pk}/"):
        html = client.get(path).content.decode()
        assert "登録の会" in html
        for secret in (SECRET_EMAIL, SECRET_PHONE, SECRET_ADDRESS, SECRET_CONTACT, "231-0001"):
            assert secret not in html, (path, secret)


@pytest.mark.parametrize(
    "status", [Group.Status.PENDING, Group.Status.REJECTED, Group.Status.NEEDS_INFO]
)
def test_the_page_of_a_group_not_in_the_directory_is_404(client, status):
    group = make_group(status=status)
    assert client.get(f"/en/groups/{group.pk}/").status_code == 404


def test_directory_filters_by_field_ward_sdg_and_kind(client):
    from center.core.models import SdgGoal

    children = make_group(
        "こどもの会", fields=(13,), ward="tsurumi", kind=Group.Kind.NPO_CORPORATION
    )
    children.sdgs.set(SdgGoal.objects.filter(number=4))
    make_group("川の会", fields=(7,), ward="naka")
    assert names(client.get("/en/groups/?field=13")) == ["こどもの会"]
    assert names(client.get("/en/groups/?ward=naka")) == ["川の会"]
    assert names(client.get("/en/groups/?sdg=4")) == ["こどもの会"]
    assert names(client.get("/en/groups/?kind=npo")) == ["こどもの会"]
    assert names(client.get("/en/groups/?field=13&ward=naka")) == []


def test_a_bad_filter_is_a_400_with_a_message_not_a_500(client):
    response = client.get("/en/groups/?field=abc")
    assert response.status_code == 400
    assert "error-summary" in response.content.decode()


@pytest.mark.parametrize("query", ["こども", "コドモ", "ｺﾄﾞﾓ", "こどもしょくどう", "ＫＯＤＯＭＯ"])
def test_search_folds_width_and_kana(client, query):
    make_group("コドモ食堂 KODOMO", kana="こどもしょくどう")
    make_group("川の会", kana="かわのかい")
    assert names(client.get("/en/groups/", {"q": query})) == ["コドモ食堂 KODOMO"]


def test_the_directory_is_paginated_with_constant_queries(client, django_assert_max_num_queries):
    for number in range(25):
        make_group(f"会{number:02d}", kana=f"かい{number:02d}")
    with django_assert_max_num_queries(12):
        first = client.get("/en/groups/")
    assert len(first.context["groups"]) == 20
    assert len(client.get("/en/groups/?page=2").context["groups"]) == 5


def test_approval_shows_the_group_at_once_despite_the_page_cache(
    client, center_staff, django_capture_on_commit_callbacks
):
    user = make_user("u@example.com")
    group = make_group("新しい会", status=Group.Status.PENDING, admin=user)
    assert names(client.get("/en/groups/")) == []
    with django_capture_on_commit_callbacks(execute=True):
        group_approve(group=group, actor=center_staff)
    assert names(client.get("/en/groups/")) == ["新しい会"]


def test_invitation_mail_link_works_for_an_invitation_made_in_the_service(client):
    admin = make_user("admin@example.com")
    group = make_group(admin=admin)
    invitation = invitation_create(group=group, actor=admin, email="x@example.com")
    assert client.get(f"/en/groups/invitation/{invitation.token}/").status_code == 302
    client.force_login(make_user("x@example.com"))
    assert client.get(f"/en/groups/invitation/{invitation.token}/").status_code == 200
    assert client.get("/en/groups/invitation/nope/").status_code == 404


def test_the_sitemap_lists_the_directory_and_only_listed_groups(db):
    from organizations.sitemaps import GroupSitemap

    listed = make_group("登録の会")
    make_group("審査中の会", status=Group.Status.PENDING)
    make_group("非公開の会", listed=False)
    sitemap = GroupSitemap()
    items = sitemap.items()
    assert items[0] == "index"
    assert [item.pk for item in items[1:]] == [listed.pk]
    assert sitemap.location(items[1]) == f"/groups/{listed.pk}/"


def test_an_invitation_link_expires_after_its_days(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    import datetime

    from organizations.models import GroupInvitation
    from organizations.services_groups import INVITATION_VALID_DAYS, invitation_create

    admin = make_user("admin@example.com")
    group = make_group(admin=admin)
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitation_create(group=group, actor=admin, email="late@example.com")
    assert f"{INVITATION_VALID_DAYS}日間" in mailoutbox[-1].body
    GroupInvitation.objects.filter(pk=invitation.pk).update(
        created_at=invitation.created_at - datetime.timedelta(days=INVITATION_VALID_DAYS, hours=1)
    )
    client.force_login(make_user("late@example.com"))
    page = client.get(f"/en/groups/invitation/{invitation.token}/")
    assert page.status_code == 410
    assert "This invitation has expired" in page.content.decode()
    assert 'id="accept-invitation"' not in page.content.decode()
    client.post(f"/en/groups/invitation/{invitation.token}/")
    assert not GroupMembership.objects.filter(group=group, user__email="late@example.com").exists()


def test_an_admin_hands_over_the_group_and_the_last_admin_stays(client):
    admin = make_user("admin@example.com")
    member = make_user("m@example.com")
    group = make_group(admin=admin, member=member)
    member_ship = group.memberships.get(user=member)
    admin_ship = group.memberships.get(user=admin)
    client.force_login(admin)
    page = client.get(f"/en/groups/mine/{group.pk}/").content.decode()
    assert "an administrator" in page
    # The only admin cannot step down.
    client.post(f"/en/groups/mine/{group.pk}/members/{admin_ship.pk}/role/", {"role": "member"})
    admin_ship.refresh_from_db()
    assert admin_ship.role == GroupMembership.Role.ADMIN
    # Promote the member, then step down.
    client.post(f"/en/groups/mine/{group.pk}/members/{member_ship.pk}/role/", {"role": "admin"})
    member_ship.refresh_from_db()
    assert member_ship.role == GroupMembership.Role.ADMIN
    client.post(f"/en/groups/mine/{group.pk}/members/{admin_ship.pk}/role/", {"role": "member"})
    admin_ship.refresh_from_db()
    assert admin_ship.role == GroupMembership.Role.MEMBER
    # Now a plain member: no say over roles any more.
    response = client.post(
        f"/en/groups/mine/{group.pk}/members/{member_ship.pk}/role/", {"role": "member"}
    )
    assert response.status_code == 404
    member_ship.refresh_from_db()
    assert member_ship.role == GroupMembership.Role.ADMIN


def test_roles_of_another_group_or_unknown_roles_are_404(client):
    admin = make_user("admin@example.com")
    group = make_group(admin=admin, member=make_user("m@example.com"))
    other_admin = make_user("other@example.com")
    other = make_group(name="別の会", admin=other_admin)
    other_ship = other.memberships.get(user=other_admin)
    client.force_login(admin)
    response = client.post(
        f"/en/groups/mine/{group.pk}/members/{other_ship.pk}/role/", {"role": "member"}
    )
    assert response.status_code == 404
    ship = group.memberships.get(user__email="m@example.com")
    response = client.post(f"/en/groups/mine/{group.pk}/members/{ship.pk}/role/", {"role": "owner"})
    assert response.status_code == 404
    ship.refresh_from_db()
    assert ship.role == GroupMembership.Role.MEMBER
