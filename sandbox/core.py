"""What every sandbox network shares: the behaviour header, latency, attempt counting,
ids, stored records, deterministic metrics that grow with the time since publishing, and
the public page of a post."""

import hashlib
import math
import secrets
import time
from dataclasses import dataclass
from functools import wraps
from urllib.parse import unquote

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from sandbox.models import SandboxRecord
from sandbox.session import ACCOUNT_HEADER, BEHAVIOR_HEADER

BEHAVIORS = ("ok", "rate_limited", "flaky", "token_expired", "rejects", "slow")
DEFAULT_SLOW_MS = 2000
REJECT_REASON = "The sandbox refuses every post of this account (behavior 'rejects')."


@dataclass(frozen=True)
class Behavior:
    name: str = "ok"
    latency_ms: int = 0

    @property
    def delay_s(self) -> float:
        if self.name == "slow":
            return (self.latency_ms or DEFAULT_SLOW_MS) / 1000
        return self.latency_ms / 1000


def behavior_of(request) -> Behavior:
    """Parse `X-Dravo-Sandbox: behavior=flaky;latency_ms=0` (sent by clients of sandbox accounts)."""
    raw = request.headers.get(BEHAVIOR_HEADER, "")
    values = dict(part.split("=", 1) for part in raw.split(";") if "=" in part)
    name = values.get("behavior", "ok").strip()
    latency = values.get("latency_ms", "0").strip()
    return Behavior(name=name if name in BEHAVIORS else "ok", latency_ms=int(latency) if latency.isdigit() else 0)


def sandbox_view(view):
    """Wrap a sandbox view: 404 unless DRAVO_SANDBOX is on, CSRF-exempt, and the account's latency applied."""

    @csrf_exempt
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not settings.SANDBOX_ENABLED:
            raise Http404("The sandbox is off.")
        behavior = behavior_of(request)
        if behavior.delay_s:
            time.sleep(behavior.delay_s)
        request.sandbox = behavior
        return view(request, *args, **kwargs)

    return wrapper


def bearer_token(request) -> str:
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return request.GET.get("access_token") or request.POST.get("access_token") or ""


def is_refused_token(token: str) -> bool:
    """verify() always succeeds except for a missing token or one starting with `invalid`."""
    return not token or token.startswith("invalid")


def claimed_account(request) -> str:
    """The account a connect's verify() names for its token (Page, IG user, author,
    creator, user), or "" on any other call."""
    return unquote(request.headers.get(ACCOUNT_HEADER, "")).strip()


def token_binding(network: str, token: str, request, *, owner: str = "", **data) -> SandboxRecord | None:
    """The record of `token`: the account the sandbox issued it for or bound it to. A
    token it never saw, named by a connect's verify(), is bound now, for good, to the
    claimed account (the record's owner, unless `owner` is given), with `data`; the first
    binding wins. None for a token never issued nor claimed (the network then derives an
    account from it)."""
    record = record_get(network, "token", token)
    claimed = claimed_account(request)
    if record is not None or not claimed or is_refused_token(token):
        return record
    try:
        with transaction.atomic():
            return record_create(network, "token", token, owner=owner or claimed, status="bound", **data)
    except IntegrityError:  # a concurrent verify bound it first
        return record_get(network, "token", token)


def first_attempt(network: str, *parts: str) -> bool:
    """True the first time this (network, parts) publish is attempted, False afterwards.
    Used by the `rate_limited` and `flaky` behaviours: the first attempt fails."""
    key = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    try:
        with transaction.atomic():
            SandboxRecord.objects.create(network=network, kind="attempt", object_id=key)
    except IntegrityError:
        return False
    return True


def numeric_id(digits: int = 17) -> str:
    first = str(secrets.randbelow(9) + 1)
    return first + "".join(str(secrets.randbelow(10)) for _ in range(digits - 1))


