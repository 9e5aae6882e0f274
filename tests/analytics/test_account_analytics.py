"""Account analytics: GET /v1/analytics/accounts gives each account's numbers per day (its
network's names and the normalized followers/reach/engagement), refreshes today's from
the network when missing or stale, and its best hours of the week from its posts'
engagement; Beat refreshes what is due; the dashboard shows followers and a heat map."""

from datetime import timedelta

import pytest
from django.utils import timezone

from analytics import account_services
from analytics.models import AccountMetrics, PostMetrics
from analytics.tasks import refresh_account_metrics_due_task
from publishing.models import Delivery
from tests import factories

pytestmark = pytest.mark.django_db


def day_row(account, days_ago: int, metrics: dict, **fields) -> AccountMetrics:
    now = timezone.now()
    return AccountMetrics.objects.create(
        account=account, workspace=account.workspace, mode=account.mode, provider=account.provider,
        day=(now - timedelta(days=days_ago)).date(), metrics=metrics, sync_status="synced",
        last_updated_at=now - timedelta(days=days_ago), **fields,
    )  # fmt: skip


def published(workspace, account, at, likes: int) -> None:
    post = factories.make_post(workspace, [account], text=f"past {at.isoformat()}")
    delivery = post.deliveries.get()
    Delivery.objects.filter(pk=delivery.pk).update(status="published", published_at=at)
    PostMetrics.objects.create(
        delivery=delivery, workspace=workspace, mode="test", provider=account.provider, sync_status="synced",
        metrics={"like_count": likes, "reply_count": 0, "retweet_count": 0, "impression_count": 10},
        last_updated_at=timezone.now(), stale_after=timezone.now() + timedelta(hours=1),
    )  # fmt: skip


def test_each_account_s_days_and_best_times_are_listed(api_client, workspace):
    account = factories.make_account(workspace, provider="x", handle="@acme")
    for days_ago, followers in ((2, 100), (1, 104), (0, 110)):
        day_row(account, days_ago, {"followers_count": followers})
    now = timezone.now()
    tuesday_3pm = (now - timedelta(days=(now.weekday() - 1) % 7 or 7)).replace(hour=15, minute=0)
    published(workspace, account, tuesday_3pm, likes=40)
    published(workspace, account, tuesday_3pm - timedelta(days=1, hours=3), likes=4)

    body = api_client.get("/v1/analytics/accounts").json()
    assert body["next_cursor"] is None and len(body["data"]) == 1
    entry = body["data"][0]
    assert (entry["account_id"], entry["provider"], entry["handle"]) == (account.pk, "x", "@acme")
    assert entry["sync_status"] == "synced" and entry["error"] is None
    assert [d["metrics"]["followers_count"] for d in entry["days"]] == [100, 104, 110]
    assert set(entry["days"][0]) == {"date", "followers", "reach", "engagement", "metrics", "sync_status"}
    best = entry["best_times"]
    assert best["time_zone"] == "UTC" and best["posts"] == 2
    assert best["hours"][0] == {"day": "tue", "hour": 15, "score": round(40 / 22, 2)}


def test_filters_and_days_and_pages(api_client, workspace):
    first = factories.make_account(workspace, provider="x", handle="@a")
    second = factories.make_account(workspace, provider="mastodon", handle="@b")
    for account in (first, second):
        day_row(account, 0, {"n": 1})
        day_row(account, 10, {"n": 0})
    other = factories.make_account(factories.make_workspace(), provider="x", handle="@theirs")
    day_row(other, 0, {"n": 9})

    ids = [e["account_id"] for e in api_client.get("/v1/analytics/accounts").json()["data"]]
    assert sorted(ids) == sorted([first.pk, second.pk])  # never another workspace's
    only = api_client.get("/v1/analytics/accounts", {"provider": "mastodon"}).json()["data"]
    assert [e["account_id"] for e in only] == [second.pk]
    recent = api_client.get("/v1/analytics/accounts", {"account_id": first.pk}).json()["data"][0]
    assert len(recent["days"]) == 2  # the last 30 days by default
    today = timezone.now().date()
    window = {"account_id": first.pk, "from": (today - timedelta(days=3)).isoformat(), "to": today.isoformat()}
    assert len(api_client.get("/v1/analytics/accounts", window).json()["data"][0]["days"]) == 1

    page = api_client.get("/v1/analytics/accounts", {"limit": 1}).json()
    rest = api_client.get("/v1/analytics/accounts", {"limit": 1, "cursor": page["next_cursor"]}).json()
    assert page["next_cursor"] and rest["next_cursor"] is None
    assert {page["data"][0]["account_id"], rest["data"][0]["account_id"]} == {first.pk, second.pk}


