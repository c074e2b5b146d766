from django.db import migrations, models

# The ward's view of a case's status, as networks.selectors_support.PUBLIC_STATUS folds it
# (frozen here: a migration must not change when that mapping does).
FOLDED = {
    "received": "received",
    "in_progress": "in_progress",
    "waiting": "in_progress",
    "referred": "in_progress",
    "closed": "done",
    "withdrawn": "withdrawn",
}


def mark_current_statuses_as_told(apps, schema_editor):
    """Requests filed before the status mail existed: their present status counts as told,
    so the first run of the job does not mail every old request at once."""
    SupportRequest = apps.get_model("networks", "SupportRequest")
    for case_status, folded in FOLDED.items():
        SupportRequest.objects.filter(consultation__status=case_status).update(
            notified_status=folded
        )


class Migration(migrations.Migration):
    dependencies = [
        ("networks", "0004_merge"),
        ("consultations", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="supportrequest",
            name="notified_status",
            field=models.CharField(
                default="received",
                editable=False,
                max_length=16,
                verbose_name="status last told to the ward",
            ),
        ),
        migrations.RunPython(mark_current_statuses_as_told, migrations.RunPython.noop),
    ]
