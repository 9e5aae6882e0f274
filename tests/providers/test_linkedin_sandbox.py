import re
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from providers import registry
from providers.base import Content, Media
from providers.errors import ProviderUnavailable, RateLimited, ReconnectRequired, Rejected, TokenExpired
from sandbox.core import REJECT_REASON
from sandbox.models import SandboxRecord

pytestmark = pytest.mark.django_db(transaction=True)
ORG = "urn:li:organization:5515715"
HEADERS = {"LinkedIn-Version": "202606", "X-Restli-Protocol-Version": "2.0.0"}


def linkedin(token="sbx-member", author=None, behavior=None, **extra):
    """A test-mode account's client; a member author is learnt from verify() as Dravo's connect flow does."""
    credentials = {"access_token": token, "sandbox": {"behavior": behavior or "ok"}, **extra}
    if author is None:
        author = registry.get_client("linkedin", credentials, sandbox=True).verify().extra["author_urn"]
    return registry.get_client("linkedin", {**credentials, "author_urn": author}, sandbox=True)


def post_record(urn: str) -> SandboxRecord:
    return SandboxRecord.objects.get(network="linkedin", kind="post", object_id=urn)


def media(sandbox, name: str, kind: str) -> Media:
    return Media(url=f"{sandbox}/sandbox/files/{name}", kind=kind)


def test_verify_returns_the_member_of_the_token(sandbox):
    profile = registry.get_client("linkedin", {"access_token": "sbx-member"}, sandbox=True).verify()
    assert re.fullmatch(r"[0-9A-Za-z]{10}", profile.id)
    assert profile.extra["author_urn"] == f"urn:li:person:{profile.id}"
    assert profile.name.startswith("Sandbox Member")


def test_verify_of_an_organization_author_returns_the_page(sandbox):
    profile = linkedin(author=ORG).verify()
    assert (profile.id, profile.handle) == ("5515715", "sandbox-org-5515715")


def test_verify_of_an_invalid_token_requires_reconnect(sandbox):
    client = registry.get_client("linkedin", {"access_token": "invalid-token"}, sandbox=True)
    with pytest.raises(ReconnectRequired, match="Invalid access token"):
        client.verify()


def test_publish_text_escapes_little_text_so_linkedin_shows_it_whole(sandbox):
    text = "Launch (beta) #dravo_news @team <3 ~fast~ *new* {json} [x] a|b \\o/"
    result = linkedin().publish(Content(text=text))
    assert re.fullmatch(r"urn:li:share:\d{19}", result.platform_post_id)
    assert result.url == f"{sandbox}/sandbox/linkedin/feed/update/{result.platform_post_id}/"
    assert post_record(result.platform_post_id).data["displayed"] == text


def test_publish_article_card_with_title_override(sandbox):
    options = {"link_title": "Dravo", "link_description": "One API"}
    result = linkedin(author=ORG).publish(Content(text="Read https://dravo.dev/blog now", options=options))
    content = post_record(result.platform_post_id).data["content"]
    assert content == {"article": {"source": "https://dravo.dev/blog", "title": "Dravo", "description": "One API"}}


def test_publish_article_card_of_a_page_without_a_title_uses_the_address(sandbox):
    url = f"{sandbox}/sandbox/files/sample.pdf"
    result = linkedin().publish(Content(text=f"See {url}"))
    assert post_record(result.platform_post_id).data["content"] == {"article": {"source": url, "title": url}}
    assert result.warnings and "Could not read the title" in result.warnings[0]


def test_publish_single_image(sandbox):
    result = linkedin().publish(Content(text="One image", media=(media(sandbox, "sample.png", "image"),)))
    image = post_record(result.platform_post_id).data["content"]["media"]["id"]
    assert re.fullmatch(r"urn:li:image:D4E10AQ\w+", image)
    assert SandboxRecord.objects.get(object_id=image).status == "AVAILABLE"


def test_publish_multiple_images(sandbox):
    files = (("sample.png", "image"), ("sample.jpg", "image"), ("sample.gif", "gif"))
    result = linkedin().publish(Content(text="Three", media=tuple(media(sandbox, *f) for f in files)))
    images = post_record(result.platform_post_id).data["content"]["multiImage"]["images"]
    assert len(images) == 3 and all(i["id"].startswith("urn:li:image:") for i in images)


def test_publish_video(sandbox):
    result = linkedin().publish(Content(text="Clip", media=(media(sandbox, "sample.mp4", "video"),)))
    assert result.platform_post_id.startswith("urn:li:ugcPost:")
    video = post_record(result.platform_post_id).data["content"]["media"]["id"]
    assert SandboxRecord.objects.get(object_id=video).status == "AVAILABLE"


