"""The network rules as the API shows them (`GET /v1/networks`): read from the registry's
descriptors, so a new network appears here with its folder and registry line."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.schemas.openapi import AutoSchema

from dravo.query import QueryParams
from providers import registry


class NetworkListParams(QueryParams):
    provider = serializers.ChoiceField(choices=registry.CHOICES, required=False, help_text="Only this network.")


class _OptionsSchema(AutoSchema):
    """DRF's serializer-to-JSON-Schema mapping, with booleans as booleans (it leaves
    them strings)."""

    def map_field(self, field):
        if isinstance(field, serializers.BooleanField):
            return {"type": "boolean"}
        return super().map_field(field)


def options_json_schema(network) -> dict:
    """The JSON Schema of `platform_options.<network key>`, from the same serializer that
    checks it on a create (extra keys are refused there)."""
    schema = _OptionsSchema().map_serializer(network.client.options_serializer())
    return {**schema, "additionalProperties": False}


class TextLimitSerializer(serializers.Serializer):
    max = serializers.IntegerField(help_text="The longest text, counted as `count` says.")
    count = serializers.CharField(help_text="chars, utf16, weighted, utf8_emoji, utf8, url23 or graphemes.")


class MediaLimitSerializer(serializers.Serializer):
    kind = serializers.CharField()
    formats = serializers.ListField(child=serializers.CharField(), help_text="MIME types; empty: none named.")
    max_count = serializers.IntegerField(allow_null=True)
    max_bytes = serializers.IntegerField(allow_null=True)
    seconds = serializers.ListField(
        child=serializers.FloatField(allow_null=True), allow_null=True, help_text="[shortest, longest] of a video."
    )


class DestinationKindSerializer(serializers.Serializer):
    kind = serializers.CharField()
    option = serializers.CharField(help_text="The option of `platform_options.<key>` that takes a destination's id.")
    label = serializers.CharField()
    required = serializers.BooleanField()
    multiple = serializers.BooleanField()


class NetworkSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="The key of `provider` and of `platform_options`.")
    label = serializers.CharField()
    text_limit = TextLimitSerializer(source="limits.text")
    media = MediaLimitSerializer(source="limits.media", many=True)
    media_required = serializers.BooleanField(source="limits.media_required")
    content_kinds = serializers.ListField(child=serializers.CharField())
    rules = serializers.SerializerMethodField(help_text="The limits Dravo checks, in words.")
    options = serializers.SerializerMethodField(help_text="JSON Schema of `platform_options.<key>`.")
    required_options = serializers.SerializerMethodField(help_text="Options it needs before publishing (dotted).")
    option_hints = serializers.SerializerMethodField(help_text="Hints on some options, by dotted path.")
    destinations = DestinationKindSerializer(allow_null=True, help_text="Places inside an account a post goes to.")
    refuses_repeated_text = serializers.BooleanField(help_text="It refuses a text that repeats a recent post.")

    def get_rules(self, network) -> dict[str, str]:
        return dict(network.client.capabilities.get("limits", {}))

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_options(self, network):
        return options_json_schema(network)

    def get_required_options(self, network) -> list[str]:
        return [".".join(path) for path in network.required_options]

    def get_option_hints(self, network) -> dict[str, str]:
        return {".".join(path): hint for path, hint in network.option_hints.items()}


class NetworkPageSerializer(serializers.Serializer):
    items = NetworkSerializer(many=True, help_text="The networks, in the registry's order.")
    next_cursor = serializers.CharField(allow_null=True, help_text="Always null: one page holds them all.")
    total = serializers.IntegerField()
