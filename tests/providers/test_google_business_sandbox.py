"""GoogleBusinessClient walked through the Business Profile sandbox over real HTTP
(live_server): each topic type of local post, the post's states and page, what the sandbox
refuses, verify against the location, insights, token refresh and the six behaviours."""

from datetime import UTC, datetime, timedelta

import pytest
import requests

from providers import registry
from providers.base import Content, Media
from providers.errors import (
    AccountMismatch,
    MediaUnavailable,
    ProviderUnavailable,
    RateLimited,
    ReconnectRequired,
    Rejected,
    TokenExpired,
)
from sandbox import google_business as sandbox_gbp
from sandbox.models import SandboxRecord

pytestmark = pytest.mark.django_db(transaction=True)
USER = "baker@sandbox.dravo.dev"
EVENT = {
    "title": "Tasting",
    "start_date": "2026-12-10",
    "start_time": "18:00",
    "end_date": "2026-12-10",
    "end_time": "21:00",
}


@pytest.fixture(autouse=True)
def _no_waiting(fast_polling):
    pass


def location_of(user=USER, index=0) -> str:
    account, locations = sandbox_gbp.holdings(user)[0]
    return f"{account['name']}/{locations[index]['name']}"


def client(behavior="ok", *, token="sbx-gbp-tok-1", location=None, **credentials):
    """A client whose token the sandbox issued for USER (as the consent does)."""
    if not SandboxRecord.objects.filter(network="google_business", kind="token", object_id=token).exists():
        SandboxRecord.objects.create(network="google_business", kind="token", object_id=token, owner=USER)
    credentials = {
        "access_token": token,
        "location_name": location or location_of(),
        "sandbox": {"behavior": behavior},
        **credentials,
    }
    return registry.get_client("google_business", credentials, sandbox=True)


def photo(sandbox, name="sample.jpg"):
    return Media(url=f"{sandbox}/sandbox/files/{name}", kind="image")


def posts():
    return SandboxRecord.objects.filter(network="google_business", kind="post")


def api(sandbox, path):
    return f"{sandbox}/sandbox/google_business{path}"


# --- publish each topic type ---------------------------------------------------------------------
def test_an_update_with_a_photo_goes_live_with_its_search_url_page(sandbox):
    options = {"call_to_action": {"action_type": "ORDER", "url": "https://dravo.dev/order"}}
    result = client().publish(Content("Fresh bread today", (photo(sandbox),), options))
    assert result.platform_post_id.startswith(f"{location_of()}/localPosts/")
    assert result.url.startswith(f"{sandbox}/sandbox/google_business/place?") and result.warnings == []
    assert abs(result.published_at - datetime.now(UTC)) < timedelta(minutes=1)
    post = posts().get()
    assert (post.owner, post.status) == (location_of(), "LIVE")
    assert post.data["post"]["callToAction"] == {"actionType": "ORDER", "url": "https://dravo.dev/order"}
    page = requests.get(result.url, timeout=5)
    assert page.status_code == 200 and "Fresh bread today" in page.text and photo(sandbox).url in page.text
    assert "Dravo Coffee — Main Street" in page.text


def test_an_event_an_offer_and_an_alert(sandbox):
    client().publish(Content("Come taste", (), {"topic_type": "EVENT", "event": EVENT}))
    offer = {"coupon_code": "XMAS", "redeem_online_url": "https://dravo.dev/", "terms_conditions": "One each"}
    client().publish(Content("20 % off", (), {"topic_type": "OFFER", "event": EVENT, "offer": offer}))
    client().publish(Content("Closed on Monday", (), {"topic_type": "ALERT"}))
    stored = {post.data["post"]["topicType"]: post.data["post"] for post in posts()}
    assert stored["EVENT"]["event"]["schedule"]["startTime"] == {"hours": 18, "minutes": 0, "seconds": 0, "nanos": 0}
    assert stored["OFFER"]["offer"]["couponCode"] == "XMAS"
    assert stored["ALERT"]["alertType"] == "COVID_19"


def test_a_summary_with_a_phone_number_is_rejected_after_the_fact(sandbox):
    saved = []
    with pytest.raises(Rejected, match="content policy"):
        client().publish(Content("Call us on +44 20 7946 0958", (), {}), save_checkpoint=saved.append)
    assert posts().get().status == "REJECTED" and saved[-1]["post_name"] == posts().get().object_id


def test_a_photo_google_cannot_fetch_is_media_unavailable(sandbox):
    with pytest.raises(MediaUnavailable, match="could not be fetched"):
        client().publish(Content("x", (photo(sandbox, "missing.jpg"),), {}))
    with pytest.raises(MediaUnavailable, match="not a photo"):
        client().publish(Content("x", (photo(sandbox, "sample.mp4"),), {}))
    assert not posts().exists()


