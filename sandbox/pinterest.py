"""Sandbox Pinterest: the subset of Pinterest's API v5 Dravo uses, mounted at
/sandbox/pinterest/ in place of api.pinterest.com, www.pinterest.com and the media
upload host.

Written from Pinterest's API v5 reference (spec 5.23): `POST /v5/pins` takes `board_id`
(a numeric string of a board the user owns, else 404 "Board not found."), a title of at
most 100 characters, a description of 800, alt text of 500, a link of 2,048 and one
`media_source`: `image_url` (Pinterest fetches it: "Unable to reach the URL" when it
cannot), `image_base64` (JPEG or PNG), `multiple_image_urls` (2–5 items) or `video_id`
(a media id that has `succeeded`, and a cover: an image URL, base64 image or key frame
time). Video goes through `POST /v5/media` (a media id and a signed upload URL taking
a multipart form of every upload parameter plus the file, answered 204), then
`GET /v5/media/{id}` reads registered → processing → succeeded (or failed for bytes that
are not a video). Boards are listed by pages (`page_size` 1–250, default 25, and an
opaque `bookmark`). Pin and account analytics (`/v5/user_account/analytics`, by day) read
at most 90 days back, 90 days at a time; the account's follower_count, following_count and
monthly_views are on `/v5/user_account`. OAuth:
the consent page at /oauth/, and `POST /v5/oauth/token` with the app's Basic auth, whose
refresh grant answers a new refresh token every time (the used one dies). Errors are
`{"code": <int>, "message": "..."}`.

Sandbox conventions: a token starting with `invalid` is refused; a user has three boards,
and one whose username contains `many_boards` has 260 (two pages at 250).
"""

import base64
import hashlib
import json
import secrets
from datetime import date, timedelta
from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.urls import path, re_path, reverse
from django.utils import timezone

from sandbox import oauth
from sandbox.core import (
    REJECT_REASON,
    PageMedia,
    account_id_for,
    account_metrics,
    bearer_token,
    first_attempt,
    grown_metrics,
    is_refused_token,
    numeric_id,
    post_page,
    record_create,
    record_get,
    record_list,
    sandbox_view,
    token_binding,
)
from sandbox.files import SAMPLES

NET = "pinterest"
ACCESS_SECONDS, REFRESH_SECONDS = 30 * 86400, 60 * 86400
TITLE_LIMIT, DESCRIPTION_LIMIT, ALT_TEXT_LIMIT, LINK_LIMIT = 100, 800, 500, 2048
CAROUSEL_MIN, CAROUSEL_MAX = 2, 5
SOURCE_TYPES = ("image_url", "image_base64", "multiple_image_urls", "multiple_image_base64", "video_id", "pin_url")
BASE64_TYPES = ("image/jpeg", "image/png")
BOARD_NAMES = ("Ideas", "Recipes", "Travel")
MANY_BOARDS = 260
PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX = 25, 250
ANALYTICS_DAYS = 90
METRIC_RATES = {"IMPRESSION": 240, "PIN_CLICK": 37, "OUTBOUND_CLICK": 20, "SAVE": 20}
LIFETIME_RATES = {"TOTAL_COMMENTS": 2, "TOTAL_REACTIONS": 12}
# The account's counts (user_account) and a day of its analytics (user_account/analytics).
ACCOUNT_RATES = {"follower_count": 850, "following_count": 120, "monthly_views": 42000}
ACCOUNT_DAY_RATES = {"IMPRESSION": 1400, "ENGAGEMENT": 95, "SAVE": 38, "PIN_CLICK": 41, "OUTBOUND_CLICK": 16}
SCOPES = "boards:read,pins:read,pins:write,user_accounts:read"
UPLOAD_FIELDS = (
    "x-amz-date",
    "x-amz-signature",
    "x-amz-security-token",
    "x-amz-algorithm",
    "key",
    "policy",
    "x-amz-credential",
    "Content-Type",
)


# --- answers ------------------------------------------------------------------------------
def _fail(status: int, code: int, message: str, headers: dict | None = None) -> JsonResponse:
    return JsonResponse({"code": code, "message": message}, status=status, headers=headers)


def _bad(message: str) -> JsonResponse:
    return _fail(400, 1, f"Invalid request: {message}")


def _unauthorized() -> JsonResponse:
    return _fail(401, 2, "Authentication failed.")


