"""Mastodon client (any instance): text, images, a GIF or a video with alt text and focal
point, polls, content warnings, visibility, language, threads and replies; media upload
with its asynchronous processing; status metrics; the instance's own limits.

The account's server is part of the account: a live account's calls go to its
`instance_url` (checked, and reached through a guarded session: providers.mastodon.instance),
a test-mode account's to the sandbox. An operator may pin every live account to one
server with DRAVO_MASTODON_API_URL.
Docs: https://docs.joinmastodon.org/methods/statuses/
"""

import html
import re
import uuid
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from django.utils import timezone
from django.utils.dateparse import parse_datetime

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
)
from providers.mastodon.instance import check_public, guarded_session, instance_base
from providers.mastodon.rules import (
    CAPABILITIES,
    MastodonOptionsSerializer,
    instance_limits,
    limits_of,
    media_mix_problems,
    media_problems,
    option_problems,
    text_problems,
)

DEFAULT_MIME = {"image": "image/jpeg", "gif": "image/gif", "video": "video/mp4"}
METRICS = ("favourites_count", "reblogs_count", "replies_count", "quotes_count")
# The account's own counts on its Account entity (https://docs.joinmastodon.org/entities/Account/).
ACCOUNT_COUNTS = ("followers_count", "following_count", "statuses_count")
NOT_PROCESSED = "not finished processing"
# 403s that no retry can fix: the token lacks a scope, or the account cannot post.
# https://docs.joinmastodon.org/methods/statuses/#create (403 errors), https://docs.joinmastodon.org/api/oauth-scopes/
ACCOUNT_STATE_403 = (
    "outside the authorized scopes",
    "login is currently disabled",
    "confirmed e-mail",
    "pending approval",
)
TAG_RE = re.compile(r"<[^>]+>")
URL_RE = re.compile(r"https?://\S+")
IDEMPOTENCY_WINDOW = timedelta(hours=1)  # how long a server keeps an Idempotency-Key


