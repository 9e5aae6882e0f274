"""`client.api_keys`, `client.auth` (dashboard users' JWTs) and `client.calendar` (the feed)."""

from __future__ import annotations

from collections.abc import Iterator

from dravo_sdk.models import ApiKey, ApiKeyCreated, CalendarFeedToken, TokenPair, TokenRefreshed
from dravo_sdk.operations import Resource, operation


class ApiKeys(Resource):
    @operation("GET", "/api-keys")
    def list(self, *, limit: int | None = None) -> Iterator[ApiKey]:
        return self._pages(self.list, ApiKey, {"limit": limit})

    @operation("POST", "/api-keys")
    def create(self, *, name: str | None = None, mode: str | None = None,
               idempotency_key: str | None = None) -> ApiKeyCreated:
        """A new key of the caller's mode (another mode is a `PermissionDenied`); its
        secret `key` is answered this once."""
        body = {key: value for key, value in {"name": name, "mode": mode}.items() if value is not None}
        return ApiKeyCreated.from_dict(self._send(self.create, json=body, idempotency_key=idempotency_key))

    @operation("GET", "/api-keys/{id}")
    def get(self, key_id: str) -> ApiKey:
        return ApiKey.from_dict(self._send(self.get, path_params={"id": key_id}))

    @operation("DELETE", "/api-keys/{id}")
    def revoke(self, key_id: str) -> None:
        """Revoke a key: it is refused from now on."""
        self._send(self.revoke, path_params={"id": key_id})


class Auth(Resource):
    @operation("POST", "/auth/token")
    def token(self, *, username: str, password: str, workspace: str | None = None,
              mode: str | None = None) -> TokenPair:
        """A dashboard user's JWT pair (`access` lasts 15 minutes). Logins are throttled."""
        body = {"username": username, "password": password, "workspace": workspace, "mode": mode}
        return TokenPair.from_dict(self._send(self.token, json={k: v for k, v in body.items() if v is not None}))

    @operation("POST", "/auth/token/refresh")
    def refresh(self, refresh: str) -> TokenRefreshed:
        return TokenRefreshed.from_dict(self._send(self.refresh, json={"refresh": refresh}))


class Calendar(Resource):
    @operation("POST", "/calendar/token")
    def create_token(self) -> CalendarFeedToken:
        """A (new) secret token for the iCalendar feed; the old one stops working."""
        return CalendarFeedToken.from_dict(self._send(self.create_token))

    @operation("DELETE", "/calendar/token")
    def delete_token(self) -> None:
        self._send(self.delete_token)

    @operation("GET", "/calendar.ics")
    def feed(self, token: str) -> str:
        """The scheduled posts as an iCalendar document (the feed needs only `token`)."""
        return self._send(self.feed, params={"token": token})
