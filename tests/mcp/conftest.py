"""MCP clients (the official SDK's `ClientSession`) against a running Dravo: over
streamable HTTP at `<live_server>/mcp`, and over stdio by launching `dravo-mcp`."""

import contextlib
import os
import sys
from pathlib import Path

import anyio
import httpx2
import pytest
from mcp import ClientSession, StdioServerParameters, stdio_client
from mcp.client.streamable_http import streamable_http_client

SDK_SRC = Path(__file__).resolve().parents[2] / "clients" / "python" / "src"


@contextlib.asynccontextmanager
async def http_session(base_url: str, key: str | None):
    """An initialized MCP session with Dravo's `/mcp`, sending `key` as the Bearer token."""
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    async with httpx2.AsyncClient(headers=headers, timeout=60) as http:
        async with streamable_http_client(f"{base_url}/mcp", http_client=http) as (read, write):
            async with ClientSession(read, write) as session:
                await session.initialize()
                yield session


@contextlib.asynccontextmanager
async def stdio_session(base_url: str, key: str):
    """An initialized MCP session with a `dravo-mcp` process pointed at `base_url`."""
    env = {
        "DRAVO_URL": base_url,
        "DRAVO_API_KEY": key,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(SDK_SRC), os.environ.get("PYTHONPATH")])),
    }
    params = StdioServerParameters(command=sys.executable, args=["-m", "dravo_sdk.mcp_server"], env=env)
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            yield session


def run_with(opener, *args):
    """Run `scenario(session)` in a fresh event loop on a session opened by `opener(*args)`."""

    def decorator(scenario):
        async def main():
            async with opener(*args) as session:
                return await scenario(session)

        return anyio.run(main)

    return decorator


@pytest.fixture
def mcp_http(live_server, api_key):
    """Run a coroutine `scenario(session)` on an HTTP session with the test key."""
    return lambda scenario: run_with(http_session, live_server.url, api_key)(scenario)


@pytest.fixture
def mcp_stdio(live_server, api_key):
    """Run a coroutine `scenario(session)` on a stdio session with the test key."""
    return lambda scenario: run_with(stdio_session, live_server.url, api_key)(scenario)
