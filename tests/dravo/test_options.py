"""OPTIONS answers on every /v1 route, action routes included."""

import pytest
from django.urls import URLPattern, reverse

from dravo import urls
from tests import factories


def v1_routes(sample_id: str) -> list[str]:
    """Every named /v1 route, its path parameters filled with `sample_id`."""
    paths = []
    for pattern in urls.v1:
        if isinstance(pattern, URLPattern) and pattern.name:
            params = pattern.pattern.regex.groupindex
            paths.append(reverse(pattern.name, kwargs={name: sample_id for name in params}))
    return paths


@pytest.fixture
def post(workspace):
    return factories.make_post(workspace, [factories.make_account(workspace)])


def test_the_route_list_covers_the_action_routes():
    paths = v1_routes("post_x")
    assert {"/v1/posts/post_x/cancel", "/v1/posts/post_x/retry", "/v1/publish/post_x/cancel"} <= set(paths)
    assert len(paths) > 20


@pytest.mark.django_db
def test_options_on_every_v1_route_is_a_json_200(api_client, post):
    for path in v1_routes(post.pk):
        response = api_client.options(path)
        assert response.status_code == 200, (path, response.content[:300])
        assert response["Content-Type"] == "application/json", path
        assert response.json()["name"], path
        assert "OPTIONS" in response["Allow"], path


@pytest.mark.django_db
@pytest.mark.parametrize("route", ["/v1/posts/{id}/cancel", "/v1/posts/{id}/retry", "/v1/publish/{id}/cancel"])
def test_options_on_an_action_route_names_its_methods(api_client, post, route):
    response = api_client.options(route.format(id=post.pk))
    assert response.status_code == 200
    assert "POST" in response["Allow"] and "OPTIONS" in response["Allow"]
    assert response.json()["parses"] == ["application/json"]


@pytest.mark.django_db
def test_options_without_credentials_is_the_usual_401(anon_client, post):
    response = anon_client.options(f"/v1/posts/{post.pk}/cancel")
    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "not_authenticated"
