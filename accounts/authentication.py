"""How a /v1 caller proves who it is, and how every view learns its workspace and mode.

Both authenticators set `request.auth` to an object with `.workspace` and `.mode`
(`live` or `test`): an ApiKey row, or a JwtPrincipal for a dashboard user's JWT.
"""

import hmac
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import BasePermission
from rest_framework_simplejwt.authentication import JWTAuthentication

from accounts import services
from accounts.keys import hash_key, parse_key
from accounts.models import ApiKey, Membership, Mode, Workspace

INVALID_KEY = "Invalid API key."


@dataclass(frozen=True)
class JwtPrincipal:
    workspace: Workspace
    mode: str
    user_id: int

    @property
    def throttle_key(self) -> str:
        return f"user:{self.user_id}:{self.workspace.pk}"


class ApiKeyAuthentication(BaseAuthentication):
    """`Authorization: Bearer dra_live_…` / `dra_test_…`. Returns (AnonymousUser, ApiKey)."""

    keyword = "Bearer"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if len(parts) != 2 or parts[0].decode(errors="replace") != self.keyword:
            return None
        raw = parts[1].decode(errors="replace")
        if not raw.startswith("dra_"):
            return None  # Not an API key: maybe a JWT.
        parsed = parse_key(raw)
        if parsed is None:
            raise exceptions.AuthenticationFailed(INVALID_KEY)
        # The workspace's accounts version with it: what a post's account check may reuse.
        key = (
            ApiKey.objects.select_related("workspace", "workspace__accounts_version")
            .filter(lookup=parsed.lookup)
            .first()
        )
        if key is None or not hmac.compare_digest(key.key_hash, hash_key(raw)):
            raise exceptions.AuthenticationFailed(INVALID_KEY)
        if key.is_revoked:
            raise exceptions.AuthenticationFailed("This API key has been revoked.")
        if not key.workspace.is_active:
            raise exceptions.AuthenticationFailed("This workspace is disabled.")
        services.api_key_touch(api_key=key)
        return AnonymousUser(), key

    def authenticate_header(self, request):
        return self.keyword


class WorkspaceJWTAuthentication(JWTAuthentication):
    """`Authorization: Bearer <JWT>` from POST /v1/auth/token; the token names the workspace."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            return None
        user, token = result
        workspace_id = token.get("workspace_id")
        membership = (
            Membership.objects.select_related("workspace", "workspace__accounts_version")
            .filter(user=user, workspace_id=workspace_id, workspace__is_active=True)
            .first()
        )
        if membership is None:
            raise exceptions.AuthenticationFailed("The token's workspace is not available to this user.")
        mode = token.get("mode")
        if mode not in Mode.values:  # every token Dravo signs names one; anything else is not ours
            raise exceptions.AuthenticationFailed("The token's mode must be live or test.")
        return user, JwtPrincipal(workspace=membership.workspace, mode=mode, user_id=user.pk)


class HasWorkspace(BasePermission):
    """Every /v1 endpoint needs a caller bound to a workspace."""

    def has_permission(self, request, view):
        return getattr(request.auth, "workspace", None) is not None
