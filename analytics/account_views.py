"""The dashboard's per-account analytics: an account's followers over time, its numbers
per day and its best hours as a heat map. Like GET /v1/analytics/accounts, today's
numbers are read from the network first when missing or stale, within a time bound."""

from datetime import timedelta

from django.conf import settings
from django.shortcuts import render
from django.utils import timezone

from accounts.models import SocialAccount
from accounts.views import dashboard_view
from analytics import account_services, selectors
from providers import registry

DAYS = 30
HEAT_LEVELS = 4  # shades of the heat map besides "no posts"


def _chosen(request, accounts: list[SocialAccount]) -> SocialAccount | None:
    wanted = request.GET.get("account")
    return next((a for a in accounts if a.pk == wanted), accounts[0] if accounts else None)


def _days(account: SocialAccount) -> list[dict]:
    today = timezone.now().date()
    rows = selectors.account_metrics_days(accounts=[account], from_day=today - timedelta(days=DAYS - 1), to_day=today)
    normalize = registry.CLIENTS[account.provider].normalize_account_metrics
    return [
        {"date": row.day.isoformat(), "status": row.sync_status, **normalize(row.metrics)} for row in rows[account.pk]
    ]


def heat_map(history: dict | None, offset_hours: int) -> list[dict]:
    """Seven rows (Monday first) of 24 cells in the viewer's zone (its offset now): each
    hour's score (None without posts) and a shade 0…HEAT_LEVELS."""
    hours = (history or {}).get("hours", {})
    top = max(hours.values(), default=0) or 1
    rows = []
    for day in range(7):
        cells = []
        for hour in range(24):
            score = hours.get((day * 24 + hour - offset_hours) % 168)
            level = 0 if score is None else 1 + min(HEAT_LEVELS - 1, int(score / top * HEAT_LEVELS))
            cells.append({"hour": hour, "score": None if score is None else round(score, 1), "level": level})
        rows.append({"day": selectors.DAY_NAMES[day], "cells": cells})
    return rows


@dashboard_view
def account_analytics_page(request):
    accounts = list(selectors.account_analytics_accounts(workspace=request.workspace, mode=request.mode))
    account = _chosen(request, accounts)
    context = {"accounts": accounts, "account": account}
    if account is not None:
        due = account_services.account_metrics_due(accounts=SocialAccount.objects.filter(pk=account.pk))
        account_services.account_metrics_refresh_many(
            account_ids=due, budget_seconds=settings.ANALYTICS_READ_BUDGET_SECONDS
        )
        history = selectors.engagement_by_hour(account_ids=[account.pk], since=timezone.now() - timedelta(days=90))
        offset = int(timezone.localtime().utcoffset().total_seconds() // 3600)
        heat = heat_map(history.get(account.pk), offset)
        scored = [(cell["score"], row["day"], cell["hour"]) for row in heat for cell in row["cells"] if cell["score"]]
        context.update(
            days=_days(account),
            latest=selectors.latest_account_row(account=account),
            posts=(history.get(account.pk) or {}).get("posts", 0),
            top=[{"day": day, "hour": hour, "score": score} for score, day, hour in sorted(scored, reverse=True)[:3]],
            heat=heat,
            hours=range(24),
        )
    return render(request, "dashboard/analytics_accounts.html", context)
