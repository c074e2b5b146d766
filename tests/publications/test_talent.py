"""The 協働人材バンク talent bank: consent rules, the public pages, contact through the
center, and the back office."""

import io
import re
import time
from unittest import mock

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from PIL import Image

from center.core.cache import public_cache_clear
from center.core.models import OutboxMessage, Ward
from publications import forms_talent
from publications.models import Expertise, TalentContactRequest, TalentProfile
from publications.services import talent as services

pytestmark = pytest.mark.django_db

HIDDEN_EMAIL = "hidden.coordinator@example.org"
LIST = "/talent/"


@pytest.fixture(autouse=True)
def _fresh_page_cache():
    public_cache_clear()
    yield
    public_cache_clear()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def talent_staff(center_staff):
    """Center staff with the permissions the lead adds to roles.py for the talent bank."""
    permissions = Permission.objects.filter(
        content_type__app_label="publications",
        content_type__model__in=["talentprofile", "expertise", "talentcontactrequest"],
    )
    center_staff.user_permissions.add(*permissions)
    return center_staff


def jpeg_bytes(*, exif: bool = False, size=(80, 60)) -> bytes:
    options = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "PhoneMaker"
        data[0x8825] = {1: "N", 2: (35.0, 26.0, 39.0), 3: "E", 4: (139.0, 38.0, 18.0)}
        options["exif"] = data.tobytes()
    buffer = io.BytesIO()
    Image.new("RGB", size, "teal").save(buffer, format="JPEG", **options)
    return buffer.getvalue()


def expertise(name="NPO運営", name_en="Running an NPO", order=0) -> Expertise:
    return Expertise.objects.get_or_create(
        name=name, defaults={"name_en": name_en, "order": order}
    )[0]


def make_profile(
    name="山田 花子",
    kana="やまだ はなこ",
    *,
    public=True,
    fields=(),
    wards=(),
    photo=False,
    **extra,
) -> TalentProfile:
    """A profile as the services leave it: consent recorded and published when `public`."""
    profile = TalentProfile.objects.create(
        name=name,
        name_kana=kana,
        affiliation=extra.pop("affiliation", "NPO法人 みなと協働ネット"),
        activities=extra.pop("activities", "地域の子ども食堂の立ち上げを支援しています。"),
        languages=extra.pop("languages", "日本語, English"),
        email=extra.pop("email", HIDDEN_EMAIL),
        **extra,
    )
    profile.expertise.set(fields)
    profile.wards.set(Ward.objects.filter(code__in=wards))
    if photo:
        profile.photo.save("face.jpg", ContentFile(jpeg_bytes()), save=False)
        profile.photo_alt = f"{name}さんの写真"
        profile.save()
    if public:
        services.talent_record_consent(profile=profile, actor=None)
        services.talent_publish(profile=profile, actor=None)
        profile.refresh_from_db()
    return profile


def page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def detail_url(profile, language="") -> str:
    return f"{language}/talent/{profile.pk}/"


def started_token(seconds_ago: float = 60) -> str:
    with mock.patch("django.core.signing.time.time", return_value=time.time() - seconds_ago):
        return forms_talent.form_started_token()


def contact_post(**overrides) -> dict:
    data = {
        "name": "鈴木 一郎",
        "email": "ichiro@example.net",
        "organization": "港北区子ども食堂ネットワーク",
        "message": "子ども食堂の運営について相談させてください。",
        "privacy_consent": "on",
        "website": "",
        "form_started": started_token(),
    }
    data.update(overrides)
    return data


def send_contact(client, django_capture_on_commit_callbacks, profile, language="", **overrides):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{detail_url(profile, language)}contact/", contact_post(**overrides)
        )
    return response


# Consent rules ----------------------------------------------------------------------------


def test_a_profile_without_recorded_consent_is_never_public_even_if_flagged_in_the_database(
    client,
):
    profile = make_profile(public=False)
    TalentProfile.objects.filter(pk=profile.pk).update(is_published=True)

    assert profile.name not in page(client, LIST)
    page(client, detail_url(profile), 404)
    page(client, f"{detail_url(profile)}contact/", 404)
    page(client, f"{detail_url(profile)}contact/sent/", 404)


