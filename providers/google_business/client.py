"""Google Business Profile: local posts on one business location — a "What's new" update,
an event, an offer or an alert, with at most one photo Google fetches from its URL — and
their insights. One Dravo account is one location, `accounts/{a}/locations/{l}`.

Posts still live only in the v4 API (`mybusiness.googleapis.com/v4`), whose paths need
both the account and the location; accounts and locations are read from the v1 Account
Management and Business Information APIs.

Docs: https://developers.google.com/my-business/reference/rest/v4/accounts.locations.localPosts
(posts and reportInsights), https://developers.google.com/my-business/content/posts-data
(creating posts), https://developers.google.com/my-business/reference/accountmanagement/rest/v1/accounts/list,
https://developers.google.com/my-business/reference/businessinformation/rest/v1/accounts.locations/list,
https://developers.google.com/my-business/reference/performance/rest/v1/locations/fetchMultiDailyMetricsTimeSeries
(the location's daily metrics), https://developers.google.com/my-business/content/limits (quotas),
https://developers.google.com/identity/protocols/oauth2/web-server (tokens).
Credentials: {"access_token", "refresh_token", "location_name"}.
"""

import re
from datetime import UTC, datetime, timedelta

from django.conf import settings

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
    AccountMismatch,
    MediaUnavailable,
    ProviderError,
    ProviderUnavailable,
    ReconnectRequired,
    Rejected,
)
from providers.google import parse_error, raise_google_error, refresh_access_token
from providers.google_business.rules import CAPABILITIES, GoogleBusinessOptions, content_problems, post_body

LABEL = "Google Business Profile"
LOCATION_NAME = re.compile(r"^accounts/(\d+)/locations/(\d+)$")
POST_NAME = re.compile(r"^(accounts/\d+/locations/\d+)/localPosts/[^/]+$")
READ_MASK = "name,title,storefrontAddress,metadata"
ACCOUNTS_PAGE_SIZE = 20  # the most accounts.list gives per page
LOCATIONS_PAGE_SIZE = 100  # the most locations.list gives per page
MAX_PAGES = 200  # a bound on a listing whose page token never ends
RECENT_POSTS = 20  # how many of the location's newest posts an ambiguous create is looked for in
LIVE_CHECKS = 5  # reads of a PROCESSING post before answering with a warning instead
# The 403 reasons saying the user may not act on the location (removed as a manager, the
# location moved away). A 403 for the project (SERVICE_DISABLED: the API not enabled) has
# its own reason and is a plain refusal: no reconnect would help.
LOST_ACCESS_REASONS = frozenset({"PERMISSION_DENIED", "forbidden"})
# Insights: the metrics asked for and Dravo's keys for them (unconfirmed beyond the names,
# and whether the v4 insights still answer since Google's insights moved to the
# Performance API is unconfirmed too: an empty or 404 answer is a partial row).
METRICS = {
    "LOCAL_POST_VIEWS_SEARCH": "local_post_views_search",
    "LOCAL_POST_ACTIONS_CALL_TO_ACTION": "local_post_actions_call_to_action",
}
ANALYTICS_DAYS = 540  # v4 insights read up to 18 months back (unconfirmed)
# The location's daily metrics (Performance API) read for its last day with numbers, and
# the two sums Dravo makes of them (Google's own console shows both sums by these names):
# impressions on Search and Maps, and the interactions they led to. A Business Profile
# has no followers the APIs serve.
IMPRESSION_METRICS = (
    "BUSINESS_IMPRESSIONS_DESKTOP_MAPS",
    "BUSINESS_IMPRESSIONS_DESKTOP_SEARCH",
    "BUSINESS_IMPRESSIONS_MOBILE_MAPS",
    "BUSINESS_IMPRESSIONS_MOBILE_SEARCH",
)
INTERACTION_METRICS = ("CALL_CLICKS", "WEBSITE_CLICKS", "BUSINESS_DIRECTION_REQUESTS", "BUSINESS_CONVERSATIONS")
# Performance data arrives days late (unconfirmed how many): the newest of this many days
# that has a value is the last day.
PERFORMANCE_DAYS = 10


