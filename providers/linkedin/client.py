"""LinkedIn client (Posts API, REST, `LinkedIn-Version` header): member and organization
posts with text, article cards, one image, 2–20 images, one video or one document, and a
first comment. Docs: Microsoft Learn, LinkedIn "Posts API" and "Post Schema".

Every REST call carries `LinkedIn-Version` and `X-Restli-Protocol-Version: 2.0.0`; the post
id is the `x-restli-id` header of the 201 answer. URNs in paths and queries are
URL-encoded, Rest.li `List(...)`/`(...)` syntax is written by hand (requests would encode it).
"""

import re
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from urllib.parse import quote, urlsplit

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
    MetricsUnsupported,
    ProviderError,
    ProviderUnavailable,
    RateLimited,
    ReconnectRequired,
    Rejected,
    TokenExpired,
)
from providers.linkedin.rules import (
    CAPABILITIES,
    DOCUMENT_MAX_BYTES,
    DOCUMENT_MAX_PAGES,
    DOCUMENT_MIMES,
    IMAGE_MAX_BYTES,
    IMAGE_MAX_PIXELS,
    IMAGE_MIMES,
    LIMITS,
    MAX_IMAGES,
    MB,
    TEXT_LIMIT,
    VIDEO_ASPECT,
    VIDEO_MAX_BYTES,
    VIDEO_MIMES,
    VIDEO_SECONDS,
    LinkedInOptions,
)
from providers.media_rules import FORMAT, SIZE, media_breaches

MEMBER_METRICS = ("IMPRESSION", "MEMBERS_REACHED", "RESHARE", "REACTION", "COMMENT")
RESOURCES = {"image": "images", "gif": "images", "video": "videos", "document": "documents"}
# "little text": these characters must be backslash-escaped in `commentary` (Posts API docs, Postiz).
RESERVED = re.compile(r"([\\|{}@\[\]()<>#*_~])")
MENTION = re.compile(r"@\[[^\]\\]+\]\(urn:li:(?:person|organization):[^)\s]+\)")
URL = re.compile(r"https?://[^\s<>\"]+")
DUPLICATE = re.compile(r"duplicate of (urn:li:(?:share|ugcPost):\d+)", re.IGNORECASE)
# Organization roles that may post as the Page (organization access control by role).
POSTING_ROLES = {"ADMINISTRATOR", "CONTENT_ADMINISTRATOR"}
ACL_PAGE = 100
# Account numbers of an organization: its followers, the `firstDegreeSize` of
# `GET /rest/networkSizes/{org urn}?edgeType=COMPANY_FOLLOWED_BY_MEMBER` (Organization
# Lookup API; that rw_organization_admin, asked already, grants it is unconfirmed), and its
# share statistics of the last whole UTC day (`organizationalEntityShareStatistics` with a
# DAY `timeIntervals`, rw_organization_admin). LinkedIn's `engagement` there is a ratio,
# so the account has no engagement count. A member's follower count
# (`memberFollowersCount`) needs r_member_profileAnalytics, a scope Dravo does not ask.
FOLLOWER_EDGE = "COMPANY_FOLLOWED_BY_MEMBER"
MEMBER_ACCOUNT_METRICS = (
    "LinkedIn gives a member's follower count only with r_member_profileAnalytics (Community Management API), "
    "which Dravo does not ask for; account metrics cover organization Pages."
)


def escape_little_text(text: str) -> str:
    """`text` with LinkedIn's reserved characters escaped, mentions `@[Name](urn:li:…)` kept."""
    parts, last = [], 0
    for match in MENTION.finditer(text):
        parts += [RESERVED.sub(r"\\\1", text[last : match.start()]), match.group(0)]
        last = match.end()
    parts.append(RESERVED.sub(r"\\\1", text[last:]))
    return "".join(parts)


def first_url(text: str) -> str | None:
    match = URL.search(text or "")
    return match.group(0).rstrip(".,;:!?)]}'") if match else None


