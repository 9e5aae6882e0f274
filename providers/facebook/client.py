"""Facebook Pages client (Graph API), for one Page and its Page access token.

Docs: Meta's Graph API and Pages API. Feed posts, link posts, one or several
photos, videos and Reels; first comment; Page-feed reconciliation; post insights.
Credentials: {"access_token": <Page token>, "page_id": "...", optional "user_access_token"}.
"""

from datetime import UTC, datetime, timedelta

from providers import http
from providers.base import (
    Content,
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
    ReconnectRequired,
    Rejected,
    TokenExpired,
)
from providers.facebook.rules import (
    CAPABILITIES,
    LIMITS,
    REEL_MIN_SIZE,
    REEL_SECONDS,
    TEXT_LIMIT,
    FacebookOptions,
)
from providers.media_rules import FORMAT, SIZE, media_breaches

# https://developers.facebook.com/docs/graph-api/guides/error-handling
TOKEN_CODES = {190, 102}
PERMISSION_CODES = {10, *range(200, 300)}
THROTTLE_CODES = {4, 17, 32, 341, 613, *range(80001, 80010)}
TRANSIENT_CODES = {1, 2}
MEDIA_CODES = {324, 6000, 6001}
MEDIA_SUBCODES = {1366046, 2207003, 2207052, 2207077}
PAGE_PUBLISHING_AUTHORIZATION = 1404078
INSIGHTS = {
    "post_reactions_by_type_total": "post_reactions_by_type_total",
    "post_clicks": "post_clicks",
    "post_media_view": "views",
    "post_total_media_view_unique": "reach",
}
NODE_COUNTS = "reactions.summary(total_count),comments.summary(total_count),shares"
# Videos and Reels are Video nodes: no `reactions`, `shares` or `/insights` there (Graph
# answers "(#100) nonexisting field"). Their numbers come from `/{video-id}/video_insights`
# (video metrics `total_video_*`, Reel metrics `blue_reels_*`/`post_video_*`) and the
# `likes`/`comments` edges of the Video node.
# https://developers.facebook.com/docs/graph-api/reference/video/video_insights
VIDEO_INSIGHTS = {
    "total_video_views": "views",
    "blue_reels_play_count": "views",
    "total_video_impressions_unique": "reach",
    "post_impressions_unique": "reach",
    "total_video_reactions_by_type_total": "post_reactions_by_type_total",
    "post_video_likes_by_reaction_type": "post_reactions_by_type_total",
}
VIDEO_ACTIONS = ("total_video_stories_by_action_type", "post_video_social_actions")  # {"share": n, "comment": n}
VIDEO_NODE_COUNTS = "likes.summary(total_count),comments.summary(total_count)"
VIDEO_NO_CLICKS = "Facebook reports no post_clicks for a video or Reel."
ENGAGED_USERS_GONE = (
    "post_engaged_users is no longer served by Facebook (deprecated Page Insights metric), so it is left out."
)
RECONCILE_WINDOW = timedelta(hours=1)
# Account numbers: the Page node's `followers_count` and `fan_count` (Graph API Page
# reference), and two Page Insights metrics by day (read_insights + pages_read_engagement,
# both asked already): `page_total_media_view_unique` (the June 2026 replacement of
# page_impressions_unique) and `page_post_engagements` (not on the deprecation lists read
# 2026-11-22; that it still answers is an assumption, unconfirmed).
PAGE_FIELDS = ("followers_count", "fan_count")
PAGE_INSIGHTS = ("page_total_media_view_unique", "page_post_engagements")


