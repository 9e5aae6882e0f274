"""The Bluesky sandbox: the XRPC subset Dravo uses, under /sandbox/bluesky/ (standing for
the PDS, the video service and the public AppView alike), and the bsky.app page of a post.

Written from the AT Protocol lexicons and Bluesky's docs (https://docs.bsky.app/):
app-password sessions with JWTs (`exp` 2 hours / 90 days; refresh rotates, the old
refresh token dies), `getServiceAuth`, `resolveHandle`, `uploadBlob`, `createRecord`
validated against `app.bsky.feed.post` (300 graphemes and 3,000 bytes, facets on UTF-8
byte ranges that must not overlap, one embed, 1-4 images with `alt`, blobs of the author
only, images of at most 1,000,000 bytes → `BlobTooLarge`, an rkey used once), `getRecord`,
`listRecords`, `getPosts` (at most 25 URIs, public counters), `app.bsky.actor.getProfile`
(the AppView's profile view with its counters; a `takendown…` handle is `AccountTakedown`)
and the video service
(`getUploadLimits`, `uploadVideo`, `getJobStatus`: created → encoding → completed/failed).
Errors are XRPC's `{"error": "<Name>", "message": "…"}`; rate limits answer 429
`RateLimitExceeded` with the `ratelimit-*` headers. The 31st login of an account within 5
minutes is refused, as Bluesky does.
"""

import base64
import hashlib
import hmac
import json
import secrets
import time
from datetime import timedelta

import regex
from django.conf import settings
from django.http import JsonResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET

from sandbox import core

NETWORK = "bluesky"
POST = "app.bsky.feed.post"
ACCESS_S, REFRESH_S = 2 * 3600, 90 * 86400
LOGINS_PER_5_MIN = 30
MAX_GRAPHEMES, MAX_BYTES = 300, 3000
IMAGE_MAX_BYTES, VIDEO_MAX_BYTES, BLOB_MAX_BYTES = 1_000_000, 100_000_000, 52_428_800
EMBEDS = (
    "app.bsky.embed.images",
    "app.bsky.embed.video",
    "app.bsky.embed.external",
    "app.bsky.embed.record",
    "app.bsky.embed.recordWithMedia",
)
FEATURES = {
    "app.bsky.richtext.facet#link": "uri",
    "app.bsky.richtext.facet#mention": "did",
    "app.bsky.richtext.facet#tag": "tag",
}
COUNTERS = dict(likeCount=5, repostCount=1, replyCount=1, quoteCount=0.5, bookmarkCount=1)
ACCOUNT_COUNTERS = dict(followersCount=320, followsCount=150, postsCount=90)  # per-account rates
TID = regex.compile(r"^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$")
RECORD_KEY = regex.compile(r"^[A-Za-z0-9._:~-]{1,512}$")
DATETIME = regex.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
B32 = "abcdefghijklmnopqrstuvwxyz234567"


# --- answers -------------------------------------------------------------------------------
def _json(body: dict, status: int = 200) -> JsonResponse:
    """The PDS sends its rate-limit headers on every answer (3,000 requests / 5 min)."""
    response = JsonResponse(body, status=status)
    response["ratelimit-limit"] = "3000"
    response["ratelimit-remaining"] = "2999"
    response["ratelimit-reset"] = str(int(time.time()) + 300)
    response["ratelimit-policy"] = "3000;w=300"
    return response


def _error(status: int, error: str, message: str, **extra) -> JsonResponse:
    return _json({"error": error, "message": message, **extra}, status)


def _invalid(message: str) -> JsonResponse:
    return _error(400, "InvalidRequest", message)


def _rate_limited(reset_in: int = 1, policy: str = "5000;w=3600") -> JsonResponse:
    response = _error(429, "RateLimitExceeded", "Rate Limit Exceeded")
    response["ratelimit-remaining"] = "0"
    response["ratelimit-reset"] = str(int(time.time()) + reset_in)
    response["ratelimit-policy"] = policy
    return response


def _body(request) -> dict | None:
    if request.content_type != "application/json":
        return None
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def _b32(data: bytes, size: int) -> str:
    bits = int.from_bytes(data, "big")
    return "".join(B32[(bits >> (5 * i)) & 31] for i in range(size))


def _cid(prefix: str, data: bytes) -> str:
    return prefix + _b32(hashlib.sha256(data).digest(), 52)


