"""Demo news, 協働事例 case stories (with generated photos) and talent-bank profiles.

Loaded once by `manage.py load_demo`, through the same services staff use.
"""

import datetime
import io

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw

from center.accounts.models import User
from center.core.models import SdgGoal, Ward

from ..models import (
    CaseStory,
    Expertise,
    NewsItem,
    Sector,
    StoryPartner,
    StoryPhoto,
    TalentProfile,
    Theme,
)
from ..services.news import news_save
from ..services.stories import story_publish, story_submit_for_review
from ..services.talent import talent_publish, talent_record_consent

THEMES = [
    ("子育て", "Child-rearing"),
    ("防災", "Disaster preparedness"),
    ("環境", "Environment"),
    ("高齢者の暮らし", "Older people"),
    ("多文化共生", "Multicultural community"),
    ("まちづくり", "Community building"),
]

EXPERTISE = [
    ("NPO運営", "Running an NPO"),
    ("協働コーディネート", "Collaboration coordination"),
    ("ファンドレイジング", "Fundraising"),
    ("広報・情報発信", "Publicity"),
    ("企業の社会貢献", "Corporate social responsibility"),
]

NEWS = [
    (
        "年末年始の休館日のお知らせ",
        NewsItem.Category.NOTICE,
        True,
        "12月29日(火)から1月3日(日)まで休館します。\n\n相談フォームは休館中も受け付けています。",
    ),
    (
        "市民協働相談会（第3回）の予約を受け付けています",
        NewsItem.Category.CONSULTATION,
        False,
        "協働コーディネーターに1対1で相談できます。**参加費無料**・事前予約制です。",
    ),
    (
        "未来創発シンポジウム ブース出展団体を募集します",
        NewsItem.Category.RECRUITMENT,
        False,
        "活動を紹介するブースを出展する団体を募集します。\n\n"
        "- 対象：市内で活動する団体\n- 締切：1月15日",
    ),
    (
        "ミズベサロン 開催報告",
        NewsItem.Category.REPORT,
        False,
        "「地域の居場所づくり」をテーマに、24名の方が参加しました。",
    ),
]

STORIES = [
    # title, summary, ward, year, sdgs, themes, partners, colour
    (
        "町内会と企業が一緒に防災訓練",
        "本町一丁目町内会と近くの企業が、初めて合同で防災訓練を開きました。",
        "naka",
        2025,
        [11, 17],
        ["防災", "まちづくり"],
        [("本町一丁目町内会", Sector.NEIGHBOURHOOD), ("株式会社みなと防災", Sector.COMPANY)],
        (11, 79, 138),
    ),
    (
        "子ども食堂を大学生が支える",
        "大学のボランティアサークルが、月2回の子ども食堂の運営に加わりました。",
        "tsurumi",
        2025,
        [1, 2, 4],
        ["子育て"],
        [("つるみ子ども食堂", Sector.NPO), ("横浜市立大学 ボランティア支援室", Sector.UNIVERSITY)],
        (179, 71, 0),
    ),
    (
        "川辺の清掃から始まった環境学習",
        "地域の小学校とNPOが、川の清掃と生き物観察を続けています。",
        "kohoku",
        2024,
        [6, 14, 15],
        ["環境"],
        [
            ("NPO法人つるみ川ネット", Sector.NPO),
            ("市立小学校", Sector.UNIVERSITY),
            ("港北区役所", Sector.GOVERNMENT),
        ],
        (0, 110, 80),
    ),
    (
        "外国につながる家庭のための相談窓口",
        "多言語ボランティアと区役所が協働で、子育て相談会を開いています。",
        "minami",
        2025,
        [4, 10],
        ["多文化共生", "子育て"],
        [("みなみ多文化ネット", Sector.NPO), ("南区役所", Sector.GOVERNMENT)],
        (120, 60, 150),
    ),
    (
        "団地の見守りを商店街と",
        "高齢化の進む団地で、商店街と自治会が見守り活動を始めました。",
        "asahi",
        2024,
        [3, 11],
        ["高齢者の暮らし", "まちづくり"],
        [("若葉台自治会", Sector.NEIGHBOURHOOD), ("あさひ商店会", Sector.COMPANY)],
        (150, 90, 30),
    ),
    (
        "企業の遊休スペースを地域の居場所に",
        "企業の会議室を週1回、地域の居場所として開放しています。",
        "kanagawa",
        2025,
        [11, 17],
        ["まちづくり"],
        [("株式会社かながわ不動産", Sector.COMPANY), ("地域の居場所をつくる会", Sector.CITIZEN)],
        (40, 40, 120),
    ),
]

