"""The dashboard's compose form reaches every network: one post, composed as a person
does, to a sandbox account of each network in the registry that takes images, with one
uploaded image, and one with an uploaded video to each network that takes only video, are
delivered to each of them over real HTTP and link to the sandbox page of each."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from providers import registry
from publishing.models import Post
from sandbox.networks import SANDBOXES
from tests import factories, media_files
from tests.conftest import client_for

pytestmark = [pytest.mark.django_db(transaction=True)]
FS = "django.core.files.storage.FileSystemStorage"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": FS, "OPTIONS": {"location": str(tmp_path)}}}
    settings.MEDIA_ALLOWED_HOSTS = []


def demo_account(workspace, provider: str):
    """A sandbox account as `make run`'s demo has one (the sandbox's demo credentials)."""
    token = f"compose-{provider}-{timezone.now().timestamp()}"
    credentials = {"access_token": token, "sandbox": {"behavior": "ok"}, **SANDBOXES[provider].demo_credentials(token)}
    return factories.make_account(workspace, provider=provider, credentials=credentials)


def chosen_destination(page: str, account):
    """The first destination the compose page offers an account whose network posts to a
    place inside it, as a person picks one from its select (nothing for other networks)."""
    kind = registry.network(account.provider).destinations
    if kind is None:
        return []
    name = f"opt.{account.pk}.{kind.option}"
    select = re.search(rf'<select name="{re.escape(name)}"[^>]*>(.*?)</select>', page, re.S)
    assert select, f"no destination select for {account.provider}"
    offered = [value for value in re.findall(r'<option value="([^"]*)"', select[1]) if value]
    assert offered, f"{account.provider}: the sandbox account has no destinations"
    return [(name, offered[0])]


def takes_images(provider: str) -> bool:
    return registry.network(provider).limits.media_for("image") is not None


def upload(key, name: str, content: bytes) -> str:
    response = client_for(key).post("/v1/media", {"file": SimpleUploadedFile(name, content)}, format="multipart")
    assert response.status_code == 201, response.content
    return response.json()["url"]


def compose(browser_client, accounts, media_url: str) -> Post:
    """Compose one post to `accounts` with one media file, as a person does; the post."""
    text = f"Composed once, everywhere {timezone.now().timestamp()}"
    page = browser_client.get("/compose/").content.decode()
    response = browser_client.post(
        "/compose/",
        {
            "account_ids": [account.pk for account in accounts],
            "text": text,
            "media_urls": media_url,
            "when": "now",
            "opt.tiktok.privacy_level": "SELF_ONLY",
            **{name: value for account in accounts for name, value in chosen_destination(page, account)},
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    return Post.objects.get(text=text)


def test_one_post_composed_in_the_dashboard_reaches_every_network(sandbox, eager_tasks, browser_client, workspace):
    _, key = factories.make_api_key(workspace, mode="test")
    accounts = [demo_account(workspace, provider) for provider in registry.NETWORKS]
    with_images = [account for account in accounts if takes_images(account.provider)]
    video_only = [account for account in accounts if not takes_images(account.provider)]

    posts = [compose(browser_client, with_images, upload(key, "cover.jpg", media_files.jpeg((1080, 1080))))]
    if video_only:
        clip = upload(key, "clip.mp4", media_files.mp4((360, 640), seconds=3))
        posts.append(compose(browser_client, video_only, clip))

    results = {d.provider: d for post in posts for d in post.deliveries.all()}
    assert sorted(results) == sorted(registry.NETWORKS)
    for provider, delivery in results.items():
        assert delivery.status == "published", (provider, delivery.error)
        assert delivery.platform_post_url.startswith(f"{sandbox}/sandbox/{provider}/"), provider
    assert all(post.status == "published" for post in posts)
