"""The JSON parser of every /v1 route: DRF's, with a bound on nesting."""

from rest_framework import parsers
from rest_framework.exceptions import ParseError

# Dravo's deepest valid body (platform_options → network → option → list → item) is
# far shallower; the bound keeps a hostile body from exhausting the recursion limit
# in the serializers and the JSON encoders that walk it later.
MAX_JSON_DEPTH = 32


def json_depth_exceeds(data, limit: int) -> bool:
    """Whether `data` nests objects/arrays more than `limit` levels deep (iterative)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


class JSONParser(parsers.JSONParser):
    """Malformed JSON, and JSON nested deeper than MAX_JSON_DEPTH, are a 400 `parse_error`."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as exc:  # json's C scanner gives up long before a valid body would
            raise ParseError(f"JSON parse error - nested deeper than {MAX_JSON_DEPTH} levels.") from exc
        if json_depth_exceeds(data, MAX_JSON_DEPTH):
            raise ParseError(f"JSON parse error - nested deeper than {MAX_JSON_DEPTH} levels.")
        return data
