"""Serializer fields that take exactly the JSON types the OpenAPI schema documents."""

from django.core.validators import RegexValidator
from rest_framework import serializers


class StrictCharField(serializers.CharField):
    """A string field that takes only JSON strings: DRF's CharField turns `0` or `1.5`
    into "0" and "1.5", which a field documented as `type: string` must refuse (400).
    `max_length` counts the string as sent, before surrounding whitespace is trimmed,
    as the documented `maxLength` does."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        if self.max_length is not None and len(data) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    """A boolean field that takes only JSON `true` and `false`: DRF's BooleanField also
    takes 0, 1, "yes" or "off", which a field documented as `type: boolean` must refuse."""

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


# A credential travels in an HTTP header: printable ASCII without spaces, or it cannot be sent.
TOKEN_VALIDATOR = RegexValidator(r"^[\x21-\x7e]+$", "Must be printable ASCII characters without spaces.")
