from datetime import UTC, timedelta

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from analytics.selectors import metrics_normalized
from dravo.query import TimeRangeParams
from providers.registry import CLIENTS, PROVIDERS


class AnalyticsParams(TimeRangeParams):
    """Snake_case names like every list; the documented camelCase names (and `platform`)
    keep working as aliases, with their old reading of a date-time without an offset (UTC).
    `from`/`to` are on the result's `created_at`."""

    post_id = serializers.CharField(required=False, max_length=200, help_text="One Dravo post id or platform post id.")
    account_id = serializers.CharField(required=False, max_length=64, help_text="One connected account.")
    provider = serializers.ChoiceField(choices=PROVIDERS, required=False, help_text="One network.")
    refresh = serializers.BooleanField(required=False, default=False)
    page = serializers.IntegerField(min_value=1, max_value=100_000, default=1)  # its OFFSET must fit the database
    limit = serializers.IntegerField(min_value=1, max_value=100, default=25)
    postId = serializers.CharField(required=False, max_length=200, help_text="Same as post_id.")  # noqa: N815
    accountId = serializers.CharField(required=False, max_length=64, help_text="Same as account_id.")  # noqa: N815
    platform = serializers.ChoiceField(choices=PROVIDERS, required=False, help_text="Same as provider.")
    fromDate = serializers.DateTimeField(required=False, default_timezone=UTC, help_text="Same as from.")  # noqa: N815
    toDate = serializers.DateTimeField(required=False, default_timezone=UTC, help_text="Same as to.")  # noqa: N815

    aliases = {
        "postId": "post_id",
        "accountId": "account_id",
        "platform": "provider",
        "fromDate": "from",
        "toDate": "to",
    }


@extend_schema_field({"type": "integer", "nullable": True})
class NormalizedCount(serializers.Field):
    """One normalized count of a row (views, likes, …), from the network's own metric keys;
    null where the network has no such number."""

    def __init__(self, metric: str, **kwargs):
        self.metric = metric
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, row):
        return metrics_normalized(provider=row.provider, metrics=row.metrics)[self.metric]


NORMALIZED_HELP = "{} of the post under one name on every network (null where the network has no such number)."


class AnalyticsItemSerializer(serializers.Serializer):
    post_id = serializers.CharField(source="delivery.post_id")
    account_id = serializers.CharField(source="delivery.account_id")
    platform = serializers.CharField(source="provider")
    platform_post_id = serializers.CharField(source="delivery.platform_post_id")
    platform_post_url = serializers.SerializerMethodField()
    text = serializers.CharField(source="delivery.post.text")
    created_at = serializers.DateTimeField()
    published_at = serializers.DateTimeField(source="delivery.published_at", allow_null=True)
    metrics = serializers.DictField(help_text="The network's own metric names and values.")
    views = NormalizedCount("views", help_text=NORMALIZED_HELP.format("Views (impressions, plays)"))
    likes = NormalizedCount("likes", help_text=NORMALIZED_HELP.format("Likes (or reactions)"))
    comments = NormalizedCount("comments", help_text=NORMALIZED_HELP.format("Comments (or replies)"))
    shares = NormalizedCount("shares", help_text=NORMALIZED_HELP.format("Shares (or reposts)"))
    clicks = NormalizedCount("clicks", help_text=NORMALIZED_HELP.format("Clicks"))
    warnings = serializers.ListField(child=serializers.CharField())
    sync_status = serializers.CharField()
    error_message = serializers.SerializerMethodField()
    last_updated_at = serializers.DateTimeField(allow_null=True)
    stale_after = serializers.DateTimeField(allow_null=True)

    def get_platform_post_url(self, row) -> str | None:
        return row.delivery.platform_post_url or None

    def get_error_message(self, row) -> str | None:
        return row.error_message or None


