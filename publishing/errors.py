from rest_framework.exceptions import NotFound

from dravo.errors import Conflict, Unprocessable


class PostNotCancelable(Conflict):
    default_code = "not_cancelable"
    default_detail = "The post has already been queued for delivery and can no longer be canceled."


class PostNotRetryable(Conflict):
    default_code = "not_retryable"
    default_detail = "Only a failed or partial post can be retried."


class IdempotencyKeyReused(Unprocessable):
    default_code = "idempotency_key_reused"
    default_detail = "This Idempotency-Key was already used with a different request body."


class IdempotencyKeyInFlight(Conflict):
    default_code = "idempotency_key_in_flight"
    default_detail = "A request with this Idempotency-Key is still being processed."
    wait = 1  # seconds, sent as Retry-After


class PostNotFound(NotFound):
    default_detail = "No post with this id."
