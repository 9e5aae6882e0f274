"""Sandbox WordPress: the subset of the REST API (`wp/v2`) Dravo uses, for both kinds of
site, mounted at /sandbox/wordpress/:

- WordPress.com sites at `wp/v2/sites/{site}/…` (in place of public-api.wordpress.com),
  Bearer tokens, the post stats at `rest/v1.1/sites/{site}/stats/post/{id}`, the site's stats
  summary at `rest/v1.1/sites/{site}/stats` and the OAuth
  consent (`oauth2/authorize`, `oauth2/token`, answering `blog_id` and `blog_url`);
- self-hosted sites at `self/{host}[/{path}]/wp-json/wp/v2/…` (in place of the site itself),
  Application Passwords by HTTP Basic auth, no stats.

Written from the REST API handbook and core's controllers: `POST /posts` checks `status`
(publish, future, draft, pending, private), term id arrays (unknown ids are a 400), `format`
and `comment_status`, refuses a post whose title, content and excerpt are all empty
(`empty_content`), makes a taken slug unique (`-2`), silently drops a `featured_media` id
that is not an attachment of the site, and answers 201 with `Location`. `POST /media` takes
raw bytes with `Content-Type` and `Content-Disposition: attachment; filename=…` (400
`rest_upload_no_content_disposition`, `rest_upload_no_data`; 500 `rest_upload_sideload_error`
for a type the site refuses, such as SVG). `POST /tags` answers 400 `term_exists` with the
existing `term_id`. Collections page by `per_page` (1–100) and `page`, with `X-WP-Total` and
`X-WP-TotalPages`. Errors are `{"code", "message", "data": {"status"}}`; WordPress.com's OAuth
and token errors are `{"error", "message"}`.

Sandbox conventions: a token or Application Password starting with `invalid` is refused; a
self-hosted user whose name contains `contributor` cannot publish (403 `rest_cannot_publish`),
only one whose name contains `editor` may create tags (403 `rest_cannot_create` otherwise,
as for an Author), and one starting with `unknown` does not exist; a site has five categories, and one whose
name contains `many-categories` has 150 (two pages at 100); a post's `link` is the sandbox's
page of it, /sandbox/wordpress/p/{id}/.
"""

import base64
import hashlib
import html
import json
import re
from datetime import UTC, date, timedelta
from functools import wraps

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpResponse, JsonResponse
from django.urls import path, re_path, reverse
from django.utils import timezone
from django.utils.text import slugify

from sandbox import oauth
from sandbox.core import (
    REJECT_REASON,
    SANDBOX_EPOCH,
    PageMedia,
    account_id_for,
    account_metrics,
    bearer_token,
    first_attempt,
    grown_metrics,
    is_refused_token,
    post_page,
    record_create,
    record_get,
    record_list,
    sandbox_view,
    token_binding,
)
from sandbox.files import SAMPLES
from sandbox.models import SandboxRecord

NET = "wordpress"
STATUSES = ("publish", "future", "draft", "pending", "private")
FORMATS = ("standard", "aside", "chat", "gallery", "link", "image", "quote", "status", "video", "audio")
COMMENT_STATUSES = ("open", "closed")
CATEGORY_NAMES = ("Uncategorized", "News", "Recipes", "Travel", "Tips &amp; Tricks")
MANY_CATEGORIES = 150
PER_PAGE_DEFAULT, PER_PAGE_MAX = 10, 100
IMAGE_TYPES = ("image/jpeg", "image/png", "image/gif", "image/webp", "image/avif")
METRIC_RATES = {"views": 180, "comments": 3}
DEMO_SITE = "demo-blog.wordpress.com"
TAG_TEXT = re.compile(r"<[^>]+>")


# --- answers ------------------------------------------------------------------------------
def _error(status: int, code: str, message: str, headers: dict | None = None, **data) -> JsonResponse:
    return JsonResponse(
        {"code": code, "message": message, "data": {"status": status, **data}}, status=status, headers=headers
    )