class OverviewSerializer(serializers.Serializer):
    posts = serializers.IntegerField()
    views = serializers.IntegerField(allow_null=True, help_text="Sum of the rows' `views` (null if none has one).")
    likes = serializers.IntegerField(allow_null=True, help_text="Sum of the rows' `likes` (null if none has one).")
    comments = serializers.IntegerField(
        allow_null=True, help_text="Sum of the rows' `comments` (null if none has one)."
    )
    shares = serializers.IntegerField(allow_null=True, help_text="Sum of the rows' `shares` (null if none has one).")
    clicks = serializers.IntegerField(allow_null=True, help_text="Sum of the rows' `clicks` (null if none has one).")
    metrics = serializers.DictField(
        child=serializers.IntegerField(),
        help_text="Each network metric that is a count, summed over the rows; ratios are never summed.",
    )


class AnalyticsPageSerializer(serializers.Serializer):
    items = AnalyticsItemSerializer(many=True)
    total = serializers.IntegerField()
    page = serializers.IntegerField()
    limit = serializers.IntegerField()
    overview = OverviewSerializer()


class AccountAnalyticsParams(serializers.Serializer):
    """`from`/`to` are UTC days, both included (`from` is a Python keyword, hence get_fields)."""

    to = serializers.DateField(required=False, help_text="The last day (UTC), today by default.")
    account_id = serializers.CharField(required=False, max_length=64, help_text="One connected account.")
    provider = serializers.ChoiceField(choices=PROVIDERS, required=False, help_text="One network.")
    refresh = serializers.BooleanField(required=False, default=False, help_text="Read today's numbers again now.")
    cursor = serializers.CharField(required=False, max_length=64, help_text="next_cursor of the previous page.")
    limit = serializers.IntegerField(min_value=1, max_value=100, default=50)

    def get_fields(self):
        first = serializers.DateField(required=False, help_text="The first day (UTC), 29 days before to by default.")
        return {"from": first, **super().get_fields()}

    def validate(self, attrs):
        attrs["to"] = attrs.get("to") or timezone.now().date()
        attrs["from"] = attrs.get("from") or attrs["to"] - timedelta(days=29)
        if attrs["from"] > attrs["to"]:
            raise serializers.ValidationError({"from": ["Must not be after to."]}, code="invalid")
        if (attrs["to"] - attrs["from"]).days > 365:
            raise serializers.ValidationError({"from": ["At most 366 days from to."]}, code="invalid")
        return attrs


class AccountDaySerializer(serializers.Serializer):
    date = serializers.DateField(source="day")
    followers = serializers.IntegerField(
        allow_null=True, help_text="Followers (subscribers, members…); null where the network has none."
    )
    reach = serializers.IntegerField(
        allow_null=True, help_text="The account's reach (impressions, views) that day, where served."
    )
    engagement = serializers.IntegerField(allow_null=True, help_text="The account's engagement that day, where served.")
    metrics = serializers.DictField(help_text="The network's own numbers, under its own names.")
    sync_status = serializers.CharField()

    def to_representation(self, row):
        normalized = CLIENTS[row.provider].normalize_account_metrics(row.metrics or {})
        return {"date": row.day.isoformat(), **normalized, "metrics": row.metrics, "sync_status": row.sync_status}


class BestHourSerializer(serializers.Serializer):
    day = serializers.CharField(help_text="mon … sun")
    hour = serializers.IntegerField(help_text="0-23, UTC.")
    score = serializers.FloatField(help_text="Its posts' mean engagement over the account's mean (1 = usual).")


class BestTimesSerializer(serializers.Serializer):
    time_zone = serializers.CharField()
    posts = serializers.IntegerField(help_text="Posts with metrics (last 90 days) they come from.")
    hours = BestHourSerializer(many=True)


class AccountAnalyticsSerializer(serializers.Serializer):
    account_id = serializers.CharField()
    provider = serializers.CharField()
    handle = serializers.CharField()
    sync_status = serializers.CharField(help_text="Of today's row: synced, unsupported, failed, requires_reconnect…")
    error = serializers.CharField(allow_null=True)
    days = AccountDaySerializer(many=True)
    best_times = BestTimesSerializer()


class AccountAnalyticsPageSerializer(serializers.Serializer):
    data = AccountAnalyticsSerializer(many=True)
    next_cursor = serializers.CharField(allow_null=True)
