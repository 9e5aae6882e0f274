"""Out-of-range and forged query parameters of every list are a 400 naming them, never a
database error."""

import base64
import json

import pytest

LISTS = ["/v1/posts", "/v1/publish", "/v1/accounts", "/v1/media"]


def forged_cursor(created_at, pk="post_x") -> str:
    return base64.urlsafe_b64encode(json.dumps([created_at, pk]).encode()).decode().rstrip("=")


def assert_400_on(response, attr):
    assert response.status_code == 400, response.content[:300]
    assert response.json()["type"] == "validation_error"
    assert [e["attr"] for e in response.json()["errors"]] == [attr]


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["0", "-1", "100001", "9223372036854775807", "99999999999999999999", "1e3", "x"])
def test_an_out_of_range_analytics_page_is_a_400(api_client, page):
    assert_400_on(api_client.get(f"/v1/analytics/posts?page={page}"), "page")


@pytest.mark.django_db
def test_the_last_analytics_page_allowed_is_empty_not_an_error(api_client):
    response = api_client.get("/v1/analytics/posts?page=100000&limit=100")
    assert response.status_code == 200 and response.json()["items"] == []


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["0", "101", "99999999999999999999", "9" * 5000, "-5", "abc"])
def test_an_out_of_range_limit_is_a_400_on_every_list(api_client, value):
    for path in [*LISTS, "/v1/analytics/posts"]:
        assert_400_on(api_client.get(f"{path}?limit={value}"), "limit")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "fromDate=2030-06-30T23:59:60Z",
        "toDate=2030-02-30T00:00:00Z",
        "fromDate=9999-12-31T23:59:59-23:59",
        "toDate=0001-01-01T00:00:00%2B01:00",
    ],
)
def test_an_impossible_analytics_date_is_a_400(api_client, query):
    assert_400_on(api_client.get(f"/v1/analytics/posts?{query}"), query.split("=")[0])


@pytest.mark.django_db
@pytest.mark.parametrize(
    "cursor",
    [
        forged_cursor("9999-12-31T23:59:59-23:59"),  # overflows when turned to UTC
        forged_cursor("0001-01-01T00:00:00+01:00"),
        forged_cursor("2030-06-30T23:59:60Z"),
        forged_cursor("2030-06-30T10:00:00"),  # naive: no cursor Dravo makes looks like this
        forged_cursor("2030-06-30T10:00:00Z", pk=5),
        base64.urlsafe_b64encode(b"[" * 50_000).decode(),
        "not-base64!",
    ],
)
def test_a_forged_cursor_is_a_400_on_every_list(api_client, cursor):
    for path in LISTS:
        assert_400_on(api_client.get(path, {"cursor": cursor}), "cursor")