class MastodonClient(ProviderClient):
    name = "mastodon"
    options_serializer = MastodonOptionsSerializer
    capabilities = CAPABILITIES
    # Favourites are likes, replies comments, boosts (reblogs) shares; no views nor clicks.
    normalized_metrics = {
        "likes": ("favourites_count",),
        "comments": ("replies_count",),
        "shares": ("reblogs_count",),
    }
    metric_labels = {"favourites_count": "Favourites", "reblogs_count": "Boosts", "replies_count": "Replies"}
    # Mastodon counts no reach (no views at all) nor account engagement: followers only.
    normalized_account_metrics = {"followers": ("followers_count",)}
    # "<id>@<instance host>": an account id is unique on its instance only.
    account_credential = "account_id"

    def __init__(self, credentials: dict, *, endpoints: dict, app: dict | None = None, session=None):
        super().__init__(credentials, endpoints=endpoints, app=app, session=session)
        if self.session is None and not endpoints.get("api_url") and credentials.get("instance_url"):
            self.session = guarded_session()  # a user-given server: address checked on every call

    @classmethod
    def profile_credentials(cls, profile: Profile) -> dict:
        """The full account id and the instance's limits (what validate() reads)."""
        return {"account_id": profile.id, "instance_limits": profile.extra.get("instance", {}).get("limits", {})}

    @classmethod
    def validator(cls, metadata: dict) -> "MastodonClient":
        """A client for validate() of an account with this metadata: its instance's limits."""
        instance = (metadata or {}).get("instance") or {}
        return cls({"instance_limits": instance.get("limits") or {}}, endpoints={})

    # --- interface ----------------------------------------------------------------------
    def verify(self) -> Profile:
        """The account behind the token (`GET /api/v1/accounts/verify_credentials`), which
        must be the one named by `account_id` (`<id>@<host>` or the bare id), plus its
        instance's limits (`GET /api/v2/instance`). A live account's instance URL must be
        public https (InstanceRefused otherwise); AccountMismatch (account_id) for another
        account; ReconnectRequired on 401. Safe to repeat."""
        if self.is_user_instance:
            check_public(self.base)
        me = http.json_or_empty(self.call("GET", self.api("v1/accounts/verify_credentials"), headers=self._auth()))
        number, host = str(me.get("id", "")), self.host
        named = self.named_account
        if named and named not in (number, f"{number}@{host}"):
            self.require_named(f"{number}@{host}", "the Mastodon account", "Connect with that account's token.")
        instance = self.read_instance()
        username = me.get("username") or me.get("acct", "")
        return Profile(
            id=f"{number}@{host}",
            handle=f"@{username}@{host}",
            name=me.get("display_name") or username,
            extra={"instance": instance, "url": me.get("url", "")},
        )

    def validate(self, content: Content) -> list[Problem]:
        """Problems the account's instance would have with `content`, by its own limits
        (kept at connect; upstream defaults for any it did not give). No I/O."""
        limits = limits_of(self.credentials.get("instance_limits"))
        options = content.options or {}
        spoiler = options.get("spoiler_text") or ""
        problems = text_problems("text", content.text, spoiler, limits)
        if not content.text.strip() and not content.media and not options.get("poll"):
            problems.append(Problem("text", "A Mastodon post needs text, media or a poll.", "required"))
        if options.get("poll") and not content.text.strip():
            problems.append(Problem("text", "A Mastodon poll needs text (the question).", "required"))
        problems += media_mix_problems(content.media, limits)
        for index, media in enumerate(content.media):
            problems += media_problems(f"media_urls.{index}", media, limits)
        problems += option_problems(options, content.media, limits)
        for index, text in enumerate(options.get("thread") or []):
            field = f"platform_options.mastodon.thread.{index}"
            problems += text_problems(field, text, spoiler, limits, required=True)
        return problems

    def publish(self, content: Content, *, checkpoint=None, save_checkpoint=None) -> PublishResult:
        """Upload the media (`POST /api/v2/media`, then wait until processed), post the
        status (`POST /api/v1/statuses`), then each `thread` item as a reply to the previous.

        Checkpoint: `idempotency_key` (saved before the first post and sent as the
        `Idempotency-Key` header, so the server answers a retry within the hour with the
        status it already made), `media_ids` and `post_ids`. Given it back, uploaded media
        are reused and published posts skipped. A thread part refused for good ends the
        thread with a warning. Raises the typed errors of raise_for_response,
        MediaUnavailable and ProcessingTimeout."""
        state, save = checkpoint_state(checkpoint, save_checkpoint)
        if not state.get("idempotency_key"):
            save(idempotency_key=uuid.uuid4().hex, started_at=timezone.now().isoformat())
        key = state["idempotency_key"]
        post_ids, urls = list(state.get("post_ids") or []), dict(state.get("urls") or {})
        if not post_ids:
            media_ids = self._upload_all(content, state, save)
            status = self._create_status(self._status_body(content, media_ids), key)
            post_ids, urls = [status["id"]], {status["id"]: status.get("url") or ""}
            save.note(post_ids=list(post_ids), urls=dict(urls))
        warnings = self._publish_thread(content.options or {}, post_ids, key, save)
        first = post_ids[0]
        return PublishResult(first, urls.get(first) or self.post_url(first), warnings, timezone.now())

    def refresh(self) -> RefreshResult:
        """Mastodon tokens do not expire and have no refresh grant: this proves the token
        still works and reads the instance's limits again (so an account's limits follow
        its server). ReconnectRequired when the token was revoked. Safe to repeat."""
        profile = self.verify()
        limits = profile.extra["instance"]["limits"]
        return RefreshResult(credentials={**self.credentials, "instance_limits": limits}, expires_at=None,
                             metadata={"instance": profile.extra["instance"]})

    def fetch_metrics(self, platform_post_id: str) -> MetricsResult:
        """`favourites_count`, `reblogs_count`, `replies_count` (and `quotes_count` on 4.5+)
        of the status (`GET /api/v1/statuses/:id`): what its home instance knows of the
        federated interactions. Rejected when the status is gone. Safe to repeat."""
        status = http.json_or_empty(self.call("GET", self.api(f"v1/statuses/{platform_post_id}"), headers=self._auth()))
        metrics = {key: status[key] for key in METRICS if isinstance(status.get(key), int)}
        warnings = [] if metrics else ["The instance gave no counts for this status."]
        return MetricsResult(metrics=metrics, warnings=warnings, partial=not metrics)

    def fetch_account_metrics(self) -> dict[str, int | float]:
        """`followers_count`, `following_count` and `statuses_count` of the account behind
        the token (`GET /api/v1/accounts/verify_credentials`, scope `profile` as at connect):
        what its instance knows now (remote followers included). Mastodon has no insights
        API, so no reach nor engagement. ReconnectRequired on a revoked token. Safe to repeat."""
        if self.is_user_instance:
            check_public(self.base)
        me = http.json_or_empty(self.call("GET", self.api("v1/accounts/verify_credentials"), headers=self._auth()))
        return {key: me[key] for key in ACCOUNT_COUNTS if isinstance(me.get(key), int)}

    def reconcile(self, content: Content, checkpoint: dict | None) -> PublishResult | None:
        """The live status after a crash: from a complete checkpoint, else the account's
        recent statuses (`GET /api/v1/accounts/:id/statuses`) made since the publish began,
        matched by text. None when unknown or a thread is half published (publish with the
        checkpoint resumes it). Safe to repeat."""
        checkpoint = checkpoint or {}
        post_ids, thread = checkpoint.get("post_ids") or [], (content.options or {}).get("thread") or []
        if post_ids:
            if len(post_ids) <= len(thread):
                return None
            return PublishResult(
                post_ids[0], (checkpoint.get("urls") or {}).get(post_ids[0]) or self.post_url(post_ids[0])
            )
        started = parse_datetime(checkpoint.get("started_at") or "")
        if not content.text.strip() or started is None:
            return None
        found = self._find_live_status(content.text, started - timedelta(minutes=1))
        if found is None:
            return None
        warnings = ["The thread replies of the earlier post could not be confirmed."] if thread else []
        return PublishResult(found["id"], found.get("url") or self.post_url(found["id"]), warnings)

    def raise_for_response(self, response) -> None:
        """The one mapping of Mastodon answers (`{"error": …}`) to typed errors. Never names a token.
        Docs: https://docs.joinmastodon.org/entities/Error/"""
        status = response.status_code
        if status < 400:
            return
        body = http.json_or_empty(response)
        message = str(body.get("error_description") or body.get("error") or f"HTTP {status}")[:500]
        extra = {"status": status, "raw": body}
        if status == 429:  # https://docs.joinmastodon.org/api/rate-limits/ (X-RateLimit-Reset is ISO 8601)
            raise RateLimited(f"Mastodon rate limit: {message}", retry_after=retry_after(response), **extra)
        if status >= 500:
            raise ProviderUnavailable(f"The Mastodon instance is unavailable (HTTP {status}): {message}", **extra)
        if status == 401:  # revoked or unknown token; tokens never expire, there is no refresh
            # https://docs.joinmastodon.org/api/oauth-tokens/
            raise ReconnectRequired(f"The Mastodon instance refused the access token: {message}", **extra)
        if status == 403 and any(text in message for text in ACCOUNT_STATE_403):
            raise ReconnectRequired(f"The Mastodon instance refused this account: {message}", **extra)
        if status == 422 and NOT_PROCESSED in message:
            # https://docs.joinmastodon.org/methods/media/#v2 ("Try again in a moment")
            raise ProviderUnavailable(f"Mastodon is still processing the media: {message}", **extra)
        if "/media" in urlsplit(response.url or "").path and status == 422:
            raise MediaUnavailable(f"The Mastodon instance refused the media: {message}", **extra)
        raise Rejected(f"The Mastodon instance refused the request (HTTP {status}): {message}", **extra)

    # --- the instance -------------------------------------------------------------------
    @property
    def is_user_instance(self) -> bool:
        """True when calls go to the account's own (user-given) server."""
        return not self.endpoints.get("api_url")

    @property
    def base(self) -> str:
        return self.endpoints.get("api_url") or instance_base(self.credentials.get("instance_url", ""))

    @property
    def host(self) -> str:
        """The instance's host name: the account's instance_url, else the base URL's."""
        given = self.credentials.get("instance_url")
        return urlsplit(instance_base(given) if given else self.base).hostname or ""

    def api(self, path: str) -> str:
        return f"{self.base.rstrip('/')}/api/{path}"

    def read_instance(self) -> dict:
        """{url, version, limits, fetched_at} from `GET /api/v2/instance` (`/api/v1/instance`
        on servers before 4.0, which answer 404). Public: no token sent."""
        try:
            response = self.call("GET", self.api("v2/instance"))
        except Rejected as exc:
            if exc.status != 404:
                raise
            response = self.call("GET", self.api("v1/instance"))
        body = http.json_or_empty(response)
        return {
            "url": f"https://{self.host}",
            "version": str(body.get("version", "")),
            "limits": instance_limits(body),
            "fetched_at": timezone.now().isoformat(),
        }

    def post_url(self, status_id: str) -> str:
        """The status's page: `https://{instance}/statuses/{id}` redirects to it."""
        base = self.base if not self.is_user_instance else f"https://{self.host}"
        return f"{base.rstrip('/')}/statuses/{status_id}"

    # --- helpers ------------------------------------------------------------------------
    def _auth(self) -> dict:
        return {"Authorization": f"Bearer {self.access_token}"}

    def _status_body(self, content: Content, media_ids: list[str]) -> dict:
        options = content.options or {}
        body = {"status": content.text} if content.text else {}
        if media_ids:
            body["media_ids"] = media_ids
        if poll := options.get("poll"):
            body["poll"] = {
                key: poll[key] for key in ("options", "expires_in", "multiple", "hide_totals") if key in poll
            }
        for key in ("visibility", "spoiler_text", "sensitive", "language", "in_reply_to_id"):
            if options.get(key) not in (None, ""):
                body[key] = options[key]
        return body

    def _create_status(self, body: dict, key: str) -> dict:
        headers = {**self._auth(), "Idempotency-Key": key}
        status = http.json_or_empty(self.call("POST", self.api("v1/statuses"), headers=headers, json=body))
        if not status.get("id"):
            raise ProviderUnavailable("The Mastodon instance answered the post without an id.")
        return {"id": str(status["id"]), "url": status.get("url") or ""}

    def _publish_thread(self, options: dict, post_ids: list[str], key: str, save) -> list[str]:
        parts = options.get("thread") or []
        for number, text in enumerate(parts[len(post_ids) - 1 :], start=len(post_ids) + 1):
            body = {"status": text, "in_reply_to_id": post_ids[-1]}
            for name in ("visibility", "spoiler_text", "language"):
                if options.get(name):
                    body[name] = options[name]
            try:
                post_ids.append(self._create_status(body, f"{key}-{number}")["id"])
            except (Rejected, MediaUnavailable) as exc:
                live = len(post_ids)
                return [
                    f"Mastodon refused post {number} of the thread ({exc}); "
                    f"the first {live} are live, the rest was not."
                ]
            save.note(post_ids=list(post_ids))
        return []

    def _upload_all(self, content: Content, state: dict, save) -> list[str]:
        options = content.options or {}
        descriptions, focus = options.get("alt_texts") or [], options.get("focus_points") or []
        ids = list(state.get("media_ids") or [])
        ready = set(state.get("media_ready") or [])
        for index, item in enumerate(content.media):
            if index >= len(ids):
                media_id, processed = self._upload(item, _at(descriptions, index), _at(focus, index))
                ids.append(media_id)
                if processed:
                    ready.add(media_id)
                save.note(media_ids=list(ids), media_ready=sorted(ready))
            if ids[index] not in ready:
                self._wait_processed(ids[index])
                ready.add(ids[index])
                save.note(media_ready=sorted(ready))
        return ids

    def _upload(self, media: Media, description: str, focus: str) -> tuple[str, bool]:
        """`POST /api/v2/media`: the attachment id, and whether it is processed already
        (200 with a `url`) rather than still processing (202, `url` null)."""
        body = self.download(media)
        mime = media.mime_type or DEFAULT_MIME.get(media.kind, "application/octet-stream")
        files = {"file": (f"media.{mime.rsplit('/', 1)[-1]}", body, mime)}
        form = {key: value for key, value in (("description", description), ("focus", focus)) if value}
        response = self.call("POST", self.api("v2/media"), headers=self._auth(), files=files, data=form)
        attachment = http.json_or_empty(response)
        if not attachment.get("id"):
            raise ProviderUnavailable("The Mastodon instance answered the upload without an id.")
        return str(attachment["id"]), response.status_code == 200 and bool(attachment.get("url"))

    def _wait_processed(self, media_id: str) -> None:
        """Poll `GET /api/v1/media/:id` until it has a `url` (206 while processing; a 422
        means processing failed: MediaUnavailable)."""

        def check():
            response = self.call("GET", self.api(f"v1/media/{media_id}"), headers=self._auth())
            attachment = http.json_or_empty(response)
            return True if response.status_code == 200 and attachment.get("url") else None

        self.poll(check, what=f"Mastodon media {media_id} processing")

    def _find_live_status(self, text: str, since: datetime) -> dict | None:
        number = str(self.credentials.get("account_id") or self.verify().id).split("@")[0]
        params = {"limit": 20, "exclude_reblogs": "true"}
        response = self.call("GET", self.api(f"v1/accounts/{number}/statuses"), headers=self._auth(), params=params)
        wanted = _comparable(text)
        statuses = response.json() if isinstance(response.json(), list) else []
        for status in statuses:
            created = parse_datetime(str(status.get("created_at") or ""))
            if created and created >= since and _comparable(html_text(status.get("content", ""))) == wanted:
                return {"id": str(status["id"]), "url": status.get("url") or ""}
        return None


# --- pure rules --------------------------------------------------------------------------
def retry_after(response) -> float:
    """Seconds until `X-RateLimit-Reset` (an ISO 8601 time), else Retry-After, else 5 minutes."""
    reset = parse_datetime(response.headers.get("X-RateLimit-Reset") or "")
    if reset is not None:
        if reset.tzinfo is None:
            reset = reset.replace(tzinfo=UTC)
        return max(1.0, (reset - datetime.now(UTC)).total_seconds())
    if response.headers.get("Retry-After"):
        return http.retry_after_seconds(response.headers["Retry-After"])
    return 300.0


def html_text(content: str) -> str:
    """A status's HTML `content` as plain text (paragraphs and line breaks as newlines)."""
    content = re.sub(r"</p>\s*<p>", "\n\n", content)
    content = re.sub(r"<br\s*/?>", "\n", content)
    return html.unescape(TAG_RE.sub("", content))


def _comparable(text: str) -> str:
    """Servers may rewrite links and whitespace: compare without URLs, whitespace collapsed."""
    return " ".join(URL_RE.sub("<url>", text).split())


def _at(items: list, index: int) -> str:
    return items[index] if index < len(items) else ""
