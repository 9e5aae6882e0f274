"""Idempotency-Key with Stripe's semantics (spec/README.md), race-free on PostgreSQL.

The whole create runs in one transaction holding a transaction-scoped advisory lock on
(workspace, key), so concurrent requests with one key run one at a time and the later
ones replay the first answer; the unique constraint on (workspace, key) is the backstop
on databases without advisory locks. A create that fails validation rolls back, storing
nothing, so the corrected request may reuse the key.
"""

import hashlib
import json
from collections.abc import Callable
from datetime import timedelta

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from accounts.models import Workspace
from publishing.errors import IdempotencyKeyInFlight, IdempotencyKeyReused
from publishing.models import IdempotencyKey

KEY_TTL = timedelta(hours=24)


def request_fingerprint(*, path: str, body) -> str:
    canonical = json.dumps({"path": path, "body": body}, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _advisory_lock(workspace_id: str, key: str) -> None:
    if connection.vendor != "postgresql":
        return  # SQLite serializes writers on its own (IMMEDIATE transactions)
    digest = hashlib.sha256(f"{workspace_id}\x1f{key}".encode()).digest()
    lock_id = int.from_bytes(digest[:8], "big", signed=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [lock_id])


def _replay(existing: IdempotencyKey, fingerprint: str) -> tuple[int, dict, bool]:
    if existing.request_hash != fingerprint:
        raise IdempotencyKeyReused()
    return existing.response_status, existing.response_body, True


def idempotent(
    *, workspace: Workspace, key: str, fingerprint: str, create: Callable[[], tuple[int, dict]]
) -> tuple[int, dict, bool]:
    """Run `create` once per (workspace, key); returns (status, body, replayed).

    Raises IdempotencyKeyReused (422) for the same key with another body, and
    IdempotencyKeyInFlight (409) if a concurrent first request could not be waited for.
    """
    try:
        with transaction.atomic():
            _advisory_lock(workspace.pk, key)
            IdempotencyKey.objects.filter(
                workspace=workspace, key=key, created_at__lt=timezone.now() - KEY_TTL
            ).delete()
            existing = IdempotencyKey.objects.filter(workspace=workspace, key=key).first()
            if existing is not None:
                return _replay(existing, fingerprint)
            status, body = create()
            IdempotencyKey.objects.create(
                workspace=workspace, key=key, request_hash=fingerprint, response_status=status, response_body=body
            )
            return status, body, False
    except IntegrityError:
        existing = IdempotencyKey.objects.filter(workspace=workspace, key=key).first()
        if existing is None:
            raise IdempotencyKeyInFlight() from None
        return _replay(existing, fingerprint)


def idempotency_keys_prune(*, now=None) -> int:
    """Delete keys older than 24 hours. Safe to repeat."""
    now = now or timezone.now()
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=now - KEY_TTL).delete()
    return deleted
