"""The compose page's preview cards: one per selected network, drawn from that network's
descriptor (feed crop, "… more" fold) and its text limit counted its own way."""

import re

import pytest

from providers import registry
from providers.network import Preview
from publishing.previews import fits, text_length
from tests import factories

pytestmark = pytest.mark.django_db


def cards(client, accounts, text, media="", **fields):
    response = client.post(
        "/compose/preview",
        {"account_ids": [a.pk for a in accounts], "text": text, "media_urls": media, **fields},
    )
    assert response.status_code == 200
    page = response.content.decode()
    found = re.findall(
        r'<section class="preview" aria-label="Preview on ([^"]+)" data-network="(\w+)">(.*?)</section>', page, re.S
    )
    return {network: body for _, network, body in found}


def test_each_network_gets_its_own_card_with_its_accounts_and_crop(browser_client, workspace):
    x = factories.make_account(workspace, provider="x", handle="@launchco")
    gram = factories.make_account(workspace, provider="instagram", handle="@launch.pics")
    tube = factories.make_account(workspace, provider="youtube", handle="@LaunchTV")
    shown = cards(browser_client, [x, gram, tube], "Launch day", media="https://cdn.example.com/a.jpg")
    assert list(shown) == [key for key in registry.PROVIDERS if key in ("x", "instagram", "youtube")]
    for key, account in (("x", x), ("instagram", gram), ("youtube", tube)):
        aspect = registry.network(key).preview.aspect
        assert f'style="aspect-ratio: {aspect}"' in shown[key]
        assert account.handle in shown[key] and "Launch day" in shown[key]
    assert registry.network("instagram").preview.aspect != registry.network("youtube").preview.aspect


def test_a_long_text_folds_where_the_network_folds_it(browser_client, workspace):
    accounts = [factories.make_account(workspace, provider=key) for key in ("instagram", "linkedin", "x")]
    text = "word " * 50  # 250 characters: within every limit here
    shown = cards(browser_client, accounts, text)
    for key in ("instagram", "linkedin"):
        fold = registry.network(key).preview.see_more
        assert fold is not None and fold < len(text)
        body = re.search(r'<p class="body">(.*?)</p>', shown[key], re.S).group(1)
        assert '<span class="fold">… more</span>' in body
        assert len(body.split("<span")[0]) <= fold
    assert "… more" not in shown["x"]  # its feed shows the whole post


def test_text_beyond_the_limit_is_marked_as_the_network_counts_it(browser_client, workspace):
    x = factories.make_account(workspace, provider="x")
    mastodon = factories.make_account(workspace, provider="mastodon")
    link = "https://example.com/" + "a" * 200
    text = link + " " + "b" * 270  # X counts the link 23: 23 + 1 + 270 = 294
    shown = cards(browser_client, [x, mastodon], text)
    assert '<mark class="cut">' + "b" * 14 + "</mark>" in shown["x"]
    assert "294 / 280 weighted characters" in shown["x"] and "too long for X by 14" in shown["x"]
    assert "<mark" not in shown["mastodon"]  # 500, links 23


def test_each_networks_own_text_replaces_the_shared_one(browser_client, workspace):
    x = factories.make_account(workspace, provider="x")
    bsky = factories.make_account(workspace, provider="bluesky")
    shown = cards(browser_client, [x, bsky], "Shared", **{"opt.x.text": "Only on this one"})
    assert "Only on this one" in shown["x"] and "Shared" in shown["bluesky"]


def test_no_account_selected_asks_for_one(browser_client):
    response = browser_client.post("/compose/preview", {"text": "hello"})
    assert "Select accounts to see how the post looks" in response.content.decode()


def test_another_workspaces_account_gets_no_card(browser_client, workspace):
    other = factories.make_account(factories.make_workspace(), provider="x")
    assert cards(browser_client, [other], "hi") == {}


def test_counts_follow_each_limits_table():
    assert text_length("hi 👍", "utf8_emoji") == 7
    assert text_length("👨‍👩‍👧", "graphemes") == 1
    assert text_length("é👍", "utf16") == 3
    assert text_length("see https://example.com/very/long/path", "url23") == 27
    assert text_length("https://example.com/" + "a" * 100, "weighted") == 23
    assert fits("abcdef", 4, "chars") == 4 and fits("ab👍cd", 4, "utf8_emoji") == 2


def test_every_network_describes_its_feed():
    for key, network in registry.NETWORKS.items():
        assert isinstance(network.preview, Preview)
        width, height = (float(part) for part in network.preview.aspect.split("/"))
        assert width > 0 and height > 0, key
        assert network.preview.see_more is None or 0 < network.preview.see_more < network.limits.text.max * 2, key
