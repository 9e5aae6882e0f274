"""Sandbox YouTube: the subset of the YouTube Data API v3 Dravo uses, mounted at
/sandbox/youtube/ in place of www.googleapis.com (metadata and uploads),
accounts.google.com and oauth2.googleapis.com (Google's OAuth, shared with the other
Google networks' sandboxes: sandbox.google) and www.youtube.com (video pages).

Written from the Data API reference: `POST /upload/youtube/v3/videos?uploadType=resumable&part=snippet,status`
takes the video resource (a title of 1–100 characters, a description of at most 5,000
bytes, neither with `<` or `>`; tags of 500 characters in all; a known privacyStatus;
`part` naming every part the body sets) and `X-Upload-Content-Length`, and answers 200
with the session URL in `Location`. `PUT <session>` takes the bytes, whole or in chunks
(`Content-Range: bytes a-b/total`, each chunk but the last a multiple of 256 KiB), answers
308 with `Range: bytes=0-N` while incomplete and 201 with the video at the end; `PUT` with
`Content-Range: bytes */total` asks how far a session got. The video's `uploadStatus` is
`uploaded`, then `processed` on the second read of `videos.list?part=status` (`failed`,
`invalidFile`, for bytes that are not a video). Playlists are listed by pages
(`maxResults` 0–50, default 5, `pageToken`); `playlistItems.insert` adds a video of the
channel to one of its playlists; `thumbnails.set` takes a JPEG or PNG of at most 2 MB.
Errors are Google's JSON errors.

Sandbox conventions, read from the channel id or handle: a channel whose id or handle
contains `unverified` may not set custom thumbnails (403 `forbidden`), `noquota` has
used its project's daily quota (videos.insert answers 403 `quotaExceeded`), `uploadcap`
has reached its 24-hour upload cap (400 `uploadLimitExceeded`), `unaudited` uploads as an
API project that has not passed Google's audit (every video private), `manylists` has
120 playlists (three pages of 50) and `hiddensubs` hides its subscriber count
(`channels.list?part=statistics`); every other channel has three playlists. A token
starting with `invalid` is refused.
"""

import base64
import hashlib
import json
import re
import secrets
from functools import wraps

from django.http import HttpResponse, JsonResponse
from django.urls import path, re_path, reverse

from sandbox import google
from sandbox.core import (
    REJECT_REASON,
    PageMedia,
    account_id_for,
    account_metrics,
    bearer_token,
    first_attempt,
    grown_metrics,
    post_page,
    record_create,
    record_get,
    record_list,
    sandbox_view,
)

NET = "youtube"
TITLE_LIMIT, DESCRIPTION_BYTES, TAGS_LIMIT = 100, 5000, 500
CHUNK_UNIT = 256 * 1024
THUMBNAIL_BYTES = 2 * 1024 * 1024
PRIVACY = ("public", "unlisted", "private")
PLAYLIST_NAMES = ("Highlights", "Tutorials", "Behind the scenes")
MANY_PLAYLISTS = 120
PAGE_DEFAULT, PAGE_MAX = 5, 50
RECENT_UPLOADS = 50
STAT_RATES = {"viewCount": 180, "likeCount": 14, "commentCount": 3}
CHANNEL_RATES = {"subscriberCount": 2600, "viewCount": 310_000}  # a channel's, before its factor
SCOPES = (
    "https://www.googleapis.com/auth/youtube.upload",
    "https://www.googleapis.com/auth/youtube.readonly",
    "https://www.googleapis.com/auth/youtube",
)
DEFAULT_HANDLE = "sandbox_creator"


# --- channels -------------------------------------------------------------------------------
def channel_id_for(seed: str) -> str:
    """A stable channel id (`UC` and 22 characters) derived from `seed`."""
    digest = hashlib.sha256(f"channel:{seed}".encode()).digest()
    return "UC" + base64.urlsafe_b64encode(digest).decode()[:22]


