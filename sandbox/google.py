"""What the sandboxes of Dravo's networks built on Google's APIs share: Google's error
answers, and its OAuth 2.0 web-server flow (the consent page at `/o/oauth2/v2/auth`, the
token endpoint at `/token`, revocation at `/revoke`).

Not a network's sandbox itself (no network is called this): a Google network's sandbox
module, `sandbox/<key>.py`, adds `oauth_urlpatterns(net, ...)` to its own urlpatterns
and answers its errors with `error()`. Business Profile, for instance, would call
`oauth_urlpatterns(NET, label="Business Profile", scopes=("https://www.googleapis.com/auth/business.manage",),
inputs=[...])`.

Google's rules, as the real endpoints follow them: the code is exchanged with the app's
client_id and client_secret in the form (`invalid_client` otherwise) and the same
redirect_uri; `access_type=offline` gives a refresh token with the first access token; a
refresh answers a new access token only, the refresh token staying the same (not
rotated) until it is revoked, when it answers 400 `invalid_grant`. Access tokens last an
hour (`expires_in` 3599).
"""

import secrets

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.urls import path

from sandbox import core, oauth

ACCESS_SECONDS = 3599
AUTH_PARAMS = (
    "client_id",
    "redirect_uri",
    "response_type",
    "scope",
    "state",
    "access_type",
    "prompt",
    "include_granted_scopes",
)
STATUS_NAMES = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    409: "ALREADY_EXISTS",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
}


# --- error answers --------------------------------------------------------------------------
def error(status: int, reason: str, message: str, *, domain: str = "global", headers: dict | None = None):
    """A Google API error: `{"error": {"code", "message", "errors": [{"message", "domain",
    "reason"}], "status"}}`."""
    body = {
        "error": {
            "code": status,
            "message": message,
            "errors": [{"message": message, "domain": domain, "reason": reason}],
            "status": STATUS_NAMES.get(status, "UNKNOWN"),
        }
    }
    return JsonResponse(body, status=status, headers=headers)


def unauthorized():
    return error(
        401,
        "authError",
        "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other "
        "valid authentication credential.",
    )


def token_error(name: str, description: str, status: int = 400):
    """The token endpoint's error: `{"error": "invalid_grant", "error_description": "..."}`."""
    return JsonResponse({"error": name, "error_description": description}, status=status)


# --- tokens ---------------------------------------------------------------------------------
def access_owner(net: str, request) -> str | None:
    """The owner of the request's bearer token: the one the sandbox issued it for or a
    connect bound it to; "" for a token it never saw (the network derives an account from
    it); None for a refused token."""
    token = core.bearer_token(request)
    if core.is_refused_token(token):
        return None
    record = core.token_binding(net, token, request)
    if record is not None and record.status == "revoked":
        return None
    return record.owner if record is not None else ""


def _issue(net: str, owner: str, scope: str, *, refresh: bool) -> dict:
    access = "ya29.sbx_" + secrets.token_urlsafe(32)
    core.record_create(net, "token", access, owner=owner, scope=scope)
    body = {"access_token": access, "expires_in": ACCESS_SECONDS, "scope": scope, "token_type": "Bearer"}
    if refresh:
        body["refresh_token"] = "1//sbx_" + secrets.token_urlsafe(32)
        core.record_create(net, "refresh", body["refresh_token"], owner=owner, status="live", scope=scope)
    return body


def _refresh_record(net: str, refresh_token: str, request, adopt_owner):
    """The live record of a refresh token; one the sandbox never saw is adopted as the
    account a connect names (or `adopt_owner(token)`): test-mode accounts connected with
    their own tokens. None for a refused or revoked one."""
    if core.is_refused_token(refresh_token):
        return None
    record = core.record_get(net, "refresh", refresh_token)
    if record is None:
        owner = core.claimed_account(request) or adopt_owner(refresh_token)
        record = core.record_create(net, "refresh", refresh_token, owner=owner, status="live", scope="")
    return record if record.status == "live" else None


def _app_ok(form) -> bool:
    app = settings.SANDBOX_APP
    return form.get("client_id") == app["client_id"] and form.get("client_secret") == app["client_secret"]


