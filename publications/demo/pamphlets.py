"""Demo pamphlets — the 総合相談 pamphlet and the NPO入門テキスト — and the business-card
center guide, with their PDFs built (the demo runs tasks eagerly).

The texts follow the center's own documents (seeds/: 2021 business plan, 2023 overview):
the consultation window, the 市民協働相談会 and 士業相談会, the NPO入門セミナー and the
市民活動基礎セミナー. Loaded through the same services staff use; idempotent.
"""

import io
import logging
import subprocess

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw, ImageFont

from center.lib.images import reencode_image

from ..models import NameCard, Pamphlet
from ..services.pamphlets import (
    namecard_save,
    pamphlet_publish,
    pamphlet_save,
    pamphlet_section_add,
)

logger = logging.getLogger(__name__)

CONSULTATION = {
    "title": "協働のための総合相談窓口のご案内",
    "summary": (
        "市民活動や市民協働に関するさまざまな相談・提案を受け付けるワンストップ窓口です。"
        "相談できること、相談の流れ、市民協働相談会・士業相談会をご案内します。"
    ),
    "edition": "2023年度版",
    "sections": [
        (
            "総合相談窓口とは",
            "横浜市市民協働推進センターの総合相談窓口は、様々な主体との協働について相談・提案を"
            "受け付けるワンストップ窓口です。\n\n"
            "市民の皆さま、自治会町内会、NPO、企業、大学、行政など、どなたからのご相談もお受け"
            "します。課題解決や提案の実現に向けた道筋を一緒に検討し、様々な主体とつながりながら"
            "取り組めるようサポートします。",
        ),
        (
            "こんなご相談をお受けしています",
            "- 地域の課題を、いろいろな立場の人と一緒に解決したい\n"
            "- 協働事業を提案したい、一緒に取り組む相手を探したい\n"
            "- 団体を立ち上げたい、NPO法人の設立を考えている\n"
            "- 団体の運営（会計・税務・労務など）について相談したい\n"
            "- 企業や大学として、地域や市民活動とつながりたい\n\n"
            "「こんなことを相談してもよいのかな」という段階でも構いません。"
            "まずはお気軽にご相談ください。",
        ),
        (
            "相談の流れ",
            "1. ホームページの**相談フォーム**からご相談ください"
            "（センターの窓口でもお受けします）。受け付けると受付番号をお知らせします。\n"
            "2. 相談内容を横浜市市民局協働推進課と共有します。\n"
            "3. 定例的な会議を通して検討し、対応します。\n"
            "4. 必要に応じて、センターが開催するセミナーや相談会、関係する団体・機関、"
            "横浜市の関連部署などにおつなぎします。",
        ),
        (
            "市民協働相談会（年5回）",
            "協働に関わる団体のエンパワメントや伴走型支援のために、それぞれのテーマや組織の属性に"
            "応じて、協働の実践者である**協働コーディネーター**が相談に乗ります。\n\n"
            "交流会を含め、人材発掘や協働のヒントを共に考える場です。"
            "日程はホームページのイベント情報でお知らせします。",
        ),
        (
            "士業相談会（年4回）",
            "NPOの組織運営に必要な**税理士・社会保険労務士**への相談を、相談会として開催します。"
            "会計・税務や労務管理など、組織内の課題解決に役立ててください。\n\n"
            "会場では、参加団体同士がつながれるようファシリテーションも行います。",
        ),
        (
            "センターのご案内",
            "| 項目 | 内容 |\n"
            "|---|---|\n"
            "| 所在地 | 横浜市中区本町6-50-10　横浜市市庁舎1階 |\n"
            "| アクセス | みなとみらい線「馬車道駅」直結、JR・市営地下鉄「桜木町駅」徒歩約3分 |\n"
            "| 運営 | 認定NPO法人市民セクターよこはま・横浜市市民局 |\n\n"
            "開館時間・休館日はホームページのお知らせでご確認ください。",
        ),
    ],
}

