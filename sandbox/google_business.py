"""Sandbox Google Business Profile: the subset of Google's Business Profile APIs Dravo
uses, mounted at /sandbox/google_business/ in place of mybusiness.googleapis.com (v4 local
posts and their insights), mybusinessaccountmanagement.googleapis.com (accounts),
mybusinessbusinessinformation.googleapis.com (locations), accounts.google.com and
oauth2.googleapis.com (consent and tokens, shared with Google's other sandboxes).

Written from Google's references: accounts are listed by pages (`pageSize` up to 20) as
`accounts/{id}` with a `type`; an account's locations by pages (`pageSize` up to 100) with
a required `readMask`, as `locations/{id}`; a location the token's user does not manage is
403 PERMISSION_DENIED, and one under another account of the user 404 NOT_FOUND. A local post
(`POST /v4/accounts/{a}/locations/{l}/localPosts`) needs `languageCode` and `topicType`
(STANDARD, EVENT, OFFER or ALERT; product posts cannot be made through the API); EVENT and
OFFER need `event.title` and `event.schedule` (start and end dates); a CALL button takes no
`url` and every other button needs one; an ALERT needs `alertType` COVID_19; media items
carry `mediaFormat` and `sourceUrl` only; the summary is at most 1,500 characters. Refusals
are 400 INVALID_ARGUMENT with ValidationError details naming the field. A new post is
PROCESSING; the next read finds it LIVE with its `searchUrl`, or REJECTED when its summary
holds a phone number (Google's policy). Posts are listed newest first by pages (`pageSize`
1–100, default 20). `localPosts:reportInsights` answers each post's
LOCAL_POST_VIEWS_SEARCH and LOCAL_POST_ACTIONS_CALL_TO_ACTION, growing with the post's age.
The Performance API's `GET /v1/locations/{l}:fetchMultiDailyMetricsTimeSeries` (in place of
businessprofileperformance.googleapis.com) answers a managed location's daily metrics, the
newest two days without values yet.

Sandbox conventions: a token starting with `invalid` is refused. The Google user signing
in on the consent page (or derived from an unknown token) has one personal account with two
locations; a user whose name contains `many_locations` also has a location group of 120
locations (two pages), the first of them also the personal account's first (connected
once). A token named at connect with a location (`accounts/{a}/locations/{l}`) it was never
issued for is bound to that one location, for good. `flaky` makes the post and loses the
answer (a 503): a retry must find the post instead of posting again.
"""

import base64
import hashlib
import json
import re
from datetime import date, timedelta
from functools import wraps
from urllib.parse import urlencode, urlsplit

from django.http import JsonResponse
from django.urls import re_path, reverse
from django.utils import timezone

from sandbox import google
from sandbox.core import (
    REJECT_REASON,
    PageMedia,
    account_id_for,
    account_metrics,
    bearer_token,
    first_attempt,
    grown_metrics,
    numeric_id,
    post_page,
    record_create,
    record_get,
    record_list,
    sandbox_view,
)
from sandbox.files import SAMPLES

NET = "google_business"
SCOPES = ("https://www.googleapis.com/auth/business.manage",)
DEFAULT_USER = "owner@sandbox.dravo.dev"
LOCATION_NAME = re.compile(r"^accounts/(\d+)/locations/(\d+)$")
TOPIC_TYPES = ("STANDARD", "EVENT", "OFFER", "ALERT")
ACTION_TYPES = ("BOOK", "ORDER", "SHOP", "LEARN_MORE", "SIGN_UP", "CALL")
SUMMARY_LIMIT = 1500
LOCATION_FIELDS = ("name", "title", "storefrontAddress", "metadata", "languageCode", "storeCode")
ACCOUNTS_PAGE = (20, 20)  # (default, most) pageSize of accounts.list
LOCATIONS_PAGE = (10, 100)
POSTS_PAGE = (20, 100)
MANY_LOCATIONS = 120
SITES = (("Main Street", "12 Main Street"), ("Harbour", "3 Harbour Road"))
METRIC_RATES = {"LOCAL_POST_VIEWS_SEARCH": 180, "LOCAL_POST_ACTIONS_CALL_TO_ACTION": 9}
# A location's day on the Performance API, by DailyMetric; the newest PERFORMANCE_LAG days
# have no values yet (Google's data arrives days late), the oldest day served is 18 months
# back.
DAILY_RATES = {
    "BUSINESS_IMPRESSIONS_DESKTOP_MAPS": 24,
    "BUSINESS_IMPRESSIONS_DESKTOP_SEARCH": 61,
    "BUSINESS_IMPRESSIONS_MOBILE_MAPS": 88,
    "BUSINESS_IMPRESSIONS_MOBILE_SEARCH": 130,
    "BUSINESS_CONVERSATIONS": 1,
    "BUSINESS_DIRECTION_REQUESTS": 7,
    "CALL_CLICKS": 4,
    "WEBSITE_CLICKS": 9,
    "BUSINESS_BOOKINGS": 1,
    "BUSINESS_FOOD_ORDERS": 0,
    "BUSINESS_FOOD_MENU_CLICKS": 0,
}
PERFORMANCE_LAG, PERFORMANCE_DAYS = 2, 550
PHONE = re.compile(r"(?<![\w.])\+?\(?\d[\d ()-]{6,}\d(?![\w.])")


