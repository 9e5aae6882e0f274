from django.conf import settings
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from analytics import selectors, services
from analytics.api.serializers import AnalyticsItemSerializer, AnalyticsPageSerializer, AnalyticsParams


@extend_schema(tags=["analytics"])
class PostAnalyticsView(APIView):
    """Cached official metrics per published result; missing or stale rows on the page are
    refreshed from the network within a time bound, the rest in the background."""

    @extend_schema(
        summary="Metrics of published posts", parameters=[AnalyticsParams], responses=AnalyticsPageSerializer
    )
    def get(self, request):
        params = AnalyticsParams(data=request.query_params)
        params.is_valid(raise_exception=True)
        p = params.validated_data
        workspace, mode = request.auth.workspace, request.auth.mode
        filters = {
            "post_id": p.get("post_id"),
            "account_id": p.get("account_id"),
            "platform": p.get("provider"),
            "from_date": p.get("from"),
            "to_date": p.get("to"),
        }
        rows, total = selectors.post_metrics_page(
            workspace=workspace, mode=mode, page=p["page"], limit=p["limit"], **filters
        )
        now = timezone.now()
        due = [row for row in rows if p["refresh"] or row.is_stale(now)]
        if due:
            services.post_metrics_refresh_many(rows=due, budget_seconds=settings.ANALYTICS_READ_BUDGET_SECONDS)
            rows, total = selectors.post_metrics_page(
                workspace=workspace, mode=mode, page=p["page"], limit=p["limit"], **filters
            )
        return Response(
            {
                "items": AnalyticsItemSerializer(rows, many=True).data,
                "total": total,
                "page": p["page"],
                "limit": p["limit"],
                "overview": selectors.overview(rows),
            }
        )
