"""X (API v2) client: text posts, images, a GIF or a video, polls, threads, replies and
quotes; media upload (simple and chunked); post metrics; OAuth 2.0 refresh.

X API v2 (OpenAPI 2.167).
Docs: https://docs.x.com/x-api/posts/manage-tweets/introduction
"""

import html
import re
import time
import unicodedata
from datetime import timedelta

from django.utils import timezone

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
    ProviderUnavailable,
    RateLimited,
    ReconnectRequired,
    Rejected,
    TokenExpired,
)
from providers.x.rules import (
    CAPABILITIES,
    MB,
    XOptionsSerializer,
    media_mix_problems,
    media_problems,
    text_problem,
)

CHUNK_BYTES = 4 * MB
CATEGORY = {"gif": "tweet_gif", "video": "tweet_video"}  # chunked upload; images use the simple one
DEFAULT_MIME = {"image": "image/jpeg", "gif": "image/gif", "video": "video/mp4"}
ALL_METRICS = "public_metrics,non_public_metrics,organic_metrics"
NO_NON_PUBLIC = (
    "X gave public metrics only: non-public and organic metrics exist only for the owner's posts under 30 days old."
)
URL_RE = re.compile(r"https?://\S+")


class XClient(ProviderClient):
    name = "x"
    options_serializer = XOptionsSerializer
    # Normalized counts: impressions are views, replies comments, reposts shares, and link
    # clicks (non-public, the owner's posts under 30 days only) clicks.
    normalized_metrics = {
        "views": ("impression_count",),
        "likes": ("like_count",),
        "comments": ("reply_count",),
        "shares": ("retweet_count",),
        "clicks": ("url_link_clicks",),
    }
    metric_labels = {
        "impression_count": "Impressions",
        "retweet_count": "Reposts",
        "quote_count": "Quotes",
        "url_link_clicks": "Link clicks",
        "user_profile_clicks": "Profile clicks",
    }
    # X's user object counts followers but no account reach nor engagement (impressions
    # exist per post only): followers only; the rest stays under X's own names.
    normalized_account_metrics = {"followers": ("followers_count",)}
    account_credential = "user_id"

    @classmethod
    def profile_credentials(cls, profile: Profile) -> dict:
        """X builds post URLs from the username; the user id names the account."""
        return {"user_id": profile.id, "username": profile.handle.lstrip("@")}
    capabilities = CAPABILITIES

    # --- interface ----------------------------------------------------------------------
    def verify(self) -> Profile:
        """The user of `user_id`, proven by the token: the user behind it (`GET /2/users/me`)
        must be that user; without `user_id`, the token's user. AccountMismatch (user_id) for
        another user; TokenExpired on 401. Safe to repeat."""
        headers = self._auth()
        data = self._data(self.call("GET", self.api("users/me"), headers=headers))
        self.require_named(str(data.get("id", "")), "the X user", "Connect with that user's token.")
        return Profile(id=str(data.get("id", "")), handle=data.get("username", ""), name=data.get("name", ""))

    def validate(self, content: Content) -> list[Problem]:
        """Problems X would have with `content` (text, media, option combinations); no I/O."""
        options = content.options or {}
        problems = [p for p in [text_problem("text", content.text)] if p]
        if not content.text.strip() and not content.media:
            problems.append(Problem("text", "An X post needs text or media.", "required"))
        problems += media_mix_problems(content.media)
        for index, media in enumerate(content.media):
            problems += media_problems(f"media_urls.{index}", media)
        for index, text in enumerate(options.get("thread") or []):
            problems += [p for p in [text_problem(f"platform_options.x.thread.{index}", text, required=True)] if p]
        if options.get("poll") and content.media:
            problems.append(Problem("platform_options.x.poll", "An X poll cannot be combined with media.", "conflict"))
        if options.get("poll") and options.get("quote_post_id"):
            problems.append(Problem("platform_options.x.poll", "An X poll cannot quote a post.", "conflict"))
        return problems

    def publish(self, content: Content, *, checkpoint=None, save_checkpoint=None) -> PublishResult:
        """Upload the media, create the post, then each `thread` item as a reply to the previous one.

        Checkpoint: `media_ids` (uploaded so far) and `post_ids` (published so far). Given it
        back, uploaded media are reused and published posts skipped, so a retry never posts
        twice. A thread part X refuses permanently ends the thread with a warning (the posts
        before it are live). Raises the typed errors of raise_for_response, MediaUnavailable
        and ProcessingTimeout."""
        state, save = checkpoint_state(checkpoint, save_checkpoint)

        post_ids = list(state.get("post_ids") or [])
        if not post_ids:
            media_ids = self._upload_all(content.media, state, save)
            post_ids = [self._create_post(self._post_body(content, media_ids))]
            save(post_ids=list(post_ids))
        warnings = self._publish_thread(content.options or {}, post_ids, save)
        return PublishResult(post_ids[0], self.post_url(post_ids[0]), warnings, timezone.now())

    def refresh(self) -> RefreshResult:
        """Rotate the tokens (`POST /2/oauth2/token`, grant refresh_token, Basic client auth).
        The old refresh token dies with this call: store the result before anything else.
        ReconnectRequired when X refuses the grant or there is no refresh token; not safe to
        repeat with the old credentials."""
        refresh_token = self.credentials.get("refresh_token")
        if not refresh_token:
            raise ReconnectRequired("This X account has no refresh token (offline.access not granted): reconnect it.")
        form = {"grant_type": "refresh_token", "refresh_token": refresh_token, "client_id": self.app["client_id"]}
        try:
            response = self.call(
                "POST",
                self.api("oauth2/token"),
                data=form,
                auth=(self.app["client_id"], self.app["client_secret"]),
            )
        except TokenExpired as exc:  # a 401 here refuses the client or the grant, not an access token
            raise ReconnectRequired(f"X refused the refresh: {exc}", status=exc.status) from exc
        body = http.json_or_empty(response)
        if not body.get("access_token"):
            raise ProviderUnavailable("X answered the refresh without an access token.")
        credentials = {**self.credentials, "access_token": body["access_token"]}
        if body.get("refresh_token"):
            credentials["refresh_token"] = body["refresh_token"]
        expires_in = body.get("expires_in")
        expires_at = timezone.now() + timedelta(seconds=int(expires_in)) if expires_in else None
        return RefreshResult(credentials=credentials, expires_at=expires_at)

    def fetch_metrics(self, platform_post_id: str) -> MetricsResult:
        """Flattened `public_metrics` (+ non-public/organic keys when X grants them, else a
        warning and public only). Rejected when the post does not exist; safe to repeat."""
        try:
            body = self._post_fields(platform_post_id, ALL_METRICS)
        except Rejected:
            body = {}
        warnings = []
        if not body.get("data") and not _error_type(body, "resource-not-found"):
            body = self._post_fields(platform_post_id, "public_metrics")
            warnings.append(NO_NON_PUBLIC)
        if not body.get("data"):
            raise Rejected(f"X has no post {platform_post_id}: {_error_message(body, 200)}", raw=body)
        return MetricsResult(metrics=_flatten_metrics(body["data"]), warnings=warnings)

    def fetch_account_metrics(self) -> dict[str, int | float]:
        """The user's `public_metrics` now, flattened: `followers_count`, `following_count`,
        `tweet_count`, `listed_count` (and `like_count`, `media_count` where X gives them),
        from `GET /2/users/me?user.fields=public_metrics` (`users.read tweet.read`, asked
        at connect). TokenExpired on 401. Safe to repeat (one billed read)."""
        params = {"user.fields": "public_metrics"}
        data = self._data(self.call("GET", self.api("users/me"), headers=self._auth(), params=params))
        return _flatten_metrics(data)

    def reconcile(self, content: Content, checkpoint: dict | None) -> PublishResult | None:
        """The live post after a crash or a 403 duplicate: from a complete checkpoint, else the
        account's recent posts (`GET /2/users/{id}/tweets`) matched by text. None when unknown,
        or when a thread is half published (publish with the checkpoint resumes it). Safe to repeat."""
        post_ids = (checkpoint or {}).get("post_ids") or []
        thread = (content.options or {}).get("thread") or []
        if post_ids:
            return PublishResult(post_ids[0], self.post_url(post_ids[0])) if len(post_ids) > len(thread) else None
        if not content.text.strip():
            return None
        post_id = self._find_live_post(content.text)
        if post_id is None:
            return None
        warnings = ["The thread replies of the earlier post could not be confirmed."] if thread else []
        return PublishResult(post_id, self.post_url(post_id), warnings)

    def raise_for_response(self, response) -> None:
        """The one mapping of X answers to typed errors (X API v2 error responses). Never names a token.
        Docs: https://docs.x.com/x-api/fundamentals/response-codes-and-errors"""
        status = response.status_code
        if status < 400:
            return
        body = http.json_or_empty(response)
        message = _error_message(body, status)
        extra = {"status": status, "raw": body}
        if status == 429:  # https://docs.x.com/x-api/fundamentals/rate-limits (reset epoch, no Retry-After)
            raise RateLimited(f"X rate limit: {message}", retry_after=_retry_after(response, body), **extra)
        if status >= 500:
            raise ProviderUnavailable(f"X is unavailable (HTTP {status}): {message}", **extra)
        if isinstance(body.get("error"), str):  # OAuth token endpoint: invalid_grant / invalid_request
            # https://docs.x.com/resources/fundamentals/authentication/oauth-2-0/user-access-token
            raise ReconnectRequired(f"X refused the grant ({body['error']}): {message}", **extra)
        if status == 401:  # https://docs.x.com/x-api/fundamentals/authentication (2 h user tokens)
            raise TokenExpired(f"X refused the access token: {message}", **extra)
        if "/media/upload" in (response.url or "") and status in (400, 413, 415):
            # https://docs.x.com/x-api/media/quickstart/best-practices (invalid or oversized media)
            raise MediaUnavailable(f"X refused the media: {message}", **extra)
        if status == 403 and "duplicate" in message.lower():  # earlier post is live: see reconcile()
            raise Rejected(f"X refused a duplicate post: {message}", **extra)
        raise Rejected(f"X refused the request (HTTP {status}): {message}", **extra)

    # --- helpers ------------------------------------------------------------------------
    def api(self, path: str) -> str:
        return self.url("api_url", f"/{self.version}/{path}")

    def post_url(self, post_id: str) -> str:
        """The post's page on the website (x.com, or the sandbox's page for a test-mode account)."""
        return self.web_url(f"/{self.credentials.get('username') or 'i'}/status/{post_id}")

    def _auth(self) -> dict:
        return {"Authorization": f"Bearer {self.access_token}"}

    @staticmethod
    def _data(response) -> dict:
        return http.json_or_empty(response).get("data") or {}

    def _post_body(self, content: Content, media_ids: list[str]) -> dict:
        options = content.options or {}
        body = {"text": content.text} if content.text else {}
        if media_ids:
            body["media"] = {"media_ids": media_ids}
        if poll := options.get("poll"):
            body["poll"] = {"options": list(poll["options"]), "duration_minutes": poll["duration_minutes"]}
        if options.get("reply_settings"):
            body["reply_settings"] = options["reply_settings"]
        if options.get("quote_post_id"):
            body["quote_tweet_id"] = options["quote_post_id"]
        if options.get("reply_to_post_id"):
            body["reply"] = {"in_reply_to_tweet_id": options["reply_to_post_id"]}
        return body

    def _create_post(self, body: dict) -> str:
        data = self._data(self.call("POST", self.api("tweets"), headers=self._auth(), json=body))
        if not data.get("id"):
            raise ProviderUnavailable("X answered the post without an id.")
        return str(data["id"])

    def _publish_thread(self, options: dict, post_ids: list[str], save) -> list[str]:
        parts = options.get("thread") or []
        for number, text in enumerate(parts[len(post_ids) - 1 :], start=len(post_ids) + 1):
            body = {"text": text, "reply": {"in_reply_to_tweet_id": post_ids[-1]}}
            if options.get("reply_settings"):
                body["reply_settings"] = options["reply_settings"]
            try:
                post_ids.append(self._create_post(body))
            except (Rejected, MediaUnavailable) as exc:
                live = len(post_ids)
                return [f"X refused post {number} of the thread ({exc}); the first {live} are live, the rest was not."]
            save(post_ids=list(post_ids))
        return []

    def _upload_all(self, media: tuple[Media, ...], state: dict, save) -> list[str]:
        ids = list(state.get("media_ids") or [])
        for index, item in enumerate(media):
            if index < len(ids):
                processing = item.kind in CATEGORY  # resumed: ask X where the processing is
            else:
                media_id, processing = self._upload(item)
                ids.append(media_id)
                save.note(media_ids=list(ids))
            if processing:
                self._wait_processed(ids[index])
        return ids

    def _upload(self, media: Media) -> tuple[str, bool]:
        """Upload one file; returns its media id and whether X is still processing it."""
        body = self.download(media)
        mime = media.mime_type or DEFAULT_MIME.get(media.kind, "application/octet-stream")
        if media.kind not in CATEGORY:
            files = {"media": ("media", body, mime)}
            form = {"media_category": "tweet_image"}
            response = self.call("POST", self.api("media/upload"), headers=self._auth(), files=files, data=form)
            return str(self._data(response)["id"]), False
        return self._upload_chunked(body, mime, CATEGORY[media.kind])

    def _upload_chunked(self, body: bytes, mime: str, category: str) -> tuple[str, bool]:
        """initialize, append each chunk, finalize (X's chunked media upload)."""
        init = {"media_type": mime, "total_bytes": len(body), "media_category": category}
        response = self.call("POST", self.api("media/upload/initialize"), headers=self._auth(), json=init)
        media_id = str(self._data(response)["id"])
        for segment, start in enumerate(range(0, len(body), CHUNK_BYTES)):
            chunk = {"media": ("chunk", body[start : start + CHUNK_BYTES], "application/octet-stream")}
            form = {"segment_index": str(segment)}
            self.call("POST", self.api(f"media/upload/{media_id}/append"), headers=self._auth(), files=chunk, data=form)
        response = self.call("POST", self.api(f"media/upload/{media_id}/finalize"), headers=self._auth())
        info = self._data(response).get("processing_info") or {}
        return media_id, bool(info) and info.get("state") != "succeeded"

    def _wait_processed(self, media_id: str) -> None:
        """Poll `GET /2/media/upload?command=STATUS` until succeeded; MediaUnavailable if failed."""

        def check():
            params = {"command": "STATUS", "media_id": media_id}
            info = self._data(self.call("GET", self.api("media/upload"), headers=self._auth(), params=params))
            info = info.get("processing_info") or {"state": "succeeded"}
            if info.get("state") == "failed":
                reason = (info.get("error") or {}).get("message", "processing failed")
                raise MediaUnavailable(f"X could not process media {media_id}: {reason}", raw=info)
            return True if info.get("state") == "succeeded" else None

        self.poll(check, what=f"X media {media_id} processing")

    def _post_fields(self, post_id: str, fields: str) -> dict:
        params = {"tweet.fields": fields}
        response = self.call("GET", self.api(f"tweets/{post_id}"), headers=self._auth(), params=params)
        return http.json_or_empty(response)

    def _find_live_post(self, text: str) -> str | None:
        user_id = self.credentials.get("user_id") or self.verify().id
        params = {"max_results": 20, "exclude": "retweets", "tweet.fields": "created_at"}
        response = self.call("GET", self.api(f"users/{user_id}/tweets"), headers=self._auth(), params=params)
        wanted = _comparable(text)
        for post in http.json_or_empty(response).get("data") or []:
            if _comparable(html.unescape(post.get("text", ""))) == wanted:
                return str(post["id"])
        return None


