"""Demo data for `make run`: registered groups across wards and kinds.

Twelve groups: nine registered (one of them run by the demo member account, which the
spaces and HUB demo data use), one waiting for review, one asked for more information
and one whose registration lapsed last fiscal year. Idempotent: groups are found by name.
"""

import datetime

from django.utils import timezone

from center.accounts.demo import demo_email
from center.accounts.models import User
from center.core.fiscal import fiscal_year_bounds, fiscal_year_of
from center.core.models import SdgGoal, Ward

from .models import ActivityField, Group, GroupMembership
from .services_groups import _grant_org_member, group_search_text

MEMBER_GROUP_NAME = "港北こども食堂ネットワーク"

# name, kana, kind, ward, fields, sdgs, members, status, description, website
GROUPS = [
    (
        MEMBER_GROUP_NAME,
        "こうほくこどもしょくどうねっとわーく",
        Group.Kind.VOLUNTARY,
        "kohoku",
        [1, 13],
        [1, 2, 3],
        24,
        "approved",
        "港北区内の子ども食堂8か所が連携し、食材の融通やボランティア研修を行っています。"
        "月に一度、合同の学習支援会も開いています。",
        "https://kohoku-kodomo.example.jp/",
    ),
    (
        "NPO法人 鶴見川流域みどりの会",
        "つるみがわりゅういきみどりのかい",
        Group.Kind.NPO_CORPORATION,
        "tsurumi",
        [7, 2],
        [6, 13, 15],
        58,
        "approved",
        "鶴見川沿いの清掃活動と生きもの観察会を毎月開催。小学校への出前授業も行っています。",
        "https://midori-tsurumigawa.example.jp/",
    ),
    (
        "中区多文化共生サポーターズ",
        "なかくたぶんかきょうせいさぽーたーず",
        Group.Kind.VOLUNTARY,
        "naka",
        [11, 10, 2],
        [4, 10, 16],
        31,
        "approved",
        "外国につながる子どもと保護者のための日本語教室と、生活相談の通訳ボランティアの会です。",
        "",
    ),
    (
        "一般社団法人 よこはまシニアICT応援団",
        "よこはましにああいしーてぃーおうえんだん",
        Group.Kind.GENERAL_ASSOCIATION,
        "nishi",
        [14, 1],
        [4, 9],
        15,
        "approved",
        "高齢の方向けにスマートフォン・パソコンの使い方講座を地区センターで開いています。",
        "https://senior-ict.example.jp/",
    ),
    (
        "戸塚区〇〇町内会",
        "とつかくまるまるちょうないかい",
        Group.Kind.NEIGHBOURHOOD,
        "totsuka",
        [3, 8, 9],
        [11],
        420,
        "approved",
        "防災訓練、見守り活動、夏祭りなど、地域のつながりづくりに取り組む町内会です。",
        "",
    ),
    (
        "青葉区子育てひろば ぽっかぽか",
        "あおばくこそだてひろば ぽっかぽか",
        Group.Kind.NPO_CORPORATION,
        "aoba",
        [13, 12],
        [3, 5],
        19,
        "approved",
        "0〜3歳の親子が集えるひろばを週4日開いています。子育て相談や一時預かりも。",
        "https://pokkapoka.example.jp/",
    ),
    (
        "株式会社みなとみらい地域共創ラボ",
        "みなとみらいちいききょうそうらぼ",
        Group.Kind.COMPANY,
        "nishi",
        [16, 17],
        [8, 9, 17],
        12,
        "approved",
        "地元企業と市民団体の協働プロジェクトを企画・運営しています。CSR活動の相談も受け付けます。",
        "https://mm-kyoso.example.jp/",
    ),
    (
        "金沢区海辺の生きもの調査隊",
        "かなざわくうみべのいきものちょうさたい",
        Group.Kind.VOLUNTARY,
        "kanazawa",
        [7, 6, 15],
        [14],
        27,
        "approved",
        "野島海岸の干潟で生きもの調査と観察会を行う市民グループです。",
        "",
    ),
    (
        "横浜市立大学 地域連携ボランティアセンター",
        "よこはましりつだいがく ちいきれんけいぼらんてぃあせんたー",
        Group.Kind.UNIVERSITY,
        "kanazawa",
        [2, 19],
        [4, 17],
        80,
        "approved",
        "学生ボランティアと地域団体をつなぐ大学の窓口です。",
        "https://univ-volunteer.example.jp/",
    ),
    (
        "旭区フードバンクあさひ",
        "あさひくふーどばんくあさひ",
        Group.Kind.VOLUNTARY,
        "asahi",
        [1, 18],
        [1, 2, 12],
        9,
        "pending",
        "家庭で余った食品を集め、必要とするご家庭や子ども食堂に届けます。",
        "",
    ),
    (
        "緑区里山保全クラブ",
        "みどりくさとやまほぜんくらぶ",
        Group.Kind.VOLUNTARY,
        "midori",
        [7, 5],
        [15],
        14,
        "needs_info",
        "新治市民の森で下草刈りや炭焼き体験会を行っています。",
        "",
    ),
    (
        "南区ふれあい将棋クラブ",
        "みなみくふれあいしょうぎくらぶ",
        Group.Kind.VOLUNTARY,
        "minami",
        [6, 1],
        [3],
        22,
        "lapsed",
        "地域ケアプラザで毎週将棋を指しながら、高齢者の居場所をつくっています。",
        "",
    ),
]