# --- answers -------------------------------------------------------------------------------
def _invalid(field: str, message: str) -> JsonResponse:
    """400 INVALID_ARGUMENT with a ValidationError detail naming the field."""
    body = {
        "error": {
            "code": 400,
            "message": "Request contains an invalid argument.",
            "status": "INVALID_ARGUMENT",
            "details": [
                {
                    "@type": "type.googleapis.com/google.mybusiness.v4.ValidationError",
                    "errorDetails": [{"code": 3, "field": field, "message": message}],
                }
            ],
        }
    }
    return JsonResponse(body, status=400)


def _denied() -> JsonResponse:
    return google.error(403, "PERMISSION_DENIED", "The caller does not have permission")


def _not_found() -> JsonResponse:
    return google.error(404, "NOT_FOUND", "Requested entity was not found.")


def _json_body(request) -> dict | None:
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


# --- users, accounts and locations -----------------------------------------------------------
def user_for(token: str) -> str:
    return f"user{account_id_for('gbp:' + token, 10)}@sandbox.dravo.dev"


def _digits(seed: str, length: int) -> str:
    number = str(int(hashlib.sha256(seed.encode()).hexdigest(), 16))
    return str(1 + int(number[0]) % 9) + number[1:length]


def _location(location_id: str, title: str, street: str) -> dict:
    return {
        "name": f"locations/{location_id}",
        "title": title,
        "languageCode": "en",
        "storeCode": f"SBX-{location_id[-4:]}",
        "storefrontAddress": {"regionCode": "GB", "locality": "London", "addressLines": [street]},
        "metadata": {
            "mapsUri": f"https://maps.google.com/maps?cid={location_id}",
            "placeId": "ChIJ" + base64.urlsafe_b64encode(location_id.encode()).decode().rstrip("="),
        },
    }


def holdings(user: str) -> list[tuple[dict, list[dict]]]:
    """The user's accounts, each with its locations, in Google's order (the same every
    time). A user that is a location name (a token bound to it) holds that location only."""
    bound = LOCATION_NAME.match(user)
    if bound:
        account = {"name": f"accounts/{bound[1]}", "accountName": "Sandbox business", "type": "PERSONAL"}
        return [(account, [_location(bound[2], f"Sandbox location {bound[2][-4:]}", "1 Sandbox Lane")])]
    personal_id = _digits(f"account:{user}", 21)
    locations = [
        _location(_digits(f"location:{user}:{index}", 19), f"Dravo Coffee — {site}", street)
        for index, (site, street) in enumerate(SITES)
    ]
    accounts = [({"name": f"accounts/{personal_id}", "accountName": user, "type": "PERSONAL"}, locations)]
    if "many_locations" in user:
        group = {
            "name": f"accounts/{_digits(f'group:{user}', 21)}",
            "accountName": "Dravo shops",
            "type": "LOCATION_GROUP",
        }
        shops = [
            _location(_digits(f"shop:{user}:{index}", 19), f"Dravo Shop {index:03d}", f"{index} High Street")
            for index in range(1, MANY_LOCATIONS)
        ]
        accounts.append((group, [locations[0], *shops]))
    return accounts


