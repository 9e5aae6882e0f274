"""The MCP tools of Dravo, each one `/v1` call: its name, words for the agent, hints
(read-only, destructive, idempotent) and how its arguments become the request.

Input schemas come from Dravo's OpenAPI document (see `mcp_schemas`), so a tool takes
what the endpoint takes. `create_post` and `upload_media_from_url` send an
`Idempotency-Key` made from their arguments when none is given: an agent that calls
again after a timeout gets the first answer back instead of a second post.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from mcp import types

from dravo_sdk.client import Dravo
from dravo_sdk.mcp_schemas import body_schema, merge, query_schema

IDEMPOTENCY_KEY = {
    "type": "string",
    "minLength": 1,
    "maxLength": 200,
    "description": "Optional. Calls with the same key and arguments make one object (24 h). Left out, a key is "
    "made from the arguments, so repeating a call never creates twice; pass a new key to create a "
    "second, identical one on purpose.",
}
POST_ID = {"type": "string", "description": "The post's id (post_…)."}
ACCOUNT_ID = {"type": "string", "description": "The connected account's id (acc_…)."}
IF_MATCH = {"type": "integer", "description": "Optional. The post's revision you read: refused (412) if it changed."}


@dataclass(frozen=True)
class ToolSpec:
    """One tool: `method path` under /v1, `{name}` parts of the path taken from the
    arguments; `body`/`query` name the OpenAPI operation whose JSON body or query
    parameters the other arguments are."""

    name: str
    title: str
    description: str
    method: str
    path: str
    read_only: bool = False
    destructive: bool = False
    idempotent: bool = False
    body: tuple[str, str] | None = None
    query: tuple[str, str] | None = None
    extra: dict[str, dict] = field(default_factory=dict)
    required: tuple[str, ...] = ()
    derived_key: bool = False

    def tool(self, openapi: dict) -> types.Tool:
        """The MCP description of this tool, its schema read from `openapi`."""
        parts = [{"properties": self.extra}]
        if self.body:
            parts.append(body_schema(openapi, *self.body))
        if self.query:
            parts.append(query_schema(openapi, *self.query))
        annotations = types.ToolAnnotations(
            title=self.title,
            read_only_hint=self.read_only,
            destructive_hint=self.destructive,
            idempotent_hint=self.idempotent,
            open_world_hint=not self.read_only,
        )
        return types.Tool(
            name=self.name,
            title=self.title,
            description=self.description,
            input_schema=merge(*parts, required=self.required),
            annotations=annotations,
        )

    def call(self, dravo: Dravo, arguments: dict[str, Any]) -> Any:
        """Send the request these arguments make and answer the API's JSON. Raises
        DravoError for a refusal and httpx.TransportError when Dravo cannot be reached."""
        args = dict(arguments)
        path = self._path(args)
        key = args.pop("idempotency_key", None)
        headers = {"If-Match": str(args.pop("if_match"))} if "if_match" in args else None
        if self.body:
            if self.derived_key and not key:
                key = derived_idempotency_key(self.name, args)
            return dravo.request(self.method, path, json=args, headers=headers, idempotency_key=key)
        return dravo.request(self.method, path, params=args, headers=headers)

    def _path(self, args: dict[str, Any]) -> str:
        """The path with its `{name}` parts taken (out of `args`) and escaped, so an id can
        never reach another route."""
        names = [name for name in self.extra if "{" + name + "}" in self.path]
        return self.path.format(**{name: quote(str(args.pop(name, "")), safe="") for name in names})


def derived_idempotency_key(tool: str, body: dict) -> str:
    """A key that is the same for the same tool and body, whatever the order of its keys."""
    canonical = json.dumps({"tool": tool, "body": body}, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "mcp-" + hashlib.sha256(canonical.encode()).hexdigest()[:48]


POST_BODY = ("post", "/v1/posts")

TOOLS: tuple[ToolSpec, ...] = (
    ToolSpec(
        "list_accounts", "List connected accounts",
        "The connected social accounts of this key's workspace and mode (a test key: sandbox accounts), newest "
        "first, one page (`limit`, then `cursor` = next_cursor). Each has the id create_post takes, its network "
        "(`provider`) and its health.",
        "GET", "/accounts", read_only=True, idempotent=True, query=("get", "/v1/accounts"),
    ),
    ToolSpec(
        "list_destinations", "List an account's destinations",
        "The places inside an account a post can go to (boards, playlists, locations, categories). Each item's "
        "`option` names the platform_options key that takes its `id`. Empty for a network that posts to the "
        "account itself.",
        "GET", "/accounts/{account_id}/destinations", read_only=True, idempotent=True,
        query=("get", "/v1/accounts/{id}/destinations"), extra={"account_id": ACCOUNT_ID}, required=("account_id",),
    ),
    ToolSpec(
        "validate_post", "Check a post without sending it",
        "Runs every check create_post runs (text length per network, media, options, schedule) and answers "
        "{valid, errors} without storing or sending anything. Call it before create_post and fix each field "
        "it names.",
        "POST", "/posts/validate", read_only=True, idempotent=True, body=("post", "/v1/posts/validate"),
    ),
    ToolSpec(
        "create_post", "Create a post",
        "Publishes `text` (and optional `media_urls`) to every account in `account_ids`: now, at `scheduled_at`, "
        "in the accounts' next free queue slot (`queue`), or saved as a `draft`. Per-network settings go in "
        "`platform_options.<network key>` (see the resource dravo://networks). Answers at once (status "
        "scheduled/queued/draft); delivery runs in the background: follow it with get_post. Calling again with "
        "the same arguments answers the same post instead of posting twice.",
        "POST", "/posts", idempotent=True, body=POST_BODY, extra={"idempotency_key": IDEMPOTENCY_KEY},
        derived_key=True,
    ),
    ToolSpec(
        "get_post", "Show a post",
        "One post with its status and one result per account (published with its URL, failed with the reason, "
        "pending...).",
        "GET", "/posts/{post_id}", read_only=True, idempotent=True, extra={"post_id": POST_ID}, required=("post_id",),
    ),
    ToolSpec(
        "list_posts", "List posts",
        "This key's posts, newest first, with filters (status, provider, account_id, from/to on created_at, q "
        "for text) and paging (`limit`, then `cursor` = next_cursor).",
        "GET", "/posts", read_only=True, idempotent=True, query=("get", "/v1/posts"),
    ),
    ToolSpec(
        "update_post", "Edit a draft or scheduled post",
        "Changes any of text, media_urls, platform_options, account_ids and scheduled_at of a draft or of a "
        "post still scheduled (every check of a create runs on the result). A post already queued or sent is "
        "refused (409).",
        "PATCH", "/posts/{post_id}", destructive=True, body=("patch", "/v1/posts/{id}"),
        extra={"post_id": POST_ID, "if_match": IF_MATCH}, required=("post_id",),
    ),
    ToolSpec(
        "cancel_post", "Cancel a scheduled post",
        "Cancels a post that is still scheduled (nothing is sent); canceling it again answers the same. A post "
        "already going out is refused (409).",
        "POST", "/posts/{post_id}/cancel", destructive=True, idempotent=True, body=("post", "/v1/posts/{id}/cancel"),
        extra={"post_id": POST_ID}, required=("post_id",),
    ),
    ToolSpec(
        "retry_post", "Retry a post's failed deliveries",
        "Sends again the failed deliveries of a failed or partial post (the published ones are left alone).",
        "POST", "/posts/{post_id}/retry", extra={"post_id": POST_ID}, required=("post_id",),
    ),
    ToolSpec(
        "upload_media_from_url", "Add media from a URL",
        "Dravo downloads the file at `url` (public http(s) hosts only), checks it and answers a media object "
        "whose URL create_post takes in `media_urls`.",
        "POST", "/media", idempotent=True, body=("post", "/v1/media"), extra={"idempotency_key": IDEMPOTENCY_KEY},
        derived_key=True,
    ),
    ToolSpec(
        "get_post_analytics", "Read post analytics",
        "The networks' own numbers (views, likes, comments, shares, clicks) of published posts, filtered by "
        "post_id, account_id, provider, from/to.",
        "GET", "/analytics/posts", read_only=True, idempotent=True, query=("get", "/v1/analytics/posts"),
    ),
    ToolSpec(
        "get_account_analytics", "Read account analytics",
        "Followers and other account-level numbers per day (from/to are dates), for one account or all.",
        "GET", "/analytics/accounts", read_only=True, idempotent=True, query=("get", "/v1/analytics/accounts"),
    ),
)
TOOLS_BY_NAME = {spec.name: spec for spec in TOOLS}
