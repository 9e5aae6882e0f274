"""Sending: one attempt of one event to one endpoint, signed as Standard Webhooks asks,
through the same address guard as media downloads, and the sweep that sends whatever a
lost message left behind.

An attempt claims its row with a lease (no transaction is held across the HTTP call), so
two workers never send one row at once; a worker that dies mid-call leaves a lease that
runs out, and the sweep sends the row again: at least once, with the same `webhook-id`,
so a consumer drops the duplicate.
"""

import json
import logging
import random
import time
from datetime import timedelta

import requests
from celery import shared_task
from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone
from requests_hardened import Config, HTTPSession
from requests_hardened.ip_filter import InvalidIPAddress
from standardwebhooks.webhooks import Webhook

from accounts.crypto import decrypt_credentials
from dravo.leases import lease_claim, lease_free
from dravo.media_fetch import GuardedAdapter, UrlRefused
from webhooks.models import Endpoint, EventDelivery

logger = logging.getLogger(__name__)
Status = EventDelivery.Status
USER_AGENT = "Dravo-Webhooks/1.0 (+https://dravo.dev)"
EXCERPT_CHARS = 1000


class WebhookAdapter(GuardedAdapter):
    allowed_hosts_setting = "WEBHOOK_ALLOWED_HOSTS"


def _session() -> requests.Session:
    config = Config(ip_filter_enable=False, ip_filter_allow_loopback_ips=False, never_redirect=True,
                    default_timeout=(settings.WEBHOOK_CONNECT_TIMEOUT, settings.WEBHOOK_TIMEOUT),
                    user_agent_override=USER_AGENT)
    session = HTTPSession(config)
    session.mount("http://", WebhookAdapter(is_https_proto=False))
    session.mount("https://", WebhookAdapter(is_https_proto=True))
    session.trust_env = False
    return session


def endpoint_secrets(endpoint: Endpoint, now=None) -> list[str]:
    """The secrets that sign now: the current one, and the previous one during its overlap."""
    now = now or timezone.now()
    secrets = [decrypt_credentials(endpoint.secret_encrypted)["secret"]]
    if endpoint.previous_secret_encrypted and endpoint.previous_secret_until and endpoint.previous_secret_until > now:
        secrets.append(decrypt_credentials(endpoint.previous_secret_encrypted)["secret"])
    return secrets


def signed_headers(endpoint: Endpoint, message_id: str, body: str, now=None) -> dict[str, str]:
    """The three Standard Webhooks headers; `webhook-signature` holds one `v1,` signature
    per secret in use, space-separated, so a consumer verifies with either secret."""
    now = now or timezone.now()
    signatures = [Webhook(secret).sign(message_id, now, body) for secret in endpoint_secrets(endpoint, now)]
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": " ".join(signatures),
        "Content-Type": "application/json",
    }


def _claim(delivery_id: str) -> bool:
    now = timezone.now()
    return lease_claim(
        EventDelivery.objects.filter(pk=delivery_id, status=Status.PENDING, next_attempt_at__lte=now),
        field="lease_until",
        duration=timedelta(seconds=settings.WEBHOOK_LEASE_SECONDS),
        attempts=F("attempts") + 1,
        updated_at=now,
    )


def webhook_delivery_attempt(*, delivery_id: str) -> None:
    """One attempt: POST the event to its endpoint and record the answer. Safe to repeat
    and to race (only the worker that claims the row sends); a row not due, or final, is
    left alone. Never raises for the endpoint's behaviour: every outcome is recorded."""
    if not _claim(delivery_id):
        return
    delivery = EventDelivery.objects.select_related("endpoint", "event").get(pk=delivery_id)
    endpoint = delivery.endpoint
    if not endpoint.enabled and delivery.event.type != "webhook.test":  # a test is asked for by hand
        _record(delivery, status=Status.FAILED, error=f"The endpoint is disabled: {endpoint.disabled_reason}")
        return
    body = json.dumps(delivery.event.payload, separators=(",", ":"))
    started = time.monotonic()
    try:
        with _session() as session:
            response = session.post(endpoint.url, data=body.encode(),
                                    headers=signed_headers(endpoint, delivery.event_id, body), allow_redirects=False)
    except (InvalidIPAddress, UrlRefused) as exc:
        _answered(delivery, None, started, error=f"The URL's address is refused: {exc}")
        return
    except requests.RequestException as exc:
        _answered(delivery, None, started, error=f"No answer: {exc.__class__.__name__}")
        return
    _answered(delivery, response, started)