def _json_body(request) -> dict | None:
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def username_for(token: str) -> str:
    return f"sandbox_{account_id_for('pinterest:' + token, 10)}"


def _user_of(request) -> str | None:
    """The username behind the request's token: the one the sandbox issued it for or a
    connect bound it to, else one derived from the token; None for a refused token."""
    token = bearer_token(request)
    if is_refused_token(token):
        return None
    record = token_binding(NET, token, request)
    return record.owner if record is not None else username_for(token)


def api_view(*methods: str):
    """A v5 view for `methods`, called with the token's username: 401 for a refused token
    and for every call of an account whose behaviour is `token_expired`."""

    def decorate(view):
        @sandbox_view
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method not in methods:
                return _fail(405, 1, f"Use {' or '.join(methods)}.")
            username = _user_of(request)
            if username is None or request.sandbox.name == "token_expired":
                return _unauthorized()
            return view(request, username, *args, **kwargs)

        return wrapper

    return decorate


# --- account and boards --------------------------------------------------------------------
@api_view("GET")
def user_account(request, username: str):
    return JsonResponse(
        {
            "account_type": "BUSINESS",
            "id": account_id_for("user:" + username, 18),
            "username": username,
            "business_name": username.replace("_", " ").title(),
            "profile_image": "https://i.pinimg.com/sandbox-avatar.jpg",
            "website_url": "https://dravo.dev",
            **account_metrics(username, ACCOUNT_RATES),
        }
    )


def _board_id(username: str, index: int) -> str:
    digits = str(int(hashlib.sha256(f"board:{username}:{index}".encode()).hexdigest(), 16))
    return str(1 + int(digits[0]) % 9) + digits[1:18]


def boards_of(username: str) -> list[dict]:
    """The user's boards, in Pinterest's order (the same every time)."""
    if "many_boards" in username:
        names = [f"Board {n:03d}" for n in range(1, MANY_BOARDS + 1)]
    else:
        names = list(BOARD_NAMES)
    return [
        {
            "id": _board_id(username, index),
            "name": name,
            "description": f"{name} of {username}",
            "privacy": "SECRET" if index == 2 else "PUBLIC",
            "owner": {"username": username},
        }
        for index, name in enumerate(names)
    ]


def _page_size(request) -> int | None:
    raw = request.GET.get("page_size", str(PAGE_SIZE_DEFAULT))
    return int(raw) if raw.isdigit() and 1 <= int(raw) <= PAGE_SIZE_MAX else None


def _bookmark_offset(bookmark: str) -> int | None:
    try:
        value = base64.urlsafe_b64decode(bookmark.encode()).decode()
    except ValueError:
        return None
    return int(value[7:]) if value.startswith("offset:") and value[7:].isdigit() else None


def _page(request, items: list[dict]) -> JsonResponse:
    """One page of `items` by `page_size` and `bookmark` (opaque, null on the last page)."""
    size = _page_size(request)
    if size is None:
        return _bad(f"page_size must be 1 to {PAGE_SIZE_MAX}.")
    offset = _bookmark_offset(request.GET["bookmark"]) if request.GET.get("bookmark") else 0
    if offset is None:
        return _bad("bookmark is not valid.")
    end = offset + size
    bookmark = base64.urlsafe_b64encode(f"offset:{end}".encode()).decode() if end < len(items) else None
    return JsonResponse({"items": items[offset:end], "bookmark": bookmark})


@api_view("GET")
def boards(request, username: str):
    return _page(request, boards_of(username))


@api_view("GET")
def board_pins(request, username: str, board_id: str):
    if board_id not in {board["id"] for board in boards_of(username)}:
        return _fail(404, 40, "Board not found.")
    pins = record_list(NET, "post", owner=username).filter(data__board_id=board_id)
    return _page(request, [_pin(request, pin) for pin in pins])


# --- pins ------------------------------------------------------------------------------------
def _publish_gate(request, username: str, body: dict) -> JsonResponse | None:
    """The account's behaviour at the call that makes the Pin."""
    behavior = request.sandbox.name
    if behavior == "rejects":
        return _fail(400, 1, REJECT_REASON)
    key = json.dumps([body.get("title"), body.get("description"), body.get("board_id")])
    if behavior in ("rate_limited", "flaky") and first_attempt(NET, username, key):
        if behavior == "rate_limited":
            headers = {"x-ratelimit-limit": "100", "x-ratelimit-remaining": "0", "x-ratelimit-reset": "1"}
            return _fail(429, 8, "You have exceeded your rate limit. Try again later.", headers)
        return _fail(503, 3, "Service unavailable. Please try again later.")
    return None


