from rest_framework import serializers

from providers.registry import PROVIDERS


class AnalyticsParams(serializers.Serializer):
    postId = serializers.CharField(required=False, max_length=200)  # noqa: N815 - documented name
    accountId = serializers.CharField(required=False, max_length=64)  # noqa: N815
    platform = serializers.ChoiceField(choices=PROVIDERS, required=False)
    fromDate = serializers.DateTimeField(required=False)  # noqa: N815
    toDate = serializers.DateTimeField(required=False)  # noqa: N815
    refresh = serializers.BooleanField(required=False, default=False)
    page = serializers.IntegerField(min_value=1, max_value=100_000, default=1)  # its OFFSET must fit the database
    limit = serializers.IntegerField(min_value=1, max_value=100, default=25)

    def validate(self, attrs):
        if attrs.get("fromDate") and attrs.get("toDate") and attrs["fromDate"] > attrs["toDate"]:
            raise serializers.ValidationError({"fromDate": "Must not be after toDate."})
        return attrs


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
