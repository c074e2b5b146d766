"""Demo events: every program with this fiscal year's plan, past events with a report and
attendance, upcoming ones (a 3-session course, an online seminar, a full one with a waiting
list, one elsewhere in the city), a cancelled one and a draft. Loaded once by
`manage.py load_demo`.

Registrations are written directly with the model (not through the registration services)
so that past events can have them, with attendance.
"""

import datetime
import importlib

from django.utils import timezone

from center.core.fiscal import fiscal_year_of
from center.core.models import Ward

from .models import (
    ApplicationStatus,
    Attendance,
    Event,
    EventSession,
    ExhibitorApplication,
    InternshipApplication,
    Program,
    ProgramPlan,
    Question,
    Registration,
    Speaker,
    SurveyResponse,
    Venue,
)
from .services_events import event_save, event_sync_dates

PRIVACY_NOTICE_VERSION = "2026-04-01"

# Planned counts for programs whose plan states none (the catalogue migration sets the rest).
DEFAULT_PLANS = {
    "collaboration-space": 3,
    "npo-intro": 4,
    "basics": 1,
    "public-action": 2,
    "mizube-salon": 6,
    "hub": 2,
}

PEOPLE = [
    ("山田", "花子", "ヤマダ", "ハナコ"),
    ("佐藤", "健太", "サトウ", "ケンタ"),
    ("鈴木", "美咲", "スズキ", "ミサキ"),
    ("高橋", "翔", "タカハシ", "ショウ"),
    ("田中", "由美", "タナカ", "ユミ"),
    ("伊藤", "大輔", "イトウ", "ダイスケ"),
    ("渡辺", "真理子", "ワタナベ", "マリコ"),
    ("中村", "拓也", "ナカムラ", "タクヤ"),
    ("小林", "恵", "コバヤシ", "メグミ"),
    ("加藤", "誠", "カトウ", "マコト"),
    ("吉田", "彩", "ヨシダ", "アヤ"),
    ("山本", "浩二", "ヤマモト", "コウジ"),
    ("松本", "千尋", "マツモト", "チヒロ"),
    ("井上", "亮", "イノウエ", "リョウ"),
    ("木村", "裕子", "キムラ", "ユウコ"),
    ("林", "直樹", "ハヤシ", "ナオキ"),
    ("清水", "香織", "シミズ", "カオリ"),
    ("山崎", "学", "ヤマザキ", "マナブ"),
    ("森", "さくら", "モリ", "サクラ"),
    ("池田", "剛", "イケダ", "ツヨシ"),
    ("橋本", "愛", "ハシモト", "アイ"),
    ("阿部", "修", "アベ", "オサム"),
    ("石川", "奈々", "イシカワ", "ナナ"),
    ("前田", "聡", "マエダ", "サトシ"),
]
ORGANISATIONS = [
    "",
    "NPO法人みなとの木",
    "本町一丁目町内会",
    "株式会社ハマテック",
    "",
    "横浜市立大学",
]

ACCESSIBILITY = (
    "会場はバリアフリーです（エレベーター、多目的トイレあり）。磁気ループの貸し出しがあります。"
)


def _at(days: int, hour: int, minute: int = 0) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour, minute))


def _event(program: str, title: str, sessions, *, status=Event.Status.PUBLISHED, **fields):
    """An event with its sessions: [(title, days from today, start hour, end hour)]."""
    first, last = sessions[0], sessions[-1]
    event = Event(
        program=Program.objects.get(slug=program),
        title=title,
        status=status,
        starts_at=_at(first[1], first[2]),
        ends_at=_at(last[1], last[3]),
        accessibility_info=fields.pop("accessibility_info", ACCESSIBILITY),
        **fields,
    )
    event_save(event=event)
    for session_title, days, start, end in sessions:
        EventSession.objects.create(
            event=event, title=session_title, starts_at=_at(days, start), ends_at=_at(days, end)
        )
    return event_sync_dates(event=event)


