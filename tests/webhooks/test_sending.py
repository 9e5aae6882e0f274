"""Retries with backoff, 410 and five failing days disabling an endpoint, redelivery with
the same id, the address guard on every send, and the sweep that sends what a lost
message left behind."""

from datetime import timedelta

import pytest
from django.utils import timezone

from webhooks.models import Endpoint, EventDelivery
from webhooks.services.sending import webhook_deliveries_dispatch_due

pytestmark = [pytest.mark.django_db(transaction=True)]


def send_test(api_client, hook):
    response = api_client.post(f"/v1/webhooks/{hook['id']}/test")
    assert response.status_code == 202
    return EventDelivery.objects.get(pk=response.json()["delivery_id"])


def due_now(delivery):
    EventDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())


def test_a_failed_answer_is_retried_on_the_schedule_with_the_same_id(api_client, eager_tasks, hook, receiver,
                                                                     settings):
    receiver.statuses = [500, 503]
    delivery = send_test(api_client, hook)
    delivery.refresh_from_db()
    assert delivery.status == "pending" and delivery.attempts == 1 and delivery.last_status_code == 500
    wait = (delivery.next_attempt_at - timezone.now()).total_seconds()
    assert 5 * 0.9 - 1 <= wait <= 5 * 1.1  # the first step, ±10 %
    assert webhook_deliveries_dispatch_due() == 0  # not due yet
    due_now(delivery)
    assert webhook_deliveries_dispatch_due() == 1
    delivery.refresh_from_db()
    assert delivery.attempts == 2 and delivery.last_status_code == 503
    assert 300 * 0.9 - 1 <= (delivery.next_attempt_at - timezone.now()).total_seconds() <= 300 * 1.1
    due_now(delivery)
    webhook_deliveries_dispatch_due()
    delivery.refresh_from_db()
    assert delivery.status == "succeeded" and delivery.attempts == 3 and delivery.delivered_at
    ids = {r.headers["webhook-id"] for r in receiver.received}
    assert len(receiver.received) == 3 and ids == {delivery.event_id}  # one id: consumers drop duplicates
    assert all(r.verified for r in receiver.received)  # re-signed on every attempt, still valid
    assert Endpoint.objects.get(pk=hook["id"]).failing_since is None  # a success ends the streak


def test_retries_end_in_failed_once_the_schedule_is_spent(api_client, eager_tasks, hook, receiver, settings):
    settings.WEBHOOK_RETRY_SCHEDULE = [5, 60]
    receiver.statuses = [500, 500, 500, 500]
    delivery = send_test(api_client, hook)
    for _ in range(2):
        due_now(delivery)
        webhook_deliveries_dispatch_due()
    delivery.refresh_from_db()
    assert delivery.status == "failed" and delivery.attempts == 3 and delivery.next_attempt_at is None
    assert delivery.last_error == "HTTP 500"
    assert Endpoint.objects.get(pk=hook["id"]).enabled  # failing, not yet for five days


def test_a_slow_endpoint_counts_as_failed_after_the_timeout(api_client, eager_tasks, hook, receiver, settings):
    settings.WEBHOOK_TIMEOUT = 0.2
    import time

    from tests.webhooks import receiver as receiver_module

    original = receiver_module.Receiver.verify

    def slow(self, body, headers):
        time.sleep(0.6)
        return original(self, body, headers)

    receiver_module.Receiver.verify = slow
    try:
        delivery = send_test(api_client, hook)
    finally:
        receiver_module.Receiver.verify = original
    delivery.refresh_from_db()
    assert delivery.status == "pending" and delivery.last_status_code is None
    assert delivery.last_error.startswith("No answer")


def test_410_gone_disables_the_endpoint_at_once(api_client, eager_tasks, hook, receiver):
    receiver.statuses = [410]
    delivery = send_test(api_client, hook)
    delivery.refresh_from_db()
    endpoint = Endpoint.objects.get(pk=hook["id"])
    assert delivery.status == "failed" and not endpoint.enabled and "410" in endpoint.disabled_reason
    shown = api_client.get(f"/v1/webhooks/{hook['id']}").json()
    assert shown["enabled"] is False and "410" in shown["disabled_reason"]


