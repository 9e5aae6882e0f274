"""WordPressClient against `responses` mocks shaped like the real REST API: verify on both
kinds of site, the site URL rules, publishing (paragraphs, images, tags and term_exists, the
featured image read back, the checkpoint and the search after an ambiguous create), every
error class, categories by pages, WordPress.com stats, and the options schema."""

import base64
import json

import pytest
import requests
import responses
from responses import matchers

from providers import public_host
from providers.base import Content, Media
from providers.errors import (
    AccountMismatch,
    MediaUnavailable,
    MetricsUnsupported,
    ProviderUnavailable,
    RateLimited,
    ReconnectRequired,
    Rejected,
    TokenExpired,
)
from providers.wordpress.client import WordPressClient
from providers.wordpress.post import paragraphs
from providers.wordpress.rules import WordPressOptions
from providers.wordpress.site import SiteRefused, site_base, wpcom_site

API = "https://public-api.wordpress.com"
REST = f"{API}/wp/v2/sites/blog.example.org"
SELF = "https://blog.example.com/news/wp-json/wp/v2"
ME = {"id": 7, "name": "Ada", "slug": "ada", "roles": ["author"], "capabilities": {"publish_posts": True}}
POST = {
    "id": 99,
    "link": "https://blog.example.org/2026/12/04/hello/",
    "date_gmt": "2026-12-04T10:00:00",
    "featured_media": 0,
}
BEARER = matchers.header_matcher({"Authorization": "Bearer tok"})
IMAGE = "https://cdn.example/pic.png"


def com(**credentials):
    creds = {"access_token": "tok", "site_url": "blog.example.org", **credentials}
    return WordPressClient(creds, endpoints={"api_url": API, "oauth_url": API, "sites_url": ""})


@pytest.fixture
def mocked():
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        yield mock


@pytest.fixture
def public_dns(monkeypatch):
    monkeypatch.setattr(public_host.socket, "getaddrinfo", lambda *a, **k: [(2, 1, 6, "", ("93.184.216.34", 443))])


def selfhosted():
    creds = {"access_token": "abcdEFGH", "username": "ada", "site_url": "https://blog.example.com/news/"}
    return WordPressClient(creds, endpoints={"api_url": API, "oauth_url": API, "sites_url": ""})


def body_of(call) -> dict:
    return json.loads(call.request.body)


# --- site URLs -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "url",
    [
        "http://blog.example.com",
        "https://10.0.0.1",
        "https://[::1]",
        "https://localhost",
        "https://printer.local",
        "https://me:pw@blog.example.com",
        "https://blog.example.com:8443",
        "https://blog.example.com/?p=1",
        "https://blog.example.com/#top",
        "https://blog.example.com/../admin",
        "ftp://blog.example.com",
        "",
    ],
)
def test_a_self_hosted_site_url_must_be_public_https(url):
    with pytest.raises(SiteRefused):
        site_base(url)


def test_a_site_url_is_normalized_and_may_have_a_path():
    assert site_base("Blog.Example.com") == "https://blog.example.com"
    assert site_base("https://blog.example.com/news/") == "https://blog.example.com/news"
    assert site_base("https://blog.example.com/news/wp-json/") == "https://blog.example.com/news"


def test_a_wordpress_com_site_is_a_domain_or_a_blog_id():
    assert wpcom_site("https://Dravo.WordPress.com/") == "dravo.wordpress.com"
    assert wpcom_site("12345") == "12345"
    for bad in ("a/b", "x.com/../../me", "https://x.wordpress.com/path", ""):
        with pytest.raises(SiteRefused):
            wpcom_site(bad)


def test_a_live_self_hosted_site_resolving_to_a_private_address_is_refused_before_any_call(monkeypatch, mocked):
    monkeypatch.setattr(public_host.socket, "getaddrinfo", lambda *a, **k: [(2, 1, 6, "", ("192.168.1.4", 443))])
    with pytest.raises(SiteRefused, match="non-public"):
        selfhosted().verify()
    assert len(mocked.calls) == 0


# --- verify ----------------------------------------------------------------------------------------
def test_verify_a_wordpress_com_site(mocked):
    mocked.get(f"{REST}/users/me", json=ME, match=[BEARER, matchers.query_param_matcher({"context": "edit"})])
    profile = com().verify()
    assert (profile.id, profile.handle, profile.name) == ("blog.example.org", "blog.example.org", "Ada")
    assert profile.extra["kind"] == "wordpress.com" and len(mocked.calls) == 1


