"""The dashboard's analytics page: the per-post metrics table and charts over time. Like
GET /v1/analytics, missing or stale rows of the page are refreshed within a time bound."""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.shortcuts import render
from django.utils import timezone

from accounts.views import dashboard_view
from analytics import display, selectors, services
from analytics.forms import AnalyticsFilterForm

PAGE_SIZE = 25


def _filters(form: AnalyticsFilterForm) -> dict:
    data = form.cleaned_data if form.is_valid() else {}
    tz = timezone.get_current_timezone()
    start, end = data.get("from_date"), data.get("to_date")
    return {
        "platform": data.get("platform") or None,
        "post_id": data.get("post_id") or None,
        "from_date": datetime.combine(start, time.min, tzinfo=tz) if start else None,
        "to_date": datetime.combine(end, time.min, tzinfo=tz) + timedelta(days=1) if end else None,
    }


def _page_number(request) -> int:
    value = request.GET.get("page", "1")
    return max(1, int(value)) if value.isdigit() else 1


def _read(request, page: int, filters: dict):
    rows, total = selectors.post_metrics_page(
        workspace=request.workspace, mode=request.mode, page=page, limit=PAGE_SIZE, **filters
    )
    now = timezone.now()
    due = [row for row in rows if row.is_stale(now)]
    if due:
        services.post_metrics_refresh_many(rows=due, budget_seconds=settings.ANALYTICS_READ_BUDGET_SECONDS)
        rows, total = selectors.post_metrics_page(
            workspace=request.workspace, mode=request.mode, page=page, limit=PAGE_SIZE, **filters
        )
    return rows, total


@dashboard_view
def analytics_page(request):
    form = AnalyticsFilterForm(request.GET or None)
    filters = _filters(form)
    days = (form.cleaned_data.get("days") if form.is_bound and form.is_valid() else None) or 30
    page = _page_number(request)
    rows, total = _read(request, page, filters)
    query = request.GET.copy()
    query.pop("page", None)
    overview = selectors.overview(rows)
    context = {
        "form": form,
        "rows": [_row(row=row) for row in rows],
        "columns": display.normalized_columns(),
        "total": total,
        "page": page,
        "has_next": page * PAGE_SIZE < total,
        "query": query.urlencode(),
        "overview": overview,
        "totals": [(label.lower(), overview.get(name)) for name, label in display.normalized_columns()],
        "series": selectors.metrics_series(workspace=request.workspace, mode=request.mode, days=days),
        "series_names": [(name, display.NORMALIZED_LABELS[name]) for name in selectors.SERIES],
        "days": days,
    }
    return render(request, "dashboard/analytics.html", context)


def _row(*, row) -> dict:
    """One table row: the normalized numbers in column order and the network's own, labelled."""
    numbers = selectors.metrics_normalized(provider=row.provider, metrics=row.metrics)
    return {
        "row": row,
        "numbers": [(label, numbers.get(name)) for name, label in display.normalized_columns()],
        "native": display.native_metrics(provider=row.provider, metrics=row.metrics),
    }