# --- JWTs ----------------------------------------------------------------------------------
def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _sign(payload: dict) -> str:
    head = _b64(json.dumps({"typ": "at+jwt", "alg": "HS256"}).encode())
    body = _b64(json.dumps(payload).encode())
    mac = hmac.new(settings.SECRET_KEY.encode(), f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{_b64(mac)}"


def _claims(token: str) -> dict | None:
    """The claims of a JWT this sandbox signed, or None (expiry is the caller's check)."""
    try:
        head, body, mac = token.split(".")
        expected = hmac.new(settings.SECRET_KEY.encode(), f"{head}.{body}".encode(), hashlib.sha256).digest()
        if not hmac.compare_digest(_b64(expected), mac):
            return None
        claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    except ValueError:
        return None
    return claims if isinstance(claims, dict) else None


def _session_of(request, scope: str = "com.atproto.appPass") -> tuple[dict | None, JsonResponse | None]:
    """The access (or refresh) JWT's claims, or the PDS's error: 401 without a token, 400
    InvalidToken for one it cannot verify or of the wrong scope, 400 ExpiredToken past `exp`."""
    token = core.bearer_token(request)
    if not token:
        return None, _error(401, "AuthenticationRequired", "Authentication Required")
    claims = _claims(token)
    if claims is None:
        return None, _error(400, "InvalidToken", "Token could not be verified")
    if claims.get("scope") != scope:
        return None, _error(400, "InvalidToken", "Bad token scope")
    if claims.get("exp", 0) < time.time():
        return None, _error(400, "ExpiredToken", "Token has expired")
    return claims, None


# --- accounts and sessions ---------------------------------------------------------------------
def _did_for(handle: str) -> str:
    return "did:plc:" + _b32(hashlib.sha256(handle.encode()).digest(), 24)


def _account(identifier: str):
    """The account a login names by handle, DID or e-mail (created on first sight)."""
    identifier = identifier.strip().lower().lstrip("@")
    if identifier.startswith("did:"):
        record = core.record_get(NETWORK, "account", identifier)
        handle = f"user-{identifier[-8:]}.bsky.social"
        return record or core.record_create(NETWORK, "account", identifier, owner=identifier, handle=handle)
    if "@" in identifier:
        record = core.record_list(NETWORK, "account").filter(data__email=identifier).first()
        handle = f"{identifier.split('@')[0]}.bsky.social"
    else:
        record, handle = None, identifier
    record = record or core.record_get(NETWORK, "account", _did_for(handle))
    if record is None:
        did = _did_for(handle)
        record = core.record_create(NETWORK, "account", did, owner=did, handle=handle, email=f"{handle}@example.com")
    return record


def _issue(request, account) -> dict:
    now, did = int(time.time()), account.object_id
    aud = f"did:web:{request.get_host()}"
    access = _sign({"scope": "com.atproto.appPass", "sub": did, "aud": aud, "iat": now, "exp": now + ACCESS_S})
    jti = secrets.token_urlsafe(16)
    refresh = _sign(
        {"scope": "com.atproto.refresh", "sub": did, "aud": aud, "jti": jti, "iat": now, "exp": now + REFRESH_S}
    )
    core.record_create(NETWORK, "refresh", jti, owner=did)
    pds = request.build_absolute_uri(f"/sandbox/{NETWORK}").rstrip("/")
    did_doc = {
        "@context": ["https://www.w3.org/ns/did/v1"],
        "id": did,
        "alsoKnownAs": [f"at://{account.data['handle']}"],
        "service": [{"id": "#atproto_pds", "type": "AtprotoPersonalDataServer", "serviceEndpoint": pds}],
    }
    return {
        "accessJwt": access,
        "refreshJwt": refresh,
        "handle": account.data["handle"],
        "did": did,
        "didDoc": did_doc,
        "email": account.data.get("email", ""),
        "emailConfirmed": True,
        "emailAuthFactor": False,
        "active": True,
    }


def create_session(request):
    body = _body(request)
    if body is None:
        return _invalid("Wrong request encoding (Content-Type): expected application/json")
    identifier, password = body.get("identifier"), body.get("password")
    if not isinstance(identifier, str) or not identifier or not isinstance(password, str) or not password:
        return _invalid("Input must have the properties identifier and password")
    if core.is_refused_token(password):
        return _error(401, "AuthenticationRequired", "Invalid identifier or password")
    account = _account(identifier)
    if account.data["handle"].startswith("takendown"):
        return _error(401, "AccountTakedown", "Account has been taken down")
    key = hashlib.sha256(password.encode()).hexdigest()
    binding = core.record_get(NETWORK, "password", key) or core.record_create(
        NETWORK, "password", key, owner=account.object_id
    )
    if binding.owner != account.object_id:  # an app password belongs to one account
        return _error(401, "AuthenticationRequired", "Invalid identifier or password")
    since = timezone.now() - timedelta(minutes=5)
    if (
        core.record_list(NETWORK, "login", owner=account.object_id).filter(created_at__gte=since).count()
        >= LOGINS_PER_5_MIN
    ):
        return _rate_limited(300, f"{LOGINS_PER_5_MIN};w=300")
    core.record_create(NETWORK, "login", secrets.token_hex(12), owner=account.object_id)
    return _json(_issue(request, account))


def refresh_session(request):
    if request.sandbox.name == "token_expired":
        return _error(400, "ExpiredToken", "Token has expired")
    claims, problem = _session_of(request, "com.atproto.refresh")
    if problem:
        return problem
    record = core.record_get(NETWORK, "refresh", claims.get("jti", ""))
    if record is None or record.status == "used":  # rotation: the old refresh token is revoked
        return _error(400, "ExpiredToken", "Token has been revoked")
    record.status = "used"
    record.save(update_fields=["status", "updated_at"])
    return _json(_issue(request, core.record_get(NETWORK, "account", claims["sub"])))


def get_service_auth(request):
    claims, problem = _authed(request)
    if problem:
        return problem
    aud, lxm, exp = request.GET.get("aud", ""), request.GET.get("lxm", ""), request.GET.get("exp", "")
    if not aud.startswith("did:"):
        return _invalid("Input/aud must be a valid did")
    if exp and (not exp.isdigit() or int(exp) > time.time() + 3600):
        return _error(400, "BadExpiration", "expiration date must be within one hour")
    expiry = int(exp) if exp else int(time.time()) + 60
    token = _sign({"scope": "service", "iss": claims["sub"], "aud": aud, "lxm": lxm, "exp": expiry})
    return _json({"token": token})


def _authed(request):
    """An access session, with the account's `token_expired` behaviour applied."""
    if request.sandbox.name == "token_expired":
        return None, _error(400, "ExpiredToken", "Token has expired")
    return _session_of(request)


def resolve_handle(request):
    handle = request.GET.get("handle", "").lower()
    if not handle or "." not in handle or handle.endswith(".invalid") or handle.startswith("nobody."):
        return _invalid("Unable to resolve handle")
    record = core.record_list(NETWORK, "account").filter(data__handle=handle).first()
    return _json({"did": record.object_id if record else _did_for(handle)})


# --- blobs -----------------------------------------------------------------------------------
def _sniff(head: bytes) -> str:
    if head.startswith(b"\x89PNG"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"GIF8"):
        return "image/gif"
    if head[4:8] == b"ftyp":
        return "video/mp4"
    return "application/octet-stream"


def _store_blob(did: str, data: bytes, mime: str) -> dict:
    cid = _cid("bafkrei", data)
    blob = {"$type": "blob", "ref": {"$link": cid}, "mimeType": mime, "size": len(data)}
    if core.record_get(NETWORK, "blob", f"{did}/{cid}") is None:
        core.record_create(NETWORK, "blob", f"{did}/{cid}", owner=did, blob=blob)
    return blob


def upload_blob(request):
    claims, problem = _authed(request)
    if problem:
        return problem
    data = request.body
    if len(data) > BLOB_MAX_BYTES:
        return _error(413, "PayloadTooLarge", "request entity too large")
    if not data:
        return _invalid("Request body is empty")
    mime = _sniff(data[:16])
    return _json({"blob": _store_blob(claims["sub"], data, mime)})


# --- records ---------------------------------------------------------------------------------
def _publish_refusal(request, did: str, record: dict) -> JsonResponse | None:
    """The account's behaviour at createRecord; thread continuations (replies to the
    account's own post) are spared first-attempt failures, as a retry resumes them."""
    behavior = request.sandbox.name
    if behavior == "rejects":
        return _invalid(core.REJECT_REASON)
    parent = ((record.get("reply") or {}).get("parent") or {}).get("uri", "")
    continuation = parent.startswith(f"at://{did}/")
    if behavior in ("rate_limited", "flaky") and not continuation:
        if core.first_attempt(NETWORK, did, str(record.get("text", ""))):
            if behavior == "rate_limited":
                return _rate_limited()
            return _error(502, "UpstreamFailure", "Upstream Failure")
    return None


def create_record(request):
    claims, problem = _authed(request)
    if problem:
        return problem
    body = _body(request)
    if body is None:
        return _invalid("Wrong request encoding (Content-Type): expected application/json")
    did, record = claims["sub"], body.get("record")
    if body.get("repo") not in (did, core.record_get(NETWORK, "account", did).data["handle"]):
        return _invalid("Input/repo must be the authenticated account's DID or handle")
    if body.get("collection") != POST:
        return _invalid(f"The sandbox stores only {POST} records")
    rkey = body.get("rkey") or _tid()
    if not isinstance(rkey, str) or not RECORD_KEY.match(rkey):
        return _invalid("Input/rkey must be a valid Record Key")
    uri = f"at://{did}/{POST}/{rkey}"
    if not isinstance(record, dict):
        return _invalid("Input/record must be an object")
    refusal = _publish_refusal(request, did, record) or _record_problem(did, record)
    if refusal:
        return refusal
    if core.record_get(NETWORK, "post", uri):
        return _invalid(f"Record already exists: {uri}")
    cid = _cid("bafyrei", json.dumps(record, sort_keys=True).encode() + uri.encode())
    core.record_create(NETWORK, "post", uri, owner=did, rkey=rkey, cid=cid, record=record, text=record["text"])
    commit = {"cid": _cid("bafyrei", cid.encode()), "rev": _tid()}
    return _json({"uri": uri, "cid": cid, "commit": commit, "validationStatus": "valid"})


def _tid() -> str:
    value = (time.time_ns() // 1000) << 10 | secrets.randbelow(1024)
    return "".join("234567abcdefghijklmnopqrstuvwxyz"[(value >> shift) & 31] for shift in range(60, -1, -5))


def _bad_record(message: str) -> JsonResponse:
    return _invalid(f"Invalid {POST} record: {message}")


def _record_problem(did: str, record: dict) -> JsonResponse | None:
    """The lexicon's checks of `app.bsky.feed.post`, in order."""
    if record.get("$type") != POST:
        return _bad_record(f"Record/$type must be {POST}")
    text = record.get("text")
    if not isinstance(text, str):
        return _bad_record('Record must have the property "text"')
    if len(regex.findall(r"\X", text)) > MAX_GRAPHEMES:
        return _bad_record(f"Record/text must not be longer than {MAX_GRAPHEMES} graphemes")
    if len(text.encode()) > MAX_BYTES:
        return _bad_record(f"Record/text must not be longer than {MAX_BYTES} characters")
    if not isinstance(record.get("createdAt"), str) or not DATETIME.match(record["createdAt"]):
        return _bad_record("Record/createdAt must be an valid atproto datetime")
    langs, tags = record.get("langs", []), record.get("tags", [])
    if not isinstance(langs, list) or len(langs) > 3:
        return _bad_record("Record/langs must not have more than 3 elements")
    if not isinstance(tags, list) or len(tags) > 8:
        return _bad_record("Record/tags must not have more than 8 elements")
    return (
        _facets_problem(text, record.get("facets"))
        or _reply_problem(record.get("reply"))
        or _embed_problem(did, record.get("embed"))
    )


def _facets_problem(text: str, facets) -> JsonResponse | None:
    if facets is None:
        return None
    if not isinstance(facets, list):
        return _bad_record("Record/facets must be an array")
    data, ranges = text.encode(), []
    for number, facet in enumerate(facets):
        index = facet.get("index") if isinstance(facet, dict) else None
        start, end = (index or {}).get("byteStart"), (index or {}).get("byteEnd")
        if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start < end <= len(data):
            return _bad_record(f"Record/facets/{number}/index must be a byte range inside the text")
        try:
            data[start:end].decode()
        except UnicodeDecodeError:
            return _bad_record(f"Record/facets/{number}/index does not fall on UTF-8 character boundaries")
        if any(start < other_end and end > other_start for other_start, other_end in ranges):
            return _bad_record(f"Record/facets/{number} overlaps another facet")
        ranges.append((start, end))
        features = facet.get("features")
        if not isinstance(features, list) or not features:
            return _bad_record(f"Record/facets/{number}/features must not be empty")
        for feature in features:
            key = FEATURES.get(feature.get("$type") if isinstance(feature, dict) else None)
            if key is None or not isinstance(feature.get(key), str) or not feature[key]:
                return _bad_record(f"Record/facets/{number}/features has an unknown or incomplete feature")
            if key == "did" and not feature["did"].startswith("did:"):
                return _bad_record(f"Record/facets/{number}/features/did must be a valid did")
    return None


def _strong_ref_problem(ref, where: str) -> JsonResponse | None:
    if not isinstance(ref, dict) or not isinstance(ref.get("uri"), str) or not isinstance(ref.get("cid"), str):
        return _bad_record(f"{where} must have the properties uri and cid")
    post = core.record_get(NETWORK, "post", ref["uri"])
    if post is None or post.data["cid"] != ref["cid"]:
        return _invalid(f"Could not find the record {ref['uri']} with cid {ref['cid']}")
    return None


def _reply_problem(reply) -> JsonResponse | None:
    if reply is None:
        return None
    if not isinstance(reply, dict) or "root" not in reply or "parent" not in reply:
        return _bad_record("Record/reply must have the properties root and parent")
    return _strong_ref_problem(reply["root"], "Record/reply/root") or _strong_ref_problem(
        reply["parent"], "Record/reply/parent"
    )


def _blob_problem(did: str, blob, where: str, max_bytes: int) -> JsonResponse | None:
    link = ((blob or {}).get("ref") or {}).get("$link") if isinstance(blob, dict) else None
    stored = core.record_get(NETWORK, "blob", f"{did}/{link}") if link else None
    if stored is None:
        return _invalid(f"Could not find blob: {link or where}")
    size = stored.data["blob"]["size"]
    if size > max_bytes:
        return _error(
            400,
            "BlobTooLarge",
            f"This file is too large. It is {size / 1_000_000:.2f}MB but the maximum size is {max_bytes / 1024:.2f}KB.",
        )
    return None


def _embed_problem(did: str, embed, *, nested: bool = False) -> JsonResponse | None:
    if embed is None:
        return None
    kind = embed.get("$type") if isinstance(embed, dict) else None
    if kind not in EMBEDS or (nested and kind in EMBEDS[3:]):
        return _bad_record('Record/embed must be an object which includes the "$type" property')
    if kind == "app.bsky.embed.images":
        images = embed.get("images")
        if not isinstance(images, list) or not 1 <= len(images) <= 4:
            return _bad_record("Record/embed/images must have 1 to 4 elements")
        for number, image in enumerate(images):
            if not isinstance(image, dict) or not isinstance(image.get("alt"), str):
                return _bad_record(f'Record/embed/images/{number} must have the property "alt"')
            if problem := _blob_problem(did, image.get("image"), "image", IMAGE_MAX_BYTES):
                return problem
        return None
    if kind == "app.bsky.embed.video":
        if len(regex.findall(r"\X", str(embed.get("alt", "")))) > 1000:
            return _bad_record("Record/embed/alt must not be longer than 1000 graphemes")
        return _blob_problem(did, embed.get("video"), "video", VIDEO_MAX_BYTES)
    if kind == "app.bsky.embed.external":
        external = embed.get("external")
        if not isinstance(external, dict) or not all(
            isinstance(external.get(k), str) for k in ("uri", "title", "description")
        ):
            return _bad_record("Record/embed/external must have the properties uri, title and description")
        return _blob_problem(did, external["thumb"], "thumb", IMAGE_MAX_BYTES) if "thumb" in external else None
    if kind == "app.bsky.embed.record":
        return _strong_ref_problem(embed.get("record"), "Record/embed/record")
    record = embed.get("record")
    if not isinstance(record, dict):
        return _bad_record("Record/embed/record must be an app.bsky.embed.record")
    return _strong_ref_problem(record.get("record"), "Record/embed/record/record") or _embed_problem(
        did, embed.get("media"), nested=True
    )


def get_record(request):
    repo, rkey = _repo_did(request.GET.get("repo", "")), request.GET.get("rkey", "")
    uri = f"at://{repo}/{request.GET.get('collection', '')}/{rkey}"
    post = core.record_get(NETWORK, "post", uri)
    if post is None:
        return _error(400, "RecordNotFound", f"Could not locate record: {uri}")
    return _json({"uri": uri, "cid": post.data["cid"], "value": post.data["record"]})


def _repo_did(repo: str) -> str:
    if repo.startswith("did:"):
        return repo
    record = core.record_list(NETWORK, "account").filter(data__handle=repo.lower()).first()
    return record.object_id if record else repo


def list_records(request):
    limit = request.GET.get("limit", "50")
    if not limit.isdigit() or not 1 <= int(limit) <= 100:
        return _invalid("Input/limit must be between 1 and 100")
    repo = _repo_did(request.GET.get("repo", ""))
    posts = core.record_list(NETWORK, "post", owner=repo) if request.GET.get("collection") == POST else []
    records = [{"uri": p.object_id, "cid": p.data["cid"], "value": p.data["record"]} for p in posts[: int(limit)]]
    return _json({"records": records})


def get_posts(request):
    uris = request.GET.getlist("uris")
    if not uris:
        return _invalid('Params must have the property "uris"')
    if len(uris) > 25:
        return _invalid("Params/uris must not have more than 25 elements")
    posts = [p for p in (core.record_get(NETWORK, "post", uri) for uri in uris) if p is not None]
    return _json({"posts": [_post_view(post) for post in posts]})


def get_profile(request):
    """The AppView's `app.bsky.actor.getProfile`: public (no auth), the actor by DID or
    handle, its counters from core.account_metrics; 400 for an unknown or taken-down one."""
    actor = request.GET.get("actor", "").strip().lower().lstrip("@")
    if not actor:
        return _invalid('Params must have the property "actor"')
    account = core.record_get(NETWORK, "account", _repo_did(actor))
    if account is None:
        return _invalid("Profile not found")
    handle = account.data["handle"]
    if handle.startswith("takendown"):
        return _error(400, "AccountTakedown", "Account has been suspended")
    view = {"did": account.object_id, "handle": handle, "displayName": f"Sandbox {handle.split('.')[0]}"}
    return _json({**view, **core.account_metrics(account.object_id, ACCOUNT_COUNTERS)})


def _post_view(post) -> dict:
    author = core.record_get(NETWORK, "account", post.owner)
    handle = author.data["handle"] if author else "handle.invalid"
    view = {
        "uri": post.object_id,
        "cid": post.data["cid"],
        "author": {"did": post.owner, "handle": handle, "displayName": f"Sandbox {handle.split('.')[0]}"},
        "record": post.data["record"],
        "indexedAt": post.created_at.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        "labels": [],
    }
    return {**view, **core.grown_metrics(post, COUNTERS)}


# --- the video service --------------------------------------------------------------------------
def _service_claims(request, lxm: str) -> tuple[dict | None, JsonResponse | None]:
    claims = _claims(core.bearer_token(request))
    if claims is None or claims.get("scope") != "service" or claims.get("exp", 0) < time.time():
        return None, _error(401, "AuthenticationRequired", "Invalid or expired service token")
    if claims.get("lxm") != lxm:
        return None, _error(401, "AuthenticationRequired", f"The service token is not for {lxm}")
    return claims, None


def get_upload_limits(request):
    claims, problem = _service_claims(request, "app.bsky.video.getUploadLimits")
    if problem:
        return problem
    account = core.record_get(NETWORK, "account", claims["iss"])
    if account and account.data["handle"].startswith("novideo"):
        message = "You have uploaded too many videos today. Try again tomorrow."
        return _json({"canUpload": False, "remainingDailyVideos": 0, "remainingDailyBytes": 0, "message": message})
    return _json({"canUpload": True, "remainingDailyVideos": 25, "remainingDailyBytes": 10 * 1024**3})


def upload_video(request):
    claims, problem = _service_claims(request, "com.atproto.repo.uploadBlob")
    if problem:
        return problem
    did = request.GET.get("did", "")
    if did != claims["iss"]:
        return _error(401, "AuthenticationRequired", "The service token is not for this did")
    data = request.body
    if len(data) > VIDEO_MAX_BYTES:
        return _error(413, "PayloadTooLarge", "request entity too large")
    digest = hashlib.sha256(did.encode() + data).hexdigest()
    earlier = (
        core.record_list(NETWORK, "video_job", owner=did)
        .filter(data__digest=digest, status="JOB_STATE_COMPLETED")
        .first()
    )
    if earlier:
        return _error(409, "already_exists", "Video already processed", **_job_view(earlier))
    outcome = "JOB_STATE_COMPLETED" if _sniff(data[:16]) == "video/mp4" else "JOB_STATE_FAILED"
    blob = _store_blob(did, data, "video/mp4") if outcome == "JOB_STATE_COMPLETED" else None
    job = core.record_create(
        NETWORK,
        "video_job",
        secrets.token_hex(8),
        owner=did,
        status="JOB_STATE_CREATED",
        digest=digest,
        outcome=outcome,
        blob=blob,
    )
    return _json(_job_view(job))


def _job_view(job) -> dict:
    progress = {"JOB_STATE_CREATED": 0, "JOB_STATE_ENCODING": 50}.get(job.status, 100)
    view = {"jobId": job.object_id, "did": job.owner, "state": job.status, "progress": progress}
    if job.status == "JOB_STATE_COMPLETED":
        view["blob"] = job.data["blob"]
    if job.status == "JOB_STATE_FAILED":
        view.update(error="invalid_video", message="The file is not a video the service can process.")
    return view


def get_job_status(request):
    job = core.record_get(NETWORK, "video_job", request.GET.get("jobId", ""))
    if job is None:
        return _invalid("Job not found")
    steps = {"JOB_STATE_CREATED": "JOB_STATE_ENCODING", "JOB_STATE_ENCODING": job.data["outcome"]}
    if job.status in steps:  # each read moves processing one step on
        job.status = steps[job.status]
        job.save(update_fields=["status", "updated_at"])
    return _json({"jobStatus": _job_view(job)})


# --- routing and the public website ----------------------------------------------------------
PROCEDURES = {
    "com.atproto.server.createSession": create_session,
    "com.atproto.server.refreshSession": refresh_session,
    "com.atproto.repo.uploadBlob": upload_blob,
    "com.atproto.repo.createRecord": create_record,
    "app.bsky.video.uploadVideo": upload_video,
}
QUERIES = {
    "com.atproto.server.getServiceAuth": get_service_auth,
    "com.atproto.identity.resolveHandle": resolve_handle,
    "com.atproto.repo.getRecord": get_record,
    "com.atproto.repo.listRecords": list_records,
    "app.bsky.feed.getPosts": get_posts,
    "app.bsky.actor.getProfile": get_profile,
    "app.bsky.video.getUploadLimits": get_upload_limits,
    "app.bsky.video.getJobStatus": get_job_status,
}


@core.sandbox_view
def xrpc(request, nsid: str):
    """XRPC: procedures are POST, queries GET; an unknown method is 501."""
    table = PROCEDURES if request.method == "POST" else QUERIES if request.method == "GET" else {}
    view = table.get(nsid)
    if view is None:
        if nsid in PROCEDURES or nsid in QUERIES:
            return _invalid(f"Incorrect HTTP method ({request.method}) for {nsid}")
        return _error(501, "MethodNotImplemented", "Method Not Implemented")
    return view(request)


@core.sandbox_view
@require_GET
def post_page_view(request, actor: str, rkey: str):
    """bsky.app/profile/{handle or did}/post/{rkey}."""
    did = _repo_did(actor)
    post = core.record_get(NETWORK, "post", f"at://{did}/{POST}/{rkey}")
    if post is None:
        return core.post_page(request, network="Bluesky", record=None, author="")
    embed = post.data["record"].get("embed") or {}
    media = embed.get("media") or embed
    kinds = {"app.bsky.embed.images": "image", "app.bsky.embed.video": "video"}
    count = len(media.get("images") or []) if media.get("$type") == "app.bsky.embed.images" else 1
    page_media = [core.PageMedia(kinds[media["$type"]])] * count if media.get("$type") in kinds else []
    account = core.record_get(NETWORK, "account", did)
    author = f"@{account.data['handle']}" if account else did
    return core.post_page(request, network="Bluesky", record=post, author=author, media=page_media)


def demo_credentials(token: str) -> dict:
    """The credentials besides the app password (the token) that `manage.py demo_setup`
    connects a sandbox account with: the handle it signs in as."""
    return {"identifier": f"demo-{core.account_id_for(token, 6)}.bsky.social"}


urlpatterns = [
    path("xrpc/<str:nsid>", xrpc, name="sandbox-bluesky-xrpc"),
    path("profile/<str:actor>/post/<str:rkey>", post_page_view, name="sandbox-bluesky-post"),
]
