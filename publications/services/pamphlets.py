"""Writes of pamphlets and the business-card center guide, and the building of their PDFs.

A PDF is asked for (`*_pdf_request`: status "being prepared", revision + 1, a build task in
the outbox so that a change made while Redis is down still gets its file) and built by a
task (`*_pdf_build`), which renders outside any transaction and then stores the file only
if no newer request came meanwhile. Until then the previous file, if any, stays available.
A failed build keeps its error for staff, who rebuild from the admin.
"""

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from center.core.cache import public_cache_invalidate
from center.core.services import outbox_enqueue
from center.lib.pdf import render_pdf

from ..models import NameCard, Pamphlet, PamphletSection, PdfStatus
from ..qr import qr_svg_data_uri

__all__ = [
    "CARD_SIZE_MM",
    "SHEET_SIZE_MM",
    "namecard_context",
    "namecard_crop_marks",
    "namecard_pdf_build",
    "namecard_pdf_request",
    "namecard_save",
    "namecard_sheet_layout",
    "pamphlet_delete",
    "pamphlet_pdf_build",
    "pamphlet_pdf_request",
    "pamphlet_publish",
    "pamphlet_save",
    "pamphlet_section_add",
    "pamphlet_unpublish",
]

logger = logging.getLogger(__name__)

BUILD_PAMPHLET_TASK = "publications.tasks_pamphlets.build_pamphlet_pdf"
BUILD_NAMECARD_TASK = "publications.tasks_pamphlets.build_namecard_pdf"
PAMPHLET_TEMPLATE = "pdf/publications/pamphlet.html"
NAMECARD_TEMPLATE = "pdf/publications/namecard.html"
NAMECARD_SHEET_TEMPLATE = "pdf/publications/namecard_sheet.html"
# The card and the sheet are printed in Japanese whatever language the request was in.
NAMECARD_LANGUAGE = "ja"
MAX_ERROR_CHARS = 2000

# Fields a content save may write; the PDF fields belong to the build alone.
PAMPHLET_CONTENT_FIELDS = [
    "title",
    "summary",
    "edition",
    "language",
    "order",
    "is_published",
    "published_at",
    "updated_at",
]
NAMECARD_CONTENT_FIELDS = [
    "center_name",
    "center_name_en",
    "tagline",
    "address",
    "access",
    "phone",
    "hours",
    "url",
    "updated_at",
]
_REQUEST_FIELDS = ["pdf_status", "pdf_revision", "pdf_error"]


def _invalidate_after_commit() -> None:
    # After commit: invalidating earlier would let a visitor re-cache the old page from the
    # not yet committed state.
    transaction.on_commit(public_cache_invalidate)


def _delete_after_commit(*names: str) -> None:
    """Remove stored files once the rows that named them are committed without them."""
    for name in filter(None, names):
        transaction.on_commit(lambda name=name: default_storage.delete(name))


def _request_build(model: type[models.Model], pk: int, task_name: str) -> int:
    """Mark the record's PDF as being prepared and queue its build; returns the revision."""
    locked = model.objects.select_for_update().get(pk=pk)
    locked.pdf_revision += 1
    locked.pdf_status = PdfStatus.PENDING
    locked.pdf_error = ""
    locked.save(update_fields=_REQUEST_FIELDS)
    outbox_enqueue(task_name, locked.pk, locked.pdf_revision)
    _invalidate_after_commit()
    return locked.pdf_revision


def _mark_failed(model: type[models.Model], pk: int, revision: int, error: Exception) -> None:
    # Only the build of the latest revision may say "failed": a newer one is on its way.
    model.objects.filter(pk=pk, pdf_revision=revision).update(
        pdf_status=PdfStatus.FAILED,
        pdf_error=f"{type(error).__name__}: {error}"[:MAX_ERROR_CHARS],
    )


@dataclass(frozen=True)
class _Rendered:
    field: str
    size_field: str
    content: bytes
    name: str


def _store_build(model: type[models.Model], pk: int, revision: int, files: list[_Rendered]) -> str:
    """Save the rendered files and point the record at them, if `revision` is still the
    latest; otherwise throw them away (a newer build will store its own)."""
    stored = [default_storage.save(item.name, ContentFile(item.content)) for item in files]
    try:
        with transaction.atomic():
            locked = model.objects.select_for_update().filter(pk=pk).first()
            if locked is None or locked.pdf_revision != revision or not _still_wanted(locked):
                _delete_after_commit(*stored)
                return "stale"
            old_names = []
            for item, name in zip(files, stored, strict=True):
                old_names.append(getattr(locked, item.field).name)
                setattr(locked, item.field, name)
                setattr(locked, item.size_field, len(item.content))
            locked.pdf_status = PdfStatus.READY
            locked.pdf_error = ""
            locked.pdf_built_at = timezone.now()
            locked.save(
                update_fields=[
                    *(item.field for item in files),
                    *(item.size_field for item in files),
                    "pdf_status",
                    "pdf_error",
                    "pdf_built_at",
                ]
            )
            _delete_after_commit(*(old for old in old_names if old not in stored))
            # The pages offer the new file at once (and stop saying "being prepared").
            _invalidate_after_commit()
    except Exception:
        for name in stored:
            default_storage.delete(name)
        raise
    return "built"


