"""The Mastodon sandbox: one imitation instance under /sandbox/mastodon/, with the subset
of the Mastodon API Dravo uses, written from the documentation at
https://docs.joinmastodon.org/methods/ .

Apps (`POST /api/v1/apps`), OAuth 2.0 with PKCE (`/oauth/authorize` consent page,
`/oauth/token`; tokens never expire, no refresh grant), `GET /api/v1/accounts/verify_credentials`,
`GET /api/v2/instance` (upstream default limits), the Account entity with its
`followers_count`, `following_count` and `statuses_count` (core.account_metrics), media (`POST /api/v2/media`: 200 for
images, 202 and `url: null` for a video or GIF still processing; `GET /api/v1/media/:id`:
206 until processed, each read moves it on), `POST /api/v1/statuses` (with
`Idempotency-Key`: the same key within an hour answers the status already made),
`GET /api/v1/statuses/:id` with growing counts, `GET /api/v1/accounts/:id/statuses`, and
the public page of a status (`/@username/:id`, `/statuses/:id`). Errors are Mastodon's
`{"error": …}` with its status codes; the length is counted as the server counts it
(grapheme clusters of content warning plus text, each URL 23, a mention without its
domain); 429s carry `X-RateLimit-Reset` as an ISO 8601 time.
"""

import base64
import hashlib
import json
import re
import secrets
from datetime import timedelta
from functools import wraps

import regex
from django.http import HttpResponse, JsonResponse
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sandbox import core, oauth

NETWORK = "mastodon"
LABEL = "Mastodon"
MB = 1024 * 1024
MAX_CHARS, MAX_MEDIA, URL_CHARS = 500, 4, 23
POLL_OPTIONS, POLL_OPTION_CHARS, POLL_MIN, POLL_MAX = 4, 50, 300, 2_629_746
IMAGE_LIMIT, VIDEO_LIMIT = 16 * MB, 103_809_024
IMAGE_TYPES = ("image/jpeg", "image/png", "image/gif", "image/webp", "image/heic", "image/heif", "image/avif")
VIDEO_TYPES = ("video/mp4", "video/quicktime", "video/webm")
VISIBILITIES = ("public", "unlisted", "private", "direct")
SANDBOX_USER = core.account_id_for("mastodon-sandbox-user", 18)  # who "signs in" on the consent page
AUTHORIZE_PARAMS = (
    "response_type",
    "client_id",
    "redirect_uri",
    "scope",
    "state",
    "code_challenge",
    "code_challenge_method",
)
BAD_TOKEN = "The access token is invalid"
NOT_PROCESSED = "Cannot attach files that have not finished processing. Try again in a moment!"
COUNTS = dict(favourites_count=3, reblogs_count=1, replies_count=0.6)
ACCOUNT_COUNTS = dict(followers_count=240, following_count=180, statuses_count=60)  # per-account rates
# What the server counts (app/validators/status_length_validator.rb): URLs and mentions.
URL = re.compile(r"(?<![\w@/])https?://[^\s<>\"]+", re.IGNORECASE)
MENTION = re.compile(r"(?<![/\w])@([a-z0-9_]+(?:[a-z0-9_.-]+[a-z0-9_]+)?)(?:@[\w.-]+\w)?", re.IGNORECASE)


# --- answers ------------------------------------------------------------------------------------
def _json(body, status: int = 200, *, headers=None) -> JsonResponse:
    response = JsonResponse(body, status=status, safe=False)
    response["X-RateLimit-Limit"] = "300"
    response["X-RateLimit-Remaining"] = "299"
    response["X-RateLimit-Reset"] = _iso(timezone.now() + timedelta(minutes=5))
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _error(status: int, message: str, description: str = "") -> JsonResponse:
    body = {"error": message, **({"error_description": description} if description else {})}
    return _json(body, status)


def _rate_limited() -> JsonResponse:
    response = _error(429, "Too many requests")
    response["X-RateLimit-Remaining"] = "0"
    response["X-RateLimit-Reset"] = _iso(timezone.now() + timedelta(seconds=1))
    return response