def _register(
    event: Event, count: int, *, start: int = 0, attended: int = 0, status=None, singles=False
):
    """`count` registrations, the first `attended` checked in at every session."""
    wards = list(Ward.objects.order_by("order"))
    sessions = list(event.sessions.all())
    created = []
    for n in range(count):
        family, given, kana_f, kana_g = PEOPLE[(start + n) % len(PEOPLE)]
        registration = Registration.objects.create(
            event=event,
            status=status or Registration.Status.CONFIRMED,
            family_name=family,
            given_name=given,
            family_name_kana=kana_f,
            given_name_kana=kana_g,
            email=f"demo-{event.pk}-{start + n}@example.jp",
            organization=ORGANISATIONS[n % len(ORGANISATIONS)],
            ward=wards[(start + n) % len(wards)] if wards else None,
            heard_from=Registration.HeardFrom.values[n % len(Registration.HeardFrom.values)],
            party_size=2 if n % 7 == 3 and not singles else 1,
            privacy_notice_version=PRIVACY_NOTICE_VERSION,
            created_at=event.starts_at - datetime.timedelta(days=10, hours=n),
        )
        if n < attended:
            for session in sessions:
                Attendance.objects.create(
                    registration=registration, session=session, checked_in_at=session.starts_at
                )
        created.append(registration)
    return created


def _programs_catalogue() -> None:
    """The catalogue the data migration loads, put back if it is gone (a test database
    flushed by an earlier transactional test; a site whose programs were deleted)."""
    if Program.objects.exists():
        return
    from django.apps import apps

    importlib.import_module("events.migrations.0002_programs_catalogue").load(apps, None)


def _plans() -> None:
    _programs_catalogue()
    year = fiscal_year_of()
    for program in Program.objects.filter(is_active=True):
        ProgramPlan.objects.get_or_create(
            program=program,
            fiscal_year=year,
            defaults={"planned_count": DEFAULT_PLANS.get(program.slug, 1)},
        )