def _text_refusal(body: dict) -> JsonResponse | None:
    for name, limit in (
        ("title", TITLE_LIMIT),
        ("description", DESCRIPTION_LIMIT),
        ("alt_text", ALT_TEXT_LIMIT),
        ("link", LINK_LIMIT),
    ):
        value = body.get(name)
        if value is not None and (not isinstance(value, str) or len(value) > limit):
            return _bad(f"'{name}' must be a string of at most {limit} characters.")
    for name in ("board_id", "board_section_id"):
        value = body.get(name)
        if value is not None and (not isinstance(value, str) or not value.isdigit()):
            return _bad(f"{value!r} does not match '^\\\\d+$' at '{name}'.")
    return None


def _fetch_refusal(url) -> JsonResponse | None:
    """What Pinterest answers when it cannot fetch an image URL (the sandbox is offline:
    only its own sample files are checked, other hosts are taken as reachable)."""
    parts = urlsplit(str(url or ""))
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return _bad(f"{url!r} is not a valid URL.")
    if "/sandbox/files/" in parts.path:
        sample = SAMPLES.get(parts.path.rsplit("/", 1)[-1])
        if sample is None:
            return _bad(f"Unable to reach the URL: {url}")
        if not sample[0].startswith("image/"):
            return _bad(f"The file at {url} is not an image.")
    return None


def _video_refusal(username: str, source: dict) -> JsonResponse | None:
    media = record_get(NET, "media", str(source.get("media_id") or ""))
    if media is None or media.owner != username:
        return _bad("media_id was not found.")
    if media.status != "succeeded":
        return _bad(f"The video of media_id {media.object_id} is not ready (status {media.status}).")
    has_base64 = source.get("cover_image_content_type") in BASE64_TYPES and source.get("cover_image_data")
    frame = source.get("cover_image_key_frame_time")
    has_frame = isinstance(frame, int | float) and not isinstance(frame, bool) and frame >= 0
    if not (source.get("cover_image_url") or has_base64 or has_frame):
        return _bad(
            "cover_image_url or cover_image_content_type and cover_image_data or "
            "cover_image_key_frame_time is required for a video Pin."
        )
    return None


def _media_refusal(username: str, source) -> JsonResponse | None:
    """A refusal of `media_source`, or None; the Pin's media kind is `source_type`."""
    kind = source.get("source_type") if isinstance(source, dict) else None
    if kind not in SOURCE_TYPES:
        return _bad(f"media_source.source_type must be one of {', '.join(SOURCE_TYPES)}.")
    if kind == "image_url":
        return _fetch_refusal(source.get("url"))
    if kind in ("image_base64",):
        if source.get("content_type") not in BASE64_TYPES or not source.get("data"):
            return _bad("content_type must be image/jpeg or image/png, with data.")
        return None
    if kind in ("multiple_image_urls", "multiple_image_base64"):
        items = source.get("items")
        if not isinstance(items, list) or len(items) > CAROUSEL_MAX:
            return _bad(f"media_source.items failed constraint: maxItems={CAROUSEL_MAX}.")
        if len(items) < CAROUSEL_MIN:
            return _bad(f"media_source.items failed constraint: minItems={CAROUSEL_MIN}.")
        if kind == "multiple_image_urls":
            return next((r for r in (_fetch_refusal((i or {}).get("url")) for i in items) if r), None)
        return None
    if kind == "video_id":
        return _video_refusal(username, source)
    return _bad("pin_url (product Pins) is in beta and not open to this app.")


def _pin(request, record) -> dict:
    data = record.data
    media = {"media_type": data["media_type"]}
    if data["media_type"] == "video":
        media.update({"duration": None, "height": None, "width": None, "cover_image_url": data.get("cover")})
    return {
        "id": record.object_id,
        "created_at": record.created_at.strftime("%Y-%m-%dT%H:%M:%S"),
        "board_id": data["board_id"],
        "board_section_id": data.get("board_section_id"),
        "title": data.get("title"),
        "description": data.get("description"),
        "link": data.get("link"),
        "alt_text": data.get("alt_text"),
        "dominant_color": data.get("dominant_color"),
        "media": media,
        "board_owner": {"username": record.owner},
        "is_owner": True,
        "creative_type": {"video": "VIDEO", "multiple_images": "CAROUSEL"}.get(data["media_type"], "REGULAR"),
    }


