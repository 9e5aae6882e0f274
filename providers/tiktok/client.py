"""TikTok (Content Posting API v2): direct posts of one video or of 1–35 photos, pulled by
TikTok from their URLs, then followed through the publish status until the post is live.

Docs: developers.tiktok.com, "Content Posting API: Get started" (read 2026-11-22).
Every answer carries the envelope `{"data": {...}, "error": {"code": "ok", ...}}`; a code
other than "ok" is a failure even on HTTP 200. There is no first-comment API.
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
)
from providers.errors import (
    MediaUnavailable,
    MetricsUnsupported,
    ProviderUnavailable,
    RateLimited,
    ReconnectRequired,
    Rejected,
    TokenExpired,
)
from providers.tiktok.rules import (
    CAPABILITIES,
    PHOTO_DESCRIPTION_MAX,
    PHOTO_ONLY_OPTIONS,
    PRIVACY_LEVELS,
    VIDEO_CAPTION_MAX,
    VIDEO_ONLY_OPTIONS,
    TikTokOptionsSerializer,
    media_problems,
    utf16_length,
)

OPT = "platform_options.tiktok"
JSON = "application/json; charset=UTF-8"
METRIC_KEYS = ("view_count", "like_count", "comment_count", "share_count")
DAY = 24 * 3600.0
# Account numbers: the user's counters of `GET /v2/user/info/` (follower_count,
# following_count, likes_count = likes received over the account's life, video_count),
# which need the `user.info.stats` scope. TikTok's Display API serves no account reach or
# engagement (those live in its separate Business API), so there are none to normalize.
STATS_FIELDS = ("follower_count", "following_count", "likes_count", "video_count")
STATS_SCOPE = "user.info.stats"
SCOPE_CODES = ("scope_not_authorized", "scope_permission_missed")
CREATOR_FLAGS = (
    ("comment_disabled", "disable_comment"),
    ("duet_disabled", "disable_duet"),
    ("stitch_disabled", "disable_stitch"),
)
# https://developers.tiktok.com/doc/content-posting-api-reference-get-video-status (fail_reason)
FAIL_REASON_ERRORS = {
    "video_pull_failed": MediaUnavailable,
    "photo_pull_failed": MediaUnavailable,
    "internal": ProviderUnavailable,
    "auth_removed": ReconnectRequired,
}


class TikTokClient(ProviderClient):
    name = "tiktok"
    options_serializer = TikTokOptionsSerializer
    # Normalized counts: the Display API's video counts; TikTok gives no clicks.
    normalized_metrics = {
        "views": ("view_count",),
        "likes": ("like_count",),
        "comments": ("comment_count",),
        "shares": ("share_count",),
    }
    normalized_account_metrics = {"followers": ("follower_count",)}
    account_credential = "open_id"
    capabilities = CAPABILITIES

    # --- HTTP helpers ------------------------------------------------------------------
    def _api(self, path: str) -> str:
        return self.url("api_url", f"/{self.version}/{path.lstrip('/')}")

    def _post(self, path: str, body: dict | None = None) -> dict:
        """POST a JSON body with the user token; the envelope's `data`."""
        headers = {"Authorization": f"Bearer {self.access_token}", "Content-Type": JSON}
        response = self.call("POST", self._api(path), headers=headers, json=body)
        return http.json_or_empty(response).get("data") or {}

    def raise_for_response(self, response) -> None:
        """Map a TikTok error answer to a typed error; `error.code` decides, even on HTTP 200.
        https://developers.tiktok.com/doc/tiktok-api-v2-error-handling"""
        body = http.json_or_empty(response)
        code, message = _error_of(body)
        if response.ok and code in ("", "ok"):
            return
        status = response.status_code
        text = f"TikTok refused the request ({code or f'HTTP {status}'}): {message or response.reason}"
        if code == "access_token_invalid" or (status == 401 and not code):
            raise TokenExpired(text, status=status, raw=body)
        # Scope removed by the user, or (OAuth endpoint) a dead refresh token:
        # https://developers.tiktok.com/doc/oauth-user-access-token-management
        if code in ("scope_not_authorized", "scope_permission_missed", "invalid_grant"):
            raise ReconnectRequired(text, status=status, raw=body)
        # No documented reset header; honour Retry-After when present, else back off 60 s.
        if code == "rate_limit_exceeded" or status == 429:
            retry = http.retry_after_seconds(response.headers.get("Retry-After"), default=60.0)
            raise RateLimited(text, retry_after=retry, status=status, raw=body)
        # Daily post cap / full inbox: https://developers.tiktok.com/doc/content-sharing-guidelines
        if code in ("spam_risk_too_many_posts", "spam_risk_too_many_pending_share"):
            raise RateLimited(text, retry_after=DAY, status=status, raw=body)
        if code == "internal_error" or status >= 500:
            raise ProviderUnavailable(text, status=status, raw=body)
        raise Rejected(text, status=status, raw=body)

    # --- account ------------------------------------------------------------------------
    def verify(self) -> Profile:
        """The creator of `open_id`, proven by the token: the token's user (`GET
        /v2/user/info/`) must be that creator; without `open_id`, the token's user.
        AccountMismatch (open_id) for another creator; TokenExpired for a refused token,
        ReconnectRequired for a missing scope. Safe to repeat."""
        fields = "open_id,union_id,avatar_url,display_name,username"
        headers = {"Authorization": f"Bearer {self.access_token}"}
        response = self.call("GET", self._api("/user/info/"), headers=headers, params={"fields": fields})
        user = (http.json_or_empty(response).get("data") or {}).get("user") or {}
        open_id = str(user.get("open_id", ""))
        self.require_named(open_id, "the TikTok creator", "Connect with that creator's token.")
        extra = {key: user[key] for key in ("union_id", "avatar_url") if user.get(key)}
        handle = user.get("username") or open_id
        return Profile(id=open_id, handle=handle, name=user.get("display_name", ""), extra=extra)

    def refresh(self) -> RefreshResult:
        """Rotate the tokens (`grant_type=refresh_token`; the old refresh token stops working,
        so the new credentials must be stored at once). ReconnectRequired when TikTok refuses
        the grant; RateLimited / ProviderUnavailable when it could not answer. Not safe to
        repeat with the old refresh token once a call succeeded."""
        refresh_token = self.credentials.get("refresh_token")
        if not refresh_token:
            raise ReconnectRequired("This TikTok account has no refresh token; reconnect it.")
        form = {
            "client_key": self.app["client_id"],
            "client_secret": self.app["client_secret"],
            "grant_type": "refresh_token",
            "refresh_token": refresh_token,
        }
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Cache-Control": "no-cache"}
        try:
            response = self.call("POST", self._api("/oauth/token/"), headers=headers, data=form)
        except TokenExpired as exc:
            raise ReconnectRequired(f"TikTok refused the refresh token: {exc.message}", status=exc.status) from exc
        return self._refreshed(http.json_or_empty(response))

    def _refreshed(self, body: dict) -> RefreshResult:
        if not body.get("access_token"):
            raise ProviderUnavailable("TikTok's token answer carried no access_token.")
        now = datetime.now(UTC)
        credentials = {**self.credentials, "access_token": body["access_token"]}
        for key in ("refresh_token", "open_id"):
            if body.get(key):
                credentials[key] = body[key]
        if body.get("refresh_expires_in"):
            credentials["refresh_expires_at"] = (now + timedelta(seconds=int(body["refresh_expires_in"]))).isoformat()
        expires_at = now + timedelta(seconds=int(body["expires_in"])) if body.get("expires_in") else None
        return RefreshResult(credentials=credentials, expires_at=expires_at)

    # --- validation ---------------------------------------------------------------------
    def validate(self, content: Content) -> list[Problem]:
        """Problems TikTok would have with `content` (options, media, text); no I/O, safe to repeat."""
        problems = self._option_problems(content.options)
        if "privacy_level" not in content.options:
            levels = ", ".join(PRIVACY_LEVELS)
            problems.append(
                Problem(f"{OPT}.privacy_level", f"TikTok requires privacy_level (one of {levels}).", "required")
            )
        problems += media_problems(content.media)
        photo = bool(content.media) and all(m.kind == "image" for m in content.media)
        limit, what = (PHOTO_DESCRIPTION_MAX, "photo description") if photo else (VIDEO_CAPTION_MAX, "video caption")
        if utf16_length(content.text) > limit:
            problems.append(
                Problem(
                    "text",
                    f"A TikTok {what} is at most {limit:,} characters (UTF-16 units); "
                    f"this one has {utf16_length(content.text):,}.",
                    "too_long",
                )
            )
        return problems

    def _option_problems(self, options: dict) -> list[Problem]:
        serializer = self.options_serializer(data=options)
        if serializer.is_valid():
            return []
        problems = []
        for name, messages in serializer.errors.items():
            field = OPT if name == "non_field_errors" else f"{OPT}.{name}"
            problems.append(Problem(field, " ".join(str(m) for m in messages), "invalid_option"))
        return problems

    # --- publishing ---------------------------------------------------------------------
    def publish(self, content, *, checkpoint=None, save_checkpoint=None) -> PublishResult:
        """Direct-post a video (`/video/init/`) or photos (`/content/init/`) pulled from their
        URLs, after checking the creator's settings (`creator_info`), then poll the status.

        Raises Rejected (privacy level not offered, video too long for the creator, content
        refused), MediaUnavailable (TikTok could not pull the media), RateLimited,
        TokenExpired, ReconnectRequired, ProviderUnavailable / ProcessingTimeout. The
        publish_id is saved right after init; given it back, a retry only polls it, so a
        retried publish never posts twice. A FAILED publish clears it so a retry starts anew."""
        checkpoint = dict(checkpoint or {})
        save = save_checkpoint or (lambda data: None)
        warnings: list[str] = []
        if not checkpoint.get("publish_id"):
            checkpoint = {**checkpoint, **self._start(content, warnings)}
            save(checkpoint)
        publish_id = checkpoint["publish_id"]
        result = self.poll(lambda: self._check(publish_id, checkpoint, save), what=f"TikTok publish {publish_id}")
        result.warnings = warnings + result.warnings
        return result

    def _start(self, content: Content, warnings: list[str]) -> dict:
        """creator_info, then one init call; the checkpoint keys of the new publish."""
        creator = self._post("/post/publish/creator_info/query/")
        videos = [m for m in content.media if m.kind == "video"]
        options = self._creator_options(content, creator, warnings, videos)
        data = self._init(content, options, videos)
        if not data.get("publish_id"):
            raise ProviderUnavailable("TikTok's init answer carried no publish_id.")
        username = self.credentials.get("username") or creator.get("creator_username") or ""
        return {"publish_id": data["publish_id"], "username": username, "kind": "video" if videos else "photo"}

    def _init(self, content: Content, options: dict, videos: list[Media]) -> dict:
        """Direct post of the video, or of the photos, pulled by TikTok from their URLs."""
        if videos:
            source = {"source": "PULL_FROM_URL", "video_url": videos[0].url}
            body = {"post_info": _video_post_info(content.text, options), "source_info": source}
            return self._post("/post/publish/video/init/", body)
        images = [m.url for m in content.media]
        source = {"source": "PULL_FROM_URL", "photo_cover_index": 0, "photo_images": images}
        body = {
            "media_type": "PHOTO",
            "post_mode": "DIRECT_POST",
            "post_info": _photo_post_info(content.text, options),
            "source_info": source,
        }
        return self._post("/post/publish/content/init/", body)

    def _creator_options(self, content: Content, creator: dict, warnings: list[str], videos: list[Media]) -> dict:
        """The options TikTok will accept for this creator: Rejected before posting when the
        privacy level is not offered or the video is too long; disabled interactions forced."""
        options = dict(content.options)
        offered = creator.get("privacy_level_options") or []
        if options.get("privacy_level") not in offered:
            raise Rejected(
                f"privacy_level {options.get('privacy_level')!r} is not offered by this TikTok account "
                f"(creator_info allows {', '.join(offered) or 'nothing'})."
            )
        longest = creator.get("max_video_post_duration_sec")
        duration = videos[0].duration_s if videos else None
        if longest and duration is not None and duration > longest:
            raise Rejected(
                f"The video lasts {duration:g} s; this TikTok account may post at most {longest} s "
                "(creator_info max_video_post_duration_sec)."
            )
        not_applicable = PHOTO_ONLY_OPTIONS if videos else VIDEO_ONLY_OPTIONS
        for name in not_applicable:
            if name in content.options:
                warnings.append(f"{name} does not apply to a TikTok {'video' if videos else 'photo'} post; ignored.")
        for flag, name in CREATOR_FLAGS:
            if creator.get(flag):
                if options.get(name) is False:
                    warnings.append(f"{name}=false ignored: the creator has turned this off in TikTok ({flag}).")
                options[name] = True
        return options

    def _check(self, publish_id: str, checkpoint: dict, save) -> PublishResult | None:
        """One status read: the result when complete, None while TikTok is still working."""
        data = self._status(publish_id)
        status = data.get("status")
        if status == "PUBLISH_COMPLETE":
            return self._result(data, publish_id, checkpoint.get("username", ""))
        if status == "FAILED":
            # This publish ended without a post: a retry must init again, not poll it.
            save({**checkpoint, "publish_id": None, "failed_publish_id": publish_id})
            raise _failure(str(data.get("fail_reason") or "unknown"))
        if status == "SEND_TO_USER_INBOX":
            raise Rejected("TikTok delivered the post to the creator's inbox as a draft instead of publishing it.")
        return None

    def _status(self, publish_id: str) -> dict:
        return self._post("/post/publish/status/fetch/", {"publish_id": publish_id})

    def _result(self, data: dict, publish_id: str, username: str) -> PublishResult:
        ids = data.get("publicaly_available_post_id") or []  # sic, TikTok's spelling
        if not ids:
            warning = (
                "TikTok has not exposed the public post id yet (moderation or a private post); "
                "the publish_id is stored instead."
            )
            return PublishResult(publish_id, None, [warning], datetime.now(UTC))
        post_id = str(ids[0])
        return PublishResult(post_id, self._post_url(username, post_id), [], datetime.now(UTC))

    def _post_url(self, username: str, post_id: str) -> str | None:
        return self.web_url(f"/@{username}/video/{post_id}") if username else None

    def reconcile(self, content: Content, checkpoint: dict | None) -> PublishResult | None:
        """The live post when the saved publish_id has completed, else None. One status read;
        safe to repeat."""
        publish_id = (checkpoint or {}).get("publish_id")
        if not publish_id:
            return None
        data = self._status(publish_id)
        if data.get("status") != "PUBLISH_COMPLETE":
            return None
        return self._result(data, publish_id, checkpoint.get("username", ""))

    # --- analytics ----------------------------------------------------------------------
    def fetch_metrics(self, platform_post_id: str) -> MetricsResult:
        """view_count, like_count, comment_count, share_count from `/v2/video/query/`.
        Partial (with a warning) when TikTok does not list the post. Safe to repeat."""
        if not str(platform_post_id).isdigit():
            return MetricsResult(
                {},
                [f"{platform_post_id} is a publish_id, not a public post id: TikTok has no metrics for it yet."],
                partial=True,
            )
        path = f"/video/query/?fields=id,{','.join(METRIC_KEYS)}"
        data = self._post(path, {"filters": {"video_ids": [str(platform_post_id)]}})
        videos = [v for v in data.get("videos") or [] if str(v.get("id")) == str(platform_post_id)]
        if not videos:
            return MetricsResult(
                {},
                [
                    f"TikTok's video query did not return post {platform_post_id} "
                    "(deleted, not this account's, or a photo post)."
                ],
                partial=True,
            )
        metrics = {key: int(videos[0][key]) for key in METRIC_KEYS if videos[0].get(key) is not None}
        missing = [key for key in METRIC_KEYS if key not in metrics]
        warnings = [f"TikTok did not return {', '.join(missing)}."] if missing else []
        return MetricsResult(metrics, warnings, partial=bool(missing))

    def fetch_account_metrics(self) -> dict[str, int | float]:
        """The user's follower_count, following_count, likes_count and video_count from
        `GET /v2/user/info/`. MetricsUnsupported when the token was not granted
        `user.info.stats` (TikTok's scope error, or an answer without the counters) rather
        than a reconnect: the account still publishes. Otherwise the typed errors
        (TokenExpired for a refused token). No writes; safe to repeat."""
        headers = {"Authorization": f"Bearer {self.access_token}"}
        params = {"fields": ",".join(STATS_FIELDS)}
        try:
            response = self.call("GET", self._api("/user/info/"), headers=headers, params=params)
        except ReconnectRequired as exc:
            if _error_of(exc.raw or {})[0] not in SCOPE_CODES:
                raise
            raise MetricsUnsupported(
                f"TikTok gives account counters only with the {STATS_SCOPE} scope, not granted to Dravo: {exc.message}",
                status=exc.status,
            ) from exc
        user = (http.json_or_empty(response).get("data") or {}).get("user") or {}
        metrics = {key: int(user[key]) for key in STATS_FIELDS if isinstance(user.get(key), int | float)}
        if not metrics:
            raise MetricsUnsupported(f"TikTok answered no account counters (is {STATS_SCOPE} granted?).")
        return metrics


