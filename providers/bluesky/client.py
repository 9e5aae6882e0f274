"""Bluesky (AT Protocol) client: text with facets, up to 4 images with alt text, a video
through the video service, a link card, threads, replies and quotes; an app-password
session (createSession once, then refreshSession); public post counters.

Every call is an XRPC call: `POST` procedures and `GET` queries under `/xrpc/{NSID}` of
the account's PDS (`api_url`), the video service (`video_url`) or the public AppView
(`appview_url`). Errors come as `{"error": "<Name>", "message": "…"}`.
Docs: https://docs.bsky.app/docs/advanced-guides/posts
"""

import base64
import json
import secrets
import time
from datetime import UTC, datetime, timedelta
from tempfile import SpooledTemporaryFile
from urllib.parse import urlsplit

from django.utils import timezone

from dravo import media_fetch
from dravo.media_inspect import MediaRejected
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
from providers.bluesky import richtext
from providers.bluesky.rules import (
    CAPABILITIES,
    IMAGE_MAX_BYTES,
    BlueskyOptionsSerializer,
    media_mix_problems,
    media_problems,
    option_problems,
    text_problem,
)
from providers.errors import (
    AccountMismatch,
    MediaUnavailable,
    ProviderUnavailable,
    RateLimited,
    ReconnectRequired,
    Rejected,
    TokenExpired,
)

POST = "app.bsky.feed.post"
SESSION_LIFETIME = timedelta(hours=2)  # when the access JWT carries no readable `exp`
# A refused session or login: the session (or the app password) is gone.
# https://docs.bsky.app/docs/api/com-atproto-server-create-session
TOKEN_ERRORS = ("ExpiredToken", "InvalidToken")
LOGIN_REFUSALS = ("AccountTakedown", "AccountDeactivated", "AuthFactorTokenRequired")
VIDEO_DONE, VIDEO_FAILED = "JOB_STATE_COMPLETED", "JOB_STATE_FAILED"
SERVICE_TOKEN_SECONDS = 30 * 60
TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"
# The account's public counters on its profile view (app.bsky.actor.defs#profileViewDetailed).
ACCOUNT_COUNTS = ("followersCount", "followsCount", "postsCount")


