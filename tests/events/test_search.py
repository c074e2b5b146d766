"""Events are found by the site search (registered from the events app, since the search
lives in publications), with the same Japanese-aware matching as the rest."""

import pytest

from events.models import Event
from tests.events.registration_helpers import make_event

pytestmark = pytest.mark.django_db


def test_a_published_event_is_found_inside_compound_words(client):
    event = make_event(title="市民協働推進のための対話ラボ")
    make_event(title="下書きの協働講座", status=Event.Status.DRAFT)
    page = client.get("/search/", {"q": "協働"}).content.decode()
    assert f'href="/events/{event.pk}/"' in page
    assert "<mark>協働</mark>" in page
    assert "下書きの協働講座" not in page


def test_an_event_is_found_by_its_description_with_width_and_kana_folded(client):
    event = make_event(title="入門講座")
    Event.objects.filter(pk=event.pk).update(description="ＮＰＯの会計をまなびます")
    page = client.get("/search/", {"q": "npo マナビ"}).content.decode()
    assert f'href="/events/{event.pk}/"' in page


def test_event_results_are_labelled_in_the_pages_language(client):
    make_event(title="協働フェス")
    page = client.get("/en/search/", {"q": "協働フェス"}).content.decode()
    assert "Events and seminars" in page
