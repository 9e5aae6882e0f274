"""LinkedIn sandbox: the Posts API subset Dravo's client uses (versioned REST with Rest.li
2.0 headers, image/video/document uploads that walk PROCESSING → AVAILABLE, posts answered
201 + `x-restli-id`, 422 duplicates naming the live URN, first comments, share statistics
and member post analytics) and the OAuth consent and token endpoints. Mounted at
/sandbox/linkedin/ in place of api.linkedin.com and www.linkedin.com, whose post path
`/feed/update/{urn}/` answers the sandbox's page of the post.
"""

import hashlib
import json
import re
import secrets
import time
from datetime import UTC, datetime
from functools import wraps

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.urls import path

from dravo.ids import BASE62, random_base62
from sandbox import oauth
from sandbox.core import (
    REJECT_REASON,
    PageMedia,
    account_metrics,
    bearer_token,
    claimed_account,
    first_attempt,
    grown_metrics,
    is_refused_token,
    numeric_id,
    post_page,
    record_create,
    record_get,
    sandbox_view,
    text_taken,
    token_binding,
)

NETWORK = "linkedin"
SANDBOX_ORGANIZATION = "urn:li:organization:5515"  # every sandbox member administers it
OLDEST_VERSION = "202512"  # 202511 sunset on 2026-11-16
CHUNK = 4 * 1024 * 1024
ACCESS_TTL = 60 * 24 * 3600
REFRESH_TTL = 365 * 24 * 3600
ASSET_PREFIX = {"image": "D4E10AQ", "video": "D5610AQ", "document": "D4D10AQ"}
SHARE_RATES = {
    "impressionCount": 40,
    "uniqueImpressionsCount": 30,
    "clickCount": 4,
    "likeCount": 3,
    "commentCount": 1,
    "shareCount": 1,
}
# An organization's own numbers: its followers and its share statistics by day.
FOLLOWER_RATES = {"followers": 3200}
DAY_SHARE_RATES = {
    "impressionCount": 900,
    "uniqueImpressionsCount": 610,
    "clickCount": 30,
    "likeCount": 42,
    "commentCount": 6,
    "shareCount": 4,
}
DAY_MS = 86_400_000
TIME_INTERVALS = re.compile(r"\(timeRange:\(start:(\d+),end:(\d+)\),timeGranularityType:(DAY|MONTH)\)")
MEMBER_RATES = {"IMPRESSION": 40, "MEMBERS_REACHED": 30, "RESHARE": 1, "REACTION": 3, "COMMENT": 1}
LITTLE_TEXT = re.compile(r"\\(.)|@\[([^\]]*)\]\(urn:li:[a-zA-Z]+:[^)]+\)|([\\|{}@\[\]()<>#*_~])|(.)", re.S)


