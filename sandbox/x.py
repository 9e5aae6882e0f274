"""The X sandbox: the API v2 subset Dravo uses, under /sandbox/x/.

OAuth 2.0 with PKCE (`/i/oauth2/authorize`, `/2/oauth2/token`), `/2/users/me` (with
`public_metrics` when asked),
`/2/users/{id}/tweets`, `POST /2/tweets`, `GET /2/tweets/{id}` with metrics, and media
upload (simple, and chunked with `processing_info`). Errors are problem+json as X sends
them; rules enforced: weighted 280, ≤ 4 images or 1 GIF/video, poll XOR media, duplicate
text → 403, media must have `succeeded` before it is attached. The x.com path of a post
(`/{username}/status/{id}`) answers the sandbox's page of the post.
"""

import base64
import hashlib
import json
import time
from functools import wraps

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.urls import path
from django.utils.html import format_html
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from twitter_text import parse_tweet

from sandbox import core, oauth

NETWORK = "x"
MB = 1024 * 1024
INVALID_REQUEST = "https://api.x.com/2/problems/invalid-request"
TWEET_FIELDS = frozenset(
    "text media poll reply quote_tweet_id reply_settings for_super_followers_only geo nullcast made_with_ai"
    " paid_partnership community_id card_uri edit_options".split()
)
REPLY_SETTINGS = ("following", "mentionedUsers", "subscribers", "verified")
CATEGORIES = {
    "tweet_image": ("3", 5 * MB),
    "tweet_gif": ("7", 15 * MB),
    "tweet_video": ("13", 512 * MB),
    "amplify_video": ("13", 512 * MB),
}
PUBLIC = dict(impression_count=40, like_count=4, retweet_count=1, reply_count=1, quote_count=0.5, bookmark_count=1)
NON_PUBLIC = dict(impression_count=40, url_link_clicks=2, user_profile_clicks=1, engagements=6)
ORGANIC = dict(
    impression_count=40, like_count=4, reply_count=1, retweet_count=1, url_link_clicks=2, user_profile_clicks=1
)
# The user's `public_metrics` (per-account rates of core.account_metrics).
USER_METRIC_RATES = dict(followers_count=700, following_count=220, tweet_count=150, listed_count=6, like_count=400)
SANDBOX_USER = core.account_id_for("x-sandbox-user", 19)  # who "signs in" on the consent page
CODE_LIFETIME_S = 30
TOKEN_LIFETIME_S = 7200
BAD_TOKEN = "Value passed for the token was invalid."
SCOPES = ("tweet.read", "tweet.write", "users.read", "media.write", "offline.access")


# --- answers -------------------------------------------------------------------------------
def _json(body: dict, status: int = 200, *, content_type="application/json", headers=None) -> JsonResponse:
    """X sends its rate-limit headers on every answer."""
    response = JsonResponse(body, status=status, content_type=content_type)
    response["x-rate-limit-limit"] = "100"
    response["x-rate-limit-remaining"] = "99"
    response["x-rate-limit-reset"] = str(int(time.time()) + 900)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _problem(status: int, title: str, detail: str, type_: str = "about:blank", **extra) -> JsonResponse:
    body = {"title": title, "detail": detail, "type": type_, "status": status, **extra}
    return _json(body, status, content_type="application/problem+json")


def _invalid(message: str, parameter: str = "") -> JsonResponse:
    errors = [{"parameters": {parameter: []} if parameter else {}, "message": message}]
    detail = "One or more parameters to your request was invalid."
    return _problem(400, "Invalid Request", detail, INVALID_REQUEST, errors=errors)


def _unauthorized() -> JsonResponse:
    return _problem(401, "Unauthorized", "Unauthorized")


def _forbidden(detail: str) -> JsonResponse:
    return _problem(403, "Forbidden", detail)


def _rate_limited() -> JsonResponse:
    reset = str(int(time.time()) + 1)
    response = _problem(429, "Too Many Requests", "Too Many Requests")
    response["x-rate-limit-remaining"] = "0"
    response["x-rate-limit-reset"] = reset
    response["Retry-After"] = "1"
    return response


def _oauth_error(status: int, error: str, description: str) -> JsonResponse:
    return _json({"error": error, "error_description": description}, status)


