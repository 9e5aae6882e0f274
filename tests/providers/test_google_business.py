"""GoogleBusinessClient against `responses` fakes shaped like Google's Business Profile
answers: each topic type of local post, the photo, the answer's states, errors,
checkpoints, verify against the named location, token refresh and insights."""

import json
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs

import pytest
import requests
import responses
from django.conf import settings

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
from providers.google_business.client import GoogleBusinessClient
from providers.google_business.rules import GoogleBusinessOptions

ACCOUNT, LOCATION = "accounts/107623849261234567890", "locations/4758393847561234567"
LOCATION_NAME = f"{ACCOUNT}/{LOCATION}"
POSTS = f"https://mybusiness.googleapis.com/v4/{LOCATION_NAME}/localPosts"
POST_NAME = f"{LOCATION_NAME}/localPosts/1982736450918273645"
POST = f"https://mybusiness.googleapis.com/v4/{POST_NAME}"
INFO = "https://mybusinessbusinessinformation.googleapis.com/v1"
ACCOUNTS = "https://mybusinessaccountmanagement.googleapis.com/v1/accounts"
TOKEN = "https://oauth2.googleapis.com/token"
SEARCH_URL = "https://local.google.com/place?id=4758393847561234567&use=posts&lpsid=1982736450918273645"
CREDS = {"access_token": "ya29.secret", "refresh_token": "1//keep", "location_name": LOCATION_NAME}
PHOTO = Media(url="https://cdn.example.com/a.jpg", kind="image", mime_type="image/jpeg", width=800, height=600)


def make_client(**credentials):
    endpoints = settings.PROVIDER_ENDPOINTS["google_business"]
    return GoogleBusinessClient(
        {**CREDS, **credentials}, endpoints=endpoints, app={"client_id": "cid", "client_secret": "sec"}
    )


def local_post(state="LIVE", **fields):
    post = {
        "name": POST_NAME,
        "languageCode": "en-US",
        "summary": "Fresh bread",
        "topicType": "STANDARD",
        "state": state,
        "createTime": "2026-12-04T10:00:00.123456Z",
        "updateTime": "2026-12-04T10:00:00.123456Z",
        **fields,
    }
    if state == "LIVE":
        post.setdefault("searchUrl", SEARCH_URL)
    return post


def google_error(code, status, message, field=None):
    error = {"code": code, "message": message, "status": status}
    if field:
        error["details"] = [
            {
                "@type": "type.googleapis.com/google.mybusiness.v4.ValidationError",
                "errorDetails": [{"code": 3, "field": field, "message": f"{field} is invalid"}],
            }
        ]
    return {"error": error}


def body_of(call):
    return json.loads(call.request.body)


def content(text="Fresh bread", media=(), **options):
    return Content(text, media, options)


@pytest.fixture(autouse=True)
def _no_waiting(fast_polling):
    pass


@pytest.fixture
def rsps():
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        yield mock


# --- publishing each topic type ---------------------------------------------------------------
def test_an_update_with_a_photo_and_a_button_is_one_create(rsps):
    rsps.post(POSTS, json=local_post())
    options = {"call_to_action": {"action_type": "LEARN_MORE", "url": "https://dravo.dev/"}}
    result = make_client().publish(content(media=(PHOTO,), **options))
    assert len(rsps.calls) == 1
    assert rsps.calls[0].request.headers["Authorization"] == "Bearer ya29.secret"
    assert body_of(rsps.calls[0]) == {
        "languageCode": "en-US",
        "topicType": "STANDARD",
        "summary": "Fresh bread",
        "callToAction": {"actionType": "LEARN_MORE", "url": "https://dravo.dev/"},
        "media": [{"mediaFormat": "PHOTO", "sourceUrl": PHOTO.url}],
    }
    assert (result.platform_post_id, result.url, result.warnings) == (POST_NAME, SEARCH_URL, [])
    assert result.published_at == datetime(2026, 12, 4, 10, 0, 0, 123456, tzinfo=UTC)


