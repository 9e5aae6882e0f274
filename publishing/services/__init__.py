"""Writes of the publishing app: posts, deliveries, scheduling."""

from publishing.services.delivery import (  # noqa: F401
    deliveries_dispatch_due,
    deliveries_recover_stuck,
    delivery_attempt,
    post_fan_out,
    post_refresh_status,
    posts_due_within,
    posts_fan_out_missed,
    posts_release_due,
    posts_settle_stale,
)
from publishing.services.posts import (  # noqa: F401
    post_cancel,
    post_cancel_series,
    post_create,
    post_create_draft,
    post_delete,
    post_edit,
    post_edit_series,
    post_publish,
    post_retry,
)
from publishing.services.validation import check_post  # noqa: F401
