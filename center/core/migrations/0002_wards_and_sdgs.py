from django.db import migrations

# Yokohama's 18 wards in the city's own order (横浜市の区の並び).
WARDS = [
    ("tsurumi", "鶴見区", "Tsurumi"),
    ("kanagawa", "神奈川区", "Kanagawa"),
    ("nishi", "西区", "Nishi"),
    ("naka", "中区", "Naka"),
    ("minami", "南区", "Minami"),
    ("konan", "港南区", "Konan"),
    ("hodogaya", "保土ケ谷区", "Hodogaya"),
    ("asahi", "旭区", "Asahi"),
    ("isogo", "磯子区", "Isogo"),
    ("kanazawa", "金沢区", "Kanazawa"),
    ("kohoku", "港北区", "Kohoku"),
    ("midori", "緑区", "Midori"),
    ("aoba", "青葉区", "Aoba"),
    ("tsuzuki", "都筑区", "Tsuzuki"),
    ("totsuka", "戸塚区", "Totsuka"),
    ("sakae", "栄区", "Sakae"),
    ("izumi", "泉区", "Izumi"),
    ("seya", "瀬谷区", "Seya"),
]

# The Japanese names are the ones the national SDGs promotion headquarters uses.
SDGS = [
    (1, "貧困をなくそう", "No poverty"),
    (2, "飢餓をゼロに", "Zero hunger"),
    (3, "すべての人に健康と福祉を", "Good health and well-being"),
    (4, "質の高い教育をみんなに", "Quality education"),
    (5, "ジェンダー平等を実現しよう", "Gender equality"),
    (6, "安全な水とトイレを世界中に", "Clean water and sanitation"),
    (7, "エネルギーをみんなに そしてクリーンに", "Affordable and clean energy"),
    (8, "働きがいも経済成長も", "Decent work and economic growth"),
    (9, "産業と技術革新の基盤をつくろう", "Industry, innovation and infrastructure"),
    (10, "人や国の不平等をなくそう", "Reduced inequalities"),
    (11, "住み続けられるまちづくりを", "Sustainable cities and communities"),
    (12, "つくる責任 つかう責任", "Responsible consumption and production"),
    (13, "気候変動に具体的な対策を", "Climate action"),
    (14, "海の豊かさを守ろう", "Life below water"),
    (15, "陸の豊かさも守ろう", "Life on land"),
    (16, "平和と公正をすべての人に", "Peace, justice and strong institutions"),
    (17, "パートナーシップで目標を達成しよう", "Partnerships for the goals"),
]


def load(apps, schema_editor):
    Ward = apps.get_model("core", "Ward")
    SdgGoal = apps.get_model("core", "SdgGoal")
    for order, (code, name, name_en) in enumerate(WARDS, start=1):
        Ward.objects.update_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "order": order}
        )
    for number, name, name_en in SDGS:
        SdgGoal.objects.update_or_create(
            number=number, defaults={"name": name, "name_en": name_en}
        )


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
