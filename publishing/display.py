"""Small display helpers of the dashboard's post pages: whether a shown post may still
change (so the page keeps asking), a short token of what is shown of it (so only what
changed is sent again), and readable forms of a post's options, media and accounts.
Pure functions of rows already loaded: no queries."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from hashlib import blake2s
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from rest_framework import serializers

from accounts.models import SocialAccount
from providers import registry
from publishing.models import Post

# A scheduled post due this soon is polled too: it goes out while the page is open.
DUE_SOON = timedelta(minutes=5)
# The most posts one live request asks about (a history page shows 20).
LIVE_LIMIT = 50


def post_is_settling(*, post: Post, now: datetime) -> bool:
    """Whether the post's shown state may still change on its own: queued or processing,
    or scheduled and due within DUE_SOON. Drafts, scheduled posts far ahead and final
    posts (published, partial, failed, canceled) only change when someone acts."""
    if post.status in (Post.Status.QUEUED, Post.Status.PROCESSING):
        return True
    due = post.scheduled_at
    return post.status == Post.Status.SCHEDULED and due is not None and due <= now + DUE_SOON


def post_live_token(*, post: Post) -> str:
    """A short token of everything the post's card shows that a worker changes: the post's
    status and, per result, its status, attempts, time of next attempt and error. Equal
    tokens mean the card would render the same."""
    parts = [post.status, str(post.finished_at)]
    for d in post.results:
        parts += [d.account_id, d.status, str(d.attempts), str(d.next_attempt_at), d.error_code, d.platform_post_url]
    return blake2s("|".join(parts).encode(), digest_size=6).hexdigest()


def live_ids(*, post: Post, now: datetime) -> str:
    """What a post's card or page polls with: `<post id>:<token>` while the post is
    settling, else "" (the card renders without polling attributes, and stops asking)."""
    return f"{post.pk}:{post_live_token(post=post)}" if post_is_settling(post=post, now=now) else ""


def parse_live_query(*, value: str) -> dict[str, str]:
    """{post id: token} from a poller's `ids` (at most LIVE_LIMIT; malformed parts skipped)."""
    pairs = (part.split(":", 1) for part in value.split(",")[:LIVE_LIMIT] if ":" in part)
    return {post_id.strip(): token.strip() for post_id, token in pairs if post_id.strip()}


def safe_back_path(*, url: str) -> str:
    """The path and query of `url` (the page a fragment lands in, where its forms go back
    to), or "" for anything else than a path on this site."""
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return path if path.startswith("/") and not path.startswith("//") else ""


# --- a post's page: options, media and accounts in words ---------------------------------------
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".bmp", ".tif", ".tiff", ".heic", ".avif"}
VIDEO_SUFFIXES = {".mp4", ".mov", ".m4v", ".webm", ".avi", ".mkv", ".mpeg", ".mpg"}


@dataclass(frozen=True)
class OptionRow:
    label: str
    value: str


@dataclass(frozen=True)
class OptionGroup:
    """The options of one network, or of one account over its network's."""

    title: str
    provider: str
    rows: list[OptionRow]


@dataclass(frozen=True)
class MediaItem:
    url: str
    name: str
    kind: str  # "image", "video" or "file"
    alt: str


@dataclass(frozen=True)
class AccountItem:
    id: str
    provider: str
    name: str


def humanize(*, key: str) -> str:
    """An option key in words: `reply_to_post_id` → "Reply to post ID"."""
    words = key.replace("_", " ").strip().capitalize()
    return " ".join({"id": "ID", "url": "URL", "urls": "URLs", "ms": "(ms)"}.get(w, w) for w in words.split(" "))


@cache
def _option_fields(provider: str) -> dict:
    """The bound fields of the network's options serializer ({} for an unknown network)."""
    client = registry.CLIENTS.get(provider)
    return dict(client.options_serializer().fields) if client else {}


def _label(*, key: str, field) -> str:
    """The field's own label when its serializer gives one (a bound field without one has
    DRF's default, the key capitalized), else the key in words."""
    given = str(getattr(field, "label", "") or "")
    return given if given and given != key.replace("_", " ").capitalize() else humanize(key=key)


def option_value(*, value, field=None) -> str:
    """One option's value in words: Yes/No, a choice's label, a list joined by commas."""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list | tuple):
        return ", ".join(option_value(value=item) for item in value) or "none"
    if isinstance(field, serializers.ChoiceField) and value in field.choices:
        return str(field.choices[value])
    return "" if value is None else str(value)


def option_rows(*, provider: str, options: dict) -> list[OptionRow]:
    """Labelled rows of one network's options; a nested option (an object) gives one row
    per inner key, labelled "Outer: inner"."""
    return _rows(fields=_option_fields(provider), options=options, prefix="")


def _rows(*, fields: dict, options: dict, prefix: str) -> list[OptionRow]:
    rows = []
    for key, value in options.items():
        field = fields.get(key)
        label = prefix + _label(key=key, field=field)
        if isinstance(value, dict):
            inner = dict(field.fields) if isinstance(field, serializers.Serializer) else {}
            rows += _rows(fields=inner, options=value, prefix=f"{label}: ")
        else:
            rows.append(OptionRow(label, option_value(value=value, field=field)))
    return rows


def option_groups(*, post: Post, accounts: dict[str, SocialAccount]) -> list[OptionGroup]:
    """The post's `platform_options` as groups of labelled rows: one per network, in the
    registry's order, then one per account ("<account> on <network>") in request order."""
    options = {k: v for k, v in (post.platform_options or {}).items() if isinstance(v, dict)}
    groups = [
        OptionGroup(net.label, key, option_rows(provider=key, options=options[key]))
        for key, net in registry.NETWORKS.items()
        if key in options
    ]
    targets = dict(post.targets)
    for key in (k for k in options if k not in registry.NETWORKS):
        account = accounts.get(key)
        provider = account.provider if account else targets.get(key, "")
        network = registry.NETWORKS.get(provider)
        name = account_name(account=account) if account else key
        title = f"{name} on {network.label}" if network else name
        groups.append(OptionGroup(title, provider, option_rows(provider=provider, options=options[key])))
    return groups


def media_items(*, urls: list[str]) -> list[MediaItem]:
    """The post's media as thumbnails: kind from the file name's suffix, and alt text
    naming its place and file ("Image 1 of 2: banner.jpg")."""
    items = []
    for i, url in enumerate(urls, start=1):
        name = unquote(PurePosixPath(urlsplit(url).path).name) or url
        suffix = PurePosixPath(name).suffix.lower()
        kind = "image" if suffix in IMAGE_SUFFIXES else "video" if suffix in VIDEO_SUFFIXES else "file"
        noun = {"image": "Image", "video": "Video", "file": "File"}[kind]
        items.append(MediaItem(url, name, kind, f"{noun} {i} of {len(urls)}: {name}"))
    return items


def account_name(*, account: SocialAccount) -> str:
    """How a person knows the account: its handle, unless that is only an id (a number,
    such as a Page's, or the account's platform id), then its name; else whichever of
    them it has."""
    handle = account.handle.strip()
    if handle and not handle.lstrip("@").isdigit() and handle != account.platform_account_id:
        return handle
    return account.name.strip() or handle or account.platform_account_id


def post_accounts(*, post: Post, accounts: dict[str, SocialAccount]) -> list[AccountItem]:
    """The post's accounts in request order, by name and network (an account no longer
    found is shown by its id)."""
    items = []
    for account_id, provider in post.targets:
        account = accounts.get(account_id)
        name = account_name(account=account) if account else account_id
        items.append(AccountItem(account_id, account.provider if account else provider, name))
    return items