@pytest.mark.parametrize(
    "params, attr",
    [
        ({"from": "2027-01-10", "to": "2027-01-04"}, "from"),
        ({"from": "2020-01-01", "to": "2027-01-04"}, "from"),
        ({"from": "yesterday"}, "from"),
        ({"provider": "myspace"}, "provider"),
        ({"limit": 0}, "limit"),
    ],
)
def test_bad_filters_are_a_400_naming_the_field(api_client, workspace, params, attr):
    response = api_client.get("/v1/analytics/accounts", params)
    assert response.status_code == 400 and response.json()["errors"][0]["attr"] == attr


def test_an_account_to_reconnect_is_not_asked_and_says_so(api_client, workspace):
    account = factories.make_account(workspace, provider="x", handle="@gone", health="requires_reconnect")
    entry = api_client.get("/v1/analytics/accounts").json()["data"][0]
    assert entry["sync_status"] == "requires_reconnect" and "reconnect" in entry["error"]
    assert not AccountMetrics.objects.filter(account=account).exists()


@pytest.mark.django_db(transaction=True)
def test_beat_refreshes_only_the_accounts_whose_numbers_are_due(sandbox, workspace, eager_tasks):
    fresh = factories.make_account(workspace, provider="x", handle="@fresh")
    day_row(fresh, 0, {"followers_count": 5})
    stale = factories.make_account(workspace, provider="x", handle="@stale")
    AccountMetrics.objects.create(
        account=stale, workspace=workspace, mode="test", provider="x", day=timezone.now().date(),
        metrics={"followers_count": 1}, sync_status="synced", last_updated_at=timezone.now() - timedelta(hours=7),
    )  # fmt: skip
    missing = factories.make_account(workspace, provider="x", handle="@missing")
    factories.make_account(workspace, provider="x", handle="@off", health="disconnected")
    assert account_services.account_metrics_due() == sorted([stale.pk, missing.pk])
    refresh_account_metrics_due_task()
    refreshed = AccountMetrics.objects.filter(account__in=[stale, missing])
    assert len(refreshed) == 2
    for row in refreshed:  # read from the sandbox just now
        assert row.sync_status == "synced" and row.metrics["followers_count"] > 1
        assert row.last_updated_at > timezone.now() - timedelta(minutes=1)
    assert AccountMetrics.objects.get(account=fresh).metrics == {"followers_count": 5}  # not asked again


@pytest.mark.django_db(transaction=True)
def test_the_sandbox_s_numbers_are_read_on_a_read_and_kept_for_the_day(sandbox, api_client, workspace):
    accounts = [
        factories.make_account(workspace, provider="x", handle="@acme"),
        factories.make_account(workspace, provider="mastodon", handle="@acme@social.example"),
    ]
    first = {e["account_id"]: e for e in api_client.get("/v1/analytics/accounts").json()["data"]}
    for account in accounts:
        entry = first[account.pk]
        assert entry["sync_status"] == "synced", entry
        today = entry["days"][-1]
        assert today["followers"] > 0 and today["metrics"]
        assert today["date"] == timezone.now().date().isoformat()
    again = {e["account_id"]: e for e in api_client.get("/v1/analytics/accounts", {"refresh": "true"}).json()["data"]}
    assert [again[a.pk]["days"] for a in accounts] == [first[a.pk]["days"] for a in accounts]  # deterministic
    assert AccountMetrics.objects.count() == 2


def test_a_network_that_serves_an_account_nothing_reads_unsupported_never_zeros(api_client, workspace):
    member = factories.make_account(
        workspace,
        provider="linkedin",
        handle="pat",
        credentials={"access_token": "tok-1", "author_urn": "urn:li:person:7"},
    )
    entry = api_client.get("/v1/analytics/accounts").json()["data"][0]
    assert (entry["account_id"], entry["sync_status"]) == (member.pk, "unsupported")
    assert entry["error"] and entry["days"][-1]["metrics"] == {}
    assert (entry["days"][-1]["followers"], entry["days"][-1]["reach"]) == (None, None)