NPO_INTRODUCTION = {
    "title": "NPO入門テキスト",
    "summary": (
        "NPO法人の設立を考えている方に向けて、市民活動とNPO法人の基本、設立までの流れ、"
        "設立後に必要なこと、センターのサポートをまとめました。"
    ),
    "edition": "2023年度版",
    "sections": [
        (
            "はじめに",
            "このテキストは、NPO法人の設立を考えている方、団体の形を見直したい方に向けた"
            "入門編です。\n\n"
            "センターでは、NPO法人の設立に関心がある方や、設立を具体的に検討・準備している"
            "団体・個人を対象に「市民活動（NPO）入門セミナー」を開催しています。"
            "あわせてご活用ください。",
        ),
        (
            "NPOとNPO法人",
            "NPO（Non-Profit Organization）は、社会の課題に取り組む、営利を目的としない"
            "民間の団体です。法人格を持たない任意団体として活動している団体も多くあります。\n\n"
            "**NPO法人（特定非営利活動法人）**は、特定非営利活動促進法にもとづいて所轄庁の"
            "認証を受け、登記をして法人格を得た団体です。法人として契約を結んだり、財産を"
            "持ったりできるようになります。",
        ),
        (
            "法人格を持つかどうか考える",
            "| 比べること | 任意団体 | NPO法人 |\n"
            "|---|---|---|\n"
            "| つくり方 | 仲間が集まれば始められる | 所轄庁の認証を受け、登記する |\n"
            "| 契約・財産 | 代表者個人の名義 | 法人の名義 |\n"
            "| 毎年の手続き | 団体の決まりによる | 事業報告書などを所轄庁に提出し、公開する |\n\n"
            "法人になると社会的な信用を得やすくなる一方、事務や情報公開の責任も生まれます。"
            "活動の目的や規模に合った形を選びましょう。",
        ),
        (
            "NPO法人の主な要件",
            "- 特定非営利活動（法律に定める20分野）を行うことを主な目的とすること\n"
            "- 営利を目的としないこと（利益を構成員に分配しない）\n"
            "- 社員（総会で議決権を持つ会員）が10人以上いること\n"
            "- 役員として理事3人以上、監事1人以上を置くこと\n"
            "- 役員のうち報酬を受ける人が、役員総数の3分の1以下であること\n"
            "- 宗教活動や政治活動を主な目的としないこと\n\n"
            "詳しい要件は、所轄庁の手引きで最新の情報をご確認ください。",
        ),
        (
            "設立までの流れ",
            "1. **準備**：活動の目的や事業、一緒に取り組む仲間を確かめます。\n"
            "2. **設立総会**：定款、事業計画、予算、役員などを決めます。\n"
            "3. **認証の申請**：所轄庁に申請します（横浜市内にだけ事務所を置く場合は横浜市）。\n"
            "4. **縦覧・審査**：申請書類の一部が公開（縦覧）され、審査が行われます。\n"
            "5. **認証の決定**：認証されると通知が届きます。\n"
            "6. **設立の登記**：法務局で登記をすると、法人が成立します。\n"
            "7. **届出**：登記が済んだことを所轄庁に届け出ます。\n\n"
            "期間の目安や書類の書き方は、入門セミナーや総合相談窓口でもご相談いただけます。",
        ),
        (
            "設立後に必要なこと",
            "- 毎事業年度、事業報告書などを所轄庁に提出します（公開されます）。\n"
            "- 役員や定款を変えるときは、届出や認証の手続きが必要です。\n"
            "- 会計・税務：収益事業を行う場合などは税の申告が必要です。\n"
            "- 労務：職員を雇う場合は、労働保険・社会保険などの手続きが必要です。\n\n"
            "組織運営の基礎は「市民活動基礎セミナー」で、会計・税務や労務は「士業相談会」で"
            "学び、相談できます。",
        ),
        (
            "センターでできるサポート",
            "- **市民活動（NPO）入門セミナー**：NPO法人の設立に関心がある方、準備中の方へ\n"
            "- **市民活動基礎セミナー**：経営・会計・ICT支援の3つの基礎科目を連続で\n"
            "- **士業相談会（年4回）**：税理士・社会保険労務士に相談できます\n"
            "- **総合相談窓口**：ホームページの相談フォームからいつでも\n\n"
            "センターは、団体や団体の設立を目指す人にとって頼りになる相談機関を目指しています。",
        ),
    ],
}

FLOW_STEPS = ["相談フォーム", "推進課と共有", "会議で検討", "回答・おつなぎ"]
FLOW_ALT = (
    "相談の流れの図：1 相談フォームから相談、2 横浜市市民局協働推進課と共有、"
    "3 定例的な会議で検討、4 回答やセミナー・相談会・関係機関へのおつなぎ。"
)


def _japanese_font(size: int):
    """Noto Sans CJK from fontconfig, or None where it is not installed."""
    try:
        path = subprocess.run(
            ["fc-match", "-f", "%{file}", "Noto Sans CJK JP:style=Bold"],
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
        return ImageFont.truetype(path, size) if path else None
    except (OSError, subprocess.SubprocessError):
        return None


def _flow_diagram() -> ContentFile | None:
    """The consultation flow as four boxes and arrows; None without a Japanese font (a
    picture whose labels cannot be drawn would not match its alternative text)."""
    font = _japanese_font(34)
    number_font = _japanese_font(40)
    if font is None or number_font is None:
        return None
    width, height, box_width, gap = 1600, 360, 320, 73
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    left = 40
    for number, label in enumerate(FLOW_STEPS, start=1):
        draw.rounded_rectangle(
            (left, 60, left + box_width, 300),
            radius=24,
            fill=(238, 244, 250),
            outline=(11, 79, 138),
            width=5,
        )
        draw.text(
            (left + box_width / 2, 130),
            str(number),
            font=number_font,
            fill=(179, 71, 0),
            anchor="mm",
        )
        draw.text((left + box_width / 2, 220), label, font=font, fill=(8, 58, 102), anchor="mm")
        if number < len(FLOW_STEPS):
            x = left + box_width + 12
            draw.polygon([(x, 150), (x + gap - 24, 180), (x, 210)], fill=(11, 79, 138))
        left += box_width + gap
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    # Through the same check and re-encoding as an upload in the admin.
    return reencode_image(ContentFile(buffer.getvalue(), name="consultation-flow.png"))


def _create(data: dict, order: int) -> Pamphlet:
    pamphlet = pamphlet_save(
        pamphlet=Pamphlet(
            title=data["title"], summary=data["summary"], edition=data["edition"], order=order
        ),
        rebuild=False,
    )
    for heading, body in data["sections"]:
        extra = {}
        if heading == "相談の流れ":
            diagram = _flow_diagram()
            if diagram is not None:
                extra = {"image": diagram, "image_alt": FLOW_ALT, "image_caption": "相談の流れ"}
        pamphlet_section_add(pamphlet=pamphlet, heading=heading, body=body, **extra)
    return pamphlet_publish(pamphlet=pamphlet)


def load() -> None:
    if not Pamphlet.objects.exists():
        _create(CONSULTATION, order=1)
        _create(NPO_INTRODUCTION, order=2)
    if not NameCard.objects.exists():
        # The center's real data are the model's defaults; phone and opening hours are left
        # for staff to fill in (the card then points to the website for the hours).
        namecard_save(card=NameCard())
