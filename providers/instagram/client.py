"""Instagram (Graph API, professional accounts): create a container, wait until it is
FINISHED, publish it, then read its permalink.

Reference: Meta's "Instagram Platform › Content
Publishing" (https://developers.facebook.com/docs/instagram-platform/content-publishing).
Credentials: {"access_token", "ig_user_id", "login": "facebook" | "instagram"}.
"""

import json
import re
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
    AccountMismatch,
    MediaUnavailable,
    ProviderError,
    ProviderUnavailable,
    RateLimited,
    ReconnectRequired,
    Rejected,
    TokenExpired,
)
from providers.instagram.rules import (
    CAPABILITIES,
    InstagramOptions,
    kind_of,
    media_problems,
    metadata_problems,
    option_problems,
    text_problems,
)

METRICS = ("views", "reach", "likes", "comments", "shares", "saved", "total_interactions")
STORY_METRICS = ("views", "reach", "shares", "total_interactions")
RATE_LIMIT_CODES = {4, 9, 17, 32, 613, 80001, 80002}
MEDIA_FETCH_SUBCODES = {2207052, 2207077, 2207003}
TRANSIENT_SUBCODES = {2207082}
PAGE_PUBLISHING_AUTHORIZATION = 1404078
# "Object with ID … does not exist, cannot be loaded due to missing permissions" (code 100)
# https://developers.facebook.com/docs/graph-api/guides/error-handling
NO_ACCESS_SUBCODE = 33
NOT_ENOUGH_VIEWERS = 2108006  # (unconfirmed) subcode of code 10 on insights of small audiences
# Account numbers: the IG User node's counts (`followers_count`, `follows_count`,
# `media_count`), and the IG User insights of the last day as totals (`period=day`,
# `metric_type=total_value`, instagram_manage_insights / instagram_business_manage_insights):
# `reach`, `accounts_engaged`, `total_interactions`. That without since/until the total is
# the last day's is our reading of the IG User Insights reference (unconfirmed); the
# deprecated `impressions` is not asked.
USER_FIELDS = ("followers_count", "follows_count", "media_count")
USER_INSIGHTS = ("reach", "accounts_engaged", "total_interactions")
SUBCODE_IN_STATUS = re.compile(r"\b(2207\d{3})\b")


class ContainerNotReady(ProviderUnavailable):
    """media_publish answered 9007/2207027: the container is not FINISHED yet (keep polling)."""

    code = "container_not_ready"



