"""Sandbox Facebook Pages (Graph API subset the client uses), mounted at /sandbox/facebook/.

Same paths as graph.facebook.com, graph-video.facebook.com, rupload.facebook.com and the
www.facebook.com OAuth dialog (all hosts map here), same bodies, numeric ids and
`{"error": {...}}` bodies. Enforces: duplicate status message (506), `attached_media` must
be unpublished photos of the Page, Reel upload before finish, 30 API Reels per Page per 24 h.
Videos and Reels are Video nodes, as on Graph: no `reactions`, `shares` or `/insights`
there, their numbers come from `/{video-id}/video_insights`. The www.facebook.com paths of
posts, videos and Reels answer the sandbox's page of the post.
"""

import json
import secrets
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.urls import re_path, reverse
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
    text_taken,
    token_binding,
)
from sandbox.files import SAMPLES
from sandbox.graph import bad_param, expired_token, graph_error, invalid_token, not_found, params_of

NETWORK = "facebook"
PAGE_TASKS = ["ADVERTISE", "ANALYZE", "CREATE_CONTENT", "MESSAGING", "MODERATE", "MANAGE"]
LIVE_METRICS = ("post_reactions_by_type_total", "post_clicks", "post_media_view", "post_total_media_view_unique")
REACTION_RATES = {"like": 6, "love": 2, "haha": 1, "wow": 0.5, "sorry": 0.2, "anger": 0.2}
COUNT_RATES = {"post_clicks": 9, "post_media_view": 60, "post_total_media_view_unique": 35, "comments": 2, "shares": 1}
REEL_CAP = 30
# The fields a Video node has (Graph refuses any other with "(#100) nonexisting field").
VIDEO_FIELDS = {"id", "created_time", "permalink_url", "status", "description", "title", "likes", "comments", "length"}
# `/{video-id}/video_insights` metrics, by video kind.
VIDEO_METRICS = {
    "video": (
        "total_video_views",
        "total_video_views_unique",
        "total_video_impressions_unique",
        "total_video_reactions_by_type_total",
        "total_video_stories_by_action_type",
    ),
    "reel": (
        "blue_reels_play_count",
        "post_impressions_unique",
        "post_video_likes_by_reaction_type",
        "post_video_social_actions",
    ),
}
LONG_LIVED_S = 5_184_000
# The Page's own numbers: node fields and Page Insights by day, as the client reads them.
PAGE_RATES = {"followers_count": 1200, "fan_count": 1100}
PAGE_INSIGHT_RATES = {"page_total_media_view_unique": 420, "page_post_engagements": 36}


# --- answers -------------------------------------------------------------------------------
def _truthy(value) -> bool:
    return value is True or str(value).lower() in ("true", "1")


def _token(request) -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() in ("bearer", "oauth") and value:
        return value.strip()
    return params_of(request).get("access_token", "")


def _identity(token: str) -> tuple[str, str]:
    """(kind, id) of a token: issued and bound ones are recorded; any other token is the
    Page's derived from it."""
    record = record_get(NETWORK, "token", token)
    if record:
        return record.data["role"], record.owner
    return "page", account_id_for(token)


def _issue(kind: str, owner: str) -> str:
    token = f"sbx_{kind}_{secrets.token_urlsafe(24)}"
    record_create(NETWORK, "token", token, owner=owner, role=kind)
    return token


def _gate(request, token, *, publish=False, first_step=None):
    """The token and behaviour checks of one call; an error answer or None."""
    behavior = request.sandbox.name
    if is_refused_token(token):
        return invalid_token()
    if behavior == "token_expired":
        return expired_token()
    if not publish:
        return None
    if behavior == "rejects":
        return graph_error(
            "(#368) The action attempted has been deemed abusive or is otherwise disallowed",
            368,
            user_msg=REJECT_REASON,
        )
    if behavior in ("rate_limited", "flaky") and first_step and first_attempt(NETWORK, token, first_step):
        if behavior == "rate_limited":
            return graph_error("(#32) Page request limit reached", 32, status=429, headers={"Retry-After": "1"})
        return graph_error(
            "An unexpected error has occurred. Please retry your request later.", 2, status=503, transient=True
        )
    return None


