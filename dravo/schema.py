"""The OpenAPI side of the shared API pieces: one documented set of error answers.

Every error under /v1 has one body, `{"type", "errors": [{"code", "detail", "attr"}]}`
(drf-standardized-errors' format). Its schema is declared once here and attached to each
operation by `AutoSchema`, by rules that follow what can actually happen there:

- 400 on every operation: a body, a query parameter or a header can be invalid
  (`validation_error`, `attr` names the input), or the body unreadable (`client_error`);
- 401 and 403 where a credential is required, 404 where the path names a row,
  405 and 406 everywhere, 413 and 415 where a body is read, 429 where a throttle applies,
  500 everywhere;
- 409 (a request with the same Idempotency-Key is in flight) and 422 (the key was used
  with another request) wherever the `Idempotency-Key` header is accepted.

Other answers that only some operations give (a 409 for a post that can no longer be
canceled, a 503 when a network cannot be reached) are declared on those operations with
the responses below (`CONFLICT`, `UNAVAILABLE`).
"""

from drf_spectacular.utils import OpenApiExample, OpenApiResponse, PolymorphicProxySerializer
from drf_standardized_errors.openapi import AutoSchema as StandardizedErrorsAutoSchema
from drf_standardized_errors.openapi_serializers import ClientErrorEnum, ServerErrorEnum, ValidationErrorEnum
from rest_framework import serializers

IDEMPOTENCY_HEADER_NAME = "Idempotency-Key"


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="A stable, machine-readable code: `required`, `not_found`, `throttled`, …")
    detail = serializers.CharField(help_text="A human-readable explanation.")
    attr = serializers.CharField(
        allow_null=True,
        help_text=(
            "The input at fault: a body field (nested fields and list items joined by dots, "
            "`credentials.page_id`, `media_urls.0`), a query parameter (`cursor`) or a header "
            "(`Idempotency-Key`); null when the error is not about one input."
        ),
    )


class ValidationErrorResponseSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=ValidationErrorEnum.choices)
    errors = ErrorSerializer(many=True)


class ClientErrorResponseSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=ClientErrorEnum.choices)
    errors = ErrorSerializer(many=True)


class ServerErrorResponseSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=ServerErrorEnum.choices)
    errors = ErrorSerializer(many=True)


BAD_REQUEST_SCHEMA = PolymorphicProxySerializer(
    component_name="BadRequestResponse",
    serializers={
        ValidationErrorEnum.VALIDATION_ERROR.value: ValidationErrorResponseSerializer,
        ClientErrorEnum.CLIENT_ERROR.value: ClientErrorResponseSerializer,
    },
    resource_type_field_name="type",
)


def _example(name: str, status: int, code: str, detail: str, *, attr: str | None = None, type_="client_error"):
    return OpenApiExample(
        name,
        value={"type": type_, "errors": [{"code": code, "detail": detail, "attr": attr}]},
        response_only=True,
        status_codes=[str(status)],
    )


# What each status means; the body is the one error format in every case.
ERROR_DESCRIPTIONS = {
    "400": "Invalid input (`validation_error`; `attr` names it) or an unreadable body (`client_error`).",
    "401": "No credential, or one that is unknown, revoked or expired.",
    "403": "The credential may not do this.",
    "404": "No such row in the caller's workspace and mode.",
    "405": "The method is not allowed on this path.",
    "406": "The `Accept` header asks for something other than JSON.",
    "409": "Conflicts with the current state: a request with the same Idempotency-Key is still in flight "
    "(retry after `Retry-After` seconds), or the row is in a state that forbids this.",
    "413": "The request body is larger than the documented limit.",
    "415": "The request body's content type is not accepted here.",
    "422": "The Idempotency-Key was already used with another request (another route or body).",
    "429": "Over the request budget; retry after `Retry-After` seconds.",
    "500": "An unexpected error on Dravo's side.",
    "503": "A network (or Dravo's broker) could not be reached; try again shortly.",
}

DRAVO_EXAMPLES = [
    _example("ValidationError", 400, "required", "This field is required.", attr="text", type_="validation_error"),
    _example("ParseError", 400, "parse_error", "JSON parse error - Expecting value: line 1 column 1 (char 0)"),
    _example(
        "IdempotencyKeyInFlight", 409, "idempotency_key_in_flight", "A request with this key is still being processed."
    ),
    _example("RequestTooLarge", 413, "request_too_large", "The request body is too large."),
    _example(
        "IdempotencyKeyReused",
        422,
        "idempotency_key_reused",
        "This Idempotency-Key was already used with a different request.",
    ),
    _example("Unavailable", 503, "provider_unavailable", "The network could not be reached; try again shortly."),
]


def error_response(status: int | str) -> OpenApiResponse:
    """The documented error answer for `status` (any 4xx/5xx), in the one error body."""
    status = str(status)
    if status == "400":
        schema = BAD_REQUEST_SCHEMA
    elif status.startswith("5"):
        schema = ServerErrorResponseSerializer
    else:
        schema = ClientErrorResponseSerializer
    return OpenApiResponse(response=schema, description=ERROR_DESCRIPTIONS.get(status, ""))


CONFLICT = error_response(409)
UNAVAILABLE = error_response(503)
PRECONDITION_FAILED = error_response(412)


class AutoSchema(StandardizedErrorsAutoSchema):
    """drf-standardized-errors' AutoSchema with Dravo's shared error answers (see the module doc)."""

    ERROR_STATUS_CODES = ["400", "401", "403", "404", "405", "406", "409", "413", "415", "422", "429", "500"]

    def _get_allowed_error_status_codes(self) -> list[str]:
        return self.ERROR_STATUS_CODES

    def _get_error_response_serializer(self, status_code: str):
        return error_response(status_code)

    def _should_add_error_response(self, responses: dict, status_code: str) -> bool:
        if status_code in responses or self.view.get_exception_handler() is not self._standard_handler():
            return False
        if status_code in ("400", "405", "406", "500"):
            return True
        if status_code in ("401", "403"):
            return self._requires_credentials()
        if status_code in ("413", "415"):
            return self._reads_body()
        if status_code in ("409", "422"):
            return self._takes_idempotency_key()
        return super()._should_add_error_response(responses, status_code)

    def _standard_handler(self):
        from drf_standardized_errors.handler import exception_handler

        return exception_handler

    def _requires_credentials(self) -> bool:
        return any(auth for auth in self.get_auth())

    def _reads_body(self) -> bool:
        return self.method in ("POST", "PUT", "PATCH")

    def _takes_idempotency_key(self) -> bool:
        return any(p["in"] == "header" and p["name"] == IDEMPOTENCY_HEADER_NAME for p in self._get_parameters())

    def _get_parameters(self) -> list[dict]:
        parameters = super()._get_parameters()
        for parameter in parameters:
            # DRF reads `?name=` like a missing optional parameter: document that it may be empty.
            if parameter["in"] == "query" and not parameter.get("required"):
                parameter["allowEmptyValue"] = True
        return parameters

    def _get_error_response_examples(self) -> list[OpenApiExample]:
        allowed = set(self._get_allowed_error_status_codes()) | {"503"}
        return [
            example
            for example in [*super()._get_error_response_examples(), *DRAVO_EXAMPLES]
            if allowed.intersection(example.status_codes)
        ]