def _ensure_channel(handle: str) -> str:
    """The channel of the consent page's handle (a channel id typed as is stays itself)."""
    handle = handle.strip().lstrip("@") or DEFAULT_HANDLE
    channel_id = handle if re.fullmatch(r"UC[A-Za-z0-9_-]{22}", handle) else channel_id_for(handle)
    if record_get(NET, "channel", channel_id) is None:
        record_create(NET, "channel", channel_id, owner=channel_id, handle=handle)
    return channel_id


def channel_of(channel_id: str) -> dict:
    record = record_get(NET, "channel", channel_id)
    handle = record.data.get("handle") if record else f"sandbox_{account_id_for(channel_id, 8)}"
    return {"id": channel_id, "handle": handle, "title": handle.replace("_", " ").title()}


def _has(channel_id: str, flag: str) -> bool:
    channel = channel_of(channel_id)
    return flag in f"{channel['id']} {channel['handle']}".lower()


def _channel_of_request(request) -> str | None:
    """The channel behind the request's token; None for a refused token."""
    owner = google.access_owner(NET, request)
    if owner is None:
        return None
    return owner or channel_id_for("token:" + bearer_token(request))


def api_view(*methods: str):
    """A Data API view for `methods`, called with the token's channel: 401 for a refused
    token and for every call of an account whose behaviour is `token_expired`."""

    def decorate(view):
        @sandbox_view
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method not in methods:
                return google.error(405, "methodNotAllowed", f"Use {' or '.join(methods)}.")
            channel = _channel_of_request(request)
            if channel is None or request.sandbox.name == "token_expired":
                return google.unauthorized()
            return view(request, channel, *args, **kwargs)

        return wrapper

    return decorate


@api_view("GET")
def channels(request, channel_id: str):
    if request.GET.get("mine") != "true" or not request.GET.get("part"):
        return google.error(400, "missingRequiredParameter", "No filter selected. Expected one of: mine, id.")
    channel = channel_of(channel_id)
    item = {
        "kind": "youtube#channel",
        "id": channel_id,
        "snippet": {
            "title": channel["title"],
            "customUrl": "@" + channel["handle"].lower(),
            "thumbnails": {"default": {"url": "https://yt3.ggpht.com/sandbox-avatar=s88"}},
        },
        "contentDetails": {"relatedPlaylists": {"likes": "", "uploads": "UU" + channel_id[2:]}},
    }
    if "statistics" in request.GET["part"].split(","):
        item["statistics"] = channel_statistics(channel_id)
    return JsonResponse({"kind": "youtube#channelListResponse", "pageInfo": {"totalResults": 1}, "items": [item]})


def channel_statistics(channel_id: str) -> dict:
    """The channel's statistics, deterministic per channel and day (sandbox.core's
    account_metrics; subscribers rounded down to three significant figures as YouTube
    does, "0" and hiddenSubscriberCount for a channel whose id or handle contains
    `hiddensubs`) and its uploads so far as videoCount. Counts are strings, as YouTube's."""
    numbers = account_metrics(channel_id, CHANNEL_RATES)
    subscribers = numbers["subscriberCount"]
    if subscribers >= 1000:
        unit = 10 ** (len(str(subscribers)) - 3)
        subscribers -= subscribers % unit
    hidden = _has(channel_id, "hiddensubs")
    return {
        "viewCount": str(numbers["viewCount"]),
        "subscriberCount": "0" if hidden else str(subscribers),
        "hiddenSubscriberCount": hidden,
        "videoCount": str(record_list(NET, "post", owner=channel_id).count()),
    }


# --- playlists ------------------------------------------------------------------------------
def _playlist_id(channel_id: str, index: int) -> str:
    return "PL" + hashlib.sha256(f"playlist:{channel_id}:{index}".encode()).hexdigest()[:32].upper()


def playlists_of(channel_id: str) -> list[dict]:
    """The channel's playlists, in YouTube's order (the same every time)."""
    if _has(channel_id, "manylists"):
        names = [f"Playlist {n:03d}" for n in range(1, MANY_PLAYLISTS + 1)]
    else:
        names = list(PLAYLIST_NAMES)
    return [
        {
            "kind": "youtube#playlist",
            "id": _playlist_id(channel_id, index),
            "snippet": {"title": name, "channelId": channel_id, "description": ""},
            "status": {"privacyStatus": "private" if index == 2 else "public"},
            "contentDetails": {
                "itemCount": record_list(NET, "item", owner=channel_id)
                .filter(data__playlist_id=_playlist_id(channel_id, index))
                .count()
            },
        }
        for index, name in enumerate(names)
    ]