def _page_gate(request, token, page_id, *, first_step=None):
    """`_gate` for a publish on `page_id`, plus: only that Page's token may post there."""
    refused = _gate(request, token, publish=True, first_step=first_step)
    if refused:
        return refused
    kind, owner = _identity(token)
    if kind != "page" or owner != page_id:
        return graph_error("(#200) The user hasn't authorized the application to perform this action", 200)
    return None


def _media_problem(url: str, kind: str) -> str | None:
    """Why the sandbox cannot fetch `url` as `kind` (only its own sample files are checked)."""
    if not url:
        return "missing"
    path = urlsplit(url).path
    if "/sandbox/files/" not in path:
        return None
    name = path.rsplit("/", 1)[-1]
    if name not in SAMPLES:
        return "could not be downloaded"
    return None if SAMPLES[name][0].startswith(f"{kind}/") else f"is not an {kind} file"


def _time(moment) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


def _permalink(record) -> str:
    """As Graph answers it: absolute for posts (here on the sandbox's own website paths),
    relative to the website for videos and Reels."""
    if record.kind == "post":
        page, _, post = record.object_id.partition("_")
        return settings.SANDBOX_URL + reverse("sandbox-facebook-post", kwargs={"page_id": page, "post_id": post})
    if record.data.get("video_type") == "reel":
        return f"/reel/{record.object_id}"
    return f"/{record.owner}/videos/{record.object_id}/"


# --- OAuth ----------------------------------------------------------------------------------
@sandbox_view
def dialog(request, version):
    """The Facebook Login consent page: GET shows it, POST answers Allow/Deny to redirect_uri."""
    params = params_of(request)
    if params.get("client_id") != settings.SANDBOX_APP["client_id"] or not params.get("redirect_uri"):
        return HttpResponse("Invalid App ID: the sandbox only knows client_id dravo-sandbox.", status=400)
    if request.method == "POST":
        return _consent_answer(params)
    return oauth.consent_page(
        request,
        network="Facebook",
        params=params,
        client_id=params["client_id"],
        scopes=params.get("scope", "").split(","),
        keep=("client_id", "redirect_uri", "state", "scope"),
    )


def _consent_answer(params):
    denied = {"error_code": "200", "error_description": "Permissions error", "error_reason": "user_denied"}
    return oauth.consent_decision(
        NETWORK,
        params,
        redirect_uri=params["redirect_uri"],
        state=params.get("state", ""),
        denied=denied,
        scope=params.get("scope", ""),
    )


@sandbox_view
def access_token(request, version):
    """Code exchange (short-lived user token) and `fb_exchange_token` (60-day user token)."""
    params = params_of(request)
    app = settings.SANDBOX_APP
    if params.get("client_id") != app["client_id"] or params.get("client_secret") != app["client_secret"]:
        return graph_error("Error validating application. Invalid application ID.", 101)
    if params.get("grant_type") == "fb_exchange_token":
        old = params.get("fb_exchange_token", "")
        refused = _gate(request, old)
        if refused:
            return refused
        return _token_answer(_issue("user", _identity(old)[1]), LONG_LIVED_S)
    return _exchange_code(params)


def _exchange_code(params):
    record = record_get(NETWORK, "code", params.get("code", ""))
    if record is None:
        return bad_param("Invalid verification code format.")
    if record.status == "used":
        return bad_param("This authorization code has been used.", subcode=36009)
    if record.data["redirect_uri"] != params.get("redirect_uri"):
        return bad_param(
            "Error validating verification code. Please make sure your redirect_uri is identical "
            "to the one you used in the OAuth dialog request",
            subcode=36008,
        )
    record.status = "used"
    record.save(update_fields=["status", "updated_at"])
    return _token_answer(_issue("user", account_id_for(record.object_id)), 3600)


def _token_answer(token, expires_in):
    return JsonResponse({"access_token": token, "token_type": "bearer", "expires_in": expires_in})