def _iso(moment) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%f") + "Z"


def _length(text: str, spoiler: str) -> int:
    countable = URL.sub(lambda m: "x" * URL_CHARS + m.group(0)[len(m.group(0).rstrip(".,:;!?)]}'\"")) :], text)
    countable = MENTION.sub(lambda m: "@" + m.group(1), countable)
    return len(regex.findall(r"\X", spoiler + countable))


def _params(request) -> dict:
    """A JSON body, or form fields (`media_ids[]`, `poll[options][]` as lists)."""
    if request.content_type == "application/json":
        try:
            body = json.loads(request.body or b"{}")
        except ValueError:
            return {}
        return body if isinstance(body, dict) else {}
    body = {}
    for key in request.POST:
        values = request.POST.getlist(key)
        if key.endswith("[]"):
            body[key[:-2]] = values
        else:
            body[key] = values[-1]
    poll = {k[5:-1].split("]")[0]: v for k, v in body.items() if k.startswith("poll[")}
    if poll:
        body["poll"] = poll
    return body


# --- who is calling ------------------------------------------------------------------------------
def _authed(view):
    """401 for a refused token; else `request.owner` (the account the token was issued for or
    bound to at connect, else one derived from it)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        token = core.bearer_token(request)
        if core.is_refused_token(token) or core.record_get(NETWORK, "revoked", token):
            return _error(401, BAD_TOKEN)
        claimed = core.claimed_account(request).split("@")[0]
        record = core.token_binding(NETWORK, token, request, owner=claimed)
        request.token = token
        request.owner = record.owner if record else core.account_id_for(token, 18)
        return view(request, *args, **kwargs)

    return wrapper


def _root(request) -> str:
    return request.build_absolute_uri("/sandbox/mastodon").rstrip("/")


def _account(request, owner: str) -> dict:
    username = f"sandbox_{owner[-6:]}"
    return {
        "id": owner,
        "username": username,
        "acct": username,
        "display_name": f"Sandbox Mastodon {owner[-4:]}",
        "url": f"{_root(request)}/@{username}",
        "locked": False,
        "bot": False,
        **core.account_metrics(owner, ACCOUNT_COUNTS),
    }


# --- instance and accounts ------------------------------------------------------------------------
@core.sandbox_view
@require_GET
def instance(request):
    """`GET /api/v2/instance`: public; the limits are upstream Mastodon's defaults."""
    configuration = {
        "urls": {"streaming": ""},
        "accounts": {"max_featured_tags": 10},
        "statuses": {
            "max_characters": MAX_CHARS,
            "max_media_attachments": MAX_MEDIA,
            "characters_reserved_per_url": URL_CHARS,
        },
        "media_attachments": {
            "supported_mime_types": list(IMAGE_TYPES + VIDEO_TYPES),
            "description_limit": 1500,
            "image_size_limit": IMAGE_LIMIT,
            "image_matrix_limit": 33_177_600,
            "video_size_limit": VIDEO_LIMIT,
            "video_frame_rate_limit": 120,
            "video_matrix_limit": 8_294_400,
        },
        "polls": {
            "max_options": POLL_OPTIONS,
            "max_characters_per_option": POLL_OPTION_CHARS,
            "min_expiration": POLL_MIN,
            "max_expiration": POLL_MAX,
        },
    }
    body = {
        "domain": request.get_host(),
        "title": "Mastodon sandbox",
        "version": "4.5.0",
        "api_versions": {"mastodon": 7},
        "configuration": configuration,
        "registrations": {"enabled": False},
    }
    return _json(body)


@core.sandbox_view
@require_GET
@_authed
def verify_credentials(request):
    return _json(_account(request, request.owner))


@core.sandbox_view
@require_GET
@_authed
def account_statuses(request, account_id: str):
    limit = request.GET.get("limit", "20")
    limit = min(int(limit), 40) if limit.isdigit() and int(limit) > 0 else 20
    records = core.record_list(NETWORK, "post", owner=account_id)[:limit]
    return _json([_status(request, record) for record in records])


