"""The coordinator's back office: take a request, record the outcome, export CSV."""

import pytest
from django.urls import reverse

from organizations.models import IntroductionRequest
from organizations.services_hub import hub_intro_request_create

from .helpers import make_group, make_offer, make_partner, make_user

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:organizations_introductionrequest_changelist"


@pytest.fixture
def intro():
    member = make_user("member-a@example.com")
    group = make_group(member=member)
    offer = make_offer(make_partner(user=make_user("partner-a@example.com")))
    return hub_intro_request_create(post=offer, user=member, group=group, message="=1+1 紹介希望")


def _action(client, action, intro):
    return client.post(
        reverse(CHANGELIST), {"action": action, "_selected_action": [intro.pk]}, follow=True
    )


def test_a_coordinator_takes_a_request_and_records_the_outcome(
    client, coordinator, intro, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    assert client.get(reverse(CHANGELIST)).status_code == 200
    assert client.get(reverse(CHANGELIST), {"status__exact": "new"}).status_code == 200
    _action(client, "assign_to_me", intro)
    intro.refresh_from_db()
    assert intro.status == IntroductionRequest.Status.IN_PROGRESS
    assert intro.coordinator == coordinator
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _action(client, "mark_introduced", intro)
    intro.refresh_from_db()
    assert intro.status == IntroductionRequest.Status.INTRODUCED
    assert len(mailoutbox) == 2


def test_the_csv_export_opens_in_excel_and_neutralises_formulas(client, coordinator, intro):
    client.force_login(coordinator)
    response = client.post(
        reverse(CHANGELIST), {"action": "export_csv", "_selected_action": [intro.pk]}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    assert "'=1+1 紹介希望" in body


def test_org_members_and_outsiders_have_no_back_office(client, org_member, outsider, intro):
    for user in (org_member, outsider):
        client.force_login(user)
        assert client.get(reverse(CHANGELIST)).status_code in (302, 403)


def test_staff_admin_pages_render(client, center_staff, intro):
    client.force_login(center_staff)
    partner = intro.post.partner
    for url in (
        reverse("admin:organizations_partner_changelist"),
        reverse("admin:organizations_partner_changelist") + "?kind__exact=university",
        reverse("admin:organizations_partner_add"),
        reverse("admin:organizations_partner_change", args=[partner.pk]),
        reverse("admin:organizations_hubpost_changelist") + "?is_hidden__exact=0",
        reverse("admin:organizations_hubpost_change", args=[intro.post.pk]),
        reverse("admin:organizations_introductionrequest_change", args=[intro.pk]),
    ):
        assert client.get(url).status_code == 200, url


def test_the_demo_loads_partners_posts_and_an_introduction_in_progress():
    from organizations import demo_hub
    from organizations.models import HubPost, Partner

    logins = demo_hub.load()
    assert Partner.objects.count() == 4
    assert Partner.objects.listed().count() == 3
    assert HubPost.objects.filter(kind="need").count() == 3
    assert HubPost.objects.filter(kind="offer").count() == 3
    assert IntroductionRequest.objects.filter(status="in_progress").exists()
    assert logins and logins[0]["email"].startswith("partner@")
    # Loading twice adds nothing.
    assert demo_hub.load() == logins  # printed again, nothing added
    assert Partner.objects.count() == 4
