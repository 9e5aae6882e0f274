"""The single Celery app. Configuration lives in dravo/settings.py (CELERY_*)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dravo.settings")

app = Celery("dravo")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
