from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts import selectors, services
from accounts.api.base import WorkspaceViewSet
from accounts.api.serializers import (
    ConnectLinkRequestSerializer,
    ConnectLinkSerializer,
    DestinationListParams,
    DestinationPageSerializer,
    SocialAccountConnectSerializer,
    SocialAccountCreatedSerializer,
    SocialAccountListParams,
    SocialAccountRefreshedSerializer,
    SocialAccountSerializer,
)
from accounts.models import SocialAccount
from accounts.services.destinations import destinations_page
from dravo.idempotency import IDEMPOTENCY_HEADER, idempotent_response
from dravo.pagination import keyset_response, page_schema
from dravo.schema import CONFLICT, UNAVAILABLE
from providers import registry


@extend_schema(tags=["accounts"])
@extend_schema_view(retrieve=extend_schema(summary="Show a connected account"))
class SocialAccountViewSet(mixins.RetrieveModelMixin, WorkspaceViewSet):
    """Connected social accounts of the caller's workspace and mode."""

    model = SocialAccount
    serializer_class = SocialAccountSerializer

    def scoped_queryset(self):
        return selectors.social_account_list(workspace=self.workspace, mode=self.mode)

    @extend_schema(
        summary="List connected accounts",
        parameters=[SocialAccountListParams],
        responses=page_schema("AccountPage", SocialAccountSerializer),
    )
    def list(self, request):
        params = SocialAccountListParams(data=request.query_params)
        params.is_valid(raise_exception=True)
        p = params.validated_data
        qs = selectors.social_account_list(
            workspace=self.workspace, mode=self.mode, provider=p.get("provider"), q=p.get("q")
        )
        return keyset_response(qs, p, SocialAccountSerializer)

    @extend_schema(
        summary="Connect an account with its own token",
        description="201 for a new account, 200 when the same account was already connected (updated).",
        request=SocialAccountConnectSerializer,
        responses={201: SocialAccountCreatedSerializer, 200: SocialAccountCreatedSerializer, 503: UNAVAILABLE},
        parameters=[IDEMPOTENCY_HEADER],
    )
    def create(self, request):
        return idempotent_response(request, self.workspace, self._store, prepare=lambda: self._verify(request))

    def _verify(self, request) -> dict:
        params = SocialAccountConnectSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        return services.social_account_verify(mode=self.mode, **params.validated_data)

    def _store(self, verified: dict):
        account, created = services.social_account_store(workspace=self.workspace, mode=self.mode, **verified)
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return code, SocialAccountCreatedSerializer(account).data

    @extend_schema(summary="Disconnect an account", responses={204: None})
    def destroy(self, request, pk=None):
        services.social_account_disconnect(account=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Create a hosted connect link",
        request=ConnectLinkRequestSerializer,
        responses={201: ConnectLinkSerializer},
        parameters=[IDEMPOTENCY_HEADER],
    )
    @action(detail=False, methods=["post"])
    def connect(self, request):
        """A single-use hosted connect link for your own end user (valid 30 minutes)."""
        # The URL carries the link's bearer token: answered once, never stored in clear.
        return idempotent_response(request, self.workspace, lambda: self._connect_link(request), secret_fields=("url",))

    def _connect_link(self, request):
        params = ConnectLinkRequestSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        link, url = services.connect_link_create(workspace=self.workspace, mode=self.mode, **params.validated_data)
        return status.HTTP_201_CREATED, ConnectLinkSerializer({"url": url, "expires_at": link.expires_at}).data

    @extend_schema(
        summary="Refresh an account's token",
        request=None,
        responses={200: SocialAccountRefreshedSerializer, 409: CONFLICT, 503: UNAVAILABLE},
    )
    @action(detail=True, methods=["post"])
    def refresh(self, request, pk=None):
        account = services.social_account_refresh(account_id=self.get_object().id)
        return Response(SocialAccountRefreshedSerializer(account).data)

    @extend_schema(
        summary="List the places inside an account a post can go to",
        description=(
            "Boards, playlists, locations or categories, in the network's order, for networks "
            "that post to a place inside the account; pass the chosen `id` as the option named "
            "by `option` in `platform_options.<provider>`. Served from Dravo's copy of the "
            "network's listing (read again after an hour, or now with `refresh=true`). Empty for "
            "a network that posts to the account itself."
        ),
        parameters=[DestinationListParams],
        responses={200: DestinationPageSerializer, 409: CONFLICT, 503: UNAVAILABLE},
    )
    @action(detail=True, methods=["get"])
    def destinations(self, request, pk=None):
        account = self.get_object()
        params = DestinationListParams(data=request.query_params)
        params.is_valid(raise_exception=True)
        p = params.validated_data
        items, next_cursor, total, fetched_at = destinations_page(
            account=account, limit=p["limit"], cursor=p.get("cursor"), refresh=p["refresh"]
        )
        kind = registry.network(account.provider).destinations
        option = kind.option if kind else None
        page = {"items": items, "next_cursor": next_cursor, "total": total, "fetched_at": fetched_at}
        return Response(DestinationPageSerializer(page, context={"option": option}).data)
