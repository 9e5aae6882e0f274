"""YouTube (Data API v3): one video per post, uploaded by Google's resumable protocol, then
added to a playlist and given a custom thumbnail if asked; the channel's playlists are its
destinations, and its videos' statistics its analytics.

Docs: https://developers.google.com/youtube/v3/docs/videos/insert (upload),
https://developers.google.com/youtube/v3/guides/using_resumable_upload_protocol (resumable),
https://developers.google.com/youtube/v3/docs/playlistItems/insert (playlists),
https://developers.google.com/youtube/v3/docs/thumbnails/set (thumbnails),
https://developers.google.com/youtube/v3/docs/channels/list (the channel),
https://developers.google.com/youtube/v3/docs/errors (errors),
https://developers.google.com/youtube/v3/getting-started#quota (quota).
Credentials: {"access_token", "refresh_token", "channel_id"}.
"""

from datetime import UTC, datetime, timedelta

from providers import http
from providers.base import (
    Content,
    Destination,
    Media,
    MetricsResult,
    Problem,
    Profile,
    ProviderClient,
    PublishResult,
    RefreshResult,
    checkpoint_state,
)
from providers.errors import (
    MediaUnavailable,
    ProviderError,
    ProviderUnavailable,
    RateLimited,
    Rejected,
)
from providers.google import parse_error, raise_google_error, refresh_access_token
from providers.youtube import quota
from providers.youtube.resources import (
    check_upload_status,
    metrics_of,
    next_byte,
    playlist_destination,
    privacy_lock,
    video_body,
)
from providers.youtube.rules import (
    CAPABILITIES,
    THUMBNAIL_MAX_BYTES,
    YouTubeOptions,
    content_problems,
    is_short,
    title_of,
)

CHUNK_BYTES = 8 * 1024 * 1024  # a multiple of 256 KiB, as the resumable protocol wants
MAX_CHUNKS = 100_000  # a bound on an upload whose session never moves forward
UPLOAD_LIMIT_RETRY_S = 24 * 3600.0  # the channel's 24-hour upload cap (uploadLimitExceeded)
PAGE_SIZE = 50  # the most playlists.list / playlistItems.list give per page
MAX_PAGES = 200
# The channel's statistics (channels.list?part=statistics), strings in the answer: its
# subscribers (rounded down to three significant figures by YouTube, absent while the
# channel hides them), its videos' lifetime views and its public videos.
CHANNEL_COUNTS = ("subscriberCount", "viewCount", "videoCount")
RECENT_UPLOADS = 25  # how many of the channel's newest uploads reconcile() looks through