# --- who is calling ---------------------------------------------------------------------------
def _authed(view):
    """X's 401 for a refused token; otherwise `request.x_token` and `request.x_user` set
    (the user the token was issued for or bound to, else one derived from it)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        token = core.bearer_token(request)
        if core.is_refused_token(token):
            return _unauthorized()
        # a connect's verify() names the user of a token the sandbox never saw
        record = core.token_binding(NETWORK, token, request)
        request.x_token = token
        request.x_user = record.owner if record else core.account_id_for(token, 19)
        return view(request, *args, **kwargs)

    return wrapper


def _user(user_id: str) -> dict:
    return {"id": user_id, "name": f"Sandbox X {user_id[-4:]}", "username": f"sandbox_{user_id[-6:]}"}


def _publish_refusal(request, text: str, continuation: bool) -> JsonResponse | None:
    """The account's sandbox behaviour at the first step of a publish (`POST /2/tweets`).
    Thread continuations are spared the first-attempt failures, as a retry resumes them."""
    behavior = request.sandbox.name
    if behavior == "token_expired":
        return _unauthorized()
    if behavior == "rejects":
        return _forbidden(core.REJECT_REASON)
    if (
        behavior in ("rate_limited", "flaky")
        and not continuation
        and core.first_attempt(NETWORK, request.x_token, text)
    ):
        return (
            _rate_limited()
            if behavior == "rate_limited"
            else _problem(503, "Service Unavailable", "Service Unavailable")
        )
    return None


def _body(request) -> dict | None:
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


# --- users and posts ---------------------------------------------------------------------------
@core.sandbox_view
@require_GET
@_authed
def users_me(request):
    """The token's user; `user.fields` may add `profile_image_url` and `public_metrics`
    (the account's counts, from core.account_metrics)."""
    data = _user(request.x_user)
    fields = request.GET.get("user.fields", "").split(",")
    if "profile_image_url" in fields:
        data["profile_image_url"] = "https://pbs.twimg.com/profile_images/sandbox_normal.png"
    if "public_metrics" in fields:
        data["public_metrics"] = core.account_metrics(request.x_user, USER_METRIC_RATES)
    return _json({"data": data})


@core.sandbox_view
@require_GET
@_authed
def user_posts(request, user_id: str):
    count = request.GET.get("max_results", "10")
    if not count.isdigit() or not 5 <= int(count) <= 100:
        return _invalid("The `max_results` query parameter value is not between 5 and 100", "max_results")
    posts = core.record_list(NETWORK, "post", owner=user_id)
    if "replies" in request.GET.get("exclude", ""):
        posts = posts.filter(data__reply_to="")
    data = [_post_data(record, set()) for record in posts[: int(count)]]
    meta = {"result_count": len(data)}
    if data:
        meta.update(newest_id=data[0]["id"], oldest_id=data[-1]["id"])
    return _json({"data": data, "meta": meta} if data else {"meta": meta})


@core.sandbox_view
@require_POST
@_authed
def create_post(request):
    body = _body(request)
    if body is None:
        return _invalid("The request body is not valid JSON.")
    text = body.get("text") or ""
    reply_to = str((body.get("reply") or {}).get("in_reply_to_tweet_id") or "")
    parent = core.record_get(NETWORK, "post", reply_to) if reply_to else None
    refusal = _publish_refusal(request, text, continuation=bool(parent and parent.owner == request.x_user))
    problem = refusal or _post_problem(request.x_user, body, text)
    if problem:
        return problem
    post_id = core.numeric_id(19)
    media_ids = (body.get("media") or {}).get("media_ids") or []
    core.record_create(
        NETWORK,
        "post",
        post_id,
        owner=request.x_user,
        text=text,
        media_ids=media_ids,
        poll=body.get("poll"),
        reply_to=reply_to,
        quote=body.get("quote_tweet_id") or "",
        reply_settings=body.get("reply_settings") or "",
    )
    return _json({"data": {"id": post_id, "text": text, "edit_history_post_ids": [post_id]}}, 201)


def _post_problem(owner: str, body: dict, text: str) -> JsonResponse | None:
    """The rules of `POST /2/tweets` the sandbox enforces, in X's order of checking."""
    unknown = sorted(set(body) - TWEET_FIELDS)
    media_ids = (body.get("media") or {}).get("media_ids") or []
    if unknown:
        return _invalid(f"The following fields are not allowed: {', '.join(unknown)}", unknown[0])
    if not text and not media_ids:
        return _invalid("The text field is required unless media is given.", "text")
    if parse_tweet(text).weightedLength > 280:
        return _forbidden("Your Tweet text is too long. Weighted length must not exceed 280.")
    if body.get("reply_settings") not in (None, *REPLY_SETTINGS):
        return _invalid(f"reply_settings must be one of {', '.join(REPLY_SETTINGS)}", "reply_settings")
    problem = _media_problem(owner, media_ids) or _poll_problem(body) or _reference_problem(body)
    if problem:
        return problem
    if text and core.text_taken(NETWORK, owner, text):
        return _forbidden("You are not allowed to create a Tweet with duplicate content.")
    return None


def _media_problem(owner: str, media_ids) -> JsonResponse | None:
    if not isinstance(media_ids, list) or len(media_ids) > 4:
        return _invalid("media.media_ids must hold 1 to 4 media ids.", "media.media_ids")
    records = [core.record_get(NETWORK, "media", str(media_id)) for media_id in media_ids]
    if any(record is None or record.owner != owner for record in records):
        return _invalid("Your media IDs are invalid.", "media.media_ids")
    if len(records) > 1 and any(record.data["category"] != "tweet_image" for record in records):
        return _invalid("A GIF or a video cannot be combined with other media.", "media.media_ids")
    for record in records:
        if record.status != "succeeded":
            return _invalid(f"Media {record.object_id} is not ready (state {record.status}).", "media.media_ids")
    return None


def _poll_problem(body: dict) -> JsonResponse | None:
    poll = body.get("poll")
    if poll is None:
        return None
    if body.get("media") or body.get("quote_tweet_id"):
        return _invalid("A poll cannot be combined with media or a quote.", "poll")
    options = poll.get("options") if isinstance(poll, dict) else None
    if not isinstance(options, list) or not 2 <= len(options) <= 4:
        return _invalid("poll.options must hold 2 to 4 options.", "poll.options")
    if any(not isinstance(o, str) or not 1 <= len(o) <= 25 for o in options):
        return _invalid("Each poll option must be 1 to 25 characters.", "poll.options")
    minutes = poll.get("duration_minutes")
    if not isinstance(minutes, int) or not 5 <= minutes <= 10080:
        return _invalid("poll.duration_minutes must be between 5 and 10080.", "poll.duration_minutes")
    return None


def _reference_problem(body: dict) -> JsonResponse | None:
    reply_to = (body.get("reply") or {}).get("in_reply_to_tweet_id")
    if reply_to and not core.record_get(NETWORK, "post", str(reply_to)):
        return _forbidden("You attempted to reply to a Tweet that is deleted or not visible to you.")
    quote = body.get("quote_tweet_id")
    if quote and not core.record_get(NETWORK, "post", str(quote)):
        return _forbidden("You attempted to quote a Tweet that is deleted or not visible to you.")
    return None


@core.sandbox_view
@require_GET
@_authed
def get_post(request, post_id: str):
    record = core.record_get(NETWORK, "post", post_id)
    if record is None:
        return _json(
            {
                "errors": [
                    _field_error(
                        post_id,
                        "id",
                        f"Could not find tweet with id: [{post_id}].",
                        "Not Found Error",
                        "resource-not-found",
                    )
                ]
            }
        )
    fields = set(filter(None, request.GET.get("tweet.fields", "").split(",")))
    private = sorted(fields & {"non_public_metrics", "organic_metrics"})
    if private and record.owner != request.x_user:
        errors = [
            _field_error(
                post_id,
                name,
                f"Sorry, you are not authorized to access '{name}' on a Tweet.",
                "Field Authorization Error",
                "not-authorized-for-field",
            )
            for name in private
        ]
        return _json({"errors": errors})
    return _json({"data": _post_data(record, fields)})


def _field_error(post_id: str, parameter: str, detail: str, title: str, kind: str) -> dict:
    return {
        "value": post_id,
        "detail": detail,
        "title": title,
        "resource_type": "tweet",
        "parameter": parameter,
        "resource_id": post_id,
        "type": f"https://api.x.com/2/problems/{kind}",
    }


def _post_data(record, fields: set) -> dict:
    """X answers text HTML-escaped (&amp; &lt; &gt;)."""
    text = record.data.get("text", "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    data = {"id": record.object_id, "text": text, "edit_history_tweet_ids": [record.object_id]}
    if "created_at" in fields:
        data["created_at"] = record.created_at.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    for name, rates in (("public_metrics", PUBLIC), ("non_public_metrics", NON_PUBLIC), ("organic_metrics", ORGANIC)):
        if name in fields:
            data[name] = core.grown_metrics(record, rates)
    return data


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
    return None


def _media_answer(record, **extra) -> dict:
    prefix = CATEGORIES[record.data["category"]][0]
    media_id = record.object_id
    data = {"id": media_id, "media_key": f"{prefix}_{media_id}", "expires_after_secs": 86400, **extra}
    return {"data": data}


@core.sandbox_view
@require_http_methods(["GET", "POST"])
@_authed
def media_upload(request):
    """POST: simple image upload (multipart `media`). GET: `command=STATUS&media_id=…`."""
    if request.method == "GET":
        return _media_status(request)
    if request.sandbox.name == "token_expired":
        return _unauthorized()
    upload, category = request.FILES.get("media"), request.POST.get("media_category", "tweet_image")
    if upload is None:
        return _invalid("The media field is required.", "media")
    if category != "tweet_image":
        return _invalid("Videos and GIFs use the chunked upload (initialize/append/finalize).", "media_category")
    if upload.size > 5 * MB:
        return _invalid(f"File size exceeds {5 * MB} bytes.", "media")
    mime = _sniff(upload.read(16))
    if mime not in ("image/png", "image/jpeg", "image/gif", "image/webp"):
        return _invalid("Unsupported media type: images are JPG, PNG, GIF or WEBP.", "media")
    media_id = core.numeric_id(19)
    record = core.record_create(
        NETWORK,
        "media",
        media_id,
        owner=request.x_user,
        status="succeeded",
        category=category,
        media_type=mime,
        size=upload.size,
    )
    return _json(_media_answer(record, size=upload.size, image={"image_type": mime}))


def _media_status(request):
    if request.GET.get("command") != "STATUS":
        return _invalid("command must be STATUS.", "command")
    record = core.record_get(NETWORK, "media", request.GET.get("media_id", ""))
    if record is None or record.owner != request.x_user:
        return _invalid("Invalid media_id.", "media_id")
    if record.status in ("pending", "in_progress"):  # each read moves processing one step on
        record.status = "in_progress" if record.status == "pending" else record.data["outcome"]
        record.save(update_fields=["status", "updated_at"])
    if record.data["category"] == "tweet_image":
        return _json(_media_answer(record))
    return _json(_media_answer(record, processing_info=_processing(record)))


def _processing(record) -> dict:
    info = {"state": record.status, "progress_percent": {"pending": 0, "in_progress": 50}.get(record.status, 100)}
    if record.status in ("pending", "in_progress"):
        info["check_after_secs"] = 1
    if record.status == "failed":
        info["error"] = {"code": 1, "name": "InvalidMedia", "message": "Invalid or Unsupported media."}
    return info


@core.sandbox_view
@require_POST
@_authed
def media_initialize(request):
    if request.sandbox.name == "token_expired":
        return _unauthorized()
    body = _body(request) or {}
    category, total = body.get("media_category", "tweet_video"), body.get("total_bytes")
    if category not in CATEGORIES:
        return _invalid(f"media_category must be one of {', '.join(CATEGORIES)}.", "media_category")
    if not isinstance(total, int) or not 0 < total <= CATEGORIES[category][1]:
        return _invalid(f"total_bytes must be 1 to {CATEGORIES[category][1]} for {category}.", "total_bytes")
    if not isinstance(body.get("media_type"), str):
        return _invalid("media_type is required.", "media_type")
    record = core.record_create(
        NETWORK,
        "media",
        core.numeric_id(19),
        owner=request.x_user,
        status="initialized",
        category=category,
        media_type=body["media_type"],
        total_bytes=total,
        received=0,
        head="",
    )
    return _json(_media_answer(record))


def _initialized(request, media_id: str):
    record = core.record_get(NETWORK, "media", media_id)
    if record is None or record.owner != request.x_user or record.status != "initialized":
        return None
    return record


@core.sandbox_view
@require_POST
@_authed
def media_append(request, media_id: str):
    record, chunk = _initialized(request, media_id), request.FILES.get("media")
    segment = request.POST.get("segment_index", "")
    if record is None:
        return _invalid("Invalid media_id: not an upload in progress.", "id")
    if chunk is None or not segment.isdigit() or int(segment) > 999:
        return _invalid("A media chunk and a segment_index of 0 to 999 are required.", "segment_index")
    data = chunk.read()
    if segment == "0":
        record.data["head"] = data[:16].hex()
    record.data["received"] += len(data)
    record.save(update_fields=["data", "updated_at"])
    return _json({"data": {"expires_at": int(time.time()) + 86400}})


@core.sandbox_view
@require_POST
@_authed
def media_finalize(request, media_id: str):
    record = _initialized(request, media_id)
    if record is None:
        return _invalid("Invalid media_id: not an upload in progress.", "id")
    if record.data["received"] != record.data["total_bytes"]:
        return _invalid("Segments do not add up to provided total file size.", "id")
    sniffed = _sniff(bytes.fromhex(record.data["head"]))
    expected = {"video/quicktime": "video/mp4"}.get(record.data["media_type"], record.data["media_type"])
    record.data["outcome"] = "succeeded" if sniffed == expected else "failed"
    image = record.data["category"] == "tweet_image"
    record.status = record.data["outcome"] if image else "pending"
    record.save(update_fields=["data", "status", "updated_at"])
    if image:
        return _json(_media_answer(record, size=record.data["total_bytes"]))
    return _json(_media_answer(record, size=record.data["total_bytes"], processing_info=_processing(record)))


# --- OAuth 2.0 with PKCE ----------------------------------------------------------------------------
def _authorize_error(params) -> str | None:
    if params.get("client_id") != settings.SANDBOX_APP["client_id"]:
        return "Unknown client_id."
    if params.get("response_type") != "code":
        return "response_type must be code."
    missing = [name for name in ("redirect_uri", "state", "scope", "code_challenge") if not params.get(name)]
    if missing:
        return f"Missing {', '.join(missing)} (PKCE is required)."
    if params.get("code_challenge_method", "plain").lower() not in ("s256", "plain"):
        return "code_challenge_method must be S256 or plain."
    return None


@core.sandbox_view
@require_http_methods(["GET", "POST"])
def authorize(request):
    """The consent page: GET shows it, POST (Allow/Deny) redirects to redirect_uri."""
    params = request.POST if request.method == "POST" else request.GET
    error = _authorize_error(params)
    if error:
        page = format_html("<!doctype html><title>X sandbox</title><p>Something went wrong: {}</p>", error)
        return HttpResponse(page, status=400)
    if request.method == "GET":
        keep = ("response_type", "client_id", "redirect_uri", "scope", "state", "code_challenge")
        keep += ("code_challenge_method",)
        signed_in = "@" + _user(SANDBOX_USER)["username"]
        return oauth.consent_page(
            request, network="X", params=params, client_id=params["client_id"], scopes=params["scope"].split(),
            keep=keep, signed_in_as=signed_in,
        )
    return oauth.consent_decision(
        NETWORK,
        params,
        redirect_uri=params["redirect_uri"],
        state=params["state"],
        owner=SANDBOX_USER,
        scope=params["scope"],
        challenge=params["code_challenge"],
        method=params.get("code_challenge_method", "plain").lower(),
    )


@core.sandbox_view
@require_POST
def token(request):
    """`POST /2/oauth2/token`: authorization_code (PKCE) and rotating refresh_token grants."""
    client_id, secret = _client_credentials(request)
    app = settings.SANDBOX_APP
    if client_id != app["client_id"] or secret not in (None, app["client_secret"]):
        return _oauth_error(401, "unauthorized_client", "Missing valid authorization header")
    grant = request.POST.get("grant_type")
    if grant == "authorization_code":
        return _exchange_code(request)
    if grant == "refresh_token":
        return _refresh(request)
    return _oauth_error(400, "invalid_request", "Value passed for the grant type was invalid.")


def _client_credentials(request) -> tuple[str, str | None]:
    """Basic auth (confidential client) or a `client_id` field (public client)."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("basic "):
        try:
            client_id, _, secret = base64.b64decode(header[6:]).decode().partition(":")
        except ValueError:
            return "", None
        return client_id, secret
    return request.POST.get("client_id", ""), None


def _exchange_code(request):
    record, why = oauth.redeem_code(
        NETWORK, request.POST.get("code", ""), redirect_uri=request.POST.get("redirect_uri"), lifetime_s=CODE_LIFETIME_S
    )
    if why == "redirect_uri":
        return _oauth_error(400, "invalid_request", "Value passed for the redirect uri was invalid.")
    if record is None:
        return _oauth_error(400, "invalid_request", "Value passed for the authorization code was invalid.")
    if not _pkce_ok(request.POST.get("code_verifier", ""), record.data["challenge"], record.data["method"]):
        return _oauth_error(400, "invalid_request", "Value passed for the code verifier was invalid.")
    return _issue_tokens(record.owner, record.data["scope"])


def _pkce_ok(verifier: str, challenge: str, method: str) -> bool:
    if method == "s256":
        digest = hashlib.sha256(verifier.encode()).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode() == challenge
    return bool(verifier) and verifier == challenge


def _refresh(request):
    refresh_token = request.POST.get("refresh_token", "")
    if request.sandbox.name == "token_expired":
        return _oauth_error(400, "invalid_request", BAD_TOKEN)
    # X rotates: the previous refresh token dies with its first use.
    adopt = {"owner": core.account_id_for(refresh_token, 19), "scope": " ".join(SCOPES)}
    record = oauth.use_refresh_token(NETWORK, refresh_token, request, adopt=adopt)
    if record is None:
        return _oauth_error(400, "invalid_request", BAD_TOKEN)
    return _issue_tokens(record.owner, record.data["scope"])


def _issue_tokens(owner: str, scope: str) -> JsonResponse:
    refresh = "offline.access" in scope.split()
    tokens = oauth.issue_tokens(NETWORK, owner, lifetime_s=TOKEN_LIFETIME_S, refresh=refresh, scope=scope)
    return _json({"token_type": "bearer", "scope": scope, **tokens})


# --- the public website: the page of a post -------------------------------------------------
@core.sandbox_view
@require_GET
def post_page_view(request, username: str, post_id: str):
    """x.com/{username}/status/{id}; like x.com, any username (`i` too) finds the post."""
    record = core.record_get(NETWORK, "post", post_id)
    if record is None:
        return core.post_page(request, network="X", record=None, author="")
    uploads = core.record_list(NETWORK, "media").filter(object_id__in=record.data.get("media_ids") or [])
    media = [core.PageMedia(upload.data.get("media_type", "image/").split("/")[0]) for upload in uploads]
    author = f"@{_user(record.owner)['username']}"
    return core.post_page(request, network="X", record=record, author=author, media=media)


def demo_credentials(token: str) -> dict:
    """The credentials besides the token that `manage.py demo_setup` connects a sandbox
    account of this network with."""
    return {}


urlpatterns = [
    path("<str:username>/status/<str:post_id>", post_page_view, name="sandbox-x-post"),
    path("i/oauth2/authorize", authorize, name="sandbox-x-authorize"),
    path("2/oauth2/authorize", authorize),
    path("2/oauth2/token", token, name="sandbox-x-token"),
    path("2/users/me", users_me),
    path("2/users/<str:user_id>/tweets", user_posts),
    path("2/tweets", create_post),
    path("2/tweets/<str:post_id>", get_post),
    path("2/media/upload", media_upload),
    path("2/media/upload/initialize", media_initialize),
    path("2/media/upload/<str:media_id>/append", media_append),
    path("2/media/upload/<str:media_id>/finalize", media_finalize),
]
