from django.test import RequestFactory

from center.core.models import AuditEvent, Ward
from center.core.services import audit_event_record


def test_audit_event_records_who_saw_what_and_from_where(center_staff):
    ward = Ward.objects.get(code="naka")
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.10")
    event = audit_event_record(
        actor=center_staff,
        action=AuditEvent.Action.VIEW,
        target=ward,
        request=request,
        detail={"reason": "triage"},
    )
    event.refresh_from_db()
    assert event.actor == center_staff
    assert event.target_type.model == "ward"
    assert event.target_id == str(ward.pk)
    assert event.ip_address == "192.0.2.10"
    assert event.detail == {"reason": "triage"}


def test_anonymous_actor_is_stored_as_nobody(db):
    from django.contrib.auth.models import AnonymousUser

    ward = Ward.objects.first()
    event = audit_event_record(actor=AnonymousUser(), action="view", target=ward)
    assert event.actor is None
