"""One flattener of DRF error details, for the API's service checks, the dashboard's forms
and the admin: attrs named as the API's error body names them."""

from rest_framework import serializers

from dravo.errors import DomainError, error_items, error_text, flatten_errors


class Item(serializers.Serializer):
    text = serializers.CharField(max_length=3)


class Body(serializers.Serializer):
    items = Item(many=True)
    tags = serializers.ListField(child=serializers.IntegerField())


def test_nested_errors_are_named_by_dotted_path_and_list_index_with_their_codes():
    body = Body(data={"items": [{"text": "ok"}, {"text": "too long"}], "tags": ["a"]})
    assert not body.is_valid()
    items = error_items(body.errors, "body")
    assert [(attr, code) for attr, _, code in items] == [
        ("body.items.1.text", "max_length"),
        ("body.tags.0", "invalid"),
    ]
    assert flatten_errors({"non_field_errors": ["Never valid."]}, "body") == [("body", "Never valid.")]


def test_a_person_reads_every_message_of_a_validation_error_and_a_domain_errors_detail():
    error = serializers.ValidationError({"text": ["Too long."], "media_urls": {0: ["Unknown media."]}})
    assert error_text(error) == "Too long. Unknown media."
    assert error_text(DomainError("The post is already published.")) == "The post is already published."