class GoogleBusinessClient(ProviderClient):
    name = "google_business"
    options_serializer = GoogleBusinessOptions
    capabilities = CAPABILITIES
    # Views are the post's views on Search and Maps; clicks are clicks on its button.
    normalized_metrics = {
        "views": ("local_post_views_search",),
        "clicks": ("local_post_actions_call_to_action",),
    }
    metric_labels = {
        "local_post_views_search": "Views in Search",
        "local_post_actions_call_to_action": "Button clicks",
    }
    # No followers; reach is the day's impressions on Search and Maps, engagement the calls,
    # website clicks, direction requests and conversations they led to.
    normalized_account_metrics = {"reach": ("business_impressions",), "engagement": ("business_interactions",)}
    account_credential = "location_name"

    @classmethod
    def profile_credentials(cls, profile: Profile) -> dict:
        return {"location_name": profile.id}

    # --- plumbing -------------------------------------------------------------------------
    def posts_api(self, path: str) -> str:
        return self.url("api_url", f"/{self.version or 'v4'}/{path}")

    def info_api(self, path: str) -> str:
        return self.url("info_url", f"/v1/{path}")

    def performance_api(self, path: str) -> str:
        return self.url("performance_url", f"/v1/{path}")

    def accounts_api(self, path: str) -> str:
        return self.url("account_url", f"/v1/{path}")

    def _headers(self) -> dict:
        return {"Authorization": f"Bearer {self.access_token}"}

    def _get(self, url: str, **params) -> dict:
        return http.json_or_empty(self.call("GET", url, headers=self._headers(), params=params))

    def _post(self, url: str, body: dict) -> dict:
        return http.json_or_empty(self.call("POST", url, headers=self._headers(), json=body))

    def raise_for_response(self, response) -> None:
        """Map a Google error answer (`{"error": {"code", "message", "status", "details"}}`,
        https://cloud.google.com/apis/design/errors) to a typed error: first what only
        Business Profile means, then Google's shared mapping (401 → refresh once, 429 →
        rate limited, 5xx → retried, other 4xx → rejected)."""
        status = response.status_code
        if status < 400:
            return
        error = parse_error(response)
        fields = validation_fields(http.json_or_empty(response))
        kwargs = {"status": status, "raw": http.json_or_empty(response) or None}
        if status == 403 and error.reason in LOST_ACCESS_REASONS:
            # The user lost access to the location (removed as a manager, the location
            # moved): only someone who manages it can reconnect it (posts-data guide).
            raise ReconnectRequired(f"{LABEL}: {error.message or 'permission denied'}", **kwargs)
        if status == 400 and any(name.startswith("media") for name, _ in fields):
            # Google could not fetch or use the photo at `sourceUrl` (field `media…`).
            raise MediaUnavailable(f"{LABEL}: {described(error.message, fields)}", **kwargs)
        if status == 400 and fields:
            raise Rejected(f"{LABEL}: {described(error.message, fields)}", **kwargs)
        raise_google_error(response, LABEL)

    # --- account --------------------------------------------------------------------------
    def verify(self) -> Profile:
        """The location named by `location_name` (`accounts/{a}/locations/{l}`), read with
        the token and found among the named account's locations: AccountMismatch when the
        token cannot read it or the account does not hold it; TokenExpired for a refused
        token. Safe to repeat."""
        named = self.named_account
        match = LOCATION_NAME.match(named)
        if not match:
            raise AccountMismatch(
                f"Name the location as accounts/{{accountId}}/locations/{{locationId}}, not {named or '(nothing)'}.",
                field=self.account_credential,
            )
        account, location = f"accounts/{match[1]}", f"locations/{match[2]}"
        try:
            body = self._get(self.info_api(location), readMask=READ_MASK)
            held = {item.get("name") for item in self.locations(account, read_mask="name")}
        except (ReconnectRequired, Rejected) as exc:
            if exc.status not in (403, 404):
                raise
            raise AccountMismatch(
                f"This token cannot manage {named}: {exc.message}", field=self.account_credential, status=exc.status
            ) from exc
        if location not in held:
            raise AccountMismatch(
                f"{location} is not a location of {account} for this token. "
                "Connect it under the account that holds it.",
                field=self.account_credential,
            )
        return location_profile(account, body)

    def accounts(self) -> list[dict]:
        """Every Business Profile account the user can act in (personal, location groups,
        organizations), all pages read. Raises the errors of raise_for_response."""
        return self._pages(self.accounts_api("accounts"), "accounts", pageSize=ACCOUNTS_PAGE_SIZE)

    def locations(self, account: str, *, read_mask: str = READ_MASK) -> list[dict]:
        """Every location of `account` (`accounts/{a}`), all pages read; `name` is
        `locations/{l}`. Raises the errors of raise_for_response."""
        url = self.info_api(f"{account}/locations")
        return self._pages(url, "locations", pageSize=LOCATIONS_PAGE_SIZE, readMask=read_mask)

    def _pages(self, url: str, key: str, **params) -> list[dict]:
        items, token, seen = [], None, set()
        for _ in range(MAX_PAGES):
            page = self._get(url, **params, **({"pageToken": token} if token else {}))
            items += [item for item in page.get(key) or [] if isinstance(item, dict) and item.get("name")]
            token = page.get("nextPageToken")
            if not token or token in seen:
                break
            seen.add(token)
        return items

    def refresh(self) -> RefreshResult:
        """A new hour-long access token from the refresh token (Google keeps the refresh
        token). ReconnectRequired for `invalid_grant` (revoked, six months unused, seven
        days for an app in Testing) or any other refusal. Safe to repeat."""
        return refresh_access_token(self)

    # --- publishing -----------------------------------------------------------------------
    def validate(self, content: Content) -> list[Problem]:
        """The summary (1,500), the photo (one, JPEG/PNG), and what the topic type takes:
        an event for EVENT and OFFER, no button on an OFFER, the alert type of an ALERT.
        No I/O."""
        return content_problems(content)

    def publish(self, content: Content, *, checkpoint=None, save_checkpoint=None) -> PublishResult:
        """Create the local post (`POST /v4/{location}/localPosts`), then read it until it
        is no longer PROCESSING: LIVE answers its `searchUrl`, REJECTED (Google's content
        policy) is Rejected.

        Checkpoint: `post_requested` (a create was sent and got no definite answer) and
        `post_name`. Google has no idempotency key, so before creating again after an
        ambiguous answer the location's newest posts are searched for this one (same
        topic and summary, created since). Raises the errors of raise_for_response."""
        state, save = checkpoint_state(checkpoint, save_checkpoint)
        if state.get("post_name"):
            return self._settled(self._get(self.posts_api(state["post_name"])))
        if state.get("post_requested"):
            found = self._find_post(content, state["post_requested"])
            if found:
                save.note(post_name=found["name"], post_requested=None)
                return self._settled(found)
        save(post_requested=datetime.now(UTC).isoformat())
        try:
            post = self._post(self.posts_api(f"{self.location_name}/localPosts"), post_body(content))
        except ProviderError as exc:
            if exc.status is not None and exc.status < 500 and exc.status != 408:
                save.note(post_requested=None)  # a definite refusal: no post was made
            raise
        if not post.get("name"):
            raise ProviderUnavailable(f"{LABEL}'s create answer carried no post name.")
        save.note(post_name=post["name"], post_requested=None)
        return self._settled(post)

    def reconcile(self, content: Content, checkpoint: dict | None) -> PublishResult | None:
        """The live post after a crash: the checkpoint's `post_name`, or, after an ambiguous
        create, one of the location's newest posts with this content made since; else None.
        Safe to repeat."""
        state = checkpoint or {}
        if state.get("post_name"):
            return self._settled(self._get(self.posts_api(state["post_name"])), wait=False)
        if not state.get("post_requested"):
            return None
        found = self._find_post(content, state["post_requested"])
        return self._settled(found, wait=False) if found else None

    @property
    def location_name(self) -> str:
        return self.named_account

    def _settled(self, post: dict, *, wait: bool = True) -> PublishResult:
        """The result of a created post: re-read while PROCESSING (a few times), Rejected
        when REJECTED; still PROCESSING at the end, the result with a warning."""
        for _ in range(LIVE_CHECKS if wait else 0):
            if post.get("state") != "PROCESSING":
                break
            self.sleep(settings.PROVIDER_POLL_INTERVAL)
            post = self._get(self.posts_api(post["name"]))
        if post.get("state") == "REJECTED":
            raise Rejected(f"{LABEL} rejected the post {post['name']} under its content policy.", raw=post)
        warnings = []
        if post.get("state") == "PROCESSING":
            warnings.append("Google is still reviewing this post; it shows once it is LIVE (or may yet be rejected).")
        published = http.iso_time(post.get("createTime")) or datetime.now(UTC)
        return PublishResult(post["name"], post.get("searchUrl") or None, warnings, published)

    def _find_post(self, content: Content, since: str) -> dict | None:
        """This content's post among the location's newest, created after `since` (less a
        minute for clock skew), or None."""
        page = self._get(self.posts_api(f"{self.location_name}/localPosts"), pageSize=RECENT_POSTS)
        after = (http.iso_time(since) or datetime.now(UTC)) - timedelta(minutes=1)
        wanted = post_body(content)
        for post in page.get("localPosts") or []:
            created = http.iso_time(post.get("createTime"))
            same = all((post.get(key) or "") == (wanted.get(key) or "") for key in ("topicType", "summary"))
            if same and post.get("name") and (created is None or created >= after):
                return post
        return None

    # --- analytics ------------------------------------------------------------------------
    def fetch_metrics(self, platform_post_id: str) -> MetricsResult:
        """The post's views on Search and clicks on its button (`localPosts:reportInsights`)
        over the last 540 days. Partial, with a warning, when Google answers no numbers
        (the v4 insights may no longer serve: a 404 or an empty answer). Safe to repeat."""
        match = POST_NAME.match(platform_post_id)
        if not match:
            raise Rejected(f"{platform_post_id} is not a {LABEL} post name.")
        now = datetime.now(UTC).replace(microsecond=0)
        body = {
            "localPostNames": [platform_post_id],
            "basicRequest": {
                "metricRequests": [{"metric": metric} for metric in METRICS],
                "timeRange": {
                    "startTime": (now - timedelta(days=ANALYTICS_DAYS)).isoformat().replace("+00:00", "Z"),
                    "endTime": now.isoformat().replace("+00:00", "Z"),
                },
            },
        }
        try:
            answer = self._post(self.posts_api(f"{match[1]}/localPosts:reportInsights"), body)
        except Rejected as exc:
            if exc.status != 404:
                raise
            return MetricsResult({}, [f"{LABEL} answered no insights for this post ({exc.message})."], partial=True)
        return metrics_of(answer, platform_post_id)

    def fetch_account_metrics(self) -> dict[str, int | float]:
        """The location's daily metrics (IMPRESSION_METRICS and INTERACTION_METRICS, from
        `locations/{l}:fetchMultiDailyMetricsTimeSeries` over the last PERFORMANCE_DAYS days
        to yesterday) of the newest day that has a value, each under Google's name, with
        their sums `business_impressions` and `business_interactions`; {} while Google has
        no day yet. No followers: Business Profile serves none. One call (scope
        business.manage); typed errors of raise_for_response; no writes."""
        match = LOCATION_NAME.match(self.location_name)
        if not match:
            raise Rejected(f"{self.location_name!r} is not a {LABEL} location (accounts/{{a}}/locations/{{l}}).")
        end = datetime.now(UTC).date() - timedelta(days=1)
        start = end - timedelta(days=PERFORMANCE_DAYS - 1)
        params = [("dailyMetrics", metric) for metric in (*IMPRESSION_METRICS, *INTERACTION_METRICS)]
        for edge, day in (("startDate", start), ("endDate", end)):
            params += [(f"dailyRange.{edge}.{part}", getattr(day, part)) for part in ("year", "month", "day")]
        url = self.performance_api(f"locations/{match[2]}:fetchMultiDailyMetricsTimeSeries")
        answer = http.json_or_empty(self.call("GET", url, headers=self._headers(), params=params))
        return last_day_metrics(answer)


