"""Every list reads its query string the same way: snake_case names, and a parameter it
does not know is a 400 naming it instead of a filter silently ignored."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator

from analytics import services as analytics_services
from analytics.models import PostMetrics
from publishing.models import Delivery, Post
from tests import factories

LISTS = ["/v1/posts", "/v1/publish", "/v1/accounts", "/v1/media", "/v1/analytics/posts", "/v1/api-keys"]
DOCUMENTED_ANALYTICS_NAMES = {"postId", "accountId", "platform", "fromDate", "toDate"}


@pytest.mark.django_db
@pytest.mark.parametrize("path", LISTS)
def test_every_list_refuses_unknown_query_parameters_naming_each(api_client, path):
    response = api_client.get(f"{path}?sort=asc&limit=5&Provider=x")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert [(e["attr"], e["code"]) for e in errors] == [
        ("Provider", "unknown_parameter"),
        ("sort", "unknown_parameter"),
    ]
    assert "limit" in errors[0]["detail"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", LISTS)
def test_every_list_still_answers_its_known_parameters(api_client, path):
    assert api_client.get(f"{path}?limit=5").status_code == 200


def metrics_row(workspace, account, *, days_ago: int) -> Post:
    """A published result with fresh cached metrics (so a read asks no network)."""
    post = Post.objects.create(
        workspace=workspace, mode=account.mode, text="counted", status="published", providers=[account.provider]
    )
    delivery = Delivery.objects.create(
        post=post, account=account, provider=account.provider, status="published", platform_post_id=f"9{days_ago}"
    )
    analytics_services.post_metrics_track(delivery=delivery)
    now = timezone.now()
    PostMetrics.objects.filter(delivery=delivery).update(
        created_at=now - timedelta(days=days_ago), last_updated_at=now, stale_after=now + timedelta(hours=1)
    )
    return post


@pytest.mark.django_db
def test_analytics_takes_the_snake_case_names_and_keeps_the_documented_ones(api_client, workspace):
    x = factories.make_account(workspace, provider="x")
    li = factories.make_account(workspace, provider="linkedin")
    old, new = metrics_row(workspace, x, days_ago=10), metrics_row(workspace, li, days_ago=1)
    since = (timezone.now() - timedelta(days=2)).isoformat()
    pairs = [
        ({"provider": "x"}, {"platform": "x"}, [old.pk]),
        ({"account_id": li.pk}, {"accountId": li.pk}, [new.pk]),
        ({"post_id": old.pk}, {"postId": old.pk}, [old.pk]),
        ({"from": since}, {"fromDate": since}, [new.pk]),
        ({"to": since}, {"toDate": since}, [old.pk]),
    ]
    for snake, documented, expected in pairs:
        for params in (snake, documented):
            response = api_client.get("/v1/analytics/posts", params)
            assert response.status_code == 200, (params, response.content)
            assert [item["post_id"] for item in response.json()["items"]] == expected, params


@pytest.mark.django_db
def test_analytics_refuses_a_name_and_its_documented_alias_together(api_client):
    response = api_client.get("/v1/analytics/posts?provider=x&platform=linkedin")
    assert response.status_code == 400
    assert [(e["attr"], e["code"]) for e in response.json()["errors"]] == [("platform", "ambiguous")]


def test_every_list_documents_snake_case_parameters_and_the_new_history_filters():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    listed = {}
    for path in LISTS:
        names = {p["name"] for p in schema["paths"][path]["get"].get("parameters", []) if p["in"] == "query"}
        listed[path] = names
        odd = {n for n in names if not re.fullmatch(r"[a-z]+(_[a-z]+)*", n)} - DOCUMENTED_ANALYTICS_NAMES
        assert not odd, (path, odd)
    for path in ("/v1/posts", "/v1/publish"):
        assert {"status", "provider", "account_id", "q", "from", "to", "limit", "cursor"} <= listed[path]
    assert {"post_id", "account_id", "provider", "from", "to"} <= listed["/v1/analytics/posts"]
