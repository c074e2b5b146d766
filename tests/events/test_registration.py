"""Registration services against the database: capacity in seats, the waiting list and its
promotion in order, the window, party sizes, duplicates, questions, staff registrations."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from events import services
from events.models import Answer, Event, Question, Registration
from tests.events.registration_helpers import add_question, make_event, person, register

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def statuses(event: Event) -> list[tuple[str, str]]:
    return list(event.registrations.order_by("pk").values_list("given_name", "status"))


# Capacity and the waiting list ----------------------------------------------------------


def test_registration_is_confirmed_while_seats_remain_and_mailed_with_ics_and_link(
    mailoutbox, django_capture_on_commit_callbacks
):
    event = make_event(capacity=5, online_url="https://meet.example.com/abc")
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(event, party_size=2)

    assert registration.status == Registration.Status.CONFIRMED
    assert registration.channel == Registration.Channel.WEB
    assert registration.privacy_notice_version == services.PRIVACY_NOTICE_VERSION
    assert services.event_seats_taken(event) == 2
    [mail] = mailoutbox
    assert mail.to == ["hanako0@example.com"]
    assert "確定" in mail.subject  # "confirmed"
    assert registration.token in mail.body
    assert "https://meet.example.com/abc" in mail.body
    (filename, content, mimetype), qr_image = mail.attachments
    assert filename == "event.ics"
    assert mimetype.startswith("text/calendar")
    # The check-in QR code, shown in the HTML part by its Content-ID.
    assert qr_image["Content-ID"] == "<checkin-qr>"
    assert qr_image.get_payload(decode=True).startswith(b"\x89PNG")
    assert 'src="cid:checkin-qr"' in mail.alternatives[0][0]
    assert "BEGIN:VCALENDAR" in (content if isinstance(content, str) else content.decode())


def test_registration_is_waitlisted_when_event_is_full(
    mailoutbox, django_capture_on_commit_callbacks
):
    event = make_event(capacity=2, online_url="https://meet.example.com/abc")
    register(event, 1, party_size=2)
    with django_capture_on_commit_callbacks(execute=True):
        waiting = register(event, 2)

    assert waiting.status == Registration.Status.WAITLISTED
    [mail] = mailoutbox
    assert "キャンセル待ち" in mail.subject  # "waiting list"
    assert waiting.token in mail.body
    # The meeting link is for those holding a seat only.
    assert "meet.example.com" not in mail.body
    assert not mail.attachments


def test_capacity_counts_seats_not_registrations():
    event = make_event(capacity=3)
    assert register(event, 1, party_size=2).status == Registration.Status.CONFIRMED
    assert register(event, 2, party_size=2).status == Registration.Status.WAITLISTED
    # A party that fits still gets the last seat.
    assert register(event, 3, party_size=1).status == Registration.Status.CONFIRMED
    assert services.event_seats_taken(event) == 3


def test_event_without_capacity_confirms_everyone():
    event = make_event(capacity=None)
    assert all(register(event, index).status == Registration.Status.CONFIRMED for index in range(5))


def test_full_event_without_waitlist_refuses_and_stores_nothing():
    event = make_event(capacity=1, waitlist=False)
    register(event, 1)
    with pytest.raises(ValidationError, match="full"):
        register(event, 2, answers={})
    assert event.registrations.count() == 1


# The window and the event's state --------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"registration_closes_at": timezone.now() - datetime.timedelta(hours=1)}, "closed"),
        (
            {"registration_opens_at": timezone.now() + datetime.timedelta(days=1)},
            "Registration opens on",
        ),
        ({"starts_in": datetime.timedelta(hours=-1)}, "closed"),
        ({"status": Event.Status.DRAFT}, "not open"),
        ({"status": Event.Status.CANCELLED}, "cancelled"),
        ({"registration_required": False}, "No registration is needed"),
    ],
)
def test_registration_outside_the_window_or_on_a_closed_event_is_refused(changes, message):
    event = make_event(**changes)
    with pytest.raises(ValidationError, match=message):
        register(event)
    assert not Registration.objects.exists()


# Bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize("party_size", [0, -1, 5, 10_000])
def test_party_size_outside_one_to_the_events_maximum_is_refused(party_size):
    event = make_event(max_party_size=4)
    with pytest.raises(ValidationError) as caught:
        register(event, party_size=party_size)
    assert "1 to 4 people" in caught.value.message_dict["party_size"][0]
    assert not Registration.objects.exists()


def test_the_public_must_give_an_email_address():
    event = make_event()
    with pytest.raises(ValidationError) as caught:
        register(event, email="")
    assert "email" in caught.value.message_dict


def test_a_second_live_registration_with_the_same_email_is_refused():
    event = make_event()
    first = register(event, email="Hanako@Example.com")
    with pytest.raises(ValidationError, match="already registered"):
        register(event, 2, email="hanako@example.com")
    assert event.registrations.count() == 1

    # Once cancelled, the same address may register again; another event is another matter.
    services.registration_cancel(registration=first)
    assert register(event, 3, email="hanako@example.com").status == "confirmed"
    assert register(make_event(), 4, email="hanako@example.com").status == "confirmed"


def test_the_database_refuses_a_duplicate_that_slips_past_the_check(monkeypatch):
    event = make_event()
    register(event, 1, email="same@example.com")
    # As if a concurrent request had checked before the first one committed.
    real_filter = Registration.objects.filter

    class _NoDuplicates:
        def exists(self):
            return False

    def filter_without_duplicates(*args, **kwargs):
        if "email__iexact" in kwargs:
            return _NoDuplicates()
        return real_filter(*args, **kwargs)

    monkeypatch.setattr(Registration.objects, "filter", filter_without_duplicates)
    with pytest.raises(ValidationError, match="already registered"):
        register(event, 2, email="same@example.com")
    monkeypatch.undo()
    assert event.registrations.count() == 1


def test_answers_are_validated_and_stored():
    event = make_event()
    text = add_question(event, "ご質問", required=True)
    choice = add_question(
        event, "参加形態", Question.Kind.CHOICE, "会場\nオンライン", required=True
    )
    boxes = add_question(event, "関心", Question.Kind.CHECKBOX, "子育て\n環境\n防災")

    registration = register(
        event,
        answers={text.pk: "会計について", str(choice.pk): "会場", boxes.pk: ["防災", "子育て"]},
    )

    stored = dict(registration.answers.values_list("question__label", "value"))
    assert stored == {"ご質問": "会計について", "参加形態": "会場", "関心": "子育て\n防災"}


@pytest.mark.parametrize(
    "bad_answers",
    [
        {999_999: "forged"},
        {"not-a-number": "forged"},
        {"other-event": "a question of another event"},
    ],
)
def test_a_forged_question_id_is_refused(bad_answers):
    event = make_event()
    add_question(event, "ご質問")
    other = add_question(make_event(), "別のイベントの質問")
    answers = {
        (other.pk if key == "other-event" else key): value for key, value in bad_answers.items()
    }
    with pytest.raises(ValidationError, match="does not match this event's questions"):
        register(event, answers=answers)
    assert not Registration.objects.exists()
    assert not Answer.objects.exists()


def test_required_questions_and_choices_are_enforced():
    event = make_event()
    required = add_question(event, "ご質問", required=True)
    choice = add_question(event, "参加形態", Question.Kind.CHOICE, "会場\nオンライン")
    boxes = add_question(event, "関心", Question.Kind.CHECKBOX, "子育て\n環境")

    with pytest.raises(ValidationError) as caught:
        register(event, answers={required.pk: "  ", choice.pk: "宇宙", boxes.pk: ["環境", "宇宙"]})
    messages = " ".join(caught.value.messages)
    assert "“ご質問” needs an answer" in messages
    assert messages.count("please choose among the options given") == 2
    assert not Registration.objects.exists()


# Cancelling and the waiting list ---------------------------------------------------------


def test_cancelling_promotes_the_waiting_list_in_order_with_a_mail(
    mailoutbox, django_capture_on_commit_callbacks
):
    event = make_event(capacity=2)
    first = register(event, 1)
    register(event, 2)
    register(event, 3)  # waitlisted first
    register(event, 4)  # waitlisted second

    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=first)

    assert statuses(event) == [
        ("花子1", "cancelled"),
        ("花子2", "confirmed"),
        ("花子3", "confirmed"),
        ("花子4", "waitlisted"),
    ]
    promoted = event.registrations.get(given_name="花子3")
    assert promoted.promoted_at is not None
    subjects = {mail.to[0]: mail.subject for mail in mailoutbox}
    assert "キャンセルしました" in subjects["hanako1@example.com"]  # "cancelled"
    assert "繰り上がりました" in subjects["hanako3@example.com"]  # "a seat is free"
    assert "hanako4@example.com" not in subjects
    promoted_mail = next(mail for mail in mailoutbox if mail.to == ["hanako3@example.com"])
    assert promoted_mail.attachments  # the .ics, now that they have a seat


def test_a_party_moves_up_only_if_it_fits_and_a_smaller_one_behind_may_go_first():
    event = make_event(capacity=3)
    first = register(event, 1, party_size=1)
    register(event, 2, party_size=2)
    register(event, 3, party_size=2)  # waiting, needs 2
    register(event, 4, party_size=1)  # waiting, needs 1

    services.registration_cancel(registration=first)  # frees 1 seat

    assert dict(statuses(event))["花子3"] == "waitlisted"
    assert dict(statuses(event))["花子4"] == "confirmed"
    assert services.event_seats_taken(event) == 3


def test_cancelling_twice_changes_nothing_and_waitlisted_cancel_promotes_nobody(mailoutbox):
    event = make_event(capacity=1)
    register(event, 1)
    waiting = register(event, 2)
    register(event, 3)
    services.registration_cancel(registration=waiting)
    services.registration_cancel(registration=waiting)

    assert dict(statuses(event)) == {
        "花子1": "confirmed",
        "花子2": "cancelled",
        "花子3": "waitlisted",
    }


def test_the_registrant_cannot_cancel_once_the_event_has_started_but_staff_can(center_staff):
    event = make_event()
    registration = register(event)
    later = event.starts_at + datetime.timedelta(minutes=5)
    with pytest.raises(ValidationError, match="already started"):
        services.registration_cancel(registration=registration, now=later)
    services.registration_cancel(registration=registration, actor=center_staff, now=later)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED


def test_nobody_is_promoted_once_the_event_has_started(center_staff):
    event = make_event(capacity=1)
    first = register(event, 1)
    register(event, 2)
    services.registration_cancel(
        registration=first, actor=center_staff, now=event.starts_at + datetime.timedelta(minutes=1)
    )
    assert dict(statuses(event))["花子2"] == "waitlisted"


def test_a_waitlisted_person_can_leave_the_list(mailoutbox, django_capture_on_commit_callbacks):
    event = make_event(capacity=1)
    confirmed = register(event, 1)
    waiting = register(event, 2)

    with django_capture_on_commit_callbacks(execute=True):
        services.registration_leave_waitlist(registration=waiting)
    services.registration_leave_waitlist(registration=waiting)  # twice: nothing more

    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.LEFT_WAITLIST
    assert waiting.cancelled_at is not None
    [mail] = mailoutbox
    assert "キャンセル待ちを取り消しました" in mail.subject  # "left the waiting list"
    with pytest.raises(ValidationError, match="not on the waiting list"):
        services.registration_leave_waitlist(registration=confirmed)


def test_registering_inside_the_reminder_window_counts_the_confirmation_as_reminder():
    soon = make_event(starts_in=datetime.timedelta(hours=5), reminder_hours_before=24)
    later = make_event(starts_in=datetime.timedelta(days=5), reminder_hours_before=24)
    assert register(soon).reminder_sent_at is not None
    assert register(later).reminder_sent_at is None


# Staff registrations ---------------------------------------------------------------------


def test_staff_register_a_caller_by_phone_without_email(
    center_staff, mailoutbox, django_capture_on_commit_callbacks
):
    # After the public window closed, with a required question left unanswered.
    event = make_event(registration_closes_at=timezone.now() - datetime.timedelta(hours=1))
    add_question(event, "ご質問", required=True)
    with django_capture_on_commit_callbacks(execute=True):
        registration = services.registration_create(
            event=event,
            family_name="佐藤",
            phone="045-111-2222",
            channel=Registration.Channel.PHONE,
            created_by=center_staff,
        )
    assert registration.status == Registration.Status.CONFIRMED
    assert registration.email == ""
    assert registration.created_by == center_staff
    assert mailoutbox == []
    # Two callers without an address are two registrations.
    services.registration_create(
        event=event, family_name="鈴木", channel=Registration.Channel.PHONE
    )
    assert event.registrations.count() == 2


def test_staff_registrations_still_respect_capacity_and_the_events_state():
    event = make_event(capacity=1, waitlist=False)
    services.registration_create(event=event, family_name="佐藤", channel="phone")
    with pytest.raises(ValidationError, match="full"):
        services.registration_create(event=event, family_name="鈴木", channel="counter")
    over = make_event(starts_in=datetime.timedelta(hours=-5))
    with pytest.raises(ValidationError, match="over"):
        services.registration_create(event=over, family_name="鈴木", channel="phone")


def test_a_walk_in_is_confirmed_even_when_the_event_is_full():
    event = make_event(capacity=1, waitlist=False)
    register(event, 1)
    walk_in = services.registration_create(
        event=event, family_name="高橋", channel=Registration.Channel.WALK_IN
    )
    assert walk_in.status == Registration.Status.CONFIRMED


def test_person_helper_is_valid():
    # Guards the helper the other tests rely on.
    assert person(1)["email"] == "hanako1@example.com"


def test_raising_the_capacity_and_refilling_promotes_the_waiting_list(
    mailoutbox, django_capture_on_commit_callbacks
):
    event = make_event(capacity=1)
    register(event, 1)
    register(event, 2)
    register(event, 3)
    Event.objects.filter(pk=event.pk).update(capacity=2)
    with django_capture_on_commit_callbacks(execute=True):
        promoted = services.waitlist_refill(event=event)
    assert [registration.given_name for registration in promoted] == ["花子2"]
    assert dict(statuses(event))["花子3"] == "waitlisted"
    assert [mail.to for mail in mailoutbox] == [["hanako2@example.com"]]
