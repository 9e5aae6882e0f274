import pytest
from rest_framework.test import APIClient

from tests import factories


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def workspace(db):
    return factories.make_workspace()


@pytest.fixture
def api_key(workspace):
    """The raw test-mode key of `workspace`."""
    return factories.make_api_key(workspace, mode="test")[1]


@pytest.fixture
def live_api_key(workspace):
    return factories.make_api_key(workspace, mode="live")[1]


@pytest.fixture
def api_client(api_key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {api_key}")
    return client


@pytest.fixture
def anon_client():
    return APIClient()


def client_for(raw_key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw_key}")
    return client


@pytest.fixture
def sandbox(live_server, settings):
    """The sandbox served over real HTTP by live_server; clients built with
    `registry.get_client(..., sandbox=True)` talk to it. Polling does not wait."""
    settings.SANDBOX_ENABLED = True
    settings.SANDBOX_URL = live_server.url
    settings.BASE_URL = live_server.url
    settings.PROVIDER_POLL_INTERVAL = 0
    settings.PROVIDER_POLL_TIMEOUT = 5
    return live_server.url


@pytest.fixture
def fast_polling(settings):
    settings.PROVIDER_POLL_INTERVAL = 0
    settings.PROVIDER_POLL_TIMEOUT = 1


@pytest.fixture
def eager_tasks():
    """Run Celery tasks in-process as they are sent (after commit, as services send them)."""
    from dravo.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False
