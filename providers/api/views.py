"""`GET /v1/networks`: what each network takes, so a client can plan a post that passes."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from providers import registry
from providers.api.serializers import NetworkListParams, NetworkPageSerializer


class NetworkListView(APIView):
    """The rules of every network (or of one, with `provider`): text limit and how it is
    counted, media, options as JSON Schema, required options, destinations."""

    @extend_schema(
        tags=["networks"],
        summary="List the networks and their rules",
        parameters=[NetworkListParams],
        responses=NetworkPageSerializer,
    )
    def get(self, request):
        params = NetworkListParams(data=request.query_params)
        params.is_valid(raise_exception=True)
        key = params.validated_data.get("provider")
        networks = [network for network in registry.NETWORKS.values() if key in (None, network.key)]
        page = {"items": networks, "next_cursor": None, "total": len(networks)}
        return Response(NetworkPageSerializer(page).data)
