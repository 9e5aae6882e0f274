"""Queues: an account's weekly slots (PUT/GET /v1/accounts/{id}/queue), posts sent with
`queue: true` taking the earliest slot free on every account (under concurrency too), a
canceled post freeing its slot, and the shuffle filling the gaps."""

import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.utils import timezone

from publishing import services
from publishing.models import Post, QueueSlot
from publishing.services.queue import DAYS
from tests import factories

pytestmark = pytest.mark.django_db

NEW_YORK = ZoneInfo("America/New_York")


def upcoming(zone: ZoneInfo, count: int, times=("09:00", "15:00")) -> list[tuple[dict, datetime]]:
    """The next `count` slot instants of daily slots at `times` (each a slot of one weekday
    so the test names the days), from tomorrow on: [(slot, instant)]."""
    found = []
    day = (timezone.now() + timedelta(days=1)).astimezone(zone).date()
    while len(found) < count:
        for wall in times:
            at = datetime.combine(day, datetime.strptime(wall, "%H:%M").time(), tzinfo=zone)
            found.append(({"day": DAYS[day.weekday()], "time": wall}, at))
        day += timedelta(days=1)
    return found[:count]


def set_queue(api_client, account, slots, zone="America/New_York"):
    response = api_client.put(f"/v1/accounts/{account.pk}/queue", {"time_zone": zone, "slots": slots}, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def queue_post(api_client, accounts, text="queued"):
    body = {"account_ids": [a.pk for a in accounts], "text": text, "queue": True}
    return api_client.post("/v1/posts", body, format="json")


def when(response) -> datetime:
    assert response.status_code == 202, response.content
    return datetime.fromisoformat(response.json()["scheduled_at"])


def errors(response, status=400):
    assert response.status_code == status, response.content
    return {e["attr"]: e["code"] for e in response.json()["errors"]}


@pytest.fixture
def account(workspace):
    return factories.make_account(workspace, provider="x", handle="@queued")


@pytest.fixture
def other(workspace):
    return factories.make_account(workspace, provider="bluesky", handle="other.bsky.social")


# --- the slots ---------------------------------------------------------------------------------
def test_an_account_has_no_slots_until_set_and_they_read_back_in_week_order(api_client, account):
    assert api_client.get(f"/v1/accounts/{account.pk}/queue").json()["slots"] == []
    body = set_queue(api_client, account, [{"day": "wed", "time": "09:00"}, {"day": "mon", "time": "17:30"}])
    assert body["slots"] == [{"day": "mon", "time": "17:30"}, {"day": "wed", "time": "09:00"}]
    read = api_client.get(f"/v1/accounts/{account.pk}/queue").json()
    assert read == {"account_id": account.pk, "time_zone": "America/New_York", "slots": body["slots"]}


@pytest.mark.parametrize(
    ("body", "attr"),
    [
        ({"time_zone": "Mars/Olympus", "slots": []}, "time_zone"),
        ({"time_zone": "UTC", "slots": [{"day": "monday", "time": "09:00"}]}, "slots.0.day"),
        (
            {"time_zone": "UTC", "slots": [{"day": "mon", "time": "09:00"}, {"day": "tue", "time": "9am"}]},
            "slots.1.time",
        ),
        ({"time_zone": "UTC", "slots": [{"day": "mon", "time": "24:00"}]}, "slots.0.time"),
        ({"time_zone": "UTC", "slots": [{"day": "mon", "time": "09:00"}, {"day": "mon", "time": "09:00"}]}, "slots"),
        ({"time_zone": "UTC", "slots": "mon 09:00"}, "slots.non_field_errors"),
    ],
)
def test_bad_slots_are_a_400_naming_the_field(api_client, account, body, attr):
    response = api_client.put(f"/v1/accounts/{account.pk}/queue", body, format="json")
    assert attr in errors(response)
    assert api_client.get(f"/v1/accounts/{account.pk}/queue").json()["slots"] == []


def test_another_workspaces_account_has_no_queue_here(api_client):
    theirs = factories.make_account(factories.make_workspace(), provider="x", handle="@theirs")
    assert api_client.get(f"/v1/accounts/{theirs.pk}/queue").status_code == 404
    response = api_client.put(f"/v1/accounts/{theirs.pk}/queue", {"time_zone": "UTC", "slots": []}, format="json")
    assert response.status_code == 404


# --- queued posts ------------------------------------------------------------------------------
def test_queued_posts_take_the_earliest_free_slots_in_turn(api_client, account):
    slots = upcoming(NEW_YORK, 3)
    set_queue(api_client, account, [slot for slot, _ in slots])
    first, second, third = (when(queue_post(api_client, [account], f"post {n}")) for n in range(3))
    assert [first, second, third] == [at for _, at in slots]
    post = Post.objects.get(text="post 0")
    assert post.status == "scheduled" and post.deliveries.count() == 1
    assert api_client.get(f"/v1/posts/{post.pk}").json()["scheduled_at"] == response_time(first)


def response_time(at: datetime) -> str:
    return at.astimezone(ZoneInfo("UTC")).isoformat().replace("+00:00", "Z")


def test_a_post_to_several_accounts_takes_a_slot_they_share_and_free_on_each(api_client, account, other):
    slots = upcoming(NEW_YORK, 4)
    set_queue(api_client, account, [slot for slot, _ in slots])
    set_queue(api_client, other, [slot for slot, _ in slots[1:]])  # not the first one
    assert when(queue_post(api_client, [other])) == slots[1][1]  # other's first is taken now
    assert when(queue_post(api_client, [account, other])) == slots[2][1]
    assert when(queue_post(api_client, [account])) == slots[0][1]


def test_slots_are_local_times_of_the_queues_zone(api_client, account):
    paris = ZoneInfo("Europe/Paris")
    [(slot, at)] = upcoming(paris, 1)
    set_queue(api_client, account, [slot], zone="Europe/Paris")
    placed = when(queue_post(api_client, [account]))
    assert placed == at and placed.astimezone(paris).strftime("%H:%M") == slot["time"]


def test_no_slots_or_no_shared_free_slot_is_a_400_naming_queue(api_client, account, other):
    assert errors(queue_post(api_client, [account])) == {"queue": "no_slots"}
    slots = upcoming(NEW_YORK, 2)
    set_queue(api_client, account, [slots[0][0]])
    set_queue(api_client, other, [slots[1][0]])
    assert errors(queue_post(api_client, [account, other])) == {"queue": "queue_full"}
    assert not Post.objects.exists()
    report = api_client.post(
        "/v1/posts/validate", {"account_ids": [account.pk, other.pk], "text": "hi", "queue": True}, format="json"
    ).json()
    assert report["valid"] is False and [e["attr"] for e in report["errors"]] == ["queue"]


def test_queue_is_instead_of_a_time_and_not_for_drafts(api_client, account):
    set_queue(api_client, account, [slot for slot, _ in upcoming(NEW_YORK, 1)])
    later = (timezone.now() + timedelta(days=2)).isoformat()
    body = {"account_ids": [account.pk], "text": "x", "queue": True, "scheduled_at": later}
    assert errors(api_client.post("/v1/posts", body, format="json")) == {"queue": "conflict"}
    draft = {"account_ids": [account.pk], "text": "x", "queue": True, "draft": True}
    assert errors(api_client.post("/v1/posts", draft, format="json")) == {"queue": "not_supported"}


def test_a_canceled_post_frees_its_slot_and_an_edited_time_leaves_the_queue(api_client, account):
    slots = upcoming(NEW_YORK, 2)
    set_queue(api_client, account, [slot for slot, _ in slots])
    first = queue_post(api_client, [account], "first").json()["id"]
    assert api_client.post(f"/v1/posts/{first}/cancel").status_code == 200
    assert not QueueSlot.objects.filter(post_id=first).exists()
    second = queue_post(api_client, [account], "second")
    assert when(second) == slots[0][1]
    moved = (timezone.now() + timedelta(days=20)).isoformat()
    edited = api_client.patch(f"/v1/posts/{second.json()['id']}", {"scheduled_at": moved}, format="json")
    assert edited.status_code == 200, edited.content
    assert when(queue_post(api_client, [account], "third")) == slots[0][1]


def test_shuffle_re_spreads_the_queued_posts_over_the_earliest_slots(api_client, account):
    slots = upcoming(NEW_YORK, 4)
    set_queue(api_client, account, [slot for slot, _ in slots])
    ids = [queue_post(api_client, [account], f"post {n}").json()["id"] for n in range(4)]
    api_client.post(f"/v1/posts/{ids[0]}/cancel")
    api_client.post(f"/v1/posts/{ids[2]}/cancel")
    response = api_client.post(f"/v1/accounts/{account.pk}/queue/shuffle")
    assert response.status_code == 200, response.content
    moved = response.json()["posts"]
    assert sorted(p["id"] for p in moved) == sorted([ids[1], ids[3]])
    assert [datetime.fromisoformat(p["scheduled_at"]) for p in moved] == [slots[0][1], slots[1][1]]
    for post in Post.objects.filter(pk__in=[ids[1], ids[3]]):
        assert post.revision == 2 and QueueSlot.objects.get(post=post).at == post.scheduled_at
    assert when(queue_post(api_client, [account], "next")) == slots[2][1]


@pytest.mark.django_db(transaction=True)
def test_posts_queued_at_the_same_moment_never_share_a_slot(workspace, account):
    from publishing.services.queue import queue_set

    slots = upcoming(NEW_YORK, 8)
    queue_set(account=account, time_zone="America/New_York", slots=[slot for slot, _ in slots])
    count = 6
    barrier, placed, failures = threading.Barrier(count), [], []

    def queue_one(number: int):
        barrier.wait()
        try:
            post = services.post_create(
                workspace=workspace, mode="test", account_ids=[account.pk], text=f"race {number}", queue=True
            )
            placed.append(post.scheduled_at)
        except Exception as exc:  # noqa: BLE001 - any failure fails the test below
            failures.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=queue_one, args=(n,)) for n in range(count)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert failures == []
    assert sorted(placed) == [at for _, at in slots[:count]]
    stored = sorted(Post.objects.values_list("scheduled_at", flat=True))
    assert stored == [at for _, at in slots[:count]]
