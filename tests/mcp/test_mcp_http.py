"""Dravo's `/mcp` over streamable HTTP, with the API key as the Bearer token."""

import json
from datetime import timedelta

import anyio
import httpx
import pytest
from django.utils import timezone
from mcp import MCPError

from publishing.models import Post
from tests import factories
from tests.mcp.conftest import http_session

pytestmark = pytest.mark.django_db(transaction=True)

TOOL_NAMES = {
    "list_accounts", "list_destinations", "validate_post", "create_post", "get_post", "list_posts",
    "update_post", "cancel_post", "retry_post", "upload_media_from_url", "get_post_analytics",
    "get_account_analytics",
}


def payload(result) -> dict:
    return json.loads(result.content[0].text)


def test_tools_are_listed_with_annotations_and_the_api_schemas(mcp_http):
    async def scenario(session):
        return (await session.list_tools()).tools

    tools = {tool.name: tool for tool in mcp_http(scenario)}

    assert set(tools) == TOOL_NAMES
    create = tools["create_post"]
    assert {"account_ids", "text", "media_urls", "platform_options", "scheduled_at", "queue", "draft",
            "idempotency_key"} <= set(create.input_schema["properties"])
    assert create.input_schema["required"] == ["account_ids", "text"]
    assert create.input_schema["properties"]["scheduled_at"]["type"] == ["string", "null"]
    assert create.annotations.idempotent_hint is True and create.annotations.read_only_hint is False
    assert tools["list_posts"].annotations.read_only_hint is True
    assert "status" in tools["list_posts"].input_schema["properties"]
    assert tools["cancel_post"].annotations.destructive_hint is True
    assert tools["get_post"].input_schema["required"] == ["post_id"]


def test_list_accounts_answers_the_workspace_accounts(mcp_http, workspace):
    account = factories.make_account(workspace)

    async def scenario(session):
        return await session.call_tool("list_accounts", {"limit": 10})

    result = mcp_http(scenario)
    assert not result.is_error
    assert [item["id"] for item in payload(result)["items"]] == [account.pk]


def test_validate_post_puts_the_api_error_items_in_words(mcp_http, workspace):
    account = factories.make_account(workspace)

    async def scenario(session):
        return await session.call_tool("validate_post", {"account_ids": [account.pk, "acc_nope"], "text": ""})

    result = mcp_http(scenario)
    text = result.content[0].text
    assert "field text" in text and "code" in text
    assert "validate_post" in text  # the hint says what to do next


def test_create_post_twice_with_the_same_arguments_makes_one_post(mcp_http, workspace, sandbox, eager_tasks):
    account = factories.make_account(workspace)
    arguments = {"account_ids": [account.pk], "text": "Hello from an agent"}

    async def scenario(session):
        first = await session.call_tool("create_post", arguments)
        second = await session.call_tool("create_post", dict(reversed(list(arguments.items()))))
        shown = await session.call_tool("get_post", {"post_id": payload(first)["id"]})
        return first, second, shown

    first, second, shown = mcp_http(scenario)

    assert not first.is_error and not second.is_error
    assert payload(first)["id"] == payload(second)["id"]
    assert Post.objects.filter(workspace=workspace).count() == 1
    post = payload(shown)
    assert post["id"] == payload(first)["id"] and post["text"] == "Hello from an agent"
    assert [result["account_id"] for result in post["results"]] == [account.pk]


def test_a_refused_call_names_status_code_field_and_hint(mcp_http):
    async def scenario(session):
        return await session.call_tool("get_post", {"post_id": "post_doesnotexist"})

    result = mcp_http(scenario)
    assert result.is_error
    assert "HTTP 404" in result.content[0].text and "test key sees only test data" in result.content[0].text
    assert result.structured_content["errors"][0]["code"] == "not_found"


def test_resources_are_readable(mcp_http, workspace):
    account = factories.make_account(workspace)

    async def scenario(session):
        listed = (await session.list_resources()).resources
        accounts = await session.read_resource("dravo://accounts")
        networks = await session.read_resource("dravo://networks")
        return listed, accounts, networks

    listed, accounts, networks = mcp_http(scenario)
    assert {str(resource.uri) for resource in listed} == {"dravo://accounts", "dravo://networks"}
    assert [item["id"] for item in json.loads(accounts.contents[0].text)["items"]] == [account.pk]
    rules = json.loads(networks.contents[0].text)["items"]
    assert rules and all("text_limit" in network and "options" in network for network in rules)


def test_a_test_key_sees_only_test_data(live_server, workspace, api_key):
    test_account = factories.make_account(workspace, mode="test")
    live_account = factories.make_account(workspace, mode="live")
    factories.make_post(workspace, [live_account], text="live only")

    async def scenario():
        async with http_session(live_server.url, api_key) as session:
            accounts = await session.call_tool("list_accounts", {})
            posts = await session.call_tool("list_posts", {})
            return accounts, posts

    accounts, posts = anyio.run(scenario)
    assert [item["id"] for item in payload(accounts)["items"]] == [test_account.pk]
    assert payload(posts)["items"] == []


