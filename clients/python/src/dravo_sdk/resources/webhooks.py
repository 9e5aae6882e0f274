"""`client.webhooks`: endpoints Dravo calls with signed events (`{"type", "timestamp", "data"}`).

Answers are plain dicts (`{"id": "wh_…", "url", "events", "description", "enabled", …}`);
`secret` (`whsec_…`) is in the answers of `create` and `rotate_secret`. Check what an
endpoint receives with `dravo_sdk.webhooks.verify()`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from dravo_sdk.operations import Resource, operation


class Webhooks(Resource):
    @operation("POST", "/webhooks")
    def create(self, *, url: str, events: list[str] | None = None, description: str | None = None,
               idempotency_key: str | None = None) -> dict[str, Any]:
        """A new endpoint for `events` (`["*"]`: every type)."""
        body = {"url": url, "events": events or ["*"], **({"description": description} if description else {})}
        return self._send(self.create, json=body, idempotency_key=idempotency_key)

    @operation("GET", "/webhooks")
    def list(self, *, limit: int | None = None) -> Iterator[dict[str, Any]]:
        return self._pages(self.list, None, {"limit": limit})

    @operation("GET", "/webhooks/{id}")
    def get(self, webhook_id: str) -> dict[str, Any]:
        return self._send(self.get, path_params={"id": webhook_id})

    @operation("PATCH", "/webhooks/{id}")
    def update(self, webhook_id: str, **changes: Any) -> dict[str, Any]:
        """Change `url`, `events`, `description` or `enabled`."""
        return self._send(self.update, path_params={"id": webhook_id}, json=changes)

    @operation("DELETE", "/webhooks/{id}")
    def delete(self, webhook_id: str) -> None:
        self._send(self.delete, path_params={"id": webhook_id})

    @operation("POST", "/webhooks/{id}/rotate-secret")
    def rotate_secret(self, webhook_id: str) -> dict[str, Any]:
        """A new `secret` for the endpoint."""
        return self._send(self.rotate_secret, path_params={"id": webhook_id})

    @operation("POST", "/webhooks/{id}/test")
    def test(self, webhook_id: str) -> dict[str, Any]:
        """Have Dravo send the endpoint a test event."""
        return self._send(self.test, path_params={"id": webhook_id})

    @operation("GET", "/webhooks/{id}/deliveries")
    def deliveries(self, webhook_id: str, *, limit: int | None = None) -> Iterator[dict[str, Any]]:
        """The endpoint's recent deliveries (attempts, answers), page by page."""
        return self._pages(self.deliveries, None, {"limit": limit}, path_params={"id": webhook_id})

    @operation("POST", "/webhooks/{id}/deliveries/{delivery_id}/redeliver")
    def redeliver(self, webhook_id: str, delivery_id: str) -> dict[str, Any]:
        """Send one delivery's event again."""
        return self._send(self.redeliver, path_params={"id": webhook_id, "delivery_id": delivery_id})