class BlueskyClient(ProviderClient):
    """Credentials: `access_token` is the account's app password (kept encrypted, used only
    to log in again when the session is gone), `identifier` the handle or DID it signs in
    as; the session adds `did`, `handle`, `access_jwt`, `refresh_jwt` and `pds_host`."""

    name = "bluesky"
    options_serializer = BlueskyOptionsSerializer
    capabilities = CAPABILITIES
    # Bluesky has public counters only: no views or clicks.
    normalized_metrics = {"likes": ("likeCount",), "comments": ("replyCount",), "shares": ("repostCount",)}
    metric_labels = {"repostCount": "Reposts", "quoteCount": "Quotes"}
    # Bluesky counts no views nor account insights: followers only.
    normalized_account_metrics = {"followers": ("followersCount",)}
    account_credential = "identifier"

    @classmethod
    def profile_credentials(cls, profile: Profile) -> dict:
        """The DID names the repository posts go to; the handle builds post URLs."""
        return {"did": profile.id, "handle": profile.handle}

    # --- interface ----------------------------------------------------------------------
    def verify(self) -> Profile:
        """Log in with the app password (`createSession`) and return the account it signs in
        as (id = DID). AccountMismatch (identifier) when that account is not the one named
        (a handle or DID; an e-mail identifier must be replaced by one of them);
        ReconnectRequired for a refused password or an inactive account. Safe to repeat,
        but each call is one login of Bluesky's 30 per 5 minutes."""
        session = self._login()
        did, handle = session.get("did", ""), session.get("handle", "")
        named = self.named_account.lower().lstrip("@")
        if named and named not in (did.lower(), handle.lower()):
            message = f"This app password signs in as @{handle} ({did}), not {named}."
            message += " Name the account by its handle or DID."
            raise AccountMismatch(message, field=self.account_credential)
        if session.get("active") is False:
            status = session.get("status") or "inactive"
            raise ReconnectRequired(f"The Bluesky account @{handle} is {status}: it cannot post.")
        return Profile(id=did, handle=handle, name=handle)

    def validate(self, content: Content) -> list[Problem]:
        """Problems Bluesky would have with `content`: graphemes and bytes of each text,
        media kinds, counts, formats and sizes, embed combinations. No I/O."""
        options = content.options or {}
        problems = [p for p in [text_problem("text", content.text)] if p]
        embeds = content.media or options.get("link_card") or options.get("quote")
        if not content.text.strip() and not embeds:
            problems.append(Problem("text", "A Bluesky post needs text, media, a link card or a quote.", "required"))
        problems += media_mix_problems(content.media)
        for index, media in enumerate(content.media):
            problems += media_problems(f"media_urls.{index}", media)
        for index, text in enumerate(options.get("thread") or []):
            field = f"platform_options.bluesky.thread.{index}"
            problems += [p for p in [text_problem(field, text, required=True)] if p]
        return problems + option_problems(options, content.media)

    def publish(self, content: Content, *, checkpoint=None, save_checkpoint=None) -> PublishResult:
        """Upload the blobs (images, the video through the video service, the card's
        thumbnail), create the post record, then each `thread` item as a reply.

        Checkpoint: `blobs` (one per media item, as uploaded), `video_job`, `thumb`,
        `rkeys` (each record's key, chosen before it is created) and `posts` (the created
        records' uri and cid). A retry reuses the blobs, looks a saved rkey up
        (`getRecord`) before creating it, and skips created posts, so nothing posts twice.
        A thread part refused for good ends the thread with a warning. Raises the typed
        errors of raise_for_response, MediaUnavailable and ProcessingTimeout."""
        state, save = checkpoint_state(checkpoint, save_checkpoint)
        options = content.options or {}
        posts = list(state.get("posts") or [])
        warnings: list[str] = []
        if not posts:
            embed = self._embed(content, state, save, warnings)
            reply = self._reply_refs(options["reply_to"]) if options.get("reply_to") else None
            record = self._record(content.text, options, embed=embed, reply=reply)
            posts.append(self._create_once(0, record, state, save))
            save.note(posts=list(posts))
        warnings += self._publish_thread(options, posts, state, save)
        uri = posts[0]["uri"]
        return PublishResult(uri, self.post_url(uri), warnings, timezone.now())

    def refresh(self) -> RefreshResult:
        """A new session: `refreshSession` with the refresh JWT (it rotates: the old one dies
        after a short grace period, so store the result first), or, when there is none or
        Bluesky refuses it, one fresh login with the app password. ReconnectRequired when the
        app password is refused too."""
        session = None
        if self.credentials.get("refresh_jwt"):
            try:
                url, headers = self.xrpc("com.atproto.server.refreshSession"), self._bearer("refresh_jwt")
                response = self.call("POST", url, headers=headers)
                session = http.json_or_empty(response)
            except (TokenExpired, ReconnectRequired):
                session = None  # expired or revoked: log in again below
        if not session or not session.get("accessJwt"):
            session = self._login()
        credentials = {**self.credentials, **_session_credentials(session)}
        return RefreshResult(credentials=credentials, expires_at=_jwt_expiry(session["accessJwt"]))

    def fetch_metrics(self, platform_post_id: str) -> MetricsResult:
        """The post's public counters from the AppView (`app.bsky.feed.getPosts`, no auth):
        likeCount, repostCount, replyCount, quoteCount (and bookmarkCount when given).
        Rejected when the post is gone. Safe to repeat."""
        post = self._view_of(platform_post_id)
        if post is None:
            raise Rejected(f"Bluesky has no post {platform_post_id} (deleted, or hidden from the AppView).")
        keys = ("likeCount", "repostCount", "replyCount", "quoteCount", "bookmarkCount")
        metrics = {key: post[key] for key in keys if isinstance(post.get(key), int) and not isinstance(post[key], bool)}
        return MetricsResult(metrics=metrics)

    def fetch_account_metrics(self) -> dict[str, int | float]:
        """The account's public counters now, `followersCount`, `followsCount` and
        `postsCount`, from the public AppView (`app.bsky.actor.getProfile?actor=<DID>`, no
        auth, as fetch_metrics: no session is used, so none can be refused). Bluesky has
        no views nor account insights, so no reach nor engagement. ReconnectRequired when
        the AppView says the account is taken down or deactivated (`AccountTakedown`,
        `AccountDeactivated`, as its getProfile answers: names from the AppView's source,
        **unconfirmed** in the docs); Rejected for an unknown actor. Safe to repeat."""
        params = {"actor": self.did or self.credentials.get("handle", "")}
        response = self.call("GET", self.xrpc("app.bsky.actor.getProfile", "appview_url"), params=params)
        profile = http.json_or_empty(response)
        return {
            key: profile[key]
            for key in ACCOUNT_COUNTS
            if isinstance(profile.get(key), int) and not isinstance(profile[key], bool)
        }

    def reconcile(self, content: Content, checkpoint: dict | None) -> PublishResult | None:
        """The live post after a crash: from the checkpoint's created posts, or its first
        rkey looked up (`getRecord`), or else the account's recent records (`listRecords`)
        matched by text. None when unknown or when a thread is half published (publish with
        the checkpoint resumes it). Safe to repeat."""
        state = checkpoint or {}
        posts, rkeys = state.get("posts") or [], state.get("rkeys") or []
        parts = 1 + len((content.options or {}).get("thread") or [])
        if posts:
            return PublishResult(posts[0]["uri"], self.post_url(posts[0]["uri"])) if len(posts) >= parts else None
        if rkeys:
            found = self._get_record(rkeys[0])
        elif content.text.strip():
            found = self._find_by_text(content.text)
        else:
            found = None
        if found is None:
            return None
        warnings = ["The thread replies of the earlier post could not be confirmed."] if parts > 1 else []
        return PublishResult(found["uri"], self.post_url(found["uri"]), warnings)

    def raise_for_response(self, response) -> None:
        """The one mapping of XRPC answers to typed errors. Never names a token.
        Docs: https://docs.bsky.app/docs/advanced-guides/rate-limits and the lexicons' errors."""
        status = response.status_code
        if status < 400:
            return
        body = http.json_or_empty(response)
        error, message = str(body.get("error") or ""), str(body.get("message") or body.get("error") or f"HTTP {status}")
        text = f"{error}: {message}" if error and error != message else message
        extra = {"status": status, "raw": body}
        if status == 429:  # RateLimitExceeded; ratelimit-reset is epoch seconds
            raise RateLimited(f"Bluesky rate limit: {text}", retry_after=_retry_after(response), **extra)
        if status >= 500:  # includes 502 UpstreamFailure
            raise ProviderUnavailable(f"Bluesky is unavailable (HTTP {status}): {text}", **extra)
        login = "com.atproto.server.createSession" in (response.url or "")
        if error in LOGIN_REFUSALS or (login and status == 401):
            # A wrong app password, 2FA on a main password, a taken-down account: log in anew.
            raise ReconnectRequired(f"Bluesky refused the login ({text}). Connect with a valid app password.", **extra)
        if error in TOKEN_ERRORS or status == 401:  # an expired or revoked session: refresh once
            raise TokenExpired(f"Bluesky refused the session: {text}", **extra)
        if status == 413:  # PayloadTooLarge: over the PDS's cap per blob
            raise MediaUnavailable(f"Bluesky refused the file as too large: {text}", **extra)
        raise Rejected(f"Bluesky refused the request (HTTP {status}): {text}", **extra)

    # --- session ------------------------------------------------------------------------
    def xrpc(self, nsid: str, host: str = "api_url") -> str:
        return self.url(host, f"/xrpc/{nsid}")

    def post_url(self, uri: str) -> str:
        """bsky.app/profile/{handle}/post/{rkey} (the DID when the handle is unknown)."""
        author = self.credentials.get("handle") or _uri_parts(uri)[0]
        return self.web_url(f"/profile/{author}/post/{_uri_parts(uri)[2]}", key="web_url")

    def _login(self) -> dict:
        """`createSession` with the app password. Bluesky allows 30 logins per 5 minutes and
        300 a day per account, so this runs only at connect and when the session is gone."""
        identifier = self.named_account or self.credentials.get("did") or self.credentials.get("handle", "")
        body = {"identifier": identifier, "password": self.access_token}
        response = self.call("POST", self.xrpc("com.atproto.server.createSession"), json=body)
        session = http.json_or_empty(response)
        if not session.get("accessJwt") or not session.get("did"):
            raise ProviderUnavailable("Bluesky answered the login without a session.")
        return session

    def _bearer(self, which: str = "access_jwt") -> dict:
        token = self.credentials.get(which)
        if not token:  # connected, never used: the first call's refresh logs in
            raise TokenExpired("This Bluesky account has no session yet.")
        return {"Authorization": f"Bearer {token}"}

    @property
    def did(self) -> str:
        return self.credentials.get("did") or self.named_account

    def _service_token(self, aud: str, lxm: str) -> str:
        """A short-lived token for another service acting as this account (getServiceAuth)."""
        params = {"aud": aud, "lxm": lxm, "exp": int(time.time()) + SERVICE_TOKEN_SECONDS}
        url = self.xrpc("com.atproto.server.getServiceAuth")
        response = self.call("GET", url, headers=self._bearer(), params=params)
        token = http.json_or_empty(response).get("token")
        if not token:
            raise ProviderUnavailable("Bluesky answered getServiceAuth without a token.")
        return token

    # --- records ------------------------------------------------------------------------
    def _record(self, text: str, options: dict, *, embed: dict | None = None, reply: dict | None = None) -> dict:
        record = {"$type": POST, "text": text, "createdAt": _now()}
        if found := richtext.facets(text, self._resolve_handle):
            record["facets"] = found
        if options.get("langs"):
            record["langs"] = list(options["langs"])
        if reply:
            record["reply"] = reply
        if embed:
            record["embed"] = embed
        return record

    def _create_once(self, index: int, record: dict, state: dict, save) -> dict:
        """Create record `index` under an rkey chosen and saved first; an rkey saved by an
        earlier attempt is looked up before anything is created again."""
        rkeys = list(state.get("rkeys") or [])
        if index < len(rkeys):
            if found := self._get_record(rkeys[index]):
                return found
        else:
            rkeys.append(new_tid())
            save(rkeys=list(rkeys))
        body = {"repo": self.did, "collection": POST, "rkey": rkeys[index], "record": record}
        response = self.call("POST", self.xrpc("com.atproto.repo.createRecord"), headers=self._bearer(), json=body)
        created = http.json_or_empty(response)
        if not created.get("uri") or not created.get("cid"):
            raise ProviderUnavailable("Bluesky answered createRecord without a uri and cid.")
        return {"uri": created["uri"], "cid": created["cid"]}

    def _publish_thread(self, options: dict, posts: list[dict], state: dict, save) -> list[str]:
        parts = options.get("thread") or []
        root = self._thread_root(options, posts[0])
        for number, text in enumerate(parts[len(posts) - 1 :], start=len(posts) + 1):
            record = self._record(text, options, reply={"root": root, "parent": posts[-1]})
            try:
                posts.append(self._create_once(len(posts), record, state, save))
            except (Rejected, MediaUnavailable) as exc:
                done = len(posts)
                return [f"Bluesky refused post {number} of the thread ({exc}); posts 1-{done} are live, not the rest."]
            save.note(posts=list(posts))
        return []

    def _thread_root(self, options: dict, first: dict) -> dict:
        """The thread's root: the first post, or the root of the post it replies to."""
        if options.get("reply_to"):
            return self._reply_refs(options["reply_to"])["root"]
        return first

    def _reply_refs(self, uri: str) -> dict:
        parent = self._view_of(uri)
        if parent is None:
            raise Rejected(f"Bluesky has no post {uri} to reply to.")
        ref = {"uri": parent["uri"], "cid": parent["cid"]}
        root = ((parent.get("record") or {}).get("reply") or {}).get("root") or ref
        return {"root": {"uri": root["uri"], "cid": root["cid"]}, "parent": ref}

    def _view_of(self, uri: str) -> dict | None:
        """The post's view from the public AppView (uri, cid, record, counters), or None."""
        response = self.call("GET", self.xrpc("app.bsky.feed.getPosts", "appview_url"), params={"uris": uri})
        posts = http.json_or_empty(response).get("posts") or []
        return next((post for post in posts if isinstance(post, dict) and post.get("uri") == uri), None)

    def _get_record(self, rkey: str) -> dict | None:
        params = {"repo": self.did, "collection": POST, "rkey": rkey}
        try:
            response = self.call("GET", self.xrpc("com.atproto.repo.getRecord"), params=params)
        except Rejected as exc:  # 400 RecordNotFound
            if (exc.raw or {}).get("error") in ("RecordNotFound", "InvalidRequest"):
                return None
            raise
        body = http.json_or_empty(response)
        return {"uri": body["uri"], "cid": body["cid"]} if body.get("uri") and body.get("cid") else None

    def _find_by_text(self, text: str) -> dict | None:
        params = {"repo": self.did, "collection": POST, "limit": 25}
        response = self.call("GET", self.xrpc("com.atproto.repo.listRecords"), params=params)
        for item in http.json_or_empty(response).get("records") or []:
            if (item.get("value") or {}).get("text") == text and item.get("uri") and item.get("cid"):
                return {"uri": item["uri"], "cid": item["cid"]}
        return None

    def _resolve_handle(self, handle: str) -> str | None:
        try:
            response = self.call("GET", self.xrpc("com.atproto.identity.resolveHandle"), params={"handle": handle})
        except Rejected:  # "Unable to resolve handle": the mention stays plain text
            return None
        return http.json_or_empty(response).get("did") or None

    # --- embeds and blobs ---------------------------------------------------------------
    def _embed(self, content: Content, state: dict, save, warnings: list[str]) -> dict | None:
        options = content.options or {}
        media = None
        if content.media and content.media[0].kind == "video":
            media = self._video_embed(content.media[0], _alt(options, content.media, 0), state, save)
        elif content.media:
            media = self._images_embed(content, state, save)
        elif options.get("link_card"):
            media = self._card_embed(options["link_card"], state, save, warnings)
        if not options.get("quote"):
            return media
        quoted = self._view_of(options["quote"])
        if quoted is None:
            raise Rejected(f"Bluesky has no post {options['quote']} to quote.")
        record = {"$type": "app.bsky.embed.record", "record": {"uri": quoted["uri"], "cid": quoted["cid"]}}
        if media is None:
            return record
        return {"$type": "app.bsky.embed.recordWithMedia", "record": record, "media": media}

    def _images_embed(self, content: Content, state: dict, save) -> dict:
        blobs = list(state.get("blobs") or [])
        for item in content.media[len(blobs) :]:
            blobs.append(self._upload_blob(item))
            save.note(blobs=list(blobs))
        images = []
        for index, (item, blob) in enumerate(zip(content.media, blobs, strict=True)):
            image = {"image": blob, "alt": _alt(content.options or {}, content.media, index)}
            if item.width and item.height:
                image["aspectRatio"] = {"width": item.width, "height": item.height}
            images.append(image)
        return {"$type": "app.bsky.embed.images", "images": images}

    def _upload_blob(self, media: Media, body: bytes | None = None) -> dict:
        body = self.download(media) if body is None else body
        if media.kind == "image" and len(body) > IMAGE_MAX_BYTES:
            raise Rejected(f"A Bluesky image must be at most {IMAGE_MAX_BYTES:,} bytes; {media.url} is {len(body):,}.")
        headers = {**self._bearer(), "Content-Type": media.mime_type or "application/octet-stream"}
        response = self.call("POST", self.xrpc("com.atproto.repo.uploadBlob"), headers=headers, data=body)
        blob = http.json_or_empty(response).get("blob")
        if not isinstance(blob, dict):
            raise ProviderUnavailable("Bluesky answered uploadBlob without a blob.")
        return blob

    def _video_embed(self, media: Media, alt: str, state: dict, save) -> dict:
        """Upload through the video service (uploadVideo, then getJobStatus until the blob
        exists). Docs: https://docs.bsky.app/docs/tutorials/video"""
        blobs = list(state.get("blobs") or [])
        if not blobs:
            job = state.get("video_job") or self._start_video(media, save)
            blobs = [self._wait_video(job)]
            save.note(blobs=blobs)
        embed = {"$type": "app.bsky.embed.video", "video": blobs[0]}
        if alt:
            embed["alt"] = alt
        if media.width and media.height:
            embed["aspectRatio"] = {"width": media.width, "height": media.height}
        return embed

    def _start_video(self, media: Media, save) -> str:
        self._check_video_limits()
        body = self.download(media)
        token = self._service_token(f"did:web:{self._pds_host()}", "com.atproto.repo.uploadBlob")
        headers = {"Authorization": f"Bearer {token}", "Content-Type": media.mime_type or "video/mp4"}
        params = {"did": self.did, "name": f"{new_tid()}.mp4"}
        try:
            url = self.xrpc("app.bsky.video.uploadVideo", "video_url")
            response = self.call("POST", url, headers=headers, params=params, data=body)
            status = _job_status(http.json_or_empty(response))
        except Rejected as exc:  # 409 already_exists: the same file's earlier job
            status = _job_status(exc.raw or {})
            if (exc.raw or {}).get("error") != "already_exists" or not status.get("jobId"):
                raise
        if not status.get("jobId"):
            raise ProviderUnavailable("Bluesky's video service answered without a job id.")
        save(video_job=status["jobId"])
        return status["jobId"]

    def _check_video_limits(self) -> None:
        token = self._service_token(f"did:web:{self._host('video_url')}", "app.bsky.video.getUploadLimits")
        headers = {"Authorization": f"Bearer {token}"}
        url = self.xrpc("app.bsky.video.getUploadLimits", "video_url")
        limits = http.json_or_empty(self.call("GET", url, headers=headers))
        if limits.get("canUpload", True):
            return
        reason = limits.get("message") or limits.get("error") or "this account cannot upload videos now"
        if limits.get("remainingDailyVideos") == 0 or limits.get("remainingDailyBytes") == 0:
            raise RateLimited(f"Bluesky's daily video quota is used up: {reason}", retry_after=_until_utc_midnight())
        raise Rejected(f"Bluesky's video service refuses uploads for this account: {reason}", raw=limits)

    def _wait_video(self, job_id: str) -> dict:
        def check():
            response = self.call("GET", self.xrpc("app.bsky.video.getJobStatus", "video_url"), params={"jobId": job_id})
            status = _job_status(http.json_or_empty(response))
            if status.get("state") == VIDEO_FAILED:
                reason = status.get("message") or status.get("error") or "processing failed"
                raise MediaUnavailable(f"Bluesky could not process the video ({job_id}): {reason}", raw=status)
            return status["blob"] if isinstance(status.get("blob"), dict) else None

        return self.poll(check, what=f"Bluesky video job {job_id}")

    def _card_embed(self, card: dict, state: dict, save, warnings: list[str]) -> dict:
        title, description = card.get("title") or card["url"], card.get("description", "")
        external = {"uri": card["url"], "title": title, "description": description}
        if card.get("thumbnail_url"):
            thumb = state.get("thumb") or self._card_thumb(card["thumbnail_url"], warnings)
            if thumb:
                save(thumb=thumb)
                external["thumb"] = thumb
        return {"$type": "app.bsky.embed.external", "external": external}

    def _card_thumb(self, url: str, warnings: list[str]) -> dict | None:
        """The card's thumbnail, fetched with Dravo's guarded fetcher (the URL is the
        customer's: no private addresses) and uploaded as a blob; a warning instead when it
        cannot be fetched or is not an image of at most 1,000,000 bytes."""
        with SpooledTemporaryFile(max_size=IMAGE_MAX_BYTES + 1) as into:
            try:
                media_fetch.download(url, into)
            except MediaRejected as exc:
                warnings.append(f"The link card's thumbnail was left out: {exc}")
                return None
            into.seek(0)
            body = into.read()
        mime = _image_mime(body)
        if mime is None or len(body) > IMAGE_MAX_BYTES:
            warnings.append("The link card's thumbnail was left out: not a JPG/PNG/WEBP of at most 1,000,000 bytes.")
            return None
        return self._upload_blob(Media(url=url, kind="image", mime_type=mime), body)

    def _host(self, key: str) -> str:
        return urlsplit(self.endpoints[key]).netloc

    def _pds_host(self) -> str:
        """The host of the account's PDS (the session's DID document names it), which the
        video service uploads the blob to."""
        return self.credentials.get("pds_host") or self._host("api_url")


