"""Idempotency-Key for every POST that creates something, scoped by the caller's workspace and mode."""

from collections.abc import Callable, Iterable

from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.response import Response

from publishing import services

IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key",
    # 1 to 255 printable ASCII characters (HTTP trims spaces at either end).
    {"type": "string", "minLength": 1, "maxLength": 255, "pattern": r"^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$"},
    OpenApiParameter.HEADER,
    description="Replays the first answer for 24 h (same workspace, mode, route and body; another route or body "
    "is a 422; 409 with Retry-After while the first request is still running).",
)


class IdempotencyKeyParam(serializers.Serializer):
    key = serializers.RegexField(
        r"^[\x20-\x7e]{1,255}$", error_messages={"invalid": "Must be 1 to 255 printable ASCII characters."}
    )

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as exc:
            raise serializers.ValidationError({"Idempotency-Key": exc.detail["key"]}) from exc


def idempotent_response(
    request,
    workspace,
    create: Callable[..., tuple[int, dict]],
    *,
    prepare: Callable[[], object] | None = None,
    secret_fields: Iterable[str] = (),
) -> Response:
    """Run `create` (→ status, body) under the request's Idempotency-Key, if it has one.

    `prepare` (optional) is the part that calls out; its result is passed to `create`, and
    it runs outside any transaction and not at all on a replay. `secret_fields` of the
    body are answered once and left out of the stored answer."""
    key = request.headers.get("Idempotency-Key")
    if key is None:
        code, body = create(prepare()) if prepare is not None else create()
        return Response(body, status=code)
    IdempotencyKeyParam(data={"key": key}).is_valid(raise_exception=True)
    code, body, replayed = services.idempotent(
        workspace=workspace,
        mode=request.auth.mode,
        key=key,
        fingerprint=services.request_fingerprint(path=request.path, body=request.data),
        create=create,
        prepare=prepare,
        secret_fields=secret_fields,
    )
    return Response(body, status=code, headers={"Idempotent-Replayed": "true"} if replayed else {})
