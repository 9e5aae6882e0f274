"""Endpoints: create (with a secret shown once), change, rotate the secret, delete, and
the hand-made events (a test event, a redelivery). Every URL passes the address rules of
media downloads when stored, and again on every send."""

import base64
import ipaddress
import secrets
import socket
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from rest_framework.exceptions import ValidationError

from accounts.crypto import encrypt_credentials
from accounts.models import Workspace
from dravo.events import EVENT_TYPES
from dravo.media_fetch import UrlRefused, check_url, is_public
from webhooks.models import Endpoint, Event, EventDelivery
from webhooks.services.outbox import endpoints_changed, event_record
from webhooks.services.sending import webhook_send

SECRET_PREFIX = "whsec_"


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError({"url": [message]}, code=code)


def webhook_url_check(url: str) -> None:
    """Raises ValidationError (400 on `url`) unless the URL may take events: https (http
    too in dev mode), the scheme's default port, and a host whose every address is public.
    Hosts in DRAVO_WEBHOOK_ALLOWED_HOSTS skip the port and address rules (tests only)."""
    try:
        check_url(url, "WEBHOOK_ALLOWED_HOSTS")
    except UrlRefused as exc:
        raise _refuse(str(exc), "url_not_allowed") from exc
    parts = urlsplit(url)
    host = parts.hostname.lower()
    if host in settings.WEBHOOK_ALLOWED_HOSTS:
        return
    if parts.scheme != "https" and settings.WEBHOOK_REQUIRE_HTTPS:
        raise _refuse("Webhook URLs must use https://.", "url_not_allowed")
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)}
    except (socket.gaierror, UnicodeError) as exc:
        raise _refuse(f"The host {host} does not resolve.", "url_not_resolvable") from exc
    private = sorted(a for a in addresses if not is_public(ipaddress.ip_address(a.split("%")[0])))
    if private:
        raise _refuse(
            f"The host {host} resolves to a private, loopback, link-local or reserved address ({private[0]}); "
            "only public addresses take webhooks.",
            "private_address",
        )


def _events_check(events: list[str]) -> list[str]:
    unknown = [e for e in events if e != "*" and e not in EVENT_TYPES]
    if unknown:
        raise ValidationError(
            {"events": [f"Unknown event type {unknown[0]!r}; the types are: {', '.join(EVENT_TYPES)}, or \"*\"."]},
            code="invalid_choice",
        )
    return ["*"] if "*" in events else list(dict.fromkeys(events))


def _new_secret() -> tuple[str, str]:
    secret = SECRET_PREFIX + base64.b64encode(secrets.token_bytes(24)).decode()
    return secret, encrypt_credentials({"secret": secret})


def endpoint_create(*, workspace: Workspace, mode: str, url: str, events: list[str], description: str = ""
                    ) -> tuple[Endpoint, str]:
    """Store an endpoint of `mode` and answer it with its secret (the only time the secret
    is shown; it is kept encrypted). Raises ValidationError naming `url` or `events`."""
    events = _events_check(events)
    webhook_url_check(url)
    secret, encrypted = _new_secret()
    endpoint = Endpoint.objects.create(workspace=workspace, mode=mode, url=url, events=events,
                                       description=description, secret_encrypted=encrypted)
    endpoints_changed(workspace_id=workspace.pk, mode=mode)
    return endpoint, secret


def endpoint_update(*, endpoint: Endpoint, changes: dict) -> Endpoint:
    """Change `url`, `events`, `description` or `enabled`. Enabling again clears the
    reason it was disabled and its failing streak. Raises ValidationError as create does."""
    if "url" in changes:
        webhook_url_check(changes["url"])
    if "events" in changes:
        changes["events"] = _events_check(changes["events"])
    for field, value in changes.items():
        setattr(endpoint, field, value)
    fields = list(changes)
    if changes.get("enabled"):
        endpoint.disabled_reason, endpoint.failing_since = "", None
        fields += ["disabled_reason", "failing_since"]
    endpoint.save(update_fields=[*fields, "updated_at"])
    endpoints_changed(workspace_id=endpoint.workspace_id, mode=endpoint.mode)
    return endpoint


def endpoint_delete(*, endpoint: Endpoint) -> None:
    """Remove the endpoint and its delivery log. Safe to repeat."""
    Endpoint.objects.filter(pk=endpoint.pk).delete()
    endpoints_changed(workspace_id=endpoint.workspace_id, mode=endpoint.mode)


def endpoint_rotate_secret(*, endpoint: Endpoint) -> tuple[Endpoint, str]:
    """A new secret, answered once; the old one keeps signing beside it for
    DRAVO_WEBHOOK_SECRET_OVERLAP_HOURS (24), so consumers can switch without a gap."""
    secret, encrypted = _new_secret()
    with transaction.atomic():
        locked = Endpoint.objects.select_for_update().get(pk=endpoint.pk)
        locked.previous_secret_encrypted = locked.secret_encrypted
        locked.previous_secret_until = timezone.now() + timedelta(hours=settings.WEBHOOK_SECRET_OVERLAP_HOURS)
        locked.secret_encrypted = encrypted
        locked.save(update_fields=["previous_secret_encrypted", "previous_secret_until", "secret_encrypted",
                                   "updated_at"])
    return locked, secret


def endpoint_send_test(*, endpoint: Endpoint) -> Event:
    """A `webhook.test` event to this endpoint only (enabled or not: a test is asked for)."""
    data = {"webhook_id": endpoint.pk, "message": "A test event from Dravo."}
    with transaction.atomic():
        return event_record(type="webhook.test", workspace_id=endpoint.workspace_id, mode=endpoint.mode,
                            subject=data, endpoints=[endpoint], force=True)


def delivery_redeliver(*, delivery: EventDelivery) -> EventDelivery:
    """Send the same event (same `webhook-id`, same body) to its endpoint again now, with
    a fresh retry schedule. Safe to repeat."""
    now = timezone.now()
    EventDelivery.objects.filter(pk=delivery.pk).update(
        status=EventDelivery.Status.PENDING, attempts=0, next_attempt_at=now, dispatched_at=now, lease_until=None,
        delivered_at=None, updated_at=now,
    )
    transaction.on_commit(lambda: webhook_send([delivery.pk]), robust=True)
    delivery.refresh_from_db()
    return delivery
