"""`dravo-mcp` over stdio, launched as a process with DRAVO_URL pointing at a running Dravo."""

import json
import subprocess
import sys

import pytest

from publishing.models import Post
from tests import factories
from tests.mcp.conftest import SDK_SRC

pytestmark = pytest.mark.django_db(transaction=True)


def test_stdio_lists_tools_and_resources_read_from_the_running_dravo(mcp_stdio, workspace):
    account = factories.make_account(workspace)

    async def scenario(session):
        tools = (await session.list_tools()).tools
        accounts = await session.read_resource("dravo://accounts")
        return tools, accounts

    tools, accounts = mcp_stdio(scenario)
    create = next(tool for tool in tools if tool.name == "create_post")
    assert create.input_schema["required"] == ["account_ids", "text"]
    assert [item["id"] for item in json.loads(accounts.contents[0].text)["items"]] == [account.pk]


def test_stdio_create_post_twice_makes_one_post_and_a_bad_one_is_refused_in_words(
    mcp_stdio, workspace, sandbox, eager_tasks
):
    account = factories.make_account(workspace)
    arguments = {"account_ids": [account.pk], "text": "Twice over stdio"}

    async def scenario(session):
        first = await session.call_tool("create_post", arguments)
        second = await session.call_tool("create_post", arguments)
        bad = await session.call_tool("create_post", {"account_ids": [account.pk], "text": "x" * 6000})
        return first, second, bad

    first, second, bad = mcp_stdio(scenario)
    assert json.loads(first.content[0].text)["id"] == json.loads(second.content[0].text)["id"]
    assert Post.objects.filter(workspace=workspace).count() == 1
    assert bad.is_error
    assert "HTTP 400" in bad.content[0].text and "field text" in bad.content[0].text


def test_stdio_without_a_key_exits_with_a_message(live_server):
    env = {"DRAVO_URL": live_server.url, "PYTHONPATH": str(SDK_SRC)}
    process = subprocess.run([sys.executable, "-m", "dravo_sdk.mcp_server"], env=env, capture_output=True,
                             text=True, timeout=60)
    assert process.returncode == 2
    assert "DRAVO_API_KEY" in process.stderr
