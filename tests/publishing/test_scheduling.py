import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from publishing import services
from publishing.models import Delivery, Post
from tests import factories


def scheduled_post(api_client, account, minutes=10):
    when = (timezone.now() + timedelta(minutes=minutes)).isoformat()
    response = api_client.post(
        "/v1/posts", {"account_ids": [account.pk], "text": "later", "scheduled_at": when}, format="json"
    )
    assert response.status_code == 202
    return Post.objects.get(pk=response.json()["id"])


def travel_to_due(post):
    Post.objects.filter(pk=post.pk).update(scheduled_at=timezone.now() - timedelta(seconds=1))


@pytest.fixture
def account(workspace):
    return factories.make_account(workspace)


@pytest.mark.django_db
def test_a_scheduled_post_waits_until_it_is_due(api_client, account, django_capture_on_commit_callbacks):
    post = scheduled_post(api_client, account)
    with django_capture_on_commit_callbacks() as callbacks:
        assert services.posts_release_due() == 0
    assert callbacks == []
    assert Post.objects.get(pk=post.pk).status == "scheduled"


@pytest.mark.django_db
def test_a_due_post_is_released_once_and_its_deliveries_queued(api_client, account, django_capture_on_commit_callbacks):
    post = scheduled_post(api_client, account)
    travel_to_due(post)
    with django_capture_on_commit_callbacks() as callbacks:
        assert services.posts_release_due() == 1
        assert services.posts_release_due() == 0
    assert len(callbacks) == 1  # one deliver_task for the one delivery
    post.refresh_from_db()
    assert post.status == "queued" and post.released_at is not None
    assert Delivery.objects.get(post=post).next_attempt_at is not None


@pytest.mark.django_db
def test_posts_due_while_dravo_was_down_are_released_when_it_comes_back(api_client, account):
    posts = [scheduled_post(api_client, account) for _ in range(3)]
    Post.objects.filter(pk__in=[p.pk for p in posts]).update(scheduled_at=timezone.now() - timedelta(hours=5))
    assert services.posts_release_due(batch=2) == 3
    assert set(Post.objects.values_list("status", flat=True)) == {"queued"}


@pytest.mark.django_db
def test_cancel_a_scheduled_post_then_again_then_a_queued_one(api_client, account):
    post = scheduled_post(api_client, account)
    first = api_client.post(f"/v1/posts/{post.pk}/cancel")
    assert first.status_code == 200 and first.json()["status"] == "canceled"
    again = api_client.post(f"/v1/posts/{post.pk}/cancel")
    assert again.status_code == 200 and again.json() == first.json()
    travel_to_due(post)
    assert services.posts_release_due() == 0  # a canceled post is never released
    queued = scheduled_post(api_client, account)
    travel_to_due(queued)
    services.posts_release_due()
    response = api_client.post(f"/v1/posts/{queued.pk}/cancel")
    assert response.status_code == 409 and response.json()["errors"][0]["code"] == "not_cancelable"


@pytest.mark.django_db
def test_cancel_of_unknown_or_foreign_post_is_404(api_client):
    other_ws = factories.make_workspace()
    other = factories.make_account(other_ws)
    foreign = Post.objects.create(
        workspace=other_ws, mode="test", text="x", status="scheduled", scheduled_at=timezone.now() + timedelta(hours=1)
    )
    Delivery.objects.create(post=foreign, account=other, provider="x")
    assert api_client.post("/v1/posts/post_doesnotexist/cancel").status_code == 404
    assert api_client.post(f"/v1/posts/{foreign.pk}/cancel").status_code == 404
    assert Post.objects.get(pk=foreign.pk).status == "scheduled"


