"""Support requests: a ward asks, a case lands in the consultation queue, the status comes back."""

import pytest
from django.urls import reverse
from django.utils import translation

from consultations.models import Channel, Consultation, Status
from consultations.selectors import consultations_visible_to
from consultations.services import cases as consultation_services
from networks.models import SupportRequest
from networks.selectors_support import support_requests_open_for

from . import file_request, ward_center

pytestmark = pytest.mark.django_db

CREATE_URL = "/en/network/requests/new/"

VALID = {
    "summary": "NPO法人化の相談",
    "details": "設立の手続きについて専門家の助言がほしい。",
    "group_name": "つるみ子ども応援団",
    "kind": "founding",
    "urgency": "3",
}


def detail_url(item) -> str:
    """The English page (/en/...), whatever language the last request left active."""
    with translation.override("en"):
        return reverse("networks:support_request_detail", args=[item.pk])


def test_a_filed_request_is_a_case_in_the_queue_with_channel_ward_center_and_the_ward(
    client, tsurumi_staff, center_staff, django_capture_on_commit_callbacks
):
    ward_center("tsurumi")
    client.force_login(tsurumi_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(CREATE_URL, VALID)
    item = SupportRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail_url(item)
    case = item.consultation
    assert case.channel == Channel.WARD_CENTER
    assert case.ward.code == "tsurumi"
    assert case.title == "NPO法人化の相談"
    assert case.organization_name == "つるみ子ども応援団"
    assert case.priority == 3
    assert case.status == Status.RECEIVED
    assert case in consultations_visible_to(user=center_staff)


def test_a_receipt_goes_only_to_a_person_who_consented_and_gave_an_email(
    tsurumi_staff, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        file_request("tsurumi", user=tsurumi_staff)
    mails_without_address = len(mailoutbox)
    assert all("hanako@example.com" not in mail.to for mail in mailoutbox)
    with django_capture_on_commit_callbacks(execute=True):
        file_request(
            "tsurumi",
            user=tsurumi_staff,
            summary="鶴見 花子さんの団体の相談",
            contact_consent=True,
            contact_name="鶴見 花子",
            contact_email="hanako@example.com",
        )
    # The same staff alert as before, plus one receipt to the person.
    assert len(mailoutbox) == 2 * mails_without_address + 1
    assert sum("hanako@example.com" in mail.to for mail in mailoutbox) == 1


def test_the_ward_sees_the_status_the_center_sets_on_the_case(client, tsurumi_staff, center_staff):
    item = file_request("tsurumi", user=tsurumi_staff)
    client.force_login(tsurumi_staff)
    assert 'data-status="received"' in client.get(detail_url(item)).text
    consultation_services.consultation_change_status(
        consultation=item.consultation, status=Status.IN_PROGRESS, actor=center_staff
    )
    page = client.get(detail_url(item)).text
    assert 'data-status="in_progress"' in page
    assert "In progress" in page
    consultation_services.consultation_change_status(
        consultation=item.consultation, status=Status.CLOSED, actor=center_staff
    )
    assert 'data-status="done"' in client.get("/en/network/requests/").text


def test_open_requests_are_the_wards_own_unfinished_ones(tsurumi_staff, center_staff, city_staff):
    mine = file_request("tsurumi")
    done = file_request("tsurumi")
    consultation_services.consultation_change_status(
        consultation=done.consultation, status=Status.CLOSED, actor=center_staff
    )
    other = file_request("naka")
    assert list(support_requests_open_for(tsurumi_staff)) == [mine]
    assert set(support_requests_open_for(center_staff)) == {mine, other}
    assert set(support_requests_open_for(city_staff)) == {mine, other}


def test_contact_details_are_kept_only_with_consent(client, tsurumi_staff):
    ward_center("tsurumi")
    client.force_login(tsurumi_staff)
    response = client.post(
        CREATE_URL,
        {
            **VALID,
            "contact_consent": "on",
            "contact_name": "鶴見 花子",
            "contact_email": "hanako@example.com",
        },
    )
    assert response.status_code == 302
    case = SupportRequest.objects.get().consultation
    assert case.email == "hanako@example.com"
    assert case.family_name == "鶴見 花子"


def test_contact_details_without_consent_are_refused_with_a_message_and_nothing_stored(
    client, tsurumi_staff
):
    ward_center("tsurumi")
    client.force_login(tsurumi_staff)
    response = client.post(CREATE_URL, {**VALID, "contact_email": "hanako@example.com"})
    assert response.status_code == 200
    assert "consent" in response.text
    assert 'id="form-error-summary"' in response.text
    assert not SupportRequest.objects.exists()
    assert not Consultation.objects.exists()


def test_the_service_drops_contact_details_without_consent(tsurumi_staff):
    item = file_request("tsurumi", contact_email="hanako@example.com", contact_phone="045")
    assert (item.contact_email, item.contact_phone) == ("", "")
    assert (item.consultation.email, item.consultation.phone) == ("", "")


def test_consent_without_a_way_to_reach_the_person_is_a_clear_error(client, tsurumi_staff):
    ward_center("tsurumi")
    client.force_login(tsurumi_staff)
    response = client.post(CREATE_URL, {**VALID, "contact_consent": "on"})
    assert response.status_code == 200
    assert "email address or a phone number" in response.text


def test_an_empty_form_shows_errors_not_a_500(client, tsurumi_staff):
    ward_center("tsurumi")
    client.force_login(tsurumi_staff)
    response = client.post(CREATE_URL, {"urgency": "99", "kind": "nonsense"})
    assert response.status_code == 200
    assert response.context["form"].errors.keys() >= {"summary", "kind", "urgency"}


def test_center_and_city_staff_do_not_file_requests(client, center_staff, city_staff):
    for user in (center_staff, city_staff):
        client.force_login(user)
        assert client.get(CREATE_URL).status_code == 403


def test_the_list_page_stays_within_a_fixed_number_of_queries(
    client, tsurumi_staff, django_assert_max_num_queries
):
    for _ in range(5):
        file_request("tsurumi")
    client.force_login(tsurumi_staff)
    with django_assert_max_num_queries(12):
        response = client.get("/en/network/requests/")
    assert response.status_code == 200
    assert len(response.context["rows"]) == 5
