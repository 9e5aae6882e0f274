from rest_framework import status
from rest_framework.exceptions import NotFound

from dravo.errors import Conflict, DomainError


class PostNotCancelable(Conflict):
    """Only a scheduled post can be canceled; the detail names where the post is now."""

    default_code = "not_cancelable"
    default_detail = "The post has already been queued for delivery and can no longer be canceled."
    details = {
        "queued": "This post is already queued for delivery and can no longer be canceled.",
        "processing": "This post is already processing (being published) and can no longer be canceled.",
        "published": "This post is already published.",
        "partial": "This post is already partial (published on some accounts) and can no longer be canceled.",
        "failed": "This post already failed and can no longer be canceled; retry it instead.",
    }

    def __init__(self, status: str | None = None):
        super().__init__(self.details.get(status, self.default_detail) if status else None)


class PostNotRetryable(Conflict):
    default_code = "not_retryable"
    default_detail = "Only a failed or partial post can be retried."


class PostNotEditable(Conflict):
    default_code = "not_editable"
    default_detail = "Only a draft or a scheduled post can be changed; this one is already queued for delivery."


class PostNotDeletable(Conflict):
    default_code = "not_deletable"
    default_detail = "Only a draft or a canceled post can be deleted; cancel a scheduled post first."


class PostNotDraft(Conflict):
    default_code = "not_a_draft"
    default_detail = "Only a draft can be published this way; this post was published already."


class RevisionMismatch(DomainError):
    """If-Match named another revision: someone changed the post first."""

    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "revision_mismatch"
    default_detail = "The post was changed since that revision; read it again and redo the change."


class PostNotFound(NotFound):
    default_detail = "No post with this id."


class JobNotFound(NotFound):
    default_detail = "No job with this id."
