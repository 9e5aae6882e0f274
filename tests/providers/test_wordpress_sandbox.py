"""WordPressClient walked through the WordPress sandbox over real HTTP (live_server), for
both kinds of site: verify, categories by pages, a post with tags, categories and images
(the featured one and the others in the content), the checkpoint and reconcile, stats, and
the six behaviours."""

import base64

import pytest
import requests

from providers import registry
from providers.base import Content, Media
from providers.errors import (
    AccountMismatch,
    MetricsUnsupported,
    ProviderUnavailable,
    RateLimited,
    ReconnectRequired,
    Rejected,
    TokenExpired,
)
from sandbox import wordpress as sandbox_wordpress
from sandbox.models import SandboxRecord

pytestmark = pytest.mark.django_db(transaction=True)
COM_SITE = "sandbox-blog.wordpress.com"
SELF_SITE = "https://blog.example.com/news"


def com(behavior="ok", *, token="sbx-wp-tok-1", site=COM_SITE, **credentials):
    credentials = {"access_token": token, "site_url": site, "sandbox": {"behavior": behavior}, **credentials}
    return registry.get_client("wordpress", credentials, sandbox=True)


def selfhosted(behavior="ok", *, user="editor", password="abcd efgh ijkl", site=SELF_SITE):
    credentials = {
        "access_token": password,
        "username": user,
        "site_url": site,
        "sandbox": {"behavior": behavior},
    }
    return registry.get_client("wordpress", credentials, sandbox=True)


def image(sandbox, name="sample.jpg"):
    return Media(url=f"{sandbox}/sandbox/files/{name}", kind="image")


def posts():
    return SandboxRecord.objects.filter(network="wordpress", kind="post")


# --- verify and categories ----------------------------------------------------------------------
def test_verify_a_wordpress_com_site(sandbox):
    profile = com().verify()
    assert (profile.id, profile.handle) == (COM_SITE, COM_SITE)
    assert profile.extra["kind"] == "wordpress.com" and profile.extra["user"].startswith("sandbox_user_")


def test_verify_a_self_hosted_site_in_a_subfolder(sandbox):
    profile = selfhosted().verify()
    assert profile.id == "blog.example.com/news" and profile.extra["kind"] == "self-hosted"
    assert profile.extra["user"] == "editor"


def test_a_wordpress_com_token_of_another_site_is_an_account_mismatch(sandbox):
    com().verify()
    with pytest.raises(AccountMismatch) as caught:
        com(site="other-blog.wordpress.com").verify()
    assert caught.value.field == "site_url"


def test_a_wordpress_com_site_named_by_its_url_is_the_same_site(sandbox):
    com(site=f"https://{COM_SITE}/").verify()
    assert com(site=COM_SITE).verify().id == COM_SITE


def test_a_refused_wordpress_com_token_is_token_expired(sandbox):
    with pytest.raises(TokenExpired, match="token is invalid"):
        com(token="invalid-token").verify()


def test_a_refused_application_password_needs_a_reconnect(sandbox):
    with pytest.raises(ReconnectRequired, match="invalid application password"):
        selfhosted(password="invalid pass").verify()


def test_a_contributor_cannot_be_connected(sandbox):
    with pytest.raises(ReconnectRequired, match="cannot publish posts"):
        selfhosted(user="a_contributor").verify()


def test_destinations_are_the_site_s_categories(sandbox):
    categories = com().destinations()
    assert [c.name for c in categories][:2] == ["Uncategorized", "News"]
    assert "Tips & Tricks" in [c.name for c in categories]
    assert categories[0].id == "1" and categories[0].kind == "category"


def test_destinations_read_every_page_of_categories(sandbox):
    categories = selfhosted(site="https://many-categories.example.com").destinations()
    assert len(categories) == 150 and len({c.id for c in categories}) == 150


def test_the_sandbox_pages_categories_with_the_total_headers(sandbox):
    url = f"{sandbox}/sandbox/wordpress/wp/v2/sites/{COM_SITE}/categories"
    answer = requests.get(url, params={"per_page": 2}, headers={"Authorization": "Bearer sbx-pages"}, timeout=5)
    assert len(answer.json()) == 2
    assert (answer.headers["X-WP-Total"], answer.headers["X-WP-TotalPages"]) == ("5", "3")
    too_big = requests.get(url, params={"per_page": 101}, headers={"Authorization": "Bearer sbx-pages"}, timeout=5)
    assert too_big.status_code == 400 and too_big.json()["code"] == "rest_invalid_param"


