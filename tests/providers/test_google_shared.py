"""The pieces Dravo's Google networks share (providers.google, providers.google_oauth): Google's error answers
read and mapped to typed errors, the token refresh, and the connect backend's consent
parameters; against `responses` fakes shaped like Google's answers."""

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs

import pytest
import requests
import responses

from providers.base import ProviderClient
from providers.errors import (
    ProviderUnavailable,
    RateLimited,
    ReconnectRequired,
    Rejected,
    TokenExpired,
)
from providers.google import parse_error, raise_google_error, refresh_access_token
from providers.google_oauth import GoogleConnect
from sandbox.google import oauth_urlpatterns

API = "https://www.googleapis.com/some/v1/thing"
TOKEN = "https://oauth2.googleapis.com/token"
ENDPOINTS = {"api_url": "https://www.googleapis.com", "token_url": "https://oauth2.googleapis.com"}


class Client(ProviderClient):
    """The least client refresh_access_token() needs: credentials, app, endpoints."""

    name = "google-test"
    account_credential = "id"

    def verify(self):
        raise NotImplementedError

    def validate(self, content):
        raise NotImplementedError

    def publish(self, content, *, checkpoint=None, save_checkpoint=None):
        raise NotImplementedError

    def refresh(self):
        return refresh_access_token(self)

    def raise_for_response(self, response):
        raise_google_error(response, "Test API")


def make_client(**credentials):
    creds = {"access_token": "ya29.old", "refresh_token": "1//keep", "id": "UC1", **credentials}
    return Client(creds, endpoints=ENDPOINTS, app={"client_id": "cid", "client_secret": "sec"})


def api_error(status, reason, message="Nope.", domain="global", status_name="PERMISSION_DENIED"):
    return {
        "error": {
            "code": status,
            "message": message,
            "errors": [{"message": message, "domain": domain, "reason": reason}],
            "status": status_name,
        }
    }


@pytest.fixture
def rsps():
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        yield mock


def answer(rsps, status, body=None, headers=None):
    rsps.get(API, json=body, status=status, headers=headers)
    return requests.get(API, timeout=5)


# --- parse_error --------------------------------------------------------------------------------
def test_parse_error_reads_the_apis_error_shape(rsps):
    response = answer(rsps, 403, api_error(403, "quotaExceeded", "You have exceeded your quota.", "youtube.quota"))
    assert parse_error(response) == (403, "quotaExceeded", "You have exceeded your quota.")


def test_parse_error_reads_the_token_endpoint_shape(rsps):
    body = {"error": "invalid_grant", "error_description": "Token has been expired or revoked."}
    assert parse_error(answer(rsps, 400, body)) == (400, "invalid_grant", "Token has been expired or revoked.")


def test_parse_error_falls_back_to_an_error_info_reason_then_the_status_name(rsps):
    details = {
        "code": 403,
        "message": "Insufficient scopes.",
        "status": "PERMISSION_DENIED",
        "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "ACCESS_TOKEN_SCOPE_INSUFFICIENT"}],
    }
    assert parse_error(answer(rsps, 403, {"error": details})).reason == "ACCESS_TOKEN_SCOPE_INSUFFICIENT"
    bare = {"error": {"code": 404, "message": "Not found.", "status": "NOT_FOUND"}}
    assert parse_error(answer(rsps, 404, bare)) == (404, "NOT_FOUND", "Not found.")


def test_parse_error_of_a_body_that_is_not_json(rsps):
    rsps.get(API, body="<html>Bad Gateway</html>", status=502)
    assert parse_error(requests.get(API, timeout=5)) == (502, "", "")


# --- raise_google_error -------------------------------------------------------------------------
def test_a_success_raises_nothing(rsps):
    raise_google_error(answer(rsps, 200, {"items": []}), "Test API")


def test_401_is_an_expired_token(rsps):
    body = api_error(401, "authError", "Invalid Credentials", status_name="UNAUTHENTICATED")
    with pytest.raises(TokenExpired, match="Test API: Invalid Credentials"):
        raise_google_error(answer(rsps, 401, body), "Test API")


@pytest.mark.parametrize("reason", ["insufficientPermissions", "ACCESS_TOKEN_SCOPE_INSUFFICIENT"])
def test_403_for_a_scope_not_granted_requires_a_reconnect(rsps, reason):
    with pytest.raises(ReconnectRequired):
        raise_google_error(answer(rsps, 403, api_error(403, reason)), "Test API")