def _page(request, items: list[dict], kind: str) -> JsonResponse:
    raw = request.GET.get("maxResults", str(PAGE_DEFAULT))
    if not raw.isdigit() or int(raw) > PAGE_MAX:
        return google.error(400, "invalidParameter", f"maxResults must be 0 to {PAGE_MAX}.")
    size = int(raw)
    token = request.GET.get("pageToken", "")
    offset = int(token[3:]) if token.startswith("CAE") and token[3:].isdigit() else 0
    if token and not (token.startswith("CAE") and token[3:].isdigit()):
        return google.error(400, "invalidPageToken", "The request specifies an invalid page token.")
    end = offset + size
    body = {
        "kind": kind,
        "pageInfo": {"totalResults": len(items), "resultsPerPage": size},
        "items": items[offset:end],
    }
    if end < len(items):
        body["nextPageToken"] = f"CAE{end}"
    return JsonResponse(body)


@api_view("GET")
def playlists(request, channel_id: str):
    if request.GET.get("mine") != "true":
        return google.error(400, "missingRequiredParameter", "No filter selected. Expected one of: mine, id.")
    return _page(request, playlists_of(channel_id), "youtube#playlistListResponse")


def _item(record) -> dict:
    video = record_get(NET, "post", record.data["video_id"])
    return {
        "kind": "youtube#playlistItem",
        "id": record.object_id,
        "snippet": {
            "playlistId": record.data["playlist_id"],
            "title": (video.data.get("title") if video else "") or "",
            "publishedAt": record.created_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "channelId": record.owner,
            "resourceId": {"kind": "youtube#video", "videoId": record.data["video_id"]},
        },
    }


def _upload_item(video) -> dict:
    return {
        "kind": "youtube#playlistItem",
        "id": "UU" + video.object_id,
        "snippet": {
            "playlistId": "UU" + video.owner[2:],
            "title": video.data.get("title", ""),
            "publishedAt": video.created_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "channelId": video.owner,
            "resourceId": {"kind": "youtube#video", "videoId": video.object_id},
        },
    }


@api_view("GET", "POST")
def playlist_items(request, channel_id: str):
    if request.method == "GET":
        playlist = request.GET.get("playlistId", "")
        if playlist == "UU" + channel_id[2:]:
            videos = list(record_list(NET, "post", owner=channel_id)[:RECENT_UPLOADS])
            return _page(request, [_upload_item(video) for video in videos], "youtube#playlistItemListResponse")
        if playlist not in {item["id"] for item in playlists_of(channel_id)}:
            return google.error(
                404, "playlistNotFound", "The playlist identified with the request's playlistId cannot be found."
            )
        items = record_list(NET, "item", owner=channel_id).filter(data__playlist_id=playlist)
        return _page(request, [_item(record) for record in items], "youtube#playlistItemListResponse")
    body = _json_body(request) or {}
    snippet = body.get("snippet") or {}
    playlist = snippet.get("playlistId")
    video_id = (snippet.get("resourceId") or {}).get("videoId")
    if request.GET.get("part") != "snippet" or not playlist or not video_id:
        return google.error(400, "playlistIdRequired", "The request must specify snippet.playlistId and a video.")
    if playlist not in {item["id"] for item in playlists_of(channel_id)}:
        return google.error(
            404, "playlistNotFound", "The playlist identified with the request's playlistId cannot be found."
        )
    video = record_get(NET, "post", video_id)
    if video is None:
        return google.error(
            404, "videoNotFound", "The video that you are trying to add to the playlist cannot be found."
        )
    record = record_create(
        NET, "item", "UEx" + secrets.token_urlsafe(24), owner=channel_id, playlist_id=playlist, video_id=video_id
    )
    return JsonResponse(_item(record))