def _still_wanted(record: models.Model) -> bool:
    return not isinstance(record, Pamphlet) or record.is_published


def _build(
    model: type[models.Model],
    pk: int,
    revision: int,
    render: Callable[[models.Model], list[_Rendered]],
) -> str:
    """Render and store a record's PDFs for `revision`. Returns what happened: "built",
    "stale" (a newer request or unpublishing came first), "done" (this revision is already
    built: a task delivered twice), "gone" or "failed"."""
    record = model.objects.filter(pk=pk).first()
    if record is None:
        return "gone"
    if record.pdf_revision != revision or not _still_wanted(record):
        return "stale"
    if record.pdf_status == PdfStatus.READY:
        return "done"
    try:
        # Outside any transaction: a render takes seconds and must hold no lock.
        files = render(record)
        return _store_build(model, pk, revision, files)
    except Exception as exc:
        logger.exception("PDF of %s #%s (revision %s) failed", model.__name__, pk, revision)
        _mark_failed(model, pk, revision, exc)
        return "failed"


def _pdf_name(prefix: str, pk: int, revision: int, content: bytes) -> str:
    # A new name for every build: a browser or proxy holding the old file never mixes them.
    digest = hashlib.sha256(content).hexdigest()[:10]
    return f"{prefix}-{pk}-r{revision}-{digest}.pdf"


# Pamphlets -------------------------------------------------------------------------


@transaction.atomic
def pamphlet_save(*, pamphlet: Pamphlet, rebuild: bool = True) -> Pamphlet:
    """Validate and save a pamphlet's own fields (never its PDF fields).

    Publishing sets `published_at` the first time. A published pamphlet gets a new PDF
    build unless `rebuild=False` (the admin saves the sections afterwards and asks then); an
    unpublished one loses its PDF file. Raises ValidationError (full_clean)."""
    if pamphlet.is_published and pamphlet.published_at is None:
        pamphlet.published_at = timezone.now()
    pamphlet.full_clean()
    if pamphlet._state.adding:
        pamphlet.save()
    else:
        pamphlet.save(update_fields=PAMPHLET_CONTENT_FIELDS)
    if not pamphlet.is_published:
        _pamphlet_discard_pdf(pamphlet)
    elif rebuild:
        pamphlet_pdf_request(pamphlet=pamphlet)
    _invalidate_after_commit()
    return pamphlet


@transaction.atomic
def pamphlet_section_add(
    *,
    pamphlet: Pamphlet,
    heading: str,
    body: str = "",
    image: ContentFile | None = None,
    image_alt: str = "",
    image_is_decorative: bool = False,
    image_caption: str = "",
    order: int | None = None,
) -> PamphletSection:
    """Append a section (last, unless `order` is given). The caller asks for a new PDF once
    it has added all it wants (pamphlet_pdf_request or pamphlet_publish).

    An image must have been checked and re-encoded already (center.lib.images)."""
    if order is None:
        last = pamphlet.sections.aggregate(last=models.Max("order"))["last"]
        order = 0 if last is None else last + 1
    section = PamphletSection(
        pamphlet=pamphlet,
        order=order,
        heading=heading,
        body=body,
        image_alt=image_alt,
        image_is_decorative=image_is_decorative,
        image_caption=image_caption,
    )
    if image is not None:
        section.image = image
    section.full_clean()
    section.save()
    _invalidate_after_commit()
    return section


@transaction.atomic
def pamphlet_pdf_request(*, pamphlet: Pamphlet) -> int:
    """Ask for a new PDF of a published pamphlet; returns the revision being built.

    The status turns to "being prepared"; a file already there stays downloadable until
    the new one replaces it. Raises ValidationError for a pamphlet that is not published.
    """
    if not Pamphlet.objects.filter(pk=pamphlet.pk, is_published=True).exists():
        raise ValidationError(
            _("Only a published pamphlet has a PDF: publish it first."), code="not_published"
        )
    revision = _request_build(Pamphlet, pamphlet.pk, BUILD_PAMPHLET_TASK)
    pamphlet.pdf_revision, pamphlet.pdf_status, pamphlet.pdf_error = revision, PdfStatus.PENDING, ""
    return revision