def test_403_forbidden_is_a_rejection(rsps):
    with pytest.raises(Rejected) as caught:
        raise_google_error(answer(rsps, 403, api_error(403, "forbidden", "Not allowed.")), "Test API")
    assert caught.value.status == 403 and caught.value.permanent


@pytest.mark.parametrize(
    ("status", "reason", "headers", "retry"),
    [
        (429, "RESOURCE_EXHAUSTED", {"Retry-After": "17"}, 17),
        (429, "", None, 60),
        (403, "rateLimitExceeded", None, 60),
        (403, "userRateLimitExceeded", {"Retry-After": "5"}, 5),
    ],
)
def test_rate_limits_wait_for_retry_after_or_a_minute(rsps, status, reason, headers, retry):
    with pytest.raises(RateLimited) as caught:
        raise_google_error(answer(rsps, status, api_error(status, reason), headers), "Test API")
    assert caught.value.retry_after == retry


@pytest.mark.parametrize(("status", "reason"), [(500, "backendError"), (503, ""), (400, "backendError")])
def test_server_trouble_is_unavailable(rsps, status, reason):
    with pytest.raises(ProviderUnavailable):
        raise_google_error(answer(rsps, status, api_error(status, reason)), "Test API")


@pytest.mark.parametrize(("status", "reason"), [(400, "invalidTitle"), (404, "notFound"), (409, "conflict")])
def test_other_4xx_are_rejections(rsps, status, reason):
    with pytest.raises(Rejected, match="Test API: Nope."):
        raise_google_error(answer(rsps, status, api_error(status, reason)), "Test API")


# --- refresh ------------------------------------------------------------------------------------
def test_refresh_posts_the_refresh_grant_with_the_app_and_keeps_the_refresh_token(rsps):
    rsps.post(TOKEN, json={"access_token": "ya29.new", "expires_in": 3599, "scope": "s", "token_type": "Bearer"})
    result = make_client().refresh()
    assert parse_qs(rsps.calls[0].request.body) == {
        "grant_type": ["refresh_token"],
        "refresh_token": ["1//keep"],
        "client_id": ["cid"],
        "client_secret": ["sec"],
    }
    assert result.credentials == {"access_token": "ya29.new", "refresh_token": "1//keep", "id": "UC1"}
    assert abs(result.expires_at - (datetime.now(UTC) + timedelta(seconds=3599))) < timedelta(minutes=1)


def test_refresh_takes_a_new_refresh_token_when_google_sends_one(rsps):
    rsps.post(TOKEN, json={"access_token": "ya29.new", "refresh_token": "1//new", "expires_in": 3599})
    assert make_client().refresh().credentials["refresh_token"] == "1//new"


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (400, {"error": "invalid_grant", "error_description": "Token has been expired or revoked."}),
        (401, {"error": "unauthorized_client", "error_description": "Unauthorized"}),
    ],
)
def test_a_refused_grant_requires_a_reconnect(rsps, status, body):
    rsps.post(TOKEN, json=body, status=status)
    with pytest.raises(ReconnectRequired, match="refused the refresh token"):
        make_client().refresh()
    assert len(rsps.calls) == 1


def test_a_refresh_google_could_not_answer_is_retried_later(rsps):
    rsps.post(TOKEN, json={"error": "internal_failure"}, status=503)
    with pytest.raises(ProviderUnavailable):
        make_client().refresh()
    rsps.post(TOKEN, json={"error": "rate_limited"}, status=429, headers={"Retry-After": "30"})
    with pytest.raises(RateLimited) as caught:
        make_client().refresh()
    assert caught.value.retry_after == 30


def test_refresh_without_a_refresh_token_requires_a_reconnect_without_a_call(rsps):
    with pytest.raises(ReconnectRequired):
        make_client(refresh_token="").refresh()
    assert len(rsps.calls) == 0


def test_a_token_answer_without_an_access_token_is_unavailable(rsps):
    rsps.post(TOKEN, json={"expires_in": 3599})
    with pytest.raises(ProviderUnavailable):
        make_client().refresh()