# --- publishing -------------------------------------------------------------------------------------
def test_publish_a_post_with_title_categories_tags_and_images(sandbox):
    saved = []
    options = {"categories": [2, 3], "tags": ["dravo", "news"], "excerpt": "Short", "comment_status": "closed"}
    content = Content(
        "Hello WordPress\nFirst paragraph.\n\nSecond <b>one</b>.",
        (image(sandbox), image(sandbox, "sample.png")),
        options,
    )
    result = com().publish(content, save_checkpoint=saved.append)
    post = posts().get()
    assert result.platform_post_id == post.object_id and result.warnings == []
    assert result.url == f"{sandbox}/sandbox/wordpress/p/{post.object_id}/"
    assert post.data["title"] == "Hello WordPress" and post.data["categories"] == [2, 3]
    assert post.data["content"].startswith("<p>First paragraph.</p>\n\n<p>Second &lt;b&gt;one&lt;/b&gt;.</p>")
    assert "wp-block-image" in post.data["content"] and post.data["comment_status"] == "closed"
    media = list(SandboxRecord.objects.filter(network="wordpress", kind="media").order_by("id"))
    assert post.data["featured_media"] == int(media[0].object_id) and len(media) == 2
    assert saved[-1]["post_id"] == post.object_id and [m["id"] for m in saved[-1]["media"]] == [
        int(m.object_id) for m in media
    ]
    assert len(post.data["tags"]) == 2
    page = requests.get(result.url, timeout=5)
    assert page.status_code == 200 and "Hello WordPress" in page.text


def test_a_pending_post_with_a_link_waits_for_the_site_s_editors(sandbox):
    com().publish(Content("Review me\nRead https://example.com/guide first.", (), {"status": "pending"}))
    post = posts().get()
    assert post.data["post_status"] == "pending"
    assert '<a href="https://example.com/guide">https://example.com/guide</a> first.' in post.data["content"]


def test_an_existing_tag_is_reused_through_term_exists(sandbox):
    com().publish(Content("One\nbody", (), {"tags": ["dravo"]}))
    com().publish(Content("Two\nbody", (), {"tags": ["Dravo", "new"]}))
    first, second = posts().order_by("id")
    assert second.data["tags"][0] == first.data["tags"][0]
    assert SandboxRecord.objects.filter(network="wordpress", kind="tag").count() == 2


def test_publish_on_a_self_hosted_site_with_html(sandbox):
    result = selfhosted().publish(Content("<h2>Already HTML</h2>", (), {"title": "T", "html": True, "slug": "my-post"}))
    post = posts().get()
    assert post.owner == "blog.example.com/news" and post.data["content"] == "<h2>Already HTML</h2>"
    assert post.data["slug"] == "my-post" and result.url.endswith(f"/p/{post.object_id}/")


def test_an_author_uses_existing_tags_but_cannot_create_one(sandbox):
    selfhosted().publish(Content("By the editor\nbody", (), {"tags": ["dravo"]}))
    author = selfhosted(user="an_author")
    author.publish(Content("By the author\nbody", (), {"tags": ["Dravo"]}))
    assert posts().order_by("id").last().data["tags"] == posts().order_by("id").first().data["tags"]
    with pytest.raises(Rejected, match="may not create the tag 'brand-new'"):
        author.publish(Content("Again\nbody", (), {"tags": ["brand-new"]}))


def test_a_contributor_s_post_is_refused_for_good(sandbox):
    with pytest.raises(ReconnectRequired, match="not allowed to publish"):
        selfhosted(user="a_contributor").publish(Content("Title\nbody"))


def test_an_unknown_category_is_rejected(sandbox):
    with pytest.raises(Rejected, match="categories"):
        com().publish(Content("Title\nbody", (), {"categories": [99]}))


def test_a_featured_image_the_site_drops_is_a_warning(sandbox):
    checkpoint = {"media": [{"id": 424242, "url": "https://elsewhere.example/a.jpg"}]}
    result = com().publish(Content("Title\nbody", (image(sandbox),)), checkpoint=checkpoint)
    assert posts().get().data["featured_media"] == 0
    assert "featured image" in result.warnings[0]