def test_reconcile_finds_the_post_of_an_ambiguous_create(sandbox):
    content = Content("Was it made?", (), {})
    made = client().publish(content)
    since = (datetime.now(UTC) - timedelta(seconds=30)).isoformat()
    assert client().reconcile(content, {"post_requested": since}).platform_post_id == made.platform_post_id
    assert client().reconcile(Content("Another", (), {}), {"post_requested": since}) is None


# --- what the sandbox enforces ---------------------------------------------------------------------
def test_the_sandbox_refuses_what_google_refuses(sandbox):
    headers = {"Authorization": "Bearer sbx-rules"}
    url = api(sandbox, f"/v4/{location_of(sandbox_gbp.user_for('sbx-rules'))}/localPosts")
    base = {"languageCode": "en-US", "topicType": "STANDARD", "summary": "x"}
    cases = [
        ({**base, "topicType": "PRODUCT"}, "topic_type"),
        ({**base, "topicType": None}, "topic_type"),
        ({"topicType": "STANDARD", "summary": "x"}, "language_code"),
        ({**base, "summary": "x" * 1501}, "summary"),
        ({**base, "topicType": "EVENT"}, "event.title"),
        ({**base, "topicType": "EVENT", "event": {"title": "T"}}, "event.schedule"),
        ({**base, "topicType": "ALERT"}, "alert_type"),
        ({**base, "callToAction": {"actionType": "CALL", "url": "https://x.example/"}}, "call_to_action.url"),
        ({**base, "callToAction": {"actionType": "BOOK"}}, "call_to_action.url"),
        (
            {**base, "media": [{"mediaFormat": "PHOTO", "sourceUrl": "https://x.example/a.jpg", "data": "x"}]},
            "media[0]",
        ),
    ]
    for body, field in cases:
        answer = requests.post(url, json=body, headers=headers, timeout=5)
        assert answer.status_code == 400, (body, answer.json())
        details = answer.json()["error"]["details"][0]["errorDetails"]
        assert details[0]["field"] == field, (body, details)


def test_a_location_of_another_user_is_403_and_under_another_account_404(sandbox):
    headers = {"Authorization": "Bearer sbx-where"}
    body = {"languageCode": "en-US", "topicType": "STANDARD", "summary": "x"}
    theirs = requests.post(api(sandbox, f"/v4/{location_of('someone')}/localPosts"), json=body, headers=headers)
    assert theirs.status_code == 403 and theirs.json()["error"]["status"] == "PERMISSION_DENIED"
    mine = location_of(sandbox_gbp.user_for("sbx-where")).split("/")[3]
    misplaced = requests.post(api(sandbox, f"/v4/accounts/1/locations/{mine}/localPosts"), json=body, headers=headers)
    assert misplaced.status_code == 404 and misplaced.json()["error"]["status"] == "NOT_FOUND"


def test_locations_need_a_read_mask_and_come_by_pages(sandbox):
    SandboxRecord.objects.create(
        network="google_business", kind="token", object_id="sbx-pages", owner="many_locations@sandbox.dravo.dev"
    )
    headers = {"Authorization": "Bearer sbx-pages"}
    group = sandbox_gbp.holdings("many_locations@sandbox.dravo.dev")[1][0]["name"]
    url = api(sandbox, f"/v1/{group}/locations")
    assert requests.get(url, headers=headers, timeout=5).status_code == 400
    first = requests.get(url, params={"readMask": "name,title", "pageSize": 100}, headers=headers, timeout=5).json()
    assert len(first["locations"]) == 100 and set(first["locations"][0]) == {"name", "title"}
    second = requests.get(
        url,
        params={"readMask": "name", "pageSize": 100, "pageToken": first["nextPageToken"]},
        headers=headers,
        timeout=5,
    ).json()
    assert len(second["locations"]) == 20 and "nextPageToken" not in second
    assert requests.get(url, params={"readMask": "name", "pageSize": 101}, headers=headers).status_code == 400


# --- verify ------------------------------------------------------------------------------------------
def test_verify_reads_the_named_location(sandbox):
    profile = client().verify()
    assert (profile.id, profile.handle) == (location_of(), "Dravo Coffee — Main Street")
    assert profile.extra["address"] == "12 Main Street, London, GB" and profile.extra["maps_uri"]


def test_verify_of_a_location_the_user_does_not_manage_is_a_mismatch(sandbox):
    with pytest.raises(AccountMismatch) as caught:
        client(location=location_of("someone")).verify()
    assert caught.value.field == "location_name"
    account = location_of().split("/locations/")[0]
    other_account = location_of("someone").split("/locations/")[0]
    with pytest.raises(AccountMismatch, match="cannot manage"):
        client(location=location_of().replace(account, other_account)).verify()


