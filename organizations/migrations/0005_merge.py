from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0002_groups"),
        ("organizations", "0003_spaces"),
        ("organizations", "0004_hub"),
    ]

    operations = []