def test_publish_document_with_its_title(sandbox):
    content = Content(text="Deck", media=(media(sandbox, "sample.pdf", "document"),), options={"document_title": "Q3"})
    result = linkedin(author=ORG).publish(content)
    media_content = post_record(result.platform_post_id).data["content"]["media"]
    assert media_content["title"] == "Q3" and media_content["id"].startswith("urn:li:document:")


def test_publish_posts_the_first_comment(sandbox):
    result = linkedin().publish(Content(text="With comment", options={"first_comment": "Details below"}))
    comment = SandboxRecord.objects.get(network="linkedin", kind="comment")
    assert comment.data == {"post": result.platform_post_id, "text": "Details below"}
    assert result.warnings == []


def test_a_duplicate_is_rejected_on_a_first_attempt(sandbox):
    client = linkedin()
    first = client.publish(Content(text="Same words"))
    with pytest.raises(Rejected, match=f"duplicate of {first.platform_post_id}"):
        client.publish(Content(text="Same words"))


def test_a_duplicate_after_an_ambiguous_attempt_is_adopted(sandbox):
    client = linkedin()
    first = client.publish(Content(text="Same words"))
    again = client.publish(Content(text="Same words"), checkpoint={"post_attempted": True})
    assert again.platform_post_id == first.platform_post_id
    assert SandboxRecord.objects.filter(network="linkedin", kind="post").count() == 1


def test_a_resumed_media_publish_reuses_the_uploaded_image(sandbox):
    client = linkedin(behavior="flaky")
    content = Content(text="Resume me", media=(media(sandbox, "sample.png", "image"),))
    saved = []
    with pytest.raises(ProviderUnavailable):
        client.publish(content, save_checkpoint=saved.append)
    result = client.publish(content, checkpoint=saved[-1])
    assert post_record(result.platform_post_id).data["content"]["media"]["id"] == saved[-1]["media_urns"]["0"]
    assert SandboxRecord.objects.filter(network="linkedin", kind="asset").count() == 1


def test_rate_limited_refuses_the_first_attempt_then_publishes(sandbox):
    client = linkedin(behavior="rate_limited")
    with pytest.raises(RateLimited) as caught:
        client.publish(Content(text="Busy day"))
    assert caught.value.retry_after == 1
    assert client.publish(Content(text="Busy day")).platform_post_id.startswith("urn:li:share:")


def test_flaky_fails_the_first_attempt_then_publishes(sandbox):
    client = linkedin(behavior="flaky")
    with pytest.raises(ProviderUnavailable):
        client.publish(Content(text="Wobbly"))
    assert client.publish(Content(text="Wobbly")).platform_post_id.startswith("urn:li:share:")


def test_token_expired_fails_publish_and_refresh(sandbox):
    client = linkedin(behavior="token_expired", refresh_token="sbx-refresh")
    with pytest.raises(TokenExpired):
        client.publish(Content(text="Too late"))
    with pytest.raises(ReconnectRequired, match="invalid_grant|invalid, expired or revoked"):
        client.refresh()


def test_rejects_refuses_every_publish(sandbox):
    client = linkedin(behavior="rejects")
    for _ in range(2):
        with pytest.raises(Rejected, match=re.escape(REJECT_REASON)):
            client.publish(Content(text="Never"))


def test_refresh_returns_a_working_token_and_keeps_the_refresh_token(sandbox):
    client = linkedin(refresh_token="sbx-refresh", extra="kept")
    result = client.refresh()
    assert result.credentials["access_token"].startswith("sbx_")
    assert result.credentials["refresh_token"] == "sbx-refresh" and result.credentials["extra"] == "kept"
    assert result.expires_at is not None
    registry.get_client("linkedin", result.credentials, sandbox=True).verify()


def test_fetch_metrics_of_a_member_post(sandbox):
    client = linkedin()
    urn = client.publish(Content(text="Count me")).platform_post_id
    first = client.fetch_metrics(urn)
    assert set(first.metrics) == {"impression", "members_reached", "reshare", "reaction", "comment"}
    assert all(value >= 0 for value in first.metrics.values()) and not first.partial
    second = client.fetch_metrics(urn)
    assert all(second.metrics[key] >= value for key, value in first.metrics.items())


def test_fetch_metrics_of_an_organization_post(sandbox):
    client = linkedin(author=ORG)
    urn = client.publish(Content(text="Org news", media=(media(sandbox, "sample.mp4", "video"),))).platform_post_id
    metrics = client.fetch_metrics(urn).metrics
    assert {
        "share_statistics_impression_count",
        "share_statistics_unique_impressions_count",
        "share_statistics_click_count",
        "share_statistics_like_count",
        "share_statistics_comment_count",
        "share_statistics_share_count",
        "share_statistics_engagement",
    } == set(metrics)
    assert metrics["share_statistics_impression_count"] > 0


