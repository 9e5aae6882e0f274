import pytest

from tests.webhooks.receiver import start_receiver


@pytest.fixture
def receiver(settings):
    """A local receiver the webhook sender may reach (127.0.0.1 skips the address rules)."""
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    receiver, server = start_receiver()
    yield receiver
    server.shutdown()
    server.server_close()


@pytest.fixture
def hook(api_client, receiver):
    """A test-mode endpoint for every event, pointed at the receiver, whose secret it knows."""
    response = api_client.post("/v1/webhooks", {"url": receiver.url, "events": ["*"]}, format="json")
    assert response.status_code == 201, response.content
    receiver.secrets.append(response.json()["secret"])
    return response.json()