def demo_location(user: str) -> str:
    account, locations = holdings(user)[0]
    return f"{account['name']}/{locations[0]['name']}"


def _where(user: str, account_id: str, location_id: str):
    """(location, None) when `user` manages the location under that account; else (None,
    the error): 404 under another of the user's accounts, 403 when not the user's."""
    managed = False
    for account, locations in holdings(user):
        for location in locations:
            if location["name"] == f"locations/{location_id}":
                if account["name"] == f"accounts/{account_id}":
                    return location, None
                managed = True
    return None, (_not_found() if managed else _denied())


def _user_of(request) -> str | None:
    owner = google.access_owner(NET, request)
    if owner is None or request.sandbox.name == "token_expired":
        return None
    return owner or user_for(bearer_token(request))


def api_view(*methods: str):
    """A view for `methods`, called with the token's user: 401 for a refused token and for
    every call of an account whose behaviour is `token_expired`."""

    def decorate(view):
        @sandbox_view
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method not in methods:
                return google.error(405, "METHOD_NOT_ALLOWED", f"Use {' or '.join(methods)}.")
            user = _user_of(request)
            if user is None:
                return google.unauthorized()
            return view(request, user, *args, **kwargs)

        return wrapper

    return decorate


def _page_size(request, sizes: tuple[int, int]) -> int | None:
    default, most = sizes
    raw = request.GET.get("pageSize", str(default))
    return int(raw) if raw.isdigit() and 1 <= int(raw) <= most else None


def _page(request, key: str, items: list[dict], sizes: tuple[int, int]) -> JsonResponse:
    """One page of `items` by `pageSize` and `pageToken` (opaque; absent on the last page)."""
    size = _page_size(request, sizes)
    if size is None:
        return _invalid("page_size", f"pageSize must be 1 to {sizes[1]}.")
    token = request.GET.get("pageToken", "")
    try:
        offset = int(base64.urlsafe_b64decode(token.encode()).decode().removeprefix("o:")) if token else 0
    except ValueError:
        return _invalid("page_token", "The page token is not valid.")
    body = {key: items[offset : offset + size]}
    if offset + size < len(items):
        body["nextPageToken"] = base64.urlsafe_b64encode(f"o:{offset + size}".encode()).decode()
    return JsonResponse(body)


def _masked(location: dict, request) -> dict | JsonResponse:
    mask = [name.strip() for name in request.GET.get("readMask", "").split(",") if name.strip()]
    if not mask:
        return _invalid("read_mask", "Field is required")
    unknown = [name for name in mask if name not in LOCATION_FIELDS]
    if unknown:
        return _invalid("read_mask", f"Invalid field mask provided: {', '.join(unknown)}")
    return {name: location[name] for name in mask if name in location}


@api_view("GET")
def accounts(request, user: str):
    return _page(request, "accounts", [account for account, _ in holdings(user)], ACCOUNTS_PAGE)


@api_view("GET")
def account_locations(request, user: str, account_id: str):
    held = dict((account["name"], locations) for account, locations in holdings(user))
    locations = held.get(f"accounts/{account_id}")
    if locations is None:
        return _denied()
    masked = [_masked(location, request) for location in locations]
    if masked and isinstance(masked[0], JsonResponse):
        return masked[0]
    return _page(request, "locations", masked, LOCATIONS_PAGE)


@api_view("GET")
def location(request, user: str, location_id: str):
    for _, locations in holdings(user):
        for item in locations:
            if item["name"] == f"locations/{location_id}":
                masked = _masked(item, request)
                return masked if isinstance(masked, JsonResponse) else JsonResponse(masked)
    return _denied()


# --- local posts -----------------------------------------------------------------------------
def _fetch_refusal(index: int, url) -> JsonResponse | None:
    """Google fetches `sourceUrl` (the sandbox is offline: only its own sample files are
    checked, other hosts are taken as reachable)."""
    field = f"media[{index}].source_url"
    parts = urlsplit(str(url or ""))
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return _invalid(field, f"{url!r} is not a valid URL.")
    if "/sandbox/files/" in parts.path:
        sample = SAMPLES.get(parts.path.rsplit("/", 1)[-1])
        if sample is None:
            return _invalid(field, f"The media at {url} could not be fetched.")
        if not sample[0].startswith("image/"):
            return _invalid(field, f"The media at {url} is not a photo.")
    return None


