"""Webhooks end to end against a live Dravo: the SDK's endpoint routes, and `dravo
webhooks listen` receiving (and verifying) the events of a post published meanwhile."""

import json
import signal

import pytest
from dravo_sdk import errors
from dravo_sdk.models import WebhookCreated

from tests.sdk.conftest import sandbox_account
from tests.sdk.test_webhooks_listen import free_port, start_listen

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture
def local_receivers(settings):
    """Dravo may call a receiver on this machine (dev and tests only)."""
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]


def test_an_endpoint_is_made_read_changed_rotated_and_deleted(dravo, local_receivers):
    created = dravo.webhooks.create(url="http://127.0.0.1:9/", events=["post.published"], description="sdk")
    assert isinstance(created, WebhookCreated) and created.secret.startswith("whsec_") and created.enabled
    assert [w.id for w in dravo.webhooks.list()] == [created.id]
    assert dravo.webhooks.get(created.id).description == "sdk"
    assert dravo.webhooks.update(created.id, events=["post.failed"]).events == ["post.failed"]
    rotated = dravo.webhooks.rotate_secret(created.id)
    assert rotated.secret != created.secret and rotated.secret_previous_until
    dravo.webhooks.delete(created.id)
    with pytest.raises(errors.NotFound):
        dravo.webhooks.get(created.id)


def test_an_unknown_event_type_is_refused_on_events(dravo, local_receivers):
    with pytest.raises(errors.ValidationError) as raised:
        dravo.webhooks.create(url="http://127.0.0.1:9/", events=["post.exploded"])
    assert [item.attr for item in raised.value.errors] == ["events.0"]


def test_listen_prints_the_verified_events_of_a_post_and_deletes_its_endpoint(
        sandbox, api_key, dravo, workspace, eager_tasks, local_receivers, tmp_path):
    account = sandbox_account(workspace)
    port = free_port()
    listener = start_listen(sandbox, api_key, port, tmp_path, "--json", "--events",
                            "post.published,delivery.published,webhook.test")
    try:
        [endpoint] = dravo.webhooks.list()
        assert endpoint.url == f"http://127.0.0.1:{port}/"
        accepted = dravo.posts.create(text="Heard by the listener", account_ids=[account.pk])
        test = dravo.webhooks.test(endpoint.id)
        deliveries = {d.event_id: d for d in dravo.webhooks.deliveries(endpoint.id)}
        assert deliveries[test.event_id].status == "succeeded" and deliveries[test.event_id].last_status_code == 204
        redelivered = dravo.webhooks.redeliver(endpoint.id, test.delivery_id)
        assert redelivered.event_type == "webhook.test"
    finally:
        listener.send_signal(signal.SIGINT)
        out, err = listener.communicate(timeout=30)
    assert listener.returncode == 0, err
    events = list(_json_documents(out))
    types = [event["type"] for event in events]
    assert {"delivery.published", "post.published"} <= set(types) and types.count("webhook.test") == 2
    published = next(e for e in events if e["type"] == "post.published")
    assert published["data"]["id"] == accepted.id
    assert "rejected" not in err and f"Deleted {endpoint.id}" in err
    assert list(dravo.webhooks.list()) == []


def _json_documents(text: str):
    """The JSON documents printed one after the other (each indented over lines)."""
    decoder, position, text = json.JSONDecoder(), 0, text.strip()
    while position < len(text):
        document, end = decoder.raw_decode(text, position)
        yield document
        position = end
        while position < len(text) and text[position].isspace():
            position += 1
