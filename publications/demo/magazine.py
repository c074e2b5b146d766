"""Demo 情報誌: two published issues, the second with several reprinted case stories and an
interview of its own with photos. Published through the service, so their PDFs are built
by the task (at once when tasks run eagerly, as in `make run`; by the worker otherwise).

Loaded after the case stories (publications/demo/__init__.py); idempotent.
"""

import datetime
import io

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw

from center.accounts.models import User

from ..models import CaseStory, MagazineArticle, MagazineIssue, MagazinePhoto
from ..services.magazine import magazine_issue_publish, magazine_issue_save

ISSUES = [
    {
        "number": 1,
        "season": "2025年 夏号",
        "title": "まちの居場所をつくる人たち",
        "lead": (
            "子ども食堂、企業の会議室、団地の集会所。横浜のあちこちで、"
            "誰かの「やってみよう」から新しい居場所が生まれています。"
        ),
        "published_on": datetime.date(2025, 7, 1),
        "colours": ((236, 170, 60), (250, 236, 200)),
        "cover_alt": "夕暮れの公園で、子どもと大人が輪になって話している様子のイラスト",
        "stories": [
            ("特集", "子ども食堂を大学生が支える"),
            ("協働事例", "企業の遊休スペースを地域の居場所に"),
        ],
        "own": [
            {
                "kicker": "センターのご案内",
                "title": "協働推進センターを使ってみませんか",
                "lead": "相談、講座、交流スペース。センターの使い方をご紹介します。",
                "body": (
                    "## 相談する\n\n"
                    "地域の課題や協働の提案について、協働コーディネーターが一緒に考えます。"
                    "相談は無料です。窓口のほか、ウェブの相談フォームからも受け付けています。\n\n"
                    "## 学ぶ\n\n"
                    "NPO入門セミナーや「パブリックアクション」講座を開いています。"
                    "団体の立ち上げを考えている方も、運営に悩んでいる方も歓迎です。\n\n"
                    "## 集まる\n\n"
                    "打合せや交流に使えるスペースがあります。"
                    "予約はセンターのウェブサイトからどうぞ。"
                ),
                "photos": [],
            }
        ],
    },
    {
        "number": 2,
        "season": "2025年 秋号",
        "title": "協働が生まれる現場から",
        "lead": (
            "町内会と企業、NPOと大学、区役所と多言語ボランティア。"
            "異なる主体が出会い、一緒に動き出した現場を訪ねました。"
            "相談会に参加した方へのインタビューもお届けします。"
        ),
        "published_on": datetime.date(2025, 10, 1),
        "colours": ((11, 79, 138), (200, 225, 245)),
        "cover_alt": "港の見える丘で、地域の人たちが防災マップを広げて話し合っている様子のイラスト",
        "stories": [
            ("特集", "町内会と企業が一緒に防災訓練"),
            ("特集", "外国につながる家庭のための相談窓口"),
            ("協働事例", "川辺の清掃から始まった環境学習"),
            ("協働事例", "団地の見守りを商店街と"),
        ],
        "own": [
            {
                "kicker": "相談会レポート",
                "title": "市民協働相談会に参加して　参加者インタビュー",
                "lead": (
                    "9月の市民協働相談会には、立ち上げ間もない団体から企業の担当者まで、"
                    "8組が参加しました。参加した2人にお話を伺いました。"
                ),
                "body": (
                    "## 「一人で抱えなくていい」とわかった\n\n"
                    "**――相談会に参加したきっかけは？**\n\n"
                    "子育て中の親子が集まれる場所をつくりたいと思っていましたが、"
                    "会場も仲間も見つからず、何から始めればいいのかわかりませんでした。"
                    "区のセンターで相談会のチラシを見て、申し込みました。\n\n"
                    "**――実際に相談してみていかがでしたか。**\n\n"
                    "コーディネーターの方が、近くで同じような活動をしている団体や、"
                    "会議室を地域に開放している企業を紹介してくれました。"
                    "一人で抱えなくていいんだ、と肩の力が抜けました。\n\n"
                    "## 企業として地域に関わるには\n\n"
                    "**――企業の立場から参加された理由を教えてください。**\n\n"
                    "社員のボランティア活動を応援したいのですが、"
                    "どの団体と組めばいいのか社内ではわかりませんでした。"
                    "相談会では、活動の内容だけでなく、"
                    "協働の進め方や役割分担の考え方まで教えてもらえました。\n\n"
                    "**――これからの予定は？**\n\n"
                    "紹介してもらった団体と、来春に合同のイベントを開く予定です。\n\n"
                    "## 次回の相談会\n\n"
                    "市民協働相談会は年5回開いています。"
                    "日程と申込方法はセンターのウェブサイトでご案内します。"
                ),
                "photos": [
                    ("相談会で話し合う参加者とコーディネーター", "相談会の様子", (60, 120, 90)),
                    ("インタビューに答える参加者", "インタビューに答える参加者", (130, 80, 40)),
                ],
            },
            {
                "kicker": "お知らせ",
                "title": "センターからのお知らせ",
                "lead": "",
                "body": (
                    "- 年末年始（12月29日〜1月3日）は休館します。\n"
                    "- メールマガジンの配信を始めました。ウェブサイトから登録できます。\n"
                    "- 協働人材バンクに新しいコーディネーターが加わりました。"
                ),
                "photos": [],
            },
        ],
    },
]


