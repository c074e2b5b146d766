"""Pamphlets: publishing builds a stored A4 PDF through the task; the PDF and the web version
show the Japanese text; drafts stay hidden; staff edit sections in the admin (which rebuilds
the PDF), see failures and rebuild; bad uploads are form errors."""

import io
import re
import subprocess
from urllib.parse import quote

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from center.accounts.roles import CENTER_STAFF
from center.core.models import OutboxMessage
from publications.models import Pamphlet, PamphletSection, PdfStatus
from publications.services import pamphlets as services
from tests.conftest import require_command, require_japanese_font
from tests.publications.test_story_admin import browser_post_data, message_texts

pytestmark = pytest.mark.django_db

A4_POINTS = (595.28, 841.89)
LIST = "/pamphlets/"
ADMIN_CHANGELIST = "/admin/publications/pamphlet/"
# What roles.py should grant center staff (reported to the lead); given here until it does.
STAFF_PERMISSIONS = [
    f"{action}_{model}"
    for model in ("pamphlet", "pamphletsection", "namecard")
    for action in ("view", "add", "change", "delete")
]


@pytest.fixture(autouse=True)
def _media_cache_and_permissions(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    cache.clear()
    group = Group.objects.get(name=CENTER_STAFF)
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="publications", codename__in=STAFF_PERMISSIONS
        )
    )
    yield
    cache.clear()


def make_pamphlet(
    title="総合相談のご案内",
    *,
    sections=(("相談窓口とは", "どなたからのご相談もお受けします。"),),
    published=False,
    **fields,
) -> Pamphlet:
    pamphlet = services.pamphlet_save(
        pamphlet=Pamphlet(title=title, summary=fields.pop("summary", f"{title}の概要"), **fields),
        rebuild=False,
    )
    for heading, body in sections:
        services.pamphlet_section_add(pamphlet=pamphlet, heading=heading, body=body)
    if published:
        services.pamphlet_publish(pamphlet=pamphlet)
    return pamphlet


def published(django_capture_on_commit_callbacks, **kwargs) -> Pamphlet:
    """A pamphlet published with its build run to the end, as a worker would."""
    with django_capture_on_commit_callbacks(execute=True):
        pamphlet = make_pamphlet(published=True, **kwargs)
    pamphlet.refresh_from_db()
    return pamphlet


def pdftotext(pdf: bytes, tmp_path, *, first: int | None = None, last: int | None = None) -> str:
    require_command("pdftotext", "poppler-utils")
    path = tmp_path / "document.pdf"
    path.write_bytes(pdf)
    pages = []
    if first:
        pages += ["-f", str(first)]
    if last:
        pages += ["-l", str(last)]
    result = subprocess.run(
        ["pdftotext", "-layout", *pages, str(path), "-"],
        capture_output=True,
        check=True,
        timeout=60,
    )
    return result.stdout.decode("utf-8")


def compact(text: str) -> str:
    """pdftotext puts spaces and line breaks where the layout had them: compare without."""
    return "".join(text.split())


def stored_pdf(pamphlet: Pamphlet) -> bytes:
    with default_storage.open(pamphlet.pdf.name, "rb") as handle:
        return handle.read()


