import json
import re
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command
from django.db import OperationalError, connection
from django.test import override_settings

ROOT = Path(settings.BASE_DIR)


@pytest.mark.django_db
def test_health_is_200_when_database_and_broker_answer(anon_client):
    response = anon_client.get("/v1/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["checks"] == {"database": "ok", "broker": "ok"}


@pytest.mark.django_db
def test_health_is_503_naming_the_broker_when_it_is_down(anon_client):
    with override_settings(CELERY_BROKER_URL="redis://127.0.0.1:1/0", CELERY_BROKER_TRANSPORT_OPTIONS={}):
        response = anon_client.get("/v1/health")
    assert response.status_code == 503
    assert response.json()["down"] == ["broker"]
    assert response.json()["checks"]["database"] == "ok"


@pytest.mark.django_db
def test_health_is_503_naming_the_database_when_it_is_down(anon_client, monkeypatch):
    def refuse():
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "ensure_connection", refuse)
    response = anon_client.get("/v1/health")
    assert response.status_code == 503
    assert response.json()["down"] == ["database"]
    assert "connection refused" in response.json()["checks"]["database"]


def test_schema_validates_without_warnings():
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/v1/schema", "/v1/docs", "/v1/redoc"])
def test_docs_are_served_without_auth(anon_client, path):
    response = anon_client.get(path)
    assert response.status_code == 200
    assert b"cdn" not in response.content.lower() or path == "/v1/schema"


URL = re.compile(r"(?:https?:)?//([a-z0-9.-]+\.[a-z]{2,}|[a-z0-9-]+:\d+)", re.I)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/v1/docs", "/v1/redoc"])
def test_docs_pages_name_no_other_host(anon_client, path):
    response = anon_client.get(path)
    page = response.content.decode()
    assert URL.findall(page) == []  # no fonts, scripts, styles or icons from elsewhere
    assets = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert assets and all(asset.startswith("/static/drf_spectacular_sidecar/") for asset in assets)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/v1/docs", "/v1/redoc"])
def test_docs_pages_let_the_browser_fetch_from_their_own_origin_only(anon_client, path):
    policy = anon_client.get(path)["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'self'"
    for name in ("img-src", "font-src", "connect-src", "script-src", "style-src"):
        sources = set(directives[name].split())
        assert sources <= {"'self'", "'unsafe-inline'", "data:", "blob:"}, name  # never another host


def test_docs_settings_name_no_other_host():
    spectacular = settings.SPECTACULAR_SETTINGS
    docs = {name: value for name, value in spectacular.items() if name.startswith(("SWAGGER", "REDOC"))}
    assert docs["SWAGGER_UI_DIST"] == docs["REDOC_DIST"] == docs["SWAGGER_UI_FAVICON_HREF"] == "SIDECAR"
    assert "validatorUrl" in docs["SWAGGER_UI_SETTINGS"] and docs["SWAGGER_UI_SETTINGS"]["validatorUrl"] is None
    assert URL.findall(json.dumps(docs)) == []


def test_compose_services_use_commands_and_env_vars_the_code_knows():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"postgres", "redis", "web", "worker", "beat"} <= set(services)
    assert services["beat"].get("deploy", {}).get("replicas", 1) == 1
    code = "\n".join(p.read_text() for p in [ROOT / "dravo/settings.py", ROOT / "dravo/celery.py"])
    for name in ("web", "worker", "beat"):
        service = services[name]
        command = service["command"] if isinstance(service["command"], str) else " ".join(service["command"])
        if "celery" in command:
            assert "-A dravo" in command
        else:
            assert "dravo.wsgi" in command
        for var in service.get("environment", {}):
            assert var in code, f"{name} sets {var}, which dravo/settings.py never reads"
    assert (ROOT / "Dockerfile").exists()
