from datetime import UTC

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from analytics.selectors import metrics_normalized
from dravo.query import TimeRangeParams
from providers.registry import PROVIDERS


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