MEDIA_TYPES = {
    "image_url": "image",
    "image_base64": "image",
    "multiple_image_urls": "multiple_images",
    "multiple_image_base64": "multiple_images",
    "video_id": "video",
}


@api_view("POST")
def pins(request, username: str):
    body = _json_body(request)
    if body is None:
        return _bad("the body must be a JSON object.")
    if not body.get("board_id"):
        return _bad("'board_id' is a required property.")
    source = body.get("media_source")
    refusal = _text_refusal(body) or _publish_gate(request, username, body)
    if refusal:
        return refusal
    if body["board_id"] not in {board["id"] for board in boards_of(username)}:
        return _fail(404, 40, "Board not found.")
    refusal = _media_refusal(username, source)
    if refusal:
        return refusal
    kind = MEDIA_TYPES[source["source_type"]]
    if kind == "video" and body.get("dominant_color"):
        return _bad("dominant_color is for non-video Pins.")
    urls = [source["url"]] if source.get("url") else [item.get("url") for item in source.get("items") or []]
    fields = ("board_id", "board_section_id", "title", "description", "link", "alt_text", "dominant_color")
    record = record_create(
        NET,
        "post",
        numeric_id(18),
        owner=username,
        status="live",
        media_type=kind,
        urls=[u for u in urls if u],
        cover=source.get("cover_image_url"),
        text=body.get("description") or body.get("title") or "",
        media_id=source.get("media_id"),
        **{name: body.get(name) for name in fields if body.get(name) is not None},
    )
    return JsonResponse(_pin(request, record), status=201)


# --- media upload ----------------------------------------------------------------------------
@api_view("POST")
def media(request, username: str):
    body = _json_body(request) or {}
    if body.get("media_type") != "video":
        return _bad("media_type must be video.")
    media_id = numeric_id(19)
    parameters = {
        "x-amz-date": timezone.now().strftime("%Y%m%dT%H%M%SZ"),
        "x-amz-signature": secrets.token_hex(32),
        "x-amz-security-token": secrets.token_urlsafe(48),
        "x-amz-algorithm": "AWS4-HMAC-SHA256",
        "key": f"uploads/{media_id}",
        "policy": secrets.token_urlsafe(32),
        "x-amz-credential": "ASIASANDBOX/20261204/us-east-1/s3/aws4_request",
        "Content-Type": "multipart/form-data",
    }
    record_create(NET, "media", media_id, owner=username, status="registered", parameters=parameters)
    upload_url = request.build_absolute_uri(reverse("sandbox-pinterest-upload"))
    return JsonResponse(
        {"media_id": media_id, "media_type": "video", "upload_url": upload_url, "upload_parameters": parameters},
        status=201,
    )


def _s3_error(status: int, code: str, message: str) -> HttpResponse:
    xml = f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{code}</Code><Message>{message}</Message></Error>'
    return HttpResponse(xml, status=status, content_type="application/xml")


@sandbox_view
def upload(request):
    """The upload URL (a storage host): every signed field of the registration, then the file."""
    if request.method != "POST":
        return _s3_error(405, "MethodNotAllowed", "The specified method is not allowed against this resource.")
    key = request.POST.get("key", "")
    record = record_get(NET, "media", key.removeprefix("uploads/")) if key.startswith("uploads/") else None
    if record is None or record.status != "registered":
        return _s3_error(403, "AccessDenied", "Invalid according to Policy: Policy Condition failed")
    expected = record.data["parameters"]
    if any(request.POST.get(name) != expected[name] for name in UPLOAD_FIELDS):
        return _s3_error(403, "AccessDenied", "Invalid according to Policy: Policy Condition failed")
    upload_file = request.FILES.get("file")
    if upload_file is None:
        return _s3_error(400, "InvalidArgument", "POST requires exactly one file upload per request.")
    head = upload_file.read(64)
    record.status = "processing"
    record.data.update(size=upload_file.size, is_video=b"ftyp" in head, reads=0)
    record.save(update_fields=["status", "data", "updated_at"])
    return HttpResponse(status=204)