def test_verify_a_self_hosted_site_with_basic_auth_through_the_guarded_session(public_dns, mocked):
    basic = "Basic " + base64.b64encode(b"ada:abcdEFGH").decode()
    mocked.get(f"{SELF}/users/me", json=ME, match=[matchers.header_matcher({"Authorization": basic})])
    client = selfhosted()
    assert client.session is public_host.guarded_session()
    profile = client.verify()
    assert profile.id == "blog.example.com/news" and profile.extra["kind"] == "self-hosted"


def test_a_wordpress_com_token_of_another_site_is_an_account_mismatch(mocked):
    mocked.get(
        f"{REST}/users/me", status=403, json={"code": "unauthorized", "message": "User cannot access this site."}
    )
    with pytest.raises(AccountMismatch) as caught:
        com().verify()
    assert caught.value.field == "site_url"


def test_a_user_who_cannot_publish_cannot_connect(mocked):
    mocked.get(f"{REST}/users/me", json={**ME, "capabilities": {"edit_posts": True}})
    with pytest.raises(ReconnectRequired, match="cannot publish"):
        com().verify()


def test_a_refused_application_password_needs_a_reconnect(public_dns, mocked):
    body = {
        "code": "incorrect_password",
        "message": "The provided password is an invalid application password.",
        "data": {"status": 401},
    }
    mocked.get(f"{SELF}/users/me", status=401, json=body)
    with pytest.raises(ReconnectRequired, match="invalid application password"):
        selfhosted().verify()


def test_a_refused_wordpress_com_token_is_refreshed_once_and_refresh_says_reconnect(mocked):
    mocked.get(
        f"{REST}/users/me", status=400, json={"error": "invalid_token", "message": "The OAuth2 token is invalid."}
    )
    with pytest.raises(TokenExpired):
        com().verify()
    with pytest.raises(ReconnectRequired, match="cannot be refreshed"):
        com().refresh()


# --- publish ---------------------------------------------------------------------------------------
def test_publish_sends_the_title_paragraphs_and_options(mocked):
    mocked.post(f"{REST}/posts", json=POST, status=201, match=[BEARER])
    saved = []
    options = {"categories": [3, 5], "excerpt": "Short", "slug": "hello", "format": "aside", "comment_status": "closed"}
    result = com().publish(
        Content("Hello\nLine one\nline two\n\nA <b>second</b>", (), options), save_checkpoint=saved.append
    )
    sent = body_of(mocked.calls[0])
    assert sent == {
        "title": "Hello",
        "content": "<p>Line one<br />\nline two</p>\n\n<p>A &lt;b&gt;second&lt;/b&gt;</p>",
        "status": "publish",
        "excerpt": "Short",
        "slug": "hello",
        "format": "aside",
        "comment_status": "closed",
        "categories": [3, 5],
    }
    assert (result.platform_post_id, result.url) == ("99", POST["link"]) and result.warnings == []
    assert saved[0]["post_requested"] and saved[-1] == {"post_requested": None, "post_id": "99", "link": POST["link"]}


@pytest.mark.parametrize(
    "text,expected",
    [
        (
            "See https://example.com/a?b=1&c=2.",
            '<p>See <a href="https://example.com/a?b=1&amp;c=2">https://example.com/a?b=1&amp;c=2</a>.</p>',
        ),
        ("(http://x.test/p)", '<p>(<a href="http://x.test/p">http://x.test/p</a>)</p>'),
        ('Not a link: https://"><script>', "<p>Not a link: https://&quot;&gt;&lt;script&gt;</p>"),
        ("ftp://x.test <i>", "<p>ftp://x.test &lt;i&gt;</p>"),
    ],
)
def test_links_in_the_text_become_escaped_links(text, expected):
    assert paragraphs(text) == expected


def test_the_status_option_keeps_the_post_for_the_site_s_editors(mocked):
    mocked.post(f"{REST}/posts", json=POST, status=201)
    com().publish(Content("Title\nBody", (), {"status": "pending"}))
    assert body_of(mocked.calls[0])["status"] == "pending"


def test_publish_html_as_is_with_the_title_option(mocked):
    mocked.post(f"{REST}/posts", json=POST, status=201)
    com().publish(Content("<!-- wp:paragraph --><p>Hi</p><!-- /wp:paragraph -->", (), {"title": "T", "html": True}))
    assert body_of(mocked.calls[0])["content"] == "<!-- wp:paragraph --><p>Hi</p><!-- /wp:paragraph -->"