def test_a_withdrawn_consent_hides_the_profile_even_if_flagged_published_in_the_database(client):
    profile = make_profile()
    TalentProfile.objects.filter(pk=profile.pk).update(consent_withdrawn_at="2026-01-01T00:00Z")

    assert profile.name not in page(client, LIST)
    page(client, detail_url(profile), 404)


def test_publishing_without_consent_is_refused_with_a_clear_message():
    profile = make_profile(public=False)

    with translation.override("en"):
        with pytest.raises(ValidationError) as refused:
            services.talent_publish(profile=profile, actor=None)
        assert "consent" in " ".join(refused.value.messages)
    profile.refresh_from_db()
    assert profile.is_published is False


def test_recording_consent_notes_who_and_clears_an_earlier_withdrawal(talent_staff):
    profile = make_profile()
    services.talent_withdraw_consent(profile=profile, actor=talent_staff)

    services.talent_record_consent(profile=profile, actor=talent_staff)

    profile.refresh_from_db()
    assert profile.consent_given_at is not None
    assert profile.consent_recorded_by == talent_staff
    assert profile.consent_withdrawn_at is None
    # Consent alone does not publish: that stays a separate, deliberate step.
    assert profile.is_published is False


def test_withdrawing_consent_unpublishes_at_once_and_drops_the_cached_pages(
    client, talent_staff, django_capture_on_commit_callbacks
):
    profile = make_profile()
    assert profile.name in page(client, detail_url(profile))
    assert profile.name in page(client, LIST)
    # The pages are cached now: a change that does not invalidate is not seen...
    TalentProfile.objects.filter(pk=profile.pk).update(affiliation="CHANGED BEHIND THE CACHE")
    assert "CHANGED BEHIND THE CACHE" not in page(client, detail_url(profile))

    with django_capture_on_commit_callbacks(execute=True):
        services.talent_withdraw_consent(profile=profile, actor=talent_staff)

    # ...but the withdrawal is, on the very next request.
    profile.refresh_from_db()
    assert profile.is_published is False
    assert profile.consent_withdrawn_at is not None
    page(client, detail_url(profile), 404)
    assert profile.name not in page(client, LIST)
    with pytest.raises(ValidationError):
        services.talent_publish(profile=profile, actor=talent_staff)


def test_withdrawing_again_keeps_the_first_withdrawal_time():
    profile = make_profile()
    first = services.talent_withdraw_consent(profile=profile, actor=None).consent_withdrawn_at
    again = services.talent_withdraw_consent(profile=profile, actor=None).consent_withdrawn_at
    assert again == first


def test_unpublishing_keeps_the_consent():
    profile = make_profile()
    services.talent_unpublish(profile=profile, actor=None)
    profile.refresh_from_db()
    assert profile.is_published is False
    assert profile.consent_given_at is not None
    services.talent_publish(profile=profile, actor=None)
    assert TalentProfile.objects.published().filter(pk=profile.pk).exists()


# The public list --------------------------------------------------------------------------


def test_the_list_shows_what_a_visitor_needs_and_never_the_address(client):
    npo = expertise()
    make_profile(fields=[npo], wards=["tsurumi", "naka"], photo=True)

    text = page(client, LIST)

    assert text.count("<h1") == 1
    for shown in (
        "山田 花子",
        "やまだ はなこ",
        "NPO法人 みなと協働ネット",
        "NPO運営",
        "鶴見区",
        "中区",
    ):
        assert shown in text, shown
    assert re.search(r'<img [^>]*src="/media/talent/[^"]+"[^>]*alt="山田 花子さんの写真"', text)
    assert HIDDEN_EMAIL not in text
    assert 'href="/talent/' in text