def _answered(delivery: EventDelivery, response, started: float, error: str = "") -> None:
    elapsed = int((time.monotonic() - started) * 1000)
    code = response.status_code if response is not None else None
    excerpt = response.text[:EXCERPT_CHARS] if response is not None else ""
    fields = {"last_status_code": code, "last_response_ms": elapsed, "response_excerpt": excerpt}
    if code is not None and 200 <= code < 300:
        _record(delivery, status=Status.SUCCEEDED, delivered_at=timezone.now(), **fields)
        if delivery.endpoint.failing_since is not None:  # a success ends the failing streak
            Endpoint.objects.filter(pk=delivery.endpoint_id).update(failing_since=None)
        return
    error = error or f"HTTP {code}"
    if code == 410:
        endpoint_disable(endpoint_id=delivery.endpoint_id, reason="It answered 410 Gone.")
        _record(delivery, status=Status.FAILED, error=error, **fields)
        return
    _failed_attempt(delivery, error=error, **fields)


def _failed_attempt(delivery: EventDelivery, *, error: str, **fields) -> None:
    now = timezone.now()
    Endpoint.objects.filter(pk=delivery.endpoint_id, failing_since__isnull=True).update(failing_since=now)
    failing_since = Endpoint.objects.values_list("failing_since", flat=True).get(pk=delivery.endpoint_id)
    if failing_since and now - failing_since >= timedelta(days=settings.WEBHOOK_DISABLE_AFTER_DAYS):
        days = settings.WEBHOOK_DISABLE_AFTER_DAYS
        endpoint_disable(endpoint_id=delivery.endpoint_id, reason=f"Every attempt failed for {days} days.")
        _record(delivery, status=Status.FAILED, error=error, **fields)
        return
    schedule = settings.WEBHOOK_RETRY_SCHEDULE
    if delivery.attempts > len(schedule):  # the first attempt and one retry per step are spent
        _record(delivery, status=Status.FAILED, error=error, **fields)
        return
    delay = schedule[delivery.attempts - 1] * random.uniform(0.9, 1.1)
    _record(delivery, status=Status.PENDING, error=error, dispatched_at=None,
            next_attempt_at=now + timedelta(seconds=delay), **fields)


def _record(delivery: EventDelivery, *, status: str, error: str = "", **fields) -> None:
    if status != Status.PENDING:
        fields["next_attempt_at"] = None
    EventDelivery.objects.filter(pk=delivery.pk).update(
        status=status, last_error=error[:500], lease_until=None, updated_at=timezone.now(), **fields
    )


def endpoint_disable(*, endpoint_id: str, reason: str) -> None:
    """Stop sending to an endpoint (its pending deliveries end failed when next tried)."""
    Endpoint.objects.filter(pk=endpoint_id, enabled=True).update(
        enabled=False, disabled_reason=reason[:300], updated_at=timezone.now()
    )


def webhook_deliveries_dispatch_due(*, batch: int = 500) -> int:
    """Send a message for each due pending delivery with none in flight (never sent, or
    sent longer ago than DRAVO_WEBHOOK_REDISPATCH_SECONDS, or whose sender's lease ran
    out): a lost message or a dead worker costs a delay, never an event."""
    now = timezone.now()
    stale = now - timedelta(seconds=settings.WEBHOOK_REDISPATCH_SECONDS)
    ids = list(
        EventDelivery.objects.filter(status=Status.PENDING, next_attempt_at__lte=now)
        .filter(Q(dispatched_at__isnull=True) | Q(dispatched_at__lt=stale))
        .filter(lease_free("lease_until", now))
        .values_list("pk", flat=True)[:batch]
    )
    if ids:
        EventDelivery.objects.filter(pk__in=ids).update(dispatched_at=now)
    for delivery_id in ids:  # one message each: a slow endpoint holds up only its own
        webhook_send([delivery_id])
    return len(ids)


def webhook_send(delivery_ids: list[str]) -> None:
    """One message asking a worker to send these deliveries, on the events' own queue
    (DRAVO_WEBHOOK_QUEUE), read when sent."""
    webhook_send_task.apply_async((delivery_ids,), queue=settings.WEBHOOK_QUEUE)


@shared_task(name="webhooks.tasks.webhook_send_task", acks_late=True, ignore_result=True)
def webhook_send_task(delivery_ids: list[str]) -> None:
    """One attempt at each delivery (the service records outcomes and the next attempt)."""
    for delivery_id in delivery_ids:
        webhook_delivery_attempt(delivery_id=delivery_id)


@shared_task(name="webhooks.tasks.webhook_dispatch_due_task", ignore_result=True)
def webhook_dispatch_due_task() -> None:
    webhook_deliveries_dispatch_due()
