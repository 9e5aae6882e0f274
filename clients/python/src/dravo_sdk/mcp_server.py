"""Dravo's MCP server: the tools of `mcp_tools` and two resources (the workspace's
accounts, the networks' rules), every one a call through a `Dravo` client.

Two ways to serve it, one server:

- `dravo-mcp` (stdio): one `Dravo()` over HTTP, from DRAVO_URL and DRAVO_API_KEY.
- Dravo's own `/mcp` (streamable HTTP): `build_server()` with a factory that gives
  each request a client holding that request's Bearer key and calling `/v1` in-process,
  so auth, workspace, mode, throttling and errors are exactly the API's.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import anyio
import httpx
from mcp import MCPError, types
from mcp.server.context import ServerRequestContext
from mcp.server.lowlevel import Server
from mcp.server.stdio import stdio_server
from mcp.types import INTERNAL_ERROR, INVALID_PARAMS, INVALID_REQUEST

from dravo_sdk.client import Dravo
from dravo_sdk.errors import DravoError
from dravo_sdk.mcp_render import as_json, error_result, ok_result, unreachable_result, validation_result
from dravo_sdk.mcp_tools import TOOLS, TOOLS_BY_NAME

# A client for the request being served; the context manager closes what it opened.
ClientFactory = Callable[[ServerRequestContext], AbstractContextManager[Dravo]]

INSTRUCTIONS = """Dravo publishes one post to many social networks at once.
Plan: read dravo://accounts (the ids create_post takes) and dravo://networks (each network's
text limit, media and options), call validate_post until it says valid, then create_post.
Delivery runs in the background: get_post shows each account's result.
A test key (dra_test_...) sees and posts only to sandbox accounts: nothing reaches a real network.
Repeating create_post with the same arguments answers the same post; it never posts twice."""

RESOURCES = {
    "dravo://accounts": ("accounts", "The connected accounts of this key's workspace and mode (all pages)."),
    "dravo://networks": ("networks", "Each network's rules: text limit and how it is counted, media, the JSON "
                                     "Schema of its platform_options, required options, destinations."),
}
MAX_ACCOUNT_PAGES = 20


def fetch_openapi(dravo: Dravo) -> dict:
    """Dravo's OpenAPI document (public, `GET /v1/schema`), as JSON. Raises DravoError
    or httpx.TransportError."""
    return dravo.request("GET", "/schema", params={"format": "json"})


def build_server(openapi: dict, client_for: ClientFactory) -> Server:
    """The MCP server: tool schemas read from `openapi`; every call and read made with
    the client `client_for(ctx)` gives for the request being served."""
    handlers = Handlers([spec.tool(openapi) for spec in TOOLS], client_for)
    return Server(
        "dravo",
        version="0.1.0",
        instructions=INSTRUCTIONS,
        on_list_tools=handlers.list_tools,
        on_call_tool=handlers.call_tool,
        on_list_resources=handlers.list_resources,
        on_read_resource=handlers.read_resource,
    )


class Handlers:
    """The MCP requests Dravo answers. A refusal by the API is a tool result in words
    (`is_error`), or for a resource an MCP error carrying the same words."""

    def __init__(self, tools: list[types.Tool], client_for: ClientFactory):
        self.tools = tools
        self.client_for = client_for

    async def list_tools(self, ctx, params) -> types.ListToolsResult:
        return types.ListToolsResult(tools=self.tools)

    async def call_tool(self, ctx, params: types.CallToolRequestParams) -> types.CallToolResult:
        spec = TOOLS_BY_NAME.get(params.name)
        if spec is None:
            return types.CallToolResult(content=[types.TextContent(text=f"Unknown tool {params.name}.")], is_error=True)
        arguments = params.arguments or {}
        try:
            result = await _in_thread(self.client_for(ctx), lambda dravo: spec.call(dravo, arguments))
        except DravoError as error:
            return error_result(error, spec.name)
        except httpx.TransportError as error:
            return unreachable_result(error, spec.name)
        return validation_result(result) if spec.name == "validate_post" else ok_result(result)

    async def list_resources(self, ctx, params) -> types.ListResourcesResult:
        return types.ListResourcesResult(resources=[
            types.Resource(uri=uri, name=name, description=text, mime_type="application/json")
            for uri, (name, text) in RESOURCES.items()
        ])

    async def read_resource(self, ctx, params: types.ReadResourceRequestParams) -> types.ReadResourceResult:
        uri = str(params.uri)
        if uri not in RESOURCES:
            raise MCPError(INVALID_PARAMS, f"Unknown resource {uri}; there are {', '.join(RESOURCES)}.")
        try:
            document = await _in_thread(self.client_for(ctx), lambda dravo: read_document(dravo, uri))
        except DravoError as error:
            raise MCPError(INVALID_REQUEST, error_result(error, uri).content[0].text) from None
        except httpx.TransportError as error:
            raise MCPError(INTERNAL_ERROR, unreachable_result(error, uri).content[0].text) from None
        contents = types.TextResourceContents(uri=uri, mime_type="application/json", text=as_json(document))
        return types.ReadResourceResult(contents=[contents])


def read_document(dravo: Dravo, uri: str) -> dict:
    """The JSON of resource `uri`: every page of the accounts, or the networks' rules."""
    if uri == "dravo://networks":
        return dravo.request("GET", "/networks")
    items, cursor = [], None
    for _ in range(MAX_ACCOUNT_PAGES):
        page = dravo.request("GET", "/accounts", params={"limit": 100, "cursor": cursor})
        items += page["items"]
        cursor = page.get("next_cursor")
        if not cursor:
            break
    return {"items": items, "total": len(items)}


async def _in_thread(client: AbstractContextManager[Dravo], work: Callable[[Dravo], Any]) -> Any:
    """Run blocking `work` with the client in a worker thread, so the event loop (and,
    in-process, Django, which refuses to run inside one) is never blocked."""

    def run() -> Any:
        with client as dravo:
            return work(dravo)

    return await anyio.to_thread.run_sync(run)


async def serve_stdio(server: Server) -> None:
    async with stdio_server() as (read_stream, write_stream):
        await server.run(read_stream, write_stream, server.create_initialization_options())


def main() -> None:
    """`dravo-mcp`: serve over stdio with DRAVO_URL and DRAVO_API_KEY. Exits 2 without a
    key and 1 when Dravo cannot be read at start (its schema gives the tools' inputs)."""
    try:
        dravo = Dravo(max_retries=1, max_retry_wait=5.0, user_agent="dravo-mcp")
    except ValueError as error:
        print(f"dravo-mcp: {error}", file=sys.stderr)
        sys.exit(2)
    try:
        openapi = fetch_openapi(dravo)
    except (DravoError, httpx.TransportError) as error:
        print(f"dravo-mcp: cannot read {dravo.base_url}/v1/schema: {error}", file=sys.stderr)
        sys.exit(1)
    server = build_server(openapi, lambda ctx: contextlib.nullcontext(dravo))
    anyio.run(serve_stdio, server)


if __name__ == "__main__":
    main()
