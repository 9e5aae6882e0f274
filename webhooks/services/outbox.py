"""The outbox: an event becomes a row (and one delivery row per endpoint that takes it)
in the transaction of the change that caused it, and is sent after commit.

Whether a workspace has endpoints at all is cached for a few seconds (and forgotten at
once when one changes), so that the delivery path of a workspace without webhooks pays
no query for them.
"""

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from accounts.api.serializers import SocialAccountSerializer
from accounts.models import SocialAccount, Workspace
from publishing import selectors as post_selectors
from publishing.api.serializers import BulkJobSerializer, PostSerializer, result_data
from publishing.api.views import series_data
from publishing.models import Delivery, Job, Post
from webhooks.models import Endpoint, Event, EventDelivery
from webhooks.services.sending import webhook_send


def _cache_key(workspace_id: str, mode: str) -> str:
    return f"webhooks:has-endpoints:{workspace_id}:{mode}"


def endpoints_changed(*, workspace_id: str, mode: str) -> None:
    """Forget the cached answer for a workspace whose endpoints were added or changed."""
    cache.delete(_cache_key(workspace_id, mode))


def endpoints_exist(workspace_id: str, mode: str) -> bool:
    """Whether the workspace has an enabled endpoint of `mode`, from the cache when it knows."""
    key = _cache_key(workspace_id, mode)
    known = cache.get(key)
    if known is None:
        known = Endpoint.objects.filter(workspace_id=workspace_id, mode=mode, enabled=True).exists()
        cache.set(key, known, settings.WEBHOOK_ENDPOINTS_CACHE_SECONDS)
    return known


def _listening(workspace_id: str, mode: str, event_type: str) -> list[Endpoint]:
    if not endpoints_exist(workspace_id, mode):
        return []
    endpoints = Endpoint.objects.filter(workspace_id=workspace_id, mode=mode, enabled=True)
    return [endpoint for endpoint in endpoints if endpoint.takes(event_type)]


def event_data(subject: object, *, workspace_id: str, mode: str) -> dict:
    """The event's `data`: its object as the API's GET answers it, read now (inside the
    emitting transaction, so it is the state the event is about)."""
    if isinstance(subject, Post):
        post = post_selectors.post_get(workspace=Workspace(pk=workspace_id), mode=mode, post_id=subject.pk)
        return {**PostSerializer(post).data, "series": series_data(post.series) if post.series_id else None}
    if isinstance(subject, Delivery):
        delivery = Delivery.objects.get(pk=subject.pk)
        return {"post_id": delivery.post_id, **result_data(delivery)}
    if isinstance(subject, SocialAccount):
        return SocialAccountSerializer(SocialAccount.objects.get(pk=subject.pk)).data
    if isinstance(subject, Job):
        return BulkJobSerializer(Job.objects.get(pk=subject.pk)).data
    if isinstance(subject, dict):
        return subject
    raise TypeError(f"no webhook rendering for {type(subject).__name__}")


def event_record(*, type: str, workspace_id: str, mode: str, subject: object, dedupe_key: str = "",
                 endpoints: list[Endpoint] | None = None, force: bool = False) -> Event | None:
    """Store the event and its deliveries (to `endpoints`, else to every enabled endpoint
    of the workspace and mode that takes this type; with `force`, to `endpoints` even if
    disabled) in the caller's transaction, and send them after commit. None when nobody
    listens, or when `dedupe_key` was recorded before. A lost send costs a delay only:
    the sweep sends what is due and has no message in flight."""
    if endpoints is None:
        endpoints = _listening(workspace_id, mode, type)
    elif not force:
        endpoints = [e for e in endpoints if e.enabled]
    if not endpoints:
        return None
    if dedupe_key and Event.objects.filter(workspace_id=workspace_id, dedupe_key=dedupe_key).exists():
        return None
    now = timezone.now()
    data = event_data(subject, workspace_id=workspace_id, mode=mode)
    payload = {"type": type, "timestamp": now.isoformat().replace("+00:00", "Z"), "data": data}
    with transaction.atomic(savepoint=False):  # the caller's transaction: no savepoint round trips
        event = Event.objects.create(workspace_id=workspace_id, mode=mode, type=type, payload=payload,
                                     dedupe_key=dedupe_key)
        rows = EventDelivery.objects.bulk_create(
            [EventDelivery(endpoint=e, event=event, next_attempt_at=now, dispatched_at=now) for e in endpoints]
        )
    ids = [row.pk for row in rows]
    transaction.on_commit(lambda: webhook_send(ids), robust=True)
    return event