def _me_accounts(request, token, node_id, params):
    """GET /me/accounts with a user token: the one Page of that user, with a fresh Page token."""
    refused = _gate(request, token)
    if refused:
        return refused
    record = record_get(NETWORK, "token", token)
    kind, user_id = (record.data["role"], record.owner) if record else ("user", account_id_for(token))
    if kind != "user" or node_id != "me":
        return bad_param("(#100) Tried accessing nonexisting field (accounts) on node type (Page)")
    page_id = account_id_for(f"page:{user_id}")
    page = {
        "id": page_id,
        "name": f"Sandbox Page {page_id[-4:]}",
        "access_token": _issue("page", page_id),
        "category": "Software",
        "tasks": PAGE_TASKS,
    }
    return JsonResponse({"data": [page], "paging": {"cursors": {"before": "QVFI", "after": "QVFI"}}})


# --- nodes and edges ----------------------------------------------------------------------------
@sandbox_view
def node(request, version, node_id):
    """GET /{id}?fields=…: the Page or user behind `me`, a post, a photo or a video."""
    token = _token(request)
    refused = _gate(request, token)
    if refused:
        return refused
    if node_id == "me":
        token_binding(NETWORK, token, request, role="page")  # a connect's verify() names the token's Page
        kind, owner = _identity(token)
        return JsonResponse({"id": owner, "name": f"Sandbox {kind.title()} {owner[-4:]}"})
    fields = {name.split(".")[0].split("{")[0] for name in params_of(request).get("fields", "id").split(",")}
    if _identity(token) == ("page", node_id):  # the token's own Page node
        values = {"id": node_id, "name": f"Sandbox Page {node_id[-4:]}", **account_metrics(node_id, PAGE_RATES)}
        return JsonResponse({key: value for key, value in values.items() if key in fields | {"id"}})
    record = _object(node_id)
    if record is None:
        return not_found(node_id, kind="OAuthException")
    unknown = sorted(fields - VIDEO_FIELDS) if record.kind == "video" else []
    if unknown:
        return bad_param(f"(#100) Tried accessing nonexisting field ({unknown[0]}) on node type (Video)")
    return JsonResponse(_fields(record, fields | {"id"}))


def _object(object_id):
    for kind in ("post", "video", "photo"):
        record = record_get(NETWORK, kind, object_id)
        if record:
            return record
    return None


def _fields(record, wanted: set[str]) -> dict:
    """The requested fields of a post, photo or video node (reading `status` advances a video)."""
    values = {"id": record.object_id, "created_time": _time(record.created_at), "permalink_url": _permalink(record)}
    if record.kind == "photo":
        values["link"] = f"https://www.facebook.com/photo/?fbid={record.object_id}"
        return {key: value for key, value in values.items() if key in wanted}
    if record.kind == "video":
        return _video_fields(record, wanted, values)
    if record.data.get("text"):
        values["message"] = record.data["text"]
    counts = _counts(record)
    values["reactions"] = {"data": [], "summary": {"total_count": counts["reactions"], "viewer_reaction": "NONE"}}
    values["comments"] = {"data": [], "summary": {"order": "ranked", "total_count": counts["comments"]}}
    if counts["shares"]:  # Graph leaves `shares` out until someone shares
        values["shares"] = {"count": counts["shares"]}
    return {key: value for key, value in values.items() if key in wanted}


def _video_fields(record, wanted: set[str], values: dict) -> dict:
    """The requested fields of a Video node (the caller refuses those it lacks)."""
    if "status" in wanted:
        values["status"] = _video_status(record)
    counts = _counts(record)
    values.update(description=record.data.get("description", ""), title=record.data.get("title", ""), length=15.0)
    values["likes"] = {"data": [], "summary": {"total_count": counts["like"]}}
    values["comments"] = {"data": [], "summary": {"order": "ranked", "total_count": counts["comments"]}}
    return {key: value for key, value in values.items() if key in wanted}


def _counts(record) -> dict:
    grown = grown_metrics(record, {**REACTION_RATES, **COUNT_RATES})
    comments = record_list(NETWORK, "comment", owner=record.object_id).count()
    return {**grown, "reactions": sum(grown[key] for key in REACTION_RATES), "comments": grown["comments"] + comments}