def load() -> list[dict]:
    if Event.objects.exists():
        return []
    _plans()

    # Past events, with a report and attendance --------------------------------------
    salon = _event(
        "mizube-salon",
        "ミズベサロン「川辺のまちを歩いて語ろう」",
        [("", -40, 18, 20)],
        summary="大岡川沿いの活動団体をゲストに、水辺から考えるまちづくりをゆるく語り合いました。",
        description="大岡川で清掃活動やカヌー体験を続ける団体をゲストに迎え、水辺を生かした"
        "まちづくりについて語り合います。\n初めての方も歓迎です。飲み物をご用意しています。",
        venue=Venue.LAB,
        capacity=30,
        fee_note="無料",
        audience="協働やまちづくりに関心のある方ならどなたでも",
        report="当日は22名の方にご参加いただきました。ゲストの活動紹介のあと、4つのテーブルに"
        "分かれて「川辺でやってみたいこと」を話し合い、夏の清掃イベントの共同開催という"
        "具体的なアイデアも生まれました。ご参加ありがとうございました。",
    )
    Speaker.objects.create(
        event=salon,
        name="大岡 みどり",
        affiliation="大岡川まちづくりの会",
        profile="2015年から大岡川の清掃とカヌー体験会を主催。",
    )
    attendees = _register(salon, 20, attended=17)[:17]
    _survey(salon, attendees)

    startup = _event(
        "startup",
        "スタートアッププログラム 第2回「課題を見立てる」",
        [("", -60, 13, 17)],
        summary="地域課題の見立て方をワークショップ形式で学びました。",
        description="市民協働の考え方を学んだ第1回に続き、地域の課題を構造的に捉える手法を"
        "ワークショップで身につけます。",
        venue=Venue.SPACE_A,
        capacity=24,
        fee_note="無料（全4回）",
        audience="市民活動に関わりたい若い世代（学生、企業・行政職員を含む）",
        report="参加者18名が3つのチームに分かれ、関心のある地域課題を持ち寄って問題の構造図を"
        "作りました。次回はチームごとに解決策のプロトタイプを考えます。",
    )
    _register(startup, 20, start=3, attended=16)

    lab = _event(
        "dialogue-lab",
        "対話&創造ラボ 第3回「身近な居場所づくり」",
        [("", -25, 14, 16)],
        summary="市民と行政職員が居場所づくりについて対話しました。",
        description="子ども食堂、シニアサロン、多世代カフェ。身近な居場所を続けるために必要な"
        "ことを、市民と行政職員が一緒に考えます。",
        venue=Venue.LAB,
        capacity=25,
        fee_note="無料",
        report="行政職員7名を含む19名が参加。運営の担い手不足と場所の確保が共通の課題として"
        "挙がりました。",
    )
    _register(lab, 18, start=6, attended=14)

    npo_past = _event(
        "npo-intro",
        "NPO入門セミナー「NPO法人ってなに？」",
        [("", -90, 10, 12)],
        summary="NPO法人の仕組みと設立の流れを学ぶ入門講座でした。",
        description="NPO法人と任意団体・一般社団法人の違い、設立までの流れ、設立後の義務を"
        "わかりやすく解説します。",
        venue=Venue.SPACE_B,
        capacity=20,
        fee_note="無料",
        audience="NPO法人の設立を考えている団体・個人",
        report="15名が参加。質疑応答では会計報告や役員の要件について多くの質問がありました。",
    )
    _register(npo_past, 15, start=10, attended=13)

    _event(
        "collaboration-space",
        "コラボレーション＠スペース「デザインと協働」",
        [("", -10, 18, 20)],
        status=Event.Status.CANCELLED,
        summary="ゲストの体調不良のため中止しました。改めて日程をお知らせします。",
        description="デザイナーをゲストに、協働のプロセスにデザインの考え方を生かす方法を"
        "伺います。",
        venue=Venue.LAB,
        capacity=30,
    )

    # Upcoming events -----------------------------------------------------------------
    basics = _event(
        "basics",
        "市民活動基礎セミナー（全3回）",
        [
            ("第1回 経営：団体のミッションと事業計画", 14, 14, 16),
            ("第2回 会計：NPO会計の基本と決算", 21, 14, 16),
            ("第3回 ICT：オンラインツールで情報発信", 28, 14, 16),
        ],
        summary="経営・会計・ICTの3科目を連続で学び、安定した団体運営を目指します。",
        description="既存の市民活動団体・NPOを対象にした連続セミナーです。1回の申込みで全3回に"
        "参加できます。全回出席された方には修了証をお渡しします。",
        ward_staff_seats=3,
        venue=Venue.SPACE_A,
        capacity=30,
        registration_closes_at=_at(12, 17),
        fee_note="無料（資料代なし）",
        audience="市内で活動する市民活動団体・NPOの運営に関わる方",
    )
    Speaker.objects.create(
        event=basics,
        name="森田 浩",
        affiliation="NPO支援センター理事",
        profile="中間支援組織で20年にわたりNPOの組織運営を支援。",
        order=1,
    )
    Speaker.objects.create(
        event=basics,
        name="宮本 典子",
        affiliation="税理士",
        profile="NPO会計に詳しい税理士。",
        order=2,
    )
    Question.objects.create(
        event=basics,
        label="団体の活動分野を教えてください",
        kind=Question.Kind.CHOICE,
        choices="子ども・子育て\n高齢者福祉\n環境\nまちづくり\nその他",
        required=True,
    )
    _register(basics, 9, start=2)

    _event(
        "npo-intro",
        "NPO入門セミナー（オンライン）",
        [("", 10, 19, 20)],
        summary="自宅から参加できるオンラインの入門セミナーです。",
        description="Zoomで開催します。参加用のリンクは申込みが確定した方にメールでお送りします。"
        "カメラはオフでも参加できます。",
        venue=Venue.ONLINE,
        online_url="https://zoom.example.jp/j/0000000000",
        capacity=100,
        fee_note="無料",
        audience="NPO法人の設立に関心のある方",
        accessibility_info="自動字幕（日本語）を表示します。資料は事前にメールでお送りします。",
    )

    full = _event(
        "dialogue-lab",
        "対話&創造ラボ 第4回「企業と地域がつながるには」",
        [("", 7, 14, 16)],
        summary="満席になりました。キャンセル待ちを受け付けています。",
        description="CSR・SDGsに取り組む企業の担当者と地域団体が、連携のきっかけを探ります。",
        venue=Venue.LAB,
        capacity=20,
        fee_note="無料",
    )
    _register(full, 20, start=12, singles=True)
    _register(full, 3, start=40, status=Registration.Status.WAITLISTED)

    symposium = _event(
        "symposium",
        "未来創発シンポジウム2027",
        [("", 75, 13, 17)],
        summary="基調講演、パネルディスカッションと市民活動団体のブース出展。",
        description="これからの市民協働を語るシンポジウムと、活動団体のブース出展を組み合わせた"
        "年に一度のイベントです。アトリウムとスペースA・Bで開催します。",
        venue=Venue.SPACE_A,
        capacity=150,
        ward_staff_seats=5,
        fee_note="無料",
        audience="どなたでも",
    )
    Speaker.objects.create(
        event=symposium,
        name="Emily Carter",
        affiliation="Community Foundation of Portland",
        profile="市民協働と地域財団の研究者。同時通訳あり。",
    )

    internship = _event(
        "internship",
        "大学生インターンシップ 説明会",
        [("", 20, 18, 19)],
        summary="地域プロジェクトでのインターンシップの内容と応募方法をご説明します。",
        description="受入れ団体の方から活動内容を直接聞けます。",
        venue=Venue.LAB,
        capacity=40,
        fee_note="無料",
        audience="市内外の大学生・大学院生",
    )

    _event(
        "festival",
        "市民活動フェス2026",
        [("", 45, 10, 16)],
        summary="市内の市民活動団体が分野を越えて集まるお祭りです。",
        description="活動紹介のブース、ステージ発表、体験コーナー。申込み不要、出入り自由です。",
        venue=Venue.OTHER,
        venue_address="横浜市役所 アトリウム（横浜市中区本町6-50-10）",
        registration_required=False,
        fee_note="無料",
        audience="どなたでも（お子さま連れ歓迎）",
    )

    _event(
        "public-action",
        "パブリックアクション講座（準備中）",
        [("", 60, 14, 17)],
        status=Event.Status.DRAFT,
        description="協働に必要な知識と考え方を学ぶ講座。内容を調整中です。",
        venue=Venue.SPACE_B,
        capacity=30,
    )
    _applications(symposium, internship)
    return []