def last_day_metrics(answer: dict) -> dict[str, int]:
    """The newest day's values of a fetchMultiDailyMetricsTimeSeries answer
    (`multiDailyMetricTimeSeries[].dailyMetricTimeSeries[]`, values as strings; a day
    without `value` is 0 — its newest day is the newest with any value), with their sums."""
    days: dict[tuple, dict[str, int]] = {}
    for group in answer.get("multiDailyMetricTimeSeries") or []:
        for series in group.get("dailyMetricTimeSeries") or []:
            metric = series.get("dailyMetric")
            for dated in (series.get("timeSeries") or {}).get("datedValues") or []:
                date = dated.get("date") or {}
                key = (date.get("year") or 0, date.get("month") or 0, date.get("day") or 0)
                value = http.int_or_none(dated.get("value"))
                if metric and value is not None:
                    days.setdefault(key, {})[metric] = value
    if not days:
        return {}
    values = days[max(days)]
    metrics = {metric: values.get(metric, 0) for metric in (*IMPRESSION_METRICS, *INTERACTION_METRICS)}
    metrics["business_impressions"] = sum(metrics[name] for name in IMPRESSION_METRICS)
    metrics["business_interactions"] = sum(metrics[name] for name in INTERACTION_METRICS)
    return metrics


def metrics_of(answer: dict, post_name: str) -> MetricsResult:
    """Dravo's metrics from a reportInsights answer (`localPostMetrics[].metricValues[]`,
    values as strings)."""
    metrics = {}
    for entry in answer.get("localPostMetrics") or []:
        if entry.get("localPostName") != post_name:
            continue
        for value in entry.get("metricValues") or []:
            key = METRICS.get(value.get("metric"))
            number = http.int_or_none((value.get("totalValue") or {}).get("value"))
            if key and number is not None:
                metrics[key] = number
    missing = [native for native, key in METRICS.items() if key not in metrics]
    warnings = [f"{LABEL} did not report {', '.join(missing)} for this post."] if missing else []
    return MetricsResult(metrics, warnings, partial=bool(warnings))