def _media_refusal(media) -> JsonResponse | None:
    if not isinstance(media, list):
        return _invalid("media", "media must be a list.")
    for index, item in enumerate(media):
        if not isinstance(item, dict) or set(item) - {"mediaFormat", "sourceUrl"}:
            return _invalid(f"media[{index}]", "Only mediaFormat and sourceUrl may be set on a post's media.")
        if item.get("mediaFormat") not in ("PHOTO", "VIDEO"):
            return _invalid(f"media[{index}].media_format", "mediaFormat must be PHOTO or VIDEO.")
        refusal = _fetch_refusal(index, item.get("sourceUrl"))
        if refusal:
            return refusal
    return None


def _event_refusal(event) -> JsonResponse | None:
    if not isinstance(event, dict) or not event.get("title"):
        return _invalid("event.title", "An event needs a title.")
    schedule = event.get("schedule")
    if not isinstance(schedule, dict) or not schedule.get("startDate") or not schedule.get("endDate"):
        return _invalid("event.schedule", "An event needs a schedule with startDate and endDate.")
    return None


def _action_refusal(action) -> JsonResponse | None:
    if not isinstance(action, dict) or action.get("actionType") not in ACTION_TYPES:
        return _invalid("call_to_action.action_type", f"actionType must be one of {', '.join(ACTION_TYPES)}.")
    if action["actionType"] == "CALL" and action.get("url"):
        return _invalid("call_to_action.url", "A CALL action takes no url (it uses the profile's phone number).")
    if action["actionType"] != "CALL" and not action.get("url"):
        return _invalid("call_to_action.url", "This action needs a url.")
    return None


def _post_refusal(body: dict) -> JsonResponse | None:
    """What Google refuses in a new LocalPost, or None."""
    topic = body.get("topicType")
    if topic == "PRODUCT":
        return _invalid("topic_type", "Product posts cannot be created via the API.")
    if topic not in TOPIC_TYPES:
        return _invalid("topic_type", f"topicType must be one of {', '.join(TOPIC_TYPES)}.")
    if not isinstance(body.get("languageCode"), str) or not body["languageCode"]:
        return _invalid("language_code", "Field is required")
    summary = body.get("summary", "")
    if not isinstance(summary, str) or len(summary) > SUMMARY_LIMIT:
        return _invalid("summary", f"The summary is at most {SUMMARY_LIMIT} characters.")
    if topic in ("EVENT", "OFFER"):
        refusal = _event_refusal(body.get("event"))
        if refusal:
            return refusal
    if topic == "ALERT" and body.get("alertType") != "COVID_19":
        return _invalid("alert_type", "An ALERT post needs alertType COVID_19.")
    if "callToAction" in body and topic != "OFFER":
        refusal = _action_refusal(body["callToAction"])
        if refusal:
            return refusal
    return _media_refusal(body.get("media", []))


def _publish_gate(request, location_name: str, body: dict) -> JsonResponse | None:
    """The account's behaviour at the call that makes the post (before it is made)."""
    behavior = request.sandbox.name
    if behavior == "rejects":
        return google.error(400, "INVALID_ARGUMENT", REJECT_REASON)
    key = json.dumps([location_name, body.get("topicType"), body.get("summary")])
    if behavior == "rate_limited" and first_attempt(NET, "rate", key):
        return google.error(429, "RATE_LIMIT_EXCEEDED", "Quota exceeded for quota metric 'Requests per minute'.")
    return None


def has_phone_number(text: str) -> bool:
    """Something written like a phone number (digits with spaces, dashes or brackets, 8 to
    15 of them): Google rejects posts carrying one, which belongs in the profile."""
    for match in PHONE.finditer(text):
        digits = sum(char.isdigit() for char in match[0])
        is_date = re.search(r"\d{4}-\d{2}-\d{2}", match[0])
        if 8 <= digits <= 15 and any(char in " -()" for char in match[0]) and not is_date:
            return True
    return False


