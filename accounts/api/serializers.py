from rest_framework import serializers
from rest_framework_simplejwt.serializers import TokenObtainPairSerializer

from accounts import selectors
from accounts.models import REQUIRED_CREDENTIAL_EXTRAS, Mode, Provider, SocialAccount
from accounts.oauth import no_oauth_reason
from dravo.fields import TOKEN_VALIDATOR, StrictCharField
from dravo.pagination import KeysetParams
from providers.fields import StrictSerializer
from sandbox.core import BEHAVIORS


class WorkspaceTokenObtainSerializer(TokenObtainPairSerializer):
    """username + password (+ optional workspace id and mode) → access and refresh tokens
    that name the workspace. The access token lives 15 minutes."""

    workspace = serializers.CharField(required=False, help_text="Workspace id (default: the user's first).")
    mode = serializers.ChoiceField(choices=Mode.choices, required=False, default=Mode.LIVE)

    def validate(self, attrs):
        data = super().validate(attrs)  # authenticates self.user or raises 401
        membership = selectors.membership_for_user(user=self.user, workspace_id=attrs.get("workspace"))
        if membership is None:
            raise serializers.ValidationError({"workspace": "This user is not a member of that workspace."})
        refresh = self.get_token(self.user)
        refresh["workspace_id"] = membership.workspace_id
        refresh["mode"] = attrs.get("mode", Mode.LIVE)
        data["refresh"] = str(refresh)
        data["access"] = str(refresh.access_token)
        data["workspace_id"] = membership.workspace_id
        data["mode"] = refresh["mode"]
        return data


class TokenPairSerializer(serializers.Serializer):
    """The answer of POST /v1/auth/token (documentation only)."""

    access = serializers.CharField(help_text="Access token (15 minutes): `Authorization: Bearer …`.")
    refresh = serializers.CharField(help_text="Refresh token, for POST /v1/auth/token/refresh.")
    workspace_id = serializers.CharField()
    mode = serializers.ChoiceField(choices=Mode.choices, help_text="The mode whose rows the token sees.")


