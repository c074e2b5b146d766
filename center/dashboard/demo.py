"""Demo history for the dashboard (issue #8): the previous fiscal year and this one up to
yesterday, in every business, so `make run` shows two believable years side by side.

The apps' own demo modules write a few recent rows each; this one writes the volume behind
the yearly numbers — consultations with 相談会, events against the plan with registrations
and check-ins, registered groups and space bookings, newsletter subscribers and issues,
news and stories, network meetings, hearings and support requests.

Deterministic (one seeded `random.Random`) and idempotent: each area looks for its own
marker (the "H" reference series, the HISTORY_DOMAIN addresses) and writes nothing when
it finds it. Rows are bulk-created, without services that send mail; nothing is dated
after yesterday. It builds on the other apps' reference data and demo rows, so it must run
after them: `load_demo` follows INSTALLED_APPS, and the apps' own demos skip when their
tables already have rows.
"""

import datetime
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from center.accounts.roles import CENTER_STAFF, COORDINATOR, WARD_STAFF
from center.core.cache import public_cache_invalidate
from center.core.fiscal import fiscal_year_bounds, fiscal_year_of
from center.core.models import Ward
from consultations.models import (
    Channel,
    Consultation,
    ConsultationSession,
    RequesterType,
    SessionSlot,
    SlotBooking,
    Status,
    Topic,
)
from events.models import Attendance, Event, EventSession, Program, ProgramPlan, Registration, Venue
from networks.models import Hearing, Meeting, MeetingRsvp, SupportKind, SupportRequest, WardCenter
from networks.services_support import KIND_TOPIC, hearing_create
from organizations.models import ActivityField, Booking, Closure, Group, Space
from organizations.services_groups import group_search_text
from publications.models import (
    CaseStory,
    NewsItem,
    NewsletterDelivery,
    NewsletterIssue,
    Subscriber,
)

# Every address written here ends with it: the marker of the history, and never a real inbox.
HISTORY_DOMAIN = "history.demo.example.jp"
PRIVACY_NOTICE_VERSION = "2025-04-01"
SEED = 8  # issue #8

# Cases from the form, phone, counter... in a whole year (the 相談会 bookings and the ward
# centers' requests add about 90 more); this year runs a little ahead of the last.
CASES_PER_YEAR = 270
GROWTH = 1.08
# The desk's year (April first): quiet in August and over New Year, busy in spring and
# in February–March when groups prepare grant applications and annual reports.
SEASON = {4: 1.1, 5: 1.0, 6: 1.0, 7: 0.9, 8: 0.65, 9: 0.9, 10: 1.0, 11: 1.0, 12: 0.75,
          1: 0.8, 2: 1.15, 3: 1.3}  # fmt: skip
# Rough population (×10,000), with the wards near the center (中区, 西区) coming more often.
WARD_WEIGHTS = {
    "tsurumi": 29, "kanagawa": 25, "nishi": 16, "naka": 30, "minami": 20, "konan": 21,
    "hodogaya": 20, "asahi": 24, "isogo": 16, "kanazawa": 19, "kohoku": 36, "midori": 18,
    "aoba": 31, "tsuzuki": 21, "totsuka": 28, "sakae": 12, "izumi": 15, "seya": 12,
}  # fmt: skip
OUTSIDE_CITY = 0.05
TOPICS = {Topic.PROPOSAL: 15, Topic.ACTIVITY: 25, Topic.FOUNDING: 14, Topic.MANAGEMENT: 20,
          Topic.PUBLICITY: 9, Topic.PLACE_FUNDS: 12, Topic.OTHER: 5}  # fmt: skip
REQUESTERS = {
    RequesterType.INDIVIDUAL: 34, RequesterType.NEIGHBOURHOOD: 8, RequesterType.NPO: 18,
    RequesterType.CIVIC_GROUP: 21, RequesterType.COMPANY: 7, RequesterType.SCHOOL: 4,
    RequesterType.GOVERNMENT: 3, RequesterType.OTHER: 5,
}  # fmt: skip
CHANNELS = {Channel.WEB: 38, Channel.PHONE: 30, Channel.COUNTER: 16, Channel.EMAIL: 13,
            Channel.FAX: 3}  # fmt: skip
TITLES = {
    Topic.PROPOSAL: ["企業と地域の清掃活動を一緒に企画したい", "区役所との協働事業の進め方",
                     "大学と商店街の連携について"],
    Topic.ACTIVITY: ["ボランティアを始めたい", "子ども食堂の手伝い先を探しています",
                     "地域の見守り活動に参加したい", "活動の仲間を増やしたい"],
    Topic.FOUNDING: ["NPO法人を設立したい", "任意団体の規約の作り方", "一般社団法人との違い"],
    Topic.MANAGEMENT: ["NPO会計と決算の相談", "事業報告書の書き方", "役員の交代の手続き",
                       "有償ボランティアと労務"],
    Topic.PUBLICITY: ["チラシとSNSでの発信", "ホームページを作りたい"],
    Topic.PLACE_FUNDS: ["助成金の申請について", "活動場所を探しています", "寄付の集め方"],
    Topic.OTHER: ["センターの利用方法", "その他の問い合わせ"],
}  # fmt: skip
FAMILY = ["山田", "佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "中村", "小林", "加藤",
          "吉田", "山本", "松本", "井上", "木村", "林", "清水", "森", "池田", "石川"]  # fmt: skip
