"""Webhook endpoints, the outbox of events, and one delivery row per (event, endpoint)."""

from django.db import models
from django.db.models import Q

from accounts.models import Mode, Workspace
from dravo.ids import new_id


def new_endpoint_id() -> str:
    return new_id("wh")


def new_delivery_id() -> str:
    return new_id("whd")


def new_event_id() -> str:
    return new_id("msg")  # the Standard Webhooks message id, sent as `webhook-id`


class Endpoint(models.Model):
    """A URL that takes a workspace's events of one mode (live or test), signed with its
    secret (encrypted at rest; the previous one keeps signing beside it for a while after
    a rotation)."""

    id = models.CharField(primary_key=True, max_length=32, default=new_endpoint_id, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="webhook_endpoints")
    mode = models.CharField(max_length=4, choices=Mode.choices)
    url = models.URLField(max_length=2000)
    description = models.CharField(max_length=500, blank=True)
    events = models.JSONField(default=list, help_text='Event types it takes, or ["*"] for all.')
    enabled = models.BooleanField(default=True)
    disabled_reason = models.CharField(max_length=300, blank=True)
    secret_encrypted = models.TextField(editable=False)
    previous_secret_encrypted = models.TextField(blank=True, editable=False)
    previous_secret_until = models.DateTimeField(null=True, blank=True)
    failing_since = models.DateTimeField(
        null=True, blank=True, help_text="First failed attempt since its last success (disabled after 5 days)."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["workspace", "mode", "-created_at", "-id"], name="webhook_page_idx")]

    def __str__(self) -> str:
        return f"{self.id} → {self.url}"

    def takes(self, event_type: str) -> bool:
        return "*" in self.events or event_type in self.events


class Event(models.Model):
    """The outbox: one row per event, written in the transaction of the change that
    caused it, with the payload every endpoint receives (the same bytes on every retry)."""

    id = models.CharField(primary_key=True, max_length=32, default=new_event_id, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="webhook_events")
    mode = models.CharField(max_length=4, choices=Mode.choices)
    type = models.CharField(max_length=40)
    payload = models.JSONField()
    dedupe_key = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "dedupe_key"], condition=~Q(dedupe_key=""), name="webhook_event_dedupe"
            )
        ]

    def __str__(self) -> str:
        return f"{self.id} {self.type}"


class EventDelivery(models.Model):
    """One event to one endpoint: pending until a 2xx (succeeded) or until its retries
    run out, it answers 410, or its endpoint is disabled (failed)."""

    class Status(models.TextChoices):
        PENDING = "pending"
        SUCCEEDED = "succeeded"
        FAILED = "failed"

    id = models.CharField(primary_key=True, max_length=32, default=new_delivery_id, editable=False)
    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    dispatched_at = models.DateTimeField(null=True, blank=True, help_text="When a message last asked to send it.")
    lease_until = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveIntegerField(null=True, blank=True)
    last_response_ms = models.PositiveIntegerField(null=True, blank=True)
    response_excerpt = models.TextField(blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "event deliveries"
        constraints = [models.UniqueConstraint(fields=["endpoint", "event"], name="webhook_delivery_once")]
        indexes = [
            models.Index(fields=["next_attempt_at"], name="webhook_delivery_due_idx", condition=Q(status="pending")),
            models.Index(fields=["endpoint", "-created_at", "-id"], name="webhook_delivery_page_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.event_id} → {self.endpoint_id} ({self.status})"
