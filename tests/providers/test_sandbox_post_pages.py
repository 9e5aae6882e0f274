"""Sandbox post URLs open a page of the sandbox that shows the post: each network's public
post path under /sandbox/<network>/ answers HTML with the network, the text and the media,
and 404 for a post the sandbox does not have."""

import pytest
import requests
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from providers import registry
from providers.base import Content, Media
from publishing.models import Post
from sandbox.core import account_id_for
from tests import factories, media_files

pytestmark = [pytest.mark.django_db(transaction=True)]
FS = "django.core.files.storage.FileSystemStorage"
NETWORKS = {"facebook": "Facebook", "instagram": "Instagram", "x": "X", "linkedin": "LinkedIn", "tiktok": "TikTok"}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": FS, "OPTIONS": {"location": str(tmp_path)}}}
    settings.MEDIA_ALLOWED_HOSTS = []


def sandbox_account(workspace, provider: str):
    token = f"sbx-{provider}-page-{timezone.now().timestamp()}"
    extras = {
        "facebook": {"page_id": account_id_for(token)},
        "instagram": {"ig_user_id": "17841405822304914", "login": "facebook"},
        "linkedin": {"author_urn": "urn:li:organization:5515"},
    }
    credentials = {"access_token": token, "sandbox": {"behavior": "ok"}, **extras.get(provider, {})}
    return factories.make_account(workspace, provider=provider, credentials=credentials)


def test_a_post_published_through_the_sandbox_links_to_a_sandbox_page_showing_it(
    sandbox, eager_tasks, api_client, workspace
):
    upload = api_client.post(
        "/v1/media", {"file": SimpleUploadedFile("cover.jpg", media_files.jpeg((640, 640)))}, format="multipart"
    ).json()
    accounts = [sandbox_account(workspace, provider) for provider in NETWORKS]
    text = f"Our spring collection is live {timezone.now().timestamp()}"
    body = {
        "account_ids": [account.pk for account in accounts],
        "text": text,
        "media_urls": [upload["url"]],
        "platform_options": {"tiktok": {"privacy_level": "SELF_ONLY"}},
    }
    post_id = api_client.post("/v1/posts", body, format="json").json()["id"]

    results = {r["provider"]: r for r in api_client.get(f"/v1/posts/{post_id}").json()["results"]}

    assert Post.objects.get(pk=post_id).status == "published"
    for provider, network in NETWORKS.items():
        url = results[provider]["platform_post_url"]
        assert url.startswith(f"{sandbox}/sandbox/{provider}/"), (provider, url)
        page = requests.get(url, timeout=5)
        assert page.status_code == 200, (provider, url)
        assert page.headers["Content-Type"].startswith("text/html")
        assert text in page.text and f"on {network}" in page.text, provider
        if provider in ("facebook", "instagram", "tiktok"):  # they fetch the media from its URL
            assert f'<img src="{upload["url"]}"' in page.text, provider


def test_a_facebook_video_and_reel_open_their_sandbox_pages(sandbox):
    token = "sbx_page_video_pages"
    client = registry.get_client("facebook", {"access_token": token, "page_id": account_id_for(token)}, sandbox=True)
    client.verify()
    clip = (Media(url=f"{sandbox}/sandbox/files/sample.mp4", kind="video", mime_type="video/mp4"),)

    video = client.publish(Content(text="A video for the Page", media=clip))
    reel = client.publish(Content(text="A Reel for the Page", media=clip, options={"as_reel": True}))

    assert video.url == f"{sandbox}/sandbox/facebook/{account_id_for(token)}/videos/{video.platform_post_id}/"
    assert reel.url == f"{sandbox}/sandbox/facebook/reel/{reel.platform_post_id}"
    video_page = requests.get(video.url, timeout=5)
    assert video_page.status_code == 200 and "A video for the Page" in video_page.text
    assert f'<video src="{clip[0].url}"' in video_page.text
    assert "A Reel for the Page" in requests.get(reel.url, timeout=5).text
    assert requests.get(f"{sandbox}/sandbox/facebook/reel/{video.platform_post_id}", timeout=5).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "facebook/104857600000001/posts/122100000000000001",
        "facebook/104857600000001/videos/555000000000001/",
        "facebook/reel/777000000000001",
        "instagram/p/DAbc123xyz/",
        "instagram/reel/DAbc123xyz/",
        "instagram/stories/sandbox_304914/17900000000000001/",
        "x/dravo/status/1445880548472328192",
        "linkedin/feed/update/urn:li:share:7012345678901234567/",
        "tiktok/@dravo/video/7400000000000000001",
    ],
)
def test_a_post_the_sandbox_does_not_have_is_a_404(sandbox, path):
    assert requests.get(f"{sandbox}/sandbox/{path}", timeout=5).status_code == 404


def test_the_post_pages_are_off_with_the_sandbox(sandbox, settings):
    result = registry.get_client("x", {"access_token": "sbx-x-off"}, sandbox=True).publish(Content(text="Soon gone"))
    assert requests.get(result.url, timeout=5).status_code == 200

    settings.SANDBOX_ENABLED = False

    assert requests.get(result.url, timeout=5).status_code == 404