# --- the resumable upload -------------------------------------------------------------------
def _json_body(request) -> dict | None:
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def _metadata_refusal(request, body: dict) -> JsonResponse | None:
    parts = set((request.GET.get("part") or "").split(","))
    if not set(body) <= parts:
        return google.error(400, "unexpectedPart", "The request metadata sets a part that part= does not name.")
    snippet, status = body.get("snippet") or {}, body.get("status") or {}
    title, description = snippet.get("title"), snippet.get("description") or ""
    if not isinstance(title, str) or not title.strip():
        return google.error(400, "invalidTitle", "The request metadata specifies an invalid or empty video title.")
    if len(title) > TITLE_LIMIT or "<" in title or ">" in title:
        return google.error(400, "invalidTitle", "The request metadata specifies an invalid video title.")
    if len(description.encode()) > DESCRIPTION_BYTES or "<" in description or ">" in description:
        return google.error(400, "invalidDescription", "The request metadata specifies an invalid video description.")
    tags = snippet.get("tags") or []
    if not isinstance(tags, list) or sum(len(t) + (2 if " " in t else 0) for t in tags) > TAGS_LIMIT:
        return google.error(400, "invalidTags", "The request metadata specifies invalid video keywords.")
    if status.get("privacyStatus", "public") not in PRIVACY:
        return google.error(400, "invalidVideoMetadata", "The request metadata is invalid (privacyStatus).")
    if "publishAt" in status and status.get("privacyStatus") != "private":
        return google.error(400, "invalidPublishAt", "publishAt needs privacyStatus private.")
    if not isinstance(status.get("selfDeclaredMadeForKids", False), bool):
        return google.error(400, "invalidVideoMetadata", "selfDeclaredMadeForKids must be a boolean.")
    return None


def _upload_gate(request, channel_id: str, body: dict) -> JsonResponse | None:
    """The account's behaviour and the channel's limits, at videos.insert."""
    behavior = request.sandbox.name
    if behavior == "rejects":
        return google.error(400, "invalidVideoMetadata", REJECT_REASON)
    if _has(channel_id, "noquota"):
        message = "The request cannot be completed because you have exceeded your quota."
        return google.error(403, "quotaExceeded", message, domain="youtube.quota")
    if _has(channel_id, "uploadcap"):
        return google.error(400, "uploadLimitExceeded", "The user has exceeded the number of videos they may upload.")
    key = json.dumps([(body.get("snippet") or {}).get("title"), (body.get("snippet") or {}).get("description")])
    if behavior == "rate_limited" and first_attempt(NET, channel_id, "insert", key):
        return google.error(
            403, "rateLimitExceeded", "The request cannot be completed: rate limit exceeded.", domain="usageLimits"
        )
    return None


@sandbox_view
def videos_upload(request):
    """POST: a new upload session; PUT …&upload_id=: the bytes, or a status probe."""
    if request.method == "PUT":
        return _upload_put(request)
    if request.method != "POST":
        return google.error(405, "methodNotAllowed", "Use POST or PUT.")
    channel = _channel_of_request(request)
    if channel is None or request.sandbox.name == "token_expired":
        return google.unauthorized()
    if request.GET.get("uploadType") != "resumable":
        return google.error(400, "invalidParameter", "Dravo's sandbox takes resumable uploads only.")
    body = _json_body(request)
    if body is None:
        return google.error(400, "parseError", "The request body is not JSON.")
    size = request.headers.get("X-Upload-Content-Length", "")
    if not size.isdigit():
        return google.error(400, "mediaBodyRequired", "X-Upload-Content-Length is required.")
    refusal = _metadata_refusal(request, body) or _upload_gate(request, channel, body)
    if refusal:
        return refusal
    upload_id = "sbx_" + secrets.token_urlsafe(24)
    record_create(
        NET,
        "session",
        upload_id,
        owner=channel,
        status="open",
        size=int(size),
        received=0,
        body=body,
        notify=request.GET.get("notifySubscribers", "true"),
        mime=request.headers.get("X-Upload-Content-Type", "video/*"),
    )
    location = (
        request.build_absolute_uri(reverse("sandbox-youtube-upload")) + f"?uploadType=resumable&upload_id={upload_id}"
    )
    return HttpResponse(status=200, headers={"Location": location})


