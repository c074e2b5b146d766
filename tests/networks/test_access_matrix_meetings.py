"""18 × 18: every meeting URL that carries a ward, for a staff member of every ward.

Own ward → 200; another ward → 404 (as for an id that does not exist); anonymous → login;
accounts without a network role → 403. Shared things (meetings, materials, all-ward
items) → 200 for every ward. Guessed and neighbouring ids → 404.
"""

import pytest
from django.urls import reverse

from center.core.models import Ward
from networks.models import WardCenter

from .meetings.helpers import (  # noqa: F401
    make_action_item,
    make_material,
    make_meeting,
    make_ward_user,
    private_media,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(private_media):  # noqa: F811
    codes = list(Ward.objects.order_by("order").values_list("code", flat=True))
    assert len(codes) == 18 and WardCenter.objects.count() == 18
    meeting = make_meeting()
    centers = {c.ward.code: c for c in WardCenter.objects.select_related("ward")}
    return {
        "codes": codes,
        "meeting": meeting,
        "users": {code: make_ward_user(code) for code in codes},
        "items": {code: make_action_item(owner=centers[code], meeting=meeting) for code in codes},
        "shared_item": make_action_item(owner=None, all_wards=True, meeting=meeting),
        "center_item": make_action_item(owner=None, meeting=meeting),
        "material": make_material(meeting),
    }


def ward_urls(world, code):
    """Every URL of the meetings area that belongs to ward `code`."""
    return [
        reverse("networks:meeting_rsvp", args=[world["meeting"].pk, code]),
        reverse("networks:action_item_detail", args=[world["items"][code].pk]),
    ]


def shared_urls(world):
    meeting = world["meeting"]
    return [
        reverse("networks:index"),
        reverse("networks:meeting_list"),
        reverse("networks:meeting_detail", args=[meeting.pk]),
        reverse("networks:action_item_list"),
        reverse("networks:action_item_detail", args=[world["shared_item"].pk]),
        reverse("networks:meeting_material", args=[world["material"].pk]),
    ]


def test_every_ward_reaches_its_own_rows_and_never_another_wards(client, world):
    failures = []
    for viewer in world["codes"]:
        client.force_login(world["users"][viewer])
        for owner in world["codes"]:
            expected = 200 if viewer == owner else 404
            for url in ward_urls(world, owner):
                status = client.get(url).status_code
                if status != expected:
                    failures.append((viewer, owner, url, status))
    assert failures == []


def test_every_ward_reaches_what_is_shared_and_not_the_centers_own_items(client, world):
    center_item = reverse("networks:action_item_detail", args=[world["center_item"].pk])
    for viewer in world["codes"]:
        client.force_login(world["users"][viewer])
        for url in shared_urls(world):
            assert client.get(url).status_code == 200, (viewer, url)
        assert client.get(center_item).status_code == 404, viewer


def test_the_action_item_list_holds_own_and_all_ward_items_only(client, world):
    for viewer in world["codes"]:
        client.force_login(world["users"][viewer])
        items = set(client.get(reverse("networks:action_item_list")).context["items"])
        assert items == {world["items"][viewer], world["shared_item"]}, viewer


def test_center_and_city_staff_see_every_wards_items(client, world, center_staff, city_staff):
    for user in (center_staff, city_staff):
        client.force_login(user)
        for code in world["codes"]:
            url = reverse("networks:action_item_detail", args=[world["items"][code].pk])
            assert client.get(url).status_code == 200
        items = set(client.get(reverse("networks:action_item_list")).context["items"])
        assert len(items) == 20


def test_anonymous_visitors_are_sent_to_login_everywhere(client, world):
    for url in shared_urls(world) + ward_urls(world, "tsurumi"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/accounts/login/" in response.url


def test_accounts_without_a_network_role_are_refused_everywhere(
    client, world, org_member, outsider, coordinator
):
    for user in (org_member, outsider, coordinator):
        client.force_login(user)
        for url in shared_urls(world) + ward_urls(world, "naka"):
            assert client.get(url).status_code == 403, (user, url)


def test_guessed_and_neighbouring_ids_are_404(client, world):
    client.force_login(world["users"]["tsurumi"])
    own = world["items"]["tsurumi"].pk
    highest = max(item.pk for item in world["items"].values()) + 10
    for pk in (own - 1, own + 1, highest, 999999):
        if pk == world["shared_item"].pk:
            continue
        url = reverse("networks:action_item_detail", args=[pk])
        assert client.get(url).status_code == 404, pk
    meeting = world["meeting"]
    material = world["material"]
    for url in (
        reverse("networks:meeting_detail", args=[meeting.pk + 1]),
        reverse("networks:meeting_rsvp", args=[meeting.pk + 1, "tsurumi"]),
        reverse("networks:meeting_rsvp", args=[meeting.pk, "atlantis"]),
        reverse("networks:meeting_material", args=[material.pk + 1]),
        "/network/materials/../../etc/passwd",
        "/network/materials/network%2F2026%2F12%2Fx.pdf/",
    ):
        assert client.get(url).status_code == 404, url


def test_ward_staff_cannot_open_the_admin(client, world):
    for code in ("tsurumi", "naka", "seya"):
        client.force_login(world["users"][code])
        response = client.get("/admin/")
        assert response.status_code == 302 and "/admin/login/" in response.url
        assert client.get("/admin/networks/actionitem/").status_code == 302