def test_an_event_sends_its_title_and_schedule(rsps):
    rsps.post(POSTS, json=local_post(topicType="EVENT"))
    event = {
        "title": "Tasting",
        "start_date": "2026-12-10",
        "start_time": "18:00",
        "end_date": "2026-12-10",
        "end_time": "21:30",
    }
    make_client().publish(content(topic_type="EVENT", event=event, call_to_action={"action_type": "CALL"}))
    sent = body_of(rsps.calls[0])
    assert sent["topicType"] == "EVENT"
    assert sent["event"] == {
        "title": "Tasting",
        "schedule": {
            "startDate": {"year": 2026, "month": 12, "day": 10},
            "endDate": {"year": 2026, "month": 12, "day": 10},
            "startTime": {"hours": 18, "minutes": 0, "seconds": 0, "nanos": 0},
            "endTime": {"hours": 21, "minutes": 30, "seconds": 0, "nanos": 0},
        },
    }
    assert sent["callToAction"] == {"actionType": "CALL"}


def test_an_offer_sends_its_event_and_offer_in_google_s_names(rsps):
    rsps.post(POSTS, json=local_post(topicType="OFFER"))
    options = {
        "topic_type": "OFFER",
        "language_code": "fr-FR",
        "event": {"title": "-20 %", "start_date": "2026-12-01", "end_date": "2026-12-24"},
        "offer": {"coupon_code": "NOEL", "redeem_online_url": "https://shop.example/", "terms_conditions": "One each"},
    }
    make_client().publish(content("Promo", **options))
    sent = body_of(rsps.calls[0])
    assert sent["languageCode"] == "fr-FR" and "startTime" not in sent["event"]["schedule"]
    assert sent["offer"] == {
        "couponCode": "NOEL",
        "redeemOnlineUrl": "https://shop.example/",
        "termsConditions": "One each",
    }


def test_an_alert_is_a_covid_19_alert(rsps):
    rsps.post(POSTS, json=local_post(topicType="ALERT"))
    make_client().publish(content("Closed on Monday", topic_type="ALERT"))
    assert body_of(rsps.calls[0])["alertType"] == "COVID_19"


# --- the answer's states --------------------------------------------------------------------------
def test_a_processing_post_is_read_again_until_live(rsps):
    rsps.post(POSTS, json=local_post("PROCESSING"))
    rsps.get(POST, json=local_post("PROCESSING"))
    rsps.get(POST, json=local_post("LIVE"))
    result = make_client().publish(content())
    assert [call.request.method for call in rsps.calls] == ["POST", "GET", "GET"]
    assert result.url == SEARCH_URL and result.warnings == []


def test_a_post_still_processing_after_the_reads_is_published_with_a_warning(rsps):
    rsps.post(POSTS, json=local_post("PROCESSING"))
    for _ in range(5):
        rsps.get(POST, json=local_post("PROCESSING"))
    result = make_client().publish(content())
    assert len(rsps.calls) == 6 and result.url is None
    assert "still reviewing" in result.warnings[0]


def test_a_rejected_post_is_rejected_and_its_name_kept(rsps):
    rsps.post(POSTS, json=local_post("PROCESSING"))
    rsps.get(POST, json=local_post("REJECTED"))
    saved = []
    with pytest.raises(Rejected, match="content policy"):
        make_client().publish(content(), save_checkpoint=saved.append)
    assert saved[-1] == {"post_name": POST_NAME, "post_requested": None}


# --- errors ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "status,body,error",
    [
        (401, google_error(401, "UNAUTHENTICATED", "Request had invalid authentication credentials."), TokenExpired),
        (403, google_error(403, "PERMISSION_DENIED", "The caller does not have permission"), ReconnectRequired),
        (400, google_error(400, "INVALID_ARGUMENT", "Request contains an invalid argument.", "summary"), Rejected),
        (400, google_error(400, "INVALID_ARGUMENT", "Invalid.", "media[0].source_url"), MediaUnavailable),
        (400, google_error(400, "FAILED_PRECONDITION", "The location is not verified."), Rejected),
        (404, google_error(404, "NOT_FOUND", "Requested entity was not found."), Rejected),
        (500, google_error(500, "INTERNAL", "Internal error encountered."), ProviderUnavailable),
        (503, google_error(503, "UNAVAILABLE", "The service is currently unavailable."), ProviderUnavailable),
    ],
)
def test_google_s_errors_become_typed_errors(rsps, status, body, error):
    rsps.post(POSTS, json=body, status=status)
    with pytest.raises(error) as caught:
        make_client().publish(content())
    assert caught.value.status == status and len(rsps.calls) == 1
    assert type(caught.value) is error


