"""Who sees what in hearings, support requests and know-how: an 18 × 18 matrix.

Every ward-staff account of the 18 wards asks for every ward's hearing, year-over-year page,
support request and know-how edit page: its own ward → 200, any other ward → 404 (the same
answer as for a page that does not exist). Center staff see all; anonymous visitors are sent
to sign in; accounts outside the network get 403.
"""

import pytest
from django.urls import reverse
from django.utils import translation

from center.accounts.roles import WARD_STAFF
from center.core.models import Ward
from networks.models import KnowHowDocument
from tests.conftest import _make_user, _with_totp
from tests.networks.support import (
    file_request,
    make_article,
    make_hearing,
    pdf_upload,
    use_private_storage,
)

pytestmark = pytest.mark.django_db

WARD_CODES = [
    "tsurumi", "kanagawa", "nishi", "naka", "minami", "hodogaya", "isogo", "kanazawa", "kohoku",
    "midori", "aoba", "tsuzuki", "totsuka", "sakae", "izumi", "seya", "konan", "asahi",
]  # fmt: skip


def url(name: str, *args) -> str:
    with translation.override("en"):
        return reverse(f"networks:{name}", args=args)


@pytest.fixture
def world(tmp_path, settings, monkeypatch):
    """One hearing, support request and article with a file for each of the 18 wards."""
    use_private_storage(tmp_path, settings, monkeypatch)
    assert sorted(WARD_CODES) == sorted(Ward.objects.values_list("code", flat=True))
    pages = {}
    for code in WARD_CODES:
        hearing = make_hearing(code)
        request = file_request(code)
        article = make_article(code, documents=[pdf_upload()])
        pages[code] = [
            url("hearing_detail", hearing.pk),
            url("hearing_compare", code),
            url("support_request_detail", request.pk),
            url("knowhow_edit", article.pk),
        ]
    return pages


def ward_user(code: str):
    return _with_totp(_make_user(f"{code}@example.com", roles=[WARD_STAFF], ward_code=code))


@pytest.mark.parametrize("viewer", WARD_CODES)
def test_a_ward_user_reaches_their_own_ward_only(client, world, viewer):
    client.force_login(ward_user(viewer))
    seen = {}
    for owner, urls in world.items():
        for page in urls:
            seen[(owner, page)] = client.get(page).status_code
    expected = {
        (owner, page): 200 if owner == viewer else 404
        for owner, urls in world.items()
        for page in urls
    }
    assert seen == expected


@pytest.mark.parametrize("viewer", WARD_CODES)
def test_a_ward_user_lists_only_their_own_wards_rows(client, world, viewer):
    client.force_login(ward_user(viewer))
    hearings = client.get(url("hearing_list")).context["hearings"]
    assert {hearing.ward_center.ward.code for hearing in hearings} == {viewer}
    rows = client.get(url("support_request_list")).context["rows"]
    assert {item.ward_center.ward.code for item, _status in rows} == {viewer}


def test_center_staff_reach_every_ward(client, world, center_staff):
    client.force_login(center_staff)
    for urls in world.values():
        for page in urls:
            assert client.get(page).status_code == 200, page


def test_city_staff_read_every_ward_but_edit_no_know_how(client, world, city_staff):
    client.force_login(city_staff)
    for urls in world.values():
        hearing, compare, request, knowhow_edit = urls
        for page in (hearing, compare, request):
            assert client.get(page).status_code == 200, page
        assert client.get(knowhow_edit).status_code == 404


def test_know_how_files_are_shared_with_every_network_user_and_nobody_else(
    client, world, org_member, outsider
):
    documents = list(KnowHowDocument.objects.all())
    assert len(documents) == 18
    for code in ("tsurumi", "seya"):
        client.force_login(ward_user(code))
        for document in documents:
            assert client.get(url("knowhow_document", document.pk)).status_code == 200
    for person in (org_member, outsider):
        client.force_login(person)
        assert client.get(url("knowhow_document", documents[0].pk)).status_code == 403
    client.logout()
    response = client.get(url("knowhow_document", documents[0].pk))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


ALL_PAGES = [
    ("hearing_list",),
    ("support_request_list",),
    ("support_request_create",),
    ("knowhow_list",),
    ("knowhow_create",),
]


def every_page(world) -> list[str]:
    return (
        [url(*page) for page in ALL_PAGES]
        + world["tsurumi"]
        + [
            url("knowhow_detail", KnowHowDocument.objects.first().article_id),
            url("knowhow_document", KnowHowDocument.objects.first().pk),
        ]
    )


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    for page in every_page(world):
        response = client.get(page)
        assert response.status_code == 302, page
        assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("persona", ["org_member", "outsider", "coordinator"])
def test_accounts_outside_the_network_get_403(client, world, request, persona):
    client.force_login(request.getfixturevalue(persona))
    for page in every_page(world):
        assert client.get(page).status_code == 403, page


@pytest.mark.parametrize(
    "name",
    [
        "hearing_detail",
        "support_request_detail",
        "knowhow_detail",
        "knowhow_edit",
        "knowhow_document",
    ],
)
def test_guessed_and_neighbouring_ids_are_404_never_500(client, world, center_staff, name):
    client.force_login(center_staff)
    for pk in (0, 10**6, 2**31, 2**63 - 1):
        assert client.get(url(name, pk)).status_code == 404, pk
    assert client.get(url(name, 1).replace("/1/", "/99999999999999999999999/")).status_code == 404


def test_neighbouring_ids_of_another_ward_are_404_for_a_ward_user(client, world):
    client.force_login(ward_user("naka"))
    for code in ("nishi", "minami"):  # naka's neighbours in the ward order
        for page in world[code][:3]:
            assert client.get(page).status_code == 404
    assert client.get(url("hearing_compare", "no-such-ward")).status_code == 404
