from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from analytics import account_services, selectors, services
from analytics.api.serializers import (
    AccountAnalyticsPageSerializer,
    AccountAnalyticsParams,
    AnalyticsItemSerializer,
    AnalyticsPageSerializer,
    AnalyticsParams,
)


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


@extend_schema(tags=["analytics"])
class AccountAnalyticsView(APIView):
    """Each account's own numbers per day and its best hours; today's numbers, when missing
    or older than a few hours, are read from the network within a time bound first."""

    @extend_schema(
        summary="Followers, reach and engagement of accounts",
        parameters=[AccountAnalyticsParams],
        responses=AccountAnalyticsPageSerializer,
    )
    def get(self, request):
        params = AccountAnalyticsParams(data=request.query_params)
        params.is_valid(raise_exception=True)
        p = params.validated_data
        accounts = selectors.account_analytics_accounts(
            workspace=request.auth.workspace,
            mode=request.auth.mode,
            account_id=p.get("account_id"),
            provider=p.get("provider"),
            after=p.get("cursor"),
        )
        page = list(accounts[: p["limit"] + 1])
        more, page = len(page) > p["limit"], page[: p["limit"]]
        ids = [a.pk for a in page]
        due = ids if p["refresh"] else account_services.account_metrics_due(accounts=accounts.filter(pk__in=ids))
        account_services.account_metrics_refresh_many(
            account_ids=due, budget_seconds=settings.ANALYTICS_READ_BUDGET_SECONDS
        )
        days = selectors.account_metrics_days(accounts=page, from_day=p["from"], to_day=p["to"])
        history = selectors.engagement_by_hour(account_ids=ids, since=timezone.now() - timedelta(days=90))
        data = [_account_entry(a, days.get(a.pk, []), history.get(a.pk)) for a in page]
        body = {"data": data, "next_cursor": page[-1].pk if more else None}
        return Response(AccountAnalyticsPageSerializer(body).data)


def _account_entry(account, rows: list, history: dict | None) -> dict:
    today = next((row for row in reversed(rows) if row.day == timezone.now().date()), None)
    status, error = (today.sync_status, today.error_message or None) if today else ("pending", None)
    if today is None and account.health in account_services.UNUSABLE:  # not asked: it would be refused
        status, error = "requires_reconnect", f"The account is {account.health}; reconnect it to read its numbers."
    return {
        "account_id": account.pk,
        "provider": account.provider,
        "handle": account.handle or account.name or account.platform_account_id,
        "sync_status": status,
        "error": error,
        "days": rows,
        "best_times": selectors.best_times(history),
    }
