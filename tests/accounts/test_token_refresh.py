import threading
import time
from datetime import timedelta

import pytest
import responses
from django.db import connection
from django.utils import timezone

from accounts import services
from accounts.crypto import decrypt_credentials
from accounts.models import SocialAccount
from accounts.tasks import refresh_due_tokens_task
from tests import factories

X_TOKEN = "https://api.x.com/2/oauth2/token"


def token_answer(access, refresh=None):
    body = {"token_type": "bearer", "expires_in": 7200, "access_token": access, "scope": "tweet.write"}
    if refresh:
        body["refresh_token"] = refresh
    return body


@pytest.mark.django_db
@responses.activate
def test_a_stored_refresh_token_is_never_replaced_by_an_empty_one(workspace):
    account = factories.make_account(workspace, mode="live", credentials={"access_token": "a1", "refresh_token": "r1"})
    responses.post(X_TOKEN, json=token_answer("a2"))  # no refresh_token in the answer
    services.social_account_refresh(account_id=account.pk)
    account.refresh_from_db()
    assert decrypt_credentials(account.credentials_encrypted) == {"access_token": "a2", "refresh_token": "r1"}


@pytest.mark.django_db
def test_due_accounts_are_chosen_by_each_networks_lead_time(workspace):
    now = timezone.now()
    x_soon = factories.make_account(workspace, provider="x", token_expires_at=now + timedelta(minutes=10))
    factories.make_account(workspace, provider="x", token_expires_at=now + timedelta(hours=1))
    li_soon = factories.make_account(workspace, provider="linkedin", token_expires_at=now + timedelta(days=3))
    factories.make_account(workspace, provider="linkedin", token_expires_at=now + timedelta(days=30))
    factories.make_account(workspace, provider="x", token_expires_at=now + timedelta(minutes=5), health="disconnected")
    past = factories.make_account(workspace, provider="x", token_expires_at=now - timedelta(minutes=1))
    due = services.social_accounts_refresh_due(now=now)
    assert set(due) == {x_soon.pk, li_soon.pk, past.pk}
    past.refresh_from_db()
    assert past.health == "expired"


@pytest.mark.django_db
@responses.activate
def test_the_beat_task_refreshes_due_accounts(workspace, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    from dravo.celery import app

    app.conf.task_always_eager = True
    try:
        account = factories.make_account(
            workspace,
            mode="live",
            credentials={"access_token": "a1", "refresh_token": "r1"},
            token_expires_at=timezone.now() + timedelta(minutes=5),
        )
        responses.post(X_TOKEN, json=token_answer("a2", "r2"))
        refresh_due_tokens_task()
    finally:
        app.conf.task_always_eager = False
    account.refresh_from_db()
    assert account.token_expires_at > timezone.now() + timedelta(hours=1)
    assert decrypt_credentials(account.credentials_encrypted)["refresh_token"] == "r2"


@pytest.mark.django_db(transaction=True)
@responses.activate
def test_concurrent_refreshes_of_one_account_spend_the_refresh_token_once(workspace):
    account = factories.make_account(workspace, mode="live", credentials={"access_token": "a1", "refresh_token": "r1"})

    def slow_token(request):
        time.sleep(0.5)
        return 200, {}, __import__("json").dumps(token_answer("a2", "r2"))

    responses.add_callback(responses.POST, X_TOKEN, callback=slow_token)
    errors = []

    def refresh():
        try:
            services.social_account_refresh(account_id=account.pk)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=refresh) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(responses.calls) == 1
    account.refresh_from_db()
    assert decrypt_credentials(account.credentials_encrypted)["refresh_token"] == "r2"
    assert SocialAccount.objects.get(pk=account.pk).refresh_lease_until is None


@pytest.mark.django_db(transaction=True)
def test_a_refresh_brings_the_instance_s_new_limits_to_the_create_check(sandbox, workspace, api_client):
    """A Mastodon server whose limit changed (the sandbox's is 500 characters): after the
    account's refresh, a create is checked against the new limit, which the check reads
    from the account's metadata."""
    account = factories.make_account(workspace, provider="mastodon", credentials={
        "access_token": "sbx-mastodon-limits", "sandbox": {"behavior": "ok"}})
    account.metadata = {"instance": {"limits": {"max_characters": 300}}, "note": "kept"}
    account.save(update_fields=["metadata"])
    body = {"account_ids": [account.pk], "text": "a" * 400}
    assert api_client.post("/v1/posts", body, format="json").status_code == 400

    services.social_account_refresh(account_id=account.pk)

    account.refresh_from_db()
    assert account.metadata["instance"]["limits"]["max_characters"] == 500 and account.metadata["note"] == "kept"
    assert api_client.post("/v1/posts", body, format="json").status_code == 202