def token_view(net: str, *, adopt_owner):
    """POST /token: `authorization_code` (a code of the consent page, the same
    redirect_uri) or `refresh_token` (never rotated, no new refresh token in the answer),
    the app's id and secret in the form. The `token_expired` behaviour refuses refreshes."""

    @core.sandbox_view
    def token(request):
        if request.method != "POST":
            return token_error("invalid_request", "Use POST.", 405)
        form = request.POST
        if not _app_ok(form):
            return token_error("invalid_client", "The OAuth client was not found.", 401)
        grant = form.get("grant_type")
        if grant == "authorization_code":
            record, why = oauth.redeem_code(net, form.get("code", ""), redirect_uri=form.get("redirect_uri", ""))
            if record is None:
                return token_error("invalid_grant", f"Bad Request (the code is {why}).")
            offline = record.data.get("access_type") == "offline"
            return JsonResponse(_issue(net, record.owner, record.data.get("scope", ""), refresh=offline))
        if grant == "refresh_token":
            record = _refresh_record(net, form.get("refresh_token", ""), request, adopt_owner)
            if record is None or request.sandbox.name == "token_expired":
                return token_error("invalid_grant", "Token has been expired or revoked.")
            return JsonResponse(_issue(net, record.owner, record.data.get("scope", ""), refresh=False))
        return token_error("unsupported_grant_type", "Invalid grant_type.")

    return token


def revoke_view(net: str):
    """POST /revoke?token=…: a refresh token revoked answers invalid_grant from then on;
    an access token stops working."""

    @core.sandbox_view
    def revoke(request):
        value = request.GET.get("token") or request.POST.get("token", "")
        record = core.record_get(net, "refresh", value) or core.record_get(net, "token", value)
        if request.method != "POST" or record is None:
            return token_error("invalid_token", "Token expired or revoked")
        record.status = "revoked"
        record.save(update_fields=["status", "updated_at"])
        return HttpResponse(status=200)

    return revoke


def authorize_view(net: str, *, label: str, scopes: tuple[str, ...], inputs, owner_from):
    """GET /o/oauth2/v2/auth: the consent page (`inputs`: the fields naming the sandbox
    account that signs in); POST: Allow / Deny, the code remembering the scope and
    access_type. `owner_from(form)` is the account the form names."""

    @core.sandbox_view
    def authorize(request):
        params = request.GET if request.method == "GET" else request.POST
        refusal = oauth.authorize_refusal(
            params,
            unknown_client="<p>Error 401: invalid_client. The OAuth client was not found.</p>",
            client_status=401,
            bad_request="<p>Error 400: invalid_request (response_type=code, redirect_uri).</p>",
        )
        if refusal:
            return refusal
        redirect_uri = params["redirect_uri"]
        if request.method == "GET":
            return oauth.consent_page(
                request,
                network=label,
                params=params,
                client_id=params["client_id"],
                scopes=(params.get("scope") or " ".join(scopes)).split(),
                keep=AUTH_PARAMS,
                inputs=inputs,
            )
        return oauth.consent_decision(
            net,
            params,
            redirect_uri=redirect_uri,
            state=params.get("state", ""),
            owner=owner_from(params),
            scope=params.get("scope", ""),
            access_type=params.get("access_type", "online"),
        )

    return authorize


def oauth_urlpatterns(net: str, *, label: str, scopes: tuple[str, ...], inputs, owner_from, adopt_owner):
    """The OAuth endpoints of a Google network's sandbox, at Google's paths (the sandbox
    stands in for both accounts.google.com and oauth2.googleapis.com)."""
    return [
        path(
            "o/oauth2/v2/auth",
            authorize_view(net, label=label, scopes=scopes, inputs=inputs, owner_from=owner_from),
            name=f"sandbox-{net}-authorize",
        ),
        path("token", token_view(net, adopt_owner=adopt_owner), name=f"sandbox-{net}-token"),
        path("revoke", revoke_view(net), name=f"sandbox-{net}-revoke"),
    ]
