import threading
import time
from datetime import timedelta

import psycopg
import pytest
from django.db import connection
from django.utils import timezone

from accounts.models import ApiKey
from dravo.idempotency import advisory_lock_id, idempotency_keys_prune
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
    assert idempotency_keys_prune() == 1
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
    assert link.status_code == link_again.status_code == 201
    assert link.json()["expires_at"] == link_again.json()["expires_at"] and link_again["Idempotent-Replayed"] == "true"


@pytest.mark.django_db
def test_a_live_request_never_replays_a_test_requests_answer(api_client, live_api_key, workspace):
    test_answer = api_client.post("/v1/api-keys", {"name": "ci"}, format="json", HTTP_IDEMPOTENCY_KEY="shared")
    live_answer = client_for(live_api_key).post(
        "/v1/api-keys", {"name": "ci"}, format="json", HTTP_IDEMPOTENCY_KEY="shared"
    )
    assert test_answer.status_code == live_answer.status_code == 201
    assert "Idempotent-Replayed" not in live_answer
    assert test_answer.json()["mode"] == "test" and live_answer.json()["mode"] == "live"
    assert live_answer.json()["id"] != test_answer.json()["id"]
    assert set(IdempotencyKey.objects.values_list("mode", "key")) == {("test", "shared"), ("live", "shared")}


@pytest.mark.django_db
def test_the_same_key_on_another_route_is_422(api_client, account):
    assert post(api_client, account, "k-route").status_code == 202
    response = api_client.post("/v1/api-keys", {"name": "ci"}, format="json", HTTP_IDEMPOTENCY_KEY="k-route")
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "idempotency_key_reused"
    assert not ApiKey.objects.filter(name="ci").exists()


@pytest.mark.django_db
def test_a_new_api_key_is_never_stored_in_the_idempotency_table_nor_replayed(api_client, admin_client):
    first = api_client.post("/v1/api-keys", {"name": "ci"}, format="json", HTTP_IDEMPOTENCY_KEY="secret")
    raw = first.json()["key"]
    row = IdempotencyKey.objects.get(key="secret")
    assert raw not in str(IdempotencyKey.objects.filter(pk=row.pk).values().get())
    again = api_client.post("/v1/api-keys", {"name": "ci"}, format="json", HTTP_IDEMPOTENCY_KEY="secret")
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.json() == {name: value for name, value in first.json().items() if name != "key"}
    for page in ("/admin/publishing/idempotencykey/", f"/admin/publishing/idempotencykey/{row.pk}/change/"):
        shown = admin_client.get(page)
        assert shown.status_code == 200 and raw not in shown.content.decode()
    assert first.json()["id"] in admin_client.get(f"/admin/publishing/idempotencykey/{row.pk}/change/").content.decode()


@pytest.mark.django_db
def test_a_connect_links_url_is_never_stored_in_the_idempotency_table(api_client):
    first = api_client.post("/v1/accounts/connect", {"provider": "x"}, format="json", HTTP_IDEMPOTENCY_KEY="link")
    token = first.json()["url"].rsplit("/", 1)[-1]
    assert token not in str(IdempotencyKey.objects.values().get())
    again = api_client.post("/v1/accounts/connect", {"provider": "x"}, format="json", HTTP_IDEMPOTENCY_KEY="link")
    assert again.json() == {"expires_at": first.json()["expires_at"]}


postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="advisory locks are PostgreSQL's; SQLite serializes writers instead"
)


@postgresql_only
@pytest.mark.django_db
def test_a_key_held_by_a_request_in_flight_is_409_with_retry_after(api_client, workspace, account):
    lock_id = advisory_lock_id(workspace_id=workspace.pk, mode="test", key="busy")
    with connection.cursor() as cursor:  # a request that waited for the lock would fail, not hang
        cursor.execute("SET LOCAL statement_timeout = '5s'")
    with psycopg.connect(**connection.get_connection_params()) as other, other.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [lock_id])
        started = time.monotonic()
        response = post(api_client, account, "busy")
        assert time.monotonic() - started < 2  # refused at once, not after waiting
        assert response.status_code == 409
        assert response["Retry-After"] == "1"
        assert response.json()["errors"][0]["code"] == "idempotency_key_in_flight"
        assert post(api_client, account, "other-key").status_code == 202
        cursor.execute("SELECT pg_advisory_unlock(%s)", [lock_id])
    assert post(api_client, account, "busy").status_code == 202


def _advisory_locks_held() -> int:
    with psycopg.connect(**connection.get_connection_params()) as other, other.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted")
        return cursor.fetchone()[0]


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_second_request_while_a_slow_first_runs_is_409_then_the_first_answer_replays(sandbox, api_key):
    body = {
        "provider": "x",
        "platform_account_id": "1890123",
        "credentials": {"access_token": "abc", "sandbox": {"behavior": "ok", "latency_ms": 1500}},
    }
    answers = {}

    def connect():
        return client_for(api_key).post("/v1/accounts", body, format="json", HTTP_IDEMPOTENCY_KEY="slow")

    def first():
        try:
            answers["first"] = connect()
        finally:
            connection.close()

    thread = threading.Thread(target=first)
    thread.start()
    deadline = time.monotonic() + 5
    while not _advisory_locks_held() and time.monotonic() < deadline:
        time.sleep(0.02)
    second = connect()
    thread.join()
    assert second.status_code == 409 and second["Retry-After"] == "1"
    assert answers["first"].status_code == 201, answers["first"].json()
    third = connect()
    assert third.status_code == 201 and third["Idempotent-Replayed"] == "true"
    assert third.json() == answers["first"].json()