def _picture(
    size: tuple[int, int], colours: tuple[tuple[int, int, int], ...], name: str
) -> ContentFile:
    """A simple generated picture (no photos of real people in demo data)."""
    dark, light = colours[0], colours[-1]
    width, height = size
    image = Image.new("RGB", size, light)
    draw = ImageDraw.Draw(image)
    for row in range(0, height, 8):
        shade = tuple(int(light[i] + (dark[i] - light[i]) * row / height) for i in range(3))
        draw.rectangle((0, row, width, row + 8), fill=shade)
    for step in range(6):
        radius = width // 10 + step * width // 40
        centre = (width * (step + 1) // 7, height * 2 // 3 - step * height // 30)
        draw.ellipse(
            (centre[0] - radius, centre[1] - radius, centre[0] + radius, centre[1] + radius),
            outline=(255, 255, 255),
            width=max(2, width // 300),
        )
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=82)
    return ContentFile(buffer.getvalue(), name=f"{name}.jpg")


def load() -> list[dict]:
    if MagazineIssue.objects.exists():
        return []
    staff = User.objects.filter(groups__name="center_staff", is_active=True).first()
    if staff is None:
        return []
    stories = {story.title: story for story in CaseStory.objects.published()}
    for spec in ISSUES:
        issue = MagazineIssue(
            number=spec["number"],
            season=spec["season"],
            title=spec["title"],
            lead=spec["lead"],
            published_on=spec["published_on"],
            cover_image=_picture((2100, 1500), spec["colours"], f"cover-{spec['number']}"),
            cover_alt_text=spec["cover_alt"],
        )
        magazine_issue_save(issue=issue, actor=staff, cover_changed=True)
        order = 0
        for kicker, title in spec["stories"]:
            story = stories.get(title)
            if story is None:
                continue
            order += 1
            MagazineArticle.objects.create(issue=issue, order=order, kicker=kicker, story=story)
        for own in spec["own"]:
            order += 1
            article = MagazineArticle.objects.create(
                issue=issue,
                order=order,
                kicker=own["kicker"],
                title=own["title"],
                lead=own["lead"],
                body=own["body"],
            )
            for index, (alt, caption, colour) in enumerate(own["photos"]):
                MagazinePhoto.objects.create(
                    article=article,
                    image=_picture((1600, 1067), (colour, (240, 240, 235)), f"interview-{index}"),
                    caption=caption,
                    alt_text=alt,
                    order=index,
                )
        # The PDF is built once this transaction commits (outbox → task).
        magazine_issue_publish(issue=issue, actor=staff)
    return []