class YouTubeClient(ProviderClient):
    name = "youtube"
    options_serializer = YouTubeOptions
    capabilities = CAPABILITIES
    normalized_metrics = {"views": ("views",), "likes": ("likes",), "comments": ("comments",)}
    # Only the subscribers: a day's views or engagement of the channel are in the YouTube
    # Analytics API (scope yt-analytics.readonly), which Dravo does not ask for; viewCount
    # is the channel's lifetime views, not a reach.
    normalized_account_metrics = {"followers": ("subscriberCount",)}
    account_credential = "channel_id"
    chunk_bytes = CHUNK_BYTES

    @classmethod
    def profile_credentials(cls, profile: Profile) -> dict:
        return {"channel_id": profile.id}

    # --- plumbing -------------------------------------------------------------------------
    @property
    def quota(self) -> quota.Quota:
        return quota.Quota(self.app.get("client_id", ""), counted=self.app.get("counts_quota", True))

    def api(self, path: str) -> str:
        return self.url("api_url", f"/youtube/{self.version}{path}")

    def upload_api(self, path: str) -> str:
        return self.url("api_url", f"/upload/youtube/{self.version}{path}")

    def _headers(self, **extra) -> dict:
        return {"Authorization": f"Bearer {self.access_token}", **extra}

    def _call(self, name: str, method: str, url: str, **kwargs):
        """One Data API call named `name` (its quota cost): counted, sent, mapped."""
        self.quota.charge(name)
        self._calling = name
        return self.call(method, url, **kwargs)

    def _get(self, name: str, path: str, **params) -> dict:
        return http.json_or_empty(self._call(name, "GET", self.api(path), headers=self._headers(), params=params))

    def raise_for_response(self, response) -> None:
        """Map a YouTube error answer (Google's JSON errors,
        https://developers.google.com/youtube/v3/docs/errors) to a typed error: the daily
        quota and the channel's upload cap first, then Google's common mapping."""
        if response.status_code < 400:
            return
        error = parse_error(response)
        kwargs = {"status": error.status, "raw": http.json_or_empty(response) or None}
        if error.reason in ("quotaExceeded", "dailyLimitExceeded"):
            # The project's daily quota: back at midnight Pacific time
            # (https://developers.google.com/youtube/v3/getting-started#quota).
            self.quota.exhaust(getattr(self, "_calling", "videos.list"))
            message = (
                f"YouTube: the app's daily quota is used up ({error.message}); it resets at midnight Pacific time."
            )
            raise RateLimited(message, retry_after=quota.seconds_to_reset(), **kwargs)
        if error.reason == "uploadLimitExceeded":
            # The channel's own cap on uploads per 24 hours (videos.insert errors).
            raise RateLimited(f"YouTube: {error.message}", retry_after=UPLOAD_LIMIT_RETRY_S, **kwargs)
        if error.reason == "youtubeSignupRequired":
            # A Google account without a YouTube channel (401): a new token will not help.
            raise Rejected(f"YouTube: this Google account has no channel ({error.message}).", **kwargs)
        raise_google_error(response, "YouTube")

    # --- account --------------------------------------------------------------------------
    def verify(self) -> Profile:
        """The channel behind the token (`channels.list?mine=true`), which must be
        `channel_id` when one is named: AccountMismatch otherwise; Rejected for a Google
        account without a channel; TokenExpired for a refused token. Safe to repeat."""
        body = self._get("channels.list", "/channels", part="id,snippet,contentDetails", mine="true")
        items = body.get("items") or []
        if not items:
            raise Rejected("YouTube: this Google account has no YouTube channel to post to.")
        channel = items[0]
        channel_id = str(channel.get("id") or "")
        self.require_named(channel_id, "the YouTube channel", "Connect with a token of that channel's Google account.")
        snippet = channel.get("snippet") or {}
        title = str(snippet.get("title") or "")
        extra = {}
        uploads = ((channel.get("contentDetails") or {}).get("relatedPlaylists") or {}).get("uploads")
        if uploads:
            extra["uploads_playlist"] = uploads
        thumbnail = ((snippet.get("thumbnails") or {}).get("default") or {}).get("url")
        if thumbnail:
            extra["thumbnail"] = thumbnail
        return Profile(id=channel_id, handle=str(snippet.get("customUrl") or title), name=title, extra=extra)

    def refresh(self) -> RefreshResult:
        """A new access token (Google's refresh grant; the refresh token is kept).
        ReconnectRequired on `invalid_grant`; RateLimited/ProviderUnavailable when Google
        could not answer. Safe to repeat."""
        return refresh_access_token(self)

    def destinations(self) -> list[Destination]:
        """Every playlist of the channel (`playlists.list?mine=true`), all pages read by
        pageToken. Raises the errors of raise_for_response. Safe to repeat."""
        playlists, token, seen = [], None, set()
        for _ in range(MAX_PAGES):
            params = {"part": "snippet,status,contentDetails", "mine": "true", "maxResults": PAGE_SIZE}
            if token:
                params["pageToken"] = token
            page = self._get("playlists.list", "/playlists", **params)
            playlists += [playlist_destination(item) for item in page.get("items") or [] if item.get("id")]
            token = page.get("nextPageToken")
            if not token or token in seen:
                break
            seen.add(token)
        return playlists

    # --- publishing -----------------------------------------------------------------------
    def validate(self, content: Content) -> list[Problem]:
        """The title and description, the one video, tags and the Shorts constraints. No I/O."""
        return content_problems(content)

    def publish(self, content: Content, *, checkpoint=None, save_checkpoint=None) -> PublishResult:
        """Upload the video (resumable `videos.insert`), then add it to `playlist_id` and set
        `thumbnail_url` as its thumbnail when asked.

        Checkpoint: `upload_url` (the upload session, saved as soon as YouTube gives it),
        `upload_started`, `video_id`, `playlist_item_id`, `thumbnail_done` and `warnings`.
        Given it back, a live session is asked how much it holds and the upload resumes
        there (never a second upload while it lives); a session YouTube has forgotten
        (404/410) never made a video, so the upload starts again. Raises the errors of
        raise_for_response; RateLimited before an upload the day's quota cannot take;
        Rejected/MediaUnavailable when YouTube refused or could not process the upload. A
        playlist or thumbnail YouTube refuses is a warning: the video is live."""
        state, save = checkpoint_state(checkpoint, save_checkpoint)
        video = next((item for item in content.media if item.kind == "video"), None)
        if video is None:
            raise Rejected("A YouTube post is one video.")
        if not state.get("video_id"):
            uploaded = self._upload(content, video, state, save)
            save(video_id=str(uploaded["id"]), upload_url=None)
            check_upload_status(uploaded)
            locked = privacy_lock(content, uploaded)
            if locked:
                self._warn(state, save, locked)
        video_id = state["video_id"]
        options = content.options or {}
        if options.get("playlist_id") and not state.get("playlist_item_id"):
            self._add_to_playlist(video_id, options["playlist_id"], state, save)
        if options.get("thumbnail_url") and not state.get("thumbnail_done"):
            self._set_thumbnail(video_id, options["thumbnail_url"], state, save)
        return self._result(video_id, content, list(state.get("warnings") or []))

    def reconcile(self, content: Content, checkpoint: dict | None) -> PublishResult | None:
        """The live video after a crash: the checkpoint's `video_id`; else the upload
        session's answer when it completed; else, when an upload was started, a video of
        the channel's newest uploads with this title published since; else None. Safe to
        repeat."""
        state = checkpoint or {}
        if state.get("video_id"):
            return self._result(str(state["video_id"]), content)
        if state.get("upload_url") and state.get("upload_size"):
            answer = self._probe(state["upload_url"], int(state["upload_size"]))
            if isinstance(answer, dict) and answer.get("id"):
                return self._result(str(answer["id"]), content)
            if answer is not None:
                return None  # the session lives on, unfinished: no video yet
        if not state.get("upload_started"):
            return None
        found = self._find_upload(content, state["upload_started"])
        return self._result(found, content) if found else None

    def _result(self, video_id: str, content: Content, warnings: list[str] | None = None) -> PublishResult:
        video = next((item for item in content.media if item.kind == "video"), None)
        short = (content.options or {}).get("shorts") or (video is not None and is_short(video))
        path = f"/shorts/{video_id}" if short else f"/watch?v={video_id}"
        return PublishResult(video_id, self.web_url(path, key="web_url"), warnings or [], datetime.now(UTC))

    # --- the resumable upload -------------------------------------------------------------
    def _upload(self, content: Content, video: Media, state: dict, save) -> dict:
        """The uploaded video resource: the checkpointed session resumed where YouTube says
        it stopped (asked before the file is fetched again), else a new session (after the
        quota check) from byte 0."""
        session, offset = state.get("upload_url"), 0
        if session and state.get("upload_size") is not None:
            answer = self._probe(session, int(state["upload_size"]))
            if isinstance(answer, dict):
                return answer
            if answer is None:
                session = None  # forgotten: that upload never made a video
            else:
                offset = answer
        payload = self.download(video)
        size, mime = len(payload), video.mime_type or "video/mp4"
        if session and size != state.get("upload_size"):
            session, offset = None, 0  # the file changed: its old session can never finish
        if not session:
            self.quota.ensure("videos.insert")
            save(upload_started=datetime.now(UTC).isoformat(), upload_size=size)
            try:
                session = self._start_session(content, size, mime)
            except ProviderError as exc:
                if exc.status is not None and exc.status < 500:
                    save(upload_started=None)  # a definite refusal: no session, no video
                raise
            save(upload_url=session)
        return self._send(session, payload, offset, mime, save)

    def _start_session(self, content: Content, size: int, mime: str) -> str:
        """POST the metadata; the session URL from `Location`."""
        options = content.options or {}
        params = {"uploadType": "resumable", "part": "snippet,status"}
        if "notify_subscribers" in options:
            params["notifySubscribers"] = "true" if options["notify_subscribers"] else "false"
        headers = self._headers(**{"X-Upload-Content-Type": mime, "X-Upload-Content-Length": str(size)})
        response = self._call(
            "videos.insert",
            "POST",
            self.upload_api("/videos"),
            headers=headers,
            params=params,
            json=video_body(content),
        )
        location = response.headers.get("Location")
        if not location:
            raise ProviderUnavailable("YouTube's upload session answer carried no Location.")
        return location

    def _probe(self, session: str, size: int) -> dict | int | None:
        """What a session holds (`Content-Range: bytes */size`): the video when the upload
        completed, the next byte to send while it is incomplete, None when YouTube no
        longer knows the session."""
        headers = self._headers(**{"Content-Range": f"bytes */{size}", "Content-Length": "0"})
        response = http.request("PUT", session, headers=headers, data=b"", via=self.session)
        return self._session_answer(response)

    def _session_answer(self, response) -> dict | int | None:
        if response.status_code in (200, 201):
            body = http.json_or_empty(response)
            if not body.get("id"):
                raise ProviderUnavailable("YouTube's finished upload carried no video id.")
            return body
        if response.status_code == 308:
            return next_byte(response.headers.get("Range"))
        if response.status_code in (404, 410):
            return None
        self.raise_for_response(response)
        raise ProviderUnavailable(f"YouTube's upload session answered HTTP {response.status_code}.")

    def _send(self, session: str, payload: bytes, offset: int, mime: str, save) -> dict:
        """PUT the bytes from `offset` in chunks (a multiple of 256 KiB each); YouTube says
        after each how far it got (308 and Range), and answers the video at the end."""
        size = len(payload)
        for _ in range(MAX_CHUNKS):
            end = min(offset + self.chunk_bytes, size) - 1
            headers = self._headers(**{"Content-Type": mime})
            if size:
                headers["Content-Range"] = f"bytes {offset}-{end}/{size}"
            response = http.request("PUT", session, headers=headers, data=payload[offset : end + 1], via=self.session)
            answer = self._session_answer(response)
            if isinstance(answer, dict):
                return answer
            if answer is None:
                save(upload_url=None)
                raise ProviderUnavailable("YouTube forgot the upload session; the upload starts again.")
            offset = answer
        raise ProviderUnavailable("YouTube's upload session did not move forward.")

    def _find_upload(self, content: Content, since: str) -> str | None:
        """The id of the channel's newest upload with this content's title, published after
        `since` (less a minute for clock skew), or None."""
        channel = self.named_account
        if not channel.startswith("UC"):
            return None
        uploads = "UU" + channel[2:]  # a channel's uploads playlist
        page = self._get(
            "playlistItems.list", "/playlistItems", part="snippet", playlistId=uploads, maxResults=RECENT_UPLOADS
        )
        after = (http.iso_time(since) or datetime.now(UTC)) - timedelta(minutes=1)
        title = title_of(content)
        for item in page.get("items") or []:
            snippet = item.get("snippet") or {}
            video_id = (snippet.get("resourceId") or {}).get("videoId")
            published = http.iso_time(snippet.get("publishedAt"))
            if video_id and snippet.get("title") == title and (published is None or published >= after):
                return str(video_id)
        return None

    # --- after the upload -----------------------------------------------------------------
    def _warn(self, state: dict, save, message: str) -> None:
        save(warnings=[*(state.get("warnings") or []), message])

    def _add_to_playlist(self, video_id: str, playlist_id: str, state: dict, save) -> None:
        body = {"snippet": {"playlistId": playlist_id, "resourceId": {"kind": "youtube#video", "videoId": video_id}}}
        try:
            response = self._call(
                "playlistItems.insert",
                "POST",
                self.api("/playlistItems"),
                headers=self._headers(),
                params={"part": "snippet"},
                json=body,
            )
        except Rejected as exc:
            save(playlist_item_id="-")
            self._warn(state, save, f"The video is live but YouTube did not add it to playlist {playlist_id}: {exc}")
            return
        save(playlist_item_id=str(http.json_or_empty(response).get("id") or "-"))

    def _set_thumbnail(self, video_id: str, url: str, state: dict, save) -> None:
        """thumbnails.set with the image's bytes; a refusal (a channel not allowed custom
        thumbnails answers 403 forbidden) or an image that cannot be fetched is a warning."""
        try:
            image = self.download(Media(url=url, kind="image"))
            if len(image) > THUMBNAIL_MAX_BYTES:
                raise Rejected("the thumbnail is larger than 2 MB")
            mime = "image/png" if image.startswith(b"\x89PNG") else "image/jpeg"
            self._call(
                "thumbnails.set",
                "POST",
                self.upload_api("/thumbnails/set"),
                headers=self._headers(**{"Content-Type": mime}),
                params={"videoId": video_id},
                data=image,
            )
        except (Rejected, MediaUnavailable) as exc:
            save(thumbnail_done=True)
            self._warn(state, save, f"The video is live but its custom thumbnail was not set: {exc}")
            return
        save(thumbnail_done=True)

    # --- analytics ------------------------------------------------------------------------
    def fetch_metrics(self, platform_post_id: str) -> MetricsResult:
        """views, likes, comments (and favorites) of the video (`videos.list?part=statistics`).
        Partial, with a warning, when YouTube hides a count (a channel can hide likes).
        Rejected for a video YouTube does not show (deleted or private to another).
        Safe to repeat."""
        body = self._get("videos.list", "/videos", part="statistics", id=platform_post_id)
        items = body.get("items") or []
        if not items:
            raise Rejected(f"YouTube has no video {platform_post_id} (deleted, or not visible to this channel).")
        return metrics_of(items[0].get("statistics") or {})

    def fetch_account_metrics(self) -> dict[str, int | float]:
        """The channel's subscriberCount, viewCount (lifetime) and videoCount, as integers
        (`channels.list?part=statistics&mine=true`, 1 quota unit; the token's channel is the
        connected one, as verify() proved). subscriberCount is left out while the channel
        hides it. Rejected for a Google account without a channel; typed errors of
        raise_for_response; no writes.
        Docs: https://developers.google.com/youtube/v3/docs/channels#statistics"""
        body = self._get("channels.list", "/channels", part="statistics", mine="true")
        items = body.get("items") or []
        if not items:
            raise Rejected("YouTube: this Google account has no YouTube channel.")
        statistics = items[0].get("statistics") or {}
        hidden = statistics.get("hiddenSubscriberCount") is True
        metrics = {}
        for key in CHANNEL_COUNTS:
            value = http.int_or_none(statistics.get(key))
            if value is not None and not (hidden and key == "subscriberCount"):
                metrics[key] = value
        return metrics
