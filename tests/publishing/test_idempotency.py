import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from publishing import services
from publishing.models import IdempotencyKey, Post
from tests import factories
from tests.conftest import client_for


@pytest.fixture
def account(workspace):
    return factories.make_account(workspace)


def post(client, account, key, text="hello"):
    return client.post(
        "/v1/posts", {"account_ids": [account.pk], "text": text}, format="json", HTTP_IDEMPOTENCY_KEY=key
    )


@pytest.mark.django_db
def test_same_key_same_body_replays_the_first_answer(api_client, account):
    first = post(api_client, account, "k-1")
    second = post(api_client, account, "k-1")
    assert first.status_code == second.status_code == 202
    assert first.json() == second.json()
    assert "Idempotent-Replayed" not in first and second["Idempotent-Replayed"] == "true"
    assert Post.objects.count() == 1


@pytest.mark.django_db
def test_same_key_other_body_is_422(api_client, account):
    post(api_client, account, "k-2")
    response = post(api_client, account, "k-2", text="something else")
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "idempotency_key_reused"


@pytest.mark.django_db
def test_a_request_that_failed_validation_stores_nothing(api_client, account):
    bad = api_client.post(
        "/v1/posts", {"account_ids": [account.pk], "text": ""}, format="json", HTTP_IDEMPOTENCY_KEY="k-3"
    )
    assert bad.status_code == 400
    assert not IdempotencyKey.objects.exists()
    good = post(api_client, account, "k-3")
    assert good.status_code == 202


@pytest.mark.django_db
def test_keys_are_per_workspace(api_client, account):
    other_ws = factories.make_workspace()
    other_account = factories.make_account(other_ws)
    other_client = client_for(factories.make_api_key(other_ws)[1])
    a = post(api_client, account, "shared")
    b = post(other_client, other_account, "shared")
    assert a.json()["id"] != b.json()["id"]


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["", "x" * 256, "naïve"])
def test_malformed_keys_are_400(api_client, account, key):
    response = post(api_client, account, key)
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "Idempotency-Key"


@pytest.mark.django_db
def test_keys_older_than_24_hours_are_pruned_and_reusable(api_client, account):
    first = post(api_client, account, "old")
    IdempotencyKey.objects.update(created_at=timezone.now() - timedelta(hours=25))
    assert services.idempotency_keys_prune() == 1
    second = post(api_client, account, "old")
    assert second.json()["id"] != first.json()["id"]


@pytest.mark.django_db
def test_legacy_publish_route_honours_keys_too(api_client, account):
    body = {"account_ids": [account.pk], "text": "legacy"}
    first = api_client.post("/v1/publish", body, format="json", HTTP_IDEMPOTENCY_KEY="legacy-1")
    second = api_client.post("/v1/publish", body, format="json", HTTP_IDEMPOTENCY_KEY="legacy-1")
    assert first.json()["job_id"] == second.json()["job_id"] and second["Idempotent-Replayed"] == "true"


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_identical_requests_make_one_post(workspace, api_key, account):
    answers = []
    barrier = threading.Barrier(20)

    def send():
        client = client_for(api_key)
        barrier.wait()
        try:
            response = post(client, account, "race")
            answers.append((response.status_code, response.json().get("id")))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(20)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert Post.objects.count() == 1
    ids = {post_id for code, post_id in answers if code == 202}
    assert ids == {Post.objects.get().pk}
    assert all(code in (202, 409) for code, _ in answers) and len(answers) == 20


@pytest.mark.django_db
def test_every_creating_post_honours_the_key(api_client):
    first = api_client.post("/v1/api-keys", {"name": "ci"}, format="json", HTTP_IDEMPOTENCY_KEY="key-create")
    again = api_client.post("/v1/api-keys", {"name": "ci"}, format="json", HTTP_IDEMPOTENCY_KEY="key-create")
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"] and again["Idempotent-Replayed"] == "true"
    link = api_client.post("/v1/accounts/connect", {"provider": "x"}, format="json", HTTP_IDEMPOTENCY_KEY="link-1")
    link_again = api_client.post("/v1/accounts/connect", {"provider": "x"}, format="json",
                                 HTTP_IDEMPOTENCY_KEY="link-1")
    assert link.json()["url"] == link_again.json()["url"]