def test_images_are_uploaded_the_first_featured_the_others_in_the_content(mocked):
    mocked.get(IMAGE, body=b"\x89PNG...", content_type="image/png")
    mocked.get("https://cdn.example/two.jpg", body=b"\xff\xd8...", content_type="image/jpeg")
    disposition = matchers.header_matcher(
        {"Content-Type": "image/png", "Content-Disposition": 'attachment; filename="pic.png"'}
    )
    mocked.post(
        f"{REST}/media",
        status=201,
        json={"id": 11, "source_url": "https://blog.example.org/pic.png"},
        match=[disposition],
    )
    mocked.post(f"{REST}/media", status=201, json={"id": 12, "source_url": "https://blog.example.org/two.jpg"})
    mocked.post(f"{REST}/posts", status=201, json={**POST, "featured_media": 11})
    media = (Media(IMAGE, "image"), Media("https://cdn.example/two.jpg", "image", mime_type="image/jpeg"))
    saved = []
    result = com().publish(Content("Title\nBody", media), save_checkpoint=saved.append)
    sent = body_of(mocked.calls[4])
    assert sent["featured_media"] == 11
    figure = '<figure class="wp-block-image"><img src="https://blog.example.org/two.jpg" alt="" /></figure>'
    assert sent["content"] == f"<p>Body</p>\n\n{figure}"
    assert saved[1]["media"] == [
        {"id": 11, "url": "https://blog.example.org/pic.png"},
        {"id": 12, "url": "https://blog.example.org/two.jpg"},
    ]
    assert result.warnings == [] and len(mocked.calls) == 5


def test_a_dropped_featured_image_is_a_warning(mocked):
    mocked.post(f"{REST}/posts", status=201, json={**POST, "featured_media": 0})
    checkpoint = {"media": [{"id": 11, "url": "https://blog.example.org/pic.png"}]}
    result = com().publish(Content("Title\nBody", (Media(IMAGE, "image"),)), checkpoint=checkpoint)
    assert "featured image" in result.warnings[0] and len(mocked.calls) == 1


def test_tags_are_created_or_found_through_term_exists(mocked):
    mocked.post(
        f"{REST}/tags",
        status=201,
        json={"id": 21, "name": "new"},
        match=[matchers.json_params_matcher({"name": "new"})],
    )
    exists = {
        "code": "term_exists",
        "message": "A term with the name provided already exists.",
        "data": {"status": 400, "term_id": 8},
    }
    mocked.post(f"{REST}/tags", status=400, json=exists, match=[matchers.json_params_matcher({"name": "old"})])
    mocked.post(f"{REST}/posts", status=201, json=POST)
    saved = []
    com().publish(Content("Title\nBody", (), {"tags": ["new", "old"]}), save_checkpoint=saved.append)
    assert body_of(mocked.calls[2])["tags"] == [21, 8] and saved[0]["tag_ids"] == [21, 8]


def test_an_author_who_may_not_create_tags_uses_an_existing_one(mocked):
    refused = {"code": "rest_cannot_create", "message": "Sorry, you are not allowed to create terms in this taxonomy."}
    mocked.post(f"{REST}/tags", status=403, json=refused)
    mocked.get(
        f"{REST}/tags",
        json=[{"id": 30, "name": "Old &amp; New"}],
        match=[matchers.query_param_matcher({"search": "old & new", "per_page": "100"})],
    )
    mocked.post(f"{REST}/posts", status=201, json=POST)
    com().publish(Content("Title\nBody", (), {"tags": ["old & new"]}))
    assert body_of(mocked.calls[2])["tags"] == [30] and len(mocked.calls) == 3


def test_a_checkpoint_resumes_without_uploading_or_tagging_again(mocked):
    mocked.post(f"{REST}/posts", status=201, json={**POST, "featured_media": 11})
    checkpoint = {"media": [{"id": 11, "url": "u"}], "tag_ids": [4]}
    com().publish(Content("Title\nBody", (Media(IMAGE, "image"),), {"tags": ["x"]}), checkpoint=checkpoint)
    assert len(mocked.calls) == 1 and body_of(mocked.calls[0])["tags"] == [4]