GIVEN = ["花子", "一郎", "美咲", "健", "由美", "大輔", "さくら", "誠", "恵", "翔", "彩", "学"]

# Seats offered per program (the catalogue's codes); 0: no registration (the festival).
CAPACITY = {
    "startup": 24, "internship": 40, "collaboration-space": 30, "npo-intro": 20,
    "basics": 30, "festival": 0, "public-action": 30, "mizube-salon": 30, "hub": 40,
    "symposium": 150, "dialogue-lab": 25, "collaboration-consultation": 8,
    "professional-consultation": 8, "network-meeting": 36,
}  # fmt: skip
HOURS = {"mizube-salon": (18, 20), "symposium": (13, 17), "festival": (10, 16),
         "basics": (14, 16), "startup": (13, 17)}  # fmt: skip

# name, kana, kind, ward, members, description, activity fields
GROUPS = [
    (
        "つるみ多世代食堂の会",
        "つるみたせだいしょくどうのかい",
        Group.Kind.VOLUNTARY,
        "tsurumi",
        18,
        "月2回、地区センターで子どもから高齢者まで集まる食堂を開いています。",
        [1, 13],
    ),
    (
        "NPO法人 かながわ川の学校",
        "かながわかわのがっこう",
        Group.Kind.NPO_CORPORATION,
        "kanagawa",
        42,
        "川の生きもの観察と水辺の安全教室を小学校と続けています。",
        [7, 13],
    ),
    (
        "中区やさしい日本語の会",
        "なかくやさしいにほんごのかい",
        Group.Kind.VOLUNTARY,
        "naka",
        25,
        "外国につながる住民のための日本語教室と生活情報の翻訳をしています。",
        [11],
    ),
    (
        "みなみ防災ラボ",
        "みなみぼうさいらぼ",
        Group.Kind.VOLUNTARY,
        "minami",
        14,
        "町内会と一緒に防災マップづくりと訓練の企画をしています。",
        [4, 2],
    ),
    (
        "一般社団法人 ほどがや地域デザイン",
        "ほどがやちいきでざいん",
        Group.Kind.GENERAL_ASSOCIATION,
        "hodogaya",
        9,
        "空き店舗を使った地域の居場所づくりを商店街と進めています。",
        [2, 16],
    ),
    (
        "旭区シニア散歩クラブ",
        "あさひくしにあさんぽくらぶ",
        Group.Kind.VOLUNTARY,
        "asahi",
        33,
        "週1回のウォーキングと公園の花壇の手入れをしています。",
        [3],
    ),
    (
        "磯子ふれあい自治会",
        "いそごふれあいじちかい",
        Group.Kind.NEIGHBOURHOOD,
        "isogo",
        120,
        "夏祭りと見守り活動、子ども会との合同行事を行っています。",
        [2],
    ),
    (
        "港北子育てひろば ぽけっと",
        "こうほくこそだてひろばぽけっと",
        Group.Kind.VOLUNTARY,
        "kohoku",
        21,
        "乳幼児と保護者が集えるひろばを週3回開いています。",
        [13],
    ),
    (
        "青葉まちの図書室",
        "あおばまちのとしょしつ",
        Group.Kind.VOLUNTARY,
        "aoba",
        16,
        "自宅の一室を開放した小さな図書室と読み聞かせの会です。",
        [5, 13],
    ),
    (
        "株式会社とつかリビングラボ",
        "とつかりびんぐらぼ",
        Group.Kind.COMPANY,
        "totsuka",
        12,
        "企業の社員ボランティアと地域団体をつなぐ取組を行っています。",
        [16],
    ),
    (
        "都筑里山クラブ",
        "つづきさとやまくらぶ",
        Group.Kind.VOLUNTARY,
        "tsuzuki",
        38,
        "公園の雑木林の手入れと親子の自然体験会を開いています。",
        [7],
    ),
    (
        "横浜市立大学 地域連携学生会",
        "よこはましりつだいがくちいきれんけいがくせいかい",
        Group.Kind.UNIVERSITY,
        "kanazawa",
        27,
        "学生が地域の祭りや学習支援に参加しています。",
        [5, 2],
    ),
    (
        "泉区ハンドメイド応援団",
        "いずみくはんどめいどおうえんだん",
        Group.Kind.VOLUNTARY,
        "izumi",
        11,
        "手づくり品の販売会を開き、売上を地域の子ども食堂に寄付しています。",
        [13],
    ),
    (
        "NPO法人 せや在宅ケアネット",
        "せやざいたくけあねっと",
        Group.Kind.NPO_CORPORATION,
        "seya",
        29,
        "介護する家族の交流会と、認知症カフェを運営しています。",
        [3],
    ),
    (
        "西区ミュージックボランティア",
        "にしくみゅーじっくぼらんてぃあ",
        Group.Kind.VOLUNTARY,
        "nishi",
        19,
        "高齢者施設や病院での演奏会を続けています。",
        [6, 3],
    ),
    (
        "さかえ環境フォーラム",
        "さかえかんきょうふぉーらむ",
        Group.Kind.VOLUNTARY,
        "sakae",
        23,
        "いたち川の清掃と、環境学習の出前講座を行っています。",
        [7],
    ),
]
# Fiscal-year months (4 = April) in which the groups above were registered: twelve in the
# previous year, four in this one; the two marked lapsed did not renew this year.
GROUP_MONTHS = [4, 4, 5, 6, 7, 7, 9, 10, 11, 1, 2, 3, 4, 6, 8, 10]
LAPSED = {5, 8}
PURPOSES = ["定例ミーティング", "会計の打ち合わせ", "イベントの準備会", "研修会", "総会",
            "ボランティア説明会", "広報物の作成"]  # fmt: skip