def test_posting_as_another_member_requires_reconnect(sandbox):
    client = linkedin(author="urn:li:person:SomeoneEls")
    with pytest.raises(ReconnectRequired, match="Not enough permissions"):
        client.publish(Content(text="Not mine"))


def test_rest_calls_without_the_version_header_are_refused(sandbox):
    response = requests.post(
        f"{sandbox}/sandbox/linkedin/rest/posts",
        json={},
        headers={"Authorization": "Bearer sbx-member", "X-Restli-Protocol-Version": "2.0.0"},
    )
    assert response.status_code == 400
    assert response.json()["code"] == "VERSION_MISSING"


def test_a_post_of_media_that_is_not_available_is_refused(sandbox):
    auth = {**HEADERS, "Authorization": "Bearer sbx-member"}
    init = requests.post(
        f"{sandbox}/sandbox/linkedin/rest/images?action=initializeUpload",
        headers=auth,
        json={"initializeUploadRequest": {"owner": ORG}},
    ).json()["value"]
    post = {
        "author": ORG,
        "commentary": "",
        "visibility": "PUBLIC",
        "distribution": {},
        "lifecycleState": "PUBLISHED",
        "content": {"media": {"id": init["image"]}},
    }
    response = requests.post(f"{sandbox}/sandbox/linkedin/rest/posts", headers=auth, json=post)
    assert response.status_code == 422 and "WAITING_UPLOAD" in response.json()["message"]
    post["content"] = {"multiImage": {"images": [{"id": init["image"]}]}}
    response = requests.post(f"{sandbox}/sandbox/linkedin/rest/posts", headers=auth, json=post)
    assert response.status_code == 422 and "2 to 20" in response.json()["message"]


def test_oauth_consent_and_code_exchange(sandbox):
    authorize = f"{sandbox}/sandbox/linkedin/oauth/v2/authorization"
    params = {
        "response_type": "code",
        "client_id": "dravo-sandbox",
        "state": "st4te",
        "scope": "openid w_member_social",
        "redirect_uri": f"{sandbox}/accounts/connect/linkedin/callback",
    }
    page = requests.get(authorize, params=params)
    assert page.status_code == 200 and "dravo-sandbox" in page.text and "w_member_social" in page.text
    assert '<button type="submit" name="decision" value="allow">Allow</button>' in page.text
    answer = requests.post(authorize, data={**params, "decision": "allow"}, allow_redirects=False)
    assert answer.status_code == 302
    location = urlsplit(answer.headers["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == params["redirect_uri"]
    query = parse_qs(location.query)
    assert query["state"] == ["st4te"] and query["code"][0].startswith("sbx_")
    token = requests.post(
        f"{sandbox}/sandbox/linkedin/oauth/v2/accessToken",
        data={
            "grant_type": "authorization_code",
            "code": query["code"][0],
            "redirect_uri": params["redirect_uri"],
            "client_id": "dravo-sandbox",
            "client_secret": "dravo-sandbox-secret",
        },
    )
    assert token.status_code == 200 and token.headers["Content-Type"] == "application/json"
    body = token.json()
    assert body["expires_in"] == 5184000 and body["refresh_token"].startswith("sbx_")
    assert registry.get_client("linkedin", {"access_token": body["access_token"]}, sandbox=True).verify().id


def test_oauth_deny_redirects_with_access_denied(sandbox):
    authorize = f"{sandbox}/sandbox/linkedin/oauth/v2/authorization"
    data = {"client_id": "dravo-sandbox", "state": "s1", "redirect_uri": "https://dravo.test/cb", "decision": "deny"}
    answer = requests.post(authorize, data=data, allow_redirects=False)
    query = parse_qs(urlsplit(answer.headers["Location"]).query)
    assert query["error"] == ["access_denied"] and query["state"] == ["s1"]


def test_oauth_code_cannot_be_exchanged_twice(sandbox):
    authorize = f"{sandbox}/sandbox/linkedin/oauth/v2/authorization"
    data = {"client_id": "dravo-sandbox", "state": "s", "redirect_uri": "https://dravo.test/cb", "decision": "allow"}
    code = parse_qs(urlsplit(requests.post(authorize, data=data, allow_redirects=False).headers["Location"]).query)
    form = {
        "grant_type": "authorization_code",
        "code": code["code"][0],
        "redirect_uri": "https://dravo.test/cb",
        "client_id": "dravo-sandbox",
        "client_secret": "dravo-sandbox-secret",
    }
    assert requests.post(f"{sandbox}/sandbox/linkedin/oauth/v2/accessToken", data=form).status_code == 200
    again = requests.post(f"{sandbox}/sandbox/linkedin/oauth/v2/accessToken", data=form)
    assert again.status_code == 400 and again.json()["error"] == "invalid_request"
