"""How tool answers read: refusals in words with a hint, keys derived from arguments."""

from dravo_sdk.errors import error_from_response
from dravo_sdk.mcp_render import error_result
from dravo_sdk.mcp_tools import derived_idempotency_key


def _error(status, code, attr=None, retry_after=None):
    body = {"type": "client_error", "errors": [{"code": code, "detail": "Refused.", "attr": attr}]}
    return error_from_response(status, body, retry_after)


def test_a_429_says_how_long_to_wait():
    result = error_result(_error(429, "throttled", retry_after=17), "list_posts")

    assert result.is_error
    assert "HTTP 429" in result.content[0].text and "wait 17 s" in result.content[0].text
    assert result.structured_content["retry_after"] == 17


def test_a_400_on_a_post_names_the_field_and_points_at_validate_post():
    text = error_result(_error(400, "too_long", attr="platform_options.acc_1.text"), "create_post").content[0].text

    assert "field platform_options.acc_1.text: Refused. (code too_long)" in text
    assert "validate_post" in text


def test_a_reused_idempotency_key_says_how_to_make_another_post():
    text = error_result(_error(422, "idempotency_key_reused"), "create_post").content[0].text

    assert "without idempotency_key" in text


def test_the_derived_key_ignores_argument_order_and_changes_with_content():
    first = derived_idempotency_key("create_post", {"text": "a", "account_ids": ["acc_1"]})

    assert first == derived_idempotency_key("create_post", {"account_ids": ["acc_1"], "text": "a"})
    assert first != derived_idempotency_key("create_post", {"account_ids": ["acc_1"], "text": "b"})
    assert first.startswith("mcp-") and len(first) <= 255
