from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0005_merge"),
    ]

    operations = []