def test_a_validation_error_names_the_field(rsps):
    rsps.post(
        POSTS,
        json=google_error(400, "INVALID_ARGUMENT", "Request contains an invalid argument.", "summary"),
        status=400,
    )
    with pytest.raises(Rejected, match=r"summary: summary is invalid"):
        make_client().publish(content())


def test_a_project_without_the_api_enabled_is_rejected_not_reconnect(rsps):
    body = {
        "error": {
            "code": 403,
            "message": "API has not been used in project 1",
            "status": "PERMISSION_DENIED",
            "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "SERVICE_DISABLED"}],
        }
    }
    rsps.post(POSTS, json=body, status=403)
    with pytest.raises(Rejected) as caught:
        make_client().publish(content())
    assert type(caught.value) is Rejected


def test_a_429_is_rate_limited_for_a_minute(rsps):
    rsps.post(POSTS, json=google_error(429, "RESOURCE_EXHAUSTED", "Quota exceeded."), status=429)
    with pytest.raises(RateLimited) as caught:
        make_client().publish(content())
    assert caught.value.retry_after == 60.0


def test_a_timeout_is_provider_unavailable(rsps):
    rsps.post(POSTS, body=requests.ReadTimeout("slow"))
    with pytest.raises(ProviderUnavailable):
        make_client().publish(content())


# --- checkpoints -----------------------------------------------------------------------------------
def test_a_checkpoint_with_the_post_only_reads_it(rsps):
    rsps.get(POST, json=local_post())
    result = make_client().publish(content(), checkpoint={"post_name": POST_NAME})
    assert result.platform_post_id == POST_NAME and [c.request.method for c in rsps.calls] == ["GET"]


def test_after_an_ambiguous_create_the_location_s_post_is_adopted_not_made_twice(rsps):
    rsps.post(POSTS, body=requests.ConnectionError("reset"))
    saved = []
    with pytest.raises(ProviderUnavailable):
        make_client().publish(content("Once"), save_checkpoint=saved.append)
    assert saved[-1]["post_requested"]
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    other = local_post(name=f"{LOCATION_NAME}/localPosts/1", summary="Other", createTime=now)
    ours = local_post(summary="Once", createTime=now)
    rsps.get(POSTS, json={"localPosts": [other, ours]})
    rsps.calls.reset()
    result = make_client().publish(content("Once"), checkpoint=saved[-1], save_checkpoint=saved.append)
    assert result.platform_post_id == POST_NAME and len(rsps.calls) == 1
    assert parse_qs(rsps.calls[0].request.url.split("?", 1)[1]) == {"pageSize": ["20"]}
    assert saved[-1] == {"post_name": POST_NAME, "post_requested": None}