def jpeg_upload(name="photo.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (80, 60), "teal").save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


# Publishing builds the PDF ----------------------------------------------------------------


def test_publishing_queues_the_build_and_stores_the_pdf(django_capture_on_commit_callbacks):
    pamphlet = make_pamphlet()
    assert pamphlet.pdf_status == PdfStatus.NONE
    with django_capture_on_commit_callbacks(execute=True):
        services.pamphlet_publish(pamphlet=pamphlet)
    # Through the outbox, so a publish while Redis is down still gets its PDF later.
    message = OutboxMessage.objects.get(task_name=services.BUILD_PAMPHLET_TASK)
    assert message.args == [pamphlet.pk, 1]
    assert message.sent_at is not None
    pamphlet.refresh_from_db()
    assert pamphlet.pdf_status == PdfStatus.READY
    assert pamphlet.pdf_built_at is not None
    assert pamphlet.pdf.name.startswith("pamphlets/pdf/")
    content = stored_pdf(pamphlet)
    assert content.startswith(b"%PDF")
    assert pamphlet.pdf_size == len(content)


def test_pamphlet_pdf_is_a4_with_cover_contents_sections_and_page_numbers(
    django_capture_on_commit_callbacks, tmp_path
):
    require_japanese_font()
    long_body = "\n\n".join(["市民活動や市民協働に関する相談を受け付けます。" * 8] * 12)
    pamphlet = published(
        django_capture_on_commit_callbacks,
        title="協働のための総合相談窓口のご案内",
        edition="2023年度版",
        sections=[
            ("総合相談窓口とは", long_body),
            ("市民協働相談会（年5回）", "協働コーディネーターが相談に乗ります。"),
            ("士業相談会（年4回）", "税理士・社会保険労務士に相談できます。"),
        ],
    )
    content = stored_pdf(pamphlet)
    reader = PdfReader(io.BytesIO(content))
    pages = len(reader.pages)
    assert pages >= 3  # the cover, then the sections over several pages
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width, 1), round(height, 1)) == (
            round(A4_POINTS[0], 1),
            round(A4_POINTS[1], 1),
        )
    assert reader.metadata.title == "協働のための総合相談窓口のご案内"

    cover = compact(pdftotext(content, tmp_path, first=1, last=1))
    assert "協働のための総合相談窓口のご案内" in cover
    assert "2023年度版" in cover
    # The contents list every section with the page it starts on.
    assert re.search(r"総合相談窓口とは[.\s]*2", cover)
    assert re.search(r"士業相談会（年4回）[.\s]*\d+", cover)
    # No number on the cover; "n / N" on every other page.
    assert f"1/{pages}" not in cover
    second = compact(pdftotext(content, tmp_path, first=2, last=2))
    assert f"2/{pages}" in second
    assert "協働のための総合相談窓口のご案内" in second  # the running header
    whole = compact(pdftotext(content, tmp_path))
    assert "市民活動や市民協働に関する相談を受け付けます。" in whole
    assert "税理士・社会保険労務士に相談できます。" in whole
    assert f"{pages}/{pages}" in whole


def test_both_demo_pamphlets_are_published_with_their_japanese_pdfs(
    django_capture_on_commit_callbacks, tmp_path
):
    require_japanese_font()
    from publications.demo import pamphlets as demo

    with django_capture_on_commit_callbacks(execute=True):
        demo.load()
        demo.load()  # idempotent
    consultation, npo = Pamphlet.objects.order_by("order")
    assert consultation.title == demo.CONSULTATION["title"]
    assert npo.title == demo.NPO_INTRODUCTION["title"]
    assert Pamphlet.objects.count() == 2
    for pamphlet, data in ((consultation, demo.CONSULTATION), (npo, demo.NPO_INTRODUCTION)):
        assert pamphlet.is_published and pamphlet.pdf_status == PdfStatus.READY
        assert pamphlet.sections.count() == len(data["sections"])
        text = compact(pdftotext(stored_pdf(pamphlet), tmp_path))
        for heading, _body in data["sections"]:
            assert compact(heading) in text
    consultation_text = compact(pdftotext(stored_pdf(consultation), tmp_path))
    assert "協働コーディネーターが相談に乗ります" in consultation_text
    npo_text = compact(pdftotext(stored_pdf(npo), tmp_path))
    assert "役員として理事3人以上、監事1人以上を置くこと" in npo_text


# The build: revisions, failures, rebuilds ----------------------------------------------------


def test_page_says_being_prepared_until_the_build_is_stored_then_offers_the_pdf(
    client, django_capture_on_commit_callbacks
):
    pamphlet = make_pamphlet()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.pamphlet_publish(pamphlet=pamphlet)
    # Committed but not built yet: no download link, and the page (now cached) says so.
    pdf_url = reverse("publications:pamphlet_pdf", args=[pamphlet.pk])
    for url in (LIST, reverse("publications:pamphlet_detail", args=[pamphlet.pk])):
        page = client.get(url).content.decode()
        assert pdf_url not in page
        assert 'class="btn btn-primary"' not in page
    assert client.get(pdf_url).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()  # the outbox dispatch: the eager task builds and stores the PDF
    pamphlet.refresh_from_db()
    assert pamphlet.pdf_status == PdfStatus.READY
    # The cached pages were dropped when the file became ready.
    for url in (LIST, reverse("publications:pamphlet_detail", args=[pamphlet.pk])):
        assert pdf_url in client.get(url).content.decode()


