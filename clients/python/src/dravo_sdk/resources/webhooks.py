"""`client.webhooks`: endpoints Dravo calls with signed events (`{"type", "timestamp", "data"}`).

`create` and `rotate_secret` answer the endpoint's `secret` (`whsec_…`), shown only then.
Check what an endpoint receives with `dravo_sdk.webhooks.verify()`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from dravo_sdk.models import EventDelivery, Webhook, WebhookCreated, WebhookTest
from dravo_sdk.operations import Resource, operation


class Webhooks(Resource):
    @operation("POST", "/webhooks")
    def create(self, *, url: str, events: list[str] | None = None, description: str | None = None,
               idempotency_key: str | None = None) -> WebhookCreated:
        """A new endpoint for `events` (`["*"]`, the default: every type). Raises
        `ValidationError` on `url` for an address Dravo may not call, on `events` for an
        unknown type."""
        body = {"url": url, "events": events or ["*"], **({"description": description} if description else {})}
        return WebhookCreated.from_dict(self._send(self.create, json=body, idempotency_key=idempotency_key))

    @operation("GET", "/webhooks")
    def list(self, *, limit: int | None = None) -> Iterator[Webhook]:
        return self._pages(self.list, Webhook, {"limit": limit})

    @operation("GET", "/webhooks/{id}")
    def get(self, webhook_id: str) -> Webhook:
        return Webhook.from_dict(self._send(self.get, path_params={"id": webhook_id}))

    @operation("PATCH", "/webhooks/{id}")
    def update(self, webhook_id: str, **changes: Any) -> Webhook:
        """Change `url`, `events`, `description` or `enabled` (True turns a disabled one back on)."""
        return Webhook.from_dict(self._send(self.update, path_params={"id": webhook_id}, json=changes))

    @operation("DELETE", "/webhooks/{id}")
    def delete(self, webhook_id: str) -> None:
        self._send(self.delete, path_params={"id": webhook_id})

    @operation("POST", "/webhooks/{id}/rotate-secret")
    def rotate_secret(self, webhook_id: str) -> WebhookCreated:
        """A new `secret`; the old one keeps signing too until `secret_previous_until`."""
        return WebhookCreated.from_dict(self._send(self.rotate_secret, path_params={"id": webhook_id}))

    @operation("POST", "/webhooks/{id}/test")
    def test(self, webhook_id: str) -> WebhookTest:
        """Have Dravo send the endpoint a `webhook.test` event."""
        return WebhookTest.from_dict(self._send(self.test, path_params={"id": webhook_id}))

    @operation("GET", "/webhooks/{id}/deliveries")
    def deliveries(self, webhook_id: str, *, status: str | None = None,
                   limit: int | None = None) -> Iterator[EventDelivery]:
        """The endpoint's deliveries (`pending`, `succeeded`, `failed`), newest first."""
        return self._pages(self.deliveries, EventDelivery, {"status": status, "limit": limit},
                           path_params={"id": webhook_id})

    @operation("POST", "/webhooks/{id}/deliveries/{delivery_id}/redeliver")
    def redeliver(self, webhook_id: str, delivery_id: str) -> EventDelivery:
        """Send one delivery's event again, as a new delivery."""
        return EventDelivery.from_dict(self._send(self.redeliver, path_params={"id": webhook_id,
                                                                                "delivery_id": delivery_id}))