# --- statuses ------------------------------------------------------------------------------------
def _status(request, record) -> dict:
    data = record.data
    account = _account(request, record.owner)
    counts = core.grown_metrics(record, COUNTS)
    uploads = core.record_list(NETWORK, "media").filter(object_id__in=data.get("media_ids") or [])
    paragraphs = "".join(format_html("<p>{}</p>", part) for part in (data.get("text") or "").split("\n\n") if part)
    return {
        "id": record.object_id,
        "created_at": record.created_at.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        "in_reply_to_id": data.get("in_reply_to_id") or None,
        "in_reply_to_account_id": data.get("in_reply_to_account_id") or None,
        "sensitive": bool(data.get("sensitive")),
        "spoiler_text": data.get("spoiler_text", ""),
        "visibility": data.get("visibility", "public"),
        "language": data.get("language") or "en",
        "uri": f"{_root(request)}/users/{account['username']}/statuses/{record.object_id}",
        "url": f"{_root(request)}/@{account['username']}/{record.object_id}",
        "content": paragraphs.replace("\n", "<br />"),
        "account": account,
        "media_attachments": [_attachment(request, upload) for upload in uploads],
        "poll": data.get("poll"),
        "quotes_count": 0,
        **counts,
    }


def _publish_refusal(request, continuation: bool) -> JsonResponse | None:
    behavior = request.sandbox.name
    if behavior == "token_expired":
        return _error(401, BAD_TOKEN)
    if behavior == "rejects":
        return _error(422, f"Validation failed: {core.REJECT_REASON}")
    key = request.headers.get("Idempotency-Key", "") or secrets.token_hex(8)
    if behavior in ("rate_limited", "flaky") and not continuation and core.first_attempt(NETWORK, request.token, key):
        return _rate_limited() if behavior == "rate_limited" else _error(503, "Service Unavailable")
    return None


@core.sandbox_view
@require_POST
@_authed
def create_status(request):
    body = _params(request)
    key = request.headers.get("Idempotency-Key", "")
    if key:  # the server keeps a key for an hour, per account
        seen = core.record_get(NETWORK, "idempotency", f"{request.owner}:{key}")
        if seen and timezone.now() - seen.created_at < timedelta(hours=1):
            return _json(_status(request, core.record_get(NETWORK, "post", seen.data["status_id"])))
    parent = core.record_get(NETWORK, "post", str(body.get("in_reply_to_id") or ""))
    refusal = _publish_refusal(request, continuation=bool(parent and parent.owner == request.owner))
    problem = refusal or _status_problem(request.owner, body)
    if problem:
        return problem
    status_id = core.numeric_id(18)
    record = core.record_create(
        NETWORK,
        "post",
        status_id,
        owner=request.owner,
        text=body.get("status") or "",
        spoiler_text=body.get("spoiler_text") or "",
        media_ids=[str(i) for i in body.get("media_ids") or []],
        poll=_poll_entity(body.get("poll")),
        in_reply_to_id=str(body.get("in_reply_to_id") or ""),
        in_reply_to_account_id=parent.owner if parent else "",
        sensitive=body.get("sensitive") in (True, "true", "1"),
        visibility=body.get("visibility") or "public",
        language=body.get("language") or "",
    )
    if key:
        core.record_create(NETWORK, "idempotency", f"{request.owner}:{key}", owner=request.owner, status_id=status_id)
    return _json(_status(request, record))