@transaction.atomic
def pamphlet_publish(*, pamphlet: Pamphlet) -> Pamphlet:
    """Put a pamphlet on the public site and build its PDF (also for one already public:
    publishing again rebuilds)."""
    pamphlet.is_published = True
    return pamphlet_save(pamphlet=pamphlet)


@transaction.atomic
def pamphlet_unpublish(*, pamphlet: Pamphlet) -> Pamphlet:
    """Take a pamphlet off the public site; its PDF file is deleted."""
    pamphlet.is_published = False
    return pamphlet_save(pamphlet=pamphlet)


def _pamphlet_discard_pdf(pamphlet: Pamphlet) -> None:
    locked = Pamphlet.objects.select_for_update().get(pk=pamphlet.pk)
    if locked.pdf_status == PdfStatus.NONE and not locked.pdf:
        return  # a draft that never had a PDF
    old_name = locked.pdf.name
    # A build still running for the old revision will find its number outdated.
    locked.pdf_revision += 1
    locked.pdf = ""
    locked.pdf_size = None
    locked.pdf_status = PdfStatus.NONE
    locked.pdf_error = ""
    locked.save(update_fields=["pdf", "pdf_size", *_REQUEST_FIELDS])
    for name in ("pdf", "pdf_size", "pdf_status", "pdf_revision", "pdf_error"):
        setattr(pamphlet, name, getattr(locked, name))
    _delete_after_commit(old_name)


@transaction.atomic
def pamphlet_delete(*, pamphlets: QuerySet[Pamphlet]) -> int:
    """Delete pamphlets with their sections; their PDFs and images go once committed."""
    files, pks = [], []
    for pamphlet in pamphlets.prefetch_related("sections"):
        pks.append(pamphlet.pk)
        files.append(pamphlet.pdf.name)
        files.extend(section.image.name for section in pamphlet.sections.all())
    Pamphlet.objects.filter(pk__in=pks).delete()
    _delete_after_commit(*files)
    _invalidate_after_commit()
    return len(pks)


def pamphlet_pdf_context(pamphlet: Pamphlet) -> dict:
    return {
        "pamphlet": pamphlet,
        "sections": list(pamphlet.sections.all()),
        "built_on": timezone.localdate(),
    }


def _render_pamphlet(pamphlet: Pamphlet) -> list[_Rendered]:
    content = render_pdf(
        PAMPHLET_TEMPLATE, pamphlet_pdf_context(pamphlet), language=pamphlet.language
    )
    name = _pdf_name("pamphlets/pdf/pamphlet", pamphlet.pk, pamphlet.pdf_revision, content)
    return [_Rendered("pdf", "pdf_size", content, name)]


def pamphlet_pdf_build(*, pamphlet_id: int, revision: int) -> str:
    """The build task's work: render the pamphlet (cover, contents, sections, page numbers)
    and store it if `revision` is still the latest. See `_build` for the outcomes."""
    return _build(Pamphlet, pamphlet_id, revision, _render_pamphlet)


# The business-card center guide -----------------------------------------------------

CARD_SIZE_MM = (91, 55)
SHEET_SIZE_MM = (210, 297)  # A4 portrait
SHEET_COLUMNS, SHEET_ROWS = 2, 5
# The QR image, quiet zone included (static/css/namecard.css, .nc-qr, sets the same size).
# An address of up to 60 characters (the field's limit) makes a code of version 2 to 4
# (25 to 33 modules, + 8 of quiet zone): at 22 mm a module is 0.54–0.67 mm and the code
# itself 16.7–17.7 mm, above the 15 mm a phone reads easily at arm's length.
QR_SIZE_MM = 22
CROP_MARK_GAP_MM = 2  # between a card's edge and its crop mark
CROP_MARK_END_MM = 3  # from the paper's edge: most printers cannot print closer


@transaction.atomic
def namecard_save(*, card: NameCard) -> NameCard:
    """Validate and save the card's texts (there is one card) and rebuild its PDFs.

    Raises ValidationError (full_clean), e.g. for a text too long to fit on the card."""
    card.pk = NameCard.SINGLETON_PK
    card.full_clean(validate_unique=False)
    if NameCard.objects.filter(pk=card.pk).exists():
        card._state.adding = False
        card.save(update_fields=NAMECARD_CONTENT_FIELDS)
    else:
        card.save(force_insert=True)
    namecard_pdf_request(card=card)
    return card


@transaction.atomic
def namecard_pdf_request(*, card: NameCard) -> int:
    """Ask for new card and sheet PDFs; the current files stay until the new ones are in."""
    revision = _request_build(NameCard, card.pk, BUILD_NAMECARD_TASK)
    card.pdf_revision, card.pdf_status, card.pdf_error = revision, PdfStatus.PENDING, ""
    return revision


