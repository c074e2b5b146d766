"""The center's programs, from its plans (seeds: 事業計画), with this fiscal year's planned
number of events where the plan states one. Staff edit the plans per year in the admin."""

from django.db import migrations
from django.utils import timezone

# (code, business, name, English name, planned per year or None, description, English)
PROGRAMS = [
    (
        "startup",
        "training",
        "スタートアッププログラム",
        "Startup program",
        4,
        "市民活動に関わりたい意欲的な若い世代（企業や行政職員を含む）を念頭においた人材育成"
        "プログラム。市民協働、NPO論、公共哲学などの座学と、実践に基づく課題解決の手法や"
        "個々人の関心・モチベーションを共有します。",
        "Training for motivated people, especially younger ones (company and city staff "
        "included), who want to take part in citizen activities: the ideas behind citizen "
        "collaboration, and practical problem solving.",
    ),
    (
        "internship",
        "training",
        "大学生インターンシップ",
        "Student internships",
        2,
        "地域に関わりたい大学生を募集し、地域プロジェクトを中心にインターンシップを実施します。"
        "オリエンテーションを行い、様々な主体が参加できる環境を整えます。",
        "University students who want to work with their community join local projects as "
        "interns, after an orientation.",
    ),
    (
        "collaboration-space",
        "training",
        "コラボレーション＠スペース",
        "Collaboration@Space guest talks",
        None,
        "協働の創発への示唆となる他分野や周辺領域のゲストトーク。参加者同士の意見交換や交流、"
        "意見発表もできる熟議の場です。",
        "Guest talks from other fields that inspire collaboration, with discussion among "
        "the participants.",
    ),
    (
        "npo-intro",
        "activity_support",
        "市民活動（NPO）入門セミナー",
        "Introduction to citizen activities and NPOs",
        None,
        "NPO法人設立に関心がある、または設立を検討・準備している団体・個人を対象にした"
        "入門セミナーです。",
        "For groups and people interested in setting up an NPO corporation, or preparing one.",
    ),
    (
        "basics",
        "activity_support",
        "市民活動基礎セミナー",
        "Citizen activity basics (3-course series)",
        None,
        "既存の市民活動団体やNPOを対象に、経営、会計、ICT支援などを連続セミナーで実施します。"
        "3つの基礎的な科目を受講し、安定したNPO運営を支援します。",
        "A series for existing groups and NPOs: management, accounting and ICT, three basic "
        "courses for running an NPO steadily.",
    ),
    (
        "festival",
        "activity_support",
        "市民活動フェス",
        "Citizen Activity Festival",
        1,
        "市内の市民活動団体が分野の垣根を越えて連携・協働し、その活動を広く社会に発信する"
        "イベントです。",
        "Citizen groups from across the city, beyond their fields, show their work together.",
    ),
    (
        "public-action",
        "activity_support",
        "パブリックアクション",
        "Public Action course",
        None,
        "市民等や行政職員が、協働を進めるうえで必要な知識や考え方を理解し、スキルを高める講座です。",
        "A course for citizens and city staff on the knowledge and skills collaboration needs.",
    ),
    (
        "mizube-salon",
        "exchange",
        "ミズベサロン",
        "Mizube Salon",
        None,
        "協働に意識のある市民が顔を合わせて考えを共有し、参加者同士がゆるくつながる場です。"
        "初心者からベテランまで、各回のテーマに合わせて参加できます。",
        "Citizens interested in collaboration meet, share their thoughts and get to know "
        "each other; beginners and veterans alike, by theme.",
    ),
    (
        "hub",
        "exchange",
        "市民協働HUB",
        "Citizen Collaboration HUB",
        None,
        "様々な主体がつながるハブとして、大学の地域連携部門と企業のCSR・SDGs部門の連携などを"
        "進めるプラットフォームです。",
        "A platform connecting stakeholders: universities' community departments with "
        "companies' CSR and SDGs teams.",
    ),
    (
        "symposium",
        "exchange",
        "未来創発シンポジウム",
        "Future Symposium",
        1,
        "議論と学びの場（シンポジウム）と活動団体のアピールの場（ブース出展）を組み合わせて、"
        "アトリウムとスペースA・Bで実施します。",
        "A symposium for discussion and learning, with exhibition booths for citizen groups, "
        "in the atrium and Spaces A and B.",
    ),
    (
        "dialogue-lab",
        "exchange",
        "対話&創造ラボ",
        "Dialogue & Creation Lab",
        6,
        "多くの市民や行政職員が出会い、対話する中で協働のきっかけが得られるプログラムです。",
        "Citizens and city staff meet and talk, and find starting points for collaboration.",
    ),
    (
        "collaboration-consultation",
        "consultation",
        "市民活動・市民協働相談会",
        "Citizen activity and collaboration consultation sessions",
        5,
        "協働の実践者である協働コーディネーターが相談に乗り、交流会を含めて人材発掘や協働の"
        "ヒントを共に考えます。",
        "Collaboration coordinators answer questions and think through ideas with you, with "
        "time to meet others.",
    ),
    (
        "professional-consultation",
        "consultation",
        "士業相談会",
        "Consultations with tax accountants and labour consultants",
        4,
        "NPOの組織運営に必要な税理士・社労士との相談会。参加団体同士のつながりもつくります。",
        "NPOs consult tax accountants and labour and social security attorneys about running "
        "their organisation.",
    ),
    (
        "network-meeting",
        "ward_centers",
        "ネットワーク会議",
        "Ward center network meeting",
        4,
        "各区の市民活動支援センターの情報共有と職員同士の交流を目的に、市民局と協働で年3〜4回"
        "実施します。",
        "Staff of the 18 ward centers share information and experience, with the city, three "
        "or four times a year.",
    ),
]


def _fiscal_year(day) -> int:
    return day.year if day.month >= 4 else day.year - 1


def load(apps, schema_editor):
    Program = apps.get_model("events", "Program")
    ProgramPlan = apps.get_model("events", "ProgramPlan")
    fiscal_year = _fiscal_year(timezone.localdate())
    for order, (slug, business, name, name_en, planned, description, description_en) in enumerate(
        PROGRAMS
    ):
        program, _created = Program.objects.get_or_create(
            slug=slug,
            defaults={
                "business": business,
                "name": name,
                "name_en": name_en,
                "description": description,
                "description_en": description_en,
                "order": order,
            },
        )
        if planned is not None:
            ProgramPlan.objects.get_or_create(
                program=program, fiscal_year=fiscal_year, defaults={"planned_count": planned}
            )


class Migration(migrations.Migration):
    dependencies = [("events", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