def account_id_for(token: str, digits: int = 15) -> str:
    """A stable numeric account id derived from a token (the sandbox has no user table)."""
    number = int(hashlib.sha256(token.encode()).hexdigest(), 16)
    return str(number)[:digits]


def record_create(network: str, kind: str, object_id: str, *, owner: str = "", status: str = "", **data):
    return SandboxRecord.objects.create(
        network=network, kind=kind, object_id=object_id, owner=owner, status=status, data=data
    )


def record_get(network: str, kind: str, object_id: str) -> SandboxRecord | None:
    return SandboxRecord.objects.filter(network=network, kind=kind, object_id=object_id).first()


def record_list(network: str, kind: str, *, owner: str | None = None):
    qs = SandboxRecord.objects.filter(network=network, kind=kind)
    if owner is not None:
        qs = qs.filter(owner=owner)
    return qs.order_by("-created_at", "-id")


def text_taken(network: str, owner: str, text: str) -> SandboxRecord | None:
    """A live post of `owner` with exactly this text (for networks that refuse duplicates)."""
    return record_list(network, "post", owner=owner).filter(data__text=text).first()


def grown_metrics(record: SandboxRecord, keys_and_rates: dict[str, float]) -> dict[str, int]:
    """Deterministic metrics: each key grows with log(1 + minutes since publishing),
    scaled by its rate and a per-post factor from the post id."""
    minutes = max(0.0, (timezone.now() - record.created_at).total_seconds() / 60)
    seed = int(hashlib.sha256(record.object_id.encode()).hexdigest()[:8], 16)
    factor = 1 + (seed % 100) / 100
    growth = math.log1p(minutes) + 1
    return {key: int(rate * factor * growth) for key, rate in keys_and_rates.items()}


SANDBOX_EPOCH = 739617  # 2026-01-01's ordinal: the sandbox's accounts have their rates then


def account_metrics(account_id: str, keys_and_rates: dict[str, float], *, day=None) -> dict[str, int]:
    """Deterministic account-level numbers for the sandbox's accounts: each key is its rate
    times a per-account factor (from the account id), followers growing by 0.2 % a day, so a
    followers count rises plausibly from one day to the next and is the same on every read
    of a day. `day`: a date (today by default)."""
    day = day or timezone.now().date()
    seed = int(hashlib.sha256(account_id.encode()).hexdigest()[:8], 16)
    factor = 1 + (seed % 400) / 100
    growth = 1.002 ** (day.toordinal() - SANDBOX_EPOCH)
    wobble = 1 + ((seed >> 8) + day.toordinal()) % 7 / 100  # the other numbers vary a little by day
    return {
        key: int(rate * factor * (growth if key.startswith(("follow", "subscri", "member")) else wobble))
        for key, rate in keys_and_rates.items()
    }


@dataclass(frozen=True)
class PageMedia:
    """One media item on a post's public page: its URL when the sandbox knows it (a file
    fetched from a URL), else only its kind (bytes uploaded to the sandbox)."""

    kind: str  # image, video or document
    url: str = ""


def media_kind(url: str, default: str = "image") -> str:
    """image, video or document, guessed from the file name of `url`."""
    name = url.lower().rsplit("?", 1)[0]
    if name.endswith((".mp4", ".mov", ".m4v", ".webm")):
        return "video"
    if name.endswith((".pdf", ".ppt", ".pptx", ".doc", ".docx")):
        return "document"
    return default


def post_page(request, *, network: str, record: SandboxRecord | None, author: str, media=(), text=None):
    """The sandbox's stand-in for a post's page on the network's website: the network, the
    author, the text (the record's unless given) and the media, as HTML. 404 when there is
    no such post."""
    if record is None:
        raise Http404(f"No such {network} post in the sandbox.")
    context = {
        "network": network,
        "author": author,
        "text": record.data.get("text", "") if text is None else text,
        "post_id": record.object_id,
        "created_at": record.created_at,
        "media": list(media),
    }
    return render(request, "sandbox/post.html", context)