def _invalid(param: str, why: str) -> JsonResponse:
    return _error(400, "rest_invalid_param", f"Invalid parameter(s): {param}", params={param: why})


def _json_body(request) -> dict | None:
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def _numeric_id(kind: str) -> int:
    """The next id of a site-wide object (posts and attachments share WordPress's posts table)."""
    return 1000 + SandboxRecord.objects.filter(network=NET, kind__in=("post", "media", "tag")).count() + 1


def _create_numbered(kind: str, fields_for, *, owner: str, status: str = "") -> SandboxRecord:
    """A post or attachment under the next free id, its fields built for that id by
    `fields_for(id)`. Requests served at the same moment may pick the same id: the one that
    loses takes the next."""
    number = _numeric_id(kind)
    while True:
        try:
            with transaction.atomic():
                return record_create(NET, kind, str(number), owner=owner, status=status, **fields_for(number))
        except IntegrityError:
            number += 1


# --- who is calling ------------------------------------------------------------------------
class Caller:
    """The user behind a request on one site: its slug, whether it can publish."""

    def __init__(self, site: str, user: str, *, can_publish: bool = True, can_manage_terms: bool = True):
        self.site, self.user, self.can_publish = site, user, can_publish
        self.can_manage_terms = can_manage_terms


def _basic(request) -> tuple[str, str] | None:
    header = request.headers.get("Authorization", "")
    if not header.lower().startswith("basic "):
        return None
    try:
        user, _, password = base64.b64decode(header[6:]).decode().partition(":")
    except ValueError:
        return None
    return user, password


def _self_hosted_caller(request, site: str) -> Caller | JsonResponse:
    """A self-hosted site's user by Application Password (core's errors for a wrong one)."""
    pair = _basic(request)
    if pair is None:
        if request.method == "POST":
            return _error(401, "rest_cannot_create", "Sorry, you are not allowed to create posts as this user.")
        return _error(401, "rest_not_logged_in", "You are not currently logged in.")
    user, password = pair
    if user.startswith("unknown"):
        return _error(401, "invalid_username", "Unknown username. Check again or try your email address.")
    if is_refused_token(password.replace(" ", "")) or request.sandbox.name == "token_expired":
        return _error(401, "incorrect_password", "The provided password is an invalid application password.")
    return Caller(site, user, can_publish="contributor" not in user, can_manage_terms="editor" in user)


def _wpcom_caller(request, site: str) -> Caller | JsonResponse:
    """A WordPress.com site's user by Bearer token: the token must be the site's (the one the
    consent granted, or bound to the site named when a BYOK account connected)."""
    token = bearer_token(request)
    if is_refused_token(token) or request.sandbox.name == "token_expired":
        return _error(401, "invalid_token", "The OAuth2 token is invalid.")
    record = token_binding(NET, token, request)
    if record is not None and _site_name(record.owner) != _site_name(site):
        return _error(403, "unauthorized", "User cannot access this site.")
    return Caller(site.lower(), f"sandbox_user_{account_id_for('wordpress:' + token, 6)}")


def _site_name(value: str) -> str:
    """A WordPress.com site as named in a path or at connect (a domain, possibly as a URL)."""
    return value.strip().lower().removeprefix("https://").removeprefix("http://").rstrip("/")


def site_view(view):
    """A wp/v2 view of either kind of site, called with the caller (or answering its refusal)."""

    @sandbox_view
    @wraps(view)
    def wrapper(request, site: str, *args, **kwargs):
        self_hosted = "/wp-json/" in request.path
        caller = _self_hosted_caller(request, site) if self_hosted else _wpcom_caller(request, site)
        if isinstance(caller, JsonResponse):
            return caller
        return view(request, caller, *args, **kwargs)

    return wrapper


# --- users and terms -----------------------------------------------------------------------
@site_view
def users_me(request, caller: Caller):
    capabilities = {"read": True, "edit_posts": True, "upload_files": True, "publish_posts": caller.can_publish}
    return JsonResponse(
        {
            "id": int(account_id_for("user:" + caller.user, 4)),
            "name": caller.user.replace("_", " ").title(),
            "slug": caller.user,
            "roles": ["editor" if caller.can_manage_terms else "author" if caller.can_publish else "contributor"],
            "capabilities": capabilities,
            "avatar_urls": {"96": "https://secure.gravatar.com/avatar/sandbox?s=96"},
        }
    )


