from rest_framework import serializers
from rest_framework_simplejwt.serializers import TokenObtainPairSerializer

from accounts import selectors
from accounts.models import Mode


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


class ApiKeySerializer(serializers.Serializer):
    id = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    mode = serializers.CharField(read_only=True)
    prefix = serializers.CharField(source="display_prefix", read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    last_used_at = serializers.DateTimeField(read_only=True)
    revoked_at = serializers.DateTimeField(read_only=True)


class ApiKeyCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False, default="")
    mode = serializers.ChoiceField(choices=Mode.choices, required=False, help_text="Default: the caller's mode.")


class ApiKeyCreatedSerializer(ApiKeySerializer):
    key = serializers.CharField(read_only=True, help_text="The key itself. Shown only in this response.")
