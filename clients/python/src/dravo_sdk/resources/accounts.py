"""`client.accounts` (connected accounts) and `client.queues` (their posting slots)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from dravo_sdk.models import (
    ConnectLink,
    Destination,
    Queue,
    QueueShuffled,
    SocialAccount,
    SocialAccountCreated,
    SocialAccountRefreshed,
)
from dravo_sdk.operations import Resource, operation


class Accounts(Resource):
    @operation("GET", "/accounts")
    def list(self, *, provider: str | None = None, q: str | None = None,
             limit: int | None = None) -> Iterator[SocialAccount]:
        """Every connected account of the key's workspace and mode, page by page."""
        return self._pages(self.list, SocialAccount, {"provider": provider, "q": q, "limit": limit})

    @operation("GET", "/accounts/{id}")
    def get(self, account_id: str) -> SocialAccount:
        return SocialAccount.from_dict(self._send(self.get, path_params={"id": account_id}))

    @operation("POST", "/accounts")
    def connect(self, *, provider: str, platform_account_id: str, credentials: dict[str, Any],
                handle: str | None = None, idempotency_key: str | None = None) -> SocialAccountCreated:
        """Connect an account with credentials you already hold (bring your own key):
        `credentials` takes `access_token`, optional `refresh_token`, `expires_at`. The
        token is checked with the network first; a refused one is a `ValidationError`."""
        body = {"provider": provider, "platform_account_id": platform_account_id, "credentials": credentials}
        if handle is not None:
            body["handle"] = handle
        return SocialAccountCreated.from_dict(self._send(self.connect, json=body, idempotency_key=idempotency_key))

    @operation("DELETE", "/accounts/{id}")
    def disconnect(self, account_id: str) -> None:
        """Disconnect an account (its tokens are forgotten)."""
        self._send(self.disconnect, path_params={"id": account_id})

    @operation("POST", "/accounts/{id}/refresh")
    def refresh(self, account_id: str) -> SocialAccountRefreshed:
        """Renew the account's token now; answers its health and new expiry."""
        return SocialAccountRefreshed.from_dict(self._send(self.refresh, path_params={"id": account_id}))

    @operation("POST", "/accounts/connect")
    def connect_link(self, *, provider: str, redirect_uri: str | None = None,
                     idempotency_key: str | None = None) -> ConnectLink:
        """A hosted page where a user connects an account of `provider` by OAuth."""
        body = {"provider": provider, **({"redirect_uri": redirect_uri} if redirect_uri else {})}
        return ConnectLink.from_dict(self._send(self.connect_link, json=body, idempotency_key=idempotency_key))

    @operation("GET", "/accounts/{id}/destinations")
    def destinations(self, account_id: str, *, refresh: bool | None = None,
                     limit: int | None = None) -> Iterator[Destination]:
        """Where the account can publish (pages, boards, channels…), page by page."""
        params = {"refresh": _flag(refresh), "limit": limit}
        return self._pages(self.destinations, Destination, params, path_params={"id": account_id})


class Queues(Resource):
    @operation("GET", "/accounts/{account_id}/queue")
    def get(self, account_id: str) -> Queue:
        """The account's weekly slots (none until set)."""
        return Queue.from_dict(self._send(self.get, path_params={"account_id": account_id}))

    @operation("PUT", "/accounts/{account_id}/queue")
    def set(self, account_id: str, *, time_zone: str, slots: list[dict[str, str]]) -> Queue:
        """Replace the slots: `[{"day": "mon", "time": "09:00"}, …]`, local to `time_zone`."""
        body = {"time_zone": time_zone, "slots": slots}
        return Queue.from_dict(self._send(self.set, path_params={"account_id": account_id}, json=body))

    @operation("POST", "/accounts/{account_id}/queue/shuffle")
    def shuffle(self, account_id: str) -> QueueShuffled:
        """Put the account's queued posts in a random order over the same slots."""
        return QueueShuffled.from_dict(self._send(self.shuffle, path_params={"account_id": account_id}))


def _flag(value: bool | None) -> str | None:
    return None if value is None else ("true" if value else "false")
