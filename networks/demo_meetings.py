"""Demo network meetings: three past meetings (minutes published, materials, action items
of several wards and for all wards) and one upcoming meeting with replies from a few wards.
The 18 ward centers themselves come from migration 0002. Idempotent: keyed on the title.
"""

import datetime
import io

from django.core.files.base import ContentFile
from django.utils import timezone

from .models import ActionItem, AgendaItem, Meeting, MeetingMaterial, MeetingRsvp, WardCenter

AGENDA = [
    ("開会・center からの報告", "市民協働推進センター", 15),
    ("各区の取組紹介（3区）", "各区民活動支援センター", 45),
    ("意見交換：相談対応の工夫", "", 40),
    ("連絡事項・次回日程", "市民協働推進センター", 10),
]

MINUTES = """## 出席
18区のうち16区が出席（欠席：{absent}）。

## 報告
- センターから、今年度上半期の相談件数と主な相談内容を報告した。
- 鶴見区・中区・港北区から、地域の担い手づくりの取組を紹介した。

## 意見交換
1. 初めて相談に来る団体には、**団体の目的と活動の段階**を最初に確認すると話が早い。
2. 会計・税務の相談はセンターの専門相談につなぐ（[相談窓口](/consultation/)）。

## 決定事項
- 各区は次回までに「よくある相談」を3件ずつ共有する。
"""


def _pdf(title: str) -> bytes:
    """A small real PDF; falls back to a minimal hand-written one without pypdf."""
    try:
        from pypdf import PdfWriter

        writer = PdfWriter()
        writer.add_blank_page(width=595, height=842)
        writer.add_metadata({"/Title": title})
        buffer = io.BytesIO()
        writer.write(buffer)
        return buffer.getvalue()
    except ImportError:  # pragma: no cover
        return b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n%%EOF\n"


def _meeting(title: str, starts_at, **fields) -> tuple[Meeting, bool]:
    return Meeting.objects.get_or_create(
        title=title,
        defaults={
            "starts_at": starts_at,
            "ends_at": starts_at + datetime.timedelta(hours=2),
            "place": "市民協働推進センター 会議室（横浜市中区）",
            **fields,
        },
    )


def _agenda(meeting: Meeting) -> None:
    for order, (title, presenter, minutes) in enumerate(AGENDA, start=1):
        AgendaItem.objects.create(
            meeting=meeting, order=order, title=title, presenter=presenter, duration_minutes=minutes
        )


def _material(meeting: Meeting, title: str, filename: str) -> None:
    data = _pdf(title)
    material = MeetingMaterial(
        meeting=meeting,
        title=title,
        original_name=filename,
        content_type="application/pdf",
        size=len(data),
        # Demo mails are not sent: the materials count as announced.
        notified_at=timezone.now(),
    )
    material.file.save(f"demo-{meeting.pk}-{len(title)}.pdf", ContentFile(data), save=False)
    material.save()


def load() -> list[dict]:
    centers = {c.ward.code: c for c in WardCenter.objects.select_related("ward")}
    if len(centers) < 18:
        return []
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    past_dates = [now - datetime.timedelta(days=days) for days in (210, 120, 30)]
    previous = None
    for number, starts_at in enumerate(past_dates, start=1):
        meeting, created = _meeting(
            f"第{number}回 区民活動支援センター ネットワーク会議",
            starts_at,
            minutes=MINUTES.format(absent="緑区・瀬谷区" if number % 2 else "栄区・泉区"),
            minutes_published_at=starts_at + datetime.timedelta(days=7),
            reminder_sent_at=starts_at - datetime.timedelta(days=2),
        )
        if created:
            _agenda(meeting)
            _material(meeting, "次第", f"第{number}回_次第.pdf")
            _material(meeting, "センター報告資料", f"第{number}回_センター報告.pdf")
            for code in ("tsurumi", "naka", "kohoku"):
                ActionItem.objects.create(
                    meeting=meeting,
                    title=f"{centers[code].ward.name}：地域の担い手づくり事例をまとめる",
                    owner=centers[code],
                    due_on=(starts_at + datetime.timedelta(days=60)).date(),
                    status=ActionItem.Status.DONE if number < 3 else ActionItem.Status.OPEN,
                )
            ActionItem.objects.create(
                meeting=meeting,
                title="各区：「よくある相談」を3件ずつ共有する",
                all_wards=True,
                due_on=(starts_at + datetime.timedelta(days=80)).date(),
                status=ActionItem.Status.DONE if number < 3 else ActionItem.Status.IN_PROGRESS,
            )
            ActionItem.objects.create(
                meeting=meeting,
                title="センター：相談対応の手引き（改訂版）を配布する",
                due_on=(starts_at + datetime.timedelta(days=45)).date(),
                status=ActionItem.Status.DONE if number < 3 else ActionItem.Status.OPEN,
            )
            for code in list(centers)[: 18 - 2]:
                MeetingRsvp.objects.create(
                    meeting=meeting,
                    ward_center=centers[code],
                    attending=True,
                    attendee_names="センター長、職員1名",
                    responded_at=starts_at - datetime.timedelta(days=10),
                )
        previous = meeting

    upcoming, created = _meeting(
        "第4回 区民活動支援センター ネットワーク会議",
        now + datetime.timedelta(days=21),
        online_url="https://meet.example.jp/network-4",
        description="会場とオンラインの併用です。資料は前日までに掲載します。",
        rsvp_deadline=now + datetime.timedelta(days=14),
    )
    if created:
        _agenda(upcoming)
        _material(upcoming, "次第（案）", "第4回_次第案.pdf")
        replies = {
            "tsurumi": (True, "鶴見 区センター、職員1名"),
            "nishi": (True, "センター長"),
            "kohoku": (False, ""),
            "aoba": (True, "職員2名（オンライン）"),
        }
        for code, (attending, names) in replies.items():
            MeetingRsvp.objects.create(
                meeting=upcoming,
                ward_center=centers[code],
                attending=attending,
                attendee_names=names,
                note="" if attending else "当日は区の行事と重なるため欠席します。",
            )
        ActionItem.objects.create(
            meeting=previous,
            title="中区：多文化共生の相談事例を次回報告する",
            owner=centers["naka"],
            due_on=upcoming.starts_at.date(),
        )
    return []
