"""Reads of the webhooks app, scoped to a workspace and mode first."""

from django.db.models import Q, QuerySet

from accounts.models import Workspace
from webhooks.models import Endpoint, EventDelivery


def endpoint_list(*, workspace: Workspace, mode: str) -> QuerySet[Endpoint]:
    return Endpoint.objects.filter(workspace=workspace, mode=mode)


def event_delivery_list(*, endpoint: Endpoint, status: str | None = None) -> QuerySet[EventDelivery]:
    qs = EventDelivery.objects.filter(endpoint=endpoint).select_related("event")
    return qs.filter(status=status) if status else qs


def event_delivery_get(*, endpoint: Endpoint, delivery_id: str) -> EventDelivery | None:
    return event_delivery_list(endpoint=endpoint).filter(pk=delivery_id).first()


def endpoints_failing(*, workspace: Workspace, mode: str) -> QuerySet[Endpoint]:
    """Endpoints Dravo stopped sending to, or failing now: the dashboard warns of them."""
    return endpoint_list(workspace=workspace, mode=mode).filter(Q(enabled=False) | Q(failing_since__isnull=False))
