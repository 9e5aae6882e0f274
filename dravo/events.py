"""What happened in a workspace, told to whoever listens (the webhooks app).

The apps that own state (posts, deliveries, accounts, jobs) call `event_emit()` inside
the transaction of the change that causes the event; a listener subscribed from its
AppConfig.ready() writes what it needs in that same transaction (an outbox row), so an
event exists if and only if its change was committed. The apps that emit never import
the listeners.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction

# Every event type, with what causes it (the API and the README list them from here).
EVENT_TYPES = {
    "post.scheduled": "A post was stored to go out at a later time (a create, a draft published, a queue slot).",
    "post.queued": "A post is due now and its deliveries are starting (a create for now, a release, a retry).",
    "post.published": "Every delivery of a post was published.",
    "post.partial": "A post's deliveries are final: some published, some failed.",
    "post.failed": "Every delivery of a post failed.",
    "post.canceled": "A scheduled post was canceled.",
    "delivery.published": "One account's delivery was published (the result carries its URL).",
    "delivery.failed": "One account's delivery failed for good (the result carries the reason).",
    "delivery.retrying": "One account's delivery failed for now and will be tried again (`next_attempt_at`).",
    "account.connected": "An account was connected (or connected again).",
    "account.requires_reconnect": "An account's token was refused for good: it must be connected again.",
    "account.token_expiring": "A token expires within 7 days and Dravo cannot renew it in time: the user must.",
    "account.disconnected": "An account was disconnected.",
    "job.completed": "A bulk create or CSV import job finished.",
    "webhook.test": "Sent on request by POST /v1/webhooks/{id}/test.",
}

Listener = Callable[..., None]
_listeners: list[Listener] = []
_interests: dict[Listener, Callable[[str, str], bool]] = {}  # a listener's `interested`
# Set by event_transaction() to the (workspace, mode) nobody was interested in: its
# emits skip the listeners that answered so instead of asking them again.
_unwanted: ContextVar[tuple[str, str] | None] = ContextVar("unwanted_events", default=None)


def event_subscribe(listener: Listener, *, interested: Callable[[str, str], bool] | None = None) -> None:
    """Call `listener(type=, workspace_id=, mode=, subject=, dedupe_key=)` on every event,
    in the emitting transaction. `interested(workspace_id, mode)` answers, cheaply (no
    query on the hot path), whether it may want a workspace's events at all. Subscribing
    twice keeps one. A listener must not raise for a well-formed event: its writes belong
    to the caller's transaction."""
    if listener not in _listeners:
        _listeners.append(listener)
    if interested is not None:
        _interests[listener] = interested


def events_wanted(*, workspace_id: str, mode: str) -> bool:
    return any(interested(workspace_id, mode) for interested in _interests.values())


@contextmanager
def event_transaction(*, workspace_id: str, mode: str) -> Iterator[None]:
    """The block of a change whose event someone may want: one transaction for the change
    and the event then, none otherwise (a workspace without listeners pays no round trips
    for BEGIN and COMMIT on the delivery path; its emits then skip the listeners that said
    they want none, instead of asking them again)."""
    if events_wanted(workspace_id=workspace_id, mode=mode):
        with transaction.atomic():
            yield
        return
    token = _unwanted.set((workspace_id, mode))
    try:
        yield
    finally:
        _unwanted.reset(token)


def event_emit(type: str, *, workspace_id: str, mode: str, subject: object, dedupe_key: str = "") -> None:
    """Tell the listeners that `type` happened to `subject` (a model row: a post, a
    delivery, an account, a job). Call it inside the transaction of the change.
    `dedupe_key`, when given, makes a second emit with the same key a no-op."""
    if type not in EVENT_TYPES:
        raise ValueError(f"unknown event type {type!r}")
    unwanted = _unwanted.get() == (workspace_id, mode)
    for listener in _listeners:
        if unwanted and listener in _interests:
            continue
        listener(type=type, workspace_id=workspace_id, mode=mode, subject=subject, dedupe_key=dedupe_key)
