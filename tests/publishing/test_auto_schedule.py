"""Auto-scheduling: `auto_schedule: {"from", "to", "time_zone"}` on POST /v1/posts takes the
whole hour of the window where the accounts' audience engages most, from their own
history once they have enough of it, else from their networks' usual best hours; never
two auto-scheduled posts on one account in the same hour."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from analytics.models import PostMetrics
from publishing.models import Delivery, Post
from publishing.services import autoschedule
from tests import factories

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def next_week() -> tuple[date, date]:
    """Monday to Sunday of a whole week at least a week ahead."""
    today = timezone.now().date()
    monday = today + timedelta(days=7 + (7 - today.weekday()) % 7)
    return monday, monday + timedelta(days=6)


def create(api_client, account_ids, **window):
    monday, sunday = next_week()
    body = {"from": monday.isoformat(), "to": sunday.isoformat(), **window}
    return api_client.post(
        "/v1/posts", {"account_ids": account_ids, "text": "auto", "auto_schedule": body}, format="json"
    )


def test_without_history_the_network_s_usual_best_hour_is_taken_and_said(api_client, workspace):
    account = factories.make_account(workspace, provider="linkedin", handle="acme-corp")
    response = create(api_client, [account.pk], time_zone="Europe/Paris")
    assert response.status_code == 202, response.content
    at = datetime.fromisoformat(response.json()["scheduled_at"]).astimezone(PARIS)
    # The best of its network's hours: Tuesday 08:00 in the window's zone.
    assert (at.strftime("%a %H:%M"), at.date()) == ("Tue 08:00", next_week()[0] + timedelta(days=1))
    reason = response.json()["schedule_reason"]
    assert "LinkedIn" in reason and "little history" in reason and "Europe/Paris" in reason
    post = api_client.get(f"/v1/posts/{response.json()['id']}").json()
    assert post["schedule_reason"] == reason and post["status"] == "scheduled"


def test_two_posts_never_share_an_account_s_hour_and_canceling_frees_it(api_client, workspace):
    account = factories.make_account(workspace, provider="linkedin", handle="acme-corp")
    first = create(api_client, [account.pk], time_zone="Europe/Paris").json()
    second = create(api_client, [account.pk], time_zone="Europe/Paris").json()
    at = [datetime.fromisoformat(p["scheduled_at"]).astimezone(PARIS).strftime("%a %H:%M") for p in (first, second)]
    assert at == ["Tue 08:00", "Wed 08:00"]  # the next best hour
    other = factories.make_account(workspace, provider="linkedin", handle="other-corp")
    assert create(api_client, [other.pk], time_zone="Europe/Paris").json()["scheduled_at"] == first["scheduled_at"]

    assert api_client.post(f"/v1/posts/{first['id']}/cancel").status_code == 200
    third = create(api_client, [account.pk], time_zone="Europe/Paris").json()
    assert third["scheduled_at"] == first["scheduled_at"]


def published_with_engagement(workspace, account, at: datetime, likes: int) -> None:
    post = factories.make_post(workspace, [account], text=f"past {at.isoformat()}")
    delivery = post.deliveries.get()
    Delivery.objects.filter(pk=delivery.pk).update(status="published", published_at=at)
    PostMetrics.objects.create(
        delivery=delivery, workspace=workspace, mode="test", provider="x", sync_status="synced",
        metrics={"impression_count": 1000, "like_count": likes, "reply_count": 0, "retweet_count": 0},
    )  # fmt: skip


def test_with_enough_history_the_account_s_own_best_hour_wins(api_client, workspace):
    account = factories.make_account(workspace, provider="x", handle="@acme")
    now = timezone.now()
    last_friday = (now - timedelta(days=(now.weekday() - 4) % 7 or 7)).replace(hour=15, minute=0, second=0)
    for week in range(4):  # Fridays at 15:00 UTC engage far more than the rest
        published_with_engagement(workspace, account, last_friday - timedelta(weeks=week), likes=90)
    for n in range(8):
        published_with_engagement(workspace, account, last_friday - timedelta(days=n + 1, hours=6), likes=3)
    assert autoschedule._engagement_readers  # analytics hands its reader in at start-up

    response = create(api_client, [account.pk])
    at = datetime.fromisoformat(response.json()["scheduled_at"]).astimezone(UTC)
    assert (at.strftime("%a %H:%M"), at.date()) == ("Fri 15:00", next_week()[0] + timedelta(days=4))
    assert "12 past posts of 1 account" in response.json()["schedule_reason"]


def test_with_too_little_history_the_network_hours_still_decide(api_client, workspace):
    account = factories.make_account(workspace, provider="x", handle="@acme")
    now = timezone.now()
    for n in range(autoschedule.MIN_HISTORY - 1):
        published_with_engagement(workspace, account, now - timedelta(days=n + 1, hours=n), likes=50)
    response = create(api_client, [account.pk], time_zone="Europe/Paris")
    at = datetime.fromisoformat(response.json()["scheduled_at"]).astimezone(PARIS)
    assert at.strftime("%a %H:%M") == "Tue 09:00"  # the default best hours' first
    assert "little history" in response.json()["schedule_reason"]


@pytest.mark.parametrize(
    "window, extra, attr",
    [
        ({"from": "2027-01-10", "to": "2027-01-04"}, {}, "auto_schedule.to"),
        ({"from": "2027-01-04", "to": "2027-06-04"}, {}, "auto_schedule.to"),
        ({"from": "2020-01-04", "to": "2020-01-10"}, {}, "auto_schedule.to"),
        ({"from": "2027-01-04", "to": "2027-01-10", "time_zone": "Mars/Base"}, {}, "auto_schedule.time_zone"),
        ({"from": "soon", "to": "2027-01-10"}, {}, "auto_schedule.from"),
        ({"from": "2027-01-04", "to": "2027-01-10"}, {"queue": True}, "auto_schedule"),
        ({"from": "2027-01-04", "to": "2027-01-10"}, {"draft": True}, "auto_schedule"),
    ],
)
def test_a_window_dravo_cannot_use_is_a_400_naming_the_field(api_client, workspace, window, extra, attr):
    account = factories.make_account(workspace, provider="x", handle="@acme")
    body = {"account_ids": [account.pk], "text": "auto", "auto_schedule": window, **extra}
    response = api_client.post("/v1/posts", body, format="json")
    assert response.status_code == 400, response.content
    assert attr in {e["attr"] for e in response.json()["errors"]}
    assert not Post.objects.exists()


def test_validate_reports_a_window_in_the_past(api_client, workspace):
    account = factories.make_account(workspace, provider="x", handle="@acme")
    window = {"from": "2020-01-04", "to": "2020-01-10"}
    body = {"account_ids": [account.pk], "text": "auto", "auto_schedule": window}
    answer = api_client.post("/v1/posts/validate", body, format="json").json()
    assert answer["valid"] is False and answer["errors"][0]["attr"] == "auto_schedule.to"


def test_a_queue_shuffle_leaves_auto_scheduled_posts_where_they_are(api_client, workspace):
    account = factories.make_account(workspace, provider="linkedin", handle="acme-corp")
    slots = {"time_zone": "Europe/Paris", "slots": [{"day": d, "time": "07:00"} for d in ("mon", "tue", "wed")]}
    assert api_client.put(f"/v1/accounts/{account.pk}/queue", slots, format="json").status_code == 200
    auto = create(api_client, [account.pk], time_zone="Europe/Paris").json()
    queued = api_client.post("/v1/posts", {"account_ids": [account.pk], "text": "q", "queue": True}, format="json")
    assert queued.status_code == 202
    moved = api_client.post(f"/v1/accounts/{account.pk}/queue/shuffle").json()["posts"]
    assert [p["id"] for p in moved] == [queued.json()["id"]]
    assert Post.objects.get(pk=auto["id"]).scheduled_at == datetime.fromisoformat(auto["scheduled_at"])
