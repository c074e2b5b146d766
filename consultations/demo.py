"""Demo consultations: every status, topic and channel, notes and replies, 相談会 sessions with
free and booked slots, and one quarantined submission. Loaded once by `manage.py load_demo`."""

import datetime

from django.utils import timezone

from center.accounts.models import User
from center.core.models import Ward

from . import services
from .models import (
    Channel,
    Consultation,
    ConsultationSession,
    RequesterType,
    SessionSlot,
    Status,
    Topic,
)

DEMO_CASES = [
    # (requester type, family, given, kana family, kana given, organisation, ward code, topic,
    #  channel, title, body, final status)
    (
        RequesterType.NEIGHBOURHOOD,
        "山田",
        "一郎",
        "ヤマダ",
        "イチロウ",
        "本町一丁目町内会",
        "naka",
        Topic.PROPOSAL,
        Channel.WEB,
        "防災訓練を企業と一緒に開きたい",
        "町内会で毎年行っている防災訓練に、近くの企業の社員の方にも参加していただきたいと考えて"
        "います。どのように声をかければよいか相談したいです。",
        Status.IN_PROGRESS,
    ),
    (
        RequesterType.INDIVIDUAL,
        "佐藤",
        "花子",
        "サトウ",
        "ハナコ",
        "",
        "tsurumi",
        Topic.FOUNDING,
        Channel.WEB,
        "子ども食堂をNPO法人にしたい",
        "3年間任意団体として子ども食堂を運営してきました。NPO法人化の手続きと、必要な準備を"
        "知りたいです。",
        Status.WAITING,
    ),
    (
        RequesterType.NPO,
        "鈴木",
        "健",
        "スズキ",
        "ケン",
        "NPO法人みなとみらい環境ネット",
        "nishi",
        Topic.MANAGEMENT,
        Channel.PHONE,
        "会計ソフトの移行と決算の相談",
        "来年度から会計ソフトを変える予定です。決算書の作り方も含めて税理士さんに相談したいです。",
        Status.REFERRED,
    ),
    (
        RequesterType.COMPANY,
        "高橋",
        "美咲",
        "タカハシ",
        "ミサキ",
        "株式会社よこはまグリーン",
        "kohoku",
        Topic.PROPOSAL,
        Channel.EMAIL,
        "社員のボランティア先を探しています",
        "SDGsの取り組みとして、社員が月1回参加できる地域活動を探しています。",
        Status.CLOSED,
    ),
    (
        RequesterType.SCHOOL,
        "田中",
        "陽介",
        "タナカ",
        "ヨウスケ",
        "横浜市立大学 地域連携推進センター",
        "kanazawa",
        Topic.ACTIVITY,
        Channel.COUNTER,
        "学生の地域プロジェクトの受け入れ先",
        "ゼミの学生が地域課題に取り組むプロジェクトを計画しています。受け入れ先の団体を紹介して"
        "ほしいです。",
        Status.RECEIVED,
    ),
    (
        RequesterType.CIVIC_GROUP,
        "伊藤",
        "さくら",
        "イトウ",
        "サクラ",
        "港南子育てサークルぽかぽか",
        "konan",
        Topic.PUBLICITY,
        Channel.FAX,
        "活動のチラシの作り方",
        "会員を増やしたいので、チラシやSNSでの発信方法を教えてほしいです。",
        Status.CLOSED,
    ),
    (
        RequesterType.GOVERNMENT,
        "渡辺",
        "直樹",
        "ワタナベ",
        "ナオキ",
        "横浜市 青葉区役所 地域振興課",
        "aoba",
        Topic.PLACE_FUNDS,
        Channel.WARD_CENTER,
        "区内の団体の活動場所について",
        "区民活動支援センターに寄せられた相談です。週1回使える活動場所を探している団体があります。",
        Status.IN_PROGRESS,
    ),
    (
        RequesterType.OTHER,
        "中村",
        "優",
        "ナカムラ",
        "ユウ",
        "",
        None,
        Topic.OTHER,
        Channel.WEB,
        "市外在住ですが相談できますか",
        "川崎市に住んでいますが、横浜市内で活動を始めたいと考えています。",
        Status.WITHDRAWN,
    ),
]


def load() -> list[dict]:
    if Consultation.objects.exists():
        return []
    staff = User.objects.filter(groups__name="center_staff").first()
    coordinator = User.objects.filter(groups__name="coordinator").first()
    wards = {ward.code: ward for ward in Ward.objects.all()}
    now = timezone.now()

    for days_ago, case in enumerate(DEMO_CASES):
        (
            rtype,
            family,
            given,
            kana_f,
            kana_g,
            org,
            ward_code,
            topic,
            channel,
            title,
            body,
            final_status,
        ) = case
        consultation = services.consultation_submit(
            fields={
                "requester_type": rtype,
                "family_name": family,
                "given_name": given,
                "family_name_kana": kana_f,
                "given_name_kana": kana_g,
                "organization_name": org,
                "email": f"requester{days_ago + 1}@example.jp" if channel != Channel.FAX else "",
                "phone": "045-000-0000" if channel in (Channel.PHONE, Channel.FAX) else "",
                "ward": wards.get(ward_code),
                "topic": topic,
                "title": title,
                "body": body,
            },
            channel=channel,
            entered_by=staff if channel != Channel.WEB else None,
        )
        Consultation.objects.filter(pk=consultation.pk).update(
            created_at=now - datetime.timedelta(days=3 * days_ago + 1)
        )
        _walk_to(consultation, final_status, staff=staff, coordinator=coordinator, wards=wards)

    services.consultation_submit(
        fields={
            "requester_type": RequesterType.OTHER,
            "family_name": "test",
            "given_name": "test",
            "email": "bulk-sender@example.com",
            "topic": Topic.OTHER,
            "title": "Cheap offers!!! Visit now",
            "body": "http://spam.example.com/ " * 5,
        },
        quarantine_reason="honeypot field filled",
    )
    _demo_sessions(now)
    return []