@pytest.mark.parametrize("header", [None, "Bearer dra_test_notakey", "Bearer nonsense"])
def test_a_missing_or_bad_key_is_the_api_401(live_server, db, header):
    headers = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}
    if header:
        headers["Authorization"] = header
    body = {"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {}}

    response = httpx.post(f"{live_server.url}/mcp", json=body, headers=headers)

    assert response.status_code == 401
    assert response.json()["type"] == "client_error"
    assert response.json()["errors"][0]["code"] in {"not_authenticated", "authentication_failed", "token_not_valid"}


def test_an_unknown_resource_is_an_mcp_error_naming_the_known_ones(mcp_http):
    async def scenario(session):
        try:
            await session.read_resource("dravo://nothing")
        except MCPError as error:
            return error.message

    assert "dravo://accounts" in mcp_http(scenario)


def test_tool_calls_share_the_key_s_v1_throttle_and_say_how_long_to_wait(mcp_http, settings, api_client):
    settings.THROTTLE_RATE = "3/min"

    async def scenario(session):
        return [await session.call_tool("list_posts", {}) for _ in range(3)]

    assert api_client.get("/v1/posts").status_code == 200  # the /v1 request spends one of three
    first, second, refused = mcp_http(scenario)

    assert not first.is_error and not second.is_error
    assert refused.is_error and "HTTP 429" in refused.content[0].text
    assert f"wait {refused.structured_content['retry_after']:g} s" in refused.content[0].text


@pytest.mark.parametrize("method", ["GET", "DELETE"])
def test_get_and_delete_on_mcp_are_a_405_at_once_not_a_stream_held_open(live_server, api_key, method):
    headers = {"Authorization": f"Bearer {api_key}", "Accept": "text/event-stream"}

    response = httpx.request(method, f"{live_server.url}/mcp", headers=headers, timeout=10)

    assert response.status_code == 405
    assert response.json()["errors"][0]["code"] == "method_not_allowed"


def test_a_scheduled_post_is_edited_then_canceled_twice_with_the_same_answer(mcp_http, workspace):
    account = factories.make_account(workspace)
    later = (timezone.now() + timedelta(days=2)).isoformat()

    async def scenario(session):
        created = payload(await session.call_tool(
            "create_post", {"account_ids": [account.pk], "text": "Later", "scheduled_at": later}
        ))
        edited = await session.call_tool("update_post", {"post_id": created["id"], "text": "Later, edited",
                                                         "if_match": 1})
        stale = await session.call_tool("update_post", {"post_id": created["id"], "text": "Stale", "if_match": 1})
        canceled = [await session.call_tool("cancel_post", {"post_id": created["id"]}) for _ in range(2)]
        return edited, stale, canceled

    edited, stale, canceled = mcp_http(scenario)
    assert payload(edited)["text"] == "Later, edited"
    assert stale.is_error and "HTTP 412" in stale.content[0].text
    assert [payload(result)["status"] for result in canceled] == ["canceled", "canceled"]


def test_destinations_and_a_refused_media_url_go_through_the_api(mcp_http, workspace):
    account = factories.make_account(workspace)

    async def scenario(session):
        destinations = await session.call_tool("list_destinations", {"account_id": account.pk})
        media = await session.call_tool("upload_media_from_url", {"url": "http://127.0.0.1/picture.png"})
        return destinations, media

    destinations, media = mcp_http(scenario)
    assert payload(destinations)["items"] == []
    assert media.is_error and "HTTP 400" in media.content[0].text and "field url" in media.content[0].text


def test_a_dashboard_user_s_test_mode_jwt_works_as_on_v1(live_server, workspace, anon_client):
    account = factories.make_account(workspace, mode="test")
    user = factories.make_user(workspace)
    body = {"username": user.username, "password": "s3cret-pass!", "mode": "test"}
    token = anon_client.post("/v1/auth/token", body, format="json").json()["access"]

    async def scenario():
        async with http_session(live_server.url, token) as session:
            return await session.call_tool("list_accounts", {})

    assert [item["id"] for item in payload(anyio.run(scenario))["items"]] == [account.pk]


def test_a_failure_inside_the_mcp_app_is_a_json_rpc_error_not_a_page(live_server, api_key, monkeypatch):
    from dravo import mcp

    def broken():
        raise RuntimeError("the MCP session manager stopped")

    monkeypatch.setattr(mcp.bridge, "app", broken)
    headers = {"Authorization": f"Bearer {api_key}", "Accept": "application/json, text/event-stream"}
    body = {"jsonrpc": "2.0", "id": 7, "method": "tools/list", "params": {}}

    response = httpx.post(f"{live_server.url}/mcp", json=body, headers=headers, timeout=10)

    assert response.status_code == 500 and response.headers["content-type"] == "application/json"
    assert response.json()["id"] == 7 and response.json()["error"]["code"] == -32603