def test_pdf_is_served_at_a_stable_address_with_the_title_as_file_name(
    client, django_capture_on_commit_callbacks
):
    pamphlet = published(django_capture_on_commit_callbacks, title="NPO入門テキスト")
    url = reverse("publications:pamphlet_pdf", args=[pamphlet.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert quote("NPO入門テキスト.pdf") in response["Content-Disposition"]
    first = b"".join(response.streaming_content)
    assert first.startswith(b"%PDF")
    old_name = pamphlet.pdf.name

    with django_capture_on_commit_callbacks(execute=True):
        services.pamphlet_pdf_request(pamphlet=pamphlet)
    pamphlet.refresh_from_db()
    assert pamphlet.pdf.name != old_name
    assert not default_storage.exists(old_name)  # the replaced file is gone
    assert client.get(url).status_code == 200


def test_an_edit_during_a_build_wins_and_a_second_delivery_builds_nothing(
    django_capture_on_commit_callbacks,
):
    pamphlet = make_pamphlet()
    with django_capture_on_commit_callbacks(execute=False):
        first = services.pamphlet_publish(pamphlet=pamphlet).pdf_revision
        second = services.pamphlet_pdf_request(pamphlet=pamphlet)
    assert second == first + 1
    # The build of the first request runs late: a newer one is queued, it stores nothing.
    assert services.pamphlet_pdf_build(pamphlet_id=pamphlet.pk, revision=first) == "stale"
    pamphlet.refresh_from_db()
    assert not pamphlet.pdf and pamphlet.pdf_status == PdfStatus.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        assert services.pamphlet_pdf_build(pamphlet_id=pamphlet.pk, revision=second) == "built"
    pamphlet.refresh_from_db()
    name = pamphlet.pdf.name
    # The outbox delivers at least once: the same revision again changes nothing.
    assert services.pamphlet_pdf_build(pamphlet_id=pamphlet.pk, revision=second) == "done"
    pamphlet.refresh_from_db()
    assert pamphlet.pdf.name == name
    assert services.pamphlet_pdf_build(pamphlet_id=999_999, revision=1) == "gone"


def test_a_failed_build_is_recorded_and_the_rebuild_action_recovers(
    client, center_staff, django_capture_on_commit_callbacks, monkeypatch
):
    def broken(*args, **kwargs):
        raise OSError("font cache unavailable")

    monkeypatch.setattr(services, "render_pdf", broken)
    pamphlet = published(django_capture_on_commit_callbacks)
    assert pamphlet.pdf_status == PdfStatus.FAILED
    assert "font cache unavailable" in pamphlet.pdf_error
    assert not pamphlet.pdf

    client.force_login(center_staff)
    changelist = client.get(ADMIN_CHANGELIST).content.decode()
    assert "font cache unavailable" in changelist  # staff see why

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            ADMIN_CHANGELIST, {"action": "rebuild_pdf", "_selected_action": [pamphlet.pk]}
        )
    assert response.status_code == 302
    pamphlet.refresh_from_db()
    assert pamphlet.pdf_status == PdfStatus.READY
    assert pamphlet.pdf_error == ""


def test_rebuilding_a_draft_is_refused_with_a_message(client, center_staff):
    pamphlet = make_pamphlet("下書きのパンフレット")
    with pytest.raises(ValidationError) as raised:
        services.pamphlet_pdf_request(pamphlet=pamphlet)
    assert raised.value.code == "not_published"
    client.force_login(center_staff)
    response = client.post(
        ADMIN_CHANGELIST, {"action": "rebuild_pdf", "_selected_action": [pamphlet.pk]}
    )
    assert response.status_code == 302
    (message,) = message_texts(response)
    assert "下書きのパンフレット" in message  # named in the warning, not a 500
    assert not OutboxMessage.objects.filter(task_name=services.BUILD_PAMPHLET_TASK).exists()


def test_unpublishing_removes_the_pdf(client, django_capture_on_commit_callbacks):
    pamphlet = published(django_capture_on_commit_callbacks)
    name = pamphlet.pdf.name
    with django_capture_on_commit_callbacks(execute=True):
        services.pamphlet_unpublish(pamphlet=pamphlet)
    pamphlet.refresh_from_db()
    assert not pamphlet.pdf and pamphlet.pdf_status == PdfStatus.NONE
    assert not default_storage.exists(name)
    assert client.get(reverse("publications:pamphlet_pdf", args=[pamphlet.pk])).status_code == 404
    assert (
        client.get(reverse("publications:pamphlet_detail", args=[pamphlet.pk])).status_code == 404
    )


def test_deleting_a_pamphlet_in_the_admin_deletes_its_files(
    client, center_staff, django_capture_on_commit_callbacks
):
    pamphlet = published(django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.pamphlet_section_add(
            pamphlet=pamphlet,
            heading="写真",
            image=services.ContentFile(jpeg_upload().read(), name="a.jpg"),
            image_alt="窓口の様子",
        )
    image_name = pamphlet.sections.get(heading="写真").image.name
    pdf_name = pamphlet.pdf.name
    client.force_login(center_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:publications_pamphlet_delete", args=[pamphlet.pk]), {"post": "yes"}
        )
    assert response.status_code == 302
    assert not Pamphlet.objects.exists() and not PamphletSection.objects.exists()
    assert not default_storage.exists(pdf_name) and not default_storage.exists(image_name)


# Who sees what ------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", [None, "outsider", "coordinator", "org_member"])
def test_a_draft_is_404_for_everyone_but_staff(client, request, persona):
    pamphlet = make_pamphlet("下書きのパンフレット")
    if persona:
        client.force_login(request.getfixturevalue(persona))
    for url in (
        reverse("publications:pamphlet_detail", args=[pamphlet.pk]),
        reverse("publications:pamphlet_pdf", args=[pamphlet.pk]),
    ):
        assert client.get(url).status_code == 404
    assert "下書きのパンフレット" not in client.get(LIST).content.decode()


def test_staff_preview_a_draft_out_of_caches_and_search_engines(client, center_staff):
    pamphlet = make_pamphlet("下書きのパンフレット")
    client.force_login(center_staff)
    response = client.get(reverse("publications:pamphlet_detail", args=[pamphlet.pk]))
    assert response.status_code == 200
    assert "下書きのパンフレット" in response.content.decode()
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("persona", ["outsider", "coordinator", "city_staff"])
def test_other_roles_have_no_pamphlet_admin(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(ADMIN_CHANGELIST).status_code in (302, 403)


# The web version ----------------------------------------------------------------------------


def test_list_shows_published_pamphlets_in_order_with_pdf_size(
    client, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    published(django_capture_on_commit_callbacks, title="NPO入門テキスト", order=2)
    first = published(django_capture_on_commit_callbacks, title="総合相談のご案内", order=1)
    make_pamphlet("準備中の下書き")
    with django_assert_max_num_queries(3):
        response = client.get(LIST)
    page = response.content.decode()
    assert response.status_code == 200
    assert page.index("総合相談のご案内") < page.index("NPO入門テキスト")
    assert "準備中の下書き" not in page
    assert reverse("publications:pamphlet_pdf", args=[first.pk]) in page
    size = re.search(r"\(PDF, ([^)]+)\)", page)
    assert size and any(unit in size[1] for unit in ("KB", "MB", "バイト", "bytes"))
    assert reverse("publications:namecard") in page


def test_web_version_has_every_section_with_headings_images_and_contents(
    client, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    pamphlet = published(
        django_capture_on_commit_callbacks,
        sections=[
            ("相談窓口とは", "**ワンストップ**窓口です。"),
            ("相談の流れ", "1. 相談\n2. 共有"),
        ],
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.pamphlet_section_add(
            pamphlet=pamphlet,
            heading="センターの様子",
            image=services.ContentFile(jpeg_upload().read(), name="a.jpg"),
            image_alt="市庁舎1階のセンターの窓口",
            image_caption="センターの窓口",
        )
    url = reverse("publications:pamphlet_detail", args=[pamphlet.pk])
    with django_assert_max_num_queries(3):
        response = client.get(url)
    page = response.content.decode()
    assert page.count("<h1") == 1
    assert '<h2 id="section-1-title">相談窓口とは</h2>' in page
    assert '<a href="#section-2">相談の流れ</a>' in page
    assert "<strong>ワンストップ</strong>" in page
    assert 'alt="市庁舎1階のセンターの窓口"' in page
    assert "<figcaption" in page
    assert 'property="og:image"' in page


def test_english_pages_mark_the_japanese_pamphlet_as_japanese(
    client, django_capture_on_commit_callbacks
):
    pamphlet = published(django_capture_on_commit_callbacks)
    detail = reverse("publications:pamphlet_detail", args=[pamphlet.pk])  # before /en/ requests
    for url in ("/en" + LIST, "/en" + detail):
        response = client.get(url)
        page = response.content.decode()
        assert response.status_code == 200
        assert '<html lang="en">' in page
        assert 'lang="ja"' in page  # the pamphlet's own text: WCAG 3.1.2 language of parts
    english = client.get("/en" + LIST).content.decode()
    assert f'href="/en{detail}"' in english


def test_sitemap_lists_the_pamphlet_pages_in_both_languages(
    client, django_capture_on_commit_callbacks
):
    pamphlet = published(django_capture_on_commit_callbacks)
    draft = make_pamphlet("下書き")
    sitemap = client.get("/sitemap.xml").content.decode()
    detail = reverse("publications:pamphlet_detail", args=[pamphlet.pk])
    for path in (LIST, "/pamphlets/namecard/", detail):
        assert f"{path}</loc>" in sitemap
        assert f"/en{path}</loc>" in sitemap
    assert reverse("publications:pamphlet_detail", args=[draft.pk]) not in sitemap


def test_unknown_addresses_and_odd_titles_never_fail(client, django_capture_on_commit_callbacks):
    assert client.get("/pamphlets/999999/").status_code == 404
    assert client.get("/pamphlets/999999/pdf/").status_code == 404
    assert client.get("/pamphlets/abc/").status_code == 404
    pamphlet = published(django_capture_on_commit_callbacks, title="🎉🎉／：*？")
    response = client.get(reverse("publications:pamphlet_pdf", args=[pamphlet.pk]))
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert "\n" not in disposition and "/" not in disposition.split("filename*=")[-1]
    assert client.get(LIST + "?" + "x" * 10_000).status_code == 200


def test_pdf_whose_file_was_lost_is_a_404_not_a_500(client, django_capture_on_commit_callbacks):
    pamphlet = published(django_capture_on_commit_callbacks)
    default_storage.delete(pamphlet.pdf.name)
    assert client.get(reverse("publications:pamphlet_pdf", args=[pamphlet.pk])).status_code == 404


# The admin -----------------------------------------------------------------------------------


def change_page(client, pamphlet):
    return client.get(reverse("admin:publications_pamphlet_change", args=[pamphlet.pk]))


def section_errors(response, field: str) -> list[str]:
    (formset,) = [inline.formset for inline in response.context["inline_admin_formsets"]]
    return [error.code for form in formset.forms for error in form.errors.as_data().get(field, [])]


def test_editing_a_section_in_the_admin_rebuilds_the_pdf(
    client, center_staff, django_capture_on_commit_callbacks, tmp_path
):
    require_japanese_font()
    pamphlet = published(django_capture_on_commit_callbacks)
    revision = pamphlet.pdf_revision
    client.force_login(center_staff)
    data = browser_post_data(
        change_page(client, pamphlet), **{"sections-0-body": "開館時間を変更しました。"}
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:publications_pamphlet_change", args=[pamphlet.pk]), data
        )
    assert response.status_code == 302, response.context and response.context["errors"]
    pamphlet.refresh_from_db()
    assert pamphlet.pdf_revision == revision + 1
    assert pamphlet.pdf_status == PdfStatus.READY
    assert "開館時間を変更しました。" in compact(pdftotext(stored_pdf(pamphlet), tmp_path))


def test_saving_without_changes_does_not_rebuild(
    client, center_staff, django_capture_on_commit_callbacks
):
    pamphlet = published(django_capture_on_commit_callbacks)
    client.force_login(center_staff)
    data = browser_post_data(change_page(client, pamphlet))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:publications_pamphlet_change", args=[pamphlet.pk]), data
        )
    assert response.status_code == 302
    pamphlet.refresh_from_db()
    assert pamphlet.pdf_revision == 1


def test_staff_add_a_pamphlet_with_ordered_sections_and_publish_it(
    client, center_staff, django_capture_on_commit_callbacks
):
    client.force_login(center_staff)
    form = client.get(reverse("admin:publications_pamphlet_add"))
    assert form.status_code == 200
    data = {
        "title": "NPO入門テキスト",
        "summary": "NPO法人の設立を考えている方へ",
        "edition": "2023年度版",
        "language": "ja",
        "order": "1",
        "is_published": "on",
        "sections-TOTAL_FORMS": "2",
        "sections-INITIAL_FORMS": "0",
        "sections-MIN_NUM_FORMS": "0",
        "sections-MAX_NUM_FORMS": "1000",
        "sections-0-order": "2",
        "sections-0-heading": "設立までの流れ",
        "sections-0-body": "1. 準備\n2. 設立総会",
        "sections-1-order": "1",
        "sections-1-heading": "NPOとNPO法人",
        "sections-1-body": "NPO法人とは……",
        "_save": "Save",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:publications_pamphlet_add"), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    pamphlet = Pamphlet.objects.get()
    assert [s.heading for s in pamphlet.sections.all()] == ["NPOとNPO法人", "設立までの流れ"]
    assert pamphlet.published_at is not None
    assert pamphlet.pdf_status == PdfStatus.READY
    page = client.get(reverse("publications:pamphlet_detail", args=[pamphlet.pk])).content.decode()
    assert page.index("NPOとNPO法人") < page.index("設立までの流れ")


def test_a_section_image_that_is_not_an_image_is_a_form_error(client, center_staff):
    pamphlet = make_pamphlet()
    client.force_login(center_staff)
    data = browser_post_data(
        change_page(client, pamphlet),
        **{
            "sections-0-image": SimpleUploadedFile(
                "flyer.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg"
            ),
            "sections-0-image_alt": "チラシ",
        },
    )
    response = client.post(reverse("admin:publications_pamphlet_change", args=[pamphlet.pk]), data)
    assert response.status_code == 200  # the form again, with the error on the field
    assert section_errors(response, "image") == ["invalid_image"]
    assert not pamphlet.sections.get().image


def test_a_section_image_needs_alternative_text_unless_decorative(
    client, center_staff, django_capture_on_commit_callbacks
):
    pamphlet = make_pamphlet()
    client.force_login(center_staff)
    url = reverse("admin:publications_pamphlet_change", args=[pamphlet.pk])
    data = browser_post_data(
        change_page(client, pamphlet),
        **{"sections-0-image": jpeg_upload(), "sections-0-image_alt": ""},
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert section_errors(response, "image_alt") == ["alt_required"]

    data = browser_post_data(
        change_page(client, pamphlet),
        **{"sections-0-image": jpeg_upload(), "sections-0-image_is_decorative": "on"},
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, data).status_code == 302
    section = pamphlet.sections.get()
    # Re-encoded on upload (center.lib.images): our own file name, no camera metadata.
    assert section.image.name.startswith("pamphlets/images/")
    assert not section.image.name.endswith("photo.jpg")


def test_publish_and_unpublish_actions_report_what_they_did(
    client, center_staff, django_capture_on_commit_callbacks
):
    pamphlet = make_pamphlet("総合相談のご案内")
    client.force_login(center_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            ADMIN_CHANGELIST, {"action": "publish", "_selected_action": [pamphlet.pk]}
        )
    assert any("総合相談のご案内" in text for text in message_texts(response))
    pamphlet.refresh_from_db()
    assert pamphlet.is_published and pamphlet.pdf_status == PdfStatus.READY
    with django_capture_on_commit_callbacks(execute=True):
        client.post(ADMIN_CHANGELIST, {"action": "unpublish", "_selected_action": [pamphlet.pk]})
    pamphlet.refresh_from_db()
    assert not pamphlet.is_published and not pamphlet.pdf
