"""Threads (Meta's Threads API): create a container, wait until it is FINISHED, publish it,
then read its permalink; a thread is each further post published as a reply to the one
before. The profile's publishing quota is read before the first container is made.

Docs: https://developers.facebook.com/docs/threads/posts (publishing),
https://developers.facebook.com/docs/threads/troubleshooting (container statuses),
https://developers.facebook.com/docs/threads/overview#rate-limiting (quota),
https://developers.facebook.com/docs/threads/get-started/long-lived-tokens (refresh),
https://developers.facebook.com/docs/threads/insights (metrics).
Credentials: {"access_token", "threads_user_id", "username"}.
"""

import json
from datetime import UTC, datetime, timedelta

from providers import http
from providers.base import (
    Content,
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
from providers.threads.rules import CAPABILITIES, ThreadsOptions, content_problems, kind_of

METRICS = ("views", "likes", "replies", "reposts", "quotes", "shares")
# The profile's insights (GET /{user-id}/threads_insights): `views` are views of the profile
# (a daily series), the others totals over since..until, `followers_count` the total now
# (it ignores the period). `clicks` (per URL) and `follower_demographics` are left out.
ACCOUNT_INSIGHTS = ("views", "likes", "replies", "reposts", "quotes", "followers_count")
RATE_LIMIT_CODES = {4, 9, 17, 32, 613}  # Graph throttling codes; (unconfirmed) for Threads
MEDIA_FETCH_SUBCODES = {2207052}
NOT_READY = (24, 4279009)  # threads_publish before the container is FINISHED: "Media Not Found"
# OAuth errors of the Threads app: the user has not accepted the tester invite; not the Threads app id
OAUTH_REFUSALS = {1349245, 1349026}
MEDIA_FETCH_STATUSES = {"FAILED_DOWNLOADING_VIDEO"}
QUOTA_RETRY_S = 3600.0  # (unconfirmed) when to try again once the 24 h quota is used up
QUOTA_FIELDS = "quota_usage,config,reply_quota_usage,reply_config"
FIRST_SINCE = timedelta(minutes=1)


class ContainerNotReady(ProviderUnavailable):
    """threads_publish answered 24/4279009: the container is not FINISHED yet (keep polling)."""

    code = "container_not_ready"



class ThreadsClient(ProviderClient):
    name = "threads"
    options_serializer = ThreadsOptions
    capabilities = CAPABILITIES
    # Threads' own names; reposts are its shares of a post on the profile, `shares` the
    # sends; it gives no clicks per post (only per account, per URL).
    normalized_metrics = {"views": ("views",), "likes": ("likes",), "comments": ("replies",), "shares": ("shares",)}
    # Threads' account `views` are views of the profile, not the reach of its posts, and it
    # sums no engagement: followers only (the rest stays under its own names).
    normalized_account_metrics = {"followers": ("followers_count",)}
    account_credential = "threads_user_id"

    @classmethod
    def profile_credentials(cls, profile: Profile) -> dict:
        return {"threads_user_id": profile.id, "username": profile.handle}

    # --- plumbing -------------------------------------------------------------------------
    @property
    def user_id(self) -> str:
        return str(self.credentials.get("threads_user_id") or "me")

    def graph(self, path: str) -> str:
        return self.url("api_url", f"/{self.version}{path}")

    def _get(self, path: str, **params) -> dict:
        # Every example of the Threads docs sends the token as the access_token parameter.
        params["access_token"] = self.access_token
        return http.json_or_empty(self.call("GET", self.graph(path), params=params))

    def _post(self, path: str, data: dict) -> dict:
        return http.json_or_empty(self.call("POST", self.graph(path), data={**data, "access_token": self.access_token}))

    # --- interface ------------------------------------------------------------------------
    def verify(self) -> Profile:
        """The Threads profile behind the token (`GET /me`), which must be `threads_user_id`
        when one is named: AccountMismatch (threads_user_id) otherwise; TokenExpired or
        ReconnectRequired for a refused token. Safe to repeat."""
        body = self._get("/me", fields="id,username,name,threads_profile_picture_url")
        user_id = str(body.get("id") or "")
        self.require_named(user_id, "the Threads profile", "Connect with a token of that Threads profile.")
        extra = {"picture_url": body["threads_profile_picture_url"]} if body.get("threads_profile_picture_url") else {}
        return Profile(id=user_id, handle=body.get("username", ""), name=body.get("name", ""), extra=extra)

    def validate(self, content: Content) -> list[Problem]:
        """Text (500, emoji as UTF-8 bytes), links, media and option combinations. No I/O."""
        return content_problems(content)

    def publish(self, content: Content, *, checkpoint=None, save_checkpoint=None) -> PublishResult:
        """Quota check → container (carousel: its items first) → FINISHED → threads_publish →
        permalink, then each `thread` part the same way as a reply to the post before.

        Checkpoint: `children` (carousel items), `container_id` (the post in the making) and
        `post_ids` (published so far). Given it back, a published container is found instead
        of published again and published posts are skipped. A thread part Threads refuses
        ends the thread with a warning (the posts before it are live). Raises the errors of
        raise_for_response, RateLimited when the 24 h quota is used up, ProcessingTimeout."""
        state, save = checkpoint_state(checkpoint, save_checkpoint)
        options = content.options or {}
        if not state.get("post_ids"):
            if not state.get("container_id"):
                self._check_quota(content)
            post_id = self._publish_part(content, state, save, reply_to=options.get("reply_to_post_id"))
            save.note(post_ids=[post_id], container_id=None, children=None)
        warnings = self._publish_thread(options, state, save)
        return self._result(state["post_ids"][0], warnings)

    def reconcile(self, content: Content, checkpoint: dict | None) -> PublishResult | None:
        """The live post after a crash: from a complete checkpoint, or the checkpoint's root
        container reading PUBLISHED and its post found among the profile's recent posts.
        None when unknown or when a thread is half published (publish resumes it)."""
        state = checkpoint or {}
        thread = (content.options or {}).get("thread") or []
        post_ids = state.get("post_ids") or []
        if post_ids:
            return self._result(post_ids[0], []) if len(post_ids) > len(thread) else None
        if not state.get("container_id") or thread:
            return None
        status = self._get(f"/{state['container_id']}", fields="status").get("status")
        reply = bool((content.options or {}).get("reply_to_post_id"))
        post_id = self._find_post(content.text, reply=reply) if status == "PUBLISHED" else None
        return self._result(post_id, []) if post_id else None

    def refresh(self) -> RefreshResult:
        """`GET /refresh_access_token?grant_type=th_refresh_token`: a new 60-day token (Threads
        refreshes a token at least 24 h old and unexpired). ReconnectRequired when Threads
        refuses it; ProviderUnavailable/RateLimited when it could not answer. Safe to repeat."""
        params = {"grant_type": "th_refresh_token", "access_token": self.access_token}
        try:
            body = http.json_or_empty(self.call("GET", self.url("api_url", "/refresh_access_token"), params=params))
        except TokenExpired as exc:  # an expired token cannot be refreshed: reconnect
            raise ReconnectRequired(exc.message, status=exc.status, raw=exc.raw) from exc
        if not body.get("access_token"):
            raise ProviderUnavailable("Threads answered the token refresh without an access_token")
        expires_in = http.int_or_none(body.get("expires_in"))
        expires_at = datetime.now(UTC) + timedelta(seconds=expires_in) if expires_in else None
        return RefreshResult({**self.credentials, "access_token": body["access_token"]}, expires_at)

    def exchange_long_lived(self) -> tuple[str, int | None]:
        """The 60-day token for this (1-hour) token and its lifetime in seconds
        (`GET /access_token?grant_type=th_exchange_token`, with the app secret). Raises the
        errors of raise_for_response; safe to repeat."""
        params = {"grant_type": "th_exchange_token", "client_secret": self.app["client_secret"]}
        response = self.call(
            "GET", self.url("api_url", "/access_token"), params={**params, "access_token": self.access_token}
        )
        body = http.json_or_empty(response)
        if not body.get("access_token"):
            raise ProviderUnavailable("Threads answered the token exchange without an access_token")
        return body["access_token"], http.int_or_none(body.get("expires_in"))

    def fetch_metrics(self, platform_post_id: str) -> MetricsResult:
        """views, likes, replies, reposts, quotes, shares of one post; a metric Threads leaves
        out (a repost facade, views still "in development") is a warning and `partial`."""
        data = self._get(f"/{platform_post_id}/insights", metric=",".join(METRICS)).get("data") or []
        metrics = {}
        for item in data:
            value = _metric_value(item)
            if item.get("name") in METRICS and value is not None:
                metrics[item["name"]] = value
        missing = [key for key in METRICS if key not in metrics]
        warnings = [f"Threads did not report {', '.join(missing)} for this post."] if missing else []
        return MetricsResult(metrics, warnings, partial=bool(missing))

    def fetch_account_metrics(self) -> dict[str, int | float]:
        """The profile's insights for the last whole day (UTC; `since`/`until` as Unix
        seconds, the boundaries' inclusiveness **unconfirmed**): `views` (of the profile),
        `likes`, `replies`, `reposts`, `quotes`, and `followers_count` now, from
        `GET /{threads-user-id}/threads_insights` (`threads_manage_insights`, asked at
        connect). A metric Threads leaves out is left out. TokenExpired or ReconnectRequired
        for a refused token. Safe to repeat."""
        until = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        params = {
            "metric": ",".join(ACCOUNT_INSIGHTS),
            "since": int((until - timedelta(days=1)).timestamp()),
            "until": int(until.timestamp()),
        }
        data = self._get(f"/{self.user_id}/threads_insights", **params).get("data") or []
        metrics = {}
        for item in data:
            value = _insight_total(item)
            if item.get("name") in ACCOUNT_INSIGHTS and value is not None:
                metrics[item["name"]] = value
        return metrics

    # --- publishing steps -------------------------------------------------------------------
    def _check_quota(self, content: Content) -> None:
        """RateLimited when the profile's 24 h publishing quota (posts, or replies for a reply
        and a thread's further posts) cannot take this post. Threads enforces the quota at
        threads_publish; checking first spares containers and half-published threads."""
        options = content.options or {}
        body = self._get(f"/{self.user_id}/threads_publishing_limit", fields=QUOTA_FIELDS)
        usage = (body.get("data") or [{}])[0]
        replies = len(options.get("thread") or []) + (1 if options.get("reply_to_post_id") else 0)
        needs = {"quota": 0 if options.get("reply_to_post_id") else 1, "reply_quota": replies}
        for name, needed in needs.items():
            config = usage.get(f"{name.replace('quota', 'config')}") or {}
            used, total = http.int_or_none(usage.get(f"{name}_usage")), http.int_or_none(config.get("quota_total"))
            if needed and used is not None and total is not None and used + needed > total:
                what = "posts" if name == "quota" else "replies"
                window = http.int_or_none(config.get("quota_duration")) or 86400
                raise RateLimited(
                    f"Threads: this profile has published {used} of its {total} {what} allowed per "
                    f"{window // 3600} h; this post needs {needed} more.",
                    retry_after=min(QUOTA_RETRY_S, window),
                )

    def _publish_part(self, content: Content, state: dict, save, *, reply_to: str | None) -> str:
        """One post: its container (the checkpoint's, or a new one when none or EXPIRED),
        waited FINISHED, published; a container already PUBLISHED is looked up instead."""
        container_id = state.get("container_id")
        status = self._wait(container_id) if container_id else "EXPIRED"
        if status == "EXPIRED":
            container_id = self._create(content, state, save, reply_to=reply_to)
            status = self._wait(container_id)
            if status == "EXPIRED":
                raise ProviderUnavailable(f"Threads container {container_id} expired before it was published")
        if status == "PUBLISHED":
            post_id = self._find_post(content.text, reply=bool(reply_to))
            if not post_id:
                raise ProviderUnavailable("Threads reports the container PUBLISHED but its post is not listed yet")
            return post_id
        return self._publish(container_id)

    def _create(self, content: Content, state: dict, save, *, reply_to: str | None) -> str:
        kind, options = kind_of(content), content.options or {}
        if kind == "carousel":
            params = {"media_type": "CAROUSEL", "children": ",".join(self._children(content, state, save))}
        elif kind == "text":
            params = {"media_type": "TEXT"}
        else:
            media = content.media[0]
            params = {"media_type": "VIDEO", "video_url": media.url} if kind == "video" else {}
            params = params or {"media_type": "IMAGE", "image_url": media.url}
            if options.get("alt_text"):
                params["alt_text"] = options["alt_text"]
        if content.text:
            params["text"] = content.text
        params.update(self._post_params(options, kind, reply_to))
        container_id = str(self._post(f"/{self.user_id}/threads", params)["id"])
        save(container_id=container_id)
        return container_id

    @staticmethod
    def _post_params(options: dict, kind: str, reply_to: str | None) -> dict:
        params = {}
        if reply_to:
            params["reply_to_id"] = reply_to
        for option, param in (("reply_control", "reply_control"), ("topic_tag", "topic_tag")):
            if options.get(option):
                params[param] = options[option]
        if options.get("quote_post_id"):
            params["quote_post_id"] = options["quote_post_id"]
        if kind == "text" and options.get("link_attachment"):
            params["link_attachment"] = options["link_attachment"]
        if kind == "text" and options.get("poll"):
            choices = options["poll"]["options"]
            params["poll_attachment"] = json.dumps({f"option_{'abcd'[i]}": text for i, text in enumerate(choices)})
        return params

    def _children(self, content: Content, state: dict, save) -> list[str]:
        """Carousel item containers, each saved as soon as it exists, all waited FINISHED."""
        children = list(state.get("children") or [])
        for media in content.media[len(children) :]:
            if media.kind == "video":
                params = {"media_type": "VIDEO", "video_url": media.url}
            else:
                params = {"media_type": "IMAGE", "image_url": media.url}
            children.append(str(self._post(f"/{self.user_id}/threads", {**params, "is_carousel_item": "true"})["id"]))
            save(children=list(children))
        for child in children:
            status = self._wait(child)
            if status != "FINISHED":
                raise ProviderUnavailable(f"Threads carousel item {child} is {status}, not FINISHED")
        return children

    def _wait(self, container_id: str) -> str:
        """Poll the container until it leaves IN_PROGRESS: FINISHED, PUBLISHED or EXPIRED.
        ERROR raises MediaUnavailable (download failures) or Rejected; ProcessingTimeout when slow."""

        def check():
            body = self._get(f"/{container_id}", fields="status,error_message")
            status = body.get("status")
            if status == "ERROR":
                reason = body.get("error_message") or "UNKNOWN"
                error = MediaUnavailable if reason in MEDIA_FETCH_STATUSES else Rejected
                raise error(f"Threads could not process the media: {reason}", raw=body)
            return status if status in ("FINISHED", "PUBLISHED", "EXPIRED") else None

        return self.poll(check, what=f"Threads container {container_id}")

    def _publish(self, container_id: str) -> str:
        """threads_publish, polled while Threads answers 24/4279009 (not ready yet)."""

        def attempt():
            try:
                return str(self._post(f"/{self.user_id}/threads_publish", {"creation_id": container_id})["id"])
            except ContainerNotReady:
                return None

        return self.poll(attempt, what=f"Threads publish of container {container_id}")

    def _publish_thread(self, options: dict, state: dict, save) -> list[str]:
        parts, post_ids = options.get("thread") or [], state["post_ids"]
        for number, text in enumerate(parts[len(post_ids) - 1 :], start=len(post_ids) + 1):
            part = Content(text=text, options={key: options[key] for key in ("reply_control",) if key in options})
            try:
                post_id = self._publish_part(part, state, save, reply_to=post_ids[-1])
            except (Rejected, MediaUnavailable) as exc:
                live = len(post_ids)
                return [f"Threads refused post {number} of the thread ({exc}); the first {live} are live."]
            save(post_ids=[*post_ids, post_id], container_id=None)
            post_ids = state["post_ids"]
        return []

    def _find_post(self, text: str, *, reply: bool) -> str | None:
        """The profile's recent post (or reply) with this text."""
        edge = "replies" if reply else "threads"
        items = self._get(f"/{self.user_id}/{edge}", fields="id,text,timestamp", limit=25).get("data") or []
        return next((str(item["id"]) for item in items if (item.get("text") or "") == (text or "")), None)

    def _result(self, post_id: str, warnings: list[str]) -> PublishResult:
        """The result with the permalink; a failed lookup is a warning (the post is live)."""
        try:
            body = self._get(f"/{post_id}", fields="permalink,shortcode,timestamp")
        except ProviderError as exc:
            return PublishResult(post_id, None, [*warnings, f"Could not read the post's link: {exc.message}"])
        return PublishResult(post_id, body.get("permalink"), warnings, http.iso_time(body.get("timestamp")))

    # --- errors -----------------------------------------------------------------------------
    def raise_for_response(self, response) -> None:
        """Map a non-2xx answer or an error body to a typed error. Threads answers Graph's
        envelope `{"error": {message, type, code, error_subcode, is_transient}}`; its OAuth
        endpoints sometimes `{"error_message", "error_code"}`. Never names a token."""
        body = http.json_or_empty(response)
        error = body.get("error")
        if response.status_code < 400 and not error:
            return
        if not isinstance(error, dict):
            error = {"message": body.get("error_message") or error or f"HTTP {response.status_code}"}
            error["code"] = body.get("error_code")
        raise self._error_for(response, error)

    def _error_for(self, response, error: dict) -> ProviderError:
        code, sub = http.int_or_none(error.get("code")), http.int_or_none(error.get("error_subcode"))
        status = response.status_code
        message = f"Threads: {error.get('error_user_msg') or error.get('message') or f'HTTP {status}'}"
        kwargs = {"status": status, "raw": error}
        if code in (190, 102):
            # https://developers.facebook.com/docs/threads/get-started/long-lived-tokens — refresh once
            return TokenExpired(message, **kwargs)
        if code == 10 or (code is not None and 200 <= code <= 299) or code in OAUTH_REFUSALS:
            # https://developers.facebook.com/docs/graph-api/guides/error-handling (permissions)
            return ReconnectRequired(message, **kwargs)
        if status == 429 or code in RATE_LIMIT_CODES:
            # https://developers.facebook.com/docs/threads/overview#rate-limiting
            default = QUOTA_RETRY_S if code == 9 else 60.0
            return RateLimited(message, retry_after=self._retry_after(response, default), **kwargs)
        if (code, sub) == NOT_READY:
            # https://developers.facebook.com/docs/threads/troubleshooting — publish before FINISHED
            return ContainerNotReady(message, **kwargs)
        if sub in MEDIA_FETCH_SUBCODES or "could not be fetched" in message:
            return MediaUnavailable(message, **kwargs)
        if status >= 500 or code in (1, 2) or error.get("is_transient"):
            return ProviderUnavailable(message, **kwargs)
        return Rejected(message, **kwargs)  # 100, too long, link limit, spam (2207051), restricted

    @staticmethod
    def _retry_after(response, default: float) -> float:
        if response.headers.get("Retry-After"):
            return http.retry_after_seconds(response.headers["Retry-After"], default)
        minutes = http.business_use_case_minutes(response.headers.get("X-Business-Use-Case-Usage"))
        return minutes * 60 if minutes else default


def _metric_value(item: dict) -> int | None:
    """A post insight's value: `values[0].value`, or `total_value.value`."""
    values = item.get("values") or []
    value = values[0].get("value") if values else (item.get("total_value") or {}).get("value")
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _insight_total(item: dict) -> int | None:
    """A user insight's value: `total_value.value`, or the sum of a daily series' `values`."""
    total = (item.get("total_value") or {}).get("value")
    if total is None and item.get("values"):
        values = [entry.get("value") for entry in item["values"] if isinstance(entry, dict)]
        total = sum(values) if all(isinstance(v, int | float) and not isinstance(v, bool) for v in values) else None
    return int(total) if isinstance(total, int | float) and not isinstance(total, bool) else None