# --- pure helpers ------------------------------------------------------------------------
def new_tid() -> str:
    """A record key: a TID (microseconds since the epoch and a random clock id, 13
    characters of base32-sortable), so a retry can ask for the record by it."""
    value = (time.time_ns() // 1000) << 10 | secrets.randbelow(1024)
    return "".join(TID_ALPHABET[(value >> shift) & 31] for shift in range(60, -1, -5))


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _uri_parts(uri: str) -> tuple[str, str, str]:
    """(repo, collection, rkey) of an at:// URI."""
    repo, _, rest = uri.removeprefix("at://").partition("/")
    collection, _, rkey = rest.partition("/")
    return repo, collection, rkey


def _alt(options: dict, media: tuple[Media, ...], index: int) -> str:
    alts = options.get("alt_texts") or []
    if index < len(alts):
        return alts[index]
    return str(media[index].extra.get("alt_text") or "")


def _job_status(body: dict) -> dict:
    """The video job's status, answered bare or wrapped in `jobStatus` (the lexicon's shape)."""
    wrapped = body.get("jobStatus")
    return wrapped if isinstance(wrapped, dict) else body


def _session_credentials(session: dict) -> dict:
    credentials = {
        "access_jwt": session["accessJwt"],
        "refresh_jwt": session.get("refreshJwt", ""),
        "did": session.get("did", ""),
        "handle": session.get("handle", ""),
    }
    services = (session.get("didDoc") or {}).get("service") or []
    for service in services if isinstance(services, list) else []:
        if isinstance(service, dict) and str(service.get("id", "")).endswith("#atproto_pds"):
            credentials["pds_host"] = urlsplit(str(service.get("serviceEndpoint", ""))).netloc
    return credentials


def _jwt_expiry(token: str) -> datetime:
    """The `exp` of a JWT (read, not verified: only to know when to refresh)."""
    try:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        return datetime.fromtimestamp(int(claims["exp"]), UTC)
    except (IndexError, ValueError, KeyError, TypeError):
        return timezone.now() + SESSION_LIFETIME


def _retry_after(response) -> float:
    reset = response.headers.get("ratelimit-reset", "")
    if reset.isdigit():
        return max(1.0, int(reset) - time.time())
    return http.retry_after_seconds(response.headers.get("Retry-After"))


def _until_utc_midnight() -> float:
    now = datetime.now(UTC)
    midnight = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return (midnight - now).total_seconds()


def _image_mime(head: bytes) -> str | None:
    if head.startswith(b"\x89PNG"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None
