"""WordPress (REST API `wp/v2`): blog posts with a title, HTML content, categories, tags,
an excerpt, a slug, a format, comments open or closed, and images uploaded to the media
library (the first one the featured image), on a WordPress.com site or a self-hosted one.

- WordPress.com: `https://public-api.wordpress.com/wp/v2/sites/{site}/…` with the OAuth
  token (`Authorization: Bearer`); post stats from
  `https://public-api.wordpress.com/rest/v1.1/sites/{site}/stats/post/{id}`.
- Self-hosted: `<site>/wp-json/wp/v2/…` with an Application Password (HTTP Basic
  `username:password`), through the guarded session (the site URL is user input:
  providers.wordpress.site). No post metrics.

Docs: https://developer.wordpress.org/rest-api/reference/posts/ (posts),
https://developer.wordpress.org/rest-api/reference/media/ (media),
https://developer.wordpress.org/rest-api/reference/tags/ (tags),
https://developer.wordpress.org/rest-api/using-the-rest-api/pagination/ (pages),
https://developer.wordpress.org/rest-api/using-the-rest-api/authentication/ (Application Passwords),
https://developer.wordpress.com/docs/oauth2/ (WordPress.com tokens),
https://developer.wordpress.com/docs/api/1.1/get/sites/%24site/stats/post/%24post_id/ (stats),
https://developer.wordpress.com/docs/api/1.1/get/sites/%24site/stats/ (the site's stats).
Credentials: {"site_url", "access_token"} for WordPress.com (plus "blog_id"/"blog_url"
from an OAuth connect); {"site_url", "username", "access_token": the Application Password}
for a self-hosted site: a `username` is what makes an account self-hosted.
"""

import base64
import html
import mimetypes
import re
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from providers import http
from providers.base import (
    Content,
    Destination,
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
    MetricsUnsupported,
    ProviderError,
    ProviderUnavailable,
    RateLimited,
    ReconnectRequired,
    Rejected,
    TokenExpired,
)
from providers.public_host import check_public, guarded_session
from providers.wordpress.post import file_name, post_body
from providers.wordpress.rules import CAPABILITIES, WordPressOptions, content_problems
from providers.wordpress.site import SiteRefused, site_base, site_key, wpcom_site

PER_PAGE = 100  # the most a wp/v2 collection gives per page
MAX_PAGES = 100  # a bound on a listing that never ends
RECENT_POSTS = 20  # how many recent posts an ambiguous create is looked for in
RATE_LIMIT_RETRY_S = 60.0  # WordPress itself has no rate limits; a host's 429 may say nothing
# 403s that are about one field of this post, not the user's role.
# https://developer.wordpress.org/rest-api/reference/posts/#create-a-post
FIELD_403 = ("rest_cannot_assign_term", "rest_cannot_assign_sticky")
# Upload failures: the type or size the site refuses, or its quota.
# wp-includes/rest-api/endpoints/class-wp-rest-attachments-controller.php
MEDIA_CODES = (
    "rest_upload_sideload_error",
    "rest_upload_file_too_big",
    "rest_upload_limited_space",
    "rest_upload_user_quota_exceeded",
    "rest_upload_unknown_error",
)
# A site, route or blog that is not there: the URL is wrong or the REST API is off.
GONE_404 = ("rest_no_route", "unknown_blog", "invalid_blog", "")
NO_STATS = (
    "Self-hosted WordPress sites give no post metrics (views and likes come from plugins such "
    "as Jetpack, which Dravo does not read)."
)
NO_SITE_STATS = (
    "Self-hosted WordPress sites give no account metrics (no followers or visits in core: they "
    "come from plugins such as Jetpack, which Dravo does not read)."
)
# The site's numbers in WordPress.com's stats summary (`stats`), all integers: its
# followers (WordPress.com followers of the blog; whether email followers are in it is
# unconfirmed), yesterday's visitors and views (the last whole day), and its lifetime
# views and comments. Field names from the v1.1 reference, not yet seen live.
SITE_STATS = ("followers_blog", "visitors_yesterday", "views_yesterday", "views", "comments")
TAG_RE = re.compile(r"<[^>]+>")