TALENT = [
    (
        "森 さとみ",
        "もり さとみ",
        "認定NPO法人市民セクターよこはま",
        ["NPO運営", "協働コーディネート"],
        ["naka", "nishi"],
        "日本語, English",
        "市民活動の立ち上げから組織運営まで、20年にわたり伴走支援をしています。",
    ),
    (
        "小林 誠",
        "こばやし まこと",
        "税理士事務所",
        ["NPO運営"],
        ["kohoku"],
        "日本語",
        "NPO法人の会計・税務の相談を担当しています。",
    ),
    (
        "加藤 由美",
        "かとう ゆみ",
        "地域デザイン研究所",
        ["広報・情報発信", "ファンドレイジング"],
        ["aoba", "tsuzuki"],
        "日本語",
        "団体の広報と寄付集めのワークショップを各区で開いています。",
    ),
]


def _photo(colour: tuple[int, int, int], label: str) -> ContentFile:
    image = Image.new("RGB", (1200, 800), colour)
    draw = ImageDraw.Draw(image)
    for step in range(0, 1200, 80):
        draw.ellipse((step, 500 - step // 4, step + 300, 800 - step // 4), outline=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return ContentFile(buffer.getvalue(), name=f"{label}.jpg")


def load() -> list[dict]:
    if CaseStory.objects.exists() or NewsItem.objects.exists():
        return []
    staff = User.objects.filter(groups__name="center_staff").first()
    coordinator = User.objects.filter(groups__name="coordinator").first()
    wards = {ward.code: ward for ward in Ward.objects.all()}
    now = timezone.now()

    themes = {}
    for order, (name, name_en) in enumerate(THEMES):
        themes[name] = Theme.objects.create(name=name, name_en=name_en, order=order)
    expertise = {}
    for order, (name, name_en) in enumerate(EXPERTISE):
        expertise[name] = Expertise.objects.create(name=name, name_en=name_en, order=order)

    for days_ago, (title, category, pinned, body) in enumerate(NEWS):
        news_save(
            item=NewsItem(
                title=title,
                category=category,
                is_pinned=pinned,
                body=body,
                is_published=True,
                publish_from=now - datetime.timedelta(days=2 * days_ago + 1),
            ),
            actor=staff,
        )

    for index, (title, summary, ward, year, sdgs, theme_names, partners, colour) in enumerate(
        STORIES
    ):
        story = CaseStory.objects.create(
            title=title,
            summary=summary,
            ward=wards[ward],
            year=year,
            author=coordinator,
            body=f"## きっかけ\n\n{summary}\n\n## これから\n\n活動の輪を広げていきます。",
        )
        story.sdgs.set(SdgGoal.objects.filter(number__in=sdgs))
        story.themes.set([themes[name] for name in theme_names])
        for name, sector in partners:
            StoryPartner.objects.create(story=story, name=name, sector=sector)
        StoryPhoto.objects.create(
            story=story,
            image=_photo(colour, f"story-{index + 1}"),
            caption=f"{title}の様子",
            alt_text=f"{title}に参加した人たちの様子",
        )
        story_submit_for_review(story=story, actor=coordinator)
        story_publish(story=story, actor=staff)

    for name, kana, affiliation, fields, areas, languages, activities in TALENT:
        profile = TalentProfile.objects.create(
            name=name,
            name_kana=kana,
            affiliation=affiliation,
            languages=languages,
            activities=activities,
            email=f"{kana.split()[0]}@example.jp",
        )
        profile.expertise.set([expertise[field] for field in fields])
        profile.wards.set([wards[code] for code in areas])
        talent_record_consent(profile=profile, actor=staff)
        talent_publish(profile=profile, actor=staff)
    return []