def race_release_and_cancel(api_client, post) -> dict:
    outcome = {}
    barrier = threading.Barrier(2)

    def release():
        barrier.wait()
        outcome["released"] = services.posts_release_due()
        connection.close()

    def cancel():
        barrier.wait()
        outcome["cancel"] = api_client.post(f"/v1/posts/{post.pk}/cancel").status_code
        connection.close()

    threads = [threading.Thread(target=release), threading.Thread(target=cancel)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    return outcome


@pytest.mark.django_db(transaction=True)
def test_cancel_racing_release_has_exactly_one_winner(api_client, account):
    for _ in range(10):
        post = scheduled_post(api_client, account)
        travel_to_due(post)
        outcome = race_release_and_cancel(api_client, post)
        final = Post.objects.get(pk=post.pk).status
        if outcome["cancel"] == 200:
            assert final == "canceled" and outcome["released"] == 0
        else:
            assert outcome["cancel"] == 409 and final == "queued" and outcome["released"] == 1


@pytest.mark.django_db(transaction=True)
def test_two_schedulers_never_release_one_post_twice(api_client, account):
    posts = [scheduled_post(api_client, account) for _ in range(30)]
    Post.objects.filter(pk__in=[p.pk for p in posts]).update(scheduled_at=timezone.now() - timedelta(seconds=5))
    counts = []
    barrier = threading.Barrier(3)

    def release():
        barrier.wait()
        counts.append(services.posts_release_due(batch=5))
        connection.close()

    threads = [threading.Thread(target=release) for _ in range(3)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert sum(counts) == 30
    assert Post.objects.filter(status="queued").count() == 30


@pytest.mark.django_db
def test_a_lost_task_message_is_sent_again_by_the_dispatcher(
    api_client, account, settings, django_capture_on_commit_callbacks
):
    settings.REDISPATCH_SECONDS = 60
    response = api_client.post("/v1/posts", {"account_ids": [account.pk], "text": "now"}, format="json")
    services.post_fan_out(post_id=response.json()["id"])
    delivery = Delivery.objects.get(post_id=response.json()["id"])
    with django_capture_on_commit_callbacks() as callbacks:
        assert services.deliveries_dispatch_due() == 0  # its message is (presumably) in flight
    assert callbacks == []
    Delivery.objects.filter(pk=delivery.pk).update(dispatched_at=timezone.now() - timedelta(minutes=5))
    with django_capture_on_commit_callbacks() as callbacks:
        assert services.deliveries_dispatch_due() == 1
    assert len(callbacks) == 1


@pytest.mark.django_db
def test_a_lost_fan_out_message_is_redone_by_the_dispatcher_once(
    api_client, account, settings, django_capture_on_commit_callbacks
):
    settings.REDISPATCH_SECONDS = 60
    with django_capture_on_commit_callbacks():  # the fan-out message is lost: never run
        response = api_client.post("/v1/posts", {"account_ids": [account.pk], "text": "now"}, format="json")
    post_id = response.json()["id"]
    with django_capture_on_commit_callbacks() as callbacks:
        assert services.posts_fan_out_missed() == 0  # its message is (presumably) still in flight
    assert callbacks == [] and not Delivery.objects.exists()
    Post.objects.filter(pk=post_id).update(released_at=timezone.now() - timedelta(minutes=5))
    with django_capture_on_commit_callbacks() as callbacks:
        assert services.posts_fan_out_missed() == 1
        assert services.posts_fan_out_missed() == 0  # the post has its delivery now
    delivery = Delivery.objects.get(post_id=post_id)
    assert (delivery.account_id, delivery.status, delivery.next_attempt_at is not None) == (account.pk, "pending", True)
    assert len(callbacks) == 1  # one deliver_task, sent once


@pytest.mark.django_db
def test_a_broker_down_at_create_still_answers_202_and_the_dispatcher_fans_out_later(
    api_client, account, settings, django_capture_on_commit_callbacks
):
    from unittest import mock

    from kombu.exceptions import OperationalError

    from publishing.tasks import post_fan_out_task

    # Redis cannot be stopped under the test: the send fails as kombu fails on a refused connection.
    refused = OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
    settings.FANOUT_LINGER_MS = 0  # sent at commit (a batched send that fails: test_batching)
    with (
        mock.patch.object(post_fan_out_task, "delay", side_effect=refused) as send,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = api_client.post("/v1/posts", {"account_ids": [account.pk], "text": "now"}, format="json")
    assert send.call_count == 1
    assert response.status_code == 202
    post_id = response.json()["id"]
    assert Post.objects.get(pk=post_id).status == "queued" and not Delivery.objects.exists()
    settings.REDISPATCH_SECONDS = 0
    with django_capture_on_commit_callbacks() as callbacks:
        assert services.posts_fan_out_missed() == 1
    assert Delivery.objects.get(post_id=post_id).account_id == account.pk and len(callbacks) == 1


@pytest.mark.django_db
def test_posts_queued_together_go_in_one_fan_out_message(
    api_client, account, settings, django_capture_on_commit_callbacks
):
    import threading
    from unittest import mock

    from publishing.tasks import post_fan_out_task, posts_fan_out_task

    settings.FANOUT_LINGER_MS = 300
    sent = threading.Event()
    with (
        mock.patch.object(posts_fan_out_task, "delay", side_effect=lambda ids: sent.set()) as batch,
        mock.patch.object(post_fan_out_task, "delay") as single,
    ):
        with django_capture_on_commit_callbacks(execute=True):  # each create's commit, at the end
            ids = [
                api_client.post("/v1/posts", {"account_ids": [account.pk], "text": f"now {n}"}, format="json").json()[
                    "id"
                ]
                for n in range(3)
            ]
        assert not batch.called  # still lingering
        assert sent.wait(5)
    assert batch.call_args.args == (ids,) and not single.called
    # The worker's side: one post that cannot be fanned out does not hold back the others.
    with mock.patch("publishing.services.delivery.deliveries_enqueue"):
        with mock.patch(
            "publishing.services.delivery.post_fan_out",
            side_effect=[RuntimeError("db hiccup"), [1], [2]],
        ) as fan_out:
            posts_fan_out_task(ids)
    assert [c.kwargs["post_id"] for c in fan_out.call_args_list] == ids


@pytest.mark.django_db
def test_a_batch_makes_every_posts_deliveries(api_client, account, settings, django_capture_on_commit_callbacks):
    from publishing.tasks import posts_fan_out_task

    settings.FANOUT_LINGER_MS = 0
    ids = [
        api_client.post("/v1/posts", {"account_ids": [account.pk], "text": f"now {n}"}, format="json").json()["id"]
        for n in range(2)
    ]
    with django_capture_on_commit_callbacks() as callbacks:
        posts_fan_out_task(ids)
    assert sorted(Delivery.objects.values_list("post_id", flat=True)) == sorted(ids)
    assert len(callbacks) == 2  # each delivery's task, after commit


def test_a_burst_is_spread_over_messages_of_at_most_the_batch_maximum(monkeypatch):
    from unittest import mock

    from publishing.services import delivery
    from publishing.tasks import post_fan_out_task, posts_fan_out_task

    monkeypatch.setattr(delivery, "FAN_OUT_BATCH_MAX", 3)
    ids = [f"post_{n}" for n in range(7)]
    with (
        mock.patch.object(posts_fan_out_task, "delay") as batch,
        mock.patch.object(post_fan_out_task, "delay") as single,
    ):
        delivery._fan_out_send(ids)
    assert [c.args[0] for c in batch.call_args_list] == [ids[0:3], ids[3:6]]
    assert [c.args[0] for c in single.call_args_list] == [ids[6]]


@pytest.mark.django_db
def test_a_post_due_before_the_next_half_tick_gets_a_release_then(account):
    from unittest import mock

    from publishing.tasks import HALF_TICK_SECONDS, dispatch_due_task, release_due_task

    def ticks() -> list:
        with mock.patch.object(release_due_task, "apply_async") as later:
            dispatch_due_task()
        return [call.kwargs["countdown"] for call in later.call_args_list]

    far = services.post_create(workspace=account.workspace, mode="test", account_ids=[account.pk], text="far",
                               scheduled_at=timezone.now() + timedelta(minutes=5))
    assert ticks() == []  # nothing due soon: no extra release
    soon = services.post_create(workspace=account.workspace, mode="test", account_ids=[account.pk], text="soon",
                                scheduled_at=timezone.now() + timedelta(seconds=30))
    Post.objects.filter(pk=soon.pk).update(scheduled_at=timezone.now() + timedelta(seconds=HALF_TICK_SECONDS / 2))
    assert ticks() == [HALF_TICK_SECONDS]
    assert Post.objects.get(pk=soon.pk).status == Post.Status.SCHEDULED  # not yet due at the tick
    Post.objects.filter(pk=soon.pk).update(scheduled_at=timezone.now() - timedelta(milliseconds=1))
    release_due_task()  # half a tick later
    assert Post.objects.get(pk=soon.pk).status == Post.Status.QUEUED
    assert Post.objects.get(pk=far.pk).status == Post.Status.SCHEDULED
