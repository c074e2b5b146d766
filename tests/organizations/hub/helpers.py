"""Builders for the HUB tests: a registered group with a member, a partner with an account."""

import datetime

from django.utils import timezone

from center.accounts.services import user_create
from center.core.models import Ward
from organizations.models import (
    Group,
    GroupMembership,
    HubPost,
    Partner,
    PartnerMembership,
)
from tests.conftest import PASSWORD

GROUP_EMAIL = "secret-group@example.org"
GROUP_PHONE = "045-123-4567"
GROUP_ADDRESS = "横浜市中区秘密町1-2-3"
PARTNER_EMAIL = "secret-partner@example.ac.jp"
PARTNER_PHONE = "045-987-6543"
PARTNER_CONTACT = "連絡 担当者"


def make_user(email: str):
    return user_create(email=email, password=PASSWORD, name=email, verified=True)


def make_group(name="みどり川の会", *, status=Group.Status.APPROVED, valid_days=100, member=None):
    group = Group.objects.create(
        name=name,
        name_kana="みどりかわのかい",
        kind=Group.Kind.VOLUNTARY,
        representative_name="代表 太郎",
        contact_name="連絡 花子",
        contact_email=GROUP_EMAIL,
        contact_phone=GROUP_PHONE,
        postal_code="231-0001",
        address=GROUP_ADDRESS,
        ward=Ward.objects.get(code="naka"),
        description="川の清掃",
        member_count=10,
        status=status,
        valid_until=timezone.localdate() + datetime.timedelta(days=valid_days),
    )
    if member is not None:
        GroupMembership.objects.create(group=group, user=member)
    return group


def make_partner(name="横浜テスト大学", *, listed=True, user=None, active=True):
    partner = Partner.objects.create(
        kind=Partner.Kind.UNIVERSITY,
        name=name,
        department="地域連携推進機構",
        description="学生の地域活動を支えます。",
        listed_publicly=listed,
        is_active=active,
        contact_name=PARTNER_CONTACT,
        contact_email=PARTNER_EMAIL,
        contact_phone=PARTNER_PHONE,
    )
    if user is not None:
        PartnerMembership.objects.create(partner=partner, user=user)
    return partner


def make_need(group, title="清掃ボランティア募集", **extra):
    return HubPost.objects.create(
        kind=HubPost.Kind.NEED, group=group, title=title, body="手伝ってください", **extra
    )


def make_offer(partner, title="学生ボランティア派遣", **extra):
    return HubPost.objects.create(
        kind=HubPost.Kind.OFFER, partner=partner, title=title, body="学生が伺います", **extra
    )