def _video_status(record) -> dict:
    """Reels wait for upload and finish; then the first read is `processing`, the next `ready`."""
    data = record.data
    if data.get("video_type") == "reel" and not data.get("finished"):
        uploaded = "complete" if data.get("uploaded") else "not_started"
        return {
            "video_status": "upload_complete" if data.get("uploaded") else "upload_not_started",
            "uploading_phase": {"status": uploaded},
            "processing_phase": {"status": "not_started"},
            "publishing_phase": {"status": "not_started"},
        }
    ready = data.get("status_reads", 0) >= 1
    data["status_reads"] = data.get("status_reads", 0) + 1
    record.save(update_fields=["data", "updated_at"])
    done = "complete" if ready else "in_progress"
    return {
        "video_status": "ready" if ready else "processing",
        "uploading_phase": {"status": "complete"},
        "processing_phase": {"status": done},
        "publishing_phase": {"status": "complete" if ready else "not_started"},
    }


@sandbox_view
def edge(request, version, node_id, edge_name):
    """POST/GET /{id}/{edge}: feed, photos, videos, video_reels, comments, insights, me/accounts."""
    token = _token(request)
    handler = EDGES.get((request.method, edge_name))
    if handler is None:
        return bad_param(f"(#100) Tried accessing nonexisting field ({edge_name})")
    return handler(request, token, node_id, params_of(request))


def _post_feed(request, token, page_id, params):
    attached = _attached_ids(params.get("attached_media") or [])
    if attached is None:
        return bad_param("(#100) param attached_media must be an array of {media_fbid} objects")
    message, link = params.get("message", ""), params.get("link", "")
    refused = _page_gate(request, token, page_id, first_step=None if attached else f"feed:{message}:{link}")
    if refused:
        return refused
    if not (message or link or attached):
        return bad_param("(#100) Missing message or attachment")
    for index, photo_id in enumerate(attached):
        photo = record_get(NETWORK, "photo", photo_id)
        if photo is None or photo.owner != page_id or photo.status != "unpublished":
            return bad_param(f"(#100) param attached_media[{index}] must be an unpublished photo of this Page")
    if message and not attached and text_taken(NETWORK, page_id, message):
        return graph_error(
            "Duplicate status message",
            506,
            subcode=1455006,
            user_msg=(
                "This status update is identical to the last one you posted. Try posting something different, "
                "or delete your previous update."
            ),
        )
    post = _create_post(page_id, message, link=link, photos=attached)
    record_list(NETWORK, "photo", owner=page_id).filter(object_id__in=attached).update(status="attached")
    answer = {"id": post.object_id}
    if "permalink_url" in params.get("fields", ""):
        answer["permalink_url"] = _permalink(post)
    return JsonResponse(answer)


def _attached_ids(value) -> list[str] | None:
    """`attached_media` as photo ids, from a JSON body or a form field holding JSON; None if malformed."""
    try:
        items = json.loads(value) if isinstance(value, str) else value
        return [str(item["media_fbid"]) for item in items]
    except (ValueError, TypeError, KeyError):
        return None


def _create_post(page_id, text, **data):
    return record_create(
        NETWORK, "post", f"{page_id}_{numeric_id(16)}", owner=page_id, status="published", text=text, **data
    )


def _get_feed(request, token, page_id, params):
    refused = _gate(request, token)
    if refused:
        return refused
    posts = record_list(NETWORK, "post", owner=page_id)
    if str(params.get("since", "")).isdigit():
        since = datetime.fromtimestamp(int(params["since"]), tz=UTC)
        posts = posts.filter(created_at__gte=since)
    limit = int(params["limit"]) if str(params.get("limit", "")).isdigit() else 25
    items = [_fields(post, {"id", "message", "created_time", "permalink_url"}) for post in posts[:limit]]
    return JsonResponse({"data": items, "paging": {}})


def _post_photo(request, token, page_id, params):
    published = _truthy(params.get("published", True))
    step = f"photo:{params.get('caption', '')}:{params.get('url', '')}" if published else "unpublished-photos"
    refused = _page_gate(request, token, page_id, first_step=step)
    if refused:
        return refused
    problem = _media_problem(params.get("url", ""), "image")
    if problem:
        return graph_error(f"(#324) Missing or invalid image file: the url {problem}", 324)
    photo_id = numeric_id(16)
    if not published:
        record_create(NETWORK, "photo", photo_id, owner=page_id, status="unpublished", url=params["url"])
        return JsonResponse({"id": photo_id})
    post = _create_post(page_id, params.get("caption", ""), photos=[photo_id])
    record_create(
        NETWORK, "photo", photo_id, owner=page_id, status="published", post_id=post.object_id, url=params["url"]
    )
    return JsonResponse({"id": photo_id, "post_id": post.object_id})


