"""What the sandbox's networks of Meta's Graph API family share: Meta's one error
envelope, the parameters of a call (query, form or JSON body) and the decorator of a
Graph endpoint.

The envelope, as Meta's Graph API error-handling guide documents it: `{"error":
{"message", "type", "code", "error_subcode", "error_user_msg", "is_transient",
"fbtrace_id"}}`.
"""

import json
import secrets
from datetime import timedelta
from functools import wraps

from django.http import JsonResponse
from django.utils import timezone

from sandbox.core import bearer_token, is_refused_token, sandbox_view


def graph_error(
    message, code, *, status=400, subcode=None, transient=False, kind="OAuthException", headers=None, user_msg=None
):
    error = {"message": message, "type": kind, "code": code, "fbtrace_id": "Sbx" + secrets.token_hex(6)}
    if subcode:
        error["error_subcode"] = subcode
    if user_msg:
        error["error_user_msg"] = user_msg
    if transient:
        error["is_transient"] = True
    return JsonResponse({"error": error}, status=status, headers=headers or {})


def invalid_token():
    return graph_error("Invalid OAuth access token - Cannot parse access token", 190)


def expired_token():
    return graph_error("Error validating access token: Session has expired.", 190, subcode=463)


def bad_param(message="Invalid parameter", subcode=None):
    """Code 100, the message prefixed with `(#100)` as Meta does."""
    return graph_error(message if message.startswith("(#") else f"(#100) {message}", 100, subcode=subcode)


def not_found(object_id, *, kind="GraphMethodException"):
    message = (
        f"Unsupported request. Object with ID '{object_id}' does not exist, cannot be loaded due to missing "
        "permissions, or does not support this operation."
    )
    return graph_error(message, 100, subcode=33, kind=kind)


def params_of(request) -> dict:
    """A call's parameters: the query string, a form body, or a JSON object body."""
    params = {**request.GET.dict(), **request.POST.dict()}
    if request.content_type == "application/json" and request.body:
        try:
            body = json.loads(request.body)
        except ValueError:
            body = {}
        params.update(body if isinstance(body, dict) else {})
    return params


def graph_view(methods=("GET",)):
    """A Graph endpoint: the sandbox behaviour, the allowed methods, and the refused-token
    answer; the view finds the caller's token in `request.token`."""

    def decorate(view):
        @sandbox_view
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method not in methods:
                return bad_param(f"Unsupported request - method type: {request.method.lower()}")
            token = bearer_token(request)
            if is_refused_token(token):
                return invalid_token()
            request.token = token
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


CONTAINER_LIFETIME = timedelta(hours=24)


def container_status(container, *, advance: bool) -> str:
    """A media container's status now (the record's status, EXPIRED once a day old and
    not published); a read (`advance`) moves IN_PROGRESS on to FINISHED, or ERROR for a
    container whose media could not be fetched."""
    if container.status != "PUBLISHED" and timezone.now() - container.created_at > CONTAINER_LIFETIME:
        return "EXPIRED"
    status = container.status
    if advance and status == "IN_PROGRESS":
        container.status = "ERROR" if container.data.get("error") else "FINISHED"
        container.save(update_fields=["status", "updated_at"])
    return status