def test_the_list_is_in_japanese_order_of_the_readings(client):
    make_profile("渡辺 健", "わたなべ けん")
    make_profile("青木 誠", "あおき まこと")
    make_profile("佐藤 涼子", "さとう りょうこ")

    text = page(client, LIST)

    positions = [text.index(name) for name in ("青木 誠", "佐藤 涼子", "渡辺 健")]
    assert positions == sorted(positions)


def test_the_list_filters_by_field_of_expertise_and_by_ward(client):
    npo, fund = expertise(), expertise("ファンドレイジング", "Fundraising", 1)
    make_profile("青木 誠", "あおき まこと", fields=[npo], wards=["tsurumi"])
    make_profile("佐藤 涼子", "さとう りょうこ", fields=[fund], wards=["naka"])
    make_profile("渡辺 健", "わたなべ けん", fields=[npo, fund], wards=["naka"])

    by_field = page(client, f"{LIST}?expertise={fund.pk}")
    by_ward = page(client, f"{LIST}?ward=tsurumi")
    both = page(client, f"{LIST}?expertise={npo.pk}&ward=naka")

    assert "佐藤 涼子" in by_field and "渡辺 健" in by_field and "青木 誠" not in by_field
    assert "青木 誠" in by_ward and "佐藤 涼子" not in by_ward and "渡辺 健" not in by_ward
    assert "渡辺 健" in both and "青木 誠" not in both and "佐藤 涼子" not in both
    assert re.search(rf'<option value="{fund.pk}" selected>', by_field)


# The page cache looks the key up before the view runs; a very long query string makes a
# key memcached would refuse (Redis takes it), which Django warns about.
@pytest.mark.filterwarnings("ignore::django.core.cache.backends.base.CacheKeyWarning")
@pytest.mark.parametrize(
    "query",
    [
        "expertise=abc",
        "expertise=999999",
        "expertise=99999999999999999999999",
        "ward=atlantis",
        "ward=naka%00",
        "expertise=1%0d%0aSet-Cookie:x",
        "ward=" + "あ" * 10_000,
        "expertise=" + "9" * 10_000,
    ],
)
def test_a_malformed_or_unknown_filter_shows_an_error_and_no_results_never_a_500(client, query):
    make_profile()

    # 400, not 200: the page is not cached, so junk queries cannot fill the page cache.
    text = page(client, f"{LIST}?{query}", 400)

    assert "error-summary" in text
    assert "山田 花子" not in text


def test_the_list_costs_the_same_queries_for_1_or_15_profiles(
    client, django_assert_max_num_queries
):
    fields = [expertise(f"分野{i}", f"Field {i}", i) for i in range(4)]
    wards = list(Ward.objects.in_order().values_list("code", flat=True)[:4])
    make_profile("一人目", "いちにんめ", fields=fields, wards=wards, photo=True)
    with CaptureQueriesContext(connection) as one:
        page(client, LIST)
    for number in range(14):
        make_profile(
            f"協働 {number}", f"きょうどう {number:02}", fields=fields, wards=wards, photo=True
        )
    public_cache_clear()

    with django_assert_max_num_queries(len(one.captured_queries)):
        text = page(client, LIST)

    assert text.count('class="card h-100"') == 15
    assert len(one.captured_queries) <= 6


# The public profile ------------------------------------------------------------------------


def test_the_profile_shows_activities_languages_and_the_way_to_contact(
    client, django_assert_max_num_queries
):
    profile = make_profile(fields=[expertise()], wards=["naka"], photo=True)

    with django_assert_max_num_queries(4):
        text = page(client, detail_url(profile))

    assert text.count("<h1") == 1
    for shown in ("子ども食堂の立ち上げ", "日本語, English", "中区", "NPO運営", "やまだ はなこ"):
        assert shown in text, shown
    assert f'href="/talent/{profile.pk}/contact/"' in text
    assert 'alt="山田 花子さんの写真"' in text
    assert HIDDEN_EMAIL not in text


