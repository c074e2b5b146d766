import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "center.settings.local")

app = Celery("center")
# Every CELERY_* setting in center/settings configures the app.
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