def _post(request, record) -> dict:
    """The LocalPost of a record; a PROCESSING one is settled first (a read finds it LIVE,
    or REJECTED for a summary holding a phone number)."""
    if record.status == "PROCESSING":
        record.status = "REJECTED" if has_phone_number(record.data["post"].get("summary") or "") else "LIVE"
        record.save(update_fields=["status", "updated_at"])
    post = _fresh(record)
    post["updateTime"] = _stamp(record.updated_at)
    if record.status == "LIVE":
        query = urlencode({"id": record.owner.rsplit("/", 1)[-1], "use": "posts", "lpsid": record.object_id})
        post["searchUrl"] = request.build_absolute_uri(reverse("sandbox-google_business-place")) + "?" + query
    return post


def _fresh(record) -> dict:
    """The post as stored (the create's answer: still PROCESSING, no searchUrl yet)."""
    stamp = _stamp(record.created_at)
    return {
        **record.data["post"],
        "name": record.object_id,
        "createTime": stamp,
        "updateTime": stamp,
        "state": record.status,
    }


def _stamp(moment) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@api_view("GET", "POST")
def local_posts(request, user: str, account_id: str, location_id: str):
    place, refusal = _where(user, account_id, location_id)
    if refusal:
        return refusal
    location_name = f"accounts/{account_id}/locations/{location_id}"
    if request.method == "GET":
        posts = [_post(request, record) for record in record_list(NET, "post", owner=location_name)]
        return _page(request, "localPosts", posts, POSTS_PAGE)
    body = _json_body(request)
    if body is None:
        return google.error(400, "INVALID_ARGUMENT", "Invalid JSON payload received.")
    refusal = _post_refusal(body) or _publish_gate(request, location_name, body)
    if refusal:
        return refusal
    name = f"{location_name}/localPosts/{numeric_id(19)}"
    fields = ("languageCode", "summary", "topicType", "event", "offer", "callToAction", "alertType", "media")
    text = body.get("summary") or (body.get("event") or {}).get("title") or ""
    post = {key: body[key] for key in fields if key in body}
    record = record_create(
        NET, "post", name, owner=location_name, status="PROCESSING", post=post, text=text, title=place["title"]
    )
    key = json.dumps([location_name, body.get("topicType"), body.get("summary")])
    if request.sandbox.name == "flaky" and first_attempt(NET, "flaky", key):
        return google.error(503, "UNAVAILABLE", "The service is currently unavailable.")  # made, answer lost
    return JsonResponse(_fresh(record))


@api_view("GET", "DELETE")
def local_post(request, user: str, account_id: str, location_id: str, post_id: str):
    _, refusal = _where(user, account_id, location_id)
    if refusal:
        return refusal
    record = record_get(NET, "post", f"accounts/{account_id}/locations/{location_id}/localPosts/{post_id}")
    if record is None:
        return _not_found()
    if request.method == "DELETE":
        record.delete()
        return JsonResponse({})
    return JsonResponse(_post(request, record))


# --- insights and the public page ------------------------------------------------------------
@api_view("POST")
def report_insights(request, user: str, account_id: str, location_id: str):
    _, refusal = _where(user, account_id, location_id)
    if refusal:
        return refusal
    location_name = f"accounts/{account_id}/locations/{location_id}"
    body = _json_body(request) or {}
    names = body.get("localPostNames")
    basic = body.get("basicRequest") or {}
    metrics = [item.get("metric") for item in basic.get("metricRequests") or [] if isinstance(item, dict)]
    if not isinstance(names, list) or not names or not metrics or not (basic.get("timeRange") or {}).get("startTime"):
        return _invalid("basic_request", "localPostNames, metricRequests and timeRange are required.")
    if any(not str(name).startswith(f"{location_name}/localPosts/") for name in names):
        return _invalid("local_post_names", "All posts must belong to the location of the request.")
    found = []
    for name in names:
        record = record_get(NET, "post", name)
        if record is None:
            continue
        grown = grown_metrics(record, METRIC_RATES)
        if not record.data["post"].get("callToAction"):
            grown["LOCAL_POST_ACTIONS_CALL_TO_ACTION"] = 0
        values = [
            {"metric": metric, "totalValue": {"metricOption": "AGGREGATED_TOTAL", "value": str(grown[metric])}}
            for metric in metrics
            if metric in grown
        ]
        found.append({"localPostName": name, "metricValues": values})
    return JsonResponse({"name": location_name, "timeZone": "Europe/London", "localPostMetrics": found})


