"""Idempotency-Key with Stripe's semantics, scoped by (workspace, mode, key), for every
POST of every app that creates something.

The first request with a key runs its create and stores the answer in the same
transaction; a later request with the same key, route and body replays that answer, and
one with another route or body is a 422. A test request never replays a live answer:
the mode is part of the scope.

While the first request is in flight, a second one is refused at once with a 409 (and
`Retry-After: 1`) instead of waiting. On PostgreSQL the first request holds a
session-level advisory lock on (workspace, mode, key) from its first look-up to its
commit, taken with `pg_try_advisory_lock`: a second request that cannot take it answers
409, and a crashed request releases it with its connection. The unique constraint on
(workspace, mode, key) is the backstop on every database; on SQLite it is the only
guard, so there two concurrent first requests both run and the loser's writes roll back
while it replays the winner's answer.

The work that calls out (a network's verify, a download) runs outside any transaction;
only the writes and the stored answer share one.

A create that fails validation rolls back, storing nothing, so the corrected request may
reuse the key. Fields named in `secret_fields` (a new API key) are answered once and never
stored: a replay answers the same object without them.
"""

import hashlib
import json
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from datetime import timedelta

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.response import Response

from dravo.errors import IdempotencyKeyInFlight, IdempotencyKeyReused

# The table stays in the publishing app (where its migrations are); the logic is here.
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


@contextmanager
def _in_flight_guard(workspace_id: str, mode: str, key: str):
    """Hold the key for the whole request, or raise IdempotencyKeyInFlight at once.

    On PostgreSQL a session-level advisory lock, taken with pg_try_advisory_lock and
    released when the block ends (or with the connection, if the process dies). Elsewhere
    nothing: the unique constraint decides, and the loser replays the winner's answer."""
    if connection.vendor != "postgresql":
        yield
        return
    lock_id = advisory_lock_id(workspace_id=workspace_id, mode=mode, key=key)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [lock_id])
        (acquired,) = cursor.fetchone()
    if not acquired:
        raise IdempotencyKeyInFlight()
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [lock_id])


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
    workspace,
    mode: str,
    key: str,
    fingerprint: str,
    create: Callable[..., tuple[int, dict]],
    prepare: Callable[[], object] | None = None,
    secret_fields: Iterable[str] = (),
) -> tuple[int, dict, bool]:
    """Run `create` once per (workspace, mode, key); returns (status, body, replayed).

    `prepare`, when given, is the part of the work that calls out (a network, a download):
    it runs first, outside any transaction, and only when the key has no stored answer
    yet; `create` then gets its result and does the writes, in one transaction with the
    stored answer. A transaction never stays open across a call out, so a sandbox served
    by this same Dravo can write while it answers (SQLite has one writer at a time).

    The first answer is returned whole; the stored copy (what replays answer) lacks
    `secret_fields`. Raises IdempotencyKeyReused (422) for the same key with another route
    or body, and IdempotencyKeyInFlight (409, `Retry-After: 1`) while a first request with
    the key is still running. Safe to repeat: that is its purpose.
    """
    scope = {"workspace": workspace, "mode": mode, "key": key}
    IdempotencyKey.objects.filter(**scope, created_at__lt=timezone.now() - KEY_TTL).delete()
    existing = IdempotencyKey.objects.filter(**scope).first()
    if existing is not None:
        return _replay(existing, fingerprint)
    with _in_flight_guard(workspace.pk, mode, key):
        prepared = (prepare(),) if prepare is not None else ()
        try:
            with transaction.atomic():
                existing = IdempotencyKey.objects.filter(**scope).first()
                if existing is not None:
                    return _replay(existing, fingerprint)
                status, body = create(*prepared)
                IdempotencyKey.objects.create(
                    **scope,
                    request_hash=fingerprint,
                    response_status=status,
                    response_body=_stored(body, secret_fields),
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


IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key",
    # 1 to 255 printable ASCII characters (HTTP trims spaces at either end).
    {"type": "string", "minLength": 1, "maxLength": 255, "pattern": r"^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$"},
    OpenApiParameter.HEADER,
    description="Replays the first answer for 24 h (same workspace, mode, route and body; another route or body "
    "is a 422; 409 with Retry-After while the first request is still running).",
)


class IdempotencyKeyParam(serializers.Serializer):
    key = serializers.RegexField(
        r"^[\x20-\x7e]{1,255}$", error_messages={"invalid": "Must be 1 to 255 printable ASCII characters."}
    )

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as exc:
            raise serializers.ValidationError({"Idempotency-Key": exc.detail["key"]}) from exc


def idempotent_response(
    request,
    workspace,
    create: Callable[..., tuple[int, dict]],
    *,
    prepare: Callable[[], object] | None = None,
    secret_fields: Iterable[str] = (),
) -> Response:
    """Run `create` (→ status, body) under the request's Idempotency-Key, if it has one.

    `prepare` (optional) is the part that calls out; its result is passed to `create`, and
    it runs outside any transaction and not at all on a replay. `secret_fields` of the
    body are answered once and left out of the stored answer."""
    key = request.headers.get("Idempotency-Key")
    if key is None:
        code, body = create(prepare()) if prepare is not None else create()
        return Response(body, status=code)
    IdempotencyKeyParam(data={"key": key}).is_valid(raise_exception=True)
    code, body, replayed = idempotent(
        workspace=workspace,
        mode=request.auth.mode,
        key=key,
        fingerprint=request_fingerprint(path=request.path, body=request.data),
        create=create,
        prepare=prepare,
        secret_fields=secret_fields,
    )
    return Response(body, status=code, headers={"Idempotent-Replayed": "true"} if replayed else {})