@api_view("GET")
def media_status(request, username: str, media_id: str):
    """registered until the bytes arrive; processing on the first read after, then
    succeeded (or failed for bytes that are not a video)."""
    record = record_get(NET, "media", media_id)
    if record is None or record.owner != username:
        return _fail(404, 404, "Media not found.")
    if record.status == "processing":
        record.data["reads"] = record.data.get("reads", 0) + 1
        if record.data["reads"] >= 2:
            record.status = "succeeded" if record.data.get("is_video") else "failed"
        record.save(update_fields=["status", "data", "updated_at"])
    return JsonResponse({"media_id": media_id, "media_type": "video", "status": record.status})


# --- analytics and the public page -----------------------------------------------------------
def _analytics_dates(params) -> tuple[date, date] | None:
    try:
        start, end = date.fromisoformat(params.get("start_date", "")), date.fromisoformat(params.get("end_date", ""))
    except ValueError:
        return None
    today = timezone.now().date()
    earliest = today - timedelta(days=ANALYTICS_DAYS)
    if start > end or start < earliest or (end - start).days >= ANALYTICS_DAYS or end > today + timedelta(days=1):
        return None
    return start, end


@api_view("GET")
def pin_analytics(request, username: str, pin_id: str):
    pin = record_get(NET, "post", pin_id)
    if pin is None or pin.owner != username:
        return _fail(404, 404, "Pin not found.")
    dates = _analytics_dates(request.GET)
    types = [t for t in request.GET.get("metric_types", "").split(",") if t]
    if dates is None or not types:
        return _fail(400, 400, "Invalid pins analytics parameters.")
    grown = grown_metrics(pin, METRIC_RATES)
    grown["SAVE_RATE"] = round(grown["SAVE"] / grown["IMPRESSION"], 4) if grown["IMPRESSION"] else 0.0
    summary = {key: value for key, value in grown.items() if key in types}
    lifetime = {key: value for key, value in grown_metrics(pin, LIFETIME_RATES).items() if key in types}
    created, (start, end) = pin.created_at.date(), dates
    daily = []
    for offset in range((end - start).days + 1):
        day = start + timedelta(days=offset)
        status = "BEFORE_PIN_CREATED" if day < created else "READY"
        daily.append({"date": day.isoformat(), "data_status": status, "metrics": summary if day == created else {}})
    return JsonResponse({"all": {"lifetime_metrics": lifetime, "summary_metrics": summary, "daily_metrics": daily}})


@api_view("GET")
def user_account_analytics(request, username: str):
    """The account's analytics by day (deterministic, sandbox.core.account_metrics): days
    before today READY, today still PROCESSING; summary_metrics their sum."""
    dates = _analytics_dates(request.GET)
    types = [t for t in request.GET.get("metric_types", "").split(",") if t]
    if dates is None:
        return _fail(400, 400, "Invalid user account analytics parameters.")
    types = types or list(ACCOUNT_DAY_RATES)
    start, end = dates
    today = timezone.now().date()
    daily, summary = [], dict.fromkeys((t for t in types if t in ACCOUNT_DAY_RATES), 0)
    for offset in range((end - start).days + 1):
        day = start + timedelta(days=offset)
        if day >= today:
            daily.append({"date": day.isoformat(), "data_status": "PROCESSING", "metrics": {}})
            continue
        numbers = {k: v for k, v in account_metrics(username, ACCOUNT_DAY_RATES, day=day).items() if k in summary}
        for key, value in numbers.items():
            summary[key] += value
        daily.append({"date": day.isoformat(), "data_status": "READY", "metrics": numbers})
    return JsonResponse({"all": {"summary_metrics": summary, "daily_metrics": daily}})


@sandbox_view
def pin_page(request, pin_id: str):
    """www.pinterest.com/pin/{id}/: the sandbox's page of the Pin."""
    pin = record_get(NET, "post", pin_id)
    data = pin.data if pin else {}
    kind = "video" if data.get("media_type") == "video" else "image"
    media = [PageMedia(kind, url) for url in data.get("urls") or []] or (
        [PageMedia("video")] if kind == "video" else []
    )
    text = " — ".join(part for part in (data.get("title"), data.get("description")) if part)
    return post_page(request, network="Pinterest", record=pin, author=pin.owner if pin else "", media=media, text=text)


# --- OAuth ------------------------------------------------------------------------------------
AUTH_PARAMS = ("client_id", "redirect_uri", "response_type", "scope", "state")