def _ward(code: str) -> Ward:
    return Ward.objects.filter(code=code).first() or Ward.objects.in_order().first()


def demo_member_group() -> Group | None:
    """The approved group the demo member account administers (spaces and HUB use it)."""
    return Group.objects.filter(name=MEMBER_GROUP_NAME).first()


def load() -> list[dict]:
    today = timezone.localdate()
    this_year_end = fiscal_year_bounds(fiscal_year_of(today))[1]
    last_year_end = fiscal_year_bounds(fiscal_year_of(today) - 1)[1]
    member = User.objects.filter(email=demo_email("member")).first()
    for index, (name, kana, kind, ward, fields, sdgs, count, state, text, website) in enumerate(
        GROUPS
    ):
        if Group.objects.filter(name=name).exists():
            continue
        approved = state in ("approved", "lapsed")
        group = Group(
            name=name,
            name_kana=kana,
            kind=kind,
            representative_name=["山田 花子", "佐藤 一郎", "鈴木 みどり", "高橋 健"][index % 4],
            contact_name=["田中 由美", "伊藤 誠", "渡辺 さくら", "中村 大輔"][index % 4],
            contact_email=f"group{index + 1}@demo.kyodo-center.example.jp",
            contact_phone=f"045-000-{1000 + index:04d}",
            postal_code=f"2{index:02d}-00{index:02d}",
            address=f"横浜市{_ward(ward).name}1-{index + 1}-1",
            ward=_ward(ward),
            description=text,
            website=website,
            member_count=count,
            status=Group.Status.APPROVED if approved else state,
            review_note=(
                "規約の最新版（役員の記載があるもの）をアップロードしてください。"
                if state == "needs_info"
                else ""
            ),
            submitted_at=timezone.now() - datetime.timedelta(days=30 + index),
            approved_at=timezone.now() - datetime.timedelta(days=20) if approved else None,
            valid_until=(
                last_year_end if state == "lapsed" else this_year_end if approved else None
            ),
        )
        group.search_text = group_search_text(group)
        group.full_clean()
        group.save()
        group.fields.set(ActivityField.objects.filter(number__in=fields))
        group.sdgs.set(SdgGoal.objects.filter(number__in=sdgs))
        if name == MEMBER_GROUP_NAME and member is not None:
            GroupMembership.objects.get_or_create(
                group=group, user=member, defaults={"role": GroupMembership.Role.ADMIN}
            )
            _grant_org_member(member)
    return []