def _post_video(request, token, page_id, params):
    refused = _page_gate(request, token, page_id, first_step=f"video:{params.get('file_url', '')}")
    if refused:
        return refused
    problem = _media_problem(params.get("file_url", ""), "video")
    if problem:
        return graph_error(f"(#6000) There was a problem uploading your video file: the file_url {problem}", 6000)
    video_id = numeric_id(16)
    record_create(
        NETWORK,
        "video",
        video_id,
        owner=page_id,
        status="processing",
        video_type="video",
        file_url=params.get("file_url", ""),
        text=params.get("description", ""),
        description=params.get("description", ""),
        title=params.get("title", ""),
    )
    return JsonResponse({"id": video_id})


def _post_reel(request, token, page_id, params):
    phase = params.get("upload_phase")
    if phase == "start":
        return _start_reel(request, token, page_id)
    if phase == "finish":
        return _page_gate(request, token, page_id) or _finish_reel(page_id, params)
    return bad_param("(#100) param upload_phase must be one of {start, transfer, finish, cancel}")


def _start_reel(request, token, page_id):
    refused = _page_gate(request, token, page_id, first_step="reel-start")
    if refused:
        return refused
    day_ago = timezone.now() - timedelta(hours=24)
    reels = record_list(NETWORK, "video", owner=page_id).filter(
        data__video_type="reel", data__finished=True, created_at__gte=day_ago
    )
    if reels.count() >= REEL_CAP:
        minutes = max(1, int((reels.last().created_at - day_ago).total_seconds() // 60))
        usage = {page_id: [{"type": "pages", "call_count": 100, "estimated_time_to_regain_access": minutes}]}
        return graph_error(
            f"(#613) This Page has published {REEL_CAP} Reels through the API in the last 24 hours.",
            613,
            headers={"X-Business-Use-Case-Usage": json.dumps(usage)},
        )
    video_id = numeric_id(16)
    record_create(NETWORK, "video", video_id, owner=page_id, status="upload_not_started", video_type="reel")
    version = request.resolver_match.kwargs["version"]
    path = reverse("sandbox-facebook-rupload", kwargs={"version": version, "video_id": video_id})
    upload_url = request.build_absolute_uri(path)
    return JsonResponse({"video_id": video_id, "upload_url": upload_url})


def _finish_reel(page_id, params):
    record = record_get(NETWORK, "video", str(params.get("video_id", "")))
    if record is None or record.owner != page_id or record.data.get("video_type") != "reel":
        return not_found(params.get("video_id", ""), kind="OAuthException")
    if not record.data.get("uploaded"):
        return bad_param("(#100) The video has not been uploaded: upload it before upload_phase=finish")
    description = params.get("description", "")
    record.data.update(finished=True, description=description, text=description, title=params.get("title", ""))
    record.status = "processing"
    record.save(update_fields=["data", "status", "updated_at"])
    return JsonResponse({"success": True})


@sandbox_view
def rupload(request, version, video_id):
    """rupload.facebook.com: Meta fetches the `file_url` header into the Reel's upload session."""
    token = _token(request)
    refused = is_refused_token(token) or request.sandbox.name == "token_expired"
    if refused or not request.headers.get("Authorization", "").startswith("OAuth "):
        return JsonResponse(
            {"debug_info": {"retriable": False, "type": "OAuthException", "message": "Invalid OAuth access token."}},
            status=401,
        )
    record = record_get(NETWORK, "video", video_id)
    # WSGI servers (Django's, gunicorn, nginx) drop headers with underscores, so `file_url`
    # usually never arrives here: the file is only checked when it does.
    file_url = request.headers.get("file_url")
    problem = "unknown video" if record is None else file_url and _media_problem(file_url, "video")
    if problem:
        return JsonResponse(
            {
                "debug_info": {
                    "retriable": False,
                    "type": "ProcessingFailedError",
                    "message": f"Request processing failed: file_url {problem}",
                }
            },
            status=400,
        )
    record.data["uploaded"] = True
    if file_url:
        record.data["file_url"] = file_url
    record.status = "upload_complete"
    record.save(update_fields=["data", "status", "updated_at"])
    return JsonResponse({"success": True})


def _post_comment(request, token, object_id, params):
    refused = _gate(request, token, publish=True)
    if refused:
        return refused
    if _object(object_id) is None:
        return not_found(object_id, kind="OAuthException")
    if not params.get("message"):
        return bad_param("(#100) Missing message or attachment")
    comment_id = f"{object_id.rpartition('_')[2]}_{numeric_id(16)}"
    record_create(NETWORK, "comment", comment_id, owner=object_id, message=params["message"])
    return JsonResponse({"id": comment_id})


def _get_insights(request, token, object_id, params):
    refused = _gate(request, token)
    if refused:
        return refused
    if _identity(token) == ("page", object_id):
        return _page_insights(object_id, params)
    record = _object(object_id)
    if record is None or record.kind == "photo":
        return not_found(object_id, kind="OAuthException")
    if record.kind == "video":
        return bad_param("(#100) Tried accessing nonexisting field (insights) on node type (Video)")
    names = [name for name in params.get("metric", "").split(",") if name]
    if not names or any(name not in LIVE_METRICS for name in names):
        return bad_param("(#100) The value must be a valid insights metric")
    counts = _counts(record)
    values = {name: counts.get(name, 0) for name in LIVE_METRICS}
    values["post_reactions_by_type_total"] = {key: counts[key] for key in REACTION_RATES}
    data = [
        {
            "name": name,
            "period": "lifetime",
            "values": [{"value": values[name]}],
            "title": name,
            "description": name,
            "id": f"{object_id}/insights/{name}/lifetime",
        }
        for name in names
    ]
    return JsonResponse({"data": data, "paging": {}})


def _page_insights(page_id, params):
    """`/{page-id}/insights?metric=…&period=day`: the Page's numbers of the last two days,
    as Graph answers a `day` period (the last value is the latest day)."""
    names = [name for name in params.get("metric", "").split(",") if name]
    if not names or any(name not in PAGE_INSIGHT_RATES for name in names):
        return bad_param("(#100) The value must be a valid insights metric")
    if params.get("period", "day") != "day":
        return bad_param("(#100) The period must be day for these metrics")
    today = timezone.now().date()
    days = [today - timedelta(days=2), today - timedelta(days=1)]
    data = [
        {
            "name": name,
            "period": "day",
            "values": [
                {
                    "value": account_metrics(page_id, {name: PAGE_INSIGHT_RATES[name]}, day=day)[name],
                    "end_time": f"{day + timedelta(days=1)}T08:00:00+0000",
                }
                for day in days
            ],
            "title": name,
            "description": name,
            "id": f"{page_id}/insights/{name}/day",
        }
        for name in names
    ]
    return JsonResponse({"data": data, "paging": {}})


def _get_video_insights(request, token, object_id, params):
    """`/{video-id}/video_insights`: every metric of the video's kind, or those in `metric`."""
    refused = _gate(request, token)
    if refused:
        return refused
    record = _object(object_id)
    if record is None:
        return not_found(object_id, kind="OAuthException")
    if record.kind != "video":
        node_type = "Photo" if record.kind == "photo" else "Post"
        return bad_param(f"(#100) Tried accessing nonexisting field (video_insights) on node type ({node_type})")
    available = VIDEO_METRICS["reel" if record.data.get("video_type") == "reel" else "video"]
    names = [name for name in params.get("metric", "").split(",") if name] or list(available)
    if any(name not in available for name in names):
        return bad_param("(#100) The value must be a valid insights metric")
    values = _video_insight_values(_counts(record))
    data = [
        {
            "name": name,
            "period": "lifetime",
            "values": [{"value": values[name]}],
            "title": name,
            "description": name,
            "id": f"{object_id}/video_insights/{name}/lifetime",
        }
        for name in names
    ]
    return JsonResponse({"data": data, "paging": {}})


def _video_insight_values(counts: dict) -> dict:
    reactions = {key: counts[key] for key in REACTION_RATES}
    views, reach = counts["post_media_view"], counts["post_total_media_view_unique"]
    return {
        "total_video_views": views,
        "total_video_views_unique": reach,
        "total_video_impressions_unique": reach,
        "total_video_reactions_by_type_total": reactions,
        "total_video_stories_by_action_type": {
            "share": counts["shares"],
            "like": counts["like"],
            "comment": counts["comments"],
        },
        "blue_reels_play_count": views,
        "post_impressions_unique": reach,
        "post_video_likes_by_reaction_type": {f"REACTION_{key.upper()}": count for key, count in reactions.items()},
        "post_video_social_actions": {"SHARE": counts["shares"], "COMMENT": counts["comments"]},
    }


# --- the public website: the page of a post, video or Reel ----------------------------------
def _post_media(record) -> list[PageMedia]:
    if record.kind == "video":
        return [PageMedia("video", record.data.get("file_url", ""))]
    photos = record_list(NETWORK, "photo").filter(object_id__in=record.data.get("photos") or [])
    media = [PageMedia("image", photo.data.get("url", "")) for photo in photos]
    return media + ([PageMedia("document", record.data["link"])] if record.data.get("link") else [])


def _page(request, record):
    author = f"Sandbox Page {record.owner[-4:]}" if record else ""
    return post_page(
        request, network="Facebook", record=record, author=author, media=_post_media(record) if record else ()
    )


@sandbox_view
def post_page_view(request, page_id, post_id):
    """www.facebook.com/{page_id}/posts/{post_id}: the sandbox's page of a feed or photo post."""
    return _page(request, record_get(NETWORK, "post", f"{page_id}_{post_id}"))


@sandbox_view
def video_page_view(request, video_id, page_id=None):
    """www.facebook.com/{page_id}/videos/{video_id} and /reel/{video_id}."""
    record = record_get(NETWORK, "video", video_id)
    is_reel = request.resolver_match.url_name == "sandbox-facebook-reel"
    if record is not None and (record.data.get("video_type") == "reel") != is_reel:
        record = None  # a Reel's page is /reel/{id}, a video's /{page_id}/videos/{id}
    if record is not None and page_id is not None and record.owner != page_id:
        record = None
    return _page(request, record)


EDGES = {
    ("GET", "accounts"): _me_accounts,
    ("POST", "feed"): _post_feed,
    ("GET", "feed"): _get_feed,
    ("POST", "photos"): _post_photo,
    ("POST", "videos"): _post_video,
    ("POST", "video_reels"): _post_reel,
    ("POST", "comments"): _post_comment,
    ("GET", "insights"): _get_insights,
    ("GET", "video_insights"): _get_video_insights,
}
VERSION = r"(?P<version>v\d+\.\d+)"
def demo_credentials(token: str) -> dict:
    """The credentials besides the token that `manage.py demo_setup` connects a sandbox
    account of this network with."""
    return {"page_id": account_id_for(token)}  # the sandbox Page behind the token


urlpatterns = [
    re_path(r"^(?P<page_id>\d+)/posts/(?P<post_id>\d+)/?$", post_page_view, name="sandbox-facebook-post"),
    re_path(r"^(?P<page_id>\d+)/videos/(?P<video_id>\d+)/?$", video_page_view, name="sandbox-facebook-video"),
    re_path(r"^reel/(?P<video_id>\d+)/?$", video_page_view, name="sandbox-facebook-reel"),
    re_path(rf"^{VERSION}/dialog/oauth/?$", dialog, name="sandbox-facebook-dialog"),
    re_path(rf"^{VERSION}/oauth/access_token/?$", access_token, name="sandbox-facebook-token"),
    re_path(rf"^video-upload/{VERSION}/(?P<video_id>\d+)/?$", rupload, name="sandbox-facebook-rupload"),
    re_path(rf"^{VERSION}/(?P<node_id>[\w.]+)/(?P<edge_name>\w+)/?$", edge, name="sandbox-facebook-edge"),
    re_path(rf"^{VERSION}/(?P<node_id>[\w.]+)/?$", node, name="sandbox-facebook-node"),
]