@sandbox_view
def authorize(request):
    """www.pinterest.com/oauth/: the consent page (GET), Allow / Deny (POST)."""
    params = request.GET if request.method == "GET" else request.POST
    if refusal := oauth.authorize_refusal(params):
        return refusal
    if request.method == "GET":
        return oauth.consent_page(
            request,
            network="Pinterest",
            params=params,
            client_id=params["client_id"],
            scopes=(params.get("scope") or SCOPES).split(","),
            keep=AUTH_PARAMS,
            inputs=[("username", "Sandbox username", "sandbox_pinner")],
        )
    username = request.POST.get("username", "").strip() or "sandbox_pinner"
    return oauth.consent_decision(
        NET,
        params,
        redirect_uri=params["redirect_uri"],
        state=params.get("state", ""),
        owner=username,
        scope=params.get("scope", ""),
    )


def _basic_app(request) -> bool:
    header = request.headers.get("Authorization", "")
    if not header.lower().startswith("basic "):
        return False
    try:
        client_id, _, secret = base64.b64decode(header[6:]).decode().partition(":")
    except ValueError:
        return False
    app = settings.SANDBOX_APP
    return client_id == app["client_id"] and secret == app["client_secret"]


def _issue(username: str, scope: str, response_type: str) -> JsonResponse:
    access, refresh = "pina_" + secrets.token_urlsafe(32), "pinr_" + secrets.token_urlsafe(32)
    record_create(NET, "token", access, owner=username, scope=scope)
    record_create(NET, "refresh", refresh, owner=username, scope=scope)
    expires_at = int(timezone.now().timestamp()) + REFRESH_SECONDS
    return JsonResponse(
        {
            "access_token": access,
            "refresh_token": refresh,
            "response_type": response_type,
            "token_type": "bearer",
            "expires_in": ACCESS_SECONDS,
            "refresh_token_expires_in": REFRESH_SECONDS,
            "refresh_token_expires_at": expires_at,
            "scope": scope,
        }
    )


@sandbox_view
def token(request):
    """POST /v5/oauth/token: authorization_code or refresh_token, the app by Basic auth."""
    if request.method != "POST":
        return _fail(405, 1, "Use POST.")
    if not _basic_app(request):
        return _fail(401, 2, "Authentication failed: the client_id or client_secret is wrong.")
    form = request.POST
    if form.get("grant_type") == "authorization_code":
        record, why = oauth.redeem_code(NET, form.get("code", ""), redirect_uri=form.get("redirect_uri", ""))
        if record is None:
            return _fail(400, 1, f"invalid_grant: the authorization code is {why}.")
        return _issue(record.owner, record.data.get("scope", ""), "authorization_code")
    if form.get("grant_type") == "refresh_token":
        refresh = form.get("refresh_token", "")
        if request.sandbox.name == "token_expired":
            return _fail(400, 1, "invalid_grant: the refresh token is expired or revoked.")
        record = oauth.use_refresh_token(NET, refresh, request, adopt={"owner": username_for(refresh), "scope": SCOPES})
        if record is None:
            return _fail(400, 1, "invalid_grant: the refresh token is expired, revoked or already used.")
        return _issue(record.owner, record.data.get("scope", SCOPES), "refresh_token")
    return _bad("grant_type must be authorization_code or refresh_token.")


def demo_credentials(token: str) -> dict:
    """The credentials besides the token that `manage.py demo_setup` connects a sandbox
    account of this network with: the user the sandbox derives from the token."""
    return {"username": username_for(token)}


urlpatterns = [
    path("oauth/", authorize, name="sandbox-pinterest-authorize"),
    path("v5/oauth/token", token, name="sandbox-pinterest-token"),
    path("v5/user_account", user_account),
    path("v5/user_account/analytics", user_account_analytics),
    path("v5/boards", boards),
    re_path(r"^v5/boards/(?P<board_id>\d+)/pins$", board_pins),
    path("v5/pins", pins),
    re_path(r"^v5/pins/(?P<pin_id>\d+)/analytics$", pin_analytics),
    path("v5/media", media),
    re_path(r"^v5/media/(?P<media_id>\d+)$", media_status),
    path("media-upload/", upload, name="sandbox-pinterest-upload"),
    re_path(r"^pin/(?P<pin_id>\d+)/$", pin_page, name="sandbox-pinterest-pin"),
]