def test_the_profile_activities_are_escaped_markup_never_runs(client):
    profile = make_profile(activities='<script>alert(1)</script><img src=x onerror="alert(2)">')
    text = page(client, detail_url(profile))
    assert "<script>alert(1)" not in text
    assert "onerror=" not in text.replace("onerror=&quot;", "")


@pytest.mark.parametrize(
    "url",
    ["/talent/999999/", "/talent/99999999999999999999999/", "/talent/0/", "/talent/abc/"],
)
def test_an_unknown_or_forged_profile_id_is_a_404(client, url):
    make_profile()
    page(client, url, 404)
    page(client, url + "contact/", 404)


def test_the_english_pages_work(client):
    profile = make_profile(fields=[expertise()], wards=["naka"])

    listing = page(client, "/en/talent/")
    detail = page(client, detail_url(profile, "/en"))

    assert '<html lang="en">' in listing
    assert "Collaboration talent bank" in listing
    assert "Running an NPO" in listing and "Naka" in listing
    assert f'href="/en/talent/{profile.pk}/"' in listing
    assert f'href="/en/talent/{profile.pk}/contact/"' in detail
    assert "Contact this coordinator through the center" in detail
    assert HIDDEN_EMAIL not in listing + detail


def test_the_coordinators_address_is_in_no_public_page(client, django_capture_on_commit_callbacks):
    profile = make_profile(fields=[expertise()], wards=["naka"], photo=True)
    urls = [
        LIST,
        f"{LIST}?ward=naka",
        detail_url(profile),
        f"{detail_url(profile)}contact/",
        f"{detail_url(profile)}contact/sent/",
    ]
    for language in ("", "/en"):
        for url in urls:
            assert HIDDEN_EMAIL not in page(client, language + url), url
    response = send_contact(client, django_capture_on_commit_callbacks, profile, message="")
    assert HIDDEN_EMAIL not in response.content.decode()


# Contact through the center ----------------------------------------------------------------


def test_the_contact_form_has_its_fields_a_privacy_link_and_is_never_cached(client):
    profile = make_profile()
    response = client.get(f"{detail_url(profile)}contact/")
    text = response.content.decode()

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "csrfmiddlewaretoken" in text
    assert text.count("<h1") == 1
    for name in ("name", "email", "organization", "message", "privacy_consent", "form_started"):
        assert f'name="{name}"' in text, name
    assert 'href="/privacy/"' in text
    honeypot = re.search(r'<div class="visually-hidden" aria-hidden="true">(.*?)</div>', text, re.S)
    assert honeypot and re.search(r'<input[^>]*name="website"[^>]*tabindex="-1"', honeypot[1])
    assert "style=" not in text