class InstagramClient(ProviderClient):
    name = "instagram"
    options_serializer = InstagramOptions
    # Normalized counts: Instagram's own names; it reports no clicks per media.
    normalized_metrics = {"views": ("views",), "likes": ("likes",), "comments": ("comments",), "shares": ("shares",)}
    normalized_account_metrics = {
        "followers": ("followers_count",),
        "reach": ("reach",),
        "engagement": ("total_interactions", "accounts_engaged"),
    }
    account_credential = "ig_user_id"
    capabilities = CAPABILITIES

    # --- plumbing -------------------------------------------------------------------------
    @property
    def ig_login(self) -> bool:
        return self.credentials.get("login", "facebook") == "instagram"

    @property
    def ig_user_id(self) -> str:
        return str(self.credentials.get("ig_user_id", ""))

    def _host(self) -> str:
        # Instagram Login tokens talk to graph.instagram.com; `ig_api_url` when configured.
        return "ig_api_url" if self.ig_login and "ig_api_url" in self.endpoints else "api_url"

    def graph(self, path: str) -> str:
        return self.url(self._host(), f"/{self.version}{path}")

    def _auth(self) -> dict:
        return {"Authorization": f"Bearer {self.access_token}"}

    def _get(self, path: str, headers: dict | None = None, **params) -> dict:
        headers = {**(headers or {}), **self._auth()}
        return http.json_or_empty(self.call("GET", self.graph(path), headers=headers, params=params))

    def _post(self, path: str, data: dict) -> dict:
        return http.json_or_empty(self.call("POST", self.graph(path), headers=self._auth(), data=data))

    # --- interface ------------------------------------------------------------------------
    def verify(self) -> Profile:
        """The IG professional account of `ig_user_id`, proven by the token. Instagram Login:
        the token's `GET /me` user_id must be it. Facebook Login: `GET /{ig-user-id}` must
        answer it; Graph answers "cannot be loaded due to missing permissions" (code 100,
        subcode 33) to a token without access to that account.
        AccountMismatch (ig_user_id) otherwise; TokenExpired/ReconnectRequired when refused.
        Safe to repeat."""
        hint = "Connect with a token of a user who manages that Instagram account."
        if self.ig_login:
            body = self._get("/me", fields="user_id,username,name")
            ig_user_id = str(body.get("user_id") or body.get("id") or "")
            self.require_named(ig_user_id, "the Instagram account", hint)
            return Profile(id=ig_user_id, handle=body.get("username", ""), name=body.get("name", ""))
        try:
            body = self._get(f"/{self.ig_user_id}", fields="id,username,name")
        except Rejected as exc:
            if http.int_or_none((exc.raw or {}).get("error_subcode")) != NO_ACCESS_SUBCODE:
                raise
            raise AccountMismatch(
                f"This token cannot act as the Instagram account {self.ig_user_id}. {hint}", field="ig_user_id"
            ) from exc
        self.require_named(str(body.get("id", "")), "the Instagram account", hint)
        return Profile(id=str(body.get("id")), handle=body.get("username", ""), name=body.get("name", ""))

    def validate(self, content: Content) -> list[Problem]:
        """Caption, media count/kinds, option combinations and known media metadata. No I/O."""
        return text_problems(content) + media_problems(content) + option_problems(content) + metadata_problems(content)

    def publish(self, content: Content, *, checkpoint=None, save_checkpoint=None) -> PublishResult:
        """Container → wait → media_publish → permalink (+ first comment). Container ids go to
        `save_checkpoint` as soon as they exist; with `checkpoint` the same container is polled
        and, if already PUBLISHED, found instead of published again. Raises the errors of
        raise_for_response and ProcessingTimeout; safe to repeat with the saved checkpoint."""
        state, save = checkpoint_state(checkpoint, save_checkpoint)

        if not state.get("media_id"):
            container_id, status = self._ready_container(content, state, save)
            save.note(
                media_id=self._published_media(content, state) if status == "PUBLISHED" else self._publish(container_id)
            )
        return self._finish(content, state, save)

    def reconcile(self, content: Content, checkpoint: dict | None) -> PublishResult | None:
        """The live post when the checkpoint's container reports PUBLISHED and the media is
        found among the account's recent media; None when unknown. Safe to repeat."""
        state = checkpoint or {}
        media_id = state.get("media_id")
        if not media_id and state.get("container_id"):
            status = self._get(f"/{state['container_id']}", fields="status_code").get("status_code")
            media_id = self._find_media(content, state) if status == "PUBLISHED" else None
        return self._result(media_id, []) if media_id else None

    def refresh(self) -> RefreshResult:
        """Instagram Login: `ig_refresh_token`; Facebook Login: re-exchange the user token with
        `fb_exchange_token` (no refresh token exists). ReconnectRequired when the token is
        refused; ProviderUnavailable/RateLimited when Meta could not answer. Safe to repeat."""
        if self.ig_login:
            url = self.url(self._host(), "/refresh_access_token")
            params = {"grant_type": "ig_refresh_token", "access_token": self.access_token}
        else:
            url = self.graph("/oauth/access_token")
            params = {
                "grant_type": "fb_exchange_token",
                "client_id": self.app["client_id"],
                "client_secret": self.app["client_secret"],
                "fb_exchange_token": self.access_token,
            }
        try:
            body = http.json_or_empty(self.call("GET", url, params=params))
        except TokenExpired as exc:  # a refused refresh is final
            raise ReconnectRequired(exc.message, status=exc.status, raw=exc.raw) from exc
        if not body.get("access_token"):
            raise ProviderUnavailable("Instagram answered the token refresh without an access_token")
        expires_in = http.int_or_none(body.get("expires_in"))
        expires_at = datetime.now(UTC) + timedelta(seconds=expires_in) if expires_in else None
        return RefreshResult(
            credentials={**self.credentials, "access_token": body["access_token"]}, expires_at=expires_at
        )

    def fetch_metrics(self, platform_post_id: str) -> MetricsResult:
        """views, reach, likes, comments, shares, saved, total_interactions of one media; keys
        Instagram does not report (stories, fresh or small-audience media) are left out with a
        warning and `partial`. Safe to repeat."""
        story = self._get(f"/{platform_post_id}", fields="media_product_type").get("media_product_type") == "STORY"
        wanted = STORY_METRICS if story else METRICS
        try:
            data = self._get(f"/{platform_post_id}/insights", metric=",".join(wanted)).get("data") or []
        except ReconnectRequired as exc:
            if (exc.raw or {}).get("error_subcode") != NOT_ENOUGH_VIEWERS and "viewers" not in exc.message:
                raise
            return MetricsResult({}, [f"Instagram has no insights for this media yet: {exc.message}"], partial=True)
        metrics = {
            item["name"]: item["values"][0]["value"]
            for item in data
            if item.get("name") in METRICS and item.get("values")
        }
        metrics = {key: int(value) for key, value in metrics.items() if isinstance(value, int | float)}
        missing = [key for key in METRICS if key not in metrics]
        warnings = (
            [f"Instagram did not report {', '.join(missing)} for this {'story' if story else 'media'}."]
            if missing
            else []
        )
        return MetricsResult(metrics, warnings, partial=bool(missing))

    def fetch_account_metrics(self) -> dict[str, int | float]:
        """The IG user's `followers_count`, `follows_count` and `media_count`
        (`GET /{ig-user-id}?fields=…`), and its last day's `reach`, `accounts_engaged` and
        `total_interactions` (`GET /{ig-user-id}/insights?period=day&metric_type=total_value`).
        Insights Instagram refuses for the account (code 100, e.g. under 100 followers) are
        left out, the counts kept; other failures raise the typed errors. No writes; safe
        to repeat."""
        node = self._get(f"/{self.ig_user_id}", fields=",".join(USER_FIELDS))
        metrics = {key: int(node[key]) for key in USER_FIELDS if isinstance(node.get(key), int | float)}
        try:
            data = self._get(
                f"/{self.ig_user_id}/insights", metric=",".join(USER_INSIGHTS), period="day", metric_type="total_value"
            ).get("data")
        except Rejected:
            return metrics
        for item in data or []:
            value = (item.get("total_value") or {}).get("value")
            if item.get("name") in USER_INSIGHTS and isinstance(value, int | float):
                metrics[item["name"]] = int(value)
        return metrics

    # --- publishing steps -------------------------------------------------------------------
    def _ready_container(self, content: Content, state: dict, save) -> tuple[str, str]:
        """(container_id, FINISHED|PUBLISHED): the checkpoint's container, or a new one when
        there is none or it EXPIRED unpublished (24 h)."""
        if state.get("container_id"):
            status = self._wait(state["container_id"])
            if status != "EXPIRED":
                return state["container_id"], status
            state.pop("container_id")
            state.pop("children", None)
            save()
        container_id = self._create(content, state, save)
        status = self._wait(container_id)
        if status == "EXPIRED":
            raise ProviderUnavailable(f"Instagram container {container_id} expired before it could be published")
        return container_id, status

    def _create(self, content: Content, state: dict, save) -> str:
        kind = kind_of(content)
        if kind == "carousel":
            params = {"media_type": "CAROUSEL", "children": ",".join(self._children(content, state, save))}
        else:
            params = self._single_params(kind, content.media[0], content.options)
        if kind != "story":
            params.update(self._post_params(content))
        container_id = str(self._post(f"/{self.ig_user_id}/media", params)["id"])
        save(container_id=container_id, kind=kind, created_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S%z"))
        return container_id

    def _children(self, content: Content, state: dict, save) -> list[str]:
        """Carousel item containers, each saved as soon as it exists, all waited to FINISHED."""
        children = list(state.get("children", []))
        for media in content.media[len(children) :]:
            params = {"is_carousel_item": "true"}
            params.update(
                {"image_url": media.url} if media.kind == "image" else {"media_type": "VIDEO", "video_url": media.url}
            )
            children.append(str(self._post(f"/{self.ig_user_id}/media", params)["id"]))
            save(children=list(children))
        for child in children:
            status = self._wait(child)
            if status != "FINISHED":
                raise Rejected(f"Instagram: carousel item container {child} is {status}, not FINISHED")
        return children

    @staticmethod
    def _single_params(kind: str, media: Media, options: dict) -> dict:
        media_key = "video_url" if media.kind == "video" else "image_url"
        if kind == "story":
            return {"media_type": "STORIES", media_key: media.url}
        if kind == "image":
            return {"image_url": media.url, **({"alt_text": options["alt_text"]} if "alt_text" in options else {})}
        params = {"media_type": "REELS", "video_url": media.url}
        params["share_to_feed"] = "true" if options.get("share_to_feed", True) else "false"
        if "cover_url" in options:
            params["cover_url"] = options["cover_url"]
        elif "thumb_offset_ms" in options:
            params["thumb_offset"] = str(options["thumb_offset_ms"])
        return params

    @staticmethod
    def _post_params(content: Content) -> dict:
        params = {"caption": content.text} if content.text else {}
        if content.options.get("location_id"):
            params["location_id"] = content.options["location_id"]
        if content.options.get("collaborators"):
            params["collaborators"] = json.dumps(list(content.options["collaborators"]))
        return params

    def _wait(self, container_id: str) -> str:
        """Poll the container until it leaves IN_PROGRESS: FINISHED, PUBLISHED or EXPIRED.
        ERROR raises MediaUnavailable (fetch failures) or Rejected; ProcessingTimeout when slow."""

        def check():
            body = self._get(f"/{container_id}", fields="status_code,status")
            status = body.get("status_code")
            if status == "ERROR":
                raise self._container_error(body)
            return status if status in ("FINISHED", "PUBLISHED", "EXPIRED") else None

        return self.poll(check, what=f"Instagram container {container_id}")

    @staticmethod
    def _container_error(body: dict) -> ProviderError:
        # https://developers.facebook.com/docs/instagram-platform/reference/ig-container — `status` carries the subcode
        status = str(body.get("status") or "ERROR")
        match = SUBCODE_IN_STATUS.search(status)
        if match and int(match.group(1)) in MEDIA_FETCH_SUBCODES:
            return MediaUnavailable(f"Instagram could not fetch the media: {status}", raw=body)
        return Rejected(f"Instagram could not process the media: {status}", raw=body)

    def _publish(self, container_id: str) -> str:
        """media_publish, polled while Meta answers 9007/2207027 (not ready yet)."""

        def attempt():
            try:
                return str(self._post(f"/{self.ig_user_id}/media_publish", {"creation_id": container_id})["id"])
            except ContainerNotReady:
                return None

        return self.poll(attempt, what=f"Instagram publish of container {container_id}")

    def _published_media(self, content: Content, state: dict) -> str:
        media_id = self._find_media(content, state)
        if not media_id:
            raise ProviderUnavailable("Instagram reports the container PUBLISHED but its media is not listed yet")
        return media_id

    def _find_media(self, content: Content, state: dict) -> str | None:
        """The recent media of the account matching the caption (stories: the newest one
        published since the container was created)."""
        story = state.get("kind") == "story"
        items = self._get(
            f"/{self.ig_user_id}/{'stories' if story else 'media'}", fields="id,caption,timestamp", limit=25
        )
        since = http.iso_time(state.get("created_at"))
        for item in items.get("data") or []:
            if story and since and (http.iso_time(item.get("timestamp")) or since) >= since - timedelta(minutes=1):
                return str(item["id"])
            if not story and (item.get("caption") or "") == (content.text or ""):
                return str(item["id"])
        return None

    def _finish(self, content: Content, state: dict, save) -> PublishResult:
        warnings = []
        if state.get("kind") == "story" and content.text:
            warnings.append("Instagram stories have no caption; the text was not posted.")
        comment = content.options.get("first_comment")
        if comment and not state.get("first_comment_done"):
            try:
                self._post(f"/{state['media_id']}/comments", {"message": comment})
            except ProviderError as exc:
                warnings.append(f"The post is live but its first comment failed: {exc.message}")
            save(first_comment_done=True)
        return self._result(state["media_id"], warnings)

    def _result(self, media_id: str, warnings: list[str]) -> PublishResult:
        """The result with the permalink; a failed lookup is a warning (the post is live)."""
        try:
            body = self._get(f"/{media_id}", fields="permalink,timestamp")
        except ProviderError as exc:
            return PublishResult(media_id, None, [*warnings, f"Could not read the post's link: {exc.message}"])
        return PublishResult(media_id, body.get("permalink"), warnings, http.iso_time(body.get("timestamp")))

    # --- errors -----------------------------------------------------------------------------
    def raise_for_response(self, response) -> None:
        """Map a non-2xx answer or a Graph `{"error": …}` body to a typed error."""
        body = http.json_or_empty(response)
        error = body.get("error")
        if response.status_code < 400 and not error:
            return
        if not isinstance(error, dict):  # api.instagram.com: {"error_type", "code", "error_message"}
            error = {"message": body.get("error_message") or error or f"HTTP {response.status_code}"}
        raise self._error_for(response, error)

    def _error_for(self, response, error: dict) -> ProviderError:
        code, sub = http.int_or_none(error.get("code")), http.int_or_none(error.get("error_subcode"))
        status = response.status_code
        message = f"Instagram: {error.get('error_user_msg') or error.get('message') or f'HTTP {status}'}"
        kwargs = {"status": status, "raw": error}
        if code in (190, 102):
            # https://developers.facebook.com/docs/instagram-platform/reference/access-token
            # 190 = expired/revoked; only Instagram Login tokens can refresh (ig_refresh_token).
            return (TokenExpired if self.ig_login else ReconnectRequired)(message, **kwargs)
        if code == 10 or (code is not None and 200 <= code <= 299) or sub == PAGE_PUBLISHING_AUTHORIZATION:
            # https://developers.facebook.com/docs/graph-api/guides/error-handling (permission / account type)
            return ReconnectRequired(message, **kwargs)
        if status == 429 or code in RATE_LIMIT_CODES:
            # https://developers.facebook.com/docs/graph-api/overview/rate-limiting (BUC); 9/2207042 = daily quota
            default = 3600.0 if code == 9 else 60.0
            return RateLimited(message, retry_after=self._retry_after(response, default), **kwargs)
        if code == 9007 or sub == 2207027:
            # https://developers.facebook.com/docs/instagram-platform/content-publishing
            # "Media ID is not available": the container is not FINISHED yet.
            return ContainerNotReady(message, **kwargs)
        if sub in MEDIA_FETCH_SUBCODES:
            return MediaUnavailable(message, **kwargs)  # 2207052/2207077 fetch failed, 2207003 download timeout
        if status >= 500 or code in (1, 2) or error.get("is_transient") or sub in TRANSIENT_SUBCODES:
            return ProviderUnavailable(message, **kwargs)
        return Rejected(message, **kwargs)  # 100, 368, 36003, 2207xxx content problems

    @staticmethod
    def _retry_after(response, default: float) -> float:
        if response.headers.get("Retry-After"):
            return http.retry_after_seconds(response.headers["Retry-After"], default)
        minutes = http.business_use_case_minutes(response.headers.get("X-Business-Use-Case-Usage"))
        return minutes * 60 if minutes else default
