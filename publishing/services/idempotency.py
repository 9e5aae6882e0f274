"""Idempotency-Key with Stripe's semantics, scoped by (workspace, mode, key).

The first request with a key runs its create and stores the answer in the same
transaction; a later request with the same key, route and body replays that answer, and
one with another route or body is a 422. A test request never replays a live answer:
the mode is part of the scope.

While the first request is in flight, a second one is refused at once with a 409 (and
`Retry-After: 1`) instead of waiting. On PostgreSQL the first request holds a
transaction-scoped advisory lock on (workspace, mode, key), taken with
`pg_try_advisory_xact_lock`: a second request that cannot take it answers 409, and a
crashed request releases it with its connection. The unique constraint on (workspace,
mode, key) is the backstop on every database. SQLite runs one writer at a time (Dravo
opens its transactions IMMEDIATE), so there the second request waits for the first to
commit and then replays its answer.

A create that fails validation rolls back, storing nothing, so the corrected request may
reuse the key. Fields named in `secret_fields` (a new API key) are answered once and never
stored: a replay answers the same object without them.
"""

import hashlib
import json
from collections.abc import Callable, Iterable
from datetime import timedelta

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from accounts.models import Workspace
from publishing.errors import IdempotencyKeyInFlight, IdempotencyKeyReused
from publishing.models import IdempotencyKey

KEY_TTL = timedelta(hours=24)
REUSED = "This Idempotency-Key was already used on another route or with a different request body."


def request_fingerprint(*, path: str, body) -> str:
    canonical = json.dumps({"path": path, "body": body}, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def advisory_lock_id(*, workspace_id: str, mode: str, key: str) -> int:
    """The PostgreSQL advisory lock id of one (workspace, mode, key)."""
    digest = hashlib.sha256(f"idempotency\x1f{workspace_id}\x1f{mode}\x1f{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def _claim(workspace_id: str, mode: str, key: str) -> None:
    """Take the key for this transaction, or raise IdempotencyKeyInFlight at once."""
    if connection.vendor != "postgresql":
        return  # SQLite serializes writers on its own (IMMEDIATE transactions)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_try_advisory_xact_lock(%s)", [advisory_lock_id(workspace_id=workspace_id, mode=mode, key=key)]
        )
        (acquired,) = cursor.fetchone()
    if not acquired:
        raise IdempotencyKeyInFlight()


def _replay(existing: IdempotencyKey, fingerprint: str) -> tuple[int, dict, bool]:
    if existing.request_hash != fingerprint:
        raise IdempotencyKeyReused(REUSED)
    return existing.response_status, existing.response_body, True


def _stored(body, secret_fields: Iterable[str]):
    if not isinstance(body, dict):
        return body
    return {name: value for name, value in body.items() if name not in set(secret_fields)}


def idempotent(
    *,
    workspace: Workspace,
    mode: str,
    key: str,
    fingerprint: str,
    create: Callable[[], tuple[int, dict]],
    secret_fields: Iterable[str] = (),
) -> tuple[int, dict, bool]:
    """Run `create` once per (workspace, mode, key); returns (status, body, replayed).

    The first answer is returned whole; the stored copy (what replays answer) lacks
    `secret_fields`. Raises IdempotencyKeyReused (422) for the same key with another route
    or body, and IdempotencyKeyInFlight (409, `Retry-After: 1`) while a first request with
    the key is still running. Safe to repeat: that is its purpose.
    """
    scope = {"workspace": workspace, "mode": mode, "key": key}
    try:
        with transaction.atomic():
            _claim(workspace.pk, mode, key)
            IdempotencyKey.objects.filter(**scope, created_at__lt=timezone.now() - KEY_TTL).delete()
            existing = IdempotencyKey.objects.filter(**scope).first()
            if existing is not None:
                return _replay(existing, fingerprint)
            status, body = create()
            IdempotencyKey.objects.create(
                **scope, request_hash=fingerprint, response_status=status, response_body=_stored(body, secret_fields)
            )
            return status, body, False
    except IntegrityError:
        existing = IdempotencyKey.objects.filter(**scope).first()
        if existing is None:
            raise IdempotencyKeyInFlight() from None
        return _replay(existing, fingerprint)


def idempotency_keys_prune(*, now=None) -> int:
    """Delete keys older than 24 hours. Safe to repeat."""
    now = now or timezone.now()
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=now - KEY_TTL).delete()
    return deleted