def _status_problem(owner: str, body: dict) -> JsonResponse | None:
    """The checks of PostStatusService and the status validators, in their order."""
    text, spoiler = str(body.get("status") or ""), str(body.get("spoiler_text") or "")
    media_ids = body.get("media_ids") or []
    if body.get("visibility") not in (None, "", *VISIBILITIES):
        return _error(422, "Validation failed: Visibility is not included in the list")
    if body.get("in_reply_to_id") and not core.record_get(NETWORK, "post", str(body["in_reply_to_id"])):
        return _error(404, "Record not found")
    if not isinstance(media_ids, list) or len(media_ids) > MAX_MEDIA:
        return _error(422, f"Validation failed: You can only attach up to {MAX_MEDIA} files")
    if media_ids and body.get("poll"):
        return _error(422, "Validation failed: Cannot attach both files and a poll")
    problem = _media_problem(owner, [str(i) for i in media_ids]) or _poll_problem(body.get("poll"))
    if problem:
        return problem
    if not text.strip() and not media_ids:
        return _error(422, "Validation failed: Text can't be blank")
    if _length(text, spoiler) > MAX_CHARS:
        return _error(422, f"Validation failed: Text character limit of {MAX_CHARS} exceeded")
    return None


def _media_problem(owner: str, media_ids: list[str]) -> JsonResponse | None:
    records = [core.record_get(NETWORK, "media", media_id) for media_id in media_ids]
    if any(record is None or record.owner != owner for record in records):
        return _error(404, "Record not found")
    kinds = [record.data["type"] for record in records]
    if len(records) > 1 and any(kind != "image" for kind in kinds):
        return _error(422, "Validation failed: Cannot attach a video to a post that already contains images")
    if any(record.status != "processed" for record in records):
        return _error(422, NOT_PROCESSED)
    return None


def _poll_problem(poll) -> JsonResponse | None:
    if not poll:
        return None
    options = poll.get("options") if isinstance(poll, dict) else None
    try:
        expires_in = int(poll.get("expires_in"))
    except (TypeError, ValueError, AttributeError):
        return _error(422, "Validation failed: Poll expires at can't be blank")
    if not isinstance(options, list) or len(options) < 2:
        return _error(422, "Validation failed: Poll options must have at least 2 items")
    if len(options) > POLL_OPTIONS:
        return _error(422, f"Validation failed: Poll options must not have more than {POLL_OPTIONS} items")
    if any(len(regex.findall(r"\X", str(option))) > POLL_OPTION_CHARS for option in options):
        return _error(422, f"Validation failed: Poll options must not be longer than {POLL_OPTION_CHARS} characters")
    if not POLL_MIN <= expires_in <= POLL_MAX:
        return _error(422, "Validation failed: Poll expires at duration is out of range")
    return None


def _poll_entity(poll) -> dict | None:
    if not poll:
        return None
    expires = timezone.now() + timedelta(seconds=int(poll["expires_in"]))
    return {
        "id": core.numeric_id(8),
        "expires_at": _iso(expires),
        "expired": False,
        "multiple": poll.get("multiple") in (True, "true", "1"),
        "votes_count": 0,
        "options": [{"title": str(option), "votes_count": 0} for option in poll["options"]],
    }


@core.sandbox_view
@require_GET
def get_status(request, status_id: str):
    """Public statuses need no token; a revoked or refused one is still a 401."""
    token = core.bearer_token(request)
    if token and (core.is_refused_token(token) or core.record_get(NETWORK, "revoked", token)):
        return _error(401, BAD_TOKEN)
    record = core.record_get(NETWORK, "post", status_id)
    if record is None:
        return _error(404, "Record not found")
    return _json(_status(request, record))


# --- media ---------------------------------------------------------------------------------------
def _sniff(head: bytes) -> str | None:
    if head.startswith(b"\x89PNG"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"GIF8"):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[4:8] == b"ftyp":
        return "video/mp4"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "video/webm"
    return None


def _attachment(request, record) -> dict:
    ready = record.status == "processed"
    url = f"{_root(request)}/media_files/{record.object_id}" if ready else None
    return {
        "id": record.object_id,
        "type": record.data["type"],
        "url": url,
        "preview_url": url,
        "remote_url": None,
        "meta": {"focus": record.data.get("focus")} if record.data.get("focus") else {},
        "description": record.data.get("description") or None,
        "blurhash": None,
    }


