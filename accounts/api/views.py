from drf_spectacular.utils import extend_schema, extend_schema_view, inline_serializer
from rest_framework import mixins, status
from rest_framework import serializers as drf_serializers
from rest_framework.decorators import api_view
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import SAFE_METHODS, AllowAny, BasePermission
from rest_framework.response import Response
from rest_framework_simplejwt.views import TokenObtainPairView, TokenRefreshView

from accounts import selectors, services
from accounts.api.base import WorkspaceViewSet
from accounts.api.serializers import (
    ApiKeyCreatedSerializer,
    ApiKeyCreateSerializer,
    ApiKeySerializer,
    TokenPairSerializer,
    WorkspaceTokenObtainSerializer,
)
from accounts.authentication import HasWorkspace, JwtPrincipal
from accounts.models import ApiKey, Membership
from accounts.throttling import LoginRateThrottle
from dravo.idempotency import IDEMPOTENCY_HEADER, idempotent_response
from dravo.pagination import KeysetParams, keyset_response, page_schema
from dravo.schema import error_response


@extend_schema(
    auth=[],
    tags=["auth"],
    summary="Get a JWT for a dashboard user",
    responses={200: TokenPairSerializer, 401: error_response(401)},
)
class TokenObtainView(TokenObtainPairView):
    """Every attempt counts against a per-username and a per-address budget (429 over it)."""

    serializer_class = WorkspaceTokenObtainSerializer
    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [LoginRateThrottle]


@extend_schema(
    auth=[],
    tags=["auth"],
    summary="Refresh a JWT",
    description="A new access token for a refresh token that is still valid.",
    responses={
        200: inline_serializer("TokenRefreshed", {"access": drf_serializers.CharField()}),
        401: error_response(401),
    },
)
class TokenRefreshView_(TokenRefreshView):
    permission_classes = [AllowAny]
    authentication_classes = []


class IsWorkspaceAdmin(BasePermission):
    """API keys act for the whole workspace; a JWT user must be its owner or an admin."""

    message = "Only owners and admins of the workspace can manage API keys."

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS or not isinstance(request.auth, JwtPrincipal):
            return True
        role = selectors.membership_role(user_id=request.auth.user_id, workspace=request.auth.workspace)
        return role in (Membership.Role.OWNER, Membership.Role.ADMIN)


@extend_schema(tags=["api-keys"])
@extend_schema_view(
    list=extend_schema(summary="List the workspace's API keys"),
    retrieve=extend_schema(summary="Show an API key"),
    destroy=extend_schema(summary="Revoke an API key"),
)
class ApiKeyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, WorkspaceViewSet):
    """The workspace's API keys. Creating returns the key once; deleting revokes it.

    A key (or JWT) creates keys of its own mode only: a test key never mints a live one.
    """

    serializer_class = ApiKeySerializer
    permission_classes = [HasWorkspace, IsWorkspaceAdmin]
    pagination_class = None

    model = ApiKey

    def scoped_queryset(self):
        return selectors.api_key_list(workspace=self.workspace)

    @extend_schema(
        summary="List the workspace's API keys",
        parameters=[KeysetParams],
        responses=page_schema("ApiKeyPage", ApiKeySerializer),
    )
    def list(self, request):
        params = KeysetParams(data=request.query_params)
        params.is_valid(raise_exception=True)
        return keyset_response(self.get_queryset(), params.validated_data, ApiKeySerializer)

    @extend_schema(
        summary="Create an API key",
        request=ApiKeyCreateSerializer,
        responses={201: ApiKeyCreatedSerializer},
        parameters=[IDEMPOTENCY_HEADER],
    )
    def create(self, request):
        # The raw key is shown once: the idempotency record keeps the answer without it.
        return idempotent_response(request, self.workspace, lambda: self._create(request), secret_fields=("key",))

    def _create(self, request):
        params = ApiKeyCreateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        mode = params.validated_data.get("mode") or self.mode
        if mode != self.mode:
            raise PermissionDenied({"mode": f"A {self.mode} key or token can only create {self.mode} keys."})
        key, raw = services.api_key_create(workspace=self.workspace, mode=mode, **_only(params, "name"))
        key.key = raw
        return status.HTTP_201_CREATED, ApiKeyCreatedSerializer(key).data

    def perform_destroy(self, instance):
        services.api_key_revoke(api_key=instance)


def _only(serializer, *names) -> dict:
    return {name: serializer.validated_data[name] for name in names if name in serializer.validated_data}


@extend_schema(
    tags=["auth"],
    summary="Check a credential",
    responses=inline_serializer(
        "WhoAmI",
        {
            "workspace_id": drf_serializers.CharField(),
            "workspace": drf_serializers.CharField(),
            "mode": drf_serializers.CharField(),
        },
    ),
)
@api_view(["GET"])
def whoami(request):
    """The caller's workspace and mode: a cheap authenticated call to check a key."""
    workspace = request.auth.workspace
    return Response({"workspace_id": workspace.pk, "workspace": workspace.name, "mode": request.auth.mode})
