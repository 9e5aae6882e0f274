from datetime import UTC

from rest_framework import serializers

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
    page = serializers.IntegerField(min_value=1, default=1)
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


class AnalyticsItemSerializer(serializers.Serializer):
    post_id = serializers.CharField(source="delivery.post_id")
    account_id = serializers.CharField(source="delivery.account_id")
    platform = serializers.CharField(source="provider")
    platform_post_id = serializers.CharField(source="delivery.platform_post_id")
    platform_post_url = serializers.SerializerMethodField()
    text = serializers.CharField(source="delivery.post.text")
    created_at = serializers.DateTimeField()
    published_at = serializers.DateTimeField(source="delivery.published_at", allow_null=True)
    metrics = serializers.DictField()
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
    metrics = serializers.DictField(child=serializers.IntegerField())


class AnalyticsPageSerializer(serializers.Serializer):
    items = AnalyticsItemSerializer(many=True)
    total = serializers.IntegerField()
    page = serializers.IntegerField()
    limit = serializers.IntegerField()
    overview = OverviewSerializer()