class FacebookClient(ProviderClient):
    name = "facebook"
    options_serializer = FacebookOptions
    # Normalized counts: views are `post_media_view`, likes all reactions, clicks `post_clicks`.
    normalized_metrics = {
        "views": ("views",),
        "likes": ("likes",),
        "comments": ("comments",),
        "shares": ("shares",),
        "clicks": ("post_clicks",),
    }
    normalized_account_metrics = {
        "followers": ("followers_count", "fan_count"),
        "reach": ("page_total_media_view_unique",),
        "engagement": ("page_post_engagements",),
    }
    metric_labels = {"post_clicks": "Post clicks", "blue_reels_play_count": "Reel plays"}
    account_credential = "page_id"
    capabilities = CAPABILITIES

    @property
    def page_id(self) -> str:
        return str(self.credentials.get("page_id", ""))

    def graph(
        self, method: str, path: str, *, host: str = "api_url", token: str | None = None, headers=None, **kwargs
    ) -> dict:
        """One Graph call with the Page token (or `token`); the JSON body. Raises the typed errors."""
        url = self.url(host, f"/{self.version}/{path.lstrip('/')}")
        auth = {**(headers or {}), "Authorization": f"Bearer {token or self.access_token}"}
        return http.json_or_empty(self.call(method, url, headers=auth, **kwargs))

    # --- profile and validation --------------------------------------------------------
    def verify(self) -> Profile:
        """The Page of `page_id`, proven by the token: a Page token's `GET /me` is its Page
        (https://developers.facebook.com/docs/pages-api/getting-started#page-access-tokens).
        AccountMismatch (page_id) when the token is another Page's or a user's, which could
        not publish on this Page; ReconnectRequired when refused. Safe to repeat."""
        body = self.graph("GET", "me", params={"fields": "id,name,username,link"})
        page_id = str(body.get("id", ""))
        hint = "Use the Page's own access token (from /me/accounts with a user token that manages the Page)."
        self.require_named(page_id, "the Facebook Page or user", hint)
        return Profile(id=page_id, handle=body.get("username") or page_id, name=body.get("name", ""))

    def validate(self, content: Content) -> list[Problem]:
        """Text, media and option rules of the Graph API; no I/O, safe to repeat."""
        text, link = content.text, content.options.get("link")
        checks = [
            (
                len(text) > TEXT_LIMIT,
                "text",
                "too_long",
                f"Facebook posts are limited to {TEXT_LIMIT:,} characters ({len(text):,} given).",
            ),
            (
                not text.strip() and not content.media and not link,
                "text",
                "required",
                "A Facebook post needs text, a link or media.",
            ),
            (
                bool(link and content.media),
                "platform_options.facebook.link",
                "conflict",
                "A link preview attaches only to a post without media.",
            ),
        ]
        for index, media in enumerate(content.media):
            checks += self._media_checks(f"media_urls.{index}", media, content)
        return [Problem(field, message, code) for failed, field, code, message in checks if failed]

    @staticmethod
    def _media_checks(field: str, media: Media, content: Content) -> list[tuple]:
        """(failed, field, code, message) for one media; metadata rules only where it is known."""
        mime, (low, high) = media.mime_type or "", REEL_SECONDS
        if media.kind == "document":
            return [(True, field, "unsupported", "Facebook posts take photos or one video, not documents.")]
        if media.kind != "video":
            breaches = media_breaches(LIMITS.media_for("image"), media)  # a GIF is posted as a photo
            return [
                (
                    FORMAT in breaches,
                    field,
                    "unsupported_format",
                    f"Facebook photos must be JPEG, BMP, PNG, GIF or TIFF ({mime} given).",
                ),
                (
                    SIZE in breaches,
                    field,
                    "too_large",
                    "Facebook photos must be at most 4 MB.",
                ),
            ]
        reel, width, height = bool(content.options.get("as_reel")), media.width or 0, media.height or 0
        return [
            (
                len(content.media) > 1,
                field,
                "too_many_media",
                "A Facebook video post takes exactly one video and no photos.",
            ),
            (
                bool(mime) and not mime.startswith("video/"),
                field,
                "unsupported_format",
                f"A Facebook video must be a video file ({mime} given).",
            ),
            (
                reel and media.duration_s is not None and not low <= media.duration_s <= high,
                field,
                "bad_duration",
                f"A Facebook Reel must last {low}-{high} s ({media.duration_s} s given).",
            ),
            (
                reel and width > 0 < height and (width < REEL_MIN_SIZE[0] or height < REEL_MIN_SIZE[1]),
                field,
                "too_small",
                "A Facebook Reel must be at least 540x960 pixels.",
            ),
            (
                reel and width > 0 < height and abs(width / height - 9 / 16) > 0.01,
                field,
                "bad_aspect_ratio",
                "A Facebook Reel must have a 9:16 aspect ratio.",
            ),
        ]

    # --- publishing ---------------------------------------------------------------------
    def publish(self, content: Content, *, checkpoint=None, save_checkpoint=None) -> PublishResult:
        """Publish on the Page. Saves `photo_ids`, `video_id` (+ `uploaded`, `finished` for Reels),
        then `post_id`/`url`/`comment_id` as they exist; given that checkpoint back it resumes
        without re-creating them, so a retry never posts twice once `post_id` is saved.
        Raises the typed errors; a failed first comment is only a warning."""
        state, save = checkpoint_state(checkpoint, save_checkpoint)

        if "post_id" not in state:
            self._create(content, state, save)
        warnings = self._option_warnings(content)
        url = state.get("url") or self._permalink(state["post_id"], state.get("kind"))
        if url != state.get("url"):
            save(url=url)
        warnings += self._first_comment(content, state, save)
        return PublishResult(state["post_id"], url, warnings, published_at=datetime.now(UTC))

    def _create(self, content: Content, state: dict, save) -> None:
        videos = [media for media in content.media if media.kind == "video"]
        if videos and content.options.get("as_reel") and len(content.media) == 1:
            self._publish_reel(content, videos[0], state, save)
        elif videos:
            self._publish_video(content, videos[0], state, save)
        elif len(content.media) == 1:
            self._publish_photo(content, content.media[0], save)
        elif content.media:
            self._publish_album(content, state, save)
        else:
            self._publish_feed(content, save)

    def _publish_feed(self, content: Content, save, attached: list[str] | None = None) -> None:
        body = {"published": True}
        if content.text:
            body["message"] = content.text
        if content.options.get("link"):
            body["link"] = content.options["link"]
        if attached:
            body["attached_media"] = [{"media_fbid": photo_id} for photo_id in attached]
        # Read-after-write: `fields` returns the permalink with the new id.
        answer = self.graph("POST", f"{self.page_id}/feed", params={"fields": "id,permalink_url"}, json=body)
        save.note(post_id=answer["id"], kind="post", url=answer.get("permalink_url"))

    def _publish_photo(self, content: Content, media: Media, save) -> None:
        body = {"url": media.url, "caption": content.text, "published": True}
        answer = self.graph("POST", f"{self.page_id}/photos", json=body)
        save.note(post_id=answer.get("post_id") or answer["id"], kind="post")

    def _publish_album(self, content: Content, state: dict, save) -> None:
        photo_ids = list(state.get("photo_ids", []))
        for media in content.media[len(photo_ids) :]:
            answer = self.graph("POST", f"{self.page_id}/photos", json={"url": media.url, "published": False})
            photo_ids.append(answer["id"])
            save(photo_ids=list(photo_ids))
        self._publish_feed(content, save, attached=photo_ids)

    def _publish_video(self, content: Content, media: Media, state: dict, save) -> None:
        if "video_id" not in state:
            body = {"file_url": media.url, "description": content.text, **self._title(content)}
            answer = self.graph("POST", f"{self.page_id}/videos", host="video_url", json=body)
            save(video_id=answer["id"], kind="video")
        self._wait_for_video(state["video_id"])
        save(post_id=state["video_id"])

    def _publish_reel(self, content: Content, media: Media, state: dict, save) -> None:
        if "video_id" not in state:
            answer = self.graph("POST", f"{self.page_id}/video_reels", json={"upload_phase": "start"})
            save(video_id=answer["video_id"], kind="reel")
        video_id = state["video_id"]
        if not state.get("uploaded"):
            # The upload host comes from settings, never from the answer, so the token only goes to known hosts.
            upload_url = self.url("upload_url", f"/video-upload/{self.version}/{video_id}")
            self.call(
                "POST", upload_url, headers={"Authorization": f"OAuth {self.access_token}", "file_url": media.url}
            )
            save(uploaded=True)
        if not state.get("finished"):
            body = {
                "upload_phase": "finish",
                "video_id": video_id,
                "video_state": "PUBLISHED",
                "description": content.text,
                **self._title(content),
            }
            self.graph("POST", f"{self.page_id}/video_reels", json=body)
            save(finished=True)
        self._wait_for_video(video_id)
        save(post_id=video_id)

    @staticmethod
    def _title(content: Content) -> dict:
        return {"title": content.options["video_title"]} if content.options.get("video_title") else {}

    def _wait_for_video(self, video_id: str) -> None:
        """Poll `status` until ready; MediaUnavailable when a phase failed, ProcessingTimeout when too slow."""

        def check():
            status = self.graph("GET", video_id, params={"fields": "status"}).get("status") or {}
            phases = [status.get(name) or {} for name in ("uploading_phase", "processing_phase", "publishing_phase")]
            failed = [phase for phase in phases if phase.get("status") == "error"]
            if failed or status.get("video_status") == "error":
                reason = (failed[0].get("error") or {}).get("message", "") if failed else ""
                raise MediaUnavailable(f"Facebook could not process video {video_id}. {reason}".strip())
            published = (status.get("publishing_phase") or {}).get("status", "complete") == "complete"
            return True if status.get("video_status") == "ready" and published else None

        self.poll(check, what=f"Facebook video {video_id}")

    def _permalink(self, object_id: str, kind: str | None) -> str:
        """The public URL (`permalink_url`, relative to the website for videos), or the
        documented fallback on the website (www.facebook.com, or the sandbox's pages)."""
        if kind == "reel":
            fallback = self.web_url(f"/reel/{object_id}")
        elif kind == "video":
            fallback = self.web_url(f"/{self.page_id}/videos/{object_id}")
        else:
            page, _, post = object_id.partition("_")
            fallback = self.web_url(f"/{page}/posts/{post}")
        try:
            link = self.graph("GET", object_id, params={"fields": "permalink_url"}).get("permalink_url")
        except ProviderError:  # the post is live; a missing URL must not fail the publish
            return fallback
        return self.web_url(link) if link and link.startswith("/") else link or fallback

    def _option_warnings(self, content: Content) -> list[str]:
        videos = [media for media in content.media if media.kind == "video"]
        warnings = []
        if content.options.get("as_reel") and not (len(videos) == 1 and len(content.media) == 1):
            warnings.append("as_reel applies only to a post with exactly one video; published as a regular post.")
        if content.options.get("video_title") and not videos:
            warnings.append("video_title applies only to a video or Reel; ignored.")
        return warnings

    def _first_comment(self, content: Content, state: dict, save) -> list[str]:
        message = content.options.get("first_comment")
        if not message or state.get("comment_id"):
            return []
        try:
            answer = self.graph("POST", f"{state['post_id']}/comments", json={"message": message})
        except ProviderError as exc:
            return [f"The post was published but its first comment failed: {exc}"]
        save(comment_id=answer.get("id", ""))
        return []

    def reconcile(self, content: Content, checkpoint: dict | None) -> PublishResult | None:
        """The live post after a crash: from the checkpoint when it names one, else a Page-feed
        post of the last hour with the same message. None when unknown. Safe to repeat."""
        state = checkpoint or {}
        live_id = state.get("post_id") or (state.get("video_id") if state.get("kind") == "video" else None)
        if state.get("kind") == "reel" and state.get("finished"):
            live_id = state["video_id"]
        if live_id:
            return PublishResult(live_id, state.get("url") or self._permalink(live_id, state.get("kind")))
        if not content.text:
            return None
        since = int((datetime.now(UTC) - RECONCILE_WINDOW).timestamp())
        params = {"fields": "id,message,created_time,permalink_url", "since": since, "limit": 25}
        for item in self.graph("GET", f"{self.page_id}/feed", params=params).get("data", []):
            if item.get("message") == content.text:
                created = datetime.strptime(item["created_time"], "%Y-%m-%dT%H:%M:%S%z")
                return PublishResult(item["id"], item.get("permalink_url"), published_at=created)
        return None

    # --- tokens ---------------------------------------------------------------------------
    def refresh(self) -> RefreshResult:
        """Page tokens do not expire and have no refresh grant. With a `user_access_token`,
        re-exchange it (`fb_exchange_token`, 60 days) and re-read the Page token from
        `/me/accounts`; without one, check the Page token is alive and return it unchanged.
        ReconnectRequired on a definite refusal; ProviderUnavailable/RateLimited otherwise."""
        try:
            if not self.credentials.get("user_access_token"):
                self.verify()
                return RefreshResult(credentials=dict(self.credentials), expires_at=None)
            return self._reexchange_user_token()
        except (TokenExpired, Rejected) as exc:
            raise ReconnectRequired(f"Facebook refused the token: {exc}", status=exc.status) from exc

    def exchange_long_lived(self, user_token: str) -> tuple[str, int | None]:
        """A 60-day user token for a short-lived one (`fb_exchange_token`); (token, expires_in)."""
        params = {
            "grant_type": "fb_exchange_token",
            "client_id": self.app["client_id"],
            "client_secret": self.app["client_secret"],
            "fb_exchange_token": user_token,
        }
        url = self.url("api_url", f"/{self.version}/oauth/access_token")
        answer = http.json_or_empty(self.call("GET", url, params=params))
        return answer["access_token"], answer.get("expires_in")

    def pages(self, user_token: str, fields: str = "id,name,access_token,tasks") -> list[dict]:
        """The Pages a user token grants (`/me/accounts`), each with its Page token."""
        body = self.graph("GET", "me/accounts", token=user_token, params={"fields": fields, "limit": 100})
        return body.get("data", [])

    def _reexchange_user_token(self) -> RefreshResult:
        user_token, expires_in = self.exchange_long_lived(self.credentials["user_access_token"])
        pages = self.pages(user_token, fields="id,name,access_token")
        page = next((page for page in pages if str(page.get("id")) == self.page_id), None)
        if page is None:
            raise ReconnectRequired("The Facebook Page is no longer granted to this app.")
        credentials = {**self.credentials, "access_token": page["access_token"], "user_access_token": user_token}
        if expires_in:
            expiry = datetime.now(UTC) + timedelta(seconds=int(expires_in))
            credentials["user_token_expires_at"] = expiry.isoformat()
        return RefreshResult(credentials=credentials, expires_at=None)

    # --- analytics --------------------------------------------------------------------------
    def fetch_metrics(self, platform_post_id: str) -> MetricsResult:
        """analytics-v1 Facebook keys from `/insights` and the post node; for a video or Reel
        (stored by its bare video id, where feed and photo posts are `{page_id}_{post_id}`)
        from `/video_insights` and the Video node. Always partial: post_engaged_users is gone.
        Raises the typed errors of the node read; safe to repeat."""
        if "_" not in platform_post_id:
            return self._video_metrics(platform_post_id)
        warnings = [ENGAGED_USERS_GONE]
        try:
            insights = self.graph("GET", f"{platform_post_id}/insights", params={"metric": ",".join(INSIGHTS)})
        except Rejected as exc:  # e.g. Pages under 100 likes, or a video id
            insights, warnings = {}, [*warnings, f"Facebook insights unavailable: {exc}"]
        metrics = self._insight_values(insights)
        missing = [key for key in INSIGHTS.values() if key not in metrics]
        if missing and insights:
            warnings.append(f"Facebook did not return {', '.join(missing)}.")
        node = self.graph("GET", platform_post_id, params={"fields": NODE_COUNTS})
        metrics["likes"] = int(((node.get("reactions") or {}).get("summary") or {}).get("total_count", 0))
        metrics["comments"] = int(((node.get("comments") or {}).get("summary") or {}).get("total_count", 0))
        metrics["shares"] = int((node.get("shares") or {}).get("count", 0))  # absent when nobody shared
        return MetricsResult(metrics=metrics, warnings=warnings, partial=True)

    def fetch_account_metrics(self) -> dict[str, int | float]:
        """The Page's `followers_count` and `fan_count` (`GET /{page-id}?fields=…`), and its
        last day's `page_total_media_view_unique` and `page_post_engagements` from
        `GET /{page-id}/insights?period=day`. Insights Facebook refuses for this Page (code
        100, e.g. under 100 likes) are left out, the follower counts kept; any other failure
        raises the typed errors. No writes; safe to repeat."""
        node = self.graph("GET", self.page_id, params={"fields": ",".join(PAGE_FIELDS)})
        metrics = {key: _int(node[key]) for key in PAGE_FIELDS if key in node}
        try:
            insights = self.graph(
                "GET", f"{self.page_id}/insights", params={"metric": ",".join(PAGE_INSIGHTS), "period": "day"}
            )
        except Rejected:
            return metrics
        for item in insights.get("data", []):
            if item.get("name") in PAGE_INSIGHTS and item.get("values"):
                metrics[item["name"]] = _total(item["values"][-1].get("value", 0))
        return metrics

    def _video_metrics(self, video_id: str) -> MetricsResult:
        warnings = [ENGAGED_USERS_GONE, VIDEO_NO_CLICKS]
        try:  # without `metric`, Graph answers every metric of the video's kind (video or Reel)
            insights = self.graph("GET", f"{video_id}/video_insights")
        except Rejected as exc:  # e.g. Pages under 100 likes
            insights, warnings = {}, [*warnings, f"Facebook video insights unavailable: {exc}"]
        metrics, shares = {}, None
        for item in insights.get("data", []):
            if not item.get("values"):
                continue
            value = item["values"][-1].get("value", 0)
            if item.get("name") in VIDEO_INSIGHTS:
                metrics.setdefault(VIDEO_INSIGHTS[item["name"]], _total(value))
            elif item.get("name") in VIDEO_ACTIONS and isinstance(value, dict):
                shares = _int({key.lower(): count for key, count in value.items()}.get("share"))
        missing = [key for key in ("views", "reach", "post_reactions_by_type_total") if key not in metrics]
        if missing and insights:
            warnings.append(f"Facebook did not return {', '.join(missing)}.")
        node = self.graph("GET", video_id, params={"fields": VIDEO_NODE_COUNTS})
        likes = _int(((node.get("likes") or {}).get("summary") or {}).get("total_count"))
        # `likes` of a feed post counts every reaction: the same for a video where insights tell.
        metrics["likes"] = metrics.get("post_reactions_by_type_total", likes)
        metrics["comments"] = _int(((node.get("comments") or {}).get("summary") or {}).get("total_count"))
        if shares is not None:
            metrics["shares"] = shares
        return MetricsResult(metrics=metrics, warnings=warnings, partial=True)

    @staticmethod
    def _insight_values(insights: dict) -> dict[str, int]:
        metrics = {}
        for item in insights.get("data", []):
            if item.get("name") not in INSIGHTS or not item.get("values"):
                continue
            value = item["values"][-1].get("value", 0)
            metrics[INSIGHTS[item["name"]]] = _total(value)
        return metrics

    # --- errors -------------------------------------------------------------------------------
    def raise_for_response(self, response) -> None:
        """Graph `{"error": {...}}` bodies (and rupload `debug_info`) to typed errors."""
        body = http.json_or_empty(response)
        error = body.get("error") if isinstance(body.get("error"), dict) else None
        if error is None and response.status_code < 400:
            return
        if error is None:
            error = self._rupload_error(body.get("debug_info") or {})
        raise self._error_for(response, error)

    @staticmethod
    def _rupload_error(info: dict) -> dict:
        # https://developers.facebook.com/docs/video-api/guides/reels-publishing (rupload answers debug_info)
        code = 190 if info.get("type") == "OAuthException" else 6000
        return {"message": info.get("message", ""), "code": code, "is_transient": bool(info.get("retriable"))}

    def _error_for(self, response, error: dict) -> ProviderError:
        code, subcode, status = _int(error.get("code")), _int(error.get("error_subcode")), response.status_code
        message, extra = self._message(error, code, subcode, status), {"status": status, "raw": error}
        if code in THROTTLE_CODES or status == 429:
            # https://developers.facebook.com/docs/graph-api/overview/rate-limiting
            return RateLimited(message, retry_after=self._retry_after(response), **extra)
        if code in TOKEN_CODES:
            # Page tokens have no refresh: only a user token we can re-exchange makes this a TokenExpired.
            expired = TokenExpired if self.credentials.get("user_access_token") else ReconnectRequired
            return expired(message, **extra)
        if code in PERMISSION_CODES or subcode == PAGE_PUBLISHING_AUTHORIZATION:
            # https://developers.facebook.com/docs/graph-api/guides/error-handling#errorcodes (10, 200-299)
            return ReconnectRequired(message, **extra)
        if code in TRANSIENT_CODES or error.get("is_transient") or status >= 500:
            return ProviderUnavailable(message, **extra)
        if code in MEDIA_CODES or subcode in MEDIA_SUBCODES:
            # 324 invalid image, 6000/6001 video upload, 1366046 photo too large (Postiz)
            return MediaUnavailable(message, **extra)
        return Rejected(message, **extra)  # 100 bad parameter, 368 policy block, 506 duplicate post

    def _message(self, error: dict, code: int, subcode: int, status: int) -> str:
        text = error.get("error_user_msg") or error.get("message") or f"HTTP {status}"
        for secret in (self.access_token, self.credentials.get("user_access_token")):
            if secret:
                text = text.replace(secret, "[token]")  # Graph echoes malformed tokens
        detail = f"code {code}" + (f", subcode {subcode}" if subcode else "")
        return f"Facebook: {text} ({detail})"

    @staticmethod
    def _retry_after(response) -> float:
        """Minutes from X-Business-Use-Case-Usage `estimated_time_to_regain_access`, else Retry-After."""
        minutes = http.business_use_case_minutes(response.headers.get("X-Business-Use-Case-Usage"))
        if minutes > 0:
            return minutes * 60.0
        return http.retry_after_seconds(response.headers.get("Retry-After"))


def _total(value) -> int:
    """An insight's value: a count, or an object of counts by type (summed)."""
    return sum(_int(count) for count in value.values()) if isinstance(value, dict) else _int(value)


def _int(value) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0
