"""Keyset pagination shared by every list endpoint: newest first on (created_at, id),
an opaque cursor, `next_cursor` null on the last page. Rows inserted while a client
pages are newer than its cursor, so nothing is skipped or repeated."""

import base64
import json
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.dateparse import parse_datetime
from drf_spectacular.utils import inline_serializer
from rest_framework import serializers
from rest_framework.response import Response


class KeysetParams(serializers.Serializer):
    limit = serializers.IntegerField(min_value=1, max_value=100, default=50)
    cursor = serializers.CharField(required=False, allow_blank=False)

    def validate_cursor(self, value):
        try:
            decode_cursor(value)
        except ValueError as exc:
            raise serializers.ValidationError("Invalid cursor.") from exc
        return value


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
    except (ValueError, TypeError, json.JSONDecodeError) as exc:
        raise ValueError("bad cursor") from exc
    if when is None or not isinstance(pk, str):
        raise ValueError("bad cursor")
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
    (a count reads every matching row: a large list would pay for it on every page)."""
    if count_limit is None:
        total = qs.count()
    else:
        total = qs.order_by()[: count_limit + 1].count()
        total = total if total <= count_limit else None
    ordered = keyset_after(qs.order_by("-created_at", "-pk"), cursor)
    rows = list(ordered[: limit + 1])
    items, more = rows[:limit], len(rows) > limit
    next_cursor = encode_cursor(items[-1].created_at, items[-1].pk) if more else None
    return Page(items=items, next_cursor=next_cursor, total=total)


def page_schema(name: str, item, count_limit: int | None = None) -> serializers.Serializer:
    """The OpenAPI shape of a keyset page of `item`: items, next_cursor, total."""
    if count_limit is None:
        total = serializers.IntegerField()
    else:
        total = serializers.IntegerField(
            allow_null=True, help_text=f"How many match, counted up to {count_limit:,}; null when more do."
        )
    return inline_serializer(
        name,
        {
            "items": item(many=True),
            "next_cursor": serializers.CharField(allow_null=True),
            "total": total,
        },
    )


def keyset_response(qs: QuerySet, params: dict, serializer_class, count_limit: int | None = None) -> Response:
    """The API answer for one page of `qs`: `{items, next_cursor, total}`, from validated KeysetParams."""
    page = keyset_page(qs, limit=params["limit"], cursor=params.get("cursor"), count_limit=count_limit)
    items = serializer_class(page.items, many=True).data
    return Response({"items": items, "next_cursor": page.next_cursor, "total": page.total})