def _range(request) -> tuple[date, date] | None:
    """dailyRange.startDate / endDate (year, month, day query parameters), or None."""
    try:
        start, end = (
            date(*(int(request.GET[f"dailyRange.{edge}.{part}"]) for part in ("year", "month", "day")))
            for edge in ("startDate", "endDate")
        )
    except (KeyError, ValueError):
        return None
    return start, end


@api_view("GET")
def daily_metrics(request, user: str, location_id: str):
    """`locations/{l}:fetchMultiDailyMetricsTimeSeries`: each asked DailyMetric's values by
    day (strings; a day without a value is 0 or not yet known, as Google answers),
    deterministic per location and day (sandbox.core.account_metrics)."""
    if not any(item["name"] == f"locations/{location_id}" for _, items in holdings(user) for item in items):
        return _denied()
    metrics = request.GET.getlist("dailyMetrics")
    unknown = [metric for metric in metrics if metric not in DAILY_RATES]
    if not metrics or unknown:
        return google.error(400, "INVALID_ARGUMENT", f"Invalid dailyMetrics: {', '.join(unknown) or 'none given'}.")
    dates = _range(request)
    today = timezone.now().date()
    if dates is None or dates[0] > dates[1] or dates[0] < today - timedelta(days=PERFORMANCE_DAYS):
        return google.error(400, "INVALID_ARGUMENT", "Request contains an invalid argument: daily_range.")
    start, end = dates
    known_until = today - timedelta(days=PERFORMANCE_LAG + 1)
    series = {metric: [] for metric in metrics}
    for offset in range((end - start).days + 1):
        day = start + timedelta(days=offset)
        numbers = account_metrics(f"gbp:{location_id}", DAILY_RATES, day=day) if day <= known_until else {}
        for metric in metrics:
            dated = {"date": {"year": day.year, "month": day.month, "day": day.day}}
            if numbers.get(metric):
                dated["value"] = str(numbers[metric])
            series[metric].append(dated)
    answer = [{"dailyMetric": metric, "timeSeries": {"datedValues": values}} for metric, values in series.items()]
    return JsonResponse({"multiDailyMetricTimeSeries": [{"dailyMetricTimeSeries": answer}]})


@sandbox_view
def place(request):
    """local.google.com/place?…&lpsid=…: the sandbox's page of the post (its searchUrl)."""
    record = record_get(NET, "post", request.GET.get("lpsid", ""))
    data = record.data if record else {}
    media = [PageMedia("image", item.get("sourceUrl", "")) for item in data.get("post", {}).get("media") or []]
    return post_page(
        request, network="Google Business Profile", record=record, author=data.get("title", ""), media=media
    )


# --- OAuth ------------------------------------------------------------------------------------
def _owner_from(form) -> str:
    return form.get("email", "").strip() or DEFAULT_USER


def demo_credentials(token: str) -> dict:
    """The credentials besides the token that `manage.py demo_setup` connects a sandbox
    account of this network with: the first location of the user behind the token."""
    return {"location_name": demo_location(user_for(token))}


POST_PATH = r"^v4/accounts/(?P<account_id>\d+)/locations/(?P<location_id>\d+)/localPosts"
urlpatterns = [
    *google.oauth_urlpatterns(
        NET,
        label="Google Business Profile",
        scopes=SCOPES,
        inputs=[("email", "Sandbox Google account", DEFAULT_USER)],
        owner_from=_owner_from,
        adopt_owner=user_for,
    ),
    re_path(r"^v1/accounts$", accounts),
    re_path(r"^v1/accounts/(?P<account_id>\d+)/locations$", account_locations),
    re_path(r"^v1/locations/(?P<location_id>\d+)$", location),
    re_path(r"^v1/locations/(?P<location_id>\d+):fetchMultiDailyMetricsTimeSeries$", daily_metrics),
    re_path(POST_PATH + r"$", local_posts),
    re_path(POST_PATH + r":reportInsights$", report_insights),
    re_path(POST_PATH + r"/(?P<post_id>\d+)$", local_post),
    re_path(r"^place$", place, name="sandbox-google_business-place"),
]
