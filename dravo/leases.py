"""One lease claim for every row a worker takes for a while (a delivery being sent, an
account being refreshed, a metrics row being read): a conditional UPDATE that succeeds
only while the row's lease is free, so no transaction is held across the work and a
crashed worker's lease simply runs out."""

from datetime import timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone


def lease_free(field: str, now) -> Q:
    """Rows whose lease `field` is free at `now`: never taken, or run out."""
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__lt": now})


def lease_claim(queryset: QuerySet, *, field: str, duration: timedelta, **updates) -> bool:
    """Take the lease `field` of the rows of `queryset` whose lease is free, until now +
    `duration`, writing `updates` in the same UPDATE; True when a row was taken. False
    means another worker holds it (or the row does not match): leave it alone. Safe to
    repeat and to race: one UPDATE, one winner."""
    now = timezone.now()
    return bool(queryset.filter(lease_free(field, now)).update(**{field: now + duration}, **updates))
