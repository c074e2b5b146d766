from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("publications", "0002_newsletter"),
    ]

    operations = []
