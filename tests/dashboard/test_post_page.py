"""A post's page in words: options as labelled rows (the options serializer's labels or
the key in words, Yes/No, lists joined), media as thumbnails, accounts by name with their
network's icon, never a Python dict or an account id."""

import pytest

from accounts.models import SocialAccount
from publishing import display
from publishing.models import Post
from tests import factories

pytestmark = pytest.mark.django_db


def draft(workspace, **fields):
    return Post.objects.create(workspace=workspace, mode="test", status="draft", text="hello", **fields)


def test_options_are_labelled_rows_not_a_python_dict(browser_client, workspace):
    account = factories.make_account(workspace, provider="facebook", handle="Acme Page")
    options = {"facebook": {"as_reel": True, "first_comment": "More soon", "link": "https://example.com/a"}}
    post = draft(workspace, targets=[[account.pk, "facebook"]], platform_options=options)
    page = browser_client.get(f"/posts/{post.pk}").content.decode()
    assert "{&#x27;" not in page and "&#x27;as_reel&#x27;" not in page and "as_reel" not in page
    assert "<dt>As reel</dt><dd>Yes</dd>" in page
    assert "<dt>First comment</dt><dd>More soon</dd>" in page
    assert "<dt>Link</dt><dd>https://example.com/a</dd>" in page


def test_nested_options_and_lists_are_joined_and_false_is_no():
    rows = display.option_rows(
        provider="x", options={"poll": {"options": ["Yes", "No"], "duration_minutes": 60}, "thread": ["a", "b"]}
    )
    assert [(r.label, r.value) for r in rows] == [
        ("Poll: Options", "Yes, No"),
        ("Poll: Duration minutes", "60"),
        ("Thread", "a, b"),
    ]
    assert display.option_value(value=False) == "No"
    assert display.humanize(key="reply_to_post_id") == "Reply to post ID"


def test_a_serializer_fields_own_label_is_used_when_it_has_one():
    class Field:
        _kwargs = {"label": "Share to the feed too"}

    assert display._label(key="share_to_feed", field=Field()) == "Share to the feed too"
    assert display._label(key="share_to_feed", field=None) == "Share to feed"


def test_an_accounts_own_options_are_titled_with_its_name_and_network(browser_client, workspace):
    account = factories.make_account(workspace, provider="x", handle="@brand")
    post = draft(workspace, targets=[[account.pk, "x"]], platform_options={account.pk: {"reply_settings": "following"}})
    page = browser_client.get(f"/posts/{post.pk}").content.decode()
    assert "@brand on X" in page and "<dt>Reply settings</dt>" in page


def test_media_are_thumbnails_with_alt_text_and_videos_a_link(browser_client, workspace):
    urls = ["https://cdn.example.com/a/banner.jpg", "https://cdn.example.com/b/clip.mp4"]
    post = draft(workspace, media_urls=urls)
    page = browser_client.get(f"/posts/{post.pk}").content.decode()
    assert '<img src="https://cdn.example.com/a/banner.jpg" alt="Image 1 of 2: banner.jpg"' in page
    assert 'href="https://cdn.example.com/b/clip.mp4"' in page and "Video 2 of 2: clip.mp4" in page
    assert '<img src="https://cdn.example.com/b/clip.mp4"' not in page


def test_accounts_are_shown_by_name_with_their_network_not_by_id(browser_client, workspace):
    x = factories.make_account(workspace, provider="x", handle="@brand")
    page_account = factories.make_account(workspace, provider="facebook", handle="1001")
    page_account.name = "Acme Coffee"
    page_account.save()
    post = factories.make_post(workspace, [x, page_account])
    page = browser_client.get(f"/posts/{post.pk}").content.decode()
    accounts = page.split('<ul class="account-list">', 1)[1].split("</ul>", 1)[0]
    assert "@brand" in accounts and "Acme Coffee" in accounts and x.pk not in accounts
    assert "net-x" in accounts and "net-facebook" in accounts
    results = page.split('<ul class="results"', 1)[1].split("</ul>", 1)[0]
    assert "Acme Coffee" in results and "<strong>1001</strong>" not in results


def test_a_numeric_handle_gives_way_to_the_name():
    assert display.account_name(account=SocialAccount(handle="1001", name="Acme Coffee")) == "Acme Coffee"
    assert display.account_name(account=SocialAccount(handle="@brand", name="Brand")) == "@brand"
    assert display.account_name(account=SocialAccount(handle="", name="", platform_account_id="77")) == "77"
    by_id = SocialAccount(handle="AbCd12", name="Sam Doe", platform_account_id="AbCd12")
    assert display.account_name(account=by_id) == "Sam Doe"
