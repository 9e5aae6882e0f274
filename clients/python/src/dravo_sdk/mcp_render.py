"""What the MCP tools answer: the API's JSON as it is, or its error items in words an
agent can act on (status, code, field, detail, and what to do next)."""

from __future__ import annotations

import json
from typing import Any

import httpx
from mcp import types

from dravo_sdk.errors import DravoError, ErrorItem

POST_TOOLS = frozenset({"create_post", "validate_post", "update_post"})

_HINTS = {
    401: "The API key is missing, malformed or revoked: configure a valid dra_test_… or dra_live_… key.",
    403: "This key may not do this.",
    404: "Nothing has that id in this key's workspace and mode (a test key sees only test data); "
    "list_posts and list_accounts show the ids there are.",
    409: "The object's state does not allow this (the detail says which); read it again (get_post) before acting.",
    412: "The post changed since that revision: call get_post and send its current revision.",
    413: "The request is too large: send less (fewer media URLs, shorter text).",
}
_CODE_HINTS = {
    "idempotency_key_in_flight": "The first call with these arguments is still running: wait 1 s and call again "
    "with the same arguments (it never posts twice).",
    "idempotency_key_reused": "This idempotency_key was already used with other arguments: to make another "
    "post, call again without idempotency_key (or with a new one).",
}


def ok_result(result: Any) -> types.CallToolResult:
    """The API's answer, as JSON text and as structured content."""
    result = {"ok": True} if result is None else result
    return types.CallToolResult(
        content=[types.TextContent(text=as_json(result))],
        structured_content=result if isinstance(result, dict) else None,
    )


def validation_result(report: dict) -> types.CallToolResult:
    """A `POST /v1/posts/validate` report: the problems in words first when it is not valid."""
    if report.get("valid"):
        return types.CallToolResult(
            content=[types.TextContent(text="The post is valid: create_post would accept it.\n" + as_json(report))],
            structured_content=report,
        )
    items = [_item(raw) for raw in report.get("errors", []) if isinstance(raw, dict)]
    text = "\n".join(
        ["The post would be refused. Problems:", *_lines(items), "What to do: " + _hint_400("validate_post")]
    )
    return types.CallToolResult(
        content=[types.TextContent(text=text + "\n" + as_json(report))], structured_content=report
    )


def error_result(error: DravoError, tool: str) -> types.CallToolResult:
    """A refused call in words: the status, each item's field, code and detail, and a hint."""
    lines = [f"Dravo refused {tool}: HTTP {error.status_code} ({error.type}).", *_lines(error.errors)]
    lines.append("What to do: " + hint(error, tool))
    body = {"status": error.status_code, "type": error.type, "errors": [vars(item) for item in error.errors]}
    if error.retry_after is not None:
        body["retry_after"] = error.retry_after
    return types.CallToolResult(
        content=[types.TextContent(text="\n".join(lines))], structured_content=body, is_error=True
    )


def unreachable_result(error: httpx.TransportError, tool: str) -> types.CallToolResult:
    text = (
        f"Dravo could not be reached for {tool} ({type(error).__name__}: {error}). "
        "What to do: check DRAVO_URL and that Dravo is running, then call again."
    )
    return types.CallToolResult(content=[types.TextContent(text=text)], is_error=True)


def hint(error: DravoError, tool: str) -> str:
    """What an agent should do after `error` from `tool`."""
    if error.code in _CODE_HINTS:
        return _CODE_HINTS[error.code]
    status = error.status_code
    if status == 400:
        return _hint_400(tool)
    if status == 429:
        wait = f"{error.retry_after:g} s" if error.retry_after is not None else "a minute"
        return f"This key is over its rate limit: wait {wait}, then call again."
    if status >= 500:
        return ("Dravo or a network is unavailable for now: wait a little and call again "
                "(create_post with the same arguments never posts twice).")
    return _HINTS.get(status, "Read the detail above, change the call accordingly and try again.")


def _hint_400(tool: str) -> str:
    if tool in POST_TOOLS:
        return ("fix each field named above (dotted paths into the arguments, e.g. "
                "platform_options.<network>.<option>; the resource dravo://networks lists each network's rules), "
                "then call validate_post until it says valid before create_post.")
    return "fix the arguments named above and call again."


def _lines(items: list[ErrorItem]) -> list[str]:
    return [f"- field {item.attr or '(the request)'}: {item.detail} (code {item.code})" for item in items]


def _item(raw: dict) -> ErrorItem:
    return ErrorItem(str(raw.get("code", "")), str(raw.get("detail", "")), raw.get("attr"))


def as_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)
