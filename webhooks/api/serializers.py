from rest_framework import serializers

from dravo.events import EVENT_TYPES
from dravo.pagination import KeysetParams
from providers.fields import StrictSerializer
from webhooks.models import Endpoint, EventDelivery

EVENTS_HELP = 'Event types to receive, or ["*"] for all.'
EVENT_CHOICES = ["*", *EVENT_TYPES]


class WebhookSerializer(serializers.ModelSerializer):
    secret_previous_until = serializers.DateTimeField(
        source="previous_secret_until", allow_null=True,
        help_text="After a rotation, until when the previous secret also signs.",
    )

    class Meta:
        model = Endpoint
        fields = ["id", "url", "description", "events", "enabled", "disabled_reason", "failing_since",
                  "secret_previous_until", "created_at", "updated_at"]
        read_only_fields = fields


class WebhookCreatedSerializer(WebhookSerializer):
    secret = serializers.CharField(help_text="The signing secret (`whsec_…`): shown only in this answer.")

    class Meta(WebhookSerializer.Meta):
        fields = [*WebhookSerializer.Meta.fields, "secret"]
        read_only_fields = fields


class WebhookCreateSerializer(StrictSerializer):
    url = serializers.URLField(max_length=2000, help_text="https:// URL that takes the events (POST, JSON).")
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=EVENT_CHOICES), min_length=1, max_length=50, help_text=EVENTS_HELP
    )
    description = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class WebhookUpdateSerializer(StrictSerializer):
    url = serializers.URLField(max_length=2000, required=False)
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=EVENT_CHOICES), min_length=1, max_length=50, required=False,
        help_text=EVENTS_HELP,
    )
    description = serializers.CharField(max_length=500, required=False, allow_blank=True)
    enabled = serializers.BooleanField(required=False, help_text="false pauses it; true enables it again.")


class WebhookTestSerializer(serializers.Serializer):
    event_id = serializers.CharField(help_text="The `webhook-id` of the test event.")
    delivery_id = serializers.CharField()


class EventDeliverySerializer(serializers.ModelSerializer):
    event_id = serializers.CharField()
    event_type = serializers.CharField(source="event.type")
    payload = serializers.JSONField(source="event.payload", help_text="The body sent: {type, timestamp, data}.")

    class Meta:
        model = EventDelivery
        fields = ["id", "event_id", "event_type", "status", "attempts", "last_status_code", "last_response_ms",
                  "next_attempt_at", "delivered_at", "last_error", "response_excerpt", "payload", "created_at"]
        read_only_fields = fields


class EventDeliveryListParams(KeysetParams):
    status = serializers.ChoiceField(choices=EventDelivery.Status.choices, required=False)


class WebhookListParams(KeysetParams):
    pass
