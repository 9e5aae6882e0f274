"""A post's page in words: options as labelled rows (the options serializer's labels or
the key in words, Yes/No, lists joined), media as thumbnails, accounts by name with their
network's icon, never a Python dict or an account id."""

import pytest
from rest_framework import serializers

from accounts.models import SocialAccount
from publishing import display
from publishing.models import Post
from tests import factories
from tests.dashboard.test_browser import axe_violations, chromium, log_in, page, person  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def draft(workspace, **fields):
    return Post.objects.create(workspace=workspace, mode="test", status="draft", text="hello", **fields)


# The labels are each options serializer field's own (providers/<network>/rules.py).
def test_options_are_labelled_rows_not_a_python_dict(browser_client, workspace):
    account = factories.make_account(workspace, provider="facebook", handle="Acme Page")
    options = {"facebook": {"as_reel": True, "first_comment": "More soon", "link": "https://example.com/a"}}
    post = draft(workspace, targets=[[account.pk, "facebook"]], platform_options=options)
    html = browser_client.get(f"/posts/{post.pk}").content.decode()
    assert "{&#x27;" not in html and "&#x27;as_reel&#x27;" not in html and "as_reel" not in html
    assert "<dt>Post the video as a Reel</dt><dd>Yes</dd>" in html
    assert "<dt>Comment posted right after it</dt><dd>More soon</dd>" in html
    assert "<dt>Link to share</dt><dd>https://example.com/a</dd>" in html


def test_nested_options_and_lists_are_joined_and_false_is_no():
    rows = display.option_rows(
        provider="x", options={"poll": {"options": ["Yes", "No"], "duration_minutes": 60}, "thread": ["a", "b"]}
    )
    assert [(r.label, r.value) for r in rows] == [
        ("Poll: Poll choices", "Yes, No"),
        ("Poll: Poll length (minutes)", "60"),
        ("Thread: further posts", "a, b"),
    ]
    assert display.option_value(value=False) == "No"
    assert display.humanize(key="reply_to_post_id") == "Reply to post ID"


def test_a_serializer_fields_own_label_is_used_when_it_has_one():
    labelled = serializers.BooleanField(label="Share to the feed too")
    labelled.bind("share_to_feed", serializers.Serializer())
    plain = serializers.CharField()
    plain.bind("reply_to_post_id", serializers.Serializer())
    assert display._label(key="share_to_feed", field=labelled) == "Share to the feed too"
    assert display._label(key="reply_to_post_id", field=plain) == "Reply to post ID"  # not DRF's "Reply to post id"
    assert display._label(key="share_to_feed", field=None) == "Share to feed"


def test_an_accounts_own_options_are_titled_with_its_name_and_network(browser_client, workspace):
    account = factories.make_account(workspace, provider="x", handle="@brand")
    post = draft(workspace, targets=[[account.pk, "x"]], platform_options={account.pk: {"reply_settings": "following"}})
    html = browser_client.get(f"/posts/{post.pk}").content.decode()
    assert "@brand on X" in html and "<dt>Who can reply</dt>" in html


def test_media_are_thumbnails_with_alt_text_and_videos_a_link(browser_client, workspace):
    urls = ["https://cdn.example.com/a/banner.jpg", "https://cdn.example.com/b/clip.mp4"]
    post = draft(workspace, media_urls=urls)
    html = browser_client.get(f"/posts/{post.pk}").content.decode()
    assert '<img src="https://cdn.example.com/a/banner.jpg" alt="Image 1 of 2: banner.jpg"' in html
    assert 'href="https://cdn.example.com/b/clip.mp4"' in html and "Video 2 of 2: clip.mp4" in html
    assert '<img src="https://cdn.example.com/b/clip.mp4"' not in html


def test_accounts_are_shown_by_name_with_their_network_not_by_id(browser_client, workspace):
    x = factories.make_account(workspace, provider="x", handle="@brand")
    page_account = factories.make_account(workspace, provider="facebook", handle="1001")
    page_account.name = "Acme Coffee"
    page_account.save()
    post = factories.make_post(workspace, [x, page_account])
    html = browser_client.get(f"/posts/{post.pk}").content.decode()
    accounts = html.split('<ul class="account-list">', 1)[1].split("</ul>", 1)[0]
    assert "@brand" in accounts and "Acme Coffee" in accounts and x.pk not in accounts
    assert "net-x" in accounts and "net-facebook" in accounts
    results = html.split('<ul class="results"', 1)[1].split("</ul>", 1)[0]
    assert "Acme Coffee" in results and "<strong>1001</strong>" not in results


def test_a_numeric_handle_gives_way_to_the_name():
    assert display.account_name(account=SocialAccount(handle="1001", name="Acme Coffee")) == "Acme Coffee"
    assert display.account_name(account=SocialAccount(handle="@brand", name="Brand")) == "@brand"
    assert display.account_name(account=SocialAccount(handle="", name="", platform_account_id="77")) == "77"
    by_id = SocialAccount(handle="AbCd12", name="Sam Doe", platform_account_id="AbCd12")
    assert display.account_name(account=by_id) == "Sam Doe"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_post_page_with_options_and_media_passes_axe_and_fits_a_phone(sandbox, page, person, workspace):  # noqa: F811
    account = factories.make_account(workspace, provider="facebook", handle="1001")
    options = {"facebook": {"as_reel": True, "first_comment": "More soon"}, account.pk: {"video_title": "Launch"}}
    post = draft(workspace, targets=[[account.pk, "facebook"]], platform_options=options,
                 media_urls=[f"{sandbox}/static/none/banner.jpg", f"{sandbox}/static/none/clip.mp4"])  # fmt: skip
    log_in(page, sandbox)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{sandbox}/posts/{post.pk}")
        assert page.get_by_role("img", name="Image 1 of 2: banner.jpg").count() == 1
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert axe_violations(page) == [], width