SURVEY_COMMENTS = [
    "初めて参加しましたが、気軽に話せる雰囲気でよかったです。",
    "川辺の活動を知るきっかけになりました。次回も参加したいです。",
    "もう少しグループで話す時間がほしかったです。",
    "",
    "ゲストのお話が具体的で参考になりました。",
]


def _survey(event: Event, attendees: list[Registration]) -> None:
    """A survey question, and answers from most attendees (as mailed after the event)."""
    question = Question.objects.create(
        event=event,
        purpose=Question.Purpose.SURVEY,
        label="今後参加したいテーマ",
        kind=Question.Kind.CHOICE,
        choices="水辺の活用\n防災\n子育て支援\n環境",
    )
    themes = question.choice_list()
    sent_at = event.ends_at + datetime.timedelta(hours=2)
    for n, registration in enumerate(attendees):
        Registration.objects.filter(pk=registration.pk).update(survey_sent_at=sent_at)
        if n % 4 == 3:
            continue  # not everyone answers
        SurveyResponse.objects.create(
            registration=registration,
            satisfaction=(5, 4, 5, 3, 4)[n % 5],
            comment=SURVEY_COMMENTS[n % len(SURVEY_COMMENTS)],
            submitted_at=sent_at + datetime.timedelta(hours=n),
        )
        registration.answers.create(question=question, value=themes[n % len(themes)])


def _applications(symposium: Event, internship: Event) -> None:
    common = {"privacy_notice_version": PRIVACY_NOTICE_VERSION}
    for group, contact, activity, status in [
        (
            "こどもの居場所ネットワーク港北",
            "森 さくら",
            "子ども食堂と学習支援",
            ApplicationStatus.ACCEPTED,
        ),
        (
            "よこはま里山保全の会",
            "林 大地",
            "里山の保全活動と自然観察会",
            ApplicationStatus.SUBMITTED,
        ),
        (
            "多文化共生サポート中区",
            "陳 美玲",
            "外国につながる家庭の相談と日本語教室",
            ApplicationStatus.SUBMITTED,
        ),
    ]:
        ExhibitorApplication.objects.create(
            event=symposium,
            group_name=group,
            contact_name=contact,
            email=f"booth-{len(group)}@example.jp",
            activity=activity,
            booth_needs="長机1台、電源1口",
            materials="活動写真のパネルとチラシ",
            status=status,
            decided_at=timezone.now() if status == ApplicationStatus.ACCEPTED else None,
            decision_note="出展をお待ちしています。"
            if status == ApplicationStatus.ACCEPTED
            else "",
            **common,
        )
    for family, given, kana_f, kana_g, university, year, status, project in [
        (
            "石田",
            "葵",
            "いしだ",
            "あおい",
            "横浜市立大学",
            2,
            InternshipApplication.Status.MATCHED,
            "子ども食堂の広報づくり",
        ),
        (
            "小川",
            "蓮",
            "おがわ",
            "れん",
            "神奈川大学",
            3,
            InternshipApplication.Status.REVIEWING,
            "",
        ),
        (
            "Nguyen",
            "Lan",
            "グエン",
            "ラン",
            "横浜国立大学",
            1,
            InternshipApplication.Status.SUBMITTED,
            "",
        ),
    ]:
        InternshipApplication.objects.create(
            event=internship,
            family_name=family,
            given_name=given,
            family_name_kana=kana_f,
            given_name_kana=kana_g,
            email=f"intern-{kana_f}@example.jp",
            university=university,
            faculty="",
            year=year,
            interests="地域の居場所づくり、多文化共生",
            availability="平日の午後と土曜日",
            status=status,
            matched_project=project,
            **common,
        )
