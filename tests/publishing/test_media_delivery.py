"""Posts with media delivered to the sandbox networks over real HTTP: every network gets a
URL Dravo controls, and foreign URLs are ingested (safely) before delivery."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from publishing import services
from publishing.models import Delivery, Media, Post
from sandbox.core import account_id_for
from tests import factories, media_files

pytestmark = [pytest.mark.django_db(transaction=True)]
FS = "django.core.files.storage.FileSystemStorage"
NETWORKS = ("facebook", "instagram", "x", "linkedin", "tiktok")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": FS, "OPTIONS": {"location": str(tmp_path)}}}
    settings.MEDIA_ALLOWED_HOSTS = []
    return tmp_path


def sandbox_account(workspace, provider: str):
    token = f"sbx-{provider}-{timezone.now().timestamp()}"
    extras = {
        "facebook": {"page_id": account_id_for(token)},
        "instagram": {"ig_user_id": "17841405822304914", "login": "facebook"},
        "linkedin": {"author_urn": "urn:li:organization:5515"},
    }
    credentials = {
        "access_token": token,
        "refresh_token": "r1",
        "sandbox": {"behavior": "ok"},
        **extras.get(provider, {}),
    }
    return factories.make_account(workspace, provider=provider, credentials=credentials)


def upload(api_client, content: bytes, name: str) -> dict:
    response = api_client.post("/v1/media", {"file": SimpleUploadedFile(name, content)}, format="multipart")
    assert response.status_code == 201, response.content
    return response.json()


def publish(api_client, accounts, media_urls: list[str]) -> Post:
    body = {
        "account_ids": [a.pk for a in accounts],
        "text": f"Media day {timezone.now().timestamp()}",
        "media_urls": media_urls,
    }
    if any(a.provider == "tiktok" for a in accounts):
        body["platform_options"] = {"tiktok": {"privacy_level": "SELF_ONLY"}}
    response = api_client.post("/v1/posts", body, format="json")
    assert response.status_code == 202, response.content
    return Post.objects.get(pk=response.json()["id"])


def results(api_client, post: Post) -> dict[str, dict]:
    return {r["provider"]: r for r in api_client.get(f"/v1/posts/{post.pk}").json()["results"]}


def test_a_post_with_a_jpeg_is_delivered_to_all_five_networks(sandbox, eager_tasks, api_client, workspace):
    media = upload(api_client, media_files.jpeg((640, 640)), "cover.jpg")
    assert media["url"].startswith(f"{sandbox}/media/med_")
    accounts = [sandbox_account(workspace, provider) for provider in NETWORKS]
    post = publish(api_client, accounts, [media["url"]])
    found = results(api_client, post)
    assert {p: (r["status"], r["error"]) for p, r in found.items()} == {p: ("published", None) for p in NETWORKS}
    assert Post.objects.get(pk=post.pk).status == "published"
    assert Media.objects.count() == 1  # nothing re-ingested: the URL is already Dravo's


def test_a_post_with_an_mp4_is_delivered_to_all_five_networks(sandbox, eager_tasks, api_client, workspace):
    media = upload(api_client, media_files.mp4((640, 360), seconds=4), "clip.mp4")
    accounts = [sandbox_account(workspace, provider) for provider in NETWORKS]
    post = publish(api_client, accounts, [media["url"]])
    found = results(api_client, post)
    assert {p: (r["status"], r["error"]) for p, r in found.items()} == {p: ("published", None) for p in NETWORKS}


def test_a_foreign_url_is_ingested_once_before_delivery_and_reused(
    sandbox, eager_tasks, api_client, workspace, settings
):
    settings.MEDIA_ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
    x = sandbox_account(workspace, "x")
    with media_files.http_server({"/shots/a.jpg": (200, {}, media_files.jpeg((600, 400)))}) as served:
        url = served.url("/shots/a.jpg")
        first = publish(api_client, [x], [url])
        second = publish(api_client, [x], [url])
    assert results(api_client, first)["x"]["status"] == "published"
    assert results(api_client, second)["x"]["status"] == "published"
    assert served.hits == ["/shots/a.jpg"]  # downloaded once, then the ingested copy is reused
    media = Media.objects.get(source_url=url)
    assert (media.workspace_id, media.mime_type, media.width, media.height) == (workspace.pk, "image/jpeg", 600, 400)


def test_a_foreign_url_that_cannot_be_fetched_fails_the_delivery_with_a_reason(
    sandbox, eager_tasks, api_client, workspace, settings
):
    settings.MEDIA_ALLOWED_HOSTS = ["localhost"]
    x = sandbox_account(workspace, "x")
    with media_files.http_server({}) as served:
        post = publish(api_client, [x], [served.url("/gone.jpg")])
    delivery = Delivery.objects.get(post=post)
    assert (delivery.status, delivery.error_code) == ("failed", "media_unavailable")
    assert "media_urls.0" in delivery.error and "HTTP 404" in delivery.error
    assert Post.objects.get(pk=post.pk).status == "failed"


def test_a_foreign_url_at_a_private_address_is_not_fetched_at_delivery(sandbox, eager_tasks, api_client, workspace):
    post = publish(api_client, [sandbox_account(workspace, "x")], ["http://169.254.169.254/latest/a.jpg"])
    delivery = Delivery.objects.get(post=post)
    assert (delivery.status, delivery.error_code) == ("failed", "media_unavailable")
    assert "private" in delivery.error and not Media.objects.exists()


def test_a_foreign_png_named_jpg_fails_instagram_once_its_bytes_are_known(
    sandbox, eager_tasks, api_client, workspace, settings
):
    settings.MEDIA_ALLOWED_HOSTS = ["localhost"]
    instagram = sandbox_account(workspace, "instagram")
    with media_files.http_server({"/a.jpg": (200, {}, media_files.png((640, 640)))}) as served:
        post = publish(api_client, [instagram], [served.url("/a.jpg")])
    delivery = Delivery.objects.get(post=post)
    assert (delivery.status, delivery.error_code) == ("failed", "media_invalid")
    assert "media_urls.0" in delivery.error and "JPEG" in delivery.error


def test_media_gone_before_delivery_fails_the_delivery_with_a_reason(sandbox, api_client, workspace):
    media = upload(api_client, media_files.jpeg(), "a.jpg")
    post = publish(api_client, [sandbox_account(workspace, "x")], [media["url"]])  # not run yet: no eager_tasks
    services.post_fan_out(post_id=post.pk)  # the deliveries are made; their tasks have not run
    Media.objects.filter(pk=media["id"]).delete()  # as if lost in a race with the post's creation
    services.delivery_attempt(delivery_id=Delivery.objects.get(post=post).pk)
    delivery = Delivery.objects.get(post=post)
    assert (delivery.status, delivery.error_code) == ("failed", "media_unavailable")
    assert f"media {media['id']} was deleted" in delivery.error


def test_dravo_media_checked_at_create_is_not_checked_again_at_delivery(sandbox, api_client, workspace):
    media = upload(api_client, media_files.jpeg(), "a.jpg")
    post = publish(api_client, [sandbox_account(workspace, "x")], [media["url"]])  # checked here, once
    services.post_fan_out(post_id=post.pk)
    # The network's rules ran at create on the inspected bytes; the stored row is not
    # re-judged at delivery (here: a size no network takes, written after the check).
    Media.objects.filter(pk=media["id"]).update(size_bytes=10**12)
    services.delivery_attempt(delivery_id=Delivery.objects.get(post=post).pk)
    assert Delivery.objects.get(post=post).status == "published"