def location_profile(account: str, body: dict) -> Profile:
    """The Dravo profile of a location (its Business Information answer): the id is the
    full `accounts/{a}/locations/{l}`."""
    location = str(body.get("name") or "")
    title = str(body.get("title") or location)
    metadata = body.get("metadata") or {}
    extra = {"account_name": account}
    for key, source in (("maps_uri", "mapsUri"), ("place_id", "placeId")):
        if metadata.get(source):
            extra[key] = metadata[source]
    address = body.get("storefrontAddress") or {}
    lines = [*(address.get("addressLines") or []), address.get("locality"), address.get("regionCode")]
    if any(lines):
        extra["address"] = ", ".join(str(line) for line in lines if line)
    return Profile(id=f"{account}/{location}", handle=title, name=title, extra=extra)


def validation_fields(body: dict) -> list[tuple[str, str]]:
    """The (field, message) of each ValidationError detail of an error answer (the
    `@type` of that detail is unconfirmed, so any detail with `errorDetails` counts)."""
    error = body.get("error") if isinstance(body.get("error"), dict) else {}
    found = []
    for detail in error.get("details") or []:
        for item in (detail.get("errorDetails") or []) if isinstance(detail, dict) else []:
            if isinstance(item, dict) and item.get("field"):
                found.append((str(item["field"]), str(item.get("message") or "")))
    return found


def described(message: str, fields: list[tuple[str, str]]) -> str:
    details = "; ".join(f"{name}: {text}" if text else name for name, text in fields)
    return f"{message} ({details})" if message else details