def namecard_context(card: NameCard) -> dict:
    """What the card's faces need, on the web page as in the PDFs."""
    return {"card": card, "qr_data_uri": qr_svg_data_uri(card.qr_url)}


def namecard_sheet_layout(*, back: bool) -> list[dict]:
    """Where the 10 cards go on an A4 sheet, in millimetres from the top left corner.

    2 columns × 5 rows of 91 × 55 mm, touching, centred: 14 mm margins left and right,
    11 mm top and bottom — the layout of the common perforated 10-up business-card paper,
    so the sheet prints on that as well as on plain paper cut along the crop marks.

    Duplex on the long edge (the printer's default for portrait A4) turns the paper over
    left to right: what is printed at x on the back lies behind 210 − x on the front. So
    the back sheet mirrors the columns: the back of the front's left card is printed in
    the right column, same row. Rows stay where they are (flipping on the short edge would
    mirror the rows instead, and the backs would come out upside down). Because the grid
    is centred, a mirrored cell falls exactly on a cell of the grid, and the crop marks,
    mirrored with it, line up on both sides.
    """
    card_width, card_height = CARD_SIZE_MM
    sheet_width, sheet_height = SHEET_SIZE_MM
    margin_x = (sheet_width - SHEET_COLUMNS * card_width) / 2
    margin_y = (sheet_height - SHEET_ROWS * card_height) / 2
    cells = []
    for row in range(SHEET_ROWS):
        for column in range(SHEET_COLUMNS):
            x = margin_x + column * card_width
            if back:
                x = sheet_width - x - card_width
            cells.append({"x": x, "y": margin_y + row * card_height, "row": row})
    return cells


def namecard_crop_marks() -> list[dict]:
    """Crop marks in the sheet's margins, one pair at each cut line, as SVG lines (mm).

    Only in the margins: a line across the paper would print on the cards' edges, and a
    cut slightly off would leave it visible. The grid is symmetric, so the same marks serve
    the front and the mirrored back.
    """
    card_width, card_height = CARD_SIZE_MM
    sheet_width, sheet_height = SHEET_SIZE_MM
    margin_x = (sheet_width - SHEET_COLUMNS * card_width) / 2
    margin_y = (sheet_height - SHEET_ROWS * card_height) / 2
    lines = []
    for column in range(SHEET_COLUMNS + 1):
        x = margin_x + column * card_width
        lines.append({"x1": x, "y1": CROP_MARK_END_MM, "x2": x, "y2": margin_y - CROP_MARK_GAP_MM})
        lines.append(
            {
                "x1": x,
                "y1": sheet_height - margin_y + CROP_MARK_GAP_MM,
                "x2": x,
                "y2": sheet_height - CROP_MARK_END_MM,
            }
        )
    for row in range(SHEET_ROWS + 1):
        y = margin_y + row * card_height
        lines.append({"x1": CROP_MARK_END_MM, "y1": y, "x2": margin_x - CROP_MARK_GAP_MM, "y2": y})
        lines.append(
            {
                "x1": sheet_width - margin_x + CROP_MARK_GAP_MM,
                "y1": y,
                "x2": sheet_width - CROP_MARK_END_MM,
                "y2": y,
            }
        )
    return lines


def _render_namecard(card: NameCard) -> list[_Rendered]:
    context = namecard_context(card)
    card_pdf = render_pdf(NAMECARD_TEMPLATE, context, language=NAMECARD_LANGUAGE)
    sheet_context = {
        **context,
        "sheet_width_mm": SHEET_SIZE_MM[0],
        "sheet_height_mm": SHEET_SIZE_MM[1],
        "sides": [
            ("front", namecard_sheet_layout(back=False)),
            ("back", namecard_sheet_layout(back=True)),
        ],
        "crop_marks": namecard_crop_marks(),
    }
    sheet_pdf = render_pdf(NAMECARD_SHEET_TEMPLATE, sheet_context, language=NAMECARD_LANGUAGE)
    revision = card.pdf_revision
    return [
        _Rendered(
            "card_pdf",
            "card_pdf_size",
            card_pdf,
            _pdf_name("namecard/card", card.pk, revision, card_pdf),
        ),
        _Rendered(
            "sheet_pdf",
            "sheet_pdf_size",
            sheet_pdf,
            _pdf_name("namecard/sheet", card.pk, revision, sheet_pdf),
        ),
    ]


def namecard_pdf_build(*, card_id: int, revision: int) -> str:
    """The build task's work: the single card (91 × 55 mm, front and back) and the 10-up
    A4 sheet (front and mirrored back), stored if `revision` is still the latest."""
    return _build(NameCard, card_id, revision, _render_namecard)
