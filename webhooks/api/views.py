from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from accounts.api.base import WorkspaceViewSet
from dravo.idempotency import IDEMPOTENCY_HEADER, idempotent_response
from dravo.pagination import keyset_response, page_schema
from webhooks import selectors
from webhooks.api.serializers import (
    EventDeliveryListParams,
    EventDeliverySerializer,
    WebhookCreatedSerializer,
    WebhookCreateSerializer,
    WebhookListParams,
    WebhookSerializer,
    WebhookTestSerializer,
    WebhookUpdateSerializer,
)
from webhooks.models import Endpoint
from webhooks.services import endpoints as services


def _with_secret(endpoint: Endpoint, secret: str) -> dict:
    """WebhookCreatedSerializer's shape: the endpoint and, this once, its secret."""
    return {**WebhookSerializer(endpoint).data, "secret": secret}


@extend_schema(tags=["webhooks"])
class WebhookViewSet(mixins.RetrieveModelMixin, WorkspaceViewSet):
    """Webhook endpoints of the caller's workspace and mode: a test key's endpoints take
    test-mode events only, a live key's live ones."""

    model = Endpoint
    serializer_class = WebhookSerializer

    def scoped_queryset(self):
        return selectors.endpoint_list(workspace=self.workspace, mode=self.mode)

    @extend_schema(summary="List webhook endpoints", parameters=[WebhookListParams],
                   responses=page_schema("WebhookPage", WebhookSerializer))
    def list(self, request):
        params = WebhookListParams(data=request.query_params)
        params.is_valid(raise_exception=True)
        return keyset_response(self.scoped_queryset(), params.validated_data, WebhookSerializer)

    @extend_schema(summary="Create a webhook endpoint", request=WebhookCreateSerializer,
                   responses={201: WebhookCreatedSerializer}, parameters=[IDEMPOTENCY_HEADER])
    def create(self, request):
        """Its signing secret is in this answer only (a replay answers without it)."""
        return idempotent_response(request, self.workspace, lambda: self._create(request), secret_fields=("secret",))

    def _create(self, request):
        params = WebhookCreateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        endpoint, secret = services.endpoint_create(workspace=self.workspace, mode=self.mode, **params.validated_data)
        return status.HTTP_201_CREATED, _with_secret(endpoint, secret)

    @extend_schema(summary="Show a webhook endpoint")
    def retrieve(self, request, pk=None):
        return super().retrieve(request, pk)

    @extend_schema(summary="Change a webhook endpoint", request=WebhookUpdateSerializer,
                   responses={200: WebhookSerializer})
    def partial_update(self, request, pk=None):
        params = WebhookUpdateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        endpoint = services.endpoint_update(endpoint=self.get_object(), changes=dict(params.validated_data))
        return Response(WebhookSerializer(endpoint).data)

    @extend_schema(summary="Delete a webhook endpoint", responses={204: None})
    def destroy(self, request, pk=None):
        services.endpoint_delete(endpoint=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(summary="Rotate an endpoint's secret", request=None, responses={200: WebhookCreatedSerializer},
                   parameters=[IDEMPOTENCY_HEADER])
    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request, pk=None):
        """A new secret, in this answer only; the old one keeps signing beside it for 24 hours."""
        return idempotent_response(request, self.workspace, lambda: self._rotate(), secret_fields=("secret",))

    def _rotate(self):
        endpoint, secret = services.endpoint_rotate_secret(endpoint=self.get_object())
        return status.HTTP_200_OK, _with_secret(endpoint, secret)

    @extend_schema(summary="Send a test event", request=None, responses={202: WebhookTestSerializer},
                   parameters=[IDEMPOTENCY_HEADER])
    @action(detail=True, methods=["post"])
    def test(self, request, pk=None):
        """A `webhook.test` event to this endpoint; its delivery shows in the log."""
        return idempotent_response(request, self.workspace, lambda: self._test())

    def _test(self):
        event = services.endpoint_send_test(endpoint=self.get_object())
        delivery = event.deliveries.get()
        return status.HTTP_202_ACCEPTED, {"event_id": event.pk, "delivery_id": delivery.pk}

    @extend_schema(summary="List an endpoint's deliveries", parameters=[EventDeliveryListParams],
                   responses=page_schema("WebhookDeliveryPage", EventDeliverySerializer))
    @action(detail=True, methods=["get"])
    def deliveries(self, request, pk=None):
        """Every event sent to the endpoint, newest first, with its attempts and last answer."""
        params = EventDeliveryListParams(data=request.query_params)
        params.is_valid(raise_exception=True)
        qs = selectors.event_delivery_list(endpoint=self.get_object(), status=params.validated_data.get("status"))
        return keyset_response(qs, params.validated_data, EventDeliverySerializer)

    @extend_schema(summary="Send an event again", request=None, responses={202: EventDeliverySerializer},
                   parameters=[IDEMPOTENCY_HEADER])
    @action(detail=True, methods=["post"], url_path=r"deliveries/(?P<delivery_id>[A-Za-z0-9_]+)/redeliver")
    def redeliver(self, request, pk=None, delivery_id=None):
        """The same event (same `webhook-id` and body) to this endpoint again now, with a
        fresh retry schedule."""
        return idempotent_response(request, self.workspace, lambda: self._redeliver(delivery_id))

    def _redeliver(self, delivery_id: str):
        delivery = selectors.event_delivery_get(endpoint=self.get_object(), delivery_id=delivery_id)
        if delivery is None:
            raise NotFound("No such delivery of this endpoint.")
        delivery = services.delivery_redeliver(delivery=delivery)
        return status.HTTP_202_ACCEPTED, EventDeliverySerializer(delivery).data