def categories_of(site: str) -> list[dict]:
    """The site's categories (the same every time), Uncategorized first, id 1."""
    if "many-categories" in site:
        names = ["Uncategorized"] + [f"Category {n:03d}" for n in range(2, MANY_CATEGORIES + 1)]
    else:
        names = list(CATEGORY_NAMES)
    return [
        {"id": index + 1, "name": name, "slug": slugify(html.unescape(name)), "parent": 0, "count": 0}
        for index, name in enumerate(names)
    ]


def _paged(request, items: list) -> JsonResponse:
    raw_size, raw_page = request.GET.get("per_page", str(PER_PAGE_DEFAULT)), request.GET.get("page", "1")
    if not raw_size.isdigit() or not 1 <= int(raw_size) <= PER_PAGE_MAX:
        return _invalid("per_page", f"per_page must be between 1 ({PER_PAGE_DEFAULT} default) and {PER_PAGE_MAX}.")
    if not raw_page.isdigit() or int(raw_page) < 1:
        return _invalid("page", "page must be greater than or equal to 1")
    size, page = int(raw_size), int(raw_page)
    pages = max(1, -(-len(items) // size))
    if page > pages and items:
        return _error(
            400,
            "rest_post_invalid_page_number",
            "The page number requested is larger than the number of pages available.",
        )
    headers = {"X-WP-Total": str(len(items)), "X-WP-TotalPages": str(pages)}
    return JsonResponse(items[(page - 1) * size : page * size], safe=False, headers=headers)


@site_view
def categories(request, caller: Caller):
    return _paged(request, categories_of(caller.site))


def _tags_of(site: str) -> dict[int, SandboxRecord]:
    return {record.data["id"]: record for record in record_list(NET, "tag", owner=site)}


@site_view
def tags(request, caller: Caller):
    if request.method == "GET":
        records = _tags_of(caller.site).values()
        needle = request.GET.get("search", "").lower()
        items = [
            {"id": r.data["id"], "name": r.data["name"], "slug": r.data["slug"]}
            for r in records
            if needle in r.data["name"].lower()
        ]
        return _paged(request, items)
    body = _json_body(request) or {}
    name = body.get("name")
    if not isinstance(name, str) or not name.strip():
        return _error(400, "rest_missing_callback_param", "Missing parameter(s): name", params=["name"])
    if not caller.can_manage_terms:
        return _error(403, "rest_cannot_create", "Sorry, you are not allowed to create terms in this taxonomy.")
    key = f"{caller.site}:{name.strip().lower()}"
    existing = record_get(NET, "tag", key)
    if existing is not None:
        message = "A term with the name provided already exists with this parent."
        return _error(400, "term_exists", message, term_id=existing.data["id"])
    tag_id = _numeric_id("tag")
    try:
        with transaction.atomic():
            record_create(NET, "tag", key, owner=caller.site, id=tag_id, name=name.strip(), slug=slugify(name))
    except IntegrityError:  # the same name created by a request served at the same moment
        message = "A term with the name provided already exists with this parent."
        return _error(400, "term_exists", message, term_id=record_get(NET, "tag", key).data["id"])
    return JsonResponse({"id": tag_id, "name": name.strip(), "slug": slugify(name), "taxonomy": "post_tag"}, status=201)


# --- media -------------------------------------------------------------------------------------
@site_view
def media(request, caller: Caller):
    if request.method != "POST":
        return _error(405, "rest_no_route", "No route was found matching the URL and request method.")
    if not request.body:
        return _error(400, "rest_upload_no_data", "No data supplied.")
    mime = request.headers.get("Content-Type", "").split(";")[0].strip()
    if not mime:
        return _error(400, "rest_upload_no_content_type", "No Content-Type supplied.")
    match = re.search(r'filename="?([^";]+)"?', request.headers.get("Content-Disposition", ""))
    if not match:
        return _error(400, "rest_upload_no_content_disposition", "No Content-Disposition supplied.")
    if mime not in IMAGE_TYPES:
        return _error(500, "rest_upload_sideload_error", "Sorry, you are not allowed to upload this file type.")
    name = match.group(1)
    media = _create_numbered(
        "media", lambda _: {"name": name, "mime": mime, "size": len(request.body)}, owner=caller.site
    )
    media_id = int(media.object_id)
    source = request.build_absolute_uri(reverse("sandbox-wordpress-upload", args=[media_id, name]))
    return JsonResponse(
        {"id": media_id, "source_url": source, "mime_type": mime, "media_type": "image", "link": source},
        status=201,
        headers={"Location": source},
    )


@sandbox_view
def upload(request, media_id: str, name: str):
    """An uploaded image's URL: the sandbox keeps no bytes, so it serves its sample of the type."""
    record = record_get(NET, "media", media_id)
    if record is None:
        return HttpResponse(status=404)
    sample = next(
        (body for mime, body in SAMPLES.values() if mime == record.data.get("mime")), SAMPLES["sample.png"][1]
    )
    return HttpResponse(sample, content_type=record.data.get("mime"))


# --- posts ---------------------------------------------------------------------------------------
def _field_text(value) -> str | None:
    if isinstance(value, dict):
        value = value.get("raw")
    return value if isinstance(value, str) else None


def _publish_gate(request, caller: Caller, body: dict) -> JsonResponse | None:
    """The account's behaviour at the call that creates the post."""
    behavior = request.sandbox.name
    if behavior == "rejects":
        return _error(400, "rest_invalid_param", REJECT_REASON)
    key = json.dumps([body.get("title"), body.get("content")], sort_keys=True, default=str)
    if behavior in ("rate_limited", "flaky") and first_attempt(NET, caller.site, key):
        if behavior == "rate_limited":
            return _error(429, "too_many_requests", "Too many requests.", headers={"Retry-After": "1"})
        return _error(
            503, "service_unavailable", "Briefly unavailable for scheduled maintenance. Check back in a minute."
        )
    return None


def _term_refusal(site: str, body: dict) -> JsonResponse | None:
    known = {"categories": {c["id"] for c in categories_of(site)}, "tags": set(_tags_of(site))}
    for name in ("categories", "tags"):
        value = body.get(name, [])
        if not isinstance(value, list) or any(isinstance(i, bool) or not isinstance(i, int) for i in value):
            return _invalid(name, f"{name} is not of type array of integers.")
        unknown = [i for i in value if i not in known[name]]
        if unknown:
            return _invalid(name, f"Invalid term id: {unknown[0]}.")
    return None


def _post_refusal(caller: Caller, body: dict) -> JsonResponse | None:
    status = body.get("status", "draft")
    if status not in STATUSES:
        return _invalid("status", f"status is not one of {', '.join(STATUSES)}.")
    if body.get("format", "standard") not in FORMATS:
        return _invalid("format", f"format is not one of {', '.join(FORMATS)}.")
    if body.get("comment_status", "open") not in COMMENT_STATUSES:
        return _invalid("comment_status", "comment_status is not one of open, closed.")
    for name in ("title", "content", "excerpt", "slug"):
        if name in body and _field_text(body[name]) is None:
            return _invalid(name, f"{name} is not of type string.")
    if not any((_field_text(body.get(name)) or "").strip() for name in ("title", "content", "excerpt")):
        return _error(400, "empty_content", "Content, title, and excerpt are empty.")
    if status in ("publish", "future", "private") and not caller.can_publish:
        return _error(403, "rest_cannot_publish", "Sorry, you are not allowed to publish posts in this post type.")
    return _term_refusal(caller.site, body)


def _unique_slug(site: str, wanted: str) -> str:
    taken = {record.data.get("slug") for record in record_list(NET, "post", owner=site)}
    slug, number = wanted, 2
    while slug in taken:
        slug, number = f"{wanted}-{number}", number + 1
    return slug


def _post_json(request, record: SandboxRecord) -> dict:
    data = record.data
    link = request.build_absolute_uri(reverse("sandbox-wordpress-post", args=[record.object_id]))
    stamp = record.created_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")
    return {
        "id": int(record.object_id),
        "date": stamp,
        "date_gmt": stamp,
        "guid": {"rendered": f"{link}?p={record.object_id}", "raw": f"{link}?p={record.object_id}"},
        "modified": stamp,
        "slug": data["slug"],
        "status": data["post_status"],
        "type": "post",
        "link": link,
        "title": {"raw": data["title"], "rendered": html.escape(data["title"])},
        "content": {"raw": data["content"], "rendered": data["content"], "protected": False},
        "excerpt": {"raw": data.get("excerpt", ""), "rendered": data.get("excerpt", "")},
        "author": data["author"],
        "featured_media": data["featured_media"],
        "comment_status": data["comment_status"],
        "format": data["format"],
        "categories": data["categories"],
        "tags": data["tags"],
    }


def _create_post(request, caller: Caller):
    body = _json_body(request)
    if body is None:
        return _error(400, "rest_invalid_json", "Invalid JSON body passed.")
    refusal = _post_refusal(caller, body) or _publish_gate(request, caller, body)
    if refusal:
        return refusal
    title = (_field_text(body.get("title")) or "").strip()
    content = _field_text(body.get("content")) or ""
    featured = body.get("featured_media", 0)
    attachment = record_get(NET, "media", str(featured)) if isinstance(featured, int) and featured else None
    record = _create_numbered(
        "post",
        lambda number: dict(
            title=title,
            content=content,
            excerpt=_field_text(body.get("excerpt")) or "",
            slug=_unique_slug(caller.site, slugify(_field_text(body.get("slug")) or title) or str(number)),
            author=int(account_id_for("user:" + caller.user, 4)),
            # core does not check that the featured image was set: a bad id is silently dropped
            featured_media=featured if attachment is not None and attachment.owner == caller.site else 0,
            categories=body.get("categories") or [1],
            tags=body.get("tags") or [],
            format=body.get("format", "standard"),
            comment_status=body.get("comment_status", "open"),
            post_status="publish" if body.get("status") == "future" else body.get("status", "draft"),
            text=f"{title}\n\n{TAG_TEXT.sub('', content).strip()}".strip(),
            images=re.findall(r'<img src="([^"]+)"', content),
        ),
        owner=caller.site,
        status="live",
    )
    post_id = record.object_id
    answer = _post_json(request, record)
    location = request.build_absolute_uri(request.path.rstrip("/") + f"/{post_id}")
    return JsonResponse(answer, status=201, headers={"Location": location})


@site_view
def posts(request, caller: Caller):
    if request.method == "POST":
        return _create_post(request, caller)
    records = list(record_list(NET, "post", owner=caller.site))
    if request.GET.get("slug"):
        records = [r for r in records if r.data.get("slug") in request.GET["slug"].split(",")]
    if request.GET.get("search"):
        needle = request.GET["search"].lower()
        records = [
            r
            for r in records
            if needle in r.data.get("title", "").lower() or needle in r.data.get("content", "").lower()
        ]
    wanted = request.GET.get("status", "publish")
    if wanted != "any":
        records = [r for r in records if r.data["post_status"] in wanted.split(",")]
    return _paged(request, [_post_json(request, record) for record in records])


@site_view
def comments(request, caller: Caller):
    record = record_get(NET, "post", request.GET.get("post", ""))
    if record is None or record.owner != caller.site:
        return _paged(request, [])
    total = grown_metrics(record, METRIC_RATES)["comments"]
    return JsonResponse([], safe=False, headers={"X-WP-Total": str(total), "X-WP-TotalPages": "1" if total else "0"})


# --- WordPress.com stats, the post page --------------------------------------------------------
@sandbox_view
def post_stats(request, site: str, post_id: str):
    """WordPress.com's `stats/post/{id}` (v1.1): views over the post's life, by day."""
    caller = _wpcom_caller(request, site)
    if isinstance(caller, JsonResponse):
        return JsonResponse(
            {"error": "authorization_required", "message": "An active access token must be used."}, status=403
        )
    record = record_get(NET, "post", post_id)
    if record is None or record.owner != caller.site:
        return JsonResponse({"error": "unknown_post", "message": "Unknown post"}, status=404)
    views = grown_metrics(record, METRIC_RATES)["views"]
    today = timezone.now().date().isoformat()
    return JsonResponse(
        {
            "date": today,
            "views": views,
            "years": {},
            "averages": {},
            "weeks": [],
            "fields": ["period", "views"],
            "data": [[today, views]],
        }
    )


# A WordPress.com site's day (visitors, views) and its lifetime numbers, before the site's factor.
SITE_DAY_RATES = {"visitors": 140, "views": 310}
SITE_RATES = {"followers_blog": 420, "followers_comments": 35, "views_total": 96_000, "comments_total": 1_300}


@sandbox_view
def site_stats(request, site: str):
    """WordPress.com's `stats` (v1.1): the site's summary — today's and yesterday's visitors
    and views, its followers, lifetime views, comments and posts — deterministic per site
    and day (sandbox.core.account_metrics), and its last days' visits."""
    caller = _wpcom_caller(request, site)
    if isinstance(caller, JsonResponse):
        return JsonResponse(
            {"error": "authorization_required", "message": "An active access token must be used."}, status=403
        )
    seed = f"wordpress:{caller.site}"
    today = timezone.now().date()
    days = [today - timedelta(days=back) for back in range(6, -1, -1)]
    visits = {day: account_metrics(seed, SITE_DAY_RATES, day=day) for day in days}
    # Lifetime numbers only grow: the site's numbers on the sandbox's first day, plus a
    # steady share of them for every day since.
    first = date.fromordinal(SANDBOX_EPOCH)
    start, daily = account_metrics(seed, SITE_RATES, day=first), account_metrics(seed, SITE_DAY_RATES, day=first)
    elapsed = max((today - first).days, 0)
    totals = {
        **account_metrics(seed, SITE_RATES),
        "views_total": start["views_total"] + elapsed * daily["views"],
        "comments_total": start["comments_total"] + elapsed * daily["views"] // 200,
    }
    yesterday = visits[days[-2]]
    best = max(days, key=lambda day: visits[day]["views"])  # of the days the sandbox shows
    stats = {
        "visitors_today": visits[today]["visitors"],
        "visitors_yesterday": yesterday["visitors"],
        "visitors": totals["views_total"] // 3,
        "views_today": visits[today]["views"],
        "views_yesterday": yesterday["views"],
        "views_best_day": best.isoformat(),
        "views_best_day_total": visits[best]["views"],
        "views": totals["views_total"],
        "comments": totals["comments_total"],
        "posts": record_list(NET, "post", owner=caller.site).count(),
        "followers_blog": totals["followers_blog"],
        "followers_comments": totals["followers_comments"],
        "comments_per_month": totals["comments_total"] // 24,
        "shares": 0,
    }
    data = [[day.isoformat(), visits[day]["views"], visits[day]["visitors"]] for day in days]
    return JsonResponse(
        {
            "date": today.isoformat(),
            "stats": stats,
            "visits": {"unit": "day", "fields": ["period", "views", "visitors"], "data": data},
        }
    )


@sandbox_view
def post_view(request, post_id: str):
    """The post's public page (its `link`)."""
    record = record_get(NET, "post", post_id)
    images = (record.data.get("images") or []) if record else []
    featured = record.data.get("featured_media") if record else 0
    media = ([PageMedia("image")] if featured else []) + [PageMedia("image", url) for url in images]
    return post_page(request, network="WordPress", record=record, author=record.owner if record else "", media=media)


# --- WordPress.com OAuth ---------------------------------------------------------------------------
AUTH_PARAMS = ("client_id", "redirect_uri", "response_type", "scope", "state", "blog")


def blog_id_of(site: str) -> str:
    return str(int(hashlib.sha256(f"blog:{site}".encode()).hexdigest(), 16))[:9]


@sandbox_view
def authorize(request):
    """public-api.wordpress.com/oauth2/authorize: the consent page (GET), Allow / Deny (POST);
    the person picks the one site the token is for."""
    params = request.GET if request.method == "GET" else request.POST
    if refusal := oauth.authorize_refusal(params, unknown_client="<p>Invalid client_id.</p>"):
        return refusal
    if request.method == "GET":
        return oauth.consent_page(
            request,
            network="WordPress.com",
            params=params,
            client_id=params["client_id"],
            scopes=[params.get("scope") or "Publish posts, upload media and read stats on the site you choose"],
            keep=AUTH_PARAMS,
            inputs=[("site", "Sandbox site", params.get("blog") or "sandbox-blog.wordpress.com")],
        )
    site = request.POST.get("site", "").strip().lower() or "sandbox-blog.wordpress.com"
    return oauth.consent_decision(
        NET, params, redirect_uri=params["redirect_uri"], state=params.get("state", ""), owner=site
    )


@sandbox_view
def token(request):
    """public-api.wordpress.com/oauth2/token: the code for a token that does not expire,
    with the site it is for. The app's id and secret come in the form."""
    if request.method != "POST":
        return JsonResponse({"error": "invalid_request", "error_description": "Use POST."}, status=400)
    form = request.POST
    app = settings.SANDBOX_APP
    if form.get("client_id") != app["client_id"] or form.get("client_secret") != app["client_secret"]:
        return JsonResponse({"error": "invalid_client", "error_description": "Unknown client_id."}, status=400)
    if form.get("grant_type") != "authorization_code":
        return JsonResponse(
            {"error": "unsupported_grant_type", "error_description": "Use authorization_code."}, status=400
        )
    record, why = oauth.redeem_code(NET, form.get("code", ""), redirect_uri=form.get("redirect_uri", ""))
    if record is None:
        return JsonResponse({"error": "invalid_grant", "error_description": f"The code is {why}."}, status=400)
    tokens = oauth.issue_tokens(NET, record.owner, lifetime_s=None, refresh=False)
    return JsonResponse(
        {
            "access_token": tokens["access_token"],
            "token_type": "bearer",
            "blog_id": blog_id_of(record.owner),
            "blog_url": f"https://{record.owner}",
            "scope": "",
        }
    )


def demo_credentials(token: str) -> dict:
    """The credentials besides the token that `manage.py demo_setup` connects a sandbox
    account of this network with: a WordPress.com site with a few categories."""
    return {"site_url": DEMO_SITE}


SITE = r"(?P<site>[a-z0-9.-]+)"
SELF_SITE = r"(?P<site>[A-Za-z0-9.-]+(?:/[A-Za-z0-9._~-]+)*?)"
ROUTES = (
    ("users/me", users_me),
    ("categories", categories),
    ("tags", tags),
    ("media", media),
    ("posts", posts),
    ("comments", comments),
)

urlpatterns = [
    path("oauth2/authorize", authorize, name="sandbox-wordpress-authorize"),
    path("oauth2/token", token, name="sandbox-wordpress-token"),
    re_path(r"^rest/v1\.1/sites/(?P<site>[a-z0-9.-]+)/stats/post/(?P<post_id>\d+)/?$", post_stats),
    re_path(r"^rest/v1\.1/sites/(?P<site>[a-z0-9.-]+)/stats/?$", site_stats),
    re_path(r"^p/(?P<post_id>\d+)/$", post_view, name="sandbox-wordpress-post"),
    re_path(r"^uploads/(?P<media_id>\d+)/(?P<name>[^/]+)$", upload, name="sandbox-wordpress-upload"),
    *(re_path(rf"^wp/v2/sites/{SITE}/{route}/?$", view) for route, view in ROUTES),
    *(re_path(rf"^self/{SELF_SITE}/wp-json/wp/v2/{route}/?$", view) for route, view in ROUTES),
]