# --- pure rules --------------------------------------------------------------------------
def _flatten_metrics(data: dict) -> dict[str, int]:
    """Public metrics win where the groups share a key; the others only add keys."""
    metrics = {}
    for group in ("organic_metrics", "non_public_metrics", "public_metrics"):
        for key, value in (data.get(group) or {}).items():
            if isinstance(value, int) and not isinstance(value, bool):
                metrics[key] = value
    return metrics


def _error_message(body: dict, status: int) -> str:
    errors = body.get("errors") if isinstance(body.get("errors"), list) else []
    first = errors[0] if errors and isinstance(errors[0], dict) else {}
    message = (
        body.get("detail")
        or body.get("error_description")
        or first.get("detail")
        or first.get("message")
        or body.get("title")
        or body.get("error")
        or f"HTTP {status}"
    )
    return str(message)[:500]


def _error_type(body: dict, suffix: str) -> bool:
    errors = body.get("errors") if isinstance(body.get("errors"), list) else []
    types = [str(body.get("type", ""))] + [str(e.get("type", "")) for e in errors if isinstance(e, dict)]
    return any(t.endswith(suffix) for t in types)


def _retry_after(response, body: dict) -> float:
    headers = response.headers
    if headers.get("Retry-After"):
        return http.retry_after_seconds(headers["Retry-After"])
    reset = headers.get("x-rate-limit-reset")
    for scope in ("user", "app"):  # the 24-hour caps of POST /2/tweets, when they are the exhausted ones
        if headers.get(f"x-{scope}-limit-24hour-remaining") == "0":
            reset = headers.get(f"x-{scope}-limit-24hour-reset")
    if reset and reset.isdigit():
        return max(1.0, int(reset) - time.time())
    return 86400.0 if _error_type(body, "usage-capped") else 60.0


def _comparable(text: str) -> str:
    """X answers URLs as t.co links and NFC-normalizes, so compare without them."""
    return URL_RE.sub("<url>", unicodedata.normalize("NFC", text)).strip()