MEETING_TITLE = "区民活動支援センター ネットワーク会議"
STORIES = [
    (
        "商店街と大学生がつくる夏の縁日",
        "kohoku",
        "大学のゼミと商店街が協働し、空き店舗で縁日を開いた事例。",
    ),
    (
        "企業の社員ボランティアが川をきれいに",
        "tsurumi",
        "企業と流域の団体が年4回の清掃を続けている。",
    ),
    ("外国につながる親子の防災教室", "naka", "日本語教室と消防署、町内会が一緒に開いた防災教室。"),
    ("空き家を地域の居場所に", "hodogaya", "空き家の持ち主と地域団体、区役所をつないだ事例。"),
    ("認知症カフェを商業施設で", "seya", "介護の団体と商業施設が協働して定期開催している。"),
    ("里山の手入れを親子の学びに", "tsuzuki", "公園愛護会と学校が協働した自然体験プログラム。"),
    ("子ども食堂のネットワークづくり", "aoba", "区内の子ども食堂が食材と人の融通を始めた事例。"),
    ("高齢者の見守りを新聞販売店と", "asahi", "自治会と新聞販売店が見守りの協定を結んだ事例。"),
    ("図書館と本のまちづくり", "nishi", "図書館と地域の読書会が一緒に本の市を開いた事例。"),
]


def load() -> list[dict]:
    """Write the history (once); return no demo logins (this module makes no account)."""
    today = timezone.localdate()
    now = timezone.now()
    this_year = fiscal_year_of(today)
    history = _History(
        rng=random.Random(SEED),
        now=now,
        yesterday=today - datetime.timedelta(days=1),
        previous=this_year - 1,
        current=this_year,
    )
    history.consultations()
    history.events()
    history.organizations()
    history.publications()
    history.networks()
    # Bulk rows bypass the services, which clear the cached public pages on commit.
    transaction.on_commit(public_cache_invalidate)
    return []


