"""GET /v1/health: are the database and the broker reachable?"""

from django.conf import settings
from django.db import connection
from drf_spectacular.utils import extend_schema, inline_serializer
from kombu import Connection
from rest_framework import serializers
from rest_framework.decorators import api_view, authentication_classes, permission_classes, throttle_classes
from rest_framework.response import Response


def check_database() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:  # noqa: BLE001 - any failure means "down", with its reason
        return str(exc) or exc.__class__.__name__
    return None


def check_broker() -> str | None:
    try:
        with Connection(
            settings.CELERY_BROKER_URL,
            transport_options=getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}),
            connect_timeout=2,
        ) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:  # noqa: BLE001
        return str(exc) or exc.__class__.__name__
    return None


HealthSerializer = inline_serializer(
    "Health",
    {"status": serializers.CharField(), "checks": serializers.DictField(child=serializers.CharField())},
)


@extend_schema(summary="Is Dravo up?", responses={200: HealthSerializer, 503: HealthSerializer}, auth=[])
@api_view(["GET"])
@authentication_classes([])
@permission_classes([])
@throttle_classes([])
def health(request):
    problems = {"database": check_database(), "broker": check_broker()}
    checks = {name: ("ok" if problem is None else f"down: {problem}") for name, problem in problems.items()}
    down = [name for name, problem in problems.items() if problem is not None]
    if down:
        return Response({"status": "down", "down": down, "checks": checks}, status=503)
    return Response({"status": "ok", "checks": checks})
