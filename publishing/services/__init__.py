"""Writes of the publishing app: posts, deliveries, idempotency, scheduling."""

from publishing.services.delivery import (  # noqa: F401
    deliveries_dispatch_due,
    deliveries_recover_stuck,
    delivery_attempt,
    posts_release_due,
)
from publishing.services.idempotency import idempotency_keys_prune, idempotent, request_fingerprint  # noqa: F401
from publishing.services.posts import post_cancel, post_create, post_refresh_status, post_retry  # noqa: F401
from publishing.services.validation import check_post  # noqa: F401
