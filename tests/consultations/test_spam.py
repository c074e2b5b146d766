"""Spam handling: suspect submissions are kept in quarantine, never dropped, never hinted at."""

import re
import time
from pathlib import Path
from unittest import mock

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.utils import translation

from center.core.models import OutboxMessage
from consultations import spam
from consultations.models import Consultation

from . import (  # noqa: F401  (fixtures)
    fresh_cache_fixture,
    private_media_fixture,
    started_token,
    valid_post,
)

URL = "/consultation/"
pytestmark = pytest.mark.usefixtures("fresh_cache", "private_media")


def submit(client, django_capture_on_commit_callbacks, **overrides):
    """Post the form as a visitor would, run what waits for the commit, open the page."""
    address = overrides.pop("ip", "203.0.113.7")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, valid_post(**overrides), REMOTE_ADDR=address)
    assert response.status_code == 302
    return client.get(response["Location"])


def thank_you_text(response, consultation) -> str:
    """The page with what differs between any two cases (number, private link) blanked."""
    page = response.content.decode()
    page = page.replace(consultation.reference, "REF").replace(consultation.tracking_token, "TOKEN")
    page = re.sub(r"/thanks/[^/\"]+/", "/thanks/SIGNED/", page)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


# Honeypot -------------------------------------------------------------------------------


def test_the_honeypot_is_hidden_from_people_keyboards_and_screen_readers(client, db):
    page = client.get(URL).content.decode()
    wrapper = re.search(r'<div class="hp-field" aria-hidden="true">(.*?)</div>', page, re.DOTALL)
    assert wrapper, "the honeypot sits in an aria-hidden wrapper"
    assert '<label for="id_website">' in wrapper.group(1)
    assert re.search(r'<input[^>]*name="website"[^>]*tabindex="-1"', wrapper.group(1))
    assert 'autocomplete="off"' in wrapper.group(1)
    css = (Path(__file__).resolve().parents[2] / "static/css/consultations.css").read_text()
    assert re.search(r"\.hp-field\s*\{[^}]*left:\s*-10000px", css)
    assert 'href="/static/css/consultations.css"' in page


def test_a_filled_honeypot_is_quarantined_silently_with_the_same_thank_you_page(
    client, db, django_capture_on_commit_callbacks, mailoutbox
):
    genuine_page = submit(client, django_capture_on_commit_callbacks)
    genuine = Consultation.objects.get()
    mailoutbox.clear()
    OutboxMessage.objects.all().delete()

    bot_page = submit(
        client,
        django_capture_on_commit_callbacks,
        website="http://cheap-pills.example",
        ip="198.51.100.9",
    )

    bot = Consultation.objects.exclude(pk=genuine.pk).get()
    assert bot.quarantined is True
    assert bot.quarantine_reason
    assert mailoutbox == []
    assert OutboxMessage.objects.count() == 0
    assert bot_page.status_code == genuine_page.status_code == 200
    assert thank_you_text(bot_page, bot) == thank_you_text(genuine_page, genuine)


def test_a_quarantined_case_keeps_everything_for_review(
    client, db, django_capture_on_commit_callbacks
):
    submit(client, django_capture_on_commit_callbacks, website="x", title="怪しい件名")
    bot = Consultation.objects.get()
    assert bot.title == "怪しい件名"
    assert bot.reference.startswith("S")
    assert bot.events.count() == 1


# Fill time ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "token",
    [
        pytest.param(None, id="missing"),
        pytest.param("consultation-form:1abc:forged", id="forged"),
        pytest.param("not even a signature", id="garbage"),
        pytest.param(lambda: started_token(seconds_ago=0), id="too-fast"),
        pytest.param(lambda: started_token(seconds_ago=25 * 3600), id="a-day-old"),
    ],
)
def test_a_missing_forged_or_implausible_start_time_is_quarantined(
    client, db, django_capture_on_commit_callbacks, mailoutbox, token
):
    value = token() if callable(token) else token
    submit(client, django_capture_on_commit_callbacks, form_started=value)
    consultation = Consultation.objects.get()
    assert consultation.quarantined is True
    assert mailoutbox == []


