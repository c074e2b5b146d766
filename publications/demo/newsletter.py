"""Demo メルマガ: topics, confirmed subscribers, two sent issues in the archive (with their
delivery record) and a draft for staff to test, schedule and send."""

import datetime

from django.utils import timezone

from center.accounts.models import User
from center.core.models import Ward

from ..models import NewsletterDelivery, NewsletterIssue, NewsletterTopic, Subscriber
from ..services.newsletter import PRIVACY_NOTICE_VERSION

TOPICS = [
    ("イベント・講座", "Events and seminars"),
    ("助成金・募集情報", "Grants and calls"),
    ("協働事例", "Collaboration stories"),
    ("センターからのお知らせ", "News from the center"),
]

SUBSCRIBERS = [
    # (local part, language, topic indexes, ward codes)
    ("hanako.yamada", "ja", [0, 2], ["naka"]),
    ("taro.suzuki", "ja", [], []),
    ("npo.minato", "ja", [1], ["nishi", "naka"]),
    ("kodomo.shokudo", "ja", [0, 1], ["tsurumi"]),
    ("machi.kyogikai", "ja", [3], ["kohoku"]),
    ("emily.clark", "en", [0], []),
    ("daigaku.renkei", "ja", [2, 3], []),
    ("bousai.team", "ja", [0], ["isogo"]),
    ("kankyo.club", "ja", [1, 2], ["totsuka"]),
    ("nguyen.lan", "en", [], ["minami"]),
]

ISSUES = [
    (
        "【メルマガ】10月号 市民活動フェスのご案内",
        "Newsletter October: the Citizen Activity Festival",
        "## 市民活動フェスを開催します\n\n"
        "市内で活動する団体が一堂に会する「市民活動フェス」を開催します。"
        "展示やワークショップ、団体どうしの交流タイムもあります。\n\n"
        "- 日時：11月15日（土）10:00〜16:00\n"
        "- 会場：横浜市市民協働推進センター（市庁舎1階）\n\n"
        "## NPO入門セミナー 参加者募集\n\n"
        "NPO法人の設立や運営の基礎を学ぶセミナーです。初めての方も歓迎します。",
        45,
    ),
    (
        "【メルマガ】11月号 協働事例のご紹介と助成金情報",
        "Newsletter November: collaboration stories and grants",
        "## 協働事例：商店街と大学生がつくる防災マップ\n\n"
        "商店街、自治会、大学のゼミが協力して、歩いて確かめた防災マップを作りました。\n\n"
        "## 助成金情報\n\n"
        "市民活動を応援する助成金の募集が始まっています。締切にご注意ください。"
        "申請書の書き方は、センターの相談窓口でもご相談いただけます。",
        12,
    ),
]

DRAFT = (
    "【メルマガ】12月号（下書き）",
    "## 年末年始の開館のお知らせ\n\n12月29日から1月3日まで休館します。",
)


def load() -> None:
    if NewsletterTopic.objects.exists():
        return
    staff = User.objects.filter(groups__name="center_staff").first()
    topics = [
        NewsletterTopic.objects.create(name=name, name_en=name_en, order=order)
        for order, (name, name_en) in enumerate(TOPICS)
    ]
    wards = {ward.code: ward for ward in Ward.objects.all()}
    now = timezone.now()
    subscribers = []
    for index, (local, language, topic_indexes, ward_codes) in enumerate(SUBSCRIBERS):
        subscriber = Subscriber.objects.create(
            email=f"{local}@example.jp",
            status=Subscriber.Status.ACTIVE,
            language=language,
            privacy_notice_version=PRIVACY_NOTICE_VERSION,
            created_at=now - datetime.timedelta(days=90 - index),
            confirmed_at=now - datetime.timedelta(days=90 - index),
        )
        subscriber.topics.set([topics[i] for i in topic_indexes])
        subscriber.wards.set([wards[code] for code in ward_codes])
        subscribers.append(subscriber)
    Subscriber.objects.create(
        email="not.yet.confirmed@example.jp",
        status=Subscriber.Status.PENDING,
        privacy_notice_version=PRIVACY_NOTICE_VERSION,
        confirmation_sent_at=now - datetime.timedelta(days=5),
    )

    # Sent issues are history: their delivery record is written as it was, not re-sent.
    for subject, subject_en, body, days_ago in ISSUES:
        sent_at = now - datetime.timedelta(days=days_ago)
        issue = NewsletterIssue.objects.create(
            subject=subject,
            subject_en=subject_en,
            body=body,
            status=NewsletterIssue.Status.SENT,
            scheduled_at=sent_at,
            started_at=sent_at,
            finished_at=sent_at + datetime.timedelta(minutes=2),
            created_by=staff,
        )
        NewsletterDelivery.objects.bulk_create(
            NewsletterDelivery(
                issue=issue,
                subscriber=subscriber,
                status=NewsletterDelivery.Status.SENT,
                attempts=1,
                claimed_at=sent_at,
                sent_at=sent_at,
            )
            for subscriber in subscribers
        )
    NewsletterIssue.objects.create(subject=DRAFT[0], body=DRAFT[1], created_by=staff)