def test_a_finished_checkpoint_publishes_nothing(mocked):
    result = com().publish(Content("Title\nBody"), checkpoint={"post_id": "99", "link": POST["link"]})
    assert result.platform_post_id == "99" and len(mocked.calls) == 0


def test_after_an_ambiguous_create_the_post_is_found_instead_of_made_again(mocked):
    found = {**POST, "title": {"raw": "Title", "rendered": "Title"}, "date_gmt": "2026-12-04T10:00:30"}
    query = matchers.query_param_matcher(
        {"context": "edit", "status": "any", "per_page": "20", "orderby": "date", "order": "desc", "search": "Title"}
    )
    mocked.get(f"{REST}/posts", json=[found], match=[query])
    result = com().publish(Content("Title\nBody"), checkpoint={"post_requested": "2026-12-04T10:00:00+00:00"})
    assert result.platform_post_id == "99" and len(mocked.calls) == 1


def test_reconcile_looks_up_by_slug_and_ignores_older_posts(mocked):
    older = {**POST, "title": {"raw": "Title"}, "date_gmt": "2026-12-01T10:00:00"}
    mocked.get(
        f"{REST}/posts", json=[older], match=[matchers.query_param_matcher({"slug": "hello"}, strict_match=False)]
    )
    assert (
        com().reconcile(Content("Title\nBody", (), {"slug": "hello"}), {"post_requested": "2026-12-04T10:00:00+00:00"})
        is None
    )


def test_a_timeout_keeps_the_marker_and_a_refusal_clears_it(mocked):
    mocked.post(f"{REST}/posts", body=requests.ConnectTimeout())
    saved = []
    with pytest.raises(ProviderUnavailable):
        com().publish(Content("Title\nBody"), save_checkpoint=saved.append)
    assert saved[-1]["post_requested"]
    mocked.post(
        f"{REST}/posts",
        status=400,
        json={"code": "rest_invalid_param", "message": "Invalid parameter(s): format", "data": {"status": 400}},
    )
    with pytest.raises(Rejected, match="Invalid parameter"):
        com().publish(Content("Title\nBody"), save_checkpoint=saved.append)
    assert saved[-1]["post_requested"] is None


# --- errors ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "status,body,error",
    [
        (
            400,
            {"code": "empty_content", "message": "Content, title, and excerpt are empty.", "data": {"status": 400}},
            Rejected,
        ),
        (
            403,
            {"code": "rest_cannot_create", "message": "Sorry, you are not allowed to create posts as this user."},
            ReconnectRequired,
        ),
        (
            403,
            {"code": "rest_cannot_publish", "message": "Sorry, you are not allowed to publish posts."},
            ReconnectRequired,
        ),
        (
            403,
            {"code": "rest_cannot_assign_term", "message": "Sorry, you are not allowed to assign the provided terms."},
            Rejected,
        ),
        (
            404,
            {"code": "rest_no_route", "message": "No route was found matching the URL and request method."},
            ReconnectRequired,
        ),
        (404, None, ReconnectRequired),
        (412, {"code": "rest_upload_hash_mismatch", "message": "Content hash did not match expected."}, Rejected),
        (
            500,
            {"code": "rest_upload_sideload_error", "message": "Sorry, you are not allowed to upload this file type."},
            MediaUnavailable,
        ),
        (500, {"code": "db_insert_error", "message": "Could not insert post into the database."}, ProviderUnavailable),
        (503, None, ProviderUnavailable),
        (401, {"code": "rest_not_logged_in", "message": "You are not currently logged in."}, TokenExpired),
    ],
)
def test_each_error_class(mocked, status, body, error):
    if body is None:
        mocked.post(f"{REST}/posts", status=status, body="<html>Not here</html>", content_type="text/html")
    else:
        mocked.post(f"{REST}/posts", status=status, json=body)
    with pytest.raises(error) as caught:
        com().publish(Content("Title\nBody"))
    assert caught.value.status == status and len(mocked.calls) == 1


def test_429_and_a_firewall_s_html_403_are_rate_limits(mocked):
    mocked.post(
        f"{REST}/posts",
        status=429,
        headers={"Retry-After": "30"},
        json={"code": "too_many_requests", "message": "Slow down"},
    )
    with pytest.raises(RateLimited) as caught:
        com().publish(Content("Title\nBody"))
    assert caught.value.retry_after == 30
    mocked.post(f"{REST}/posts", status=403, body="<html>Blocked</html>", content_type="text/html")
    with pytest.raises(RateLimited) as caught:
        com().publish(Content("Title\nBody"))
    assert caught.value.retry_after == 60


