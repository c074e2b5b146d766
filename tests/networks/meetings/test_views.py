"""The network home, meeting pages, material downloads and upload checks."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from center.core.models import AuditEvent
from networks import services_meetings as services
from networks.forms_meetings import MeetingMaterialAdminForm
from networks.models import MeetingMaterial

from .helpers import (  # noqa: F401
    center_of,
    make_action_item,
    make_material,
    make_meeting,
    pdf_bytes,
    private_media,
)

pytestmark = pytest.mark.django_db

HOME = "/network/"


def test_home_shows_upcoming_meetings_with_my_reply_minutes_materials_and_my_items(
    client,
    tsurumi_staff,
    private_media,  # noqa: F811
):
    upcoming = make_meeting(title="次回会議")
    services.rsvp_save(
        meeting=upcoming,
        ward_center=center_of("tsurumi"),
        attending=True,
        attendee_names="佐藤",
    )
    past = make_meeting(days=-30, title="前回会議", minutes="議事録本文")
    services.minutes_publish(meeting=past)
    material = make_material(past, title="配布資料")
    mine = make_action_item(owner=center_of("tsurumi"), title="鶴見の宿題")
    everyone = make_action_item(owner=None, all_wards=True, title="全区の宿題")
    theirs = make_action_item(owner=center_of("naka"), title="中区の宿題")
    done = make_action_item(owner=center_of("tsurumi"), title="済んだ宿題", status="done")

    client.force_login(tsurumi_staff)
    response = client.get(HOME)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert response.context["upcoming"][0][0] == upcoming
    assert response.context["upcoming"][0][1].attendee_names == "佐藤"
    assert list(response.context["latest_minutes"]) == [past]
    assert list(response.context["latest_materials"]) == [material]
    assert set(response.context["action_items"]) == {mine, everyone}
    html = response.content.decode()
    assert "鶴見の宿題" in html and "全区の宿題" in html
    assert "中区の宿題" not in html and "済んだ宿題" not in html
    assert theirs not in response.context["action_items"]
    assert done not in response.context["action_items"]
    assert 'data-rsvp="attending"' in html


def test_home_for_center_and_city_staff_lists_every_open_item(client, center_staff, city_staff):
    items = {make_action_item(owner=center_of(code)) for code in ("tsurumi", "naka")}
    for user in (center_staff, city_staff):
        client.force_login(user)
        response = client.get(HOME)
        assert response.status_code == 200
        assert set(response.context["action_items"]) == items


def test_home_refuses_other_accounts_and_sends_visitors_to_login(client, org_member, outsider):
    response = client.get(HOME)
    assert response.status_code == 302 and "/accounts/login/" in response.url
    for user in (org_member, outsider):
        client.force_login(user)
        assert client.get(HOME).status_code == 403


def test_ward_staff_without_mfa_are_sent_to_set_it_up(client):
    from .helpers import make_ward_user

    user = make_ward_user("midori", totp=False)
    client.force_login(user)
    response = client.get(HOME)
    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")


def test_ward_staff_cannot_open_the_admin(client, tsurumi_staff):
    client.force_login(tsurumi_staff)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response.url
    assert client.get("/admin/networks/meeting/").status_code == 302


def test_center_staff_manage_meetings_in_the_admin(client, center_staff):
    meeting = make_meeting()
    client.force_login(center_staff)
    assert client.get("/admin/networks/meeting/").status_code == 200
    assert client.get(f"/admin/networks/meeting/{meeting.pk}/change/").status_code == 200
    assert client.get("/admin/networks/actionitem/?status__exact=open").status_code == 200


def test_meeting_list_and_page_show_agenda_in_order_and_sanitised_minutes(client, naka_staff):
    meeting = make_meeting(days=-1, minutes="**決定事項**<script>alert(1)</script>")
    meeting.agenda_items.create(order=2, title="二つ目")
    meeting.agenda_items.create(order=1, title="一つ目")
    services.minutes_publish(meeting=meeting)
    client.force_login(naka_staff)
    assert client.get(reverse("networks:meeting_list")).status_code == 200
    html = client.get(reverse("networks:meeting_detail", args=[meeting.pk])).content.decode()
    assert html.index("一つ目") < html.index("二つ目")
    assert "<strong>決定事項</strong>" in html
    assert "<script>alert(1)" not in html


def test_unpublished_minutes_are_not_shown(client, naka_staff):
    meeting = make_meeting(days=-1, minutes="下書きの議事録")
    client.force_login(naka_staff)
    html = client.get(reverse("networks:meeting_detail", args=[meeting.pk])).content.decode()
    assert "下書きの議事録" not in html


def test_material_is_served_to_network_users_only(
    client,
    tsurumi_staff,
    org_member,
    private_media,  # noqa: F811
):
    material = make_material(make_meeting())
    url = reverse("networks:meeting_material", args=[material.pk])
    assert client.get(url).status_code == 302
    client.force_login(org_member)
    assert client.get(url).status_code == 403
    client.force_login(tsurumi_staff)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    assert (
        client.get(reverse("networks:meeting_material", args=[material.pk + 1])).status_code == 404
    )


def test_a_material_download_is_never_sniffed_keeps_its_japanese_name_and_is_audited(
    client,
    tsurumi_staff,
    private_media,  # noqa: F811
):
    upload = SimpleUploadedFile("議事資料.pdf", pdf_bytes(), content_type="application/pdf")
    material = services.material_add(meeting=make_meeting(), title="", upload=upload, notify=False)
    client.force_login(tsurumi_staff)
    response = client.get(reverse("networks:meeting_material", args=[material.pk]))
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    # RFC 5987 percent-encoding of 議事資料.pdf
    assert (
        "filename*=utf-8''%E8%AD%B0%E4%BA%8B%E8%B3%87%E6%96%99.pdf"
        in (response["Content-Disposition"])
    )
    event = AuditEvent.objects.get(action=AuditEvent.Action.DOWNLOAD)
    assert (event.actor, event.detail) == (tsurumi_staff, {"meeting_material": material.pk})


def test_a_material_missing_from_storage_is_a_404_and_not_audited(
    client,
    tsurumi_staff,
    private_media,  # noqa: F811
):
    material = make_material(make_meeting())
    (private_media / material.file.name).unlink()
    client.force_login(tsurumi_staff)
    assert client.get(reverse("networks:meeting_material", args=[material.pk])).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.DOWNLOAD).exists()


def _admin_form(upload):
    return MeetingMaterialAdminForm(data={"title": "資料"}, files={"file": upload})


def test_a_wrongly_typed_material_is_refused_with_a_clear_message():
    with __import__("django").utils.translation.override("en"):
        form = _admin_form(
            SimpleUploadedFile("evil.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
        )
        assert not form.is_valid()
        assert "evil.pdf" in form.errors["file"][0]
        assert "cannot be accepted" in form.errors["file"][0]


def test_an_oversized_material_is_refused_with_a_clear_message(monkeypatch):
    monkeypatch.setattr("consultations.uploads.MAX_ATTACHMENT_BYTES", 1000)
    with __import__("django").utils.translation.override("en"):
        form = _admin_form(SimpleUploadedFile("big.pdf", pdf_bytes() + b" " * 2000))
        assert not form.is_valid()
        assert "larger than" in form.errors["file"][0]


def test_a_valid_material_keeps_its_name_type_and_size(private_media):  # noqa: F811
    meeting = make_meeting()
    form = _admin_form(SimpleUploadedFile("議事次第.pdf", pdf_bytes()))
    assert form.is_valid(), form.errors
    material = form.save(commit=False)
    material.meeting = meeting
    material.save()
    material = MeetingMaterial.objects.get(pk=material.pk)
    assert material.original_name == "議事次第.pdf"
    assert material.content_type == "application/pdf"
    assert material.size == len(pdf_bytes())
    assert material.notified_at is None


def _admin_meeting_post(upload_name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile as Upload

    payload = {
        "title": "第9回 ネットワーク会議",
        "starts_at_0": "2030-04-01",
        "starts_at_1": "14:00",
        "ends_at_0": "",
        "ends_at_1": "",
        "place": "会議室",
        "online_url": "",
        "description": "",
        "rsvp_deadline_0": "",
        "rsvp_deadline_1": "",
        "minutes": "",
    }
    for prefix in ("agenda_items", "materials", "action_items", "rsvps"):
        payload.update(
            {
                f"{prefix}-TOTAL_FORMS": "1" if prefix == "materials" else "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    payload["materials-0-title"] = "次第"
    payload["materials-0-file"] = Upload(upload_name, data)
    return payload


def test_admin_refuses_a_wrongly_typed_material_on_the_form(client, center_staff):
    from networks.models import Meeting

    client.force_login(center_staff)
    response = client.post(
        "/en/admin/networks/meeting/add/", _admin_meeting_post("x.pdf", b"<html>not a pdf")
    )
    assert response.status_code == 200
    assert b"cannot be accepted" in response.content
    assert not Meeting.objects.exists()


def test_admin_upload_stores_the_material_and_announces_it_once(
    client,
    center_staff,
    tsurumi_staff,
    private_media,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    from django.core import mail

    client.force_login(center_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/networks/meeting/add/", _admin_meeting_post("次第.pdf", pdf_bytes())
        )
    assert response.status_code == 302
    material = MeetingMaterial.objects.get()
    assert material.original_name == "次第.pdf" and material.notified_at is not None
    assert [m.to for m in mail.outbox] == [[tsurumi_staff.email]]
