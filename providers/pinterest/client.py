"""Pinterest (API v5): Pins on a board — one image or a carousel of 2–5 images, which
Pinterest fetches from their URLs, or one video, uploaded through the media API (register,
post the bytes to the returned upload URL, wait until the media has `succeeded`) — and
their analytics; the account's boards are its destinations.

Docs: https://developers.pinterest.com/docs/api/v5/pins-create (Pins),
https://developers.pinterest.com/docs/api/v5/media-create (video upload),
https://developers.pinterest.com/docs/api/v5/boards-list (boards),
https://developers.pinterest.com/docs/api/v5/pins-analytics (metrics),
https://developers.pinterest.com/docs/api/v5/user_account-analytics (account metrics),
https://developers.pinterest.com/docs/getting-started/authentication-and-scopes/ (tokens),
https://developers.pinterest.com/docs/reference/rate-limits/ (rate limits).
Credentials: {"access_token", "refresh_token", "refresh_token_expires_at", "username"}.
"""

from datetime import UTC, datetime, timedelta

from providers import http
from providers.base import (
    Content,
    Destination,
    MetricsResult,
    Problem,
    Profile,
    ProviderClient,
    PublishResult,
    RefreshResult,
    checkpoint_state,
    is_count,
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
from providers.pinterest.rules import CAPABILITIES, PinterestOptions, content_problems, kind_of

BOARDS_PAGE_SIZE = 250  # the most boards/list gives per page
MAX_BOARD_PAGES = 200  # a bound on a listing whose bookmark never ends
# Older apps must ask for refresh tokens that can be refreshed for good; apps made since
# 2025-09-25 get them anyway (Pinterest's token docs).
CONTINUOUS_REFRESH = True
RATE_LIMIT_RETRY_S = 60.0  # when a 429 says nothing of when to come back (unconfirmed headers)
ANALYTICS_DAYS = 90  # pins/analytics reads at most 90 days back, 90 days at a time
# The analytics' metric types and Dravo's keys for them; the TOTAL_* are lifetime counts.
METRIC_TYPES = {
    "IMPRESSION": "impressions",
    "SAVE": "saves",
    "PIN_CLICK": "pin_clicks",
    "OUTBOUND_CLICK": "outbound_clicks",
    "SAVE_RATE": "save_rate",
    "TOTAL_COMMENTS": "comments",
    "TOTAL_REACTIONS": "reactions",
}
# Days of a Pin's analytics whose numbers are not final yet (the other data statuses are
# READY or a reason there is no data for the day, such as BEFORE_PIN_CREATED).
UNSETTLED_DAYS = {"PROCESSING", "ESTIMATE"}
# The account's own counts on GET /user_account (the v5 spec's Account schema; only
# username, account_type, profile_image and id are confirmed in Dravo's notes).
ACCOUNT_COUNTS = ("follower_count", "following_count", "monthly_views")
# The account analytics' metric types read for the last READY day (user_account/analytics,
# scope user_accounts:read; ENGAGEMENT is every engagement with the account's Pins —
# the metric names are the spec's, not yet seen live).
ACCOUNT_METRIC_TYPES = ("IMPRESSION", "ENGAGEMENT", "SAVE", "PIN_CLICK", "OUTBOUND_CLICK")
ACCOUNT_DAYS = 7  # how far back the newest READY day of account analytics is looked for
RECENT_PINS = 25  # how many of the board's newest Pins an ambiguous create is looked for in


class PinterestClient(ProviderClient):
    name = "pinterest"
    options_serializer = PinterestOptions
    capabilities = CAPABILITIES
    # views are impressions; clicks are outbound clicks (to the Pin's link: what a post with
    # a link is for; pin_clicks, opening the Pin, stay under their own key); shares are
    # saves (a Pin saved to someone's board is how Pinterest spreads it); likes, reactions.
    normalized_metrics = {
        "views": ("impressions",),
        "likes": ("reactions",),
        "comments": ("comments",),
        "shares": ("saves",),
        "clicks": ("outbound_clicks",),
    }
    ratio_metrics = frozenset({"save_rate"})
    metric_labels = {
        "reactions": "Reactions",
        "outbound_clicks": "Outbound clicks",
        "pin_clicks": "Pin clicks",
        "save_rate": "Save rate",
    }
    account_credential = "username"
    # Pinterest counts no reach for an account: impressions (its Pins shown, last day) stand
    # for it; engagement is its ENGAGEMENT metric (saves, clicks and reactions on its Pins).
    normalized_account_metrics = {
        "followers": ("follower_count",),
        "reach": ("IMPRESSION",),
        "engagement": ("ENGAGEMENT",),
    }

    @classmethod
    def profile_credentials(cls, profile: Profile) -> dict:
        return {"username": profile.handle}

    # --- plumbing -------------------------------------------------------------------------
    def api(self, path: str) -> str:
        return self.url("api_url", f"/{self.version}{path}")

    def _headers(self) -> dict:
        return {"Authorization": f"Bearer {self.access_token}"}

    def _get(self, path: str, **params) -> dict:
        return http.json_or_empty(self.call("GET", self.api(path), headers=self._headers(), params=params))

    def _post(self, path: str, body: dict) -> dict:
        return http.json_or_empty(self.call("POST", self.api(path), headers=self._headers(), json=body))

    def raise_for_response(self, response) -> None:
        """Map a Pinterest error answer (`{"code": <int>, "message": "..."}` on every 4xx/5xx,
        https://developers.pinterest.com/docs/api/v5/#tag/Errors) to a typed error."""
        status = response.status_code
        if status < 400:
            return
        body = http.json_or_empty(response)
        message = str(body.get("message") or body.get("error_description") or body.get("error") or "")
        text = f"Pinterest: {message or f'HTTP {status}'}"
        kwargs = {"status": status, "raw": body or None}
        lowered = message.lower()
        if status == 401:
            # An expired or revoked access token: refresh once
            # (https://developers.pinterest.com/docs/getting-started/authentication-and-scopes/).
            raise TokenExpired(text, **kwargs)
        if status == 403 and "scope" in lowered:
            # A scope the consent did not grant: only a new consent gives it.
            raise ReconnectRequired(text, **kwargs)
        if status == 429:
            # https://developers.pinterest.com/docs/reference/rate-limits/
            raise RateLimited(text, retry_after=self._retry_after(response), **kwargs)
        if status >= 500:
            raise ProviderUnavailable(text, **kwargs)
        if "unable to reach the url" in lowered or "could not fetch" in lowered:
            # Pinterest could not download an image_url (Create Pin, 400).
            raise MediaUnavailable(text, **kwargs)
        raise Rejected(text, **kwargs)  # validation (400), "Board not found." (404), 403 code 29

    @staticmethod
    def _retry_after(response) -> float:
        """Retry-After, else `x-ratelimit-reset` (seconds to wait, or the reset's Unix time:
        the header's meaning is unconfirmed), else RATE_LIMIT_RETRY_S."""
        if response.headers.get("Retry-After"):
            return http.retry_after_seconds(response.headers["Retry-After"], RATE_LIMIT_RETRY_S)
        reset = http.int_or_none(response.headers.get("x-ratelimit-reset"))
        if reset is None or reset < 0:
            return RATE_LIMIT_RETRY_S
        if reset > 1_000_000_000:
            return max(1.0, reset - datetime.now(UTC).timestamp())
        return float(max(reset, 1))

    # --- account --------------------------------------------------------------------------
    def verify(self) -> Profile:
        """The Pinterest user behind the token (`GET /user_account`), which must be
        `username` when one is named: AccountMismatch (username) otherwise; TokenExpired for a
        refused token. Safe to repeat."""
        body = self._get("/user_account")
        username = str(body.get("username") or "")
        self.require_named(username, "the Pinterest user", "Connect with a token of that Pinterest account.")
        extra = {key: body[key] for key in ("account_type", "profile_image") if body.get(key)}
        if body.get("id"):
            extra["user_id"] = str(body["id"])
        return Profile(id=username, handle=username, name=str(body.get("business_name") or ""), extra=extra)

    def refresh(self) -> RefreshResult:
        """New tokens (`grant_type=refresh_token`, the app's Basic auth). Pinterest answers a
        new refresh token every time, stored at once. ReconnectRequired when it refuses the
        grant (a 400/401/403: revoked, expired or unknown refresh token); RateLimited or
        ProviderUnavailable when it could not answer. Not safe to repeat with the old refresh
        token once a call has succeeded."""
        refresh_token = self.credentials.get("refresh_token")
        if not refresh_token:
            raise ReconnectRequired("This Pinterest account has no refresh token; reconnect it.")
        form = {"grant_type": "refresh_token", "refresh_token": refresh_token}
        if CONTINUOUS_REFRESH:
            form["continuous_refresh"] = "true"
        auth = (self.app["client_id"], self.app["client_secret"])
        try:
            response = self.call("POST", self.api("/oauth/token"), data=form, auth=auth)
        except (TokenExpired, Rejected) as exc:
            raise ReconnectRequired(f"Pinterest refused the refresh token: {exc.message}", status=exc.status) from exc
        return self.refreshed(http.json_or_empty(response))

    def refreshed(self, body: dict) -> RefreshResult:
        """The credentials and expiry of a token answer (also the connect's)."""
        if not body.get("access_token"):
            raise ProviderUnavailable("Pinterest's token answer carried no access_token.")
        now = datetime.now(UTC)
        credentials = {**self.credentials, "access_token": body["access_token"]}
        credentials.update(token_credentials(body, now))
        expires_in = http.int_or_none(body.get("expires_in"))
        return RefreshResult(credentials, now + timedelta(seconds=expires_in) if expires_in else None)

    def destinations(self) -> list[Destination]:
        """Every board of the account (owned and group boards), all pages read by their
        bookmark. Raises the errors of raise_for_response. Safe to repeat."""
        boards, bookmark, seen = [], None, set()
        for _ in range(MAX_BOARD_PAGES):
            params = {"page_size": BOARDS_PAGE_SIZE, **({"bookmark": bookmark} if bookmark else {})}
            page = self._get("/boards", **params)
            boards += [board_destination(item) for item in page.get("items") or [] if item.get("id")]
            bookmark = page.get("bookmark")
            if not bookmark or bookmark in seen:
                break
            seen.add(bookmark)
        return boards

    # --- publishing -----------------------------------------------------------------------
    def validate(self, content: Content) -> list[Problem]:
        """The board, the description (800), media (1 image, 2–5 images or 1 video) and the
        options that apply to its kind. No I/O."""
        return content_problems(content)

    def publish(self, content: Content, *, checkpoint=None, save_checkpoint=None) -> PublishResult:
        """Create the Pin (`POST /pins`) on `board_id`; a video is uploaded first.

        Checkpoint: `media_id` (registered video), `uploaded` (its bytes are with Pinterest),
        `pin_requested` (a create was sent and got no definite answer) and `pin_id`. Given it
        back, an uploaded video is not uploaded again, and after an ambiguous create the
        board's newest Pins are searched for this one before creating it again (Pinterest has
        no idempotency key). Raises the errors of raise_for_response, MediaUnavailable when
        Pinterest's processing of the video failed, ProcessingTimeout while it is still busy."""
        state, save = checkpoint_state(checkpoint, save_checkpoint)
        if state.get("pin_id"):
            return self._result(str(state["pin_id"]))
        source = self._media_source(content, state, save)
        if state.get("pin_requested"):
            found = self._find_pin(content, state["pin_requested"])
            if found:
                save.note(pin_id=str(found["id"]))
                return self._result(str(found["id"]), found.get("created_at"))
        save(pin_requested=datetime.now(UTC).isoformat())
        try:
            pin = self._post("/pins", pin_body(content, source))
        except ProviderError as exc:
            if exc.status is not None and exc.status < 500:
                save.note(pin_requested=None)  # a definite refusal: no Pin was made
            raise
        if not pin.get("id"):
            raise ProviderUnavailable("Pinterest's Create Pin answer carried no id.")
        save.note(pin_id=str(pin["id"]), pin_requested=None)
        return self._result(str(pin["id"]), pin.get("created_at"))

    def reconcile(self, content: Content, checkpoint: dict | None) -> PublishResult | None:
        """The live Pin after a crash: the checkpoint's `pin_id`, or, after an ambiguous
        create, one of the board's newest Pins with this content made since; else None.
        At most one call; safe to repeat."""
        state = checkpoint or {}
        if state.get("pin_id"):
            return self._result(str(state["pin_id"]))
        if not state.get("pin_requested"):
            return None
        found = self._find_pin(content, state["pin_requested"])
        return self._result(str(found["id"]), found.get("created_at")) if found else None

    def _result(self, pin_id: str, created_at: str | None = None) -> PublishResult:
        published = http.iso_time(created_at) or datetime.now(UTC)
        return PublishResult(pin_id, self.web_url(f"/pin/{pin_id}/"), [], published)

    def _find_pin(self, content: Content, since: str) -> dict | None:
        """This content's Pin among the board's newest, created after `since` (less a minute
        for clock skew), or None."""
        board = (content.options or {}).get("board_id")
        page = self._get(f"/boards/{board}/pins", page_size=RECENT_PINS)
        after = (http.iso_time(since) or datetime.now(UTC)) - timedelta(minutes=1)
        wanted = pin_body(content, {})
        for pin in page.get("items") or []:
            created = http.iso_time(pin.get("created_at"))
            same = all((pin.get(key) or "") == (wanted.get(key) or "") for key in ("title", "description", "link"))
            if same and pin.get("id") and (created is None or created >= after):
                return pin
        return None

    # --- media ----------------------------------------------------------------------------
    def _media_source(self, content: Content, state: dict, save) -> dict:
        """The Pin's `media_source`: image URLs as they are; a video uploaded (or resumed)."""
        kind, options = kind_of(content), content.options or {}
        if kind == "image":
            return {"source_type": "image_url", "url": content.media[0].url}
        if kind == "carousel":
            return {"source_type": "multiple_image_urls", "items": [{"url": m.url} for m in content.media], "index": 0}
        media_id = self._upload_video(content, state, save)
        source = {"source_type": "video_id", "media_id": media_id}
        if "cover_image_url" in options:
            source["cover_image_url"] = options["cover_image_url"]
        else:  # Pinterest needs a cover: the chosen frame, else the first
            source["cover_image_key_frame_time"] = options.get("cover_image_key_frame_time", 0)
        return source

    def _upload_video(self, content: Content, state: dict, save) -> str:
        """Register the upload, post the bytes to the upload URL, wait for `succeeded`; the
        media id. A checkpointed media id whose upload finished is only waited for; one
        still `registered` (the upload URL is not kept) is registered anew."""
        media_id = state.get("media_id")
        if media_id and not state.get("uploaded"):
            if self._media_status(media_id) == "registered":
                media_id = None
            else:
                save(uploaded=True)
        if not media_id:
            video = next(m for m in content.media if m.kind == "video")
            payload = self.download(video)
            registered = self._post("/media", {"media_type": "video"})
            if not registered.get("media_id") or not registered.get("upload_url"):
                raise ProviderUnavailable("Pinterest's media registration carried no media_id or upload_url.")
            media_id = str(registered["media_id"])
            save(media_id=media_id, uploaded=False)
            try:
                self._send_bytes(registered, payload, video.mime_type or "video/mp4")
            except Rejected as exc:  # the storage host refused the signed upload (expired?)
                save(media_id=None, uploaded=None)
                raise ProviderUnavailable(f"Pinterest's upload URL refused the video: {exc.message}") from exc
            save(uploaded=True)
        self.poll(lambda: self._media_done(media_id, save), what=f"Pinterest video {media_id}")
        return media_id

    def _send_bytes(self, registered: dict, payload: bytes, mime_type: str) -> None:
        """The multipart POST to the upload URL: every upload parameter, then the file. No
        Pinterest token goes there (it is the storage host's, signed by the parameters)."""
        fields = {str(key): str(value) for key, value in (registered.get("upload_parameters") or {}).items()}
        files = {"file": ("video", payload, fields.get("Content-Type", mime_type))}
        self.call("POST", registered["upload_url"], data=fields, files=files)

    def _media_status(self, media_id: str) -> str:
        return str(self._get(f"/media/{media_id}").get("status") or "")

    def _media_done(self, media_id: str, save) -> bool | None:
        """True once the media has succeeded, None while registered or processing;
        MediaUnavailable when it failed (the checkpoint forgets it: a retry uploads anew)."""
        status = self._media_status(media_id)
        if status == "succeeded":
            return True
        if status == "failed":
            save(media_id=None, uploaded=None)
            raise MediaUnavailable(f"Pinterest could not process the video (media {media_id} failed).")
        return None

    # --- analytics ------------------------------------------------------------------------
    def fetch_metrics(self, platform_post_id: str) -> MetricsResult:
        """impressions, saves, pin_clicks, outbound_clicks and save_rate over the last 90 days
        (the most `pins/analytics` gives), comments and reactions over the Pin's life.
        Partial, with a warning, while Pinterest has days not yet READY or leaves a metric
        out. Safe to repeat."""
        today = datetime.now(UTC).date()
        params = {
            "start_date": (today - timedelta(days=ANALYTICS_DAYS - 1)).isoformat(),
            "end_date": today.isoformat(),
            "metric_types": ",".join(METRIC_TYPES),
            "app_types": "ALL",
            "split_field": "NO_SPLIT",
        }
        body = self._get(f"/pins/{platform_post_id}/analytics", **params)
        return metrics_of(body.get("all") or {})

    def fetch_account_metrics(self) -> dict[str, int | float]:
        """The account's follower_count, following_count and monthly_views
        (`GET /user_account`, those it answers) and, from `GET /user_account/analytics` over
        the last ACCOUNT_DAYS days, the ACCOUNT_METRIC_TYPES of the newest READY day (none
        while every day is still processing). Two calls; typed errors of
        raise_for_response; no writes."""
        account = self._get("/user_account")
        metrics = {key: int(account[key]) for key in ACCOUNT_COUNTS if is_count(account.get(key))}
        today = datetime.now(UTC).date()
        params = {
            "start_date": (today - timedelta(days=ACCOUNT_DAYS)).isoformat(),
            "end_date": (today - timedelta(days=1)).isoformat(),
            "metric_types": ",".join(ACCOUNT_METRIC_TYPES),
            "app_types": "ALL",
            "split_field": "NO_SPLIT",
        }
        body = self._get("/user_account/analytics", **params)
        return {**metrics, **last_ready_day(body.get("all") or {})}


def last_ready_day(section: dict) -> dict[str, int | float]:
    """ACCOUNT_METRIC_TYPES of the newest READY day of an analytics answer's `all` section."""
    days = [
        day
        for day in section.get("daily_metrics") or []
        if day.get("data_status") == "READY" and isinstance(day.get("metrics"), dict) and day.get("date")
    ]
    if not days:
        return {}
    newest = max(days, key=lambda day: str(day["date"]))["metrics"]
    return {
        key: newest[key]
        for key in ACCOUNT_METRIC_TYPES
        if isinstance(newest.get(key), int | float) and not isinstance(newest.get(key), bool)
    }


def metrics_of(section: dict) -> MetricsResult:
    """Dravo's metrics from the `all` section of a pins/analytics answer."""
    raw = {**(section.get("summary_metrics") or {}), **(section.get("lifetime_metrics") or {})}
    metrics = {}
    for native, key in METRIC_TYPES.items():
        value = raw.get(native)
        if isinstance(value, int | float) and not isinstance(value, bool):
            metrics[key] = value if key == "save_rate" else int(value)
    warnings = []
    missing = [native for native in METRIC_TYPES if METRIC_TYPES[native] not in metrics]
    if missing:
        warnings.append(f"Pinterest did not report {', '.join(missing)} for this Pin.")
    pending = [
        day.get("date") for day in section.get("daily_metrics") or [] if day.get("data_status") in UNSETTLED_DAYS
    ]
    if pending:
        warnings.append(f"Pinterest is still processing {len(pending)} day(s) of this Pin's analytics.")
    return MetricsResult(metrics, warnings, partial=bool(warnings))


def pin_body(content: Content, source: dict) -> dict:
    """The JSON of Create Pin: the board, the text as description, the options that are Pin
    fields, and `media_source`."""
    options = content.options or {}
    body = {"board_id": options.get("board_id")}
    for name in ("board_section_id", "title", "link", "alt_text", "dominant_color"):
        if options.get(name):
            body[name] = options[name]
    if content.text:
        body["description"] = content.text
    if source:
        body["media_source"] = source
    return body


def board_destination(item: dict) -> Destination:
    extra = {key: item[key] for key in ("privacy", "description") if item.get(key)}
    owner = (item.get("owner") or {}).get("username")
    if owner:
        extra["owner"] = owner
    return Destination(id=str(item["id"]), name=str(item.get("name") or ""), kind="board", extra=extra)


def token_credentials(body: dict, now: datetime) -> dict:
    """The refresh token of a token answer, and when it expires (ISO 8601)."""
    credentials = {}
    if body.get("refresh_token"):
        credentials["refresh_token"] = body["refresh_token"]
    at = http.int_or_none(body.get("refresh_token_expires_at"))
    seconds = http.int_or_none(body.get("refresh_token_expires_in"))
    if at:
        credentials["refresh_token_expires_at"] = datetime.fromtimestamp(at, UTC).isoformat()
    elif seconds:
        credentials["refresh_token_expires_at"] = (now + timedelta(seconds=seconds)).isoformat()
    return credentials