# --- categories, metrics -----------------------------------------------------------------------------
def test_destinations_read_every_page_of_categories(mocked):
    first = [{"id": n, "name": f"C{n}", "slug": f"c{n}", "parent": 0, "count": 1} for n in range(1, 101)]
    mocked.get(
        f"{REST}/categories",
        json=first,
        headers={"X-WP-Total": "101", "X-WP-TotalPages": "2"},
        match=[matchers.query_param_matcher({"per_page": "100", "page": "1", "orderby": "name", "order": "asc"})],
    )
    mocked.get(
        f"{REST}/categories",
        json=[{"id": 101, "name": "Food &amp; Drink", "parent": 4}],
        headers={"X-WP-TotalPages": "2"},
        match=[matchers.query_param_matcher({"page": "2"}, strict_match=False)],
    )
    categories = com().destinations()
    assert len(categories) == 101 and categories[-1].name == "Food & Drink" and categories[-1].extra == {"parent": "4"}
    assert categories[0].extra == {"slug": "c1", "count": 1} and len(mocked.calls) == 2


def test_wordpress_com_metrics_are_views_and_comments(mocked):
    mocked.get(
        f"{API}/rest/v1.1/sites/blog.example.org/stats/post/99",
        json={"date": "2026-12-04", "views": 321, "data": [["2026-12-04", 21]]},
    )
    mocked.get(
        f"{REST}/comments",
        json=[],
        headers={"X-WP-Total": "4"},
        match=[matchers.query_param_matcher({"post": "99", "per_page": "1"})],
    )
    result = com().fetch_metrics("99")
    assert result.metrics == {"views": 321, "comments": 4} and not result.partial
    assert WordPressClient.normalize_metrics(result.metrics) == {
        "views": 321,
        "likes": None,
        "comments": 4,
        "shares": None,
        "clicks": None,
    }


def test_views_are_summed_from_the_days_when_there_is_no_total(mocked):
    mocked.get(
        f"{API}/rest/v1.1/sites/blog.example.org/stats/post/99", json={"data": [["2026-12-03", 5], ["2026-12-04", 7]]}
    )
    mocked.get(f"{REST}/comments", json=[])
    result = com().fetch_metrics("99")
    assert result.metrics == {"views": 12} and result.partial


def test_a_self_hosted_site_has_no_metrics_and_asks_nothing(public_dns, mocked):
    with pytest.raises(MetricsUnsupported, match="Self-hosted"):
        selfhosted().fetch_metrics("99")
    assert len(mocked.calls) == 0


# --- options and validate ----------------------------------------------------------------------------
def test_the_options_schema_is_strict():
    ok = WordPressOptions(data={"categories": [1, "2"], "tags": [" a ", "b"], "format": "link", "slug": "my-post"})
    assert ok.is_valid(), ok.errors
    assert ok.validated_data["categories"] == [1, 2] and ok.validated_data["tags"] == ["a", "b"]
    for bad in (
        {"categories": [0]},
        {"categories": ["x"]},
        {"categories": [True]},
        {"format": "poem"},
        {"comment_status": "maybe"},
        {"slug": "Not A Slug"},
        {"slug": 5},
        {"html": "true"},
        {"tags": ["a", "A"]},
        {"status": "future"},  # Dravo schedules on its side
        {"status": "publish "},
    ):
        assert not WordPressOptions(data=bad).is_valid(), bad


def test_validate_needs_a_title_and_takes_images_only():
    assert [p.code for p in com().validate(Content(""))] == ["required"]
    assert com().validate(Content("", (), {"title": "T"})) == []
    problems = com().validate(
        Content("T\nx", (Media("https://cdn.example/v.mp4", "video"), Media(IMAGE, "image", mime_type="image/svg+xml")))
    )
    assert [(p.field, p.code) for p in problems] == [("media_urls.0", "unsupported_media"), ("media_urls.1", "format")]


def test_a_long_first_line_is_cut_for_the_title_and_kept_in_the_post(mocked):
    mocked.post(f"{REST}/posts", status=201, json=POST)
    text = "word " * 100
    com().publish(Content(text))
    sent = body_of(mocked.calls[0])
    assert sent["title"].endswith("…") and len(sent["title"]) <= 201 and sent["content"] == paragraphs(text)