class _History:
    def __init__(self, *, rng, now, yesterday, previous, current):
        self.rng = rng
        self.now = now
        self.yesterday = yesterday
        self.previous = previous
        self.current = current
        self.start = fiscal_year_bounds(previous)[0]
        self.wards = {ward.code: ward for ward in Ward.objects.all()}
        users = get_user_model().objects.filter(is_active=True).order_by("pk")
        self.staff = users.filter(groups__name=CENTER_STAFF).first() or users.first()
        self.coordinator = users.filter(groups__name=COORDINATOR).first() or self.staff

    # Helpers -----------------------------------------------------------------------------

    def at(self, day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
        return datetime.datetime.combine(
            day, datetime.time(hour, minute), tzinfo=timezone.get_default_timezone()
        )

    def pick(self, weights: dict):
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def ward(self, outside: float = OUTSIDE_CITY):
        if self.rng.random() < outside:
            return None
        return self.wards.get(self.pick(WARD_WEIGHTS))

    def months(self):
        """(first day, last day written, days in the month) up to yesterday, April first."""
        day = self.start
        while day <= self.yesterday:
            following = (day + datetime.timedelta(days=32)).replace(day=1)
            last = min(following - datetime.timedelta(days=1), self.yesterday)
            yield day, last, (following - day).days
            day = following

    def weekday(self, day: datetime.date, *, saturday: bool = True) -> datetime.date:
        """The day, or the next day the center holds things on (it closes on Sundays)."""
        while day.weekday() == 6 or (day.weekday() == 5 and not saturday):
            day += datetime.timedelta(days=1)
        return day

    def past(self, moment: datetime.datetime) -> datetime.datetime:
        return min(moment, self.now - datetime.timedelta(hours=1))

    def person(self) -> tuple[str, str]:
        return self.rng.choice(FAMILY), self.rng.choice(GIVEN)

    # Consultations -----------------------------------------------------------------------

    def consultations(self) -> None:
        if Consultation.objects.filter(reference__startswith=f"H{self.previous}-").exists():
            return
        cases = []
        for first, last, length in self.months():
            scale = GROWTH if fiscal_year_of(first) == self.current else 1
            share = CASES_PER_YEAR * scale * SEASON[first.month] / sum(SEASON.values())
            for _ in range(round(share * ((last - first).days + 1) / length)):
                channel = self.pick(CHANNELS)
                day = first + datetime.timedelta(days=self.rng.randrange((last - first).days + 1))
                if channel != Channel.WEB:
                    day = min(self.weekday(day, saturday=False), last)
                hour = self.rng.randrange(0, 24) if channel == Channel.WEB else 9
                created = self.past(self.at(day, hour, self.rng.randrange(60)))
                if channel != Channel.WEB:
                    created += datetime.timedelta(minutes=self.rng.randrange(8 * 60))
                    created = self.past(created)
                cases.append(self.case(created, channel=channel))
        sessions = self.sessions(cases)
        self.number(cases, "H")
        Consultation.objects.bulk_create(cases, batch_size=500)
        SlotBooking.objects.bulk_create(
            SlotBooking(
                slot=slot,
                consultation=case,
                name=f"{case.family_name} {case.given_name}",
                email=case.email,
                created_at=case.created_at,
            )
            for slot, case in sessions
        )

    def case(self, created, *, channel, topic=None, requester=None, **fields) -> Consultation:
        topic = topic or self.pick(TOPICS)
        requester = requester or self.pick(REQUESTERS)
        family, given = self.person()
        status, responded, closed = self.outcome(created)
        organisation = fields.pop("organization_name", "")
        if requester in (RequesterType.INDIVIDUAL, RequesterType.OTHER):
            organisation = ""
        case = Consultation(
            fiscal_year=fiscal_year_of(created),
            channel=channel,
            status=status,
            requester_type=requester,
            family_name=family,
            given_name=given,
            organization_name=organisation,
            # The address follows the reference (`number`); a FAX comes without one.
            email="" if channel == Channel.FAX else HISTORY_DOMAIN,
            phone="045-000-0000" if channel in (Channel.PHONE, Channel.FAX) else "",
            ward=fields.pop("ward", None) if "ward" in fields else self.ward(),
            topic=topic,
            title=fields.pop("title", None) or self.rng.choice(TITLES[topic]),
            body="（デモ用の過去の相談です。）",
            privacy_notice_version=PRIVACY_NOTICE_VERSION,
            assignee=self.coordinator if status != Status.RECEIVED else None,
            created_at=created,
            first_response_at=responded,
            closed_at=closed,
            last_activity_at=closed or responded or created,
            **fields,
        )
        if status == Status.REFERRED:
            case.referred_ward = case.ward or self.wards.get("naka")
        return case

    def outcome(self, created):
        """Status, first response and closing time of a case received at `created`: old
        cases are mostly closed, the last weeks' still open."""
        age = (self.now - created).days
        roll = self.rng.random()
        if roll < 0.04:
            status = Status.WITHDRAWN
        elif age > 45:
            status = Status.CLOSED if roll < 0.9 else Status.REFERRED
        elif age > 14:
            status = [Status.CLOSED, Status.IN_PROGRESS, Status.WAITING, Status.REFERRED][
                min(int((roll - 0.04) / 0.24), 3)
            ]
        else:
            status = Status.RECEIVED if roll < 0.45 else Status.IN_PROGRESS
        if status == Status.RECEIVED or (status == Status.WITHDRAWN and roll < 0.02):
            return status, None, None
        # Most answers within a working day or two, a few after a week.
        wait = datetime.timedelta(hours=self.rng.choice([3, 6, 20, 26, 44, 50, 70, 100, 170]))
        responded = self.past(created + wait)
        if responded <= created:
            return Status.RECEIVED, None, None
        closed = None
        if status in (Status.CLOSED, Status.WITHDRAWN):
            closed = self.past(responded + datetime.timedelta(days=self.rng.randint(2, 40)))
        return status, responded, closed

    def number(self, cases, prefix: str) -> None:
        """Their own reference series per fiscal year, in order of receipt (the form's
        S-numbers stay gapless)."""
        counters = {}
        for case in sorted(cases, key=lambda c: c.created_at):
            counters[case.fiscal_year] = counters.get(case.fiscal_year, 0) + 1
            case.reference = f"{prefix}{case.fiscal_year}-{counters[case.fiscal_year]:04d}"
            if case.email:
                case.email = f"{case.reference.lower()}@{HISTORY_DOMAIN}"

    def sessions(self, cases) -> list:
        """相談会: a collaboration session every month and a professional one every other
        month, four slots each, most of them booked (a booking is a case, channel 相談会)."""
        booked = []
        kinds = ConsultationSession.Kind
        for first, last, _length in self.months():
            plans = [(kinds.COLLABORATION, 10, "市民協働相談会", "協働コーディネーター")]
            if first.month % 2 == 0:
                plans.append((kinds.PROFESSIONAL, 20, "士業相談会", "税理士"))
            for kind, day_of_month, title, role in plans:
                day = self.weekday(first.replace(day=day_of_month))
                if day > last:
                    continue
                session = ConsultationSession.objects.create(
                    kind=kind,
                    title=f"{title}（{day.month}月）",
                    date=day,
                    is_published=True,
                    description="お一人50分の個別相談です。事前予約制・参加費無料。",
                )
                slots = SessionSlot.objects.bulk_create(
                    SessionSlot(
                        session=session,
                        starts_at=self.at(day, 13 + n),
                        ends_at=self.at(day, 13 + n, 50),
                        advisor=f"{self.rng.choice(FAMILY)} {self.rng.choice(GIVEN)}",
                        advisor_role=role,
                    )
                    for n in range(4)
                )
                for slot in slots:
                    if self.rng.random() < 0.75:
                        created = slot.starts_at - datetime.timedelta(
                            days=self.rng.randint(3, 20), hours=self.rng.randint(0, 8)
                        )
                        topic = Topic.MANAGEMENT if kind == kinds.PROFESSIONAL else None
                        case = self.case(created, channel=Channel.SESSION, topic=topic)
                        cases.append(case)
                        booked.append((slot, case))
        return booked

    # Events ------------------------------------------------------------------------------

    def plans(self) -> dict:
        """{(program, fiscal year): planned count}; last year's plan mirrors this year's
        where the center recorded none."""
        plans = {
            (plan.program_id, plan.fiscal_year): plan.planned_count
            for plan in ProgramPlan.objects.filter(
                fiscal_year__in=[self.previous, self.current], program__is_active=True
            )
        }
        missing = [
            ProgramPlan(program_id=program, fiscal_year=self.previous, planned_count=count)
            for (program, year), count in plans.items()
            if year == self.current and (program, self.previous) not in plans
        ]
        ProgramPlan.objects.bulk_create(missing)
        plans.update({(p.program_id, p.fiscal_year): p.planned_count for p in missing})
        return plans

    def events(self) -> None:
        if Registration.objects.filter(email__endswith=f"@{HISTORY_DOMAIN}").exists():
            return
        plans = self.plans()
        programs = {p.pk: p for p in Program.objects.filter(is_active=True)}
        events = []
        for (program_id, year), planned in sorted(plans.items()):
            program = programs.get(program_id)
            if program is None or not planned:
                continue
            count = planned
            # Some programs fall a little short of the plan (a cancelled date, a speaker).
            if year == self.previous and planned > 1 and self.rng.random() < 0.35:
                count -= 1
            first_day = fiscal_year_bounds(year)[0]
            for n in range(count):
                offset = int((n + 0.5) * 365 / count) + self.rng.randint(-8, 8)
                day = self.weekday(first_day + datetime.timedelta(days=max(offset, 3)))
                start, end = HOURS.get(program.slug, (14, 16))
                if self.at(day, end) >= self.now or day > self.yesterday:
                    continue
                events.append(self.event(program, day, start, end, number=n + 1, year=year))
        Event.objects.bulk_create(events)
        sessions = EventSession.objects.bulk_create(
            EventSession(event=event, starts_at=event.starts_at, ends_at=event.ends_at)
            for event in events
        )
        registrations, attended = [], []
        for index, (event, session) in enumerate(zip(events, sessions, strict=True)):
            rows = self.registrations(event, index)
            registrations += rows
            rate = self.rng.uniform(0.74, 0.9)
            attended += [
                (row, session)
                for row in rows
                if row.status == Registration.Status.CONFIRMED and self.rng.random() < rate
            ]
        Registration.objects.bulk_create(registrations, batch_size=500)
        Attendance.objects.bulk_create(
            (
                Attendance(
                    registration=row,
                    session=session,
                    checked_in_at=session.starts_at
                    - datetime.timedelta(minutes=self.rng.randint(0, 20)),
                )
                for row, session in attended
            ),
            batch_size=500,
        )

    def event(self, program, day, start, end, *, number, year) -> Event:
        capacity = CAPACITY.get(program.slug, 30)
        venue = Venue.SPACE_A if capacity > 40 else Venue.LAB
        return Event(
            program=program,
            title=f"{program.name}（{year}年度 第{number}回）",
            summary=f"{program.name}の第{number}回を開催しました。",
            description=program.description or program.name,
            status=Event.Status.PUBLISHED,
            starts_at=self.at(day, start),
            ends_at=self.at(day, end),
            venue=Venue.OTHER if program.slug == "festival" else venue,
            venue_address="横浜市役所 アトリウム" if program.slug == "festival" else "",
            capacity=capacity or None,
            registration_required=bool(capacity),
            fee_note="無料",
            report="ご参加ありがとうございました。当日の様子は情報誌でもご紹介します。",
        )

    def registrations(self, event, index) -> list[Registration]:
        rows = []
        if not event.capacity:
            return rows
        target = round(event.capacity * self.rng.uniform(0.55, 1.0))
        seats = n = 0
        while seats < target:
            party = self.rng.choices([1, 2, 3], weights=[86, 11, 3])[0]
            family, given = self.person()
            created = event.starts_at - datetime.timedelta(
                days=self.rng.randint(2, 30), hours=self.rng.randint(0, 12)
            )
            cancelled = self.rng.random() < 0.06
            rows.append(
                Registration(
                    event=event,
                    status=Registration.Status.CANCELLED
                    if cancelled
                    else Registration.Status.CONFIRMED,
                    channel=self.rng.choices(["web", "phone", "counter"], weights=[80, 15, 5])[0],
                    family_name=family,
                    given_name=given,
                    email=f"r{index}-{n}@{HISTORY_DOMAIN}",
                    ward=self.ward(outside=0.08),
                    heard_from=self.rng.choice(Registration.HeardFrom.values),
                    party_size=party,
                    privacy_notice_version=PRIVACY_NOTICE_VERSION,
                    created_at=created,
                    cancelled_at=created + (event.starts_at - created) / 2 if cancelled else None,
                )
            )
            n += 1
            seats += 0 if cancelled else party
        return rows

    # Groups and spaces -------------------------------------------------------------------

    def organizations(self) -> None:
        if Group.objects.filter(contact_email__endswith=f"@{HISTORY_DOMAIN}").exists():
            return
        this_year_end = fiscal_year_bounds(self.current)[1]
        last_year_end = fiscal_year_bounds(self.previous)[1]
        groups = []
        for index, (spec, month) in enumerate(zip(GROUPS, GROUP_MONTHS, strict=True)):
            name, kana, kind, ward, members, text, fields = spec
            year = self.previous if index < 12 else self.current
            approved_day = datetime.date(year + (month < 4), month, 5 + index)
            if approved_day > self.yesterday:
                continue
            approved = self.at(approved_day, 15)
            group = Group(
                name=name,
                name_kana=kana,
                kind=kind,
                representative_name=" ".join(self.person()),
                contact_name=" ".join(self.person()),
                contact_email=f"group{index + 1}@{HISTORY_DOMAIN}",
                postal_code=f"2{index:02d}-00{index:02d}",
                address=f"横浜市{self.wards[ward].name}{index + 1}-2-3",
                ward=self.wards[ward],
                description=text,
                member_count=members,
                status=Group.Status.APPROVED,
                submitted_at=approved - datetime.timedelta(days=12),
                approved_at=approved,
                valid_until=last_year_end if index in LAPSED else this_year_end,
            )
            group.search_text = group_search_text(group)
            groups.append((group, fields))
        Group.objects.bulk_create([group for group, _fields in groups])
        known = set(ActivityField.objects.values_list("number", flat=True))
        Group.fields.through.objects.bulk_create(
            Group.fields.through(group_id=group.pk, activityfield_id=number)
            for group, fields in groups
            for number in fields
            if number in known
        )
        self.bookings([group for group, _fields in groups])

    def bookings(self, groups) -> None:
        """Confirmed bookings of the three spaces, busier as more groups register."""
        spaces = list(Space.objects.order_by("order", "pk"))
        if not spaces or not groups or self.staff is None:
            return
        taken = set(
            Booking.objects.filter(date__gte=self.start, status__in=Booking.ACTIVE).values_list(
                "space_id", "date", "block"
            )
        )
        closed = set(Closure.objects.filter(date__gte=self.start).values_list("date", flat=True))
        bookings = []
        for first, last, _length in self.months():
            registered = [g for g in groups if g.approved_at.date() <= last]
            for _ in range(8 + 3 * len(registered)):
                day = first + datetime.timedelta(days=self.rng.randrange((last - first).days + 1))
                space = self.rng.choices(spaces, weights=[3] + [1] * (len(spaces) - 1))[0]
                block = self.rng.choice(space.blocks)["key"]
                group = self.rng.choice(registered) if registered else None
                key = (space.pk, day, block)
                if group is None or day.weekday() == 6 or day in closed or key in taken:
                    continue
                if group.approved_at.date() > day:
                    continue
                taken.add(key)
                bookings.append(
                    Booking(
                        space=space,
                        group=group,
                        booked_by=self.staff,
                        date=day,
                        block=block,
                        hours=Decimal(str(space.block_hours(block))),
                        purpose=self.rng.choice(PURPOSES),
                        attendees=self.rng.randint(4, 25),
                        status=Booking.Status.CONFIRMED,
                        decided_at=self.at(day - datetime.timedelta(days=10), 11),
                    )
                )
        Booking.objects.bulk_create(bookings, batch_size=500)

    # Publications ------------------------------------------------------------------------

    def publications(self) -> None:
        if Subscriber.objects.filter(email__endswith=f"@{HISTORY_DOMAIN}").exists():
            return
        subscribers = []
        for month_index, (first, last, _length) in enumerate(self.months()):
            for _ in range(10 + month_index + self.rng.randint(-3, 3)):
                day = first + datetime.timedelta(days=self.rng.randrange((last - first).days + 1))
                confirmed = self.past(self.at(day, self.rng.randrange(7, 23)))
                left = None
                if self.rng.random() < 0.08:
                    later = confirmed + datetime.timedelta(days=self.rng.randint(20, 200))
                    left = later if later < self.now else None
                subscribers.append(
                    Subscriber(
                        email=f"s{len(subscribers) + 1}@{HISTORY_DOMAIN}",
                        status=Subscriber.Status.UNSUBSCRIBED if left else Subscriber.Status.ACTIVE,
                        language="en" if self.rng.random() < 0.05 else "ja",
                        privacy_notice_version=PRIVACY_NOTICE_VERSION,
                        created_at=confirmed - datetime.timedelta(minutes=5),
                        confirmation_sent_at=confirmed - datetime.timedelta(minutes=5),
                        confirmed_at=confirmed,
                        unsubscribed_at=left,
                        unsubscribe_method="one-click" if left else "",
                    )
                )
        Subscriber.objects.bulk_create(subscribers, batch_size=500)
        self.issues(subscribers)
        self.articles()

    def issues(self, subscribers) -> None:
        """The monthly メルマガ, sent on the 15th to everyone subscribed at the time."""
        issues, deliveries = [], []
        for first, last, _length in self.months():
            sent = self.at(first.replace(day=15), 10)
            if first.replace(day=15) > last:
                continue
            issues.append(
                NewsletterIssue(
                    subject=f"市民協働推進センター メルマガ {first.year}年{first.month}月号",
                    body="今月のイベント、相談会、協働事例のお知らせです。",
                    status=NewsletterIssue.Status.SENT,
                    scheduled_at=sent,
                    started_at=sent,
                    finished_at=sent + datetime.timedelta(minutes=4),
                    created_by=self.staff,
                )
            )
        NewsletterIssue.objects.bulk_create(issues)
        for issue in issues:
            for subscriber in subscribers:
                left = subscriber.unsubscribed_at
                if subscriber.confirmed_at < issue.started_at and (
                    left is None or left > issue.started_at
                ):
                    deliveries.append(
                        NewsletterDelivery(
                            issue=issue,
                            subscriber=subscriber,
                            status=NewsletterDelivery.Status.SENT,
                            attempts=1,
                            next_attempt_at=issue.started_at,
                            claimed_at=issue.started_at,
                            sent_at=issue.started_at + datetime.timedelta(minutes=2),
                        )
                    )
        NewsletterDelivery.objects.bulk_create(deliveries, batch_size=1000)

    def articles(self) -> None:
        """Two news items a month, and a collaboration story every other month or so."""
        news = []
        for first, last, _length in self.months():
            for day, category, title in (
                (3, NewsItem.Category.CONSULTATION, f"{first.month}月の相談会のご案内"),
                (20, NewsItem.Category.EVENT, f"{first.month}月のイベント・講座のお知らせ"),
            ):
                if first.replace(day=day) <= last:
                    news.append(
                        NewsItem(
                            title=title,
                            body="詳しくはイベント・相談会のページをご覧ください。",
                            category=category,
                            is_published=True,
                            publish_from=self.at(first.replace(day=day), 10),
                            created_by=self.staff,
                        )
                    )
        NewsItem.objects.bulk_create(news)
        stories = []
        months = list(self.months())
        for index, (title, ward, summary) in enumerate(STORIES):
            first, last, _length = months[min(index * 2 + 1, len(months) - 1)]
            published = self.at(first.replace(day=min(25, last.day)), 10)
            if published >= self.now:
                continue
            stories.append(
                CaseStory(
                    title=title,
                    summary=summary,
                    body=summary,
                    ward=self.wards.get(ward),
                    year=published.year,
                    status=CaseStory.Status.PUBLISHED,
                    author=self.coordinator,
                    published_at=published,
                )
            )
        CaseStory.objects.bulk_create(stories)

    # Ward-center network -----------------------------------------------------------------

    def networks(self) -> None:
        if Consultation.objects.filter(reference__startswith="HR").exists():
            return
        centers = list(WardCenter.objects.select_related("ward").order_by("ward__order"))
        if not centers:
            return
        self.meetings(centers)
        self.hearings(centers)
        self.support_requests(centers)

    def meetings(self, centers) -> None:
        """Bimonthly network meetings (May, July, ...), where the apps' demo holds none
        within a few weeks; most ward centers attend."""
        existing = list(Meeting.objects.values_list("starts_at", flat=True))
        meetings = []
        for first, last, _length in self.months():
            if first.month % 2 == 0:
                continue
            day = self.weekday(first.replace(day=18), saturday=False)
            starts = self.at(day, 14)
            if day > last or any(abs((starts - other).days) < 25 for other in existing):
                continue
            number = (first.month - 5) % 12 // 2 + 1
            meetings.append(
                Meeting(
                    title=f"{fiscal_year_of(day)}年度 第{number}回 {MEETING_TITLE}",
                    starts_at=starts,
                    ends_at=starts + datetime.timedelta(hours=2),
                    place="市民協働推進センター 会議室（横浜市中区）",
                    minutes="## 報告\n- 各区の相談状況と取組を共有した。",
                    minutes_published_at=self.past(starts + datetime.timedelta(days=7)),
                    reminder_sent_at=starts - datetime.timedelta(days=2),
                    created_at=starts - datetime.timedelta(days=40),
                )
            )
        Meeting.objects.bulk_create(meetings)
        rsvps = []
        for meeting in meetings:
            for center in centers:
                attending = self.rng.random() < 0.86
                rsvps.append(
                    MeetingRsvp(
                        meeting=meeting,
                        ward_center=center,
                        attending=attending,
                        attendee_names="センター長、職員1名" if attending else "",
                        note="" if attending else "区の行事と重なるため欠席します。",
                        responded_at=meeting.starts_at - datetime.timedelta(days=10),
                    )
                )
        MeetingRsvp.objects.bulk_create(rsvps)

    def hearings(self, centers) -> None:
        """Every ward center's yearly hearing, June to August, where none is recorded."""
        have = set(
            Hearing.objects.filter(fiscal_year__in=[self.previous, self.current]).values_list(
                "ward_center", "fiscal_year"
            )
        )
        for year in (self.previous, self.current):
            for index, center in enumerate(centers):
                held_on = self.weekday(
                    datetime.date(year, 6, 2) + datetime.timedelta(days=4 * index)
                )
                if (center.pk, year) in have or held_on > self.yesterday:
                    continue
                hearing_create(
                    ward_center=center,
                    fiscal_year=year,
                    held_on=held_on,
                    interviewer=self.staff,
                    attendees="センター長、スタッフ1名",
                    summary=f"{center.name}の{year}年度ヒアリング。",
                )

    def support_requests(self, centers) -> None:
        """Requests from the ward centers, about three a month; each is a case (channel
        区センター) in the desk's queue, with its status."""
        ward_staff = {}
        for user in get_user_model().objects.filter(groups__name=WARD_STAFF, is_active=True):
            ward_staff.setdefault(user.ward_id, user)
        by_ward = {center.ward.code: center for center in centers}
        pairs = []
        for first, last, _length in self.months():
            for _ in range(self.rng.randint(2, 4)):
                center = by_ward.get(self.pick(WARD_WEIGHTS)) or centers[0]
                day = self.weekday(
                    first + datetime.timedelta(days=self.rng.randrange((last - first).days + 1)),
                    saturday=False,
                )
                if day > last:
                    continue
                kind = self.rng.choice(SupportKind.values)
                theme = self.rng.choice(["子育て", "見守り", "環境", "防災"])
                group_name = f"{center.ward.name}の{theme}グループ"
                summary = f"{group_name}からの相談への助言"
                case = self.case(
                    self.past(self.at(day, self.rng.randint(9, 17))),
                    channel=Channel.WARD_CENTER,
                    topic=KIND_TOPIC.get(kind, Topic.OTHER),
                    requester=RequesterType.CIVIC_GROUP,
                    organization_name=group_name,
                    ward=center.ward,
                    title=summary,
                )
                case.email = case.phone = ""
                pairs.append(
                    (
                        case,
                        SupportRequest(
                            ward_center=center,
                            filed_by=ward_staff.get(center.ward_id),
                            summary=summary,
                            details="区センターの窓口で受けた相談です。",
                            group_name=group_name,
                            kind=kind,
                            created_at=case.created_at,
                        ),
                    )
                )
        cases = [case for case, _request in pairs]
        self.number(cases, "HR")
        Consultation.objects.bulk_create(cases)
        for case, request in pairs:
            request.consultation = case
        SupportRequest.objects.bulk_create([request for _case, request in pairs])
