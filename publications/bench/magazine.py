"""Magazine benchmark for `manage.py bench`: seconds to build a 16-page issue with 12 photos.

What the build task does, timed: load the issue with its articles and photos, render the
A4 PDF with WeasyPrint (cover, contents with page numbers, two-column articles), store it.
The photos are made with Pillow at the size uploads are kept (2400 px on the long side,
JPEG quality 85, with grain so they compress like photographs). Everything is written in
a transaction that is rolled back and a temporary media folder, so the bench database and
its media keep nothing. Target: ≤ 5 s per build.
"""

import io
import statistics
import tempfile
import time

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.test import override_settings
from PIL import Image, ImageDraw, ImageFilter
from pypdf import PdfReader

TARGET_SECONDS = 5.0
RUNS = 3
TARGET_PAGES = 16
ARTICLES = 6  # each with 2 photos: 12
PHOTO_SIZE = (2400, 1600)

_PARAGRAPH = (
    "地域の課題は、ひとつの団体だけでは解決できないことが多くあります。自治会町内会、NPO、"
    "企業、大学、そして行政が、それぞれの得意なことを持ち寄ることで、新しい取組みが生まれます。"
    "今回の取材では、活動を始めたきっかけや、協働の中で苦労したこと、これからの展望を伺いました。"
)


def _photo(index: int) -> ContentFile:
    width, height = PHOTO_SIZE
    hue = (index * 37) % 255
    base = Image.linear_gradient("L").resize(PHOTO_SIZE)
    image = Image.merge(
        "RGB",
        (
            base.point(lambda v, h=hue: (v + h) % 256),
            base.transpose(Image.Transpose.FLIP_LEFT_RIGHT),
            base.point(lambda v: 255 - v),
        ),
    )
    draw = ImageDraw.Draw(image)
    for step in range(12):
        x = (step * 211 + index * 97) % width
        y = (step * 131 + index * 53) % height
        draw.ellipse((x, y, x + 420, y + 300), fill=((hue + step * 20) % 256, 120, 200 - step * 10))
    # Grain, so the JPEG is as large as a photograph's, not a flat drawing's.
    noise = Image.effect_noise(PHOTO_SIZE, 40).convert("RGB")
    image = Image.blend(image.filter(ImageFilter.GaussianBlur(2)), noise, 0.18)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85, optimize=True, progressive=True)
    return ContentFile(buffer.getvalue(), name=f"bench-{index}.jpg")


def _body(article: int) -> str:
    # The two features are longer (three pages each), the others two pages: with the cover
    # and the contents, 16 pages.
    sections = []
    for number in range(1, 8 if article <= 2 else 5):
        sections.append(f"## {article}-{number} 協働のポイント")
        sections.extend(_PARAGRAPH for _ in range(3))
    return "\n\n".join(sections)


def _make_issue():
    from ..models import MagazineArticle, MagazineIssue, MagazinePhoto

    number = (MagazineIssue.objects.aggregate(top=Max("number"))["top"] or 0) + 1000
    issue = MagazineIssue.objects.create(
        number=number,
        season="2026年 春号",
        title="ベンチマーク号：協働の現場を訪ねて",
        lead="市内各地の協働の現場を訪ね、活動する人たちの声を集めました。",
        cover_image=_photo(99),
        cover_alt_text="表紙の写真",
        status=MagazineIssue.Status.PUBLISHED,
    )
    photo = 0
    for index in range(1, ARTICLES + 1):
        article = MagazineArticle.objects.create(
            issue=issue,
            order=index,
            kicker="特集" if index <= 2 else "協働事例",
            title=f"記事{index}：地域とともに歩む活動",
            lead="活動を始めたきっかけと、これからの展望を伺いました。",
            body=_body(index),
        )
        for order in range(2):
            MagazinePhoto.objects.create(
                article=article,
                image=_photo(photo),
                caption=f"活動の様子（{photo + 1}）",
                alt_text=f"活動の様子を写した写真{photo + 1}",
                order=order,
            )
            photo += 1
    return issue, photo


def run(*, base_url: str, stdout) -> None:
    from ..selectors.magazine import magazine_issue_for_pdf
    from ..services.magazine import magazine_pdf_render

    with (
        tempfile.TemporaryDirectory(prefix="magazine-bench-") as media,
        override_settings(MEDIA_ROOT=media),
        transaction.atomic(),
    ):
        issue, photos = _make_issue()
        timings, cpu = [], []
        for _ in range(RUNS):
            started, cpu_started = time.perf_counter(), time.process_time()
            # As the task does: fetch with its prefetches, render, write the file.
            pdf = magazine_pdf_render(magazine_issue_for_pdf(issue_id=issue.pk))
            with tempfile.NamedTemporaryFile(dir=media, suffix=".pdf") as stored:
                stored.write(pdf)
            timings.append(time.perf_counter() - started)
            # CPU time too: on a shared machine the wall clock also counts other work.
            cpu.append(time.process_time() - cpu_started)
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        transaction.set_rollback(True)

    slowest = max(timings)
    verdict = "met" if slowest <= TARGET_SECONDS else "NOT met"
    stdout.write(
        f"magazine PDF: {pages} pages (aim {TARGET_PAGES}), {photos} photos "
        f"{PHOTO_SIZE[0]}×{PHOTO_SIZE[1]}, {len(pdf) / 1_000_000:.1f} MB; "
        f"{RUNS} builds: first {timings[0]:.2f} s, median {statistics.median(timings):.2f} s, "
        f"slowest {slowest:.2f} s (CPU {statistics.median(cpu):.2f} s median); "
        f"target ≤ {TARGET_SECONDS:.0f} s: {verdict}"
    )
