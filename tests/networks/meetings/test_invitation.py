"""Center staff invite ward staff: an inactive account with role ward_staff and its ward,
a mail with a signed link that expires and works once; then MFA set-up at first visit."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.urls import reverse

from center.accounts.models import User
from center.accounts.roles import WARD_STAFF
from networks import services_meetings as services

from .helpers import center_of

pytestmark = pytest.mark.django_db

URL = "/network/invitations/"


def invite(client, center_staff, django_capture_on_commit_callbacks, **data):
    client.force_login(center_staff)
    payload = {
        "email": "new@example.com",
        "name": "新人",
        "ward_center": center_of("kohoku").pk,
        "language": "ja",
    }
    payload.update(data)
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(URL, payload)


def link_in_mail() -> str:
    match = re.search(r"https?://\S+/network/invitations/accept/\S+/", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return urlsplit(match.group(0)).path


def test_invitation_creates_an_inactive_ward_account_and_mails_the_link(
    client, center_staff, django_capture_on_commit_callbacks
):
    response = invite(client, center_staff, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    user = User.objects.get(email="new@example.com")
    assert not user.is_active
    assert user.has_role(WARD_STAFF)
    assert user.ward.code == "kohoku"
    assert not user.has_usable_password()
    assert [m.to for m in mail.outbox] == [["new@example.com"]]
    assert "港北区民活動支援センター" in mail.outbox[0].body


def test_accepting_sets_the_password_activates_and_leads_to_mfa_setup(
    client, center_staff, django_capture_on_commit_callbacks
):
    invite(client, center_staff, django_capture_on_commit_callbacks)
    client.logout()
    link = link_in_mail()
    assert client.get(link).status_code == 200
    response = client.post(
        link, {"password1": "correct horse battery 7", "password2": "correct horse battery 7"}
    )
    assert response.status_code == 302
    user = User.objects.get(email="new@example.com")
    assert user.is_active and user.check_password("correct horse battery 7")
    # Signed in; the network area first sends them to set up TOTP.
    home = client.get(reverse("networks:index"))
    assert home.status_code == 302
    assert home.url == reverse("mfa_activate_totp")
    # The link worked once.
    client.logout()
    assert client.get(link).status_code == 404


def test_mismatched_passwords_are_an_error_and_the_account_stays_inactive(
    client, center_staff, django_capture_on_commit_callbacks
):
    invite(client, center_staff, django_capture_on_commit_callbacks)
    client.logout()
    response = client.post(link_in_mail(), {"password1": "aaaaaaaaaaA1!", "password2": "b"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not User.objects.get(email="new@example.com").is_active


def test_forged_links_do_not_work(client, center_staff, django_capture_on_commit_callbacks):
    invite(client, center_staff, django_capture_on_commit_callbacks)
    client.logout()
    link = link_in_mail()
    assert client.get(link[:-5] + "xxxx/").status_code == 404
    assert client.get("/network/invitations/accept/not-a-token/").status_code == 404


def test_an_expired_link_is_refused(center_staff):
    import datetime
    from unittest import mock

    user = services.ward_staff_invite(email="late@example.com", ward_center=center_of("naka"))
    token = services.invitation_token(user)
    later = datetime.datetime.now().timestamp() + services.INVITATION_MAX_AGE.total_seconds() + 60
    with mock.patch("django.core.signing.time.time", return_value=later):
        assert services.invitation_user_from_token(token) is None
    assert services.invitation_user_from_token(token) == user


def test_an_existing_address_is_refused_on_the_form(
    client, center_staff, naka_staff, django_capture_on_commit_callbacks
):
    response = invite(
        client, center_staff, django_capture_on_commit_callbacks, email=naka_staff.email
    )
    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    assert mail.outbox == []


def test_ward_and_city_staff_cannot_invite(client, tsurumi_staff, city_staff):
    for user in (tsurumi_staff, city_staff):
        client.force_login(user)
        assert client.get(URL).status_code == 403
        assert client.post(URL, {"email": "x@example.com"}).status_code == 403
    assert not User.objects.filter(email="x@example.com").exists()


def test_center_staff_can_send_a_pending_invitation_again(
    client, center_staff, django_capture_on_commit_callbacks
):
    invite(client, center_staff, django_capture_on_commit_callbacks)
    user = User.objects.get(email="new@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/network/invitations/{user.pk}/resend/")
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["new@example.com"], ["new@example.com"]]
    # An active account, or any other id, is not an invitation.
    assert client.post(f"/network/invitations/{center_staff.pk}/resend/").status_code == 404


def test_an_english_invitation_links_to_the_english_page(
    client, center_staff, django_capture_on_commit_callbacks
):
    invite(client, center_staff, django_capture_on_commit_callbacks, language="en")
    assert link_in_mail().startswith("/en/network/invitations/accept/")
