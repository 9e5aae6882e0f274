"""`client.analytics`: the networks' official metrics of posts and accounts, as cached."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from dravo_sdk.models import AccountAnalytics, AnalyticsItem, AnalyticsPage
from dravo_sdk.operations import Resource, operation
from dravo_sdk.resources.accounts import _flag
from dravo_sdk.resources.posts import iso


class Analytics(Resource):
    @operation("GET", "/analytics/posts")
    def posts_page(self, *, page: int = 1, limit: int | None = None, post_id: str | None = None,
                   account_id: str | None = None, provider: str | None = None,
                   from_: datetime | str | None = None, to: datetime | str | None = None,
                   refresh: bool | None = None) -> AnalyticsPage:
        """One page of post metrics and the `overview` totals of every page. `refresh`
        reads stale numbers from the networks first (within a time bound)."""
        params = {"page": page, "limit": limit, "post_id": post_id, "account_id": account_id,
                  "provider": provider, "from": iso(from_), "to": iso(to), "refresh": _flag(refresh)}
        return AnalyticsPage.from_dict(self._send(self.posts_page, params=params))

    @operation("GET", "/analytics/posts")
    def posts(self, **filters) -> Iterator[AnalyticsItem]:
        """The metrics of every published result matching the filters of `posts_page`,
        page after page."""
        number = 1
        while True:
            page = self.posts_page(page=number, **filters)
            yield from page.items or []
            if not page.items or (page.page or number) * (page.limit or len(page.items)) >= (page.total or 0):
                return
            number += 1

    @operation("GET", "/analytics/accounts")
    def accounts(self, *, account_id: str | None = None, provider: str | None = None,
                 from_: datetime | str | None = None, to: datetime | str | None = None,
                 refresh: bool | None = None, limit: int | None = None) -> Iterator[AccountAnalytics]:
        """Each account's daily numbers (followers, reach, engagement) and best hours."""
        params = {"account_id": account_id, "provider": provider, "from": iso(from_), "to": iso(to),
                  "refresh": _flag(refresh), "limit": limit}
        return self._pages(self.accounts, AccountAnalytics, params, items_key="data")