class ApiKeySerializer(serializers.Serializer):
    id = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    mode = serializers.CharField(read_only=True)
    prefix = serializers.CharField(source="display_prefix", read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    last_used_at = serializers.DateTimeField(read_only=True, allow_null=True)
    revoked_at = serializers.DateTimeField(read_only=True, allow_null=True)


class ApiKeyCreateSerializer(serializers.Serializer):
    name = StrictCharField(max_length=200, required=False, default="", allow_blank=True)
    mode = serializers.ChoiceField(
        choices=Mode.choices,
        required=False,
        help_text="Default and only allowed value: the caller's mode (another mode is a 403).",
    )


class ApiKeyCreatedSerializer(ApiKeySerializer):
    # Not read_only: the schema lists read-only fields as always present, and a replay
    # answers without this one. The serializer only renders.
    key = serializers.CharField(
        required=False,
        help_text="The key itself. Shown only in this response: an Idempotency-Key replay answers the same key "
        "object without it.",
    )


class SocialAccountSerializer(serializers.ModelSerializer):
    class Meta:
        model = SocialAccount
        fields = [
            "id",
            "provider",
            "platform_account_id",
            "handle",
            "name",
            "health",
            "health_reason",
            "connection_type",
            "mode",
            "token_expires_at",
            "metadata",
            "created_at",
        ]
        read_only_fields = fields


class SocialAccountCreatedSerializer(serializers.ModelSerializer):
    class Meta:
        model = SocialAccount
        fields = ["id", "provider", "health", "handle", "platform_account_id", "connection_type"]
        read_only_fields = fields


class SocialAccountRefreshedSerializer(serializers.ModelSerializer):
    class Meta:
        model = SocialAccount
        fields = ["id", "health", "token_expires_at"]
        read_only_fields = fields


class SandboxSettingsSerializer(StrictSerializer):
    behavior = serializers.ChoiceField(choices=BEHAVIORS, default="ok")
    latency_ms = serializers.IntegerField(min_value=0, max_value=60_000, required=False)


class CredentialsSerializer(serializers.Serializer):
    """access_token plus the provider's extras; other keys are kept as given."""

    access_token = StrictCharField(max_length=8000, trim_whitespace=False, validators=[TOKEN_VALIDATOR])
    refresh_token = StrictCharField(max_length=8000, required=False, validators=[TOKEN_VALIDATOR])
    expires_at = serializers.DateTimeField(required=False)
    sandbox = SandboxSettingsSerializer(required=False, help_text="Test mode only: the sandbox behaviour.")

    def to_internal_value(self, data):
        validated = super().to_internal_value(data)
        extras = {k: v for k, v in data.items() if k not in self.fields} if isinstance(data, dict) else {}
        for key, value in extras.items():
            if not isinstance(value, (str, int)) or len(str(value)) > 2000:
                raise serializers.ValidationError({key: "Must be a string of at most 2000 characters."})
        return {**extras, **validated}


class SocialAccountConnectSerializer(serializers.Serializer):
    provider = serializers.ChoiceField(choices=Provider.choices)
    platform_account_id = StrictCharField(max_length=200)
    handle = StrictCharField(max_length=200, required=False, allow_blank=True)
    credentials = CredentialsSerializer()

    def validate(self, attrs):
        credentials = attrs["credentials"]
        missing = [k for k in REQUIRED_CREDENTIAL_EXTRAS.get(attrs["provider"], []) if not credentials.get(k)]
        if missing:
            raise serializers.ValidationError(
                {f"credentials.{key}": f"Required for {attrs['provider']} accounts." for key in missing}
            )
        if "expires_at" in credentials:
            credentials["expires_at"] = credentials["expires_at"].isoformat()
        return attrs


class SocialAccountListParams(KeysetParams):
    provider = serializers.ChoiceField(choices=Provider.choices, required=False)
    q = serializers.CharField(required=False, max_length=200)


class ConnectLinkRequestSerializer(serializers.Serializer):
    provider = serializers.ChoiceField(choices=Provider.choices)
    redirect_uri = serializers.URLField(required=False, allow_blank=True, default="", max_length=2000)

    def validate_provider(self, value):
        if reason := no_oauth_reason(value):
            raise serializers.ValidationError(reason, code="oauth_unavailable")
        return value

    def validate_redirect_uri(self, value):
        if value and not value.lower().startswith(("https://", "http://")):
            raise serializers.ValidationError("Must be an http(s) URL.")
        return value


class ConnectLinkSerializer(serializers.Serializer):
    url = serializers.URLField(
        required=False, help_text="Shown only in this response: an Idempotency-Key replay answers without it."
    )
    expires_at = serializers.DateTimeField()


class DestinationListParams(KeysetParams):
    refresh = serializers.BooleanField(
        required=False, default=False, help_text="Read the listing from the network now instead of Dravo's copy."
    )


class DestinationSerializer(serializers.Serializer):
    id = serializers.CharField(source="external_id", help_text="The id the network's option takes.")
    name = serializers.CharField()
    kind = serializers.CharField(help_text="board, playlist, location or category.")
    option = serializers.SerializerMethodField(help_text="The `platform_options.<provider>` key that takes this id.")
    extra = serializers.DictField(help_text="What else the network says of it (privacy, address, parent…).")

    def get_option(self, obj) -> str:
        return self.context["option"]


class DestinationPageSerializer(serializers.Serializer):
    items = DestinationSerializer(many=True, help_text="This page's destinations, in the network's order.")
    next_cursor = serializers.CharField(
        allow_null=True, help_text="Pass as `cursor` for the next page; null on the last page."
    )
    total = serializers.IntegerField(help_text="How many destinations the account has.")
    fetched_at = serializers.DateTimeField(allow_null=True, help_text="When Dravo last read them from the network.")