def test_after_an_ambiguous_create_with_no_such_post_it_is_created(rsps):
    old = (datetime.now(UTC) - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    rsps.get(POSTS, json={"localPosts": [local_post(summary="Once", createTime=old)]})  # too old to be ours
    rsps.post(POSTS, json=local_post(summary="Once"))
    since = datetime.now(UTC).isoformat()
    result = make_client().publish(content("Once"), checkpoint={"post_requested": since})
    assert [c.request.method for c in rsps.calls] == ["GET", "POST"] and result.platform_post_id == POST_NAME


def test_a_definite_refusal_forgets_the_request_and_a_5xx_keeps_it(rsps):
    rsps.post(POSTS, json=google_error(400, "INVALID_ARGUMENT", "Bad."), status=400)
    rsps.post(POSTS, json=google_error(503, "UNAVAILABLE", "Later."), status=503)
    refused, unknown = [], []
    with pytest.raises(Rejected):
        make_client().publish(content(), save_checkpoint=refused.append)
    with pytest.raises(ProviderUnavailable):
        make_client().publish(content(), save_checkpoint=unknown.append)
    assert refused[-1]["post_requested"] is None and unknown[-1]["post_requested"]


def test_reconcile(rsps):
    assert make_client().reconcile(content(), {}) is None
    assert make_client().reconcile(content(), None) is None
    rsps.get(POST, json=local_post("PROCESSING"))
    found = make_client().reconcile(content(), {"post_name": POST_NAME})
    assert found.platform_post_id == POST_NAME and found.warnings and len(rsps.calls) == 1
    rsps.get(POSTS, json={"localPosts": []})
    assert make_client().reconcile(content(), {"post_requested": datetime.now(UTC).isoformat()}) is None


# --- verify ----------------------------------------------------------------------------------------
def location_body(name=LOCATION):
    return {
        "name": name,
        "title": "Dravo Bakery",
        "storefrontAddress": {"regionCode": "GB", "locality": "London", "addressLines": ["1 Baker St"]},
        "metadata": {"mapsUri": "https://maps.google.com/maps?cid=1", "placeId": "ChIJabc"},
    }


def test_verify_reads_the_location_and_finds_it_in_the_named_account(rsps):
    rsps.get(f"{INFO}/{LOCATION}", json=location_body())
    rsps.get(f"{INFO}/{ACCOUNT}/locations", json={"locations": [{"name": "locations/1"}], "nextPageToken": "p2"})
    rsps.get(f"{INFO}/{ACCOUNT}/locations", json={"locations": [{"name": LOCATION}]})
    profile = make_client().verify()
    assert (profile.id, profile.handle, profile.name) == (LOCATION_NAME, "Dravo Bakery", "Dravo Bakery")
    assert profile.extra == {
        "account_name": ACCOUNT,
        "maps_uri": "https://maps.google.com/maps?cid=1",
        "place_id": "ChIJabc",
        "address": "1 Baker St, London, GB",
    }
    assert parse_qs(rsps.calls[0].request.url.split("?", 1)[1]) == {
        "readMask": ["name,title,storefrontAddress,metadata"]
    }
    assert "pageToken=p2" in rsps.calls[2].request.url
    assert GoogleBusinessClient.profile_credentials(profile) == {"location_name": LOCATION_NAME}


def test_verify_of_a_location_of_another_account_is_a_mismatch(rsps):
    rsps.get(f"{INFO}/{LOCATION}", json=location_body())
    rsps.get(f"{INFO}/{ACCOUNT}/locations", json={"locations": [{"name": "locations/1"}]})
    with pytest.raises(AccountMismatch) as caught:
        make_client().verify()
    assert caught.value.field == "location_name"


@pytest.mark.parametrize("status,state", [(403, "PERMISSION_DENIED"), (404, "NOT_FOUND")])
def test_verify_of_a_location_the_token_cannot_read_is_a_mismatch(rsps, status, state):
    rsps.get(f"{INFO}/{LOCATION}", json=google_error(status, state, "No."), status=status)
    with pytest.raises(AccountMismatch, match="cannot manage"):
        make_client().verify()


def test_verify_needs_a_location_name_and_a_good_token(rsps):
    with pytest.raises(AccountMismatch, match="accounts/"):
        make_client(location_name="locations/1").verify()
    rsps.get(f"{INFO}/{LOCATION}", json=google_error(401, "UNAUTHENTICATED", "Bad token."), status=401)
    with pytest.raises(TokenExpired):
        make_client().verify()


def test_accounts_and_locations_read_every_page(rsps):
    rsps.get(ACCOUNTS, json={"accounts": [{"name": "accounts/1", "type": "PERSONAL"}], "nextPageToken": "n"})
    rsps.get(ACCOUNTS, json={"accounts": [{"name": "accounts/2", "type": "LOCATION_GROUP"}]})
    assert [a["name"] for a in make_client().accounts()] == ["accounts/1", "accounts/2"]
    assert parse_qs(rsps.calls[1].request.url.split("?", 1)[1]) == {"pageSize": ["20"], "pageToken": ["n"]}


# --- tokens ----------------------------------------------------------------------------------------
def test_refresh_keeps_the_refresh_token_and_an_hour_long_expiry(rsps):
    rsps.post(TOKEN, json={"access_token": "ya29.new", "expires_in": 3599, "token_type": "Bearer"})
    result = make_client().refresh()
    assert result.credentials == {**CREDS, "access_token": "ya29.new"}
    assert 3500 < (result.expires_at - datetime.now(UTC)).total_seconds() <= 3599
    form = parse_qs(rsps.calls[0].request.body)
    assert form["grant_type"] == ["refresh_token"] and form["refresh_token"] == ["1//keep"]


def test_an_invalid_grant_means_reconnect(rsps):
    rsps.post(
        TOKEN, json={"error": "invalid_grant", "error_description": "Token has been expired or revoked."}, status=400
    )
    with pytest.raises(ReconnectRequired, match="expired or revoked"):
        make_client().refresh()


# --- insights --------------------------------------------------------------------------------------
INSIGHTS = f"https://mybusiness.googleapis.com/v4/{LOCATION_NAME}/localPosts:reportInsights"


def test_metrics_are_the_post_s_search_views_and_button_clicks(rsps):
    rsps.post(
        INSIGHTS,
        json={
            "name": LOCATION_NAME,
            "timeZone": "Europe/London",
            "localPostMetrics": [
                {
                    "localPostName": POST_NAME,
                    "metricValues": [
                        {
                            "metric": "LOCAL_POST_VIEWS_SEARCH",
                            "totalValue": {"metricOption": "AGGREGATED_TOTAL", "value": "123"},
                        },
                        {
                            "metric": "LOCAL_POST_ACTIONS_CALL_TO_ACTION",
                            "totalValue": {"metricOption": "AGGREGATED_TOTAL", "value": "7"},
                        },
                    ],
                }
            ],
        },
    )
    result = make_client().fetch_metrics(POST_NAME)
    assert result.metrics == {"local_post_views_search": 123, "local_post_actions_call_to_action": 7}
    assert not result.partial
    sent = body_of(rsps.calls[0])
    assert sent["localPostNames"] == [POST_NAME]
    assert [m["metric"] for m in sent["basicRequest"]["metricRequests"]] == [
        "LOCAL_POST_VIEWS_SEARCH",
        "LOCAL_POST_ACTIONS_CALL_TO_ACTION",
    ]
    assert sent["basicRequest"]["timeRange"]["endTime"].endswith("Z")
    normalized = GoogleBusinessClient.normalize_metrics(result.metrics)
    assert normalized == {"views": 123, "likes": None, "comments": None, "shares": None, "clicks": 7}


def test_an_empty_or_missing_insights_answer_is_partial_not_zero(rsps):
    rsps.post(INSIGHTS, json={"name": LOCATION_NAME})
    rsps.post(INSIGHTS, json=google_error(404, "NOT_FOUND", "Requested entity was not found."), status=404)
    empty, missing = make_client().fetch_metrics(POST_NAME), make_client().fetch_metrics(POST_NAME)
    assert empty.metrics == {} and empty.partial and "did not report" in empty.warnings[0]
    assert missing.metrics == {} and missing.partial and "no insights" in missing.warnings[0]


# --- options and validation ------------------------------------------------------------------------
def problems(text="Fresh bread", media=(), **options):
    return [(p.field, p.code) for p in make_client().validate(content(text, media, **options))]


OPT = "platform_options.google_business"
EVENT = {"title": "Tasting", "start_date": "2026-12-10", "end_date": "2026-12-11"}


def test_validate_follows_what_each_topic_type_takes():
    assert problems() == []
    assert problems("x" * 1500) == [] and problems("x" * 1501) == [("text", "too_long")]
    assert problems("", media=(PHOTO,)) == [] and problems("") == [("text", "required")]
    assert problems("", topic_type="ALERT") == [("text", "required")]
    assert problems(topic_type="EVENT") == [
        (f"{OPT}.event.title", "required"),
        (f"{OPT}.event.start_date", "required"),
        (f"{OPT}.event.end_date", "required"),
    ]
    assert problems("", topic_type="EVENT", event=EVENT) == []
    assert problems(topic_type="OFFER", event=EVENT, call_to_action={"action_type": "CALL"}) == [
        (f"{OPT}.call_to_action", "not_applicable")
    ]
    assert problems(event=EVENT, offer={"coupon_code": "X"}, alert_type="COVID_19") == [
        (f"{OPT}.event", "not_applicable"),
        (f"{OPT}.offer", "not_applicable"),
        (f"{OPT}.alert_type", "not_applicable"),
    ]


def test_validate_takes_one_jpeg_or_png_photo_of_250_pixels_or_more():
    video = Media(url="https://cdn.example.com/v.mp4", kind="video")
    gif = Media(url="https://cdn.example.com/a.gif", kind="image", mime_type="image/gif")
    small = Media(url="https://cdn.example.com/s.png", kind="image", mime_type="image/png", width=200, height=300)
    big = Media(url="https://cdn.example.com/b.jpg", kind="image", mime_type="image/jpeg", size_bytes=5 * 2**20 + 1)
    assert problems(media=(video,)) == [("media_urls.0", "unsupported_media")]
    assert problems(media=(gif,)) == [("media_urls.0", "format")]
    assert problems(media=(small,)) == [("media_urls.0", "too_small")]
    assert problems(media=(big,)) == [("media_urls.0", "too_large")]
    assert problems(media=(PHOTO, PHOTO)) == [("media_urls", "too_many_media")]


@pytest.mark.parametrize(
    "options,field",
    [
        ({"topic_type": "PRODUCT"}, "topic_type"),
        ({"topic_type": "standard"}, "topic_type"),
        ({"language_code": "english!"}, "language_code"),
        ({"event": {"title": "x" * 59}}, "event"),
        ({"event": {"start_date": "2026-02-30"}}, "event"),
        ({"event": {"start_date": "2026-12-10", "end_date": "2026-12-09"}}, "event"),
        ({"event": {"start_time": "18:00"}}, "event"),
        ({"event": {"start_time": "25:00", "end_time": "26:00"}}, "event"),
        ({"call_to_action": {"action_type": "CALL", "url": "https://dravo.dev/"}}, "call_to_action"),
        ({"call_to_action": {"action_type": "BOOK"}}, "call_to_action"),
        ({"call_to_action": {"action_type": "GET_OFFER", "url": "https://dravo.dev/"}}, "call_to_action"),
        ({"offer": {"redeem_online_url": "ftp://x"}}, "offer"),
        ({"alert_type": "STORM"}, "alert_type"),
        ({"topic": "EVENT"}, "topic"),
        ({"event": {"title": "x", "when": "now"}}, "event"),
    ],
)
def test_the_options_schema_is_strict(options, field):
    serializer = GoogleBusinessOptions(data=options)
    assert not serializer.is_valid()
    assert field in serializer.errors


def test_the_options_schema_takes_a_whole_post():
    options = {
        "topic_type": "OFFER",
        "language_code": "en-GB",
        "event": {
            "title": "Sale",
            "start_date": "2026-12-01",
            "start_time": "09:00",
            "end_date": "2026-12-01",
            "end_time": "17:30:00",
        },
        "offer": {"coupon_code": "SALE", "redeem_online_url": "https://shop.example/", "terms_conditions": "T&C"},
    }
    serializer = GoogleBusinessOptions(data=options)
    assert serializer.is_valid(), serializer.errors
    assert serializer.validated_data == options


def test_a_scope_the_consent_did_not_grant_means_reconnect_and_retry_after_is_honoured(rsps):
    scope = {
        "error": {
            "code": 403,
            "message": "Insufficient scopes.",
            "status": "PERMISSION_DENIED",
            "details": [
                {"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "ACCESS_TOKEN_SCOPE_INSUFFICIENT"}
            ],
        }
    }
    rsps.post(POSTS, json=scope, status=403)
    rsps.post(
        POSTS, json=google_error(429, "RESOURCE_EXHAUSTED", "Slow down."), status=429, headers={"Retry-After": "7"}
    )
    with pytest.raises(ReconnectRequired, match="Insufficient scopes"):
        make_client().publish(content())
    with pytest.raises(RateLimited) as caught:
        make_client().publish(content())
    assert caught.value.retry_after == 7.0


def test_a_refresh_google_could_not_answer_is_retried_not_a_reconnect(rsps):
    rsps.post(TOKEN, json={"error": {"code": 503, "message": "Later.", "status": "UNAVAILABLE"}}, status=503)
    rsps.post(TOKEN, json={"token_type": "Bearer"})
    with pytest.raises(ProviderUnavailable):
        make_client().refresh()
    with pytest.raises(ProviderUnavailable, match="no access_token"):
        make_client().refresh()
    with pytest.raises(ReconnectRequired, match="no refresh token"):
        make_client(refresh_token="").refresh()
