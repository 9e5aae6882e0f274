from datetime import timedelta

from django.utils import timezone

from publishing import services
from publishing.models import Delivery


def make_due_now(post_or_delivery_qs=None) -> None:
    """Time travel: every pending delivery's backoff has passed."""
    qs = post_or_delivery_qs if post_or_delivery_qs is not None else Delivery.objects.all()
    qs.filter(status="pending").update(next_attempt_at=timezone.now() - timedelta(seconds=1), dispatched_at=None)


def run_scheduler() -> None:
    """What Beat does every second (tasks run eagerly in these tests)."""
    services.posts_release_due()
    services.deliveries_dispatch_due()
