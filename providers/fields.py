"""The strict fields every network's options schema is built from: JSON types are
checked, never converted, and unknown keys are refused with a hint."""

import difflib

from rest_framework import serializers


class StrictSerializer(serializers.Serializer):
    """A serializer that refuses keys it does not declare (`platform_options` is strict).

    Each unknown key is a 400 `unknown_option` on that key, whose detail names the
    closest valid option, if one is close, and lists all of them."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            valid = [name for name, f in self.fields.items() if not f.read_only]
            unknown = sorted(set(data) - set(valid), key=str)
            if unknown:
                raise serializers.ValidationError(
                    {name: [unknown_option_message(str(name), valid)] for name in unknown}, code="unknown_option"
                )
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    """A JSON boolean only: "true", 1 or "1" are type errors, as for every network's options."""

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class StrictCharField(serializers.CharField):
    """A JSON string only: numbers and booleans are type errors, never converted."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictChoiceField(serializers.ChoiceField):
    """One of the (string) choices, given as a JSON string."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid_choice", input=data)
        return super().to_internal_value(data)


def unknown_option_message(name: str, valid: list[str]) -> str:
    close = difflib.get_close_matches(name, valid, n=1)
    hint = f" Did you mean '{close[0]}'?" if close else ""
    return f"Unknown option '{name}'.{hint} Valid options: {', '.join(valid)}."


class StrictIntegerField(serializers.IntegerField):
    """A JSON integer only: booleans, floats and numeric strings are type errors."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)