@core.sandbox_view
@require_POST
@_authed
def upload_media(request):
    """`POST /api/v2/media`: 200 with a URL for an image, 202 with `url: null` for a video or GIF."""
    if request.sandbox.name == "token_expired":
        return _error(401, BAD_TOKEN)
    upload = request.FILES.get("file")
    if upload is None:
        return _error(422, "Validation failed: File can't be blank")
    mime = _sniff(upload.read(16))
    if mime is None:
        return _error(422, "Validation failed: File content type is invalid, File is invalid")
    kind = "image" if mime in IMAGE_TYPES and mime != "image/gif" else ("gifv" if mime == "image/gif" else "video")
    limit = VIDEO_LIMIT if kind == "video" else IMAGE_LIMIT
    if upload.size > limit:
        return _error(422, f"Validation failed: File file size must be less than {limit} Bytes")
    description = request.POST.get("description", "")
    if len(regex.findall(r"\X", description)) > 1500:
        return _error(422, "Validation failed: Description is too long (maximum is 1500 characters)")
    record = core.record_create(
        NETWORK,
        "media",
        core.numeric_id(18),
        owner=request.owner,
        status="processed" if kind == "image" else "processing",
        type=kind,
        mime=mime,
        description=description,
        focus=request.POST.get("focus", ""),
    )
    return _json(_attachment(request, record), 200 if kind == "image" else 202)


@core.sandbox_view
@require_GET
@_authed
def get_media(request, media_id: str):
    """206 while processing (each read moves it on: the second read finds it processed), 200 when ready."""
    record = core.record_get(NETWORK, "media", media_id)
    if record is None or record.owner != request.owner:
        return _error(404, "Record not found")
    if record.status == "processing":
        record.status = "almost"
        record.save(update_fields=["status", "updated_at"])
        return _json(_attachment(request, record), 206)
    if record.status == "almost":
        record.status = "processed"
        record.save(update_fields=["status", "updated_at"])
    return _json(_attachment(request, record))


# --- apps and OAuth 2.0 ----------------------------------------------------------------------------
@core.sandbox_view
@require_POST
def create_app(request):
    """`POST /api/v1/apps`: a confidential client for the given redirect URIs and scopes."""
    body = _params(request)
    uris = body.get("redirect_uris") or body.get("redirect_uri") or []
    uris = uris.split() if isinstance(uris, str) else uris
    if not body.get("client_name") or not uris:
        return _error(422, "Validation failed: Application name can't be blank, Redirect URI can't be blank")
    app = {
        "id": core.numeric_id(6),
        "name": body["client_name"],
        "website": body.get("website"),
        "scopes": (body.get("scopes") or "read").split(),
        "redirect_uris": uris,
        "redirect_uri": "\n".join(uris),
        "client_id": secrets.token_urlsafe(32),
        "client_secret": secrets.token_urlsafe(32),
        "client_secret_expires_at": 0,
    }
    core.record_create(NETWORK, "app", app["client_id"], **app)
    return _json(app)


def _authorize_error(params):
    app = core.record_get(NETWORK, "app", params.get("client_id", ""))
    if app is None:
        return "Client authentication failed due to unknown client (invalid_client)."
    if params.get("response_type") != "code":
        return "The authorization server does not support this response type."
    if params.get("redirect_uri") not in app.data["redirect_uris"]:
        return "The redirect uri included is not valid."
    if not set(params.get("scope", "read").split()) <= set(app.data["scopes"]):
        return "The requested scope is invalid, unknown, or malformed (invalid_scope)."
    if params.get("code_challenge") and params.get("code_challenge_method") != "S256":
        return "Code challenge method must be S256."
    return None


