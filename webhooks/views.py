"""The dashboard's Webhooks pages: the endpoints of the workspace and mode, a form to add
one (its secret shown once), and an endpoint's page with its delivery log and actions
(send a test event, enable or disable, rotate the secret, delete, redeliver)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from rest_framework.exceptions import ValidationError

from accounts.views import KEY_MANAGERS, dashboard_view
from webhooks import selectors
from webhooks.forms import EndpointForm
from webhooks.models import Endpoint
from webhooks.services import endpoints as services

LOG_PAGE_SIZE = 50
MANAGERS_ONLY = "Only owners and admins of the workspace can manage webhook endpoints."


def _can_manage(request) -> bool:
    return request.membership.role in KEY_MANAGERS


def _endpoint(request, endpoint_id: str) -> Endpoint:
    return get_object_or_404(selectors.endpoint_list(workspace=request.workspace, mode=request.mode), pk=endpoint_id)


def _shown_once(response):
    # The secret is in this response only: never cached, never retrievable again.
    response["Cache-Control"] = "no-store"
    return response


def _list_context(request, form=None, created=None) -> dict:
    endpoints = selectors.endpoint_list(workspace=request.workspace, mode=request.mode)
    return {
        "endpoints": endpoints.order_by("-created_at", "-id"),
        "form": form or EndpointForm(),
        "created": created,
        "can_manage": _can_manage(request),
    }


@dashboard_view
def webhooks_page(request):
    if request.method != "POST":
        return render(request, "dashboard/webhooks.html", _list_context(request))
    if not _can_manage(request):
        messages.error(request, MANAGERS_ONLY)
        return redirect("webhooks")
    form = EndpointForm(request.POST)
    if form.is_valid():
        try:
            endpoint, secret = services.endpoint_create(workspace=request.workspace, mode=request.mode,
                                                        **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc.detail)
        else:
            created = {"endpoint": endpoint, "secret": secret}
            return _shown_once(render(request, "dashboard/webhooks.html", _list_context(request, created=created)))
    return render(request, "dashboard/webhooks.html", _list_context(request, form), status=400)


def _detail(request, endpoint: Endpoint, new_secret: str | None = None):
    log = selectors.event_delivery_list(endpoint=endpoint).order_by("-created_at", "-id")
    context = {
        "endpoint": endpoint,
        "log": Paginator(log, LOG_PAGE_SIZE).get_page(request.GET.get("page")),
        "new_secret": new_secret,
        "can_manage": _can_manage(request),
    }
    return render(request, "dashboard/webhook_detail.html", context)


@dashboard_view
def webhook_detail(request, endpoint_id: str):
    return _detail(request, _endpoint(request, endpoint_id))


def manager_action(view):
    """A POST that changes an endpoint: owners and admins only, on an endpoint of the
    current workspace and mode (another's is a 404)."""

    @require_POST
    @dashboard_view
    def wrapper(request, endpoint_id: str, **kwargs):
        endpoint = _endpoint(request, endpoint_id)
        if not _can_manage(request):
            messages.error(request, MANAGERS_ONLY)
            return redirect("webhook-detail", endpoint.pk)
        return view(request, endpoint, **kwargs)

    return wrapper


@manager_action
def webhook_send_test(request, endpoint: Endpoint):
    event = services.endpoint_send_test(endpoint=endpoint)
    messages.success(request, f"Sent a test event ({event.pk}); its delivery is in the log below.")
    return redirect("webhook-detail", endpoint.pk)


@manager_action
def webhook_toggle(request, endpoint: Endpoint):
    enable = request.POST.get("enabled") == "true"
    changes = {"enabled": True} if enable else {"enabled": False, "disabled_reason": "Disabled from the dashboard."}
    services.endpoint_update(endpoint=endpoint, changes=changes)
    messages.success(request, f"{'Enabled' if enable else 'Disabled'} {endpoint.url}.")
    return redirect("webhook-detail", endpoint.pk)


@manager_action
def webhook_rotate_secret(request, endpoint: Endpoint):
    endpoint, secret = services.endpoint_rotate_secret(endpoint=endpoint)
    return _shown_once(_detail(request, endpoint, new_secret=secret))


@manager_action
def webhook_delete(request, endpoint: Endpoint):
    services.endpoint_delete(endpoint=endpoint)
    messages.success(request, f"Deleted the endpoint {endpoint.url} and its delivery log.")
    return redirect("webhooks")


@manager_action
def webhook_redeliver(request, endpoint: Endpoint, delivery_id: str):
    delivery = selectors.event_delivery_get(endpoint=endpoint, delivery_id=delivery_id)
    if delivery is None:
        messages.error(request, "No such delivery on this endpoint.")
    else:
        services.delivery_redeliver(delivery=delivery)
        messages.success(request, f"Sending {delivery.event.type} ({delivery.event_id}) again.")
    return redirect("webhook-detail", endpoint.pk)
