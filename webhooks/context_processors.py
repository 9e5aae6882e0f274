"""The dashboard's warning about webhook endpoints that were disabled or are failing,
shown on the home and Webhooks pages (base.html renders it), so that the apps whose
pages these are need not import this one."""

from webhooks import selectors

WARNED_PAGES = {"home", "webhooks", "webhook-detail"}


def webhook_warnings(request) -> dict:
    """`webhook_warnings`: the failing endpoints of the dashboard's workspace and mode (a
    lazy queryset), on the pages that warn of them only; other requests pay no query."""
    workspace = getattr(request, "workspace", None)
    match = getattr(request, "resolver_match", None)
    if workspace is None or match is None or match.url_name not in WARNED_PAGES:
        return {}
    failing = selectors.endpoints_failing(workspace=workspace, mode=request.mode)
    return {"webhook_warnings": failing.order_by("-created_at", "-id")}