def test_a_person_taking_a_minute_or_an_evening_is_not_suspect(
    client, db, django_capture_on_commit_callbacks
):
    submit(client, django_capture_on_commit_callbacks, form_started=started_token(seconds_ago=60))
    submit(
        client,
        django_capture_on_commit_callbacks,
        form_started=started_token(seconds_ago=5 * 3600),
        ip="198.51.100.20",
    )
    assert list(Consultation.objects.values_list("quarantined", flat=True)) == [False, False]


def test_the_start_time_survives_a_round_trip_through_an_error(client, db):
    token = started_token(seconds_ago=120)
    page = client.post(URL, valid_post(form_started=token, family_name="")).content.decode()
    assert f'value="{token}"' in page


def test_the_empty_form_carries_a_fresh_signed_start_time(client, db):
    page = client.get(URL).content.decode()
    token = re.search(r'name="form_started" value="([^"]+)"', page).group(1)
    request = RequestFactory().post(URL, REMOTE_ADDR="192.0.2.1")
    with mock.patch("django.core.signing.time.time", return_value=time.time() + 60):
        assert spam.spam_assess(request, {"form_started": token}) == ""


# Rate limits --------------------------------------------------------------------------------


def assess(ip: str) -> str:
    request = RequestFactory().post(URL, REMOTE_ADDR=ip)
    return spam.spam_assess(request, {"form_started": started_token()})


def test_past_the_soft_limit_submissions_are_quarantined_for_review(
    client, db, django_capture_on_commit_callbacks, mailoutbox
):
    for _ in range(spam.SOFT_LIMIT_PER_HOUR + 1):
        submit(client, django_capture_on_commit_callbacks, ip="203.0.113.50")

    flags = list(Consultation.objects.order_by("pk").values_list("quarantined", flat=True))
    assert flags == [False] * spam.SOFT_LIMIT_PER_HOUR + [True]
    assert Consultation.objects.count() == spam.SOFT_LIMIT_PER_HOUR + 1
    # Only the cases within the limit were mailed (receipt + staff alert each).
    assert len(mailoutbox) == 2 * spam.SOFT_LIMIT_PER_HOUR


def test_the_hard_limit_gives_its_own_reason(db):
    reasons = [assess("203.0.113.60") for _ in range(spam.HARD_LIMIT_PER_HOUR + 1)]
    assert reasons[: spam.SOFT_LIMIT_PER_HOUR] == [""] * spam.SOFT_LIMIT_PER_HOUR
    soft = reasons[spam.SOFT_LIMIT_PER_HOUR]
    assert soft
    assert reasons[spam.HARD_LIMIT_PER_HOUR - 1] == soft
    assert reasons[spam.HARD_LIMIT_PER_HOUR] not in ("", soft)


def test_one_busy_address_does_not_affect_another(db):
    for _ in range(spam.SOFT_LIMIT_PER_HOUR + 3):
        assess("203.0.113.70")
    assert assess("203.0.113.71") == ""


def test_an_ipv6_household_counts_as_one_address(db):
    for n in range(spam.SOFT_LIMIT_PER_HOUR):
        assert assess(f"2001:db8:1:2::{n + 1:x}") == ""
    assert assess("2001:db8:1:2:ffff::1") != ""
    assert assess("2001:db8:1:3::1") == ""


def test_a_cache_outage_never_blocks_a_submission(db, monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(cache, "add", down)
    monkeypatch.setattr(cache, "incr", down)
    assert assess("203.0.113.80") == ""


def test_several_reasons_are_all_recorded(db):
    request = RequestFactory().post(URL, REMOTE_ADDR="203.0.113.90")
    reason = spam.spam_assess(request, {"website": "spam", "form_started": ""})
    # Stored in the staff's language, whatever the visitor's.
    with translation.override("ja"):
        honeypot, no_start = (str(spam.REASONS[code]) for code in ("honeypot", "no_start"))
    assert honeypot in reason and no_start in reason
