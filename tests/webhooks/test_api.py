"""The webhook endpoints API: create with a secret shown once, list, change, delete,
rotate, and every bad input a 400 naming its field."""

import pytest
from standardwebhooks.webhooks import Webhook

from tests.conftest import client_for
from webhooks.models import Endpoint

pytestmark = [pytest.mark.django_db(transaction=True)]


def create(api_client, **body):
    return api_client.post("/v1/webhooks", {"events": ["*"], **body}, format="json")


def test_create_answers_the_secret_once_and_stores_it_encrypted(api_client, receiver):
    response = create(api_client, url=receiver.url, description="CRM sync")
    assert response.status_code == 201
    body = response.json()
    assert body["id"].startswith("wh_") and body["secret"].startswith("whsec_")
    assert body["events"] == ["*"] and body["enabled"] is True and body["description"] == "CRM sync"
    row = Endpoint.objects.get(pk=body["id"])
    assert body["secret"] not in row.secret_encrypted and body["secret"][6:] not in row.secret_encrypted
    shown = api_client.get(f"/v1/webhooks/{body['id']}").json()
    assert "secret" not in shown and shown["url"] == receiver.url
    listed = api_client.get("/v1/webhooks").json()
    assert [item["id"] for item in listed["items"]] == [body["id"]] and "secret" not in listed["items"][0]


def test_a_replayed_create_answers_the_same_endpoint_without_its_secret(api_client, receiver):
    first = api_client.post("/v1/webhooks", {"url": receiver.url, "events": ["*"]}, format="json",
                            HTTP_IDEMPOTENCY_KEY="hook-1")
    again = api_client.post("/v1/webhooks", {"url": receiver.url, "events": ["*"]}, format="json",
                            HTTP_IDEMPOTENCY_KEY="hook-1")
    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"] and "secret" not in again.json()
    assert Endpoint.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "attr", "code"),
    [
        ({"url": "http://10.0.0.8/hook"}, "url", "private_address"),
        ({"url": "https://169.254.169.254/latest"}, "url", "private_address"),
        ({"url": "https://[::1]/hook"}, "url", "private_address"),
        ({"url": "https://localhost/hook"}, "url", "private_address"),
        ({"url": "https://203.0.113.9:8443/hook"}, "url", "url_not_allowed"),
        ({"url": "ftp://203.0.113.9/hook"}, "url", "url_not_allowed"),
        ({"url": "https://no-such-host.invalid/hook"}, "url", "url_not_resolvable"),
        ({"url": "not a url"}, "url", "invalid"),
        ({"url": "https://203.0.113.9/h", "events": ["post.exploded"]}, "events.0", "invalid_choice"),
        ({"url": "https://203.0.113.9/h", "events": []}, "events", "min_length"),
        ({"url": "https://203.0.113.9/h", "secret": "mine"}, "secret", "unknown_option"),
    ],
)
def test_a_bad_endpoint_is_a_400_naming_the_field(api_client, body, attr, code):
    response = create(api_client, **body)
    assert response.status_code == 400, response.content
    error = response.json()["errors"][0]
    assert (error["attr"], error["code"]) == (attr, code)
    assert Endpoint.objects.count() == 0


def test_outside_dev_mode_only_https_is_taken(api_client, settings):
    settings.WEBHOOK_REQUIRE_HTTPS = True
    response = create(api_client, url="http://203.0.113.9/hook")
    assert response.status_code == 400 and response.json()["errors"][0]["attr"] == "url"
    assert "https" in response.json()["errors"][0]["detail"]


def test_an_endpoint_changes_and_goes(api_client, hook, receiver):
    changed = api_client.patch(f"/v1/webhooks/{hook['id']}", {"events": ["post.published"], "enabled": False},
                               format="json")
    assert changed.status_code == 200
    assert changed.json()["events"] == ["post.published"] and changed.json()["enabled"] is False
    bad = api_client.patch(f"/v1/webhooks/{hook['id']}", {"url": "https://10.1.1.1/x"}, format="json")
    assert bad.status_code == 400 and bad.json()["errors"][0]["attr"] == "url"
    assert api_client.delete(f"/v1/webhooks/{hook['id']}").status_code == 204
    assert api_client.get(f"/v1/webhooks/{hook['id']}").status_code == 404


def test_a_key_of_the_other_mode_or_workspace_does_not_see_the_endpoint(api_client, hook, live_api_key):
    assert client_for(live_api_key).get(f"/v1/webhooks/{hook['id']}").status_code == 404
    assert client_for(live_api_key).get("/v1/webhooks").json()["items"] == []
    from tests import factories

    other = factories.make_api_key(factories.make_workspace(), mode="test")[1]
    assert client_for(other).get(f"/v1/webhooks/{hook['id']}").status_code == 404


def test_rotation_signs_with_both_secrets_for_a_day_then_only_the_new_one(api_client, hook, settings):
    from django.utils import timezone

    from webhooks.services.sending import signed_headers

    old = hook["secret"]
    rotated = api_client.post(f"/v1/webhooks/{hook['id']}/rotate-secret")
    assert rotated.status_code == 200
    new = rotated.json()["secret"]
    assert new != old and new.startswith("whsec_") and rotated.json()["secret_previous_until"]
    endpoint = Endpoint.objects.get(pk=hook["id"])
    body = '{"type":"webhook.test"}'
    headers = signed_headers(endpoint, "msg_1", body)
    assert len(headers["webhook-signature"].split(" ")) == 2
    Webhook(old).verify(body, headers)  # a consumer still on the old secret
    Webhook(new).verify(body, headers)
    later = timezone.now() + timezone.timedelta(hours=settings.WEBHOOK_SECRET_OVERLAP_HOURS, minutes=1)
    headers = signed_headers(endpoint, "msg_2", body, now=later)
    assert len(headers["webhook-signature"].split(" ")) == 1
    assert headers["webhook-signature"] == Webhook(new).sign("msg_2", later, body)