def test_a_new_token_named_with_a_location_is_bound_to_it_for_good(sandbox):
    credentials = {"access_token": "sbx-byok", "location_name": "accounts/111/locations/222", "sandbox": {}}
    assert registry.get_client("google_business", credentials, sandbox=True).verify().id == "accounts/111/locations/222"
    with pytest.raises(AccountMismatch):
        other = {**credentials, "location_name": "accounts/111/locations/333"}
        registry.get_client("google_business", other, sandbox=True).verify()


def test_verify_of_an_invalid_token_is_token_expired(sandbox):
    with pytest.raises(TokenExpired, match="invalid authentication"):
        registry.get_client(
            "google_business", {"access_token": "invalid-x", "location_name": location_of()}, sandbox=True
        ).verify()


# --- analytics ----------------------------------------------------------------------------------------
def test_metrics_of_a_post_with_a_button_and_the_normalized_counts(sandbox):
    options = {"call_to_action": {"action_type": "BOOK", "url": "https://dravo.dev/book"}}
    result = client().publish(Content("Count me", (), options))
    metrics = client().fetch_metrics(result.platform_post_id)
    assert not metrics.partial, metrics.warnings
    assert metrics.metrics["local_post_views_search"] > metrics.metrics["local_post_actions_call_to_action"] > 0
    normalized = registry.CLIENTS["google_business"].normalize_metrics(metrics.metrics)
    assert normalized["views"] == metrics.metrics["local_post_views_search"]
    assert normalized["clicks"] == metrics.metrics["local_post_actions_call_to_action"]


def test_insights_take_only_posts_of_the_location(sandbox):
    result = client().publish(Content("Mine", (), {}))
    other = f"{location_of(USER, 1)}/localPosts/1"
    body = {
        "localPostNames": [result.platform_post_id, other],
        "basicRequest": {
            "metricRequests": [{"metric": "LOCAL_POST_VIEWS_SEARCH"}],
            "timeRange": {"startTime": "2026-01-01T00:00:00Z", "endTime": "2026-12-31T00:00:00Z"},
        },
    }
    answer = requests.post(
        api(sandbox, f"/v4/{location_of()}/localPosts:reportInsights"),
        json=body,
        headers={"Authorization": "Bearer sbx-gbp-tok-1"},
        timeout=5,
    )
    assert answer.status_code == 400


# --- tokens -------------------------------------------------------------------------------------------
def test_refresh_adopts_a_byok_refresh_token_and_keeps_it(sandbox):
    first = client(refresh_token="1//mine").refresh()
    assert first.credentials["refresh_token"] == "1//mine"
    assert first.credentials["access_token"].startswith("ya29.")
    assert 3500 < (first.expires_at - datetime.now(UTC)).total_seconds() <= 3599
    again = client(refresh_token="1//mine").refresh()
    assert again.credentials["access_token"] != first.credentials["access_token"]
    fresh = registry.get_client("google_business", {**first.credentials, "sandbox": {}}, sandbox=True)
    assert fresh.verify().id == location_of()


# --- behaviours ---------------------------------------------------------------------------------------
def test_rate_limited_then_ok_after_a_minute(sandbox):
    content = Content("Busy", (), {})
    with pytest.raises(RateLimited) as caught:
        client("rate_limited").publish(content)
    assert caught.value.retry_after == 60.0
    assert client("rate_limited").publish(content).platform_post_id
    assert posts().count() == 1


def test_flaky_loses_the_answer_and_the_retry_finds_the_post_instead_of_posting_again(sandbox):
    content = Content("Flaky", (), {})
    saved = []
    with pytest.raises(ProviderUnavailable):
        client("flaky").publish(content, save_checkpoint=saved.append)
    assert posts().count() == 1 and saved[-1]["post_requested"]
    result = client("flaky").publish(content, checkpoint=saved[-1], save_checkpoint=saved.append)
    assert posts().count() == 1 and result.platform_post_id == posts().get().object_id
    assert saved[-1]["post_name"] == result.platform_post_id


def test_rejects_refuses_every_post(sandbox):
    with pytest.raises(Rejected, match="refuses every post"):
        client("rejects").publish(Content("No", (), {}))


def test_token_expired_is_token_expired_and_its_refresh_is_refused(sandbox):
    with pytest.raises(TokenExpired):
        client("token_expired").publish(Content("x", (), {}))
    with pytest.raises(ReconnectRequired):
        client("token_expired", refresh_token="1//any").refresh()


def test_slow_answers_after_its_latency(sandbox):
    credentials = {
        "access_token": "sbx-gbp-tok-1",
        "location_name": location_of(),
        "sandbox": {"behavior": "slow", "latency_ms": 300},
    }
    client()  # the token is USER's
    started = datetime.now(UTC)
    registry.get_client("google_business", credentials, sandbox=True).verify()
    assert (datetime.now(UTC) - started).total_seconds() >= 0.3
