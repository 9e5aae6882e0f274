"""Sandbox Threads: the subset of Meta's Threads API Dravo uses, mounted at
/sandbox/threads/ in place of graph.threads.net and threads.com.

Written from Meta's Threads docs (https://developers.facebook.com/docs/threads): a media
container (`POST /{user}/threads`) reads IN_PROGRESS once, then FINISHED (or ERROR with an
`error_message`); `threads_publish` before FINISHED answers 24/4279009 "Media Not Found";
containers expire after 24 h and read PUBLISHED once published; text is at most 500
characters with an emoji counting its UTF-8 bytes and at most 5 links; a carousel takes
2–20 carousel items; a poll (2–4 options of 1–25 characters) and a link attachment go on
TEXT posts only; 250 posts and 1,000 replies per rolling 24 h, read at
`threads_publishing_limit`; tokens: 1 h from the code, 60 days from `th_exchange_token`,
`th_refresh_token` only for a long-lived token at least 24 h old; the profile's
`threads_insights` (core.account_metrics). Errors are Graph's
envelope (sandbox.graph).
"""

import json
import re
import secrets
from datetime import UTC, timedelta

from django.conf import settings
from django.http import JsonResponse
from django.urls import path, re_path, reverse
from django.utils import timezone

from sandbox import oauth
from sandbox.core import (
    REJECT_REASON,
    PageMedia,
    account_id_for,
    account_metrics,
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
from sandbox.graph import (
    bad_param,
    container_status,
    expired_token,
    graph_error,
    graph_view,
    invalid_token,
    not_found,
    params_of,
)

NETWORK = "threads"
QUOTA_TOTAL, REPLY_QUOTA_TOTAL = 250, 1000  # per rolling 24 h; tests may lower them
DAY = timedelta(hours=24)
SHORT_LIVED_S, LONG_LIVED_S = 3600, 5_184_000
TEXT_LIMIT, LINK_LIMIT, ALT_TEXT_LIMIT = 500, 5, 1000
CAROUSEL_MIN, CAROUSEL_MAX = 2, 20
MEDIA_TYPES = ("TEXT", "IMAGE", "VIDEO", "CAROUSEL")
REPLY_CONTROL = ("everyone", "accounts_you_follow", "mentioned_only", "parent_post_author_only", "followers_only")
METRIC_RATES = {"views": 50, "likes": 6, "replies": 2, "reposts": 1, "quotes": 0.5, "shares": 1}
# The profile's insights (threads_insights), per-account rates of core.account_metrics.
USER_INSIGHT_RATES = {"views": 40, "likes": 30, "replies": 8, "reposts": 4, "quotes": 2, "followers_count": 900}
SCOPES = "threads_basic,threads_content_publish,threads_manage_replies,threads_manage_insights"
URL = re.compile(r"(?:https?://|www\.)[^\s<>\"']+", re.IGNORECASE)
SANDBOX_USER = account_id_for("threads-sandbox-user", 17)  # who "signs in" on the consent page
EMOJI = re.compile("[\U0001f000-\U0010ffff\u2300-\u23ff\u2600-\u27bf\u2b00-\u2bff\u200d\ufe0f\u20e3]")


# --- who is calling ---------------------------------------------------------------------------
def user_of(request) -> str:
    """The Threads user of the request's token: the one it was issued for or bound to (a
    connect's verify() names it), else one derived from the token."""
    record = token_binding(NETWORK, request.token, request)
    return record.owner if record else account_id_for("threads:" + request.token, 17)


def token_refusal(request):
    """Expired (60 days, or 1 hour for a code's token) or the token_expired behaviour."""
    record = record_get(NETWORK, "token", request.token)
    lifetime = (record.data.get("expires_in") if record else None) or 0
    if request.sandbox.name == "token_expired" or (
        lifetime and timezone.now() > record.created_at + timedelta(seconds=lifetime)
    ):
        return expired_token()
    return None


def username_for(user_id: str) -> str:
    return f"sandbox_{user_id[-6:]}"


def owner_problem(request, user_id: str):
    """The answer when the path's user is not the token's (`me` is)."""
    if user_id != "me" and user_id != user_of(request):
        return not_found(user_id)
    return token_refusal(request)


# --- rules of a container ----------------------------------------------------------------------
def text_count(text: str) -> int:
    return len(text) + sum(len(char.encode()) - 1 for char in EMOJI.findall(text))


def link_count(text: str, attachment: str) -> int:
    def norm(url: str) -> str:
        return re.sub(r"^https?://", "", url.rstrip(".,;:!?)").lower()).rstrip("/")

    return len({norm(url) for url in URL.findall(text)} | ({norm(attachment)} if attachment else set()))


def container_problem(values: dict, owner: str):
    """The first rule of `POST /{user}/threads` the values break, as Meta answers it."""
    media_type, item = values.get("media_type", ""), values.get("is_carousel_item") == "true"
    text = values.get("text", "")
    if media_type not in MEDIA_TYPES:
        return bad_param(f"Param media_type must be one of {{{', '.join(MEDIA_TYPES)}}}")
    if text_count(text) > TEXT_LIMIT:
        return bad_param(f"Param text must be at most {TEXT_LIMIT} characters long.", subcode=4279014)
    if link_count(text, values.get("link_attachment", "")) > LINK_LIMIT:
        return graph_error("THREADS_API__LINK_LIMIT_EXCEEDED", 100, user_msg="A post can contain at most 5 links.")
    required = {"TEXT": "text", "IMAGE": "image_url", "VIDEO": "video_url", "CAROUSEL": "children"}[media_type]
    if not values.get(required):
        return bad_param(f"The parameter {required} is required for media_type {media_type}")
    if item and media_type not in ("IMAGE", "VIDEO"):
        return bad_param("Only IMAGE and VIDEO containers can be carousel items.")
    if media_type != "TEXT" and any(name in values for name in ("poll_attachment", "link_attachment")):
        return bad_param("poll_attachment and link_attachment are only available on TEXT posts.")
    return option_problem(values, media_type) or reference_problem(values, owner, media_type)


def option_problem(values: dict, media_type: str):
    if values.get("reply_control", "everyone") not in REPLY_CONTROL:
        return bad_param(f"Param reply_control must be one of {{{', '.join(REPLY_CONTROL)}}}")
    tag = values.get("topic_tag")
    if tag is not None and (not 1 <= len(tag) <= 50 or "." in tag or "&" in tag):
        return bad_param("Param topic_tag must be 1 to 50 characters, without '.' or '&'.")
    if "alt_text" in values and (media_type not in ("IMAGE", "VIDEO") or len(values["alt_text"]) > ALT_TEXT_LIMIT):
        return bad_param(f"Param alt_text applies to IMAGE and VIDEO, at most {ALT_TEXT_LIMIT} characters.")
    if "poll_attachment" in values:
        return poll_problem(values["poll_attachment"])
    return None


def poll_problem(raw: str):
    try:
        poll = json.loads(raw)
    except ValueError:
        poll = None
    keys = ("option_a", "option_b", "option_c", "option_d")
    if not isinstance(poll, dict) or set(poll) - set(keys) or not {"option_a", "option_b"} <= set(poll):
        return bad_param("Param poll_attachment must be an object of option_a, option_b and optionally option_c, d.")
    if any(not isinstance(text, str) or not 1 <= len(text) <= 25 for text in poll.values()):
        return bad_param("Each poll option must be 1 to 25 characters.")
    if "option_d" in poll and "option_c" not in poll:
        return bad_param("Param poll_attachment: option_d needs option_c.")
    return None


def reference_problem(values: dict, owner: str, media_type: str):
    for name in ("reply_to_id", "quote_post_id"):
        if values.get(name) and record_get(NETWORK, "post", values[name]) is None:
            return graph_error(
                "The requested resource does not exist", 24, subcode=4279009, user_msg=f"{values[name]} not found."
            )
    if media_type != "CAROUSEL":
        return None
    ids = [child for child in values["children"].split(",") if child]
    if not CAROUSEL_MIN <= len(ids) <= CAROUSEL_MAX:
        return bad_param(f"A carousel takes {CAROUSEL_MIN} to {CAROUSEL_MAX} children ({len(ids)} given).")
    for child in ids:
        record = record_get(NETWORK, "container", child)
        if not record or record.owner != owner or not record.data.get("is_carousel_item"):
            return bad_param(f"{child} is not a carousel item container of this user.")
        if container_status(record, advance=False) != "FINISHED":
            return bad_param(f"The carousel item {child} is not FINISHED.")
    return None


def sample_of(url: str) -> tuple[str, bool]:
    """(content type, fetchable) of a sandbox sample file URL; other URLs are taken as fine."""
    if "/sandbox/files/" not in url:
        return "", True
    name = url.rsplit("/sandbox/files/", 1)[1]
    return (SAMPLES[name][0], True) if name in SAMPLES else ("", False)


def processing_error(values: dict) -> str:
    """The error_message the container reaches once Meta has fetched its media ("" if none)."""
    if values.get("video_url"):
        mime, fetched = sample_of(values["video_url"])
        if not fetched:
            return "FAILED_DOWNLOADING_VIDEO"
        return "FAILED_PROCESSING_VIDEO" if mime and not mime.startswith("video/") else ""
    if values.get("image_url"):
        mime, _ = sample_of(values["image_url"])
        return "UNKNOWN" if mime and mime not in ("image/jpeg", "image/png") else ""
    return ""


def publish_gate(request, *key, first_step: bool):
    """The account's sandbox behaviour at a publishing step; None to go on."""
    behavior = request.sandbox.name
    if behavior == "token_expired":
        return expired_token()
    if behavior == "rejects":
        return graph_error(REJECT_REASON, 100, subcode=2207051)
    if first_step and behavior in ("rate_limited", "flaky") and first_attempt(NETWORK, behavior, request.token, *key):
        if behavior == "rate_limited":
            headers = {"Retry-After": "1"}
            return graph_error("Application request limit reached", 4, status=429, transient=True, headers=headers)
        return graph_error("An unexpected error has occurred. Please retry your request later.", 2, status=503)
    return None


# --- publishing -------------------------------------------------------------------------------
@graph_view(methods=("GET", "POST"))
def user_threads(request, version, user_id):
    """POST creates a media container; GET lists the user's posts (not replies)."""
    refusal = owner_problem(request, user_id)
    if refusal:
        return refusal
    owner = user_of(request)
    if request.method == "GET":
        return post_list(request, owner, replies=False)
    values = {key: value for key, value in params_of(request).items() if key != "access_token"}
    item = values.get("is_carousel_item") == "true"
    key = values.get("text") or values.get("image_url") or values.get("video_url") or values.get("children", "")
    refusal = publish_gate(request, key, first_step=not item and not values.get("reply_to_id"))
    if refusal or (refusal := container_problem(values, owner)):
        return refusal
    if values.get("image_url") and not sample_of(values["image_url"])[1]:
        return graph_error("The media could not be fetched from this URI.", 100, subcode=2207052)
    container_id = numeric_id(17)
    values.update(is_carousel_item=item, error=processing_error(values))
    record_create(NETWORK, "container", container_id, owner=owner, status="IN_PROGRESS", **values)
    return JsonResponse({"id": container_id})


def used_quota(owner: str, *, replies: bool) -> int:
    recent = record_list(NETWORK, "post", owner=owner).filter(created_at__gte=timezone.now() - DAY)
    return recent.exclude(data__reply_to="").count() if replies else recent.filter(data__reply_to="").count()


@graph_view(methods=("POST",))
def threads_publish(request, version, user_id):
    refusal = owner_problem(request, user_id)
    if refusal:
        return refusal
    owner, container_id = user_of(request), params_of(request).get("creation_id", "")
    container = record_get(NETWORK, "container", container_id)
    if container is None or container.owner != owner:
        return graph_error("The requested resource does not exist", 24, subcode=4279009, user_msg="Media Not Found")
    refusal = publish_gate(request, container_id, first_step=False) or publish_problem(container)
    if refusal:
        return refusal
    post_id, values = numeric_id(17), container.data
    media_type = {"TEXT": "TEXT_POST", "CAROUSEL": "CAROUSEL_ALBUM"}.get(values["media_type"], values["media_type"])
    record_create(
        NETWORK,
        "post",
        post_id,
        owner=owner,
        text=values.get("text", ""),
        media_type=media_type,
        shortcode=secrets.token_urlsafe(8)[:11],
        container_id=container_id,
        reply_to=values.get("reply_to_id", ""),
        quote=values.get("quote_post_id", ""),
        topic_tag=values.get("topic_tag", ""),
    )
    container.status = "PUBLISHED"
    container.data["post_id"] = post_id
    container.save(update_fields=["status", "data", "updated_at"])
    return JsonResponse({"id": post_id})


def publish_problem(container):
    status = container_status(container, advance=False)
    if container.data.get("is_carousel_item"):
        return bad_param("A carousel item cannot be published on its own.")
    if status == "EXPIRED":
        return bad_param("The media container has expired.")
    if status == "PUBLISHED":
        return bad_param("This media container has already been published.")
    if status == "ERROR":
        return bad_param(f"The media container failed: {container.data['error']}")
    if status != "FINISHED":
        return graph_error("The requested resource does not exist", 24, subcode=4279009, user_msg="Media Not Found")
    reply = bool(container.data.get("reply_to_id"))
    if used_quota(container.owner, replies=reply) >= (REPLY_QUOTA_TOTAL if reply else QUOTA_TOTAL):
        # (unconfirmed) the code of an exhausted quota; Meta documents the limit, not the answer
        return graph_error(f"You have reached the 24-hour limit of published {'replies' if reply else 'posts'}.", 9)
    return None




@graph_view()
def publishing_limit(request, version, user_id):
    refusal = owner_problem(request, user_id)
    if refusal:
        return refusal
    owner = user_of(request)
    usage = {
        "quota_usage": used_quota(owner, replies=False),
        "config": {"quota_total": QUOTA_TOTAL, "quota_duration": 86400},
        "reply_quota_usage": used_quota(owner, replies=True),
        "reply_config": {"quota_total": REPLY_QUOTA_TOTAL, "quota_duration": 86400},
    }
    wanted = [name for name in request.GET.get("fields", "quota_usage").split(",") if name in usage]
    return JsonResponse({"data": [{name: usage[name] for name in wanted}]})


# --- reading ---------------------------------------------------------------------------------
def post_fields(post) -> dict:
    username = username_for(post.owner)
    page = reverse("sandbox-threads-post", kwargs={"username": username, "shortcode": post.data["shortcode"]})
    return {
        "id": post.object_id,
        "media_product_type": "THREADS",
        "media_type": post.data["media_type"],
        "text": post.data.get("text", ""),
        "permalink": settings.SANDBOX_URL + page,
        "shortcode": post.data["shortcode"],
        "timestamp": post.created_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+0000"),
        "username": username,
        "is_quote_post": bool(post.data.get("quote")),
        "is_reply": bool(post.data.get("reply_to")),
        "topic_tag": post.data.get("topic_tag", ""),
    }


def only(fields: dict, request, default: str = "id") -> dict:
    wanted = [name for name in (request.GET.get("fields") or default).split(",") if name in fields]
    return {"id": fields["id"], **{name: fields[name] for name in wanted}}


def post_list(request, owner: str, *, replies: bool):
    posts = record_list(NETWORK, "post", owner=owner)
    posts = posts.exclude(data__reply_to="") if replies else posts.filter(data__reply_to="")
    limit = int(request.GET["limit"]) if request.GET.get("limit", "").isdigit() else 25
    data = [only(post_fields(post), request) for post in posts[:limit]]
    return JsonResponse({"data": data, "paging": {"cursors": {"before": "QVFIU", "after": "QVFIU"}}})


@graph_view()
def user_replies(request, version, user_id):
    refusal = owner_problem(request, user_id)
    return refusal or post_list(request, user_of(request), replies=True)


@graph_view()
def me(request, version):
    refusal = token_refusal(request)
    if refusal:
        return refusal
    user_id = user_of(request)
    profile = {
        "id": user_id,
        "username": username_for(user_id),
        "name": "Sandbox Threads",
        "threads_profile_picture_url": f"{settings.SANDBOX_URL}/sandbox/files/sample.jpg",
        "threads_biography": "A profile of the Dravo sandbox.",
    }
    return JsonResponse(only(profile, request))


@graph_view()
def graph_object(request, version, object_id):
    """GET /{id}: a container's status, or a post's fields."""
    refusal = token_refusal(request)
    if refusal:
        return refusal
    container = record_get(NETWORK, "container", object_id)
    if container:
        status = container_status(container, advance=True)
        body = {"id": object_id, "status": status}
        if status == "ERROR":
            body["error_message"] = container.data["error"]
        return JsonResponse(body)
    post = record_get(NETWORK, "post", object_id)
    if post:
        return JsonResponse(only(post_fields(post), request))
    return not_found(object_id)


@graph_view()
def insights(request, version, media_id):
    refusal = token_refusal(request)
    if refusal:
        return refusal
    post = record_get(NETWORK, "post", media_id)
    if post is None:
        return not_found(media_id)
    names = [name for name in request.GET.get("metric", "").split(",") if name]
    for index, name in enumerate(names):
        if name not in METRIC_RATES:
            return bad_param(f"metric[{index}] must be one of the following values: {', '.join(METRIC_RATES)}")
    values = grown_metrics(post, METRIC_RATES)
    data = [
        {
            "name": name,
            "period": "lifetime",
            "values": [{"value": values[name]}],
            "title": name.capitalize(),
            "description": f"The number of {name} of the post.",
            "id": f"{media_id}/insights/{name}/lifetime",
        }
        for name in names
    ]
    return JsonResponse({"data": data})


@graph_view()
def user_insights(request, version, user_id):
    """GET /{user}/threads_insights: `views` as a daily series over since..until (the
    sandbox gives one day's value), the others as `total_value`; `followers_count` grows a
    little each day. Numbers from core.account_metrics, the same on every read of a day."""
    refusal = owner_problem(request, user_id)
    if refusal:
        return refusal
    names = [name for name in request.GET.get("metric", "").split(",") if name]
    if not names:
        return bad_param("The parameter metric is required")
    for index, name in enumerate(names):
        if name not in USER_INSIGHT_RATES:
            allowed = ", ".join(USER_INSIGHT_RATES)
            return bad_param(f"metric[{index}] must be one of the following values: {allowed}")
    owner = user_of(request)
    values = account_metrics(owner, USER_INSIGHT_RATES)
    end_time = timezone.now().astimezone(UTC).replace(hour=8, minute=0, second=0, microsecond=0)
    data = []
    for name in names:
        item = {"name": name, "period": "day", "title": name, "description": f"The profile's {name}."}
        if name == "views":
            item["values"] = [{"value": values[name], "end_time": end_time.strftime("%Y-%m-%dT%H:%M:%S+0000")}]
        else:
            item["total_value"] = {"value": values[name]}
        data.append({**item, "id": f"{owner}/insights/{name}/day"})
    return JsonResponse({"data": data})


# --- tokens ------------------------------------------------------------------------------------
def issue_token(owner: str, lifetime_s: int, *, long_lived: bool) -> str:
    """A token of `owner`; Threads has no refresh token (the long-lived token refreshes itself)."""
    data = {"expires_in": lifetime_s, "long_lived": long_lived, "scope": SCOPES}
    return oauth.issue_tokens(NETWORK, owner, lifetime_s=lifetime_s, refresh=False, prefix="sbx_th_", **data)[
        "access_token"
    ]


def app_error(message: str = "No application data was given for the Threads app."):
    """The answer of Threads' OAuth endpoints to an app it does not know (not Graph's envelope)."""
    return JsonResponse({"error_message": message, "error_code": 1349026}, status=400)


@sandbox_view
def authorize(request):
    """threads.com/oauth/authorize: the consent page (GET), Allow / Deny (POST)."""
    params = params_of(request)
    if params.get("client_id") != settings.SANDBOX_APP["client_id"]:
        return app_error()
    if not params.get("redirect_uri", "").startswith(("http://", "https://")) or params.get("response_type") != "code":
        return bad_param("Invalid redirect_uri or response_type (code expected).")
    if request.method == "GET":
        keep = ("client_id", "redirect_uri", "scope", "response_type", "state")
        scopes = (params.get("scope") or SCOPES).split(",")
        return oauth.consent_page(
            request,
            network="Threads",
            params=params,
            client_id=params["client_id"],
            scopes=scopes,
            keep=keep,
            signed_in_as="@" + username_for(SANDBOX_USER),
        )
    denied = {"error_reason": "user_denied", "error_description": "Permissions error"}
    return oauth.consent_decision(
        NETWORK,
        params,
        redirect_uri=params["redirect_uri"],
        state=params.get("state", ""),
        owner=SANDBOX_USER,
        denied=denied,
        scope=params.get("scope") or SCOPES,
    )


@sandbox_view
def code_token(request):
    """POST graph.threads.net/oauth/access_token: a code → a 1-hour token and the user id."""
    values = params_of(request)
    if request.method != "POST" or values.get("grant_type") != "authorization_code":
        return bad_param("Param grant_type must be authorization_code (POST).")
    if values.get("client_id") != settings.SANDBOX_APP["client_id"]:
        return app_error()
    if values.get("client_secret") != settings.SANDBOX_APP["client_secret"]:
        return graph_error("Error validating client secret.", 1)
    record, why = oauth.redeem_code(NETWORK, values.get("code", ""), redirect_uri=values.get("redirect_uri"))
    if record is None:
        return bad_param(f"Error validating verification code ({why}).", subcode=36007)
    token = issue_token(record.owner, SHORT_LIVED_S, long_lived=False)
    return JsonResponse({"access_token": token, "user_id": int(record.owner)})


@sandbox_view
def exchange_token(request):
    """GET /access_token?grant_type=th_exchange_token&client_secret&access_token: 60 days."""
    values = params_of(request)
    if values.get("grant_type") != "th_exchange_token":
        return bad_param("Param grant_type must be th_exchange_token")
    if values.get("client_secret") != settings.SANDBOX_APP["client_secret"]:
        return graph_error("Error validating client secret.", 1)
    return long_lived_answer(request, values.get("access_token", ""), refresh=False)


@sandbox_view
def refresh_token(request):
    """GET /refresh_access_token?grant_type=th_refresh_token&access_token: a new 60-day token,
    for a long-lived token at least 24 h old and unexpired."""
    values = params_of(request)
    if values.get("grant_type") != "th_refresh_token":
        return bad_param("Param grant_type must be th_refresh_token")
    return long_lived_answer(request, values.get("access_token", ""), refresh=True)


def long_lived_answer(request, token: str, *, refresh: bool):
    if is_refused_token(token):
        return invalid_token()
    record = record_get(NETWORK, "token", token)
    expires_in = (record.data.get("expires_in") if record else None) or 0
    expired = expires_in and timezone.now() > record.created_at + timedelta(seconds=expires_in)
    if request.sandbox.name == "token_expired" or expired:
        return expired_token()
    issued = record is not None and record.status != "bound"  # a bound token is a connect's own: age unknown
    if refresh and issued and not record.data.get("long_lived"):
        return bad_param("Only a long-lived access token can be refreshed.")
    if refresh and issued and timezone.now() - record.created_at < DAY:
        return bad_param("The access token can be refreshed once it is at least 24 hours old.")
    owner = record.owner if record else account_id_for("threads:" + token, 17)
    new = issue_token(owner, LONG_LIVED_S, long_lived=True)
    return JsonResponse({"access_token": new, "token_type": "bearer", "expires_in": LONG_LIVED_S})


# --- the public website: the page of a post ------------------------------------------------------
def page_media(post) -> list[PageMedia]:
    container = record_get(NETWORK, "container", post.data.get("container_id", ""))
    values = container.data if container else {}
    children = [record_get(NETWORK, "container", child) for child in values.get("children", "").split(",") if child]
    media = []
    for item in [child.data for child in children if child] or [values]:
        if item.get("video_url"):
            media.append(PageMedia("video", item["video_url"]))
        elif item.get("image_url"):
            media.append(PageMedia("image", item["image_url"]))
    return media


@sandbox_view
def post_page_view(request, username, shortcode):
    """www.threads.com/@{username}/post/{shortcode}: the sandbox's page of the post."""
    post = record_list(NETWORK, "post").filter(data__shortcode=shortcode).first()
    if post and username_for(post.owner) != username:
        post = None
    media = page_media(post) if post else ()
    return post_page(request, network="Threads", record=post, author=f"@{username}", media=media)


def demo_credentials(token: str) -> dict:
    """The credentials besides the token that `manage.py demo_setup` connects a sandbox
    account of this network with."""
    return {"threads_user_id": account_id_for("threads:" + token, 17)}


GRAPH = r"^(?P<version>v\d+\.\d+)/"
urlpatterns = [
    path("@<str:username>/post/<str:shortcode>", post_page_view, name="sandbox-threads-post"),
    path("oauth/authorize", authorize, name="sandbox-threads-authorize"),
    path("oauth/access_token", code_token, name="sandbox-threads-token"),
    path("access_token", exchange_token, name="sandbox-threads-exchange"),
    path("refresh_access_token", refresh_token, name="sandbox-threads-refresh"),
    re_path(GRAPH + r"me$", me),
    re_path(GRAPH + r"(?P<user_id>\d+|me)/threads$", user_threads),
    re_path(GRAPH + r"(?P<user_id>\d+|me)/replies$", user_replies),
    re_path(GRAPH + r"(?P<user_id>\d+|me)/threads_publish$", threads_publish),
    re_path(GRAPH + r"(?P<user_id>\d+|me)/threads_publishing_limit$", publishing_limit),
    re_path(GRAPH + r"(?P<user_id>\d+|me)/threads_insights$", user_insights),
    re_path(GRAPH + r"(?P<media_id>\d+)/insights$", insights),
    re_path(GRAPH + r"(?P<object_id>[^/]+)$", graph_object),
]
