from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("networks", "0002_meetings"),
        ("networks", "0003_support"),
    ]

    operations = []
