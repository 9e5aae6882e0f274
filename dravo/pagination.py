"""Keyset pagination shared by every list endpoint: newest first on (created_at, id),
an opaque cursor, `next_cursor` null on the last page. Rows inserted while a client
pages are newer than its cursor, so nothing is skipped or repeated."""

import base64
import json
from dataclasses import dataclass
from datetime import UTC

from django.db.models import Q, QuerySet
from django.utils.dateparse import parse_datetime
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers
from rest_framework.response import Response

from dravo.query import QueryParams

# A well-formed cursor, for the documentation (it pages from the start of 2030 down).
CURSOR_EXAMPLE = "WyIyMDMwLTAxLTAxVDAwOjAwOjAwKzAwOjAwIiwgInBvc3RfMDAwMDAwMDAwMDAwMDAwMCJd"


@extend_schema_field(
    {
        "type": "string",
        "minLength": 1,
        "pattern": "^[A-Za-z0-9_-]+$",
        "example": CURSOR_EXAMPLE,
        "description": "The `next_cursor` of the previous page (opaque); any other value is a 400.",
    }
)
class CursorField(serializers.CharField):
    """An opaque keyset cursor, as `encode_cursor` writes it: a 400 naming it otherwise."""

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        try:
            decode_cursor(value)
        except ValueError as exc:
            raise serializers.ValidationError("Invalid cursor.") from exc
        return value


class KeysetParams(QueryParams):
    limit = serializers.IntegerField(min_value=1, max_value=100, default=50, help_text="Rows per page.")
    cursor = CursorField(required=False, allow_blank=False)


@dataclass
class Page:
    items: list
    next_cursor: str | None
    total: int | None


def encode_cursor(created_at, pk: str) -> str:
    raw = json.dumps([created_at.isoformat(), pk]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str):
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        created_at, pk = json.loads(base64.urlsafe_b64decode(padded.encode()))
        when = parse_datetime(created_at)
        if when is None or when.tzinfo is None or not isinstance(pk, str):
            raise ValueError("bad cursor")
        when = when.astimezone(UTC)  # a forged offset at the ends of time overflows here, not in the query
    except (ValueError, TypeError, OverflowError, RecursionError) as exc:
        raise ValueError("bad cursor") from exc
    return when, pk


def keyset_after(qs: QuerySet, cursor: str | None) -> QuerySet:
    """`qs` after the row that `cursor` names, in (created_at, id) order, newest first."""
    if not cursor:
        return qs
    when, pk = decode_cursor(cursor)
    # `created_at <= when` bounds the (…, created_at, id) index range; the OR alone would be
    # a filter on every row from the newest down to the cursor.
    return qs.filter(Q(created_at__lte=when), Q(created_at__lt=when) | Q(pk__lt=pk))


def keyset_page(qs: QuerySet, *, limit: int, cursor: str | None = None, count_limit: int | None = None) -> Page:
    """One page of `qs` (already filtered and scoped), newest first. `total` counts all of
    `qs`; with `count_limit` it counts at most that many and is None when there are more
    (a count reads every matching row: a large list would pay for it on every page). The
    capped count takes the first `count_limit + 1` rows in `qs`'s own order, so the caller
    chooses the plan: ordered like the page, it walks the page's index and stops there."""
    if count_limit is None:
        total = qs.count()
    else:
        total = qs[: count_limit + 1].count()
        total = total if total <= count_limit else None
    ordered = keyset_after(qs.order_by("-created_at", "-pk"), cursor)
    rows = list(ordered[: limit + 1])
    items, more = rows[:limit], len(rows) > limit
    next_cursor = encode_cursor(items[-1].created_at, items[-1].pk) if more else None
    return Page(items=items, next_cursor=next_cursor, total=total)


def page_schema(name: str, item, count_limit: int | None = None) -> type[serializers.Serializer]:
    """The OpenAPI shape of one keyset page of `item` (a serializer class), named `name`.

    A page is one object even on a list route, where drf-spectacular would otherwise
    document an array of pages."""

    @extend_schema_serializer(many=False, component_name=name)
    class PageSerializer(serializers.Serializer):
        items = item(many=True, help_text="This page's rows, newest first.")
        next_cursor = serializers.CharField(
            allow_null=True, help_text="Pass as `cursor` for the next page; null on the last page."
        )
        if count_limit is None:
            total = serializers.IntegerField(help_text="How many rows match, on all pages.")
        else:
            total = serializers.IntegerField(
                allow_null=True, help_text=f"How many rows match, counted up to {count_limit:,}; null when more do."
            )

    return PageSerializer


def keyset_response(qs: QuerySet, params: dict, serializer_class, count_limit: int | None = None) -> Response:
    """The API answer for one page of `qs`: `{items, next_cursor, total}`, from validated KeysetParams."""
    page = keyset_page(qs, limit=params["limit"], cursor=params.get("cursor"), count_limit=count_limit)
    items = serializer_class(page.items, many=True).data
    return Response({"items": items, "next_cursor": page.next_cursor, "total": page.total})