# --- answers ------------------------------------------------------------------------
def error(status: int, message: str, *, code: str = "", service: int = 0, headers: dict | None = None):
    """LinkedIn's REST error body: {"status", "serviceErrorCode", "code", "message"}."""
    body = {"status": status, "message": message}
    if code:
        body["code"] = code
    if service:
        body["serviceErrorCode"] = service
    response = JsonResponse(body, status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def oauth_error(status: int, code: str, description: str):
    return JsonResponse({"error": code, "error_description": description}, status=status)


def invalid_token():
    return error(401, "Invalid access token", code="INVALID_ACCESS_TOKEN", service=65600)


def expired_token():
    return error(401, "The token used in the request has expired", code="EXPIRED_ACCESS_TOKEN", service=65602)


def access_denied(what: str):
    return error(403, f"Not enough permissions to access: {what}", code="ACCESS_DENIED", service=100)


def not_found(what: str):
    return error(404, f"Not found: {what}", code="NOT_FOUND")


def unprocessable(message: str):
    return error(422, message, code="UNPROCESSABLE_ENTITY")


def body_of(request) -> dict:
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


# --- identities ---------------------------------------------------------------------
def opaque(length: int = 22) -> str:
    return random_base62(length)


def member_id(token: str) -> str:
    """The member a token belongs to: stored for tokens the sandbox issued, else derived."""
    record = record_get(NETWORK, "token", token)
    if record:
        return record.owner
    number = int(hashlib.sha256(token.encode()).hexdigest(), 16)
    return "".join(BASE62[(number >> (6 * i)) % 62] for i in range(10))


def bind_author(request) -> None:
    """Take a token the sandbox never saw as one of the author a connect's verify() names:
    that member, or a member who administers that organization. A member's token (issued
    or bound) also administers each organization later named with it."""
    claimed = claimed_account(request)
    if not claimed or not claimed.startswith(("urn:li:person:", "urn:li:organization:")):
        return
    if claimed.startswith("urn:li:person:"):
        token_binding(NETWORK, request.token, request, owner=claimed.rsplit(":", 1)[1])
        return
    record = token_binding(NETWORK, request.token, request, owner=member_id(request.token), organizations=[claimed])
    organizations = record.data.get("organizations", []) if record else [claimed]
    if claimed not in organizations:
        record.data["organizations"] = [*organizations, claimed]
        record.save(update_fields=["data", "updated_at"])


def administered(token: str) -> list[str]:
    """The organizations the token's member administers: the sandbox's own, and those named with it at connect."""
    record = record_get(NETWORK, "token", token)
    return [SANDBOX_ORGANIZATION, *(record.data.get("organizations", []) if record else [])]


def may_act_as(token: str, author: str) -> bool:
    """A member posts as themselves; the sandbox member administers every organization."""
    if author.startswith("urn:li:organization:"):
        return author.rsplit(":", 1)[1].isdigit()
    return author == f"urn:li:person:{member_id(token)}"


def rest(versioned: bool = True):
    """Wrap a view: sandbox behaviour, bearer token (401 if refused) and, for /rest/ calls,
    the mandatory LinkedIn-Version and X-Restli-Protocol-Version headers."""

    def decorate(view):
        @sandbox_view
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            request.token = bearer_token(request)
            if is_refused_token(request.token):
                return invalid_token()
            version = request.headers.get("LinkedIn-Version", "")
            if versioned and not version:
                return error(
                    400,
                    "A version must be present. Please specify a version by adding the LinkedIn-Version header.",
                    code="VERSION_MISSING",
                )
            if versioned and (not re.fullmatch(r"\d{6}", version) or version < OLDEST_VERSION):
                return error(426, f"Requested version {version} is not active", code="NONEXISTENT_VERSION")
            if versioned and request.headers.get("X-Restli-Protocol-Version") != "2.0.0":
                return error(400, "X-Restli-Protocol-Version 2.0.0 is required", code="ILLEGAL_ARGUMENT")
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


def publish_refusal(request, text: str):
    """The account behaviour's answer to a publish (None: go ahead)."""
    behavior = request.sandbox.name
    if behavior == "token_expired":
        return expired_token()
    if behavior == "rejects":
        return unprocessable(REJECT_REASON)
    if behavior in ("rate_limited", "flaky") and first_attempt(NETWORK, request.token, text):
        if behavior == "flaky":
            return error(503, "Service Unavailable", code="SERVICE_UNAVAILABLE")
        return error(
            429,
            "Resource level throttle APPLICATION DAY limit for calls to this resource is reached.",
            code="TOO_MANY_REQUESTS",
            service=101,
            headers={"Retry-After": "1"},
        )
    return None


# --- identity -----------------------------------------------------------------------
@rest(versioned=False)
def userinfo(request):
    bind_author(request)
    sub = member_id(request.token)
    return JsonResponse(
        {
            "sub": sub,
            "name": f"Sandbox Member {sub[:4]}",
            "given_name": "Sandbox",
            "family_name": f"Member {sub[:4]}",
            "picture": "",
            "locale": {"country": "US", "language": "en"},
            "email": f"{sub.lower()}@sandbox.invalid",
            "email_verified": True,
        }
    )


@rest()
def organization(request, org_id: str):
    if not org_id.isdigit():
        return not_found(f"organization {org_id}")
    return JsonResponse(
        {"id": int(org_id), "localizedName": f"Sandbox Organization {org_id}", "vanityName": f"sandbox-org-{org_id}"}
    )


@rest()
def organization_acls(request):
    """`GET /rest/organizationAcls?q=roleAssignee`: the member administers the sandbox's
    organization and each one named with the token at connect (approved ADMINISTRATOR)."""
    if request.GET.get("q") != "roleAssignee":
        return JsonResponse({"status": 400, "message": "Invalid query parameter q"}, status=400)
    bind_author(request)
    member = f"urn:li:person:{member_id(request.token)}"
    elements = [
        {"roleAssignee": member, "state": "APPROVED", "role": "ADMINISTRATOR", "organization": urn}
        for urn in administered(request.token)
    ]
    elements = [e for e in elements if request.GET.get("role", e["role"]) == e["role"]]
    elements = [e for e in elements if request.GET.get("state", e["state"]) == e["state"]]
    paging = {"count": len(elements), "start": 0, "links": []}
    return JsonResponse({"paging": paging, "elements": elements})


# --- uploads ------------------------------------------------------------------------
def initialize(request, kind: str):
    """`POST /rest/{images|documents|videos}?action=initializeUpload`: a new asset WAITING_UPLOAD."""
    if request.sandbox.name == "token_expired":
        return expired_token()
    init = body_of(request).get("initializeUploadRequest") or {}
    owner = str(init.get("owner", ""))
    if not may_act_as(request.token, owner):
        return access_denied(f"{kind}s.initializeUpload for owner {owner}")
    asset = ASSET_PREFIX[kind] + opaque()
    urn, upload = f"urn:li:{kind}:{asset}", f"{settings.SANDBOX_URL}/sandbox/linkedin/dms-uploads/{kind}/{asset}"
    value = {"uploadUrlExpiresAt": int(time.time() * 1000) + 86_400_000}
    if kind != "video":
        record_create(NETWORK, "asset", urn, owner=owner, status="WAITING_UPLOAD", type=kind)
        return JsonResponse({"value": {**value, "uploadUrl": upload, kind: urn}})
    size = init.get("fileSizeBytes")
    if not isinstance(size, int) or size <= 0:
        return error(400, "/initializeUploadRequest/fileSizeBytes is required", code="ILLEGAL_ARGUMENT")
    parts = [[first, min(first + CHUNK, size) - 1] for first in range(0, size, CHUNK)]
    record_create(NETWORK, "asset", urn, owner=owner, status="WAITING_UPLOAD", type=kind, parts=parts, etags={})
    instructions = [{"uploadUrl": f"{upload}/{i}", "firstByte": a, "lastByte": b} for i, (a, b) in enumerate(parts)]
    return JsonResponse({"value": {**value, "video": urn, "uploadToken": "", "uploadInstructions": instructions}})


@rest()
def images(request):
    if request.method != "POST" or request.GET.get("action") != "initializeUpload":
        return error(400, "Unsupported action", code="ILLEGAL_ARGUMENT")
    return initialize(request, "image")


@rest()
def documents(request):
    if request.method != "POST" or request.GET.get("action") != "initializeUpload":
        return error(400, "Unsupported action", code="ILLEGAL_ARGUMENT")
    return initialize(request, "document")


@rest()
def videos(request):
    action = request.GET.get("action")
    if request.method == "POST" and action == "initializeUpload":
        return initialize(request, "video")
    if request.method == "POST" and action == "finalizeUpload":
        return finalize(request)
    return error(400, "Unsupported action", code="ILLEGAL_ARGUMENT")


def finalize(request):
    """All parts uploaded and their ETags given back in order → PROCESSING."""
    final = body_of(request).get("finalizeUploadRequest") or {}
    record = record_get(NETWORK, "asset", str(final.get("video", "")))
    if record is None:
        return not_found(f"video {final.get('video')}")
    expected = [record.data["etags"].get(str(i)) for i in range(len(record.data["parts"]))]
    if final.get("uploadedPartIds") != expected:
        return error(400, "uploadedPartIds do not match the uploaded parts", code="ILLEGAL_ARGUMENT")
    record.status = "PROCESSING"
    record.save(update_fields=["status", "updated_at"])
    return HttpResponse(status=200, content_type="application/json")


@rest(versioned=False)
def dms_upload(request, kind: str, asset: str, part: int | None = None):
    """`PUT` of the bytes to an uploadUrl (a video part answers its ETag)."""
    record = record_get(NETWORK, "asset", f"urn:li:{kind}:{asset}")
    if request.method != "PUT" or record is None:
        return not_found("upload")
    if not request.body:
        return error(400, "Empty upload", code="ILLEGAL_ARGUMENT")
    if part is None:
        record.status, record.data["size"] = "PROCESSING", len(request.body)
        record.save(update_fields=["status", "data", "updated_at"])
        return HttpResponse(status=201)
    if part >= len(record.data.get("parts", [])):
        return not_found("upload part")
    first, last = record.data["parts"][part]
    if len(request.body) != last - first + 1:
        return error(400, f"Part {part} must be bytes {first}-{last}", code="ILLEGAL_ARGUMENT")
    etag = hashlib.md5(request.body).hexdigest()
    record.data["etags"][str(part)] = etag
    record.save(update_fields=["data", "updated_at"])
    response = HttpResponse(status=200)
    response["ETag"] = etag
    return response


@rest()
def asset_status(request, kind: str, urn: str):
    """`GET /rest/{images|videos|documents}/{urn}`: the first read after upload answers
    PROCESSING, later ones AVAILABLE."""
    record = record_get(NETWORK, "asset", urn)
    if record is None or record.data.get("type") != kind:
        return not_found(urn)
    shown = record.status
    if record.status == "PROCESSING":
        record.status = "AVAILABLE"
        record.save(update_fields=["status", "updated_at"])
    return JsonResponse({"id": urn, "owner": record.owner, "status": shown})


# --- posts --------------------------------------------------------------------------
def displayed(commentary: str) -> str:
    """What LinkedIn shows for little text: escapes resolved, mentions as their name, and
    the text cut at the first unescaped reserved character."""
    shown = []
    for match in LITTLE_TEXT.finditer(commentary):
        escaped, mention, reserved, plain = match.groups()
        if reserved is not None:
            break
        shown.append(escaped or mention or plain or "")
    return "".join(shown)


def asset_problem(urn: str, kinds: tuple[str, ...]):
    record = record_get(NETWORK, "asset", urn)
    if record is None or record.data.get("type") not in kinds:
        return unprocessable(f"/content/media/id :: {urn} does not exist")
    if record.status != "AVAILABLE":
        return unprocessable(f"/content/media/id :: {urn} is {record.status}, not AVAILABLE")
    return None


def content_problem(content):
    if not isinstance(content, dict) or len(content) != 1:
        return unprocessable("/content :: exactly one of article, media, multiImage is required")
    if "article" in content:
        article = content["article"]
        if not article.get("source") or not article.get("title"):
            return unprocessable("/content/article :: source and title are required")
        return None
    if "media" in content:
        return asset_problem(str(content["media"].get("id", "")), ("image", "video", "document"))
    images = (content.get("multiImage") or {}).get("images") or []
    if not 2 <= len(images) <= 20:
        return unprocessable("/content/multiImage/images :: a multiImage post needs 2 to 20 images")
    return next(filter(None, (asset_problem(str(i.get("id", "")), ("image",)) for i in images)), None)


def post_problem(request, body: dict):
    author, commentary = str(body.get("author", "")), body.get("commentary", "")
    if not may_act_as(request.token, author):
        return access_denied(f"partnerApiPostsExternal.CREATE for author {author}")
    if body.get("lifecycleState") not in ("PUBLISHED", "DRAFT"):
        return unprocessable("/lifecycleState :: must be PUBLISHED or DRAFT")
    visibility = body.get("visibility")
    if visibility not in ("PUBLIC", "CONNECTIONS", "LOGGED_IN"):
        return unprocessable("/visibility :: must be PUBLIC, CONNECTIONS or LOGGED_IN")
    if visibility == "CONNECTIONS" and author.startswith("urn:li:organization:"):
        return unprocessable("/visibility :: CONNECTIONS is only allowed for member authors")
    if not isinstance(body.get("distribution"), dict):
        return unprocessable("/distribution :: field is required")
    if not isinstance(commentary, str) or len(commentary) > 3000:
        return unprocessable("/commentary :: text must be at most 3000 characters")
    if "content" in body:
        return content_problem(body["content"])
    return None if commentary else unprocessable("/commentary :: a post without content needs commentary")


@rest()
def posts(request):
    """`POST /rest/posts` → 201, empty body, `x-restli-id`; 422 names the live duplicate."""
    if request.method != "POST":
        return error(405, "Method not allowed", code="METHOD_NOT_ALLOWED")
    body = body_of(request)
    commentary = body.get("commentary", "")
    refusal = publish_refusal(request, str(commentary)) or post_problem(request, body)
    if refusal:
        return refusal
    taken = commentary and text_taken(NETWORK, body["author"], commentary)
    if taken:
        return unprocessable(f"Content is a duplicate of {taken.object_id}")
    media_id = str((body.get("content") or {}).get("media", {}).get("id", ""))
    kind = "ugcPost" if media_id.startswith(("urn:li:video:", "urn:li:document:")) else "share"
    urn = f"urn:li:{kind}:{numeric_id(19)}"
    record_create(
        NETWORK,
        "post",
        urn,
        owner=body["author"],
        text=commentary,
        displayed=displayed(commentary),
        content=body.get("content"),
        visibility=body["visibility"],
    )
    response = HttpResponse(status=201, content_type="application/json")
    response["x-restli-id"] = urn
    return response


@rest()
def comments(request, urn: str):
    """`POST /rest/socialActions/{urn}/comments` → 201 with the comment and its URN."""
    if request.sandbox.name == "token_expired":
        return expired_token()
    post = record_get(NETWORK, "post", urn)
    if request.method != "POST" or post is None:
        return not_found(urn)
    body = body_of(request)
    actor, text = str(body.get("actor", "")), str((body.get("message") or {}).get("text", ""))
    if not may_act_as(request.token, actor):
        return access_denied(f"comments.CREATE for actor {actor}")
    if not 1 <= len(text) <= 1250 or body.get("object") != urn:
        return unprocessable("/message/text :: 1 to 1250 characters on the post given as /object")
    comment_urn = f"urn:li:comment:({urn},{numeric_id(19)})"
    record_create(NETWORK, "comment", comment_urn, owner=actor, post=urn, text=text)
    response = JsonResponse({"actor": actor, "object": urn, "message": {"text": text}, "$URN": comment_urn}, status=201)
    response["x-restli-id"] = comment_urn
    return response


# --- statistics ---------------------------------------------------------------------
def restli_list(value: str) -> list[str]:
    match = re.fullmatch(r"List\((.*)\)", value or "")
    return [item for item in match.group(1).split(",") if item] if match else []


@rest()
def share_statistics(request):
    """Lifetime `totalShareStatistics` of the organization's listed shares/ugcPosts."""
    org = request.GET.get("organizationalEntity", "")
    if request.GET.get("q") != "organizationalEntity" or not may_act_as(request.token, org):
        return error(400, "q=organizationalEntity with an organization URN is required", code="ILLEGAL_ARGUMENT")
    if "timeIntervals" in request.GET:
        return daily_statistics(request, org)
    elements = []
    for field, param in (("share", "shares"), ("ugcPost", "ugcPosts")):
        for urn in restli_list(request.GET.get(param, "")):
            record = record_get(NETWORK, "post", urn)
            if record and record.owner == org:
                elements.append({"totalShareStatistics": totals(record), field: urn, "organizationalEntity": org})
    return JsonResponse({"elements": elements, "paging": {"count": 10, "start": 0, "links": []}})


def daily_statistics(request, org: str):
    """The organization's own share statistics, one element per DAY of `timeIntervals`
    (`(timeRange:(start:ms,end:ms),timeGranularityType:DAY)`), deterministic for each day."""
    match = TIME_INTERVALS.fullmatch(request.GET.get("timeIntervals", ""))
    start, end = (int(match.group(1)), int(match.group(2))) if match else (0, 0)
    if not match or match.group(3) != "DAY" or not 0 < end - start <= 366 * DAY_MS:
        message = "timeIntervals must be (timeRange:(start:…,end:…),timeGranularityType:DAY) of at most a year"
        return error(400, message, code="ILLEGAL_ARGUMENT")
    elements = []
    for day_start in range(start, end, DAY_MS):
        day = datetime.fromtimestamp(day_start / 1000, UTC).date()
        stats = account_metrics(org, DAY_SHARE_RATES, day=day)
        engaged = stats["clickCount"] + stats["likeCount"] + stats["commentCount"] + stats["shareCount"]
        stats["engagement"] = round(engaged / stats["impressionCount"], 4) if stats["impressionCount"] else 0.0
        time_range = {"start": day_start, "end": day_start + DAY_MS}
        elements.append({"timeRange": time_range, "totalShareStatistics": stats, "organizationalEntity": org})
    return JsonResponse({"elements": elements, "paging": {"count": 10, "start": 0, "links": []}})


@rest()
def network_sizes(request, urn: str):
    """`GET /rest/networkSizes/{org urn}?edgeType=COMPANY_FOLLOWED_BY_MEMBER`: the organization's followers."""
    if not urn.startswith("urn:li:organization:") or not may_act_as(request.token, urn):
        return not_found(f"networkSizes {urn}")
    if request.GET.get("edgeType") != "COMPANY_FOLLOWED_BY_MEMBER":
        return error(400, "edgeType must be COMPANY_FOLLOWED_BY_MEMBER for an organization", code="ILLEGAL_ARGUMENT")
    return JsonResponse({"firstDegreeSize": account_metrics(urn, FOLLOWER_RATES)["followers"]})


def totals(record) -> dict:
    stats = grown_metrics(record, SHARE_RATES)
    engaged = stats["clickCount"] + stats["likeCount"] + stats["commentCount"] + stats["shareCount"]
    return {**stats, "engagement": round(engaged / stats["impressionCount"], 4) if stats["impressionCount"] else 0.0}


@rest()
def member_analytics(request):
    """`memberCreatorPostAnalytics?q=entity&entity=(share:…)&queryType=…&aggregation=TOTAL`."""
    match = re.fullmatch(r"\((share|ugc):(urn:li:(?:share|ugcPost):\d+)\)", request.GET.get("entity", ""))
    query_type = request.GET.get("queryType", "")
    if request.GET.get("q") != "entity" or not match or query_type not in MEMBER_RATES:
        return error(400, "q=entity, entity=(share:…) and a known queryType are required", code="ILLEGAL_ARGUMENT")
    record = record_get(NETWORK, "post", match.group(2))
    if record is None:
        return not_found(match.group(2))
    if record.owner != f"urn:li:person:{member_id(request.token)}":
        return access_denied("memberCreatorPostAnalytics of another member's post")
    count = grown_metrics(record, {query_type: MEMBER_RATES[query_type]})[query_type]
    target = {"share" if match.group(1) == "share" else "ugcPost": match.group(2)}
    return JsonResponse({"elements": [{"count": count, "metricType": query_type, "targetEntity": target}]})


# --- the public website: the page of a post ---------------------------------------------
def page_media(content: dict | None) -> list[PageMedia]:
    """Uploaded images, videos and documents (bytes, so no URL) and an article's link."""
    content = content or {}
    if "article" in content:
        return [PageMedia("link", content["article"].get("source", ""))]
    ids = [item.get("id", "") for item in (content.get("multiImage") or {}).get("images", [])]
    ids += [content["media"].get("id", "")] if "media" in content else []
    return [PageMedia(urn.split(":")[2] if urn.count(":") >= 3 else "media") for urn in ids]


@sandbox_view
def post_page_view(request, urn: str):
    """www.linkedin.com/feed/update/{urn}/: the post as LinkedIn shows its little text."""
    record = record_get(NETWORK, "post", urn)
    return post_page(
        request,
        network="LinkedIn",
        record=record,
        author=record.owner if record else "",
        media=page_media(record.data.get("content")) if record else (),
        text=record.data.get("displayed") if record else None,
    )


# --- OAuth --------------------------------------------------------------------------
@sandbox_view
def authorization(request):
    """GET: the consent page. POST: back to redirect_uri with `code`+`state`, or `error=access_denied`."""
    params = request.POST if request.method == "POST" else request.GET
    client_id, redirect_uri, state = params.get("client_id"), params.get("redirect_uri", ""), params.get("state", "")
    if client_id != settings.SANDBOX_APP["client_id"] or not redirect_uri.startswith(("http://", "https://")):
        return HttpResponse("The client_id or redirect_uri is invalid.", status=400, content_type="text/plain")
    if request.method == "GET":
        if params.get("response_type") != "code":
            return HttpResponse("response_type must be code.", status=400, content_type="text/plain")
        return oauth.consent_page(
            request,
            network="LinkedIn",
            params=params,
            client_id=client_id,
            scopes=params.get("scope", "").split(),
            keep=("client_id", "redirect_uri", "state", "scope"),
        )
    denied = {"error_description": "The member refused"}
    scope = params.get("scope", "")
    return oauth.consent_decision(
        NETWORK, params, redirect_uri=redirect_uri, state=state, owner=opaque(10), denied=denied, scope=scope
    )


def issue_tokens(member: str, scope: str, refresh_token: str | None = None, refresh_ttl: int = REFRESH_TTL):
    access = f"sbx_{secrets.token_urlsafe(32)}"
    record_create(NETWORK, "token", access, owner=member)
    if refresh_token is None:
        refresh_token = f"sbx_{secrets.token_urlsafe(32)}"
        record_create(NETWORK, "refresh_token", refresh_token, owner=member, scope=scope)
    return JsonResponse(
        {
            "access_token": access,
            "expires_in": ACCESS_TTL,
            "refresh_token": refresh_token,
            "refresh_token_expires_in": refresh_ttl,
            "scope": scope,
        }
    )


@sandbox_view
def access_token(request):
    """`POST /oauth/v2/accessToken` (form): authorization_code or refresh_token grants."""
    form = request.POST
    app = settings.SANDBOX_APP
    if form.get("client_id") != app["client_id"] or form.get("client_secret") != app["client_secret"]:
        return oauth_error(401, "invalid_client", "Client authentication failed")
    if form.get("grant_type") == "authorization_code":
        return code_grant(form)
    if form.get("grant_type") == "refresh_token":
        return refresh_grant(request, form.get("refresh_token", ""))
    return oauth_error(400, "unsupported_grant_type", "grant_type must be authorization_code or refresh_token")


def code_grant(form):
    record = record_get(NETWORK, "code", form.get("code", ""))
    if record is None or record.status == "used" or record.data["redirect_uri"] != form.get("redirect_uri"):
        return oauth_error(400, "invalid_request", "Unable to retrieve access token: authorization code not found")
    record.status = "used"
    record.save(update_fields=["status", "updated_at"])
    return issue_tokens(record.owner, record.data["scope"])


def refresh_grant(request, refresh_token: str):
    """A new access token; the refresh token is kept and not extended (LinkedIn's rule)."""
    if request.sandbox.name == "token_expired" or is_refused_token(refresh_token):
        return oauth_error(400, "invalid_grant", "The provided refresh token is invalid, expired or revoked")
    record = record_get(NETWORK, "refresh_token", refresh_token)
    if record is None:  # a refresh token it never issued: the member named at connect's, else derived
        claimed = claimed_account(request)
        member = claimed.rsplit(":", 1)[1] if claimed.startswith("urn:li:person:") else member_id(refresh_token)
        record = record_create(NETWORK, "refresh_token", refresh_token, owner=member, scope="")
    remaining = REFRESH_TTL - int(time.time() - record.created_at.timestamp())
    return issue_tokens(record.owner, record.data.get("scope", ""), refresh_token, max(remaining, 0))


def demo_credentials(token: str) -> dict:
    """The credentials besides the token that `manage.py demo_setup` connects a sandbox
    account of this network with."""
    return {"author_urn": "urn:li:organization:5515"}


urlpatterns = [
    path("feed/update/<str:urn>/", post_page_view, name="sandbox-linkedin-post"),
    path("oauth/v2/authorization", authorization),
    path("oauth/v2/accessToken", access_token),
    path("v2/userinfo", userinfo),
    path("rest/organizations/<str:org_id>", organization),
    path("rest/organizationAcls", organization_acls),
    path("rest/posts", posts),
    path("rest/images", images),
    path("rest/images/<str:urn>", asset_status, {"kind": "image"}),
    path("rest/videos", videos),
    path("rest/videos/<str:urn>", asset_status, {"kind": "video"}),
    path("rest/documents", documents),
    path("rest/documents/<str:urn>", asset_status, {"kind": "document"}),
    path("dms-uploads/<str:kind>/<str:asset>", dms_upload),
    path("dms-uploads/<str:kind>/<str:asset>/<int:part>", dms_upload),
    path("rest/socialActions/<str:urn>/comments", comments),
    path("rest/organizationalEntityShareStatistics", share_statistics),
    path("rest/memberCreatorPostAnalytics", member_analytics),
    path("rest/networkSizes/<str:urn>", network_sizes),
]