@core.sandbox_view
@require_http_methods(["GET", "POST"])
def authorize(request):
    """The consent page (the sandbox's shared one): GET shows it, POST (Allow/Deny)
    redirects to redirect_uri with a code or `error=access_denied`."""
    params = request.POST if request.method == "POST" else request.GET
    error = _authorize_error(params)
    if error:
        page = format_html("<!doctype html><title>{} sandbox</title><p>{}</p>", LABEL, error)
        return HttpResponse(page, status=400)
    if request.method == "GET":
        return oauth.consent_page(
            request,
            network=LABEL,
            params=params,
            client_id=params["client_id"],
            scopes=params.get("scope", "read").split(),
            keep=AUTHORIZE_PARAMS,
            signed_in_as=f"@sandbox_{SANDBOX_USER[-6:]}",
        )
    return oauth.consent_decision(
        NETWORK,
        params,
        redirect_uri=params["redirect_uri"],
        state=params.get("state", ""),
        owner=SANDBOX_USER,
        client_id=params["client_id"],
        scope=params.get("scope", "read"),
        challenge=params.get("code_challenge", ""),
    )


@core.sandbox_view
@require_POST
def token(request):
    """`POST /oauth/token`, grant authorization_code (client_secret_post, optional PKCE).
    Tokens never expire and come without a refresh token."""
    body = _params(request)
    app = core.record_get(NETWORK, "app", body.get("client_id", ""))
    if app is None or body.get("client_secret") != app.data["client_secret"]:
        return _error(401, "invalid_client", "Client authentication failed due to unknown client.")
    if body.get("grant_type") != "authorization_code":
        return _error(400, "unsupported_grant_type", "The authorization grant type is not supported.")
    code, _why = oauth.redeem_code(NETWORK, str(body.get("code") or ""), redirect_uri=body.get("redirect_uri"))
    invalid = _error(400, "invalid_grant", "The provided authorization grant is invalid, expired, revoked.")
    if code is None or code.data["client_id"] != app.object_id:
        return invalid
    if code.data["challenge"]:
        digest = hashlib.sha256(str(body.get("code_verifier", "")).encode()).digest()
        if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != code.data["challenge"]:
            return invalid
    tokens = oauth.issue_tokens(NETWORK, code.owner, lifetime_s=None, refresh=False, scope=code.data["scope"])
    created = int(timezone.now().timestamp())
    body = {"access_token": tokens["access_token"], "token_type": "Bearer", "scope": code.data["scope"]}
    return _json({**body, "created_at": created})


@core.sandbox_view
@require_POST
def revoke(request):
    """`POST /oauth/revoke`: the token answers 401 afterwards."""
    body = _params(request)
    token_ = str(body.get("token") or "")
    if token_ and not core.record_get(NETWORK, "revoked", token_):
        core.record_create(NETWORK, "revoked", token_)
    return _json({})


# --- the public website ---------------------------------------------------------------------------
@core.sandbox_view
@require_GET
def status_page(request, status_id: str, username: str = ""):
    record = core.record_get(NETWORK, "post", status_id)
    if record is None:
        return core.post_page(request, network=LABEL, record=None, author="")
    uploads = core.record_list(NETWORK, "media").filter(object_id__in=record.data.get("media_ids") or [])
    media = [core.PageMedia("image" if upload.data["type"] == "image" else "video") for upload in uploads]
    author = f"@{_account(request, record.owner)['username']}"
    return core.post_page(request, network=LABEL, record=record, author=author, media=media)


def demo_credentials(token: str) -> dict:
    """The credentials besides the token that `manage.py demo_setup` connects a sandbox
    account of this network with (the sandbox answers for any instance)."""
    return {"instance_url": "https://mastodon.social"}


urlpatterns = [
    path("api/v1/apps", create_app),
    path("oauth/authorize", authorize, name="sandbox-mastodon-authorize"),
    path("oauth/token", token, name="sandbox-mastodon-token"),
    path("oauth/revoke", revoke),
    path("api/v2/instance", instance),
    path("api/v1/accounts/verify_credentials", verify_credentials),
    path("api/v1/accounts/<str:account_id>/statuses", account_statuses),
    path("api/v1/statuses", create_status),
    path("api/v1/statuses/<str:status_id>", get_status),
    path("api/v2/media", upload_media),
    path("api/v1/media/<str:media_id>", get_media),
    path("@<str:username>/<str:status_id>", status_page, name="sandbox-mastodon-status"),
    path("statuses/<str:status_id>", status_page),
]
