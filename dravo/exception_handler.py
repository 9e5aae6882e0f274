"""The EXCEPTION_HANDLER of every DRF view (set through DRF_STANDARDIZED_ERRORS).

Its own module: it imports DRF's views, which import the authentication classes, which
import the domain errors of dravo.errors.
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from drf_standardized_errors.handler import ExceptionHandler
from rest_framework.exceptions import APIException, ParseError

from dravo.errors import DomainError, RequestTooLarge
from dravo.renderers import JSONRenderer


def http_error(exc: DomainError) -> APIException:
    """The HTTP answer of a domain error: its status, code, detail and Retry-After."""
    http = APIException(exc.detail, code=exc.default_code)
    http.status_code = exc.status_code
    http.wait = exc.wait
    return http


def request_too_large() -> RequestTooLarge:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return RequestTooLarge(f"The request body is larger than {limit:,} bytes, the most a JSON body may be.")


class ApiExceptionHandler(ExceptionHandler):
    """drf-standardized-errors' handler, plus the domain errors that services raise (see
    dravo.errors) and Django's request-size errors, and always JSON.

    Django raises RequestDataTooBig when DRF reads a body over DATA_UPLOAD_MAX_MEMORY_SIZE
    (a 413 here) and TooManyFieldsSent/TooManyFilesSent for an oversized form (a 400); left
    alone they are 500s. The error body is JSON even on routes that render something else
    (the schema's YAML, the docs pages' HTML).
    """

    def convert_known_exceptions(self, exc: Exception) -> Exception:
        if isinstance(exc, DomainError):
            return http_error(exc)
        if isinstance(exc, RequestDataTooBig):
            return request_too_large()
        if isinstance(exc, (TooManyFieldsSent, TooManyFilesSent)):
            return ParseError(f"Multipart parse error - {exc}")
        return super().convert_known_exceptions(exc)

    def get_response(self, exc, data):
        request = self.context.get("request")
        if request is not None:
            request.accepted_renderer, request.accepted_media_type = JSONRenderer(), JSONRenderer.media_type
        return super().get_response(exc, data)