def test_five_days_of_failures_disable_the_endpoint(api_client, eager_tasks, hook, receiver):
    receiver.statuses = [500, 500]
    delivery = send_test(api_client, hook)
    Endpoint.objects.filter(pk=hook["id"]).update(failing_since=timezone.now() - timedelta(days=5, minutes=1))
    due_now(delivery)
    webhook_deliveries_dispatch_due()
    endpoint = Endpoint.objects.get(pk=hook["id"])
    assert not endpoint.enabled and "5 days" in endpoint.disabled_reason
    assert EventDelivery.objects.get(pk=delivery.pk).status == "failed"
    enabled = api_client.patch(f"/v1/webhooks/{hook['id']}", {"enabled": True}, format="json").json()
    assert enabled["enabled"] is True and enabled["disabled_reason"] == "" and enabled["failing_since"] is None


def test_redelivery_sends_the_same_event_again(api_client, eager_tasks, hook, receiver, settings):
    settings.WEBHOOK_RETRY_SCHEDULE = []
    receiver.statuses = [500]
    delivery = send_test(api_client, hook)
    assert EventDelivery.objects.get(pk=delivery.pk).status == "failed"
    response = api_client.post(f"/v1/webhooks/{hook['id']}/deliveries/{delivery.pk}/redeliver")
    assert response.status_code == 202
    delivery.refresh_from_db()
    assert delivery.status == "succeeded" and delivery.attempts == 1
    first, second = receiver.wait_for(2)
    assert first.headers["webhook-id"] == second.headers["webhook-id"] and first.body == second.body
    missing = api_client.post(f"/v1/webhooks/{hook['id']}/deliveries/whd_nope/redeliver")
    assert missing.status_code == 404


def test_an_address_that_turned_private_is_refused_at_send_time(api_client, eager_tasks, hook, receiver, settings):
    settings.WEBHOOK_ALLOWED_HOSTS = []  # 127.0.0.1 is no longer let through: as if DNS now pointed inside
    delivery = send_test(api_client, hook)
    delivery.refresh_from_db()
    assert receiver.received == [] and delivery.status == "pending"
    assert "refused" in delivery.last_error


def test_no_redirect_is_followed(api_client, eager_tasks, hook, receiver):
    receiver.statuses = [302]
    delivery = send_test(api_client, hook)
    delivery.refresh_from_db()
    assert delivery.last_status_code == 302 and delivery.status == "pending" and len(receiver.received) == 1


def test_the_sweep_sends_what_a_lost_message_left_behind(api_client, hook, receiver, settings):
    # Tasks are not eager here: the message after commit goes to a broker nobody reads.
    delivery = send_test(api_client, hook)
    assert receiver.received == []
    EventDelivery.objects.filter(pk=delivery.pk).update(
        dispatched_at=timezone.now() - timedelta(seconds=settings.WEBHOOK_REDISPATCH_SECONDS + 1)
    )
    from dravo.celery import app

    app.conf.task_always_eager = True
    try:
        assert webhook_deliveries_dispatch_due() == 1
    finally:
        app.conf.task_always_eager = False
    assert EventDelivery.objects.get(pk=delivery.pk).status == "succeeded" and len(receiver.received) == 1


def test_the_delivery_log_pages_newest_first(api_client, eager_tasks, hook, receiver):
    made = [send_test(api_client, hook).pk for _ in range(3)]
    page = api_client.get(f"/v1/webhooks/{hook['id']}/deliveries?limit=2").json()
    assert [d["id"] for d in page["items"]] == made[::-1][:2] and page["next_cursor"]
    rest = api_client.get(f"/v1/webhooks/{hook['id']}/deliveries?limit=2&cursor={page['next_cursor']}").json()
    assert [d["id"] for d in rest["items"]] == made[:1] and rest["next_cursor"] is None
    bad = api_client.get(f"/v1/webhooks/{hook['id']}/deliveries?status=lost")
    assert bad.status_code == 400 and bad.json()["errors"][0]["attr"] == "status"