class WordPressClient(ProviderClient):
    name = "wordpress"
    options_serializer = WordPressOptions
    capabilities = CAPABILITIES
    # WordPress.com's stats count views; comments are the post's approved comments.
    normalized_metrics = {"views": ("views",), "comments": ("comments",)}
    # WordPress.com's stats: followers are the blog's followers, reach yesterday's visitors
    # (unique people); no day's engagement is in the summary (comments count the site's life).
    normalized_account_metrics = {"followers": ("followers_blog",), "reach": ("visitors_yesterday",)}
    # The site: a WordPress.com domain or blog id, or a self-hosted site's URL.
    account_credential = "site_url"

    def __init__(self, credentials: dict, *, endpoints: dict, app: dict | None = None, session=None):
        super().__init__(credentials, endpoints=endpoints, app=app, session=session)
        if self.session is None and self.self_hosted and not endpoints.get("sites_url"):
            self.session = guarded_session()  # a user-given site: address checked on every call

    # --- plumbing -------------------------------------------------------------------------
    @property
    def self_hosted(self) -> bool:
        """A self-hosted site (Application Password and its username), else WordPress.com."""
        return bool(self.credentials.get("username"))

    @property
    def site(self) -> str:
        """The site as its account id: `host[/path]` (self-hosted) or the WordPress.com
        domain or blog id. Raises SiteRefused for a site that breaks the rules."""
        if self.self_hosted:
            return site_key(site_base(self.named_account))
        return wpcom_site(self.named_account)

    def rest(self, path: str) -> str:
        """The URL of a `wp/v2` route of the account's site."""
        if not self.self_hosted:
            return self.url("api_url", f"/wp/v2/sites/{self.site}{path}")
        if self.endpoints.get("sites_url"):  # every site served by one host (the sandbox)
            return self.url("sites_url", f"/self/{self.site}/wp-json/wp/v2{path}")
        return f"{site_base(self.named_account)}/wp-json/wp/v2{path}"

    def _headers(self) -> dict:
        if self.self_hosted:
            pair = f"{self.credentials['username']}:{self.access_token}".encode()
            return {"Authorization": f"Basic {base64.b64encode(pair).decode()}"}
        return {"Authorization": f"Bearer {self.access_token}"}

    def _get(self, path: str, **params):
        return self.call("GET", self.rest(path), headers=self._headers(), params=params)

    def _post(self, path: str, body: dict) -> dict:
        return http.json_or_empty(self.call("POST", self.rest(path), headers=self._headers(), json=body))

    def raise_for_response(self, response) -> None:
        """Map a WordPress error answer to a typed error: core's
        `{"code", "message", "data": {"status"}}` or WordPress.com's `{"error", "message"}`
        (https://developer.wordpress.org/rest-api/using-the-rest-api/frequently-asked-questions/)."""
        status = response.status_code
        if status < 400:
            return
        body = http.json_or_empty(response)
        code = str(body.get("code") or body.get("error") or "")
        message = html.unescape(TAG_RE.sub("", str(body.get("message") or "")))
        text = f"WordPress: {message or code or f'HTTP {status}'}"
        kwargs = {"status": status, "raw": body or None}
        if status == 429 or (status == 403 and not body):
            # Core has no rate limits: hosts and firewalls throttle, with a 429 or an HTML 403.
            retry = http.retry_after_seconds(response.headers.get("Retry-After"), RATE_LIMIT_RETRY_S)
            raise RateLimited(text, retry_after=retry, **kwargs)
        if status == 401 or code == "invalid_token":
            raise self._refused(text, kwargs)
        if status == 403 and code not in FIELD_403:
            # Logged in without the right (rest_cannot_create, rest_cannot_publish,
            # WordPress.com's `unauthorized`): only another user or role can post.
            raise ReconnectRequired(f"{text} (the user lacks the right on this site)", **kwargs)
        if status == 404 and code in GONE_404:
            raise ReconnectRequired(f"{text} (is the site URL right, with its REST API on?)", **kwargs)
        if code in MEDIA_CODES:
            raise MediaUnavailable(text, **kwargs)
        if status >= 500:
            raise ProviderUnavailable(text, **kwargs)
        raise Rejected(text, **kwargs)  # 400 rest_invalid_param, empty_content, 412 hash mismatch...

    def _refused(self, text: str, kwargs: dict) -> ProviderError:
        """A refused credential: an Application Password cannot be refreshed (a new one must
        be made); a WordPress.com token is refreshed once by the caller (refresh() then says
        it cannot be)."""
        if self.self_hosted:
            hint = " (a wrong or revoked Application Password, or a host that strips the Authorization header)"
            return ReconnectRequired(text + hint, **kwargs)
        return TokenExpired(text, **kwargs)

    # --- account --------------------------------------------------------------------------
    def verify(self) -> Profile:
        """The user behind the credentials on the named site (`GET /users/me?context=edit`),
        who must be able to publish posts there. A self-hosted site's URL must be public
        https (SiteRefused otherwise, before any call). AccountMismatch (site_url) when a
        WordPress.com token cannot act on that site; ReconnectRequired when the user lacks
        `publish_posts` or the password is refused; TokenExpired for a refused token. Safe
        to repeat."""
        if not self.named_account:
            raise SiteRefused("Name the site: credentials.site_url (a WordPress.com domain or a site's https URL).")
        site = self.site
        if self.self_hosted and not self.endpoints.get("sites_url"):
            check_public(site_base(self.named_account), refused=SiteRefused, what="site host")
        try:
            me = http.json_or_empty(self._get("/users/me", context="edit"))
        except ReconnectRequired as exc:
            if self.self_hosted or exc.status != 403:
                raise
            raise AccountMismatch(
                f"This WordPress.com token cannot act on {site}: {exc.message}", field="site_url"
            ) from exc
        capabilities = me.get("capabilities") or {}
        if not capabilities.get("publish_posts"):
            raise ReconnectRequired(
                f"The WordPress user {me.get('slug') or me.get('id')} cannot publish posts on {site}."
            )
        extra = {
            "kind": "self-hosted" if self.self_hosted else "wordpress.com",
            "user_id": str(me.get("id", "")),
            "user": me.get("slug") or "",
            "roles": me.get("roles") or [],
            "upload_files": bool(capabilities.get("upload_files")),
        }
        handle = site
        if self.credentials.get("blog_url"):
            handle = urlsplit(self.credentials["blog_url"]).hostname or site
        return Profile(id=site, handle=handle, name=str(me.get("name") or ""), extra=extra)

    def refresh(self) -> RefreshResult:
        """There is nothing to refresh: WordPress.com code-flow tokens do not expire and have
        no refresh grant, and an Application Password lives until it is revoked. So a
        refused credential always needs a new connect: ReconnectRequired. No I/O."""
        what = "Application Password" if self.self_hosted else "WordPress.com token"
        raise ReconnectRequired(f"This {what} cannot be refreshed: reconnect the site with a new one.")

    def destinations(self) -> list[Destination]:
        """Every category of the site, all pages read (`per_page=100`, `X-WP-TotalPages`).
        Raises the errors of raise_for_response. Safe to repeat."""
        categories, page, pages = [], 1, 1
        while page <= min(pages, MAX_PAGES):
            response = self._get("/categories", per_page=PER_PAGE, page=page, orderby="name", order="asc")
            items = response.json() if response.content else []
            categories += [category_destination(item) for item in items if isinstance(item, dict) and item.get("id")]
            pages = http.int_or_none(response.headers.get("X-WP-TotalPages")) or 1
            page += 1
        return categories

    # --- publishing -----------------------------------------------------------------------
    def validate(self, content: Content) -> list[Problem]:
        """The title (option or first line), the text (Dravo's cap) and the images. No I/O."""
        return content_problems(content)

    def publish(self, content: Content, *, checkpoint=None, save_checkpoint=None) -> PublishResult:
        """Upload the images (`POST /media`), find or create the tags (`POST /tags`), then
        create the post (`POST /posts`, status publish: Dravo schedules on its side).

        Checkpoint: `media` (the uploaded images' ids and URLs, in order), `tag_ids`,
        `post_requested` (a create was sent and got no definite answer), then `post_id` and
        `link`. Given it back, nothing uploaded or created is made again, and after an
        ambiguous create the site's recent posts are searched for this one (by slug or
        title, any status) before creating it again: WordPress has no idempotency key.
        WordPress silently drops a featured image id it does not accept, so the answer is
        read back: a warning when the featured image is missing. Raises the errors of
        raise_for_response; MediaUnavailable when an image cannot be fetched or uploaded."""
        state, save = checkpoint_state(checkpoint, save_checkpoint)
        if state.get("post_id"):
            return self._result(state, {})
        media = self._upload_images(content, state, save)
        tags = (content.options or {}).get("tags") or []
        if tags and state.get("tag_ids") is None:
            save.note(tag_ids=[self._tag_id(name) for name in tags])
        body = post_body(content, media, state.get("tag_ids") or [])
        if state.get("post_requested"):
            found = self._find_post(body, state["post_requested"])
            if found:
                save.note(post_id=str(found["id"]), link=found.get("link") or "", post_requested=None)
                return self._result(state, found)
        save(post_requested=datetime.now(UTC).isoformat())
        try:
            post = self._post("/posts", body)
        except ProviderError as exc:
            if exc.status is not None and exc.status < 500 and exc.status != 429:
                save.note(post_requested=None)  # a definite refusal: no post was made
            raise
        if not post.get("id"):
            raise ProviderUnavailable("WordPress's answer to creating the post carried no id.")
        save.note(post_id=str(post["id"]), link=post.get("link") or "", post_requested=None)
        return self._result(state, post)

    def reconcile(self, content: Content, checkpoint: dict | None) -> PublishResult | None:
        """The live post after a crash: the checkpoint's `post_id`, or, after an ambiguous
        create, a recent post with this title (or slug) made since; else None. At most one
        call; safe to repeat."""
        state = dict(checkpoint or {})
        if state.get("post_id"):
            return self._result(state, {})
        if not state.get("post_requested"):
            return None
        body = post_body(content, state.get("media") or [], state.get("tag_ids") or [])
        found = self._find_post(body, state["post_requested"])
        if not found:
            return None
        return self._result({**state, "post_id": str(found["id"]), "link": found.get("link") or ""}, found)

    def _result(self, state: dict, post: dict) -> PublishResult:
        warnings = []
        media = state.get("media") or []
        featured = http.int_or_none(post.get("featured_media")) if post else None
        if media and post and featured != media[0]["id"]:
            warnings.append(
                f"WordPress did not keep image {media[0]['id']} as the featured image "
                "(it drops an id it does not accept); the post has none."
            )
        published = http.iso_time(post.get("date_gmt")) if post else None
        return PublishResult(str(state["post_id"]), state.get("link") or None, warnings, published or datetime.now(UTC))

    def _find_post(self, body: dict, since: str) -> dict | None:
        """This post among the site's recent ones (any status), created after `since` (less
        a minute for clock skew), or None."""
        params = {"context": "edit", "status": "any", "per_page": RECENT_POSTS, "orderby": "date", "order": "desc"}
        if body.get("slug"):
            params["slug"] = body["slug"]
        else:
            params["search"] = body["title"]
        response = self._get("/posts", **params)
        posts = response.json() if response.content else []
        after = (http.iso_time(since) or datetime.now(UTC)) - timedelta(minutes=1)
        for post in posts if isinstance(posts, list) else []:
            title = (post.get("title") or {}).get("raw", "")
            created = http.iso_time(post.get("date_gmt"))
            if title == body["title"] and post.get("id") and (created is None or created >= after):
                return post
        return None

    def _tag_id(self, name: str) -> int:
        """The id of tag `name`: created now, or the existing one WordPress names in its
        `term_exists` refusal (https://developer.wordpress.org/rest-api/reference/tags/).
        A user who may not create tags (an Author: `manage_terms` is an Editor's) can still
        use an existing one, looked up by name; a new one is Rejected."""
        url, headers = self.rest("/tags"), self._headers()
        response = http.request("POST", url, headers=headers, json={"name": name}, via=self.session)
        body = http.json_or_empty(response)
        if response.status_code == 400 and body.get("code") == "term_exists":
            term_id = http.int_or_none((body.get("data") or {}).get("term_id"))
            if term_id:
                return term_id
        if response.status_code == 403 and body:
            return self._existing_tag(name)
        self.raise_for_response(response)
        if not http.int_or_none(body.get("id")):
            raise ProviderUnavailable(f"WordPress's answer to creating tag {name!r} carried no id.")
        return int(body["id"])

    def _existing_tag(self, name: str) -> int:
        response = self._get("/tags", search=name, per_page=PER_PAGE)
        tags = response.json() if response.content else []
        for tag in tags if isinstance(tags, list) else []:
            if html.unescape(str(tag.get("name") or "")).lower() == name.lower() and tag.get("id"):
                return int(tag["id"])
        raise Rejected(f"This WordPress user may not create the tag {name!r}: create it on the site first.", status=403)

    # --- media ----------------------------------------------------------------------------
    def _upload_images(self, content: Content, state: dict, save) -> list[dict]:
        """Each image uploaded once, in order (`media` in the checkpoint: id and URL)."""
        media = list(state.get("media") or [])
        for index, item in enumerate(content.media):
            if index < len(media):
                continue
            media.append(self._upload(item, index))
            save.note(media=list(media))
        return media

    def _upload(self, item: Media, index: int) -> dict:
        """`POST /media` with the raw bytes, their type and a file name."""
        payload = self.download(item)
        mime = item.mime_type or mimetypes.guess_type(urlsplit(item.url).path)[0] or "image/jpeg"
        headers = {
            **self._headers(),
            "Content-Type": mime,
            "Content-Disposition": f'attachment; filename="{file_name(item.url, mime, index)}"',
        }
        body = http.json_or_empty(self.call("POST", self.rest("/media"), headers=headers, data=payload))
        if not http.int_or_none(body.get("id")):
            raise ProviderUnavailable("WordPress's answer to the image upload carried no id.")
        return {"id": int(body["id"]), "url": str(body.get("source_url") or "")}

    # --- analytics ------------------------------------------------------------------------
    def fetch_metrics(self, platform_post_id: str) -> MetricsResult:
        """WordPress.com: `views` over the post's life (its stats) and `comments` (the
        approved comments, `X-WP-Total`). A self-hosted site has no post metrics:
        MetricsUnsupported. Safe to repeat."""
        if self.self_hosted:
            raise MetricsUnsupported(NO_STATS)
        stats_url = self.url("api_url", f"/rest/v1.1/sites/{self.site}/stats/post/{platform_post_id}")
        stats = http.json_or_empty(self.call("GET", stats_url, headers=self._headers()))
        metrics, warnings = {}, []
        views = total_views(stats)
        if views is None:
            warnings.append("WordPress.com did not report this post's views.")
        else:
            metrics["views"] = views
        response = self._get("/comments", post=platform_post_id, per_page=1)
        comments = http.int_or_none(response.headers.get("X-WP-Total"))
        if comments is None:
            warnings.append("WordPress did not report this post's comment count.")
        else:
            metrics["comments"] = comments
        return MetricsResult(metrics, warnings, partial=bool(warnings))

    def fetch_account_metrics(self) -> dict[str, int | float]:
        """WordPress.com: the SITE_STATS of the site's stats summary
        (`GET rest/v1.1/sites/{site}/stats`, those it answers). A self-hosted site has none:
        MetricsUnsupported. One call; typed errors of raise_for_response; no writes."""
        if self.self_hosted:
            raise MetricsUnsupported(NO_SITE_STATS)
        url = self.url("api_url", f"/rest/v1.1/sites/{self.site}/stats")
        body = http.json_or_empty(self.call("GET", url, headers=self._headers()))
        stats = body.get("stats") if isinstance(body.get("stats"), dict) else {}
        values = {key: http.int_or_none(stats.get(key)) for key in SITE_STATS}
        return {key: value for key, value in values.items() if value is not None}


def total_views(stats: dict) -> int | None:
    """A post's views from its stats answer: `views`, else the sum of the daily `data`."""
    views = stats.get("views")
    if isinstance(views, int) and not isinstance(views, bool):
        return views
    days = stats.get("data")
    if isinstance(days, list) and days:
        return sum(int(day[1]) for day in days if isinstance(day, list) and len(day) > 1 and isinstance(day[1], int))
    return None


def category_destination(item: dict) -> Destination:
    extra = {key: item[key] for key in ("slug", "count") if item.get(key) not in (None, "")}
    if item.get("parent"):
        extra["parent"] = str(item["parent"])  # a subcategory
    name = html.unescape(str(item.get("name") or ""))
    return Destination(id=str(item["id"]), name=name, kind="category", extra=extra)