def snake(key: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", key).lower()


def encoded(urn: str) -> str:
    return quote(urn, safe="")


def last_utc_day(now: datetime | None = None) -> tuple[int, int]:
    """(start, end) in epoch milliseconds of the last whole UTC day before `now`."""
    end = (now or datetime.now(UTC)).replace(hour=0, minute=0, second=0, microsecond=0)
    return int((end - timedelta(days=1)).timestamp() * 1000), int(end.timestamp() * 1000)


class DuplicateContent(Rejected):
    """422 "Content is a duplicate of urn:li:share:…": `urn` is the live post."""

    def __init__(self, message: str, *, urn: str, **kwargs):
        super().__init__(message, **kwargs)
        self.urn = urn


class _PageCard(HTMLParser):
    """Reads og:title/og:description (else <title>/description) of a linked page."""

    def __init__(self):
        super().__init__()
        self.meta: dict[str, str] = {}
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        key = values.get("property") or values.get("name")
        if tag == "meta" and key and values.get("content"):
            self.meta.setdefault(key.lower(), values["content"].strip())
        self._in_title = tag == "title"

    def handle_data(self, data):
        if self._in_title and data.strip():
            self.meta.setdefault("title", data.strip())

    def handle_endtag(self, tag):
        self._in_title = False


class LinkedInClient(ProviderClient):
    name = "linkedin"
    account_credential = "author_urn"
    options_serializer = LinkedInOptions
    # Normalized counts: organization share statistics first, then member post analytics
    # (which have no clicks). `engagement` is a ratio, so it is never summed.
    normalized_metrics = {
        "views": ("share_statistics_impression_count", "impression"),
        "likes": ("share_statistics_like_count", "reaction"),
        "comments": ("share_statistics_comment_count", "comment"),
        "shares": ("share_statistics_share_count", "reshare"),
        "clicks": ("share_statistics_click_count",),
    }
    ratio_metrics = frozenset({"share_statistics_engagement"})
    metric_labels = {
        "share_statistics_impression_count": "Impressions",
        "share_statistics_unique_impressions_count": "Unique impressions",
        "share_statistics_like_count": "Likes",
        "share_statistics_comment_count": "Comments",
        "share_statistics_share_count": "Reposts",
        "share_statistics_click_count": "Clicks",
        "share_statistics_engagement": "Engagement rate",
        "reaction": "Reactions",
        "reshare": "Reposts",
        "first_degree_size": "Followers",
    }
    normalized_account_metrics = {
        "followers": ("first_degree_size",),
        "reach": ("share_statistics_unique_impressions_count",),
    }
    capabilities = CAPABILITIES

    # --- identity ---------------------------------------------------------------------
    @property
    def author_urn(self) -> str:
        return self.credentials.get("author_urn", "")

    @property
    def is_organization(self) -> bool:
        return self.author_urn.startswith("urn:li:organization:")

    def _headers(self) -> dict:
        return {
            "Authorization": f"Bearer {self.access_token}",
            "LinkedIn-Version": self.version,
            "X-Restli-Protocol-Version": "2.0.0",
        }

    def _rest(self, method: str, path: str, headers: dict | None = None, **kwargs):
        headers = {**(headers or {}), **self._headers()}
        return self.call(method, self.url("api_url", path), headers=headers, **kwargs)

    def verify(self) -> Profile:
        """The author of `author_urn`, proven by the token: the member behind it (OIDC
        `/v2/userinfo`), or an organization that member may post for (an approved
        ADMINISTRATOR or CONTENT_ADMINISTRATOR role in the organization ACLs). Without
        `author_urn`, the member. AccountMismatch (author_urn) for another member or an
        organization the member cannot post for; ReconnectRequired/TokenExpired for a
        refused token. Safe to repeat."""
        member = self._rest("GET", "/v2/userinfo").json()
        sub = str(member.get("sub", ""))
        if not self.is_organization:
            self.require_named(f"urn:li:person:{sub}", "the LinkedIn member", "Connect with that member's token.")
            extra = {"author_urn": f"urn:li:person:{sub}", "picture": member.get("picture", "")}
            return Profile(id=sub, handle=member.get("email") or sub, name=member.get("name", ""), extra=extra)
        if self.author_urn not in self.posting_organizations():
            raise AccountMismatch(
                f"The LinkedIn member {sub} is not an approved administrator (or content administrator) of "
                f"{self.author_urn}, so cannot post for it.",
                field="author_urn",
            )
        org_id = self.author_urn.rsplit(":", 1)[1]
        org = self._rest("GET", f"/rest/organizations/{org_id}").json()
        extra = {"author_urn": self.author_urn, "member_id": sub}
        return Profile(id=org_id, handle=org.get("vanityName", org_id), name=org.get("localizedName", ""), extra=extra)

    def posting_organizations(self) -> set[str]:
        """URNs of the organizations the token's member may post for: approved roles in
        POSTING_ROLES, from the member's organization ACLs (first ACL_PAGE entries).
        https://learn.microsoft.com/en-us/linkedin/marketing/community-management/organizations/organization-access-control-by-role"""
        params = {"q": "roleAssignee", "state": "APPROVED", "count": ACL_PAGE}
        body = self._rest("GET", "/rest/organizationAcls", params=params).json()
        return {
            str(element.get("organization") or element.get("organizationalTarget"))
            for element in body.get("elements", [])
            if element.get("role") in POSTING_ROLES and element.get("state", "APPROVED") == "APPROVED"
        }

    def administered_organizations(self) -> list[str]:
        """URNs of the organizations the token's member administers (approved ADMINISTRATOR
        role), so a connect can offer each as an author.
        https://learn.microsoft.com/en-us/linkedin/marketing/community-management/organizations/organization-access-control-by-role"""
        params = {"q": "roleAssignee", "role": "ADMINISTRATOR", "state": "APPROVED"}
        body = self._rest("GET", "/rest/organizationAcls", params=params).json()
        return [str(e["organization"]) for e in body.get("elements", []) if e.get("organization")]

    # --- validation -------------------------------------------------------------------
    def validate(self, content: Content) -> list[Problem]:
        """Problems LinkedIn would have with `content` (text, media mix, metadata, options). No I/O."""
        problems = []
        if len(content.text) > TEXT_LIMIT:
            problems.append(
                Problem(
                    "text",
                    f"LinkedIn posts allow at most 3,000 characters; this one has {len(content.text)}.",
                    "too_long",
                )
            )
        if not content.text.strip() and not content.media:
            problems.append(Problem("text", "A LinkedIn post needs text or media.", "required"))
        problems += self._mix_problems(content.media)
        for index, media in enumerate(content.media):
            problems += [Problem(f"media_urls.{index}", msg, code) for msg, code in self._media_problems(media)]
        return problems + self._option_problems(content)

    def _mix_problems(self, media: tuple[Media, ...]) -> list[Problem]:
        kinds = [m.kind for m in media]
        for single in ("document", "video"):
            if single in kinds and len(kinds) > 1:
                index = kinds.index(single)
                return [
                    Problem(
                        f"media_urls.{index}",
                        f"A LinkedIn {single} post carries exactly one {single} and no other media.",
                        "invalid_combination",
                    )
                ]
        if len(kinds) > MAX_IMAGES:
            return [
                Problem(
                    f"media_urls.{MAX_IMAGES}",
                    f"LinkedIn allows at most {MAX_IMAGES} images in one post (multi-image: 2–20); got {len(kinds)}.",
                    "too_many",
                )
            ]
        return []

    def _media_problems(self, media: Media) -> list[tuple[str, str]]:
        rules = {
            "image": ("image", IMAGE_MIMES, IMAGE_MAX_BYTES, "5 MB"),
            "gif": ("image", IMAGE_MIMES, IMAGE_MAX_BYTES, "5 MB"),
            "video": ("video", VIDEO_MIMES, VIDEO_MAX_BYTES, "500 MB"),
            "document": ("document", DOCUMENT_MIMES, DOCUMENT_MAX_BYTES, "100 MB"),
        }
        label, mimes, max_bytes, max_label = rules[media.kind]
        found, breaches = [], media_breaches(LIMITS.media_for(label), media)
        if FORMAT in breaches:
            found.append(
                (
                    f"LinkedIn does not accept {media.mime_type} as a {label}; allowed: {', '.join(mimes)}.",
                    "unsupported_format",
                )
            )
        if SIZE in breaches:
            found.append(
                (
                    f"A LinkedIn {label} may be at most {max_label}; this one is {media.size_bytes / MB:.1f} MB.",
                    "too_large",
                )
            )
        return found + self._shape_problems(media)

    def _shape_problems(self, media: Media) -> list[tuple[str, str]]:
        found = []
        if media.kind in ("image", "gif") and media.width and media.height:
            if media.width * media.height >= IMAGE_MAX_PIXELS:
                found.append(("A LinkedIn image must have fewer than 36,152,320 pixels.", "too_large"))
        if media.kind == "video" and media.duration_s is not None:
            if not VIDEO_SECONDS[0] <= media.duration_s <= VIDEO_SECONDS[1]:
                found.append(
                    (
                        f"A LinkedIn video must last 3 s to 30 min; this one lasts {media.duration_s:g} s.",
                        "invalid_duration",
                    )
                )
        if media.kind == "video" and media.width and media.height:
            if not VIDEO_ASPECT[0] <= media.width / media.height <= VIDEO_ASPECT[1]:
                found.append(("A LinkedIn video's aspect ratio must be between 1:2.4 and 2.4:1.", "invalid_aspect"))
        pages = media.extra.get("pages")
        if media.kind == "document" and pages is not None and pages > DOCUMENT_MAX_PAGES:
            found.append((f"A LinkedIn document may have at most 300 pages; this one has {pages}.", "too_long"))
        return found

    def _option_problems(self, content: Content) -> list[Problem]:
        options, field = content.options, "platform_options.linkedin."
        found = []
        if options.get("visibility") == "CONNECTIONS" and self.is_organization:
            found.append(
                Problem(
                    field + "visibility",
                    "Visibility CONNECTIONS is only for member authors, not organization pages.",
                    "invalid_choice",
                )
            )
        if "document_title" in options and not any(m.kind == "document" for m in content.media):
            found.append(
                Problem(
                    field + "document_title",
                    "document_title needs a document (PDF) in the media.",
                    "invalid_combination",
                )
            )
        for name in ("link_title", "link_description"):
            if name in options and (content.media or not first_url(content.text)):
                found.append(
                    Problem(
                        field + name,
                        f"{name} overrides the article card, which needs a URL in the text and no media.",
                        "invalid_combination",
                    )
                )
        return found

    # --- publishing -------------------------------------------------------------------
    def publish(self, content: Content, *, checkpoint=None, save_checkpoint=None) -> PublishResult:
        """Publish `content` as the author of the credentials. Uploaded media URNs
        (`media_urns`), the fact that the post was attempted (`post_attempted`) and the post URN
        (`post_urn`) are saved as checkpoints; given one back it resumes: no media is uploaded
        twice, and a 422 duplicate after an ambiguous attempt is adopted as the result.
        Raises the errors of raise_for_response, MediaUnavailable, ProcessingTimeout."""
        state, save = checkpoint_state(checkpoint, save_checkpoint)

        warnings: list[str] = []
        urn = state.get("post_urn")
        if not urn:
            post_content = self._post_content(content, state, save, warnings)
            urn = self._create_post(content, post_content, state, save)
        self._first_comment(urn, content.options.get("first_comment"), state, save, warnings)
        url = self.web_url(f"/feed/update/{urn}/")  # www.linkedin.com, or the sandbox's page
        return PublishResult(platform_post_id=urn, url=url, warnings=warnings, published_at=datetime.now(UTC))

    def reconcile(self, content: Content, checkpoint: dict | None) -> PublishResult | None:
        """The post of a checkpoint that got as far as LinkedIn's answer, else None (a retry
        of an ambiguous attempt finds the live post through the 422 duplicate instead)."""
        urn = (checkpoint or {}).get("post_urn")
        return PublishResult(urn, f"https://www.linkedin.com/feed/update/{urn}/") if urn else None

    def _create_post(self, content: Content, post_content: dict | None, state: dict, save) -> str:
        ambiguous = bool(state.get("post_attempted"))
        save(post_attempted=True)
        body = {
            "author": self.author_urn,
            "commentary": escape_little_text(content.text),
            "visibility": content.options.get("visibility", "PUBLIC"),
            "distribution": {
                "feedDistribution": "MAIN_FEED",
                "targetEntities": [],
                "thirdPartyDistributionChannels": [],
            },
            "lifecycleState": "PUBLISHED",
            "isReshareDisabledByAuthor": False,
        }
        if post_content:
            body["content"] = post_content
        try:
            urn = self._rest("POST", "/rest/posts", json=body).headers.get("x-restli-id")
        except DuplicateContent as exc:
            if not ambiguous:
                raise
            urn = exc.urn  # our earlier, ambiguous attempt is live (README never-double-post hooks)
        if not urn:
            raise ProviderUnavailable("LinkedIn answered 201 without an x-restli-id; a retry will find the post.")
        save.note(post_urn=urn)
        return urn

    def _post_content(self, content: Content, state: dict, save, warnings: list) -> dict | None:
        media = content.media
        if not media:
            return self._article(content, warnings)
        urns = [self._uploaded(index, item, state, save) for index, item in enumerate(media)]
        if media[0].kind == "document":
            return {"media": {"id": urns[0], "title": self._document_title(content)}}
        if media[0].kind == "video":
            return {"media": {"id": urns[0]}}
        images = [{"id": urn, **self._alt(item)} for urn, item in zip(urns, media, strict=True)]
        return {"media": images[0]} if len(images) == 1 else {"multiImage": {"images": images}}

    @staticmethod
    def _alt(media: Media) -> dict:
        return {"altText": media.extra["alt_text"]} if media.extra.get("alt_text") else {}

    @staticmethod
    def _document_title(content: Content) -> str:
        name = urlsplit(content.media[0].url).path.rsplit("/", 1)[-1]
        return content.options.get("document_title") or name or "Document"

    def _article(self, content: Content, warnings: list) -> dict | None:
        url = first_url(content.text)
        if not url or not content.options.get("link_preview", True):
            return None
        title, description = content.options.get("link_title"), content.options.get("link_description")
        if not title:  # LinkedIn does not scrape the page for us (the Posts API takes the card's title as given)
            page = self._page_card(url, warnings)
            title = page.get("og:title") or page.get("title") or url
            description = description or page.get("og:description") or page.get("description")
        article = {"source": url, "title": title}
        if description:
            article["description"] = description
        return {"article": article}

    def _page_card(self, url: str, warnings: list) -> dict:
        try:
            response = http.request("GET", url)
        except ProviderError:
            response = None
        if response is None or response.status_code != 200 or "html" not in response.headers.get("Content-Type", ""):
            warnings.append(f"Could not read the title of {url}; the article card shows the address instead.")
            return {}
        parser = _PageCard()
        parser.feed(response.text[:200_000])
        return parser.meta

    def _uploaded(self, index: int, media: Media, state: dict, save) -> str:
        """The URN of media `index`, uploaded now unless the checkpoint has it; waits until AVAILABLE."""
        resource = RESOURCES[media.kind]
        urn = state.get("media_urns", {}).get(str(index))
        if not urn:
            data = self.download(media)
            urn = self._upload_video(data) if resource == "videos" else self._upload_file(resource, data)
            save.note(media_urns={**state.get("media_urns", {}), str(index): urn})
        self._wait_available(resource, urn)
        return urn

    def _upload_file(self, resource: str, data: bytes) -> str:
        init = {"initializeUploadRequest": {"owner": self.author_urn}}
        value = self._rest("POST", f"/rest/{resource}?action=initializeUpload", json=init).json()["value"]
        self._put(value["uploadUrl"], data)
        return value[resource[:-1]]

    def _upload_video(self, data: bytes) -> str:
        init = {
            "initializeUploadRequest": {
                "owner": self.author_urn,
                "fileSizeBytes": len(data),
                "uploadCaptions": False,
                "uploadThumbnail": False,
            }
        }
        value = self._rest("POST", "/rest/videos?action=initializeUpload", json=init).json()["value"]
        etags = [
            self._put(part["uploadUrl"], data[part["firstByte"] : part["lastByte"] + 1]).headers.get("ETag", "")
            for part in value["uploadInstructions"]
        ]
        finalize = {
            "finalizeUploadRequest": {
                "video": value["video"],
                "uploadToken": value.get("uploadToken", ""),
                "uploadedPartIds": etags,
            }
        }
        self._rest("POST", "/rest/videos?action=finalizeUpload", json=finalize)
        return value["video"]

    def _put(self, upload_url: str, data: bytes):
        headers = {"Authorization": f"Bearer {self.access_token}", "Content-Type": "application/octet-stream"}
        return self.call("PUT", upload_url, headers=headers, data=data)

    def _wait_available(self, resource: str, urn: str) -> None:
        def check():
            status = self._asset_status(resource, urn)
            if status == "PROCESSING_FAILED":
                raise MediaUnavailable(f"LinkedIn could not process {urn} (PROCESSING_FAILED).")
            return status if status == "AVAILABLE" else None

        self.poll(check, what=f"LinkedIn {resource[:-1]} {urn}")

    def _asset_status(self, resource: str, urn: str) -> str:
        try:
            return self._rest("GET", f"/rest/{resource}/{encoded(urn)}").json().get("status", "")
        except ReconnectRequired as exc:
            if resource == "images" and exc.status == 403:
                return "AVAILABLE"  # member tokens may not read image status (Images API)
            raise

    def _first_comment(self, urn: str, text: str | None, state: dict, save, warnings: list) -> None:
        """Comment on the new post; any failure becomes a warning, never an exception."""
        if not text or state.get("first_comment_urn"):
            return
        body = {"actor": self.author_urn, "object": urn, "message": {"text": text}}
        try:
            response = self._rest("POST", f"/rest/socialActions/{encoded(urn)}/comments", json=body)
        except ProviderError as exc:
            warnings.append(f"The post is live but its first comment failed: {exc.message}")
            return
        save(first_comment_urn=response.headers.get("x-restli-id") or "posted")

    # --- tokens -----------------------------------------------------------------------
    def refresh(self) -> RefreshResult:
        """A new 60-day access token from the refresh token (approved apps only; the refresh
        token itself is not extended). ReconnectRequired without a refresh token or on a refused
        grant; ProviderUnavailable/RateLimited when LinkedIn could not answer. Safe to repeat."""
        refresh_token = self.credentials.get("refresh_token")
        if not refresh_token:
            raise ReconnectRequired("LinkedIn gave this app no refresh token; the member must reconnect.")
        form = {
            "grant_type": "refresh_token",
            "refresh_token": refresh_token,
            "client_id": self.app["client_id"],
            "client_secret": self.app["client_secret"],
        }
        try:
            url = self.url("oauth_url", "/oauth/v2/accessToken")
            response = self.call("POST", url, data=form)
        except Rejected as exc:  # any other definite 4xx refusal of the grant
            raise ReconnectRequired(f"LinkedIn refused the refresh: {exc.message}", status=exc.status) from exc
        body = http.json_or_empty(response)
        if not body.get("access_token"):
            raise ProviderUnavailable("LinkedIn's token endpoint answered without an access_token.")
        credentials = {**self.credentials, "access_token": body["access_token"]}
        if body.get("refresh_token"):
            credentials["refresh_token"] = body["refresh_token"]
        expires_in = body.get("expires_in")
        expires_at = datetime.now(UTC) + timedelta(seconds=int(expires_in)) if expires_in else None
        return RefreshResult(credentials=credentials, expires_at=expires_at)

    # --- metrics ----------------------------------------------------------------------
    def fetch_metrics(self, platform_post_id: str) -> MetricsResult:
        """Organization posts: lifetime share statistics as `share_statistics_<snake key>`.
        Member posts: `memberCreatorPostAnalytics` totals, one key per metric type
        (`impression`, `members_reached`, `reshare`, `reaction`, `comment`). Safe to repeat."""
        if self.is_organization:
            return self._share_statistics(platform_post_id)
        return self._member_analytics(platform_post_id)

    def _share_statistics(self, urn: str) -> MetricsResult:
        # https://learn.microsoft.com/en-us/linkedin/marketing/community-management/organizations/share-statistics
        kind = "ugcPosts" if ":ugcPost:" in urn else "shares"
        query = f"q=organizationalEntity&organizationalEntity={encoded(self.author_urn)}&{kind}=List({encoded(urn)})"
        elements = self._rest("GET", f"/rest/organizationalEntityShareStatistics?{query}").json().get("elements") or []
        stats = next(
            (e.get("totalShareStatistics") for e in elements if urn in (e.get("share"), e.get("ugcPost"))), None
        )
        if stats is None:
            return MetricsResult(
                {},
                [f"LinkedIn has no share statistics for {urn} (organic posts of the last 12 months only)."],
                partial=True,
            )
        metrics = {
            f"share_statistics_{snake(key)}": value
            for key, value in stats.items()
            if isinstance(value, int | float) and not isinstance(value, bool)
        }
        return MetricsResult(metrics)

    def _member_analytics(self, urn: str) -> MetricsResult:
        # https://learn.microsoft.com/en-us/linkedin/marketing/community-management/members/post-statistics
        entity = f"({'ugc' if ':ugcPost:' in urn else 'share'}:{encoded(urn)})"
        metrics, warnings = {}, []
        for query_type in MEMBER_METRICS:
            path = f"/rest/memberCreatorPostAnalytics?q=entity&entity={entity}&queryType={query_type}&aggregation=TOTAL"
            try:
                elements = self._rest("GET", path).json().get("elements") or []
            except Rejected as exc:
                warnings.append(f"LinkedIn did not give {query_type} for {urn}: {exc.message}")
                continue
            metrics[query_type.lower()] = sum(int(e.get("count") or 0) for e in elements)
        return MetricsResult(metrics, warnings, partial=bool(warnings))

    def fetch_account_metrics(self) -> dict[str, int | float]:
        """An organization's `first_degree_size` (its followers, from `networkSizes`) and its
        share statistics of the last whole UTC day as `share_statistics_<snake key>`
        (impressions, unique impressions, clicks, likes, comments, shares, and the
        `engagement` ratio), left out when LinkedIn has none for that day. A member
        account raises MetricsUnsupported (see MEMBER_ACCOUNT_METRICS) without a call.
        Otherwise the typed errors. No writes; safe to repeat."""
        if not self.is_organization:
            raise MetricsUnsupported(MEMBER_ACCOUNT_METRICS)
        # https://learn.microsoft.com/en-us/linkedin/marketing/community-management/organizations/organization-lookup-api
        path = f"/rest/networkSizes/{encoded(self.author_urn)}?edgeType={FOLLOWER_EDGE}"
        metrics = {"first_degree_size": int(self._rest("GET", path).json().get("firstDegreeSize") or 0)}
        # https://learn.microsoft.com/en-us/linkedin/marketing/community-management/organizations/share-statistics
        start, end = last_utc_day()
        intervals = f"(timeRange:(start:{start},end:{end}),timeGranularityType:DAY)"
        query = f"q=organizationalEntity&organizationalEntity={encoded(self.author_urn)}&timeIntervals={intervals}"
        elements = self._rest("GET", f"/rest/organizationalEntityShareStatistics?{query}").json().get("elements") or []
        days = sorted(elements, key=lambda element: (element.get("timeRange") or {}).get("start") or 0)
        stats = (days[-1].get("totalShareStatistics") or {}) if days else {}
        metrics.update(
            {
                f"share_statistics_{snake(key)}": value
                for key, value in stats.items()
                if isinstance(value, int | float) and not isinstance(value, bool)
            }
        )
        return metrics

    # --- errors -----------------------------------------------------------------------
    def raise_for_response(self, response) -> None:
        """Map a LinkedIn error answer to a typed error (README mapping table). Never
        includes the token in a message."""
        status = response.status_code
        if status < 400:
            return
        body = http.json_or_empty(response)
        message = str(body.get("message") or body.get("error_description") or body.get("error") or f"HTTP {status}")
        info = {"status": status, "raw": body}
        # https://learn.microsoft.com/en-us/linkedin/shared/api-guide/concepts/rate-limits
        if status == 429:  # daily quotas, reset at 00:00 UTC, usually without Retry-After
            raise RateLimited(f"LinkedIn rate limit: {message}", retry_after=self._retry_after(response), **info)
        # https://learn.microsoft.com/en-us/linkedin/shared/api-guide/concepts/error-handling
        if status >= 500 or "Unable to obtain activity" in message:
            raise ProviderUnavailable(f"LinkedIn is unavailable: {message}", **info)
        # https://learn.microsoft.com/en-us/linkedin/shared/authentication/programmatic-refresh-tokens
        if isinstance(body.get("error"), str):  # token endpoint: invalid_grant, revoked or expired refresh token
            raise ReconnectRequired(f"LinkedIn refused the grant: {message}", **info)
        if status == 401:
            raise self._token_error(body, message, info)
        # https://learn.microsoft.com/en-us/linkedin/shared/api-guide/concepts/error-handling (403 ACCESS_DENIED)
        if status == 403 and (body.get("code") == "ACCESS_DENIED" or "Not enough permissions" in message):
            raise ReconnectRequired(f"LinkedIn denied access (scope or page role missing): {message}", **info)
        # https://learn.microsoft.com/en-us/linkedin/marketing/versioning (a sunset LinkedIn-Version)
        if status == 426:
            raise ProviderError(f"LinkedIn-Version {self.version} is no longer served: {message}", **info)
        duplicate = DUPLICATE.search(message)
        # https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/posts-api (422 duplicate)
        if status == 422 and duplicate:  # the named URN is the live post
            raise DuplicateContent(f"LinkedIn refused a duplicate: {message}", urn=duplicate.group(1), **info)
        raise Rejected(f"LinkedIn refused the request: {message}", **info)

    def _token_error(self, body: dict, message: str, info: dict) -> ProviderError:
        # https://learn.microsoft.com/en-us/linkedin/shared/authentication/authorization-code-flow
        # 65602 EXPIRED_ACCESS_TOKEN; 65601 REVOKED_ACCESS_TOKEN; 65600 invalid access token
        expired = body.get("code") == "EXPIRED_ACCESS_TOKEN" or body.get("serviceErrorCode") == 65602
        if expired and self.credentials.get("refresh_token"):
            return TokenExpired(f"LinkedIn token expired: {message}", **info)
        if expired:
            return ReconnectRequired(f"LinkedIn token expired and there is no refresh token: {message}", **info)
        return ReconnectRequired(f"LinkedIn refused the token: {message}", **info)

    @staticmethod
    def _retry_after(response) -> float:
        if response.headers.get("Retry-After"):
            return http.retry_after_seconds(response.headers["Retry-After"])
        now = datetime.now(UTC)
        midnight = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
        return (midnight - now).total_seconds()