def test_a_retry_after_an_ambiguous_create_finds_the_post(sandbox):
    content = Content("Once only\nbody", (image(sandbox),))
    saved = []
    com().publish(content, save_checkpoint=saved.append)
    sent = next(state["post_requested"] for state in saved if state.get("post_requested"))
    ambiguous = {**saved[-1], "post_id": None, "link": None, "post_requested": sent}  # the answer was lost
    result = com().publish(content, checkpoint=ambiguous)
    assert posts().count() == 1 and result.platform_post_id == posts().get().object_id
    assert SandboxRecord.objects.filter(network="wordpress", kind="media").count() == 1
    assert com().reconcile(content, ambiguous).platform_post_id == result.platform_post_id


# --- analytics ------------------------------------------------------------------------------------------
def test_wordpress_com_post_metrics(sandbox):
    result = com().publish(Content("Counted\nbody"))
    metrics = com().fetch_metrics(result.platform_post_id)
    assert metrics.metrics["views"] > 0 and metrics.metrics["comments"] >= 0 and not metrics.partial


def test_a_self_hosted_site_has_no_metrics(sandbox):
    result = selfhosted().publish(Content("Uncounted\nbody"))
    with pytest.raises(MetricsUnsupported, match="Self-hosted"):
        selfhosted().fetch_metrics(result.platform_post_id)


# --- behaviours -----------------------------------------------------------------------------------------
def test_behavior_rejects(sandbox):
    with pytest.raises(Rejected, match="refuses every post"):
        com("rejects").publish(Content("No\nbody"))


def test_behavior_rate_limited_then_ok(sandbox):
    with pytest.raises(RateLimited) as caught:
        com("rate_limited").publish(Content("Later\nbody"))
    assert caught.value.retry_after == 1
    com("rate_limited").publish(Content("Later\nbody"))
    assert posts().count() == 1


def test_behavior_flaky_then_ok_without_a_duplicate(sandbox):
    saved = []
    with pytest.raises(ProviderUnavailable):
        com("flaky").publish(Content("Flaky\nbody"), save_checkpoint=saved.append)
    assert saved[-1]["post_requested"]
    com("flaky").publish(Content("Flaky\nbody"), checkpoint=saved[-1])
    assert posts().count() == 1


def test_behavior_token_expired(sandbox):
    with pytest.raises(TokenExpired):
        com("token_expired").publish(Content("Expired\nbody"))
    with pytest.raises(ReconnectRequired):
        selfhosted("token_expired").publish(Content("Expired\nbody"))
    with pytest.raises(ReconnectRequired, match="cannot be refreshed"):
        com().refresh()


def test_behavior_slow_still_publishes(sandbox):
    client = registry.get_client(
        "wordpress",
        {"access_token": "t", "site_url": COM_SITE, "sandbox": {"behavior": "slow", "latency_ms": 50}},
        sandbox=True,
    )
    client.publish(Content("Slow\nbody"))
    assert posts().count() == 1


def test_the_media_endpoint_refuses_svg_and_a_missing_file_name(sandbox):
    url = f"{sandbox}/sandbox/wordpress/self/blog.example.com/wp-json/wp/v2/media"
    auth = {"Authorization": "Basic " + base64.b64encode(b"editor:pass").decode()}
    svg = requests.post(
        url,
        data=b"<svg/>",
        headers={**auth, "Content-Type": "image/svg+xml", "Content-Disposition": 'attachment; filename="a.svg"'},
        timeout=5,
    )
    assert svg.status_code == 500 and svg.json()["code"] == "rest_upload_sideload_error"
    unnamed = requests.post(url, data=b"x", headers={**auth, "Content-Type": "image/png"}, timeout=5)
    assert unnamed.status_code == 400 and unnamed.json()["code"] == "rest_upload_no_content_disposition"


def test_posts_created_at_the_same_moment_get_their_own_ids(sandbox, monkeypatch):
    """Two requests that pick the same next id: the one that loses takes the next, no 500."""
    com().publish(Content("First\nbody", (), {}))
    taken = int(posts().get().object_id)
    monkeypatch.setattr(sandbox_wordpress, "_numeric_id", lambda kind: taken)  # as a racing request sees it
    result = com().publish(Content("Second\nbody", (), {}))
    assert result.platform_post_id == str(taken + 1) and posts().count() == 2