def test_a_message_is_stored_and_mailed_to_staff_with_a_receipt_to_the_visitor(
    client, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.STAFF_ALERT_EMAILS = ["desk@center.example.jp"]
    profile = make_profile()

    response = send_contact(client, django_capture_on_commit_callbacks, profile)

    assert response.status_code == 302
    assert response["Location"] == f"/talent/{profile.pk}/contact/sent/"
    contact = TalentContactRequest.objects.get()
    assert (contact.profile, contact.name, contact.email) == (
        profile,
        "鈴木 一郎",
        "ichiro@example.net",
    )
    assert contact.handled_at is None
    staff, receipt = sorted(mailoutbox, key=lambda mail: mail.to != ["desk@center.example.jp"])
    assert staff.to == ["desk@center.example.jp"]
    assert "山田 花子" in staff.subject
    for shown in ("子ども食堂の運営について", "ichiro@example.net", "鈴木 一郎", "山田 花子"):
        assert shown in staff.body, shown
    assert f"/admin/publications/talentcontactrequest/{contact.pk}/change/" in staff.body
    assert receipt.to == ["ichiro@example.net"]
    assert "山田 花子" in receipt.body
    # The receipt repeats nothing the visitor typed, and neither mail shows the address.
    assert "子ども食堂の運営について" not in receipt.body
    assert all(HIDDEN_EMAIL not in mail.body + mail.subject for mail in mailoutbox)
    assert all(HIDDEN_EMAIL not in mail.alternatives[0][0] for mail in mailoutbox)
    sent = client.get(response["Location"])
    assert sent.status_code == 200
    assert "山田 花子" in sent.content.decode()


def test_an_english_visitor_gets_the_receipt_in_english(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    profile = make_profile()

    response = send_contact(client, django_capture_on_commit_callbacks, profile, language="/en")

    assert response["Location"] == f"/en/talent/{profile.pk}/contact/sent/"
    receipt = next(mail for mail in mailoutbox if mail.to == ["ichiro@example.net"])
    assert "Thank you for your message" in receipt.body
    staff = next(mail for mail in mailoutbox if mail is not receipt)
    assert "English" in staff.body or "英語" in staff.body


@pytest.mark.parametrize(
    "spam",
    [
        {"website": "http://cheap-pills.example"},
        {"form_started": "now"},
        {"form_started": ""},
        {"form_started": "too-fast"},
        {"form_started": "too-old"},
    ],
)
def test_a_suspect_message_is_kept_but_mails_no_one_and_gets_the_same_page(
    client, mailoutbox, django_capture_on_commit_callbacks, spam
):
    profile = make_profile()
    spam = dict(spam)
    if spam.get("form_started") == "too-fast":
        spam["form_started"] = started_token(seconds_ago=0.5)
    elif spam.get("form_started") == "too-old":
        spam["form_started"] = started_token(seconds_ago=25 * 3600)

    response = send_contact(client, django_capture_on_commit_callbacks, profile, **spam)

    assert response.status_code == 302
    assert response["Location"] == f"/talent/{profile.pk}/contact/sent/"
    assert TalentContactRequest.objects.count() == 1
    assert mailoutbox == []
    assert not OutboxMessage.objects.exists()


def test_validation_errors_are_listed_in_the_error_summary_and_nothing_is_stored(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    profile = make_profile()

    response = send_contact(
        client,
        django_capture_on_commit_callbacks,
        profile,
        email="not-an-address",
        message="",
        privacy_consent="",
    )

    text = response.content.decode()
    assert response.status_code == 200
    summary = re.search(r'<div class="alert alert-danger error-summary".*?</div>', text, re.S)[0]
    for field in ("email", "message", "privacy_consent"):
        assert f'href="#id_{field}"' in summary, field
    assert 'aria-invalid="true"' in text
    assert not TalentContactRequest.objects.exists()
    assert mailoutbox == []


def test_a_10000_character_message_is_refused_with_a_clear_error(
    client, django_capture_on_commit_callbacks
):
    profile = make_profile()

    response = send_contact(
        client, django_capture_on_commit_callbacks, profile, message="あ" * 10_000
    )

    assert response.status_code == 200
    assert 'href="#id_message"' in response.content.decode()
    assert not TalentContactRequest.objects.exists()


def test_control_characters_are_dropped_from_what_is_stored(
    client, django_capture_on_commit_callbacks
):
    profile = make_profile()

    response = send_contact(
        client,
        django_capture_on_commit_callbacks,
        profile,
        name="鈴木\x00 一郎\u202e\x1b",
        organization="\x07港北区",
        message="一行目\r\n二行目\x00\x08",
    )

    assert response.status_code == 302
    contact = TalentContactRequest.objects.get()
    assert contact.name == "鈴木 一郎"
    assert contact.organization == "港北区"
    assert contact.message == "一行目\n二行目"


def test_a_message_to_a_profile_that_was_just_withdrawn_is_a_404(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    profile = make_profile()
    services.talent_withdraw_consent(profile=profile, actor=None)

    response = send_contact(client, django_capture_on_commit_callbacks, profile)

    assert response.status_code == 404
    assert not TalentContactRequest.objects.exists()
    assert mailoutbox == []


def test_the_service_refuses_a_profile_that_is_not_public():
    profile = make_profile(public=False)
    with pytest.raises(ValidationError):
        services.talent_contact_request_create(
            profile=profile,
            name="x",
            email="x@example.net",
            organization="",
            message="hello",
            language="ja",
        )


# The back office ---------------------------------------------------------------------------

ADMIN = "/admin/publications/talentprofile/"


def admin_data(profile=None, **overrides) -> dict:
    data = {
        "name": "高橋 直子",
        "name_kana": "タカハシ ナオコ",
        "affiliation": "",
        "email": "naoko@example.org",
        "photo_alt": "",
        "activities": "",
        "languages": "",
        "expertise": [],
        "wards": [],
        "_continue": "1",
    }
    if profile is not None:
        data.update(
            name=profile.name,
            name_kana=profile.name_kana,
            affiliation=profile.affiliation,
            email=profile.email,
            photo_alt=profile.photo_alt,
            activities=profile.activities,
            languages=profile.languages,
            expertise=[item.pk for item in profile.expertise.all()],
            wards=[ward.pk for ward in profile.wards.all()],
        )
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_a_photo_is_stored_without_exif_and_needs_alt_text(client, talent_staff):
    client.force_login(talent_staff)

    refused = client.post(
        f"{ADMIN}add/",
        admin_data(photo=SimpleUploadedFile("me.jpg", jpeg_bytes(exif=True), "image/jpeg")),
    )
    assert refused.status_code == 200
    assert "Describe the photo" in refused.content.decode() or "写真" in refused.content.decode()
    assert not TalentProfile.objects.exists()

    response = client.post(
        f"{ADMIN}add/",
        admin_data(
            photo=SimpleUploadedFile("me.jpg", jpeg_bytes(exif=True), "image/jpeg"),
            photo_alt="会議で話す高橋さん",
        ),
    )
    assert response.status_code == 302
    profile = TalentProfile.objects.get()
    with profile.photo.open("rb") as stored, Image.open(stored) as image:
        assert not image.getexif()
    # Readings are kept in hiragana, so the list sorts in 五十音 order.
    assert profile.name_kana == "たかはし なおこ"
    assert profile.is_published is False


def test_a_file_that_is_not_an_image_is_refused_clearly(client, talent_staff):
    client.force_login(talent_staff)
    response = client.post(
        f"{ADMIN}add/",
        admin_data(photo=SimpleUploadedFile("me.jpg", b"%PDF-1.4 not an image"), photo_alt="x"),
    )
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    assert not TalentProfile.objects.exists()


def test_the_published_flag_and_consent_cannot_be_posted_as_fields(client, talent_staff):
    profile = make_profile(public=False)
    client.force_login(talent_staff)

    client.post(
        f"{ADMIN}{profile.pk}/change/",
        admin_data(
            profile, is_published="on", consent_given_at="2026-01-01 00:00", consent_withdrawn_at=""
        ),
    )

    profile.refresh_from_db()
    assert profile.is_published is False
    assert profile.consent_given_at is None


def test_the_buttons_on_the_profile_page_call_the_services(
    client, talent_staff, django_capture_on_commit_callbacks
):
    profile = make_profile(public=False)
    client.force_login(talent_staff)
    url = f"{ADMIN}{profile.pk}/change/"

    text = page(client, url)
    assert 'name="_talent_action" value="record_consent"' in text
    # The Save row comes first, so Enter in a field saves rather than pressing a button.
    assert text.index('name="_save"') < text.index('name="_talent_action"')

    refused = client.post(url, admin_data(profile, _talent_action="publish"), follow=True)
    assert "consent" in refused.content.decode().lower() or "同意" in refused.content.decode()
    profile.refresh_from_db()
    assert profile.is_published is False

    client.post(url, admin_data(profile, _talent_action="record_consent"))
    client.post(url, admin_data(profile, _talent_action="publish"))
    profile.refresh_from_db()
    assert profile.consent_recorded_by == talent_staff and profile.is_published
    page(client, detail_url(profile))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, admin_data(profile, _talent_action="withdraw_consent"))
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.is_published is False and profile.consent_withdrawn_at is not None
    client.logout()
    page(client, detail_url(profile), 404)


def test_the_changelist_actions_call_the_services_and_report_refusals(client, talent_staff):
    ready = make_profile("青木 誠", "あおき まこと", public=False)
    services.talent_record_consent(profile=ready, actor=None)
    no_consent = make_profile("佐藤 涼子", "さとう りょうこ", public=False)
    client.force_login(talent_staff)

    response = client.post(
        ADMIN,
        {"action": "publish", "_selected_action": [ready.pk, no_consent.pk]},
        follow=True,
    )

    assert response.status_code == 200
    assert TalentProfile.objects.published().get() == ready
    assert "佐藤 涼子" in response.content.decode()

    client.post(ADMIN, {"action": "withdraw_consent", "_selected_action": [ready.pk]})
    assert not TalentProfile.objects.published().exists()


def test_an_edit_in_the_admin_shows_on_the_public_page_at_once(
    client, talent_staff, django_capture_on_commit_callbacks
):
    profile = make_profile()
    assert "NPO法人 みなと協働ネット" in page(client, detail_url(profile))
    staff = client.__class__()
    staff.force_login(talent_staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(
            f"{ADMIN}{profile.pk}/change/", admin_data(profile, affiliation="横浜協働大学")
        )

    assert response.status_code == 302
    assert "横浜協働大学" in page(client, detail_url(profile))


def test_the_changelist_filters_and_search_work(client, talent_staff):
    npo = expertise()
    make_profile(fields=[npo], wards=["naka"])
    make_profile("佐藤 涼子", "さとう りょうこ", public=False)
    client.force_login(talent_staff)
    naka = Ward.objects.get(code="naka")

    for query, shown, hidden in (
        ("", ["山田 花子", "佐藤 涼子"], []),
        ("?consent=given", ["山田 花子"], ["佐藤 涼子"]),
        ("?consent=none", ["佐藤 涼子"], ["山田 花子"]),
        ("?consent=withdrawn", [], ["山田 花子", "佐藤 涼子"]),
        ("?is_published__exact=1", ["山田 花子"], ["佐藤 涼子"]),
        (f"?expertise__id__exact={npo.pk}", ["山田 花子"], ["佐藤 涼子"]),
        (f"?wards__id__exact={naka.pk}", ["山田 花子"], ["佐藤 涼子"]),
        ("?q=さとう", ["佐藤 涼子"], ["山田 花子"]),
    ):
        text = page(client, ADMIN + query)
        # Names show in the result rows as links to the change page.
        rows = re.findall(r'<th class="field-name"><a [^>]*>([^<]+)</a>', text)
        assert all(name in rows for name in shown), (query, rows)
        assert not any(name in rows for name in hidden), (query, rows)


def test_staff_read_contact_requests_and_mark_them_handled(
    client, talent_staff, django_capture_on_commit_callbacks
):
    profile = make_profile()
    send_contact(client, django_capture_on_commit_callbacks, profile)
    contact = TalentContactRequest.objects.get()
    client.force_login(talent_staff)
    base = "/admin/publications/talentcontactrequest/"

    text = page(client, f"{base}{contact.pk}/change/")
    assert "子ども食堂の運営について" in text and "ichiro@example.net" in text
    assert page(client, f"{base}add/", 403)

    client.post(base, {"action": "mark_handled", "_selected_action": [contact.pk]})
    contact.refresh_from_db()
    assert contact.handled_at is not None
    assert "鈴木 一郎" in page(client, f"{base}?handled=yes")


def test_an_outsider_and_a_coordinator_without_the_permission_see_no_contact_request(
    client, outsider, django_capture_on_commit_callbacks
):
    profile = make_profile()
    send_contact(client, django_capture_on_commit_callbacks, profile)
    contact = TalentContactRequest.objects.get()
    client.force_login(outsider)
    response = client.get(
        reverse("admin:publications_talentcontactrequest_change", args=[contact.pk])
    )
    assert response.status_code in (302, 403, 404)
    assert "子ども食堂の運営について" not in response.content.decode()
