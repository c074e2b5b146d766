"""Demo data for hearings, support requests and know-how (see networks/demo.py).

Idempotent: each piece is skipped when it is already there. Runs after demo_meetings, which
loads the ward centers and the demo ward-staff accounts; the ward centers used here are
created if missing so this module also works on its own.
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from center.accounts.roles import CENTER_STAFF, WARD_STAFF
from center.core.fiscal import fiscal_year_of
from center.core.models import Ward
from consultations.models import Status
from consultations.services import cases as consultation_services

from . import services_support as services
from .models import Hearing, KnowHowArticle, KnowHowCategory, SupportRequest, WardCenter

HEARING_WARDS = ("tsurumi", "naka", "kohoku")

ANSWERS = {
    "operations": [
        "常勤2名・非常勤4名の体制。平日夜間の利用が増えている。",
        "常勤2名・非常勤5名。土日の窓口を試行し、利用者数は前年比1.2倍。",
    ],
    "programs": [
        "団体向け会計講座を年2回、ボランティア入門講座を年4回実施。",
        "会計講座に加えて広報講座を新設。地域の子ども食堂ネットワーク会議を開始。",
    ],
    "issues": [
        "若い世代の登録団体が少ない。",
        "担い手の高齢化と、オンライン対応の相談が増えていること。",
    ],
    "support_needed": [
        "NPO法人設立相談の専門家紹介。",
        "協働事業の事例紹介と、企業との連携のコーディネート。",
    ],
}

ARTICLES = [
    (
        "団体の会計講座の組み立て方",
        "courses",
        "naka",
        "## ねらい\n\n小さな団体の**会計担当者**が、年度末に慌てないための講座です。\n\n"
        "- 1回目: 現金出納帳のつけ方\n- 2回目: 決算書の作り方\n",
    ),
    (
        "子ども食堂の立ち上げ相談への対応",
        "group_support",
        "tsurumi",
        "コドモショクドウの立ち上げ相談では、まず**場所**と**食品衛生**の確認から始めます。\n\n"
        "保健所への相談の流れを一緒に確認しましょう。",
    ),
    (
        "企業と団体をつなぐときの注意点",
        "coordination",
        None,
        "協働コーディネートでは、双方の目的を最初に言葉にしておくことが大切です。",
    ),
    (
        "チラシとSNSの使い分け",
        "publicity",
        None,
        "チラシは地域の掲示板と回覧、SNSは若い世代向けに。発信の時間帯も工夫します。",
    ),
    (
        "センターの窓口記録のつけ方",
        "center_operation",
        None,
        "相談記録は個人情報を含むため、鍵のかかる場所で保管し、保存期間を決めておきます。",
    ),
    (
        "地域のボランティア募集のコツ",
        "other",
        "kohoku",
        "募集の文面には、活動の時間・場所・必要な持ち物をはっきり書きます。",
    ),
]

# A minimal valid PDF, so the demo document opens in any reader.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n"
    b"0000000101 00000 n \ntrailer<</Size 4/Root 1 0 R>>\nstartxref\n170\n%%EOF\n"
)


def _center(code: str) -> WardCenter:
    ward = Ward.objects.get(code=code)
    center, _created = WardCenter.objects.get_or_create(
        ward=ward,
        defaults={
            "name": f"{ward.name}民活動支援センター",
            "name_en": f"{ward.name_en} Ward Citizen Activity Support Center",
        },
    )
    return center


def _user(*, role: str, ward_code: str | None = None):
    users = get_user_model().objects.filter(groups__name=role, is_active=True)
    if ward_code:
        users = users.filter(ward__code=ward_code)
    return users.order_by("pk").first()


def _hearings() -> None:
    this_year = fiscal_year_of()
    interviewer = _user(role=CENTER_STAFF)
    for code in HEARING_WARDS:
        center = _center(code)
        for index, year in enumerate((this_year - 1, this_year)):
            if Hearing.objects.filter(ward_center=center, fiscal_year=year).exists():
                continue
            services.hearing_create(
                ward_center=center,
                fiscal_year=year,
                held_on=datetime.date(year, 7, 10 + index),
                interviewer=interviewer,
                attendees="センター長、スタッフ1名",
                summary=f"{center.name}の{year}年度ヒアリング。",
                answers={key: texts[index] for key, texts in ANSWERS.items()},
            )


def _support_requests() -> None:
    staff = _user(role=CENTER_STAFF)
    demo = [
        ("tsurumi", "NPO法人化の相談を受けた団体への支援", "founding", Status.IN_PROGRESS),
        ("naka", "商店街と子育て団体の協働コーディネート", "collaboration", Status.CLOSED),
        ("naka", "広報チラシ作成の相談", "publicity", None),
    ]
    for code, summary, kind, status in demo:
        center = _center(code)
        if SupportRequest.objects.filter(ward_center=center, summary=summary).exists():
            continue
        consented = kind == "founding"
        request = services.support_request_file(
            ward_center=center,
            filed_by=_user(role=WARD_STAFF, ward_code=code),
            summary=summary,
            details="区センターの窓口で受けた相談です。センターの知見をお借りしたいです。",
            group_name="つるみ子ども応援団" if code == "tsurumi" else "なか子育てひろば",
            kind=kind,
            urgency=3 if consented else 2,
            contact_consent=consented,
            contact_name="鶴見 花子" if consented else "",
            contact_phone="045-000-0000" if consented else "",
        )
        if status == Status.CLOSED:
            consultation_services.consultation_change_status(
                consultation=request.consultation, status=Status.IN_PROGRESS, actor=staff
            )
        if status:
            consultation_services.consultation_change_status(
                consultation=request.consultation, status=status, actor=staff
            )


def _knowhow() -> None:
    author = _user(role=CENTER_STAFF)
    for title, category, code, body in ARTICLES:
        if KnowHowArticle.objects.filter(title=title).exists():
            continue
        documents = []
        if code == "naka":
            pdf = SimpleUploadedFile("kaikei.pdf", DEMO_PDF, content_type="application/pdf")
            pdf.original_name = "会計講座の進め方.pdf"
            documents = [pdf]
        services.knowhow_save(
            title=title,
            category=KnowHowCategory.objects.get(key=category),
            body=body,
            author=_user(role=WARD_STAFF, ward_code=code) if code else author,
            ward_center=_center(code) if code else None,
            documents=documents,
        )


def load() -> list[dict]:
    _hearings()
    _support_requests()
    _knowhow()
    return []