def _incomplete(session) -> HttpResponse:
    received = session.data["received"]
    headers = {"Range": f"bytes=0-{received - 1}"} if received else {}
    return HttpResponse(status=308, headers=headers)


RANGE = re.compile(r"^bytes (\*|(\d+)-(\d+))/(\d+)$")


def _upload_put(request):
    session = record_get(NET, "session", request.GET.get("upload_id", ""))
    if session is None:
        return google.error(404, "notFound", "The upload session was not found.")
    if session.status == "done":
        return JsonResponse(_video(record_get(NET, "post", session.data["video_id"])), status=200)
    size, received = session.data["size"], session.data["received"]
    header = request.headers.get("Content-Range")
    match = RANGE.match(header or f"bytes 0-{max(size - 1, 0)}/{size}")
    if match is None or int(match.group(4)) != size:
        return google.error(400, "badContent", "Content-Range does not match the upload.")
    if match.group(1) == "*":
        return _incomplete(session)
    start, end, chunk = int(match.group(2)), int(match.group(3)), request.body
    if start != received or len(chunk) != end - start + 1:
        return _incomplete(session)
    if end + 1 < size and len(chunk) % CHUNK_UNIT:
        return google.error(400, "badContent", "A chunk but the last must be a multiple of 256 KiB.")
    if request.sandbox.name == "flaky" and first_attempt(NET, session.object_id, "put"):
        return google.error(503, "backendError", "Backend Error")
    if start == 0:
        session.data["is_video"] = b"ftyp" in chunk[:64]
    session.data["received"] = end + 1
    if end + 1 < size:
        session.save(update_fields=["data", "updated_at"])
        return _incomplete(session)
    video = _create_video(session)
    session.status, session.data["video_id"] = "done", video.object_id
    session.save(update_fields=["status", "data", "updated_at"])
    return JsonResponse(_video(video), status=201)


def _create_video(session):
    snippet, status = session.data["body"].get("snippet") or {}, session.data["body"].get("status") or {}
    video_id = secrets.token_urlsafe(8)[:11]
    return record_create(
        NET,
        "post",
        video_id,
        owner=session.owner,
        status="uploaded",
        title=snippet.get("title", ""),
        text=snippet.get("description", ""),
        tags=snippet.get("tags") or [],
        category_id=snippet.get("categoryId", "22"),
        # An API project that has not passed Google's audit: every upload is private.
        privacy="private" if _has(session.owner, "unaudited") else status.get("privacyStatus", "public"),
        made_for_kids=bool(status.get("selfDeclaredMadeForKids", False)),
        is_video=session.data.get("is_video", False),
        size=session.data["size"],
        reads=0,
    )


def _video(record, parts=("snippet", "status")) -> dict:
    data = record.data
    body = {"kind": "youtube#video", "id": record.object_id}
    if "snippet" in parts:
        body["snippet"] = {
            "publishedAt": record.created_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "channelId": record.owner,
            "title": data.get("title", ""),
            "description": data.get("text", ""),
            "tags": data.get("tags") or [],
            "categoryId": data.get("category_id", "22"),
        }
    if "status" in parts:
        status = {
            "uploadStatus": record.status,
            "privacyStatus": data.get("privacy", "public"),
            "selfDeclaredMadeForKids": data.get("made_for_kids", False),
        }
        if record.status == "failed":
            status["failureReason"] = "invalidFile"
        body["status"] = status
    if "processingDetails" in parts:
        state = {"uploaded": "processing", "processed": "succeeded", "failed": "failed"}.get(
            record.status, "processing"
        )
        body["processingDetails"] = {"processingStatus": state}
    if "statistics" in parts:
        grown = grown_metrics(record, STAT_RATES)
        body["statistics"] = {key: str(value) for key, value in grown.items()} | {"favoriteCount": "0"}
    return body


