"""The TikTok sandbox: Content Posting API v2 (creator_info, direct video/photo posts pulled
from URLs, the publish status walk), user info, video query (metrics), the public post
page, and Login Kit OAuth (consent page, token endpoint with rotating refresh tokens).
Same paths, envelope, ids and error codes as TikTok's own API (see providers/tiktok/client.py).

Sandbox conventions: a token starting with `invalid` is refused; an account whose token
or username contains `private` is an unaudited app's private account (only SELF_ONLY is
offered); a media URL whose host starts with `unverified` is not a verified URL prefix;
a `/sandbox/files/` URL that does not exist fails the pull.
"""

import json
import secrets
from dataclasses import dataclass
from datetime import timedelta
from functools import wraps
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import path, re_path, reverse
from django.utils import timezone

from sandbox import oauth
from sandbox.core import (
    REJECT_REASON,
    PageMedia,
    account_id_for,
    account_metrics,
    bearer_token,
    claimed_account,
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

NET = "tiktok"
PRIVACY_LEVELS = ["PUBLIC_TO_EVERYONE", "MUTUAL_FOLLOW_FRIENDS", "FOLLOWER_OF_CREATOR", "SELF_ONLY"]
MAX_INITS_PER_MINUTE = 6
MAX_VIDEO_SECONDS = 300
METRIC_RATES = {"view_count": 150, "like_count": 12, "comment_count": 2, "share_count": 1}
VIDEO_FIELDS = {"id", "title", "video_description", "create_time", "share_url", "duration", "cover_image_url",
                *METRIC_RATES}
USER_FIELDS = {"open_id", "union_id", "avatar_url", "display_name", "username"}
# The user's counters (scope user.info.stats): followers grow day by day, video_count is the sandbox's posts.
STATS_RATES = {"follower_count": 5400, "following_count": 140, "likes_count": 86000}
STATS_FIELDS = {*STATS_RATES, "video_count"}
ACCESS_SECONDS, REFRESH_SECONDS = 2 * 3600, 180 * 24 * 3600
BAD_TOKEN = "The access token is invalid or not found in the request."
SCOPE_REFUSED = "The user did not authorize the scope required for completing this request."


@dataclass(frozen=True)
class User:
    token: str
    open_id: str
    username: str

    @property
    def private(self) -> bool:
        return "private" in self.token or "private" in self.username


# --- answers ----------------------------------------------------------------------------
def _log_id() -> str:
    return timezone.now().strftime("%Y%m%d%H%M%S") + secrets.token_hex(10).upper()


def _ok(data: dict) -> JsonResponse:
    return JsonResponse({"data": data, "error": {"code": "ok", "message": "", "log_id": _log_id()}})


def _fail(status: int, code: str, message: str, headers: dict | None = None) -> JsonResponse:
    body = {"data": {}, "error": {"code": code, "message": message, "log_id": _log_id()}}
    return JsonResponse(body, status=status, headers=headers)


def _oauth_fail(error: str, description: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": error, "error_description": description, "log_id": _log_id()}, status=status)


def _json_body(request) -> dict | None:
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def _user_of(token: str) -> User | None:
    """The sandbox user behind a token: issued and bound ones are stored, any other is derived from it."""
    if is_refused_token(token):
        return None
    issued = record_get(NET, "token", token)
    if issued:
        return User(token, issued.owner, issued.data["username"])
    digits = account_id_for(token)
    return User(token, f"sbx_open_{digits}", f"sandbox_{digits[:8]}")


def api_view(method: str):
    """A sandbox API view for `method`, called with the token's User; 401 for a refused token."""

    def decorate(view):
        @sandbox_view
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method != method:
                return _fail(405, "invalid_params", f"Use {method}.")
            token, claimed = bearer_token(request), claimed_account(request)
            if claimed:  # a connect's verify() names the creator of a token the sandbox never saw
                token_binding(NET, token, request, username=f"sandbox_{account_id_for(claimed)[:8]}")
            user = _user_of(token)
            if user is None:
                return _fail(401, "access_token_invalid", BAD_TOKEN)
            return view(request, user, *args, **kwargs)

        return wrapper

    return decorate


# --- account ----------------------------------------------------------------------------
@api_view("GET")
def user_info(request, user: User):
    """`GET /v2/user/info/?fields=…`: the profile, and the counters of STATS_FIELDS for a
    token granted user.info.stats (a token issued without it gets scope_not_authorized; one
    the sandbox never issued is taken as granting it)."""
    fields = [f for f in request.GET.get("fields", "").split(",") if f]
    if not fields or set(fields) - USER_FIELDS - STATS_FIELDS:
        return _fail(400, "invalid_params", f"fields must be some of {', '.join(sorted(USER_FIELDS | STATS_FIELDS))}.")
    issued = record_get(NET, "token", user.token)
    granted = issued.data.get("scope") if issued else None
    if STATS_FIELDS & set(fields) and granted is not None and "user.info.stats" not in granted.split(","):
        return _fail(401, "scope_not_authorized", SCOPE_REFUSED)
    profile = {"open_id": user.open_id, "union_id": f"sbx_union_{user.open_id[9:]}", "username": user.username,
               "avatar_url": "https://p16.tiktokcdn.com/sandbox-avatar.jpeg", "display_name": user.username.title(),
               **account_metrics(user.open_id, STATS_RATES),
               "video_count": record_list(NET, "post", owner=user.open_id).count()}
    return _ok({"user": {key: profile[key] for key in fields}})


def _creator(user: User) -> dict:
    return {
        "creator_avatar_url": "https://p16.tiktokcdn.com/sandbox-avatar.jpeg",
        "creator_username": user.username,
        "creator_nickname": user.username.title(),
        "privacy_level_options": ["SELF_ONLY"] if user.private else PRIVACY_LEVELS,
        "comment_disabled": False,
        "duet_disabled": False,
        "stitch_disabled": True,
        "max_video_post_duration_sec": MAX_VIDEO_SECONDS,
    }


@api_view("POST")
def creator_info(request, user: User):
    if request.sandbox.name == "token_expired":
        return _fail(401, "access_token_invalid", BAD_TOKEN)
    return _ok(_creator(user))


# --- publishing -------------------------------------------------------------------------
def _publish_gate(request, user: User, text: str) -> JsonResponse | None:
    """The account's behaviour at the first step that carries the post (init), then the
    6 inits/minute/token limit."""
    behavior = request.sandbox.name
    if behavior == "token_expired":
        return _fail(401, "access_token_invalid", BAD_TOKEN)
    if behavior == "rejects":
        return _fail(403, "spam_risk_user_banned_from_posting", REJECT_REASON)
    if behavior in ("rate_limited", "flaky") and first_attempt(NET, user.token, text):
        if behavior == "rate_limited":
            return _fail(429, "rate_limit_exceeded", "API rate limit was exceeded, please try later.",
                         {"Retry-After": "1"})
        return _fail(503, "internal_error", "Something went wrong. Please try again later.")
    recent = record_list(NET, "publish", owner=user.open_id).filter(
        created_at__gte=timezone.now() - timedelta(minutes=1)
    )
    if recent.count() >= MAX_INITS_PER_MINUTE:
        return _fail(429, "rate_limit_exceeded", "API rate limit was exceeded, please try later.")
    return None


def _post_info_refusal(user: User, info: dict, caption_limit: int, video: bool) -> JsonResponse | None:
    creator = _creator(user)
    if info.get("privacy_level") not in creator["privacy_level_options"]:
        return _fail(403, "privacy_level_option_mismatch",
                     "privacy_level is not one of the creator's privacy_level_options.")
    if len(str(info.get("title", "")).encode("utf-16-le")) // 2 > caption_limit:
        return _fail(400, "invalid_params", f"post_info.title is longer than {caption_limit} characters.")
    if video and creator["stitch_disabled"] and not info.get("disable_stitch"):
        return _fail(400, "invalid_params", "The creator has turned stitch off: disable_stitch must be true.")
    if info.get("brand_content_toggle") and info.get("privacy_level") == "SELF_ONLY":
        return _fail(400, "invalid_params", "Branded content cannot be posted with privacy_level SELF_ONLY.")
    return None


def _url_refusal(urls: list) -> JsonResponse | None:
    for url in urls:
        parts = urlsplit(str(url))
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return _fail(400, "invalid_params", f"{url!r} is not an http(s) URL.")
        if parts.hostname.startswith("unverified"):
            return _fail(403, "url_ownership_unverified", "The media URL's domain or prefix is not verified.")
    return None


def _pull_failure(urls: list, video: bool) -> str:
    """The fail_reason TikTok would reach after pulling these URLs ("" when they are fine)."""
    for url in urls:
        parts = urlsplit(url)
        if "/sandbox/files/" not in parts.path:
            continue  # the sandbox is offline: other hosts are assumed reachable
        sample = SAMPLES.get(parts.path.rsplit("/", 1)[-1])
        if sample is None:
            return "video_pull_failed" if video else "photo_pull_failed"
        if not (sample[0].startswith("video/") if video else sample[0] in ("image/jpeg", "image/webp")):
            return "file_format_check_failed"
    return ""


def _start_publish(user: User, kind: str, urls: list, info: dict, post_mode: str = "DIRECT_POST") -> JsonResponse:
    prefix = "v_pub_url~v2-1." if kind == "VIDEO" else "p_pub_url~v2-1."
    publish_id = prefix + numeric_id(19)
    text = info.get("description", "") if kind == "PHOTO" else info.get("title", "")
    record_create(NET, "publish", publish_id, owner=user.open_id, status="PROCESSING_DOWNLOAD", media_type=kind,
                  urls=urls, text=text, title=info.get("title", ""), privacy_level=info["privacy_level"],
                  username=user.username, post_mode=post_mode, fail_reason=_pull_failure(urls, kind == "VIDEO"))
    return _ok({"publish_id": publish_id})


@api_view("POST")
def video_init(request, user: User):
    body = _json_body(request)
    info, source = (body or {}).get("post_info"), (body or {}).get("source_info")
    if not isinstance(info, dict) or not isinstance(source, dict):
        return _fail(400, "invalid_params", "post_info and source_info are required.")
    if source.get("source") != "PULL_FROM_URL" or not source.get("video_url"):
        return _fail(400, "invalid_params", "The sandbox accepts source PULL_FROM_URL with a video_url only.")
    refusal = (_publish_gate(request, user, str(info.get("title", "")))
               or _post_info_refusal(user, info, 2200, video=True) or _url_refusal([source["video_url"]]))
    return refusal or _start_publish(user, "VIDEO", [source["video_url"]], info)


@api_view("POST")
def content_init(request, user: User):
    body = _json_body(request) or {}
    info, source = body.get("post_info"), body.get("source_info")
    if body.get("media_type") != "PHOTO" or body.get("post_mode") not in ("DIRECT_POST", "MEDIA_UPLOAD"):
        return _fail(400, "invalid_params", "media_type must be PHOTO and post_mode DIRECT_POST or MEDIA_UPLOAD.")
    if not isinstance(info, dict) or not isinstance(source, dict) or source.get("source") != "PULL_FROM_URL":
        return _fail(400, "invalid_params", "post_info and source_info (source PULL_FROM_URL) are required.")
    images = source.get("photo_images")
    if not isinstance(images, list) or not 1 <= len(images) <= 35:
        return _fail(400, "invalid_params", "photo_images must list 1 to 35 image URLs.")
    if len(str(info.get("description", ""))) > 4000:
        return _fail(400, "invalid_params", "post_info.description is longer than 4000 characters.")
    refusal = (_publish_gate(request, user, str(info.get("description", "")))
               or _post_info_refusal(user, info, 90, video=False) or _url_refusal(images))
    return refusal or _start_publish(user, "PHOTO", images, info, body["post_mode"])


def _advance(record) -> None:
    """The status walk: PROCESSING_DOWNLOAD on the first read, then the final state."""
    data = record.data
    data["reads"] = data.get("reads", 0) + 1
    if data["reads"] >= 2 and record.status == "PROCESSING_DOWNLOAD":
        if data["fail_reason"]:
            record.status = "FAILED"
        elif data["post_mode"] == "MEDIA_UPLOAD":
            record.status = "SEND_TO_USER_INBOX"
        else:
            record.status = "PUBLISH_COMPLETE"
            data["post_id"] = numeric_id(19)
            record_create(NET, "post", data["post_id"], owner=record.owner, status="live", publish_id=record.object_id,
                          text=data["text"], title=data["title"], media_type=data["media_type"],
                          username=data["username"], privacy_level=data["privacy_level"])
    record.save(update_fields=["status", "data", "updated_at"])


@api_view("POST")
def status_fetch(request, user: User):
    publish_id = (_json_body(request) or {}).get("publish_id")
    record = record_get(NET, "publish", str(publish_id)) if publish_id else None
    if record is None or record.owner != user.open_id:
        return _fail(400, "invalid_publish_id", "The publish_id does not exist or belongs to another user.")
    _advance(record)
    data = record.data
    done = record.status == "PUBLISH_COMPLETE"
    return _ok({
        "status": record.status,
        "fail_reason": data["fail_reason"] if record.status == "FAILED" else "",
        "publicaly_available_post_id": [int(data["post_id"])] if done else [],
        "uploaded_bytes": 0,
        "downloaded_bytes": 1048576 if data["reads"] >= 2 else 0,
    })


# --- analytics and the public page ------------------------------------------------------
def _video(request, post, fields: list[str]) -> dict:
    share_url = request.build_absolute_uri(reverse("sandbox-tiktok-post", args=[post.data["username"],
                                                                               post.object_id]))
    video = {"id": post.object_id, "title": post.data["title"], "video_description": post.data["text"],
             "create_time": int(post.created_at.timestamp()), "share_url": share_url, "duration": 15,
             "cover_image_url": "https://p16.tiktokcdn.com/sandbox-cover.jpeg", **grown_metrics(post, METRIC_RATES)}
    return {key: video[key] for key in ["id", *fields]}


@api_view("POST")
def video_query(request, user: User):
    fields = [f for f in request.GET.get("fields", "").split(",") if f]
    if not fields or set(fields) - VIDEO_FIELDS:
        return _fail(400, "invalid_params", f"fields must be some of {', '.join(sorted(VIDEO_FIELDS))}.")
    ids = ((_json_body(request) or {}).get("filters") or {}).get("video_ids")
    if not isinstance(ids, list) or not 1 <= len(ids) <= 20:
        return _fail(400, "invalid_params", "filters.video_ids must list 1 to 20 video ids.")
    posts = record_list(NET, "post", owner=user.open_id).filter(object_id__in=[str(i) for i in ids])
    return _ok({"videos": [_video(request, post, fields) for post in posts], "cursor": 0, "has_more": False})


@sandbox_view
def post_page_view(request, username: str, post_id: str):
    """www.tiktok.com/@{username}/video/{id}: the sandbox's page of the post, with the media it pulled."""
    post = record_get(NET, "post", post_id)
    if post is not None and post.data["username"] != username:
        post = None
    publish = record_get(NET, "publish", post.data.get("publish_id", "")) if post else None
    kind = "video" if post and post.data["media_type"] == "VIDEO" else "image"
    media = [PageMedia(kind, url) for url in (publish.data.get("urls") or [])] if publish else []
    return post_page(request, network="TikTok", record=post, author=f"@{username}", media=media)


# --- OAuth (Login Kit) ------------------------------------------------------------------
AUTH_PARAMS = ("client_key", "scope", "response_type", "redirect_uri", "state", "code_challenge",
               "code_challenge_method")


def _redirect(uri: str, **params) -> HttpResponseRedirect:
    return HttpResponseRedirect(uri + ("&" if "?" in uri else "?") + urlencode(params))


@sandbox_view
def authorize(request):
    """GET: the consent page; POST: back to redirect_uri with a code (or access_denied)."""
    params = request.GET if request.method == "GET" else request.POST
    if params.get("client_key") != settings.SANDBOX_APP["client_id"]:
        return HttpResponse("<p>Unknown client_key.</p>", status=400)
    if params.get("response_type") != "code" or not params.get("redirect_uri"):
        return HttpResponse("<p>response_type=code and redirect_uri are required.</p>", status=400)
    if request.method == "GET":
        return oauth.consent_page(
            request,
            network="TikTok",
            params=params,
            client_id=params["client_key"],
            scopes=params.get("scope", "").split(","),
            keep=AUTH_PARAMS,
            inputs=[("username", "Sandbox username", "sandbox_creator")],
        )
    state = params.get("state", "")
    if request.POST.get("decision") != "allow":
        return _redirect(params["redirect_uri"], error="access_denied",
                         error_description="The user denied the authorization.", state=state)
    username = request.POST.get("username", "").strip() or "sandbox_creator"
    code = oauth.issue_code(NET, redirect_uri=params["redirect_uri"], owner=_open_id_for(username),
                            username=username, scope=params.get("scope", ""))
    return _redirect(params["redirect_uri"], code=code, scopes=params.get("scope", ""), state=state)


def _open_id_for(username: str) -> str:
    return f"sbx_open_{account_id_for('user:' + username)}"


def _issue(open_id: str, username: str, scope: str) -> JsonResponse:
    access, refresh = f"sbx_act.{secrets.token_hex(20)}", f"sbx_rft.{secrets.token_hex(20)}"
    record_create(NET, "token", access, owner=open_id, username=username, scope=scope)
    record_create(NET, "refresh_token", refresh, owner=open_id, status="active", username=username, scope=scope)
    return JsonResponse({"access_token": access, "expires_in": ACCESS_SECONDS, "open_id": open_id,
                         "refresh_expires_in": REFRESH_SECONDS, "refresh_token": refresh, "scope": scope,
                         "token_type": "Bearer"})


@sandbox_view
def token(request):
    """POST /v2/oauth/token/: authorization_code, or refresh_token (rotating: a used refresh
    token is refused)."""
    if request.method != "POST":
        return _oauth_fail("invalid_request", "Use POST.", status=405)
    form = request.POST
    app = settings.SANDBOX_APP
    if form.get("client_key") != app["client_id"] or form.get("client_secret") != app["client_secret"]:
        return _oauth_fail("invalid_client", "Client key or secret is incorrect.", status=401)
    if form.get("grant_type") == "authorization_code":
        return _exchange_code(form)
    if form.get("grant_type") == "refresh_token":
        return _rotate(request, form.get("refresh_token", ""))
    return _oauth_fail("unsupported_grant_type", "grant_type must be authorization_code or refresh_token.")


def _exchange_code(form) -> JsonResponse:
    code = record_get(NET, "code", form.get("code", ""))
    if code is None or code.status == "used" or code.data["redirect_uri"] != form.get("redirect_uri"):
        return _oauth_fail("invalid_grant", "Authorization code is expired, used or issued for another redirect_uri.")
    code.status = "used"
    code.save(update_fields=["status", "updated_at"])
    return _issue(code.owner, code.data["username"], code.data["scope"])


def _rotate(request, refresh_token: str) -> JsonResponse:
    stored = record_get(NET, "refresh_token", refresh_token)
    dead = stored is not None and stored.status != "active"
    if request.sandbox.name == "token_expired" or is_refused_token(refresh_token) or dead:
        return _oauth_fail("invalid_grant", "Refresh token is invalid or expired.")
    if stored is None:  # a refresh token the sandbox did not issue: accept it once, for the creator named
        claimed, digits = claimed_account(request), account_id_for(refresh_token)
        owner = claimed or f"sbx_open_{digits}"
        username = f"sandbox_{account_id_for(claimed)[:8]}" if claimed else f"sandbox_{digits[:8]}"
        stored = record_create(NET, "refresh_token", refresh_token, owner=owner, username=username,
                               scope="user.info.basic,video.publish,video.list")
    stored.status = "rotated"
    stored.save(update_fields=["status", "updated_at"])
    return _issue(stored.owner, stored.data["username"], stored.data.get("scope", ""))


def demo_credentials(token: str) -> dict:
    """The credentials besides the token that `manage.py demo_setup` connects a sandbox
    account of this network with."""
    return {}


urlpatterns = [
    path("v2/auth/authorize/", authorize, name="sandbox-tiktok-authorize"),
    path("v2/oauth/token/", token, name="sandbox-tiktok-token"),
    path("v2/user/info/", user_info),
    path("v2/post/publish/creator_info/query/", creator_info),
    path("v2/post/publish/video/init/", video_init),
    path("v2/post/publish/content/init/", content_init),
    path("v2/post/publish/status/fetch/", status_fetch),
    path("v2/video/query/", video_query),
    re_path(r"^@(?P<username>[\w.-]+)/video/(?P<post_id>\d+)$", post_page_view, name="sandbox-tiktok-post"),
]
