"""Query parameters of the list endpoints, checked the same way everywhere.

Every list reads its query string through a `QueryParams` serializer, so the rules hold
for all of them at once: names are snake_case (`account_id`, `provider`, `status`,
`from`, `to`, `q`, `limit`, `cursor`); a parameter the list does not know is a 400
naming it, rather than a filter silently ignored; an older documented name listed in
`aliases` keeps working as another name of its snake_case parameter.
"""

import re

from django.utils.dateparse import parse_datetime
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail

# In a query string an unencoded "+" arrives as a space: "…T09:00:00 02:00" meant "+02:00".
_SPACE_FOR_PLUS = re.compile(r"^(\S+T\S+) (\d{2}(?::?\d{2})?)$")


class QueryParams(serializers.Serializer):
    """Base of every list's query-parameter serializer.

    Validation raises a 400 (`unknown_parameter`, `attr` = the name) for any parameter
    that is not a declared field, listing the valid ones. `aliases` maps an older name,
    declared as a field too, to its snake_case name: after validation only the snake_case
    name is in `validated_data`; sending both is a 400."""

    aliases: dict[str, str] = {}

    def to_internal_value(self, data):
        unknown = sorted(set(data.keys()) - set(self.fields))
        if unknown:
            valid = ", ".join(sorted(self.fields))
            raise serializers.ValidationError(
                {
                    name: [ErrorDetail(f"Unknown query parameter {name}. Valid: {valid}.", code="unknown_parameter")]
                    for name in unknown
                }
            )
        attrs = super().to_internal_value(data)
        self.sent_as = {}
        for old, new in self.aliases.items():
            if old in attrs:
                if new in attrs:
                    raise serializers.ValidationError(
                        {old: [ErrorDetail(f"Send {new} or {old}, not both.", code="ambiguous")]}
                    )
                attrs[new] = attrs.pop(old)
                self.sent_as[new] = old
        return attrs

    def sent_name(self, name: str) -> str:
        """The name the client used for parameter `name` (an alias, or `name` itself),
        so that an error found after aliases are merged names what was sent."""
        return getattr(self, "sent_as", {}).get(name, name)


class QueryDateTimeField(serializers.DateTimeField):
    """An ISO 8601 date-time with an offset (`Z` or `±hh:mm`); a naive one is refused
    rather than guessed, an impossible one (`23:59:60`, 30 February) is a 400. A `+`
    should be sent as `%2B`; one sent raw arrives as a space and is read back as `+`."""

    def to_internal_value(self, value):
        if isinstance(value, str):
            value = _SPACE_FOR_PLUS.sub(r"\1+\2", value.strip())
            if _is_naive(value):
                raise serializers.ValidationError(
                    "Must include a time zone offset, e.g. 2026-07-01T09:00:00Z.", code="naive_datetime"
                )
        return super().to_internal_value(value)


def _is_naive(value: str) -> bool:
    try:
        parsed = parse_datetime(value)
    except ValueError:  # impossible: the field's own parsing reports it
        return False
    return parsed is not None and parsed.tzinfo is None


class TimeRangeParams(QueryParams):
    """`from` and `to` (both inclusive, `QueryDateTimeField`), on the time named by
    `time_range_of`; `from` after `to` is a 400. Python cannot declare fields named
    `from`, so they are added in `get_fields()`."""

    time_range_of = "created_at"

    def get_fields(self):
        fields = super().get_fields()
        of = self.time_range_of
        fields["from"] = QueryDateTimeField(
            required=False, help_text=f"Only items whose {of} is at or after this time (ISO 8601 with an offset)."
        )
        fields["to"] = QueryDateTimeField(
            required=False, help_text=f"Only items whose {of} is at or before this time (ISO 8601 with an offset)."
        )
        return fields

    def validate(self, attrs):
        if attrs.get("from") and attrs.get("to") and attrs["from"] > attrs["to"]:
            start, end = self.sent_name("from"), self.sent_name("to")
            raise serializers.ValidationError({start: [ErrorDetail(f"Must not be after {end}.", code="invalid_range")]})
        return attrs
