"""Demo data of the 市民協働HUB: partners, needs and offers, one introduction in progress.

The partner names are clearly demo ones (「デモ」 in each), so nobody mistakes them for a
real university's or company's commitment. See organizations/demo.py.
"""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from center.accounts.roles import COORDINATOR, ORG_MEMBER
from center.accounts.services import user_create
from center.core.models import SdgGoal, Ward

from .models import (
    ActivityField,
    Group,
    GroupMembership,
    HubPost,
    IntroductionRequest,
    Partner,
    PartnerMembership,
)

DEMO_PASSWORD = "kyodo-demo-2026"
DEMO_DOMAIN = "demo.kyodo-center.example.jp"

PARTNERS = [
    # kind, name, department, description, fields, SDGs, listed
    (
        Partner.Kind.UNIVERSITY,
        "横浜みなと大学（デモ）",
        "地域連携推進機構",
        "学生の地域活動やゼミ単位の共同調査を通じて、市内の市民団体と協働しています。",
        [2, 3, 13],
        [4, 11, 17],
        True,
    ),
    (
        Partner.Kind.UNIVERSITY,
        "港北文理大学（デモ）",
        "社会連携センター",
        "環境学・福祉学の研究室が、地域課題の調査や講師派遣で協力します。",
        [1, 7],
        [3, 13],
        True,
    ),
    (
        Partner.Kind.COMPANY,
        "株式会社ベイサイド電機（デモ）",
        "サステナビリティ推進部 CSR・SDGsグループ",
        "社員ボランティアの派遣、会議室の貸し出し、活動資金の助成を行っています。",
        [7, 13],
        [7, 13, 17],
        True,
    ),
    (
        Partner.Kind.COMPANY,
        "よこはま緑化サービス株式会社（デモ）",
        "CSR推進室",
        "公園・緑地の管理ノウハウを生かし、緑化活動を支援しています。",
        [7],
        [11, 15],
        False,  # not listed: shows that the public list is opt-in
    ),
]

NEEDS = [
    (
        "大岡川清掃デーのボランティア募集",
        "毎月第2日曜日の午前、大岡川沿いの清掃を行っています。学生や社員の方に一緒に"
        "参加していただける団体・企業を探しています。道具はこちらで用意します。",
        7,
        "minami",
        60,
    ),
    (
        "子ども食堂のメニュー開発に協力してくれる方",
        "栄養バランスのよい低予算メニューを一緒に考えてくださる大学の研究室や企業を"
        "探しています。月1回の試食会にご参加いただけると助かります。",
        2,
        "kanagawa",
        90,
    ),
    (
        "活動報告書のデザインを手伝ってほしい",
        "年次の活動報告書（A4・8ページ）を読みやすくしたいと考えています。デザインや"
        "広報に詳しい方の協力をお願いします。",
        19,
        "naka",
        None,
    ),
]

OFFERS = [
    (
        0,
        "地域課題の共同調査（ゼミ単位）",
        "社会調査を学ぶゼミが、アンケートの設計・実施・集計を半年間かけてお手伝いします。"
        "調査テーマはご相談ください。",
        3,
        None,
        120,
    ),
    (
        2,
        "社員ボランティアの派遣（土日）",
        "環境保全や子どもの学習支援の活動に、社員ボランティアを派遣します。1回あたり"
        "5〜10名程度が目安です。",
        7,
        None,
        150,
    ),
    (
        1,
        "福祉分野の出前講座",
        "高齢者の見守りや認知症サポーターに関する出前講座を、教員と学生が担当します。",
        1,
        "kohoku",
        None,
    ),
]


PARTNER_LOCAL_PART = "partner"


def _user(local_part: str, name: str, roles=()):
    email = f"{local_part}@{DEMO_DOMAIN}"
    user = get_user_model().objects.filter(email=email).first()
    if user is None:
        user = user_create(
            email=email, password=DEMO_PASSWORD, name=name, roles=roles, verified=True
        )
    return user


def _fiscal_year_end(today: datetime.date) -> datetime.date:
    year = today.year if today.month <= 3 else today.year + 1
    return datetime.date(year, 3, 31)