# --- the connect backend ------------------------------------------------------------------------
class Strategy:
    """The least of social-auth's strategy a backend reads for its arguments: no settings,
    no request."""

    def setting(self, name, default=None, backend=None):
        return default

    def request_data(self, merge=True):
        return {}

    def absolute_uri(self, path=None):
        return path


def test_the_consent_asks_for_offline_access_and_a_fresh_consent():
    backend = GoogleConnect(Strategy())
    assert backend.auth_extra_arguments() == {
        "access_type": "offline",
        "prompt": "consent",
        "include_granted_scopes": "true",
    }
    assert (backend.AUTHORIZATION_HOST, backend.AUTHORIZATION_PATH) == ("oauth_url", "/o/oauth2/v2/auth")
    assert (backend.TOKEN_HOST, backend.TOKEN_PATH, backend.ACCESS_TOKEN_METHOD) == ("token_url", "/token", "POST")


# --- the sandbox's shared OAuth endpoints -------------------------------------------------------
NET = "google-test"
urlpatterns = oauth_urlpatterns(
    NET,
    label="Google Test",
    scopes=("https://www.googleapis.com/auth/test",),
    inputs=[("account", "Sandbox account", "acct_1")],
    owner_from=lambda form: form.get("account") or "acct_1",
    adopt_owner=lambda token: "adopted",
)


def consent_code(client, **params):
    query = {
        "client_id": "dravo-sandbox",
        "redirect_uri": "http://app.test/cb",
        "response_type": "code",
        "scope": "https://www.googleapis.com/auth/test",
        "state": "st",
        "access_type": "offline",
        **params,
    }
    page = client.get("/o/oauth2/v2/auth", query)
    assert page.status_code == 200 and b"Google Test" in page.content
    answer = client.post("/o/oauth2/v2/auth", {**query, "decision": "allow", "account": "acct_9"})
    location = parse_qs(answer["Location"].split("?", 1)[1])
    assert location["state"] == ["st"]
    return location["code"][0]


def token(client, **form):
    return client.post("/token", {"client_id": "dravo-sandbox", "client_secret": "dravo-sandbox-secret", **form})


@pytest.fixture
def google_sandbox(settings, db):
    settings.SANDBOX_ENABLED = True


@pytest.mark.urls(__name__)
def test_the_sandbox_consent_gives_a_refresh_token_that_refreshes_without_rotating(client, google_sandbox):
    code = consent_code(client)
    first = token(client, grant_type="authorization_code", code=code, redirect_uri="http://app.test/cb").json()
    assert first["expires_in"] == 3599 and first["refresh_token"].startswith("1//")
    again = token(client, grant_type="authorization_code", code=code, redirect_uri="http://app.test/cb")
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"
    for _ in range(2):
        refreshed = token(client, grant_type="refresh_token", refresh_token=first["refresh_token"]).json()
        assert refreshed["access_token"] != first["access_token"] and "refresh_token" not in refreshed
    assert client.post(f"/revoke?token={first['refresh_token']}").status_code == 200
    refused = token(client, grant_type="refresh_token", refresh_token=first["refresh_token"])
    assert refused.status_code == 400 and refused.json() == {
        "error": "invalid_grant",
        "error_description": "Token has been expired or revoked.",
    }


@pytest.mark.urls(__name__)
def test_the_sandbox_token_endpoint_wants_the_app_and_offline_access_for_a_refresh_token(client, google_sandbox):
    code = consent_code(client, access_type="online")
    wrong = client.post("/token", {"client_id": "dravo-sandbox", "client_secret": "no", "grant_type": "x"})
    assert wrong.status_code == 401 and wrong.json()["error"] == "invalid_client"
    online = token(client, grant_type="authorization_code", code=code, redirect_uri="http://app.test/cb").json()
    assert "refresh_token" not in online
    adopted = token(client, grant_type="refresh_token", refresh_token="1//never-seen")
    assert adopted.status_code == 200


def test_the_sandbox_error_answer_reads_back_through_parse_error(rsps):
    from sandbox.google import error

    sandbox_answer = error(403, "quotaExceeded", "Over quota.", domain="youtube.quota")
    rsps.get(API, body=sandbox_answer.content, status=403, content_type="application/json")
    assert parse_error(requests.get(API, timeout=5)) == (403, "quotaExceeded", "Over quota.")
