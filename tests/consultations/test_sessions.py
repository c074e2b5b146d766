"""相談会: the public books a free slot, cancels by link, is reminded the day before;
a slot is never booked twice. Time travel is done by passing `now` to the services."""

import datetime
import threading

import pytest
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

import consultations.admin_sessions  # noqa: F401  (registers the admin until admin.py imports it)
from consultations.models import (
    CaseEvent,
    Channel,
    Consultation,
    ConsultationSession,
    RequesterType,
    SessionSlot,
    SlotBooking,
    Topic,
)
from consultations.services import consultation_submit
from consultations.services import sessions as services
from consultations.tasks import send_booking_confirmation, send_booking_reminder
from tests.conftest import require_postgresql

TOKYO = timezone.get_default_timezone()
LIST_URL = "/consultation/sessions/"


@pytest.fixture
def _english():
    """For tests that read English messages: reverse() then gives /en/ URLs as well."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _empty_cache():
    # The session list is cached for anonymous visitors; each test starts from nothing.
    cache.clear()
    yield
    cache.clear()


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)), TOKYO)


def today() -> datetime.date:
    return timezone.localdate(timezone.now(), TOKYO)


def make_session(
    *,
    days_ahead: int = 7,
    published: bool = True,
    closes_days_before: int = 1,
    kind: str = ConsultationSession.Kind.COLLABORATION,
    title: str = "市民協働相談会（第3回）",
    hours=(10, 11),
) -> ConsultationSession:
    session = ConsultationSession.objects.create(
        kind=kind,
        title=title,
        description="協働コーディネーターが一対一で相談に乗ります。",
        date=today() + datetime.timedelta(days=days_ahead),
        is_published=published,
        booking_closes_days_before=closes_days_before,
    )
    for hour in hours:
        SessionSlot.objects.create(
            session=session,
            starts_at=at(session.date, hour),
            ends_at=at(session.date, hour, 50),
            advisor="佐藤 由美",
            advisor_role="協働コーディネーター",
        )
    return session


def first_slot(session: ConsultationSession) -> SessionSlot:
    return session.slots.order_by("starts_at").first()


def booker(**overrides) -> dict:
    fields = {
        "family_name": "山田",
        "given_name": "花子",
        "family_name_kana": "ヤマダ",
        "given_name_kana": "ハナコ",
        "organization_name": "NPO法人みなとの森",
        "email": "hanako@example.com",
        "phone": "045-000-0000",
        "requester_type": RequesterType.NPO,
        "topic": Topic.PROPOSAL,
        "body": "区役所との協働事業の進め方について相談したいです。",
    }
    fields.update(overrides)
    return fields


def form_data(**overrides) -> dict:
    return {**booker(), "privacy_consent": "on", **overrides}


def book(slot: SessionSlot, now: datetime.datetime | None = None, **overrides) -> SlotBooking:
    return services.slot_book(slot=slot, **booker(**overrides), language="ja", now=now)


def mails_with(mailoutbox, text: str):
    return [mail for mail in mailoutbox if text in mail.body]


# Booking ----------------------------------------------------------------------------------


def test_booking_creates_a_session_case_and_mails_the_cancel_link(
    client, db, django_capture_on_commit_callbacks, mailoutbox
):
    slot = first_slot(make_session())
    url = reverse("consultations:slot_book", kwargs={"pk": slot.pk})

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, form_data())

    booking = SlotBooking.objects.get()
    assert response.status_code == 302
    assert response["Location"].startswith("/consultation/sessions/booked/")
    assert booking.slot == slot and booking.cancelled_at is None
    assert booking.name == "山田 花子" and booking.language == "ja"
    case = booking.consultation
    assert case.channel == Channel.SESSION
    assert case.email == "hanako@example.com" and case.requester_type == RequesterType.NPO
    assert case.body == "区役所との協働事業の進め方について相談したいです。"
    assert case.events.filter(kind=CaseEvent.Kind.NOTE, text__contains="佐藤 由美").exists()

    cancel_path = reverse("consultations:booking_cancel", kwargs={"token": booking.cancel_token})
    [mail] = mails_with(mailoutbox, cancel_path)
    assert mail.to == ["hanako@example.com"]
    assert "佐藤 由美" in mail.body and "横浜市市民協働推進センター" in mail.body
    assert f"{slot.starts_at.astimezone(TOKYO):%H:%M}–" in mail.body
    assert cancel_path in mail.alternatives[0].content

    done = client.get(response["Location"])
    assert done.status_code == 200
    assert "佐藤 由美" in done.content.decode()


def test_booking_joins_the_open_case_of_the_same_address(db):
    earlier = consultation_submit(
        fields={
            "requester_type": RequesterType.NPO,
            "family_name": "山田",
            "given_name": "花子",
            "email": "Hanako@Example.com",
            "topic": Topic.MANAGEMENT,
            "title": "会計の相談",
        },
        language="ja",
    )
    booking = book(first_slot(make_session()))

    assert booking.consultation == earlier
    assert Consultation.objects.count() == 1
    note = earlier.events.get(kind=CaseEvent.Kind.NOTE)
    assert "区役所との協働事業" in note.text


def test_booking_opens_a_new_case_when_the_open_case_is_older_than_30_days(db):
    earlier = consultation_submit(
        fields={
            "requester_type": RequesterType.NPO,
            "email": "hanako@example.com",
            "topic": Topic.MANAGEMENT,
            "title": "会計の相談",
        },
        language="ja",
    )
    Consultation.objects.filter(pk=earlier.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=31)
    )
    booking = book(first_slot(make_session()))
    assert booking.consultation != earlier
    assert booking.consultation.channel == Channel.SESSION


@pytest.mark.usefixtures("_english")
def test_second_booking_of_a_slot_is_refused_with_a_form_error(client, db):
    slot = first_slot(make_session())
    book(slot, email="first@example.com")
    url = reverse("consultations:slot_book", kwargs={"pk": slot.pk})

    response = client.post(url, form_data(email="second@example.com"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "error-summary" in page
    assert "This time slot is already booked" in page
    assert "second@example.com" in page  # what was typed is still there
    assert SlotBooking.objects.count() == 1
    assert not Consultation.objects.filter(email="second@example.com").exists()


@pytest.mark.usefixtures("_english")
def test_the_database_refuses_a_booking_that_slipped_past_the_lock(db, monkeypatch):
    slot = first_slot(make_session())
    book(slot, email="first@example.com")
    # As if a second request had checked the slot before the first committed.
    monkeypatch.setattr(services, "slot_refusal", lambda **kwargs: "")

    with pytest.raises(ValidationError, match="just booked by someone else"):
        book(slot, email="second@example.com")

    assert SlotBooking.objects.count() == 1
    assert Consultation.objects.count() == 1  # the second case rolled back with it


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_ten_concurrent_bookings_of_one_slot_make_exactly_one_booking():
    require_postgresql()
    slot = first_slot(make_session())
    barrier = threading.Barrier(10)
    outcomes: list[str] = []

    def attempt(index: int) -> None:
        try:
            barrier.wait()
            book(slot, email=f"person{index}@example.com")
            outcomes.append("booked")
        except ValidationError:
            outcomes.append("refused")
        except Exception as exc:  # anything else is a bug the assertion below shows
            outcomes.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["booked"] + ["refused"] * 9
    assert SlotBooking.objects.filter(slot=slot).count() == 1
    assert Consultation.objects.count() == 1


@pytest.mark.usefixtures("_english")
def test_past_slots_are_not_bookable(client, db):
    session = make_session(days_ahead=0, closes_days_before=0, hours=(0,))
    slot = first_slot(session)  # 00:00 today: already started
    url = reverse("consultations:slot_book", kwargs={"pk": slot.pk})

    page = client.get(url).content.decode()
    assert "already started or is over" in page
    assert 'name="family_name"' not in page

    response = client.post(url, form_data())
    assert "already started or is over" in response.content.decode()
    assert not SlotBooking.objects.exists()


@pytest.mark.usefixtures("_english")
def test_slots_of_a_session_whose_booking_closed_are_not_bookable(client, db):
    session = make_session(days_ahead=2, closes_days_before=3)
    slot = first_slot(session)

    with pytest.raises(ValidationError, match="Booking for this session closed"):
        book(slot)
    listing = client.get("/en" + LIST_URL).content.decode()
    assert reverse("consultations:slot_book", kwargs={"pk": slot.pk}) not in listing
    assert "Booking is closed" in listing


def test_booking_is_open_through_the_closing_day(db):
    session = make_session(days_ahead=3, closes_days_before=1)
    closing_day = session.date - datetime.timedelta(days=1)
    slot = first_slot(session)

    assert services.slot_refusal(slot=slot, now=at(closing_day, 23, 59)) == ""
    assert services.slot_refusal(slot=slot, now=at(session.date, 0, 1))


def test_unpublished_sessions_are_not_shown_and_their_slots_404(client, db):
    session = make_session(published=False, title="非公開の相談会")
    url = reverse("consultations:slot_book", kwargs={"pk": first_slot(session).pk})

    assert "非公開の相談会" not in client.get(LIST_URL).content.decode()
    assert client.get(url).status_code == 404
    assert client.post(url, form_data()).status_code == 404
    with pytest.raises(ValidationError):
        book(first_slot(session))


def test_unknown_slot_is_404(client, db):
    assert client.get("/consultation/sessions/slots/999999/book/").status_code == 404


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("family_name", ""),
        ("email", "not-an-address"),
        ("email", ""),
        ("requester_type", "emperor"),
        ("topic", "<script>alert(1)</script>"),
        ("privacy_consent", ""),
        ("family_name", "山田\x07"),
        ("given_name", "花\u202e子"),
        ("family_name_kana", "山田"),
        ("phone", "call me maybe"),
        ("body", "x" * 2001),
        ("family_name", "山" * 51),
    ],
)
def test_bad_input_is_refused_next_to_the_field_and_nothing_is_stored(client, db, field, value):
    slot = first_slot(make_session())
    url = reverse("consultations:slot_book", kwargs={"pk": slot.pk})

    response = client.post(url, form_data(**{field: value}))

    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    assert "error-summary" in response.content.decode()
    assert not SlotBooking.objects.exists() and not Consultation.objects.exists()


def test_full_width_and_half_width_variants_are_folded(client, db):
    slot = first_slot(make_session())
    url = reverse("consultations:slot_book", kwargs={"pk": slot.pk})

    response = client.post(
        url,
        form_data(
            email="ｈａｎａｋｏ＠example.com",
            phone="０４５－０００－００００",
            family_name_kana="ﾔﾏﾀﾞ",
            body="よろしくお願いします 🙇\n<b>太字</b>",
        ),
    )

    assert response.status_code == 302
    case = SlotBooking.objects.get().consultation
    assert case.email == "hanako@example.com"
    assert case.phone == "045-000-0000"
    assert case.family_name_kana == "ヤマダ"
    assert case.body == "よろしくお願いします 🙇\n<b>太字</b>"


def test_booking_done_link_is_signed(client, db):
    booking = book(first_slot(make_session()))
    forged = signing.dumps(booking.pk, salt="something else")
    assert client.get(f"/consultation/sessions/booked/{forged}/").status_code == 404
    assert client.get("/consultation/sessions/booked/garbage/").status_code == 404


# Public list ------------------------------------------------------------------------------


def test_public_list_marks_booked_slots_without_any_booker_data(client, db):
    session = make_session()
    taken, free = session.slots.order_by("starts_at")
    book(taken, family_name="秘密", given_name="太郎", email="secret@example.com")

    page = client.get("/en" + LIST_URL).content.decode()

    assert "秘密" not in page and "secret@example.com" not in page
    assert reverse("consultations:slot_book", kwargs={"pk": taken.pk}) not in page
    assert f"/en/consultation/sessions/slots/{free.pk}/book/" in page
    assert "Booked" in page
    assert "市民協働相談会（第3回）" in page and "佐藤 由美" in page


def test_past_sessions_are_not_listed(client, db):
    make_session(days_ahead=-1, title="先月の相談会")
    make_session(days_ahead=14, title="来月の相談会")
    page = client.get(LIST_URL).content.decode()
    assert "先月の相談会" not in page
    assert "来月の相談会" in page


def test_session_list_queries_do_not_grow_with_sessions(client, db, django_assert_max_num_queries):
    for days in (3, 10, 20, 30):
        book(first_slot(make_session(days_ahead=days)), email=f"p{days}@example.com")
    with django_assert_max_num_queries(3):
        assert client.get(LIST_URL).status_code == 200


def test_booking_and_cancelling_refresh_the_cached_list(
    client, db, django_capture_on_commit_callbacks
):
    slot = first_slot(make_session())
    book_path = reverse("consultations:slot_book", kwargs={"pk": slot.pk})
    assert book_path in client.get(LIST_URL).content.decode()  # now cached

    with django_capture_on_commit_callbacks(execute=True):
        booking = book(slot)
    assert book_path not in client.get(LIST_URL).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        services.booking_cancel(booking=booking)
    assert book_path in client.get(LIST_URL).content.decode()


def test_english_pages_book_in_english(client, db, django_capture_on_commit_callbacks, mailoutbox):
    slot = first_slot(make_session())

    listing = client.get("/en" + LIST_URL)
    assert listing.status_code == 200
    assert '<html lang="en">' in listing.content.decode()
    assert "Consultation sessions" in listing.content.decode()

    form_page = client.get(f"/en/consultation/sessions/slots/{slot.pk}/book/")
    assert "Book a consultation slot" in form_page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/en/consultation/sessions/slots/{slot.pk}/book/", form_data())

    assert response["Location"].startswith("/en/consultation/sessions/booked/")
    booking = SlotBooking.objects.get()
    assert booking.language == "en"
    [mail] = mails_with(mailoutbox, f"/en/consultation/sessions/cancel/{booking.cancel_token}/")
    assert "Your booking is confirmed" in mail.body
    done = client.get(response["Location"]).content.decode()
    assert "Your booking is confirmed" in done


def test_pages_have_one_h1(client, db):
    booking = book(first_slot(make_session()))
    free = booking.slot.session.slots.exclude(pk=booking.slot_id).get()
    pages = [
        LIST_URL,
        reverse("consultations:slot_book", kwargs={"pk": free.pk}),
        reverse("consultations:booking_cancel", kwargs={"token": booking.cancel_token}),
        reverse(
            "consultations:booking_done",
            kwargs={"signed": signing.dumps(booking.pk, salt=services.BOOKING_SIGNING_SALT)},
        ),
    ]
    for url in pages:
        page = client.get(url).content.decode()
        assert page.count("<h1") == 1, url
        assert "style=" not in page, url


# Cancelling -------------------------------------------------------------------------------


def test_cancel_page_on_get_only_shows_the_booking(client, db):
    booking = book(first_slot(make_session()))
    url = reverse("consultations:booking_cancel", kwargs={"token": booking.cancel_token})

    response = client.get(url)

    assert response.status_code == 200
    assert 'method="post"' in response.content.decode()
    booking.refresh_from_db()
    assert booking.cancelled_at is None


def test_cancelling_frees_the_slot_notes_the_case_and_mails_the_booker(
    client, db, django_capture_on_commit_callbacks, mailoutbox
):
    booking = book(first_slot(make_session()))
    url = reverse("consultations:booking_cancel", kwargs={"token": booking.cancel_token})

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)

    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.cancelled_at is not None
    assert services.slot_refusal(slot=booking.slot) == ""
    assert (
        booking.consultation.events.filter(
            kind=CaseEvent.Kind.NOTE, text__contains=booking.slot.session.title
        ).count()
        == 2
    )  # booked, cancelled
    assert [m.to for m in mailoutbox] == [["hanako@example.com"]]
    assert "cancelled" in mailoutbox[0].body or "キャンセル" in mailoutbox[0].body
    followed = client.get(url).content.decode()
    assert 'method="post"' not in followed

    again = book(booking.slot, email="next@example.com")  # the slot is free again
    assert again.slot == booking.slot


def test_cancelling_twice_is_harmless(db, django_capture_on_commit_callbacks, mailoutbox):
    booking = book(first_slot(make_session()))
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_cancel(booking=booking)
        first = SlotBooking.objects.get().cancelled_at
        services.booking_cancel(booking=booking)

    assert SlotBooking.objects.get().cancelled_at == first
    assert len(mails_with(mailoutbox, booking.slot.session.title)) == 1


def test_unknown_cancel_token_is_404(client, db):
    assert client.get("/consultation/sessions/cancel/no-such-token/").status_code == 404
    assert client.post("/consultation/sessions/cancel/no-such-token/").status_code == 404


@pytest.mark.usefixtures("_english")
def test_a_started_session_cannot_be_cancelled(client, db):
    slot = first_slot(make_session())
    booking = book(slot)

    with pytest.raises(ValidationError, match="already started or is over"):
        services.booking_cancel(booking=booking, now=slot.starts_at + datetime.timedelta(minutes=5))

    # Through the page, once the slot is in the past.
    SessionSlot.objects.filter(pk=slot.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=2),
        ends_at=timezone.now() - datetime.timedelta(hours=1),
    )
    url = reverse("consultations:booking_cancel", kwargs={"token": booking.cancel_token})
    assert "already started or is over" in client.get(url).content.decode()
    response = client.post(url)
    assert "already started or is over" in response.content.decode()
    booking.refresh_from_db()
    assert booking.cancelled_at is None


# Reminders --------------------------------------------------------------------------------


def test_reminders_go_once_to_tomorrows_active_bookings_only(
    db, django_capture_on_commit_callbacks, mailoutbox
):
    now = at(today(), 10)
    week_ago = now - datetime.timedelta(days=7)
    tomorrow = make_session(days_ahead=1, closes_days_before=0, hours=(10, 11, 13))
    later = make_session(days_ahead=2, closes_days_before=0, hours=(10,))
    a, b, c = tomorrow.slots.order_by("starts_at")
    due = book(a, now=week_ago, email="due@example.com")
    cancelled = book(b, now=week_ago, email="cancelled@example.com")
    services.booking_cancel(booking=cancelled, now=week_ago)
    book(first_slot(later), now=week_ago, email="later@example.com")

    with django_capture_on_commit_callbacks(execute=True):
        assert services.booking_reminders_send(now=now) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert services.booking_reminders_send(now=now + datetime.timedelta(hours=1)) == 0

    assert [m.to for m in mailoutbox] == [["due@example.com"]]
    reminder = mailoutbox[0]
    assert reverse("consultations:booking_cancel", kwargs={"token": due.cancel_token}) in (
        reminder.body
    )
    due.refresh_from_db()
    assert due.reminder_sent_at == now


def test_a_booking_made_the_day_before_gets_no_separate_reminder(db):
    now = at(today(), 10)
    slot = first_slot(make_session(days_ahead=1, closes_days_before=0))
    booking = book(slot, now=now)

    assert booking.reminder_sent_at == now
    assert services.booking_reminders_send(now=now + datetime.timedelta(hours=1)) == 0


def test_reminders_of_an_unpublished_session_are_not_sent(db):
    now = at(today(), 10)
    session = make_session(days_ahead=1, closes_days_before=0)
    book(first_slot(session), now=now - datetime.timedelta(days=7))
    ConsultationSession.objects.filter(pk=session.pk).update(is_published=False)

    assert services.booking_reminders_send(now=now) == 0


def test_reminder_is_in_the_bookers_language(db, mailoutbox):
    slot = first_slot(make_session(days_ahead=1, closes_days_before=0))
    booking = services.slot_book(
        slot=slot, **booker(), language="en", now=at(today(), 10) - datetime.timedelta(days=7)
    )
    send_booking_reminder(booking.pk)
    [mail] = mailoutbox
    assert "reminder" in mail.subject.lower()
    assert f"/en/consultation/sessions/cancel/{booking.cancel_token}/" in mail.body
    assert translation.get_language() == "ja"  # the task did not leak its language


def test_mail_tasks_send_nothing_for_a_cancelled_booking(db, mailoutbox):
    booking = book(first_slot(make_session()))
    services.booking_cancel(booking=booking)
    send_booking_confirmation(booking.pk)
    send_booking_reminder(booking.pk)
    send_booking_confirmation(999999)
    assert mailoutbox == []


# Back office ------------------------------------------------------------------------------


def test_staff_see_the_bookings_of_a_session_in_the_admin(client, center_staff):
    session = make_session()
    book(first_slot(session), family_name="予約", given_name="一郎")
    client.force_login(center_staff)

    page = client.get(reverse("admin:consultations_consultationsession_change", args=[session.pk]))

    assert page.status_code == 200
    html = page.content.decode()
    assert "予約 一郎" in html and "hanako@example.com" in html
    listing = client.get(reverse("admin:consultations_consultationsession_changelist"))
    assert listing.status_code == 200


def test_staff_cancel_a_booking_from_the_admin(
    client, center_staff, django_capture_on_commit_callbacks, mailoutbox
):
    booking = book(first_slot(make_session()))
    client.force_login(center_staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:consultations_slotbooking_changelist"),
            {"action": "cancel_bookings", "_selected_action": [booking.pk]},
        )

    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.cancelled_at is not None
    note = booking.consultation.events.filter(kind=CaseEvent.Kind.NOTE).last()
    assert note.author == center_staff
    assert len(mailoutbox) == 1


def _session_change_data(session: ConsultationSession, slots, **overrides) -> dict:
    data = {
        "kind": session.kind,
        "title": session.title,
        "description": session.description,
        "date": session.date.isoformat(),
        "venue": session.venue,
        "booking_closes_days_before": session.booking_closes_days_before,
        "is_published": "on" if session.is_published else "",
        "slots-TOTAL_FORMS": len(slots),
        "slots-INITIAL_FORMS": len(slots),
        "slots-MIN_NUM_FORMS": 0,
        "slots-MAX_NUM_FORMS": 1000,
    }
    for index, slot in enumerate(slots):
        start, end = timezone.localtime(slot.starts_at), timezone.localtime(slot.ends_at)
        data.update(
            {
                f"slots-{index}-id": slot.pk,
                f"slots-{index}-session": session.pk,
                f"slots-{index}-starts_at_0": start.date().isoformat(),
                f"slots-{index}-starts_at_1": start.strftime("%H:%M:%S"),
                f"slots-{index}-ends_at_0": end.date().isoformat(),
                f"slots-{index}-ends_at_1": end.strftime("%H:%M:%S"),
                f"slots-{index}-advisor": slot.advisor,
                f"slots-{index}-advisor_role": slot.advisor_role,
            }
        )
    data.update(overrides)
    return data


@pytest.fixture
def superuser(db):
    from allauth.mfa.totp.internal.auth import TOTP

    from center.accounts.models import User

    user = User.objects.create_superuser(email="admin@example.com", password="x" * 20)
    TOTP.activate(user, "JBSWY3DPEHPK3PXP")
    return user


@pytest.mark.usefixtures("_english")
def test_a_booked_slot_cannot_be_deleted_in_the_admin(client, superuser):
    session = make_session()
    slots = list(session.slots.order_by("starts_at"))
    book(slots[0])
    client.force_login(superuser)
    url = reverse("admin:consultations_consultationsession_change", args=[session.pk])

    response = client.post(url, _session_change_data(session, slots, **{"slots-0-DELETE": "on"}))

    assert response.status_code == 200  # the form again, with the error
    assert "cancel the booking before deleting" in response.content.decode()
    assert SessionSlot.objects.filter(pk=slots[0].pk).exists()


def test_saving_a_session_in_the_admin_refreshes_the_public_list(
    client, center_staff, django_capture_on_commit_callbacks
):
    session = make_session(published=False, title="これから公開する相談会")
    slots = list(session.slots.order_by("starts_at"))
    assert "これから公開する相談会" not in client.get(LIST_URL).content.decode()  # cached
    client.force_login(center_staff)
    url = reverse("admin:consultations_consultationsession_change", args=[session.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, _session_change_data(session, slots, is_published="on"))

    assert response.status_code == 302, response.content.decode()[:2000]
    assert "これから公開する相談会" in Client().get(LIST_URL).content.decode()


@pytest.mark.usefixtures("_english")
def test_a_booked_slot_keeps_its_time_in_the_admin(client, center_staff):
    session = make_session()
    slots = list(session.slots.order_by("starts_at"))
    book(slots[0])
    client.force_login(center_staff)
    url = reverse("admin:consultations_consultationsession_change", args=[session.pk])

    response = client.post(
        url, _session_change_data(session, slots, **{"slots-0-starts_at_1": "09:30:00"})
    )

    assert response.status_code == 200
    assert "before changing its time" in response.content.decode()
    slots[0].refresh_from_db()
    assert timezone.localtime(slots[0].starts_at).hour == 10