@api_view("GET")
def videos(request, channel_id: str):
    """videos.list by id: statistics for any video, status and processing for the owner's;
    `uploaded` becomes `processed` (or `failed`) on the second read."""
    parts = tuple(part for part in (request.GET.get("part") or "").split(",") if part)
    ids = [value for value in (request.GET.get("id") or "").split(",") if value]
    if not parts or not ids:
        return google.error(400, "missingRequiredParameter", "part and id are required.")
    if len(ids) > 50:
        return google.error(400, "invalidParameter", "At most 50 ids.")
    items = []
    for video_id in ids:
        record = record_get(NET, "post", video_id)
        if record is None:
            continue
        if record.status == "uploaded" and record.owner == channel_id:
            record.data["reads"] = record.data.get("reads", 0) + 1
            if record.data["reads"] >= 2:
                record.status = "processed" if record.data.get("is_video") else "failed"
            record.save(update_fields=["status", "data", "updated_at"])
        items.append(_video(record, parts))
    return JsonResponse({"kind": "youtube#videoListResponse", "pageInfo": {"totalResults": len(items)}, "items": items})


@api_view("POST")
def thumbnails_set(request, channel_id: str):
    video = record_get(NET, "post", request.GET.get("videoId", ""))
    if video is None or video.owner != channel_id:
        return google.error(404, "videoNotFound", "The video that you are trying to update cannot be found.")
    if _has(channel_id, "unverified"):
        message = "The authenticated user doesnt have permissions to upload and set custom video thumbnails."
        return google.error(403, "forbidden", message)
    image = request.body
    if len(image) > THUMBNAIL_BYTES:
        return google.error(400, "mediaBodyTooLarge", "The thumbnail is larger than 2 MB.")
    if not image.startswith((b"\xff\xd8\xff", b"\x89PNG")):
        return google.error(400, "invalidImage", "The provided image content is invalid.")
    video.data["thumbnail"] = True
    video.save(update_fields=["data", "updated_at"])
    url = f"https://i.ytimg.com/vi/{video.object_id}/default.jpg"
    return JsonResponse(
        {"kind": "youtube#thumbnailSetResponse", "items": [{"default": {"url": url, "width": 120, "height": 90}}]}
    )


# --- the public pages -----------------------------------------------------------------------
def _page_of(request, video_id: str):
    video = record_get(NET, "post", video_id)
    author = channel_of(video.owner)["title"] if video else ""
    text = " — ".join(part for part in (video.data.get("title"), video.data.get("text")) if part) if video else ""
    return post_page(request, network="YouTube", record=video, author=author, media=[PageMedia("video")], text=text)


@sandbox_view
def watch_page(request):
    """www.youtube.com/watch?v={id}."""
    return _page_of(request, request.GET.get("v", ""))


@sandbox_view
def shorts_page(request, video_id: str):
    """www.youtube.com/shorts/{id}."""
    return _page_of(request, video_id)


def demo_credentials(token: str) -> dict:
    """The credentials besides the token that `manage.py demo_setup` connects a sandbox
    account of this network with: the channel the sandbox derives from the token (three
    playlists)."""
    return {"channel_id": channel_id_for("token:" + token)}


urlpatterns = [
    *google.oauth_urlpatterns(
        NET,
        label="YouTube",
        scopes=SCOPES,
        inputs=[("channel", "Sandbox channel (a handle or a UC… channel id)", DEFAULT_HANDLE)],
        owner_from=lambda form: _ensure_channel(form.get("channel", "")),
        adopt_owner=lambda token: channel_id_for("token:" + token),
    ),
    path("youtube/v3/channels", channels),
    path("youtube/v3/playlists", playlists),
    path("youtube/v3/playlistItems", playlist_items),
    path("youtube/v3/videos", videos),
    path("upload/youtube/v3/videos", videos_upload, name="sandbox-youtube-upload"),
    path("upload/youtube/v3/thumbnails/set", thumbnails_set),
    path("watch", watch_page, name="sandbox-youtube-watch"),
    re_path(r"^shorts/(?P<video_id>[A-Za-z0-9_-]{11})$", shorts_page, name="sandbox-youtube-shorts"),
]
