"""The SDK's other resource groups against a live Dravo, one tour per group."""

from datetime import UTC, datetime, timedelta

import pytest
from dravo_sdk import Dravo, errors
from dravo_sdk.models import ApiKeyCreated, Job, JobAccepted, Queue

from tests import factories
from tests.sdk.conftest import sandbox_account

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_a_queue_is_set_read_filled_and_shuffled(dravo, workspace):
    account = sandbox_account(workspace)
    slots = [{"day": "mon", "time": "09:00"}, {"day": "thu", "time": "17:30"}]
    assert isinstance(dravo.queues.set(account.pk, time_zone="Europe/Paris", slots=slots), Queue)
    queue = dravo.queues.get(account.pk)
    assert queue.time_zone == "Europe/Paris" and [(s.day, s.time) for s in queue.slots] == [("mon", "09:00"),
                                                                                          ("thu", "17:30")]
    queued = [dravo.posts.create(text=f"queued {n}", account_ids=[account.pk], queue=True) for n in range(2)]
    assert all(post.scheduled_at for post in queued) and queued[0].scheduled_at != queued[1].scheduled_at
    shuffled = dravo.queues.shuffle(account.pk)
    assert {p.id for p in shuffled.posts} == {p.id for p in queued}


def test_api_keys_are_created_listed_and_revoked(dravo, sandbox):
    created = dravo.api_keys.create(name="ci")
    assert isinstance(created, ApiKeyCreated) and created.key.startswith("dra_test_") and created.mode == "test"
    assert created.id in {key.id for key in dravo.api_keys.list()}
    assert dravo.api_keys.get(created.id).name == "ci"
    assert Dravo(sandbox, created.key).whoami().mode == "test"
    dravo.api_keys.revoke(created.id)
    with pytest.raises(errors.AuthenticationError):
        Dravo(sandbox, created.key, max_retries=0).whoami()


def test_the_calendar_feed_is_read_with_its_token_until_the_token_is_deleted(dravo, sandbox):
    token = dravo.calendar.create_token()
    assert token.token and token.url
    assert "BEGIN:VCALENDAR" in dravo.calendar.feed(token.token)
    dravo.calendar.delete_token()
    with pytest.raises(errors.DravoError) as raised:
        dravo.calendar.feed(token.token)
    assert raised.value.status_code in {401, 403, 404}


def test_a_scheduled_post_is_canceled_a_draft_deleted_and_a_failed_one_retried(dravo, workspace, eager_tasks):
    account = sandbox_account(workspace)
    later = datetime.now(UTC) + timedelta(days=3)
    scheduled = dravo.posts.create(text="later", account_ids=[account.pk], scheduled_at=later)
    assert scheduled.status == "scheduled"
    assert dravo.posts.cancel(scheduled.id).status == "canceled"
    draft = dravo.posts.create(text="draft", account_ids=[account.pk], draft=True)
    dravo.posts.delete(draft.id)
    with pytest.raises(errors.NotFound):
        dravo.posts.get(draft.id)
    refusing = sandbox_account(workspace, behavior="rejects")
    failed = dravo.posts.create(text="no", account_ids=[refusing.pk])
    assert dravo.posts.get(failed.id).status == "failed"
    assert dravo.posts.retry(failed.id).id == failed.id
    with pytest.raises(errors.DravoError):
        dravo.posts.retry(scheduled.id)


def test_the_legacy_routes_show_posts_as_jobs(dravo, workspace):
    account = sandbox_account(workspace)
    later = (datetime.now(UTC) + timedelta(days=2)).isoformat()
    accepted = dravo.legacy.create(text="legacy", account_ids=[account.pk], scheduled_at=later)
    assert isinstance(accepted, JobAccepted) and accepted.job_id
    job = dravo.legacy.get(accepted.job_id)
    assert isinstance(job, Job) and job.text == "legacy"
    assert [j.job_id for j in dravo.legacy.list()] == [accepted.job_id]
    assert dravo.legacy.cancel(accepted.job_id).status == "canceled"


def test_analytics_of_a_published_post_and_of_its_account(dravo, workspace, eager_tasks):
    account = sandbox_account(workspace)
    accepted = dravo.posts.create(text="measured", account_ids=[account.pk])
    items = list(dravo.analytics.posts(post_id=accepted.id))
    assert [(i.post_id, i.account_id) for i in items] == [(accepted.id, account.pk)]
    page = dravo.analytics.posts_page(limit=1)
    assert page.total == 1 and page.overview.posts == 1
    per_account = list(dravo.analytics.accounts(account_id=account.pk))
    assert [a.account_id for a in per_account] == [account.pk]


def test_a_byok_account_is_connected_refreshed_and_disconnected(dravo):
    created = dravo.accounts.connect(provider="x", platform_account_id="1890123456",
                                     credentials={"access_token": "sdk-token-1", "refresh_token": "sdk-refresh-1"})
    assert created.id.startswith("acc_") and created.health == "active"
    assert dravo.accounts.refresh(created.id).health == "active"
    dravo.accounts.disconnect(created.id)
    assert dravo.accounts.get(created.id).health == "disconnected"


def test_a_refused_byok_token_names_the_credentials(dravo):
    with pytest.raises(errors.ValidationError) as raised:
        dravo.accounts.connect(provider="x", platform_account_id="1890123456",
                               credentials={"access_token": "invalid-token"})
    assert any((item.attr or "").startswith("credentials") for item in raised.value.errors)


def test_a_connect_link_and_the_import_template(dravo):
    link = dravo.accounts.connect_link(provider="mastodon")
    assert link.url and link.expires_at
    assert dravo.posts.import_template().splitlines()[0].startswith("text,")


def test_a_dashboard_user_gets_and_refreshes_a_token(dravo, workspace):
    user = factories.make_user(workspace, password="s3cret-pass!")
    pair = dravo.auth.token(username=user.username, password="s3cret-pass!", mode="test")
    assert pair.access and pair.refresh and pair.mode == "test"
    assert dravo.auth.refresh(pair.refresh).access