def _error_of(body: dict) -> tuple[str, str]:
    """(code, message) of the API envelope, or of the OAuth endpoint's flat error shape."""
    error = body.get("error")
    if isinstance(error, dict):
        return str(error.get("code") or ""), str(error.get("message") or "")
    if isinstance(error, str):
        return error, str(body.get("error_description") or "")
    return "", ""


def _failure(reason: str) -> Exception:
    message = f"TikTok could not publish the post (fail_reason {reason})."
    if reason.startswith("spam_risk"):
        return RateLimited(message, retry_after=DAY)
    return FAIL_REASON_ERRORS.get(reason, Rejected)(message)


def _flags(options: dict, names: tuple[str, ...]) -> dict:
    return {name: bool(options.get(name, False)) for name in names}


def _video_post_info(caption: str, options: dict) -> dict:
    info = {"title": caption, "privacy_level": options["privacy_level"]}
    info |= _flags(options, ("disable_comment", "disable_duet", "disable_stitch"))
    if "video_cover_timestamp_ms" in options:
        info["video_cover_timestamp_ms"] = options["video_cover_timestamp_ms"]
    return info | _flags(options, ("brand_content_toggle", "brand_organic_toggle", "is_aigc"))


def _photo_post_info(description: str, options: dict) -> dict:
    info = {"title": options.get("title", ""), "description": description, "privacy_level": options["privacy_level"]}
    info |= _flags(options, ("disable_comment",))
    if "auto_add_music" in options:
        info["auto_add_music"] = options["auto_add_music"]
    return info | _flags(options, ("brand_content_toggle", "brand_organic_toggle"))