def _walk_to(consultation, final_status, *, staff, coordinator, wards) -> None:
    """Move a demo case through the workflow the way staff would."""
    if final_status == Status.RECEIVED:
        return
    if final_status == Status.WITHDRAWN:
        services.consultation_change_status(
            consultation=consultation,
            status=Status.WITHDRAWN,
            actor=staff,
            note="ご本人から取り下げの連絡がありました。",
        )
        return
    services.consultation_assign(consultation=consultation, assignee=coordinator, actor=staff)
    services.consultation_change_status(
        consultation=consultation, status=Status.IN_PROGRESS, actor=staff
    )
    services.consultation_add_note(
        consultation=consultation,
        actor=coordinator,
        text="初回の電話で状況を確認。来週、関係団体に声をかける予定。",
    )
    services.consultation_reply(
        consultation=consultation,
        actor=coordinator,
        text="ご相談ありがとうございます。担当の協働コーディネーターが対応いたします。"
        "詳しいお話を伺うため、ご都合のよい日時をお知らせください。",
    )
    consultation.follow_up_due = timezone.localdate() + datetime.timedelta(days=7)
    consultation.save(update_fields=["follow_up_due"])
    if final_status == Status.IN_PROGRESS:
        services.consultation_share_with_city(
            consultation=consultation,
            actor=staff,
            basis="企業との協働提案のため、協働推進課と定例会議で検討する。",
        )
    elif final_status == Status.WAITING:
        services.consultation_change_status(
            consultation=consultation,
            status=Status.WAITING,
            actor=coordinator,
            note="定款の案を送っていただくのを待っています。",
        )
    elif final_status == Status.REFERRED:
        services.consultation_refer_to_ward(
            consultation=consultation,
            actor=staff,
            ward=wards["nishi"],
            shares_contact=True,
            note="西区の区民活動支援センターの会計講座をご案内。",
        )
    elif final_status == Status.CLOSED:
        services.consultation_change_status(
            consultation=consultation,
            status=Status.CLOSED,
            actor=coordinator,
            note="紹介先の団体と活動が始まったため完了。",
        )


def _demo_sessions(now) -> None:
    today = timezone.localdate()
    plans = [
        (
            ConsultationSession.Kind.COLLABORATION,
            "市民協働相談会（第3回）",
            10,
            [("森 さとみ", "協働コーディネーター")] * 3,
        ),
        (
            ConsultationSession.Kind.PROFESSIONAL,
            "士業相談会 税理士・社労士に聞く（第2回）",
            24,
            [("小林 誠", "税理士"), ("加藤 由美", "社会保険労務士")] * 2,
        ),
    ]
    for kind, title, in_days, advisors in plans:
        day = today + datetime.timedelta(days=in_days)
        session = ConsultationSession.objects.create(
            kind=kind,
            title=title,
            date=day,
            is_published=True,
            description="お一人50分の個別相談です。事前予約制・参加費無料。",
        )
        for index, (advisor, role) in enumerate(advisors):
            start = timezone.make_aware(
                datetime.datetime.combine(day, datetime.time(13 + index, 0))
            )
            SessionSlot.objects.create(
                session=session,
                starts_at=start,
                ends_at=start + datetime.timedelta(minutes=50),
                advisor=advisor,
                advisor_role=role,
            )
    slots = list(SessionSlot.objects.order_by("starts_at")[:3:2])
    bookers = [
        (
            "小林",
            "真理",
            "コバヤシ",
            "マリ",
            "NPO法人あおばの森",
            RequesterType.NPO,
            Topic.MANAGEMENT,
            "来年度の事業計画と助成金の申請について相談したいです。",
        ),
        (
            "吉田",
            "大輔",
            "ヨシダ",
            "ダイスケ",
            "",
            RequesterType.INDIVIDUAL,
            Topic.FOUNDING,
            "地域の見守り活動を団体として始めたいので、進め方を知りたいです。",
        ),
    ]
    for slot, booker in zip(slots, bookers, strict=False):
        family, given, kana_f, kana_g, org, rtype, topic, body = booker
        services.slot_book(
            slot=slot,
            family_name=family,
            given_name=given,
            family_name_kana=kana_f,
            given_name_kana=kana_g,
            organization_name=org,
            requester_type=rtype,
            topic=topic,
            body=body,
            email=f"booking{slot.pk}@example.jp",
        )