def _demo_group(member) -> Group:
    """The groups area's demo group when it offers one; else a small group of our own."""
    from . import demo_groups

    if hasattr(demo_groups, "demo_member_group"):
        group = demo_groups.demo_member_group()
        if group is not None:
            return group
    today = timezone.localdate()
    group, created = Group.objects.get_or_create(
        name="みなみ水辺の会（デモ）",
        defaults={
            "name_kana": "みなみみずべのかい",
            "kind": Group.Kind.VOLUNTARY,
            "representative_name": "水辺 一郎",
            "contact_name": "水辺 花子",
            "contact_email": f"mizube@{DEMO_DOMAIN}",
            "contact_phone": "045-000-0000",
            "postal_code": "232-0000",
            "address": "横浜市南区（デモ）",
            "ward": Ward.objects.get(code="minami"),
            "description": "大岡川の清掃と水辺の観察会を続けている団体です。",
            "member_count": 15,
            "status": Group.Status.APPROVED,
            "approved_at": timezone.now(),
            "valid_until": _fiscal_year_end(today),
        },
    )
    if created:
        group.fields.set(ActivityField.objects.filter(number__in=[2, 7]))
    GroupMembership.objects.get_or_create(
        group=group, user=member, defaults={"role": GroupMembership.Role.ADMIN}
    )
    return group


def load() -> list[dict]:
    if Partner.objects.exists():
        return _logins()
    today = timezone.localdate()
    partners = []
    for kind, name, department, description, fields, sdgs, listed in PARTNERS:
        partner = Partner.objects.create(
            kind=kind,
            name=name,
            department=department,
            description=description,
            website="https://example.jp/",
            listed_publicly=listed,
            contact_name="連携 担当",
            contact_email=f"partner{len(partners) + 1}@{DEMO_DOMAIN}",
            contact_phone="045-000-1111",
        )
        partner.fields.set(ActivityField.objects.filter(number__in=fields))
        partner.sdgs.set(SdgGoal.objects.filter(number__in=sdgs))
        partners.append(partner)

    partner_user = _user(PARTNER_LOCAL_PART, "連携 担当（デモ）")
    PartnerMembership.objects.create(partner=partners[0], user=partner_user)
    member = _user("member", "団体 会員", roles=[ORG_MEMBER])
    group = _demo_group(member)
    group_author = member if group.memberships.filter(user=member).exists() else None

    def until(days):
        return today + datetime.timedelta(days=days) if days else None

    needs = [
        HubPost.objects.create(
            kind=HubPost.Kind.NEED,
            group=group,
            author=group_author,
            title=title,
            body=body,
            field=ActivityField.objects.filter(number=field).first(),
            ward=Ward.objects.get(code=ward),
            until=until(days),
        )
        for title, body, field, ward, days in NEEDS
    ]
    offers = [
        HubPost.objects.create(
            kind=HubPost.Kind.OFFER,
            partner=partners[index],
            author=partner_user if index == 0 else None,
            title=title,
            body=body,
            field=ActivityField.objects.filter(number=field).first(),
            ward=Ward.objects.get(code=ward) if ward else None,
            until=until(days),
        )
        for index, title, body, field, ward, days in OFFERS
    ]
    coordinator = _user("coordinator", "協働 太郎", roles=[COORDINATOR])
    IntroductionRequest.objects.create(
        post=offers[1],
        requester=member,
        requester_group=group,
        message="清掃デーに社員の方に参加していただけないか、ご紹介をお願いします。",
        status=IntroductionRequest.Status.IN_PROGRESS,
        coordinator=coordinator,
    )
    IntroductionRequest.objects.create(
        post=needs[0],
        requester=partner_user,
        requester_partner=partners[0],
        message="ゼミの学生10名ほどで参加したいと考えています。",
    )
    return _logins()


def _logins() -> list[dict]:
    # Printed on every `load_demo`, like the other demo accounts.
    return [
        {
            "role": "HUB partner",
            "email": f"{PARTNER_LOCAL_PART}@{DEMO_DOMAIN}",
            "password": DEMO_PASSWORD,
            "totp_secret": None,
        }
    ]
