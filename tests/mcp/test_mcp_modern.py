"""The SDK's high-level `Client`, which probes for the newest protocol (per-request
envelopes, no initialize) before it falls back to the handshake, works with `/mcp` too."""

import json

import anyio
import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from mcp.types.version import MODERN_PROTOCOL_VERSIONS

from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_high_level_client_lists_tools_and_calls_one(live_server, workspace, api_key):
    account = factories.make_account(workspace)

    async def scenario():
        async with httpx2.AsyncClient(headers={"Authorization": f"Bearer {api_key}"}, timeout=60) as http:
            async with Client(streamable_http_client(f"{live_server.url}/mcp", http_client=http)) as client:
                tools = await client.list_tools()
                accounts = await client.call_tool("list_accounts", {})
                return client.protocol_version, tools, accounts

    version, tools, accounts = anyio.run(scenario)
    assert version in MODERN_PROTOCOL_VERSIONS
    assert "create_post" in {tool.name for tool in tools.tools}
    assert [item["id"] for item in json.loads(accounts.content[0].text)["items"]] == [account.pk]
