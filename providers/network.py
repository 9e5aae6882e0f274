"""The descriptor of one network: everything the rest of Dravo needs to know about it,
as plain data, so that settings, accounts, the compose form, analytics and templates read
`providers.registry` instead of naming networks.

Each network folder (`providers/<network>/network.py`) builds one `Network`; the
registry lists them. Nothing here imports Django, so settings can read it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any


@dataclass(frozen=True)
class TextLimit:
    """The longest text a post may carry and how its length is counted: "chars" (code
    points), "utf16" (UTF-16 code units), "weighted" (X's weighted count, where URLs
    and wide characters weigh more), "utf8_emoji" (code points, except that an emoji
    counts its UTF-8 bytes), "utf8" (UTF-8 bytes), "url23" (grapheme clusters, where each
    http(s) URL counts 23 and a mention `@user@domain` only as `@user`) or "graphemes" (user-perceived
    characters: Unicode extended grapheme clusters, so an emoji family or a letter with
    its accent is one)."""

    max: int
    count: str = "chars"


@dataclass(frozen=True)
class MediaLimit:
    """One kind of media a network takes: its formats (MIME types), how many a post may
    carry, the largest file and, for video, the shortest and longest duration (seconds).
    None is a limit the network does not publish (or, for the longest duration, one that
    depends on the account); empty `formats` means the network names none."""

    kind: str  # one of providers.base.MEDIA_KINDS
    formats: tuple[str, ...]
    max_count: int | None = 1
    max_bytes: int | None = None
    seconds: tuple[float, float | None] | None = None


@dataclass(frozen=True)
class Limits:
    """A network's limits as data: the text limit, and the media it takes."""

    text: TextLimit
    media: tuple[MediaLimit, ...] = ()
    media_required: bool = False

    def media_for(self, kind: str) -> MediaLimit | None:
        return next((limit for limit in self.media if limit.kind == kind), None)


@dataclass(frozen=True)
class Credential:
    """A credential an account of this network needs besides its token (e.g. the Page id),
    required when it is connected with its own token (BYOK) unless `required` is False
    (one that only some of the network's accounts have, such as a self-hosted site's user)."""

    name: str
    label: str
    help_text: str = ""
    required: bool = True


@dataclass(frozen=True)
class DestinationKind:
    """What a network calls the places inside an account a post can go to ("board",
    "playlist", "location", "category"), and the option of `platform_options.<network>`
    that takes one's id. The client lists them (`destinations()`); the API serves them at
    `GET /v1/accounts/{id}/destinations` and the compose form offers them as a select.
    `multiple`: the option takes a list of ids (a blog's categories)."""

    kind: str
    option: str
    label: str
    required: bool = False
    multiple: bool = False


def week_hours(*groups: tuple[tuple[str, ...], tuple[int, ...]]) -> tuple[tuple[str, int], ...]:
    """Hours of the week as (day, local hour), best first, from groups of days × hours."""
    return tuple((day, hour) for days, hours in groups for hour in hours for day in days)


# When an account has too little history of its own, auto-scheduling ranks the hours of
# the week by its network's `best_hours` (local hours of the request's time zone, best
# first; an hour not listed scores nothing): mid-week working hours first.
DEFAULT_BEST_HOURS = week_hours(
    (("tue", "wed", "thu"), (9, 12, 17)),
    (("mon", "fri"), (9, 12, 17)),
    (("tue", "wed", "thu"), (10, 13, 18)),
    (("sat", "sun"), (10, 11)),
)


@dataclass(frozen=True)
class Preview:
    """How a post looks in the network's feed, for the compose page's preview cards:
    `aspect` is the CSS aspect-ratio ("4 / 5") its feed crops the first image to, and
    `see_more` how many characters of the text show before the feed folds the rest
    behind "… more" (None: the feed shows the whole text)."""

    aspect: str = "1 / 1"
    see_more: int | None = None


@dataclass(frozen=True)
class Network:
    """One network, described once.

    `hosts` are the defaults of every base URL the client uses, plus `api_version`; each
    can be overridden by the environment variable `DRAVO_<KEY>_<HOST>` (e.g.
    `DRAVO_<KEY>_API_URL`). `refresh_ahead` is how long before its expiry a token is
    refreshed; `oauth_backend` is the dotted path of the social-auth backend that connects
    accounts (a path, so settings can list it without importing social-auth), or None for
    a network connected only with its own credentials (BYOK, `POST /v1/accounts`), in
    which case `connect_hint` tells how."""

    key: str
    label: str
    icon: str  # the short text of the network's badge in the dashboard
    color: str  # the charts' colour
    badge: str  # the CSS declarations of the dashboard badge (white text on it)
    client: type
    limits: Limits
    hosts: dict[str, str]
    scopes: tuple[str, ...]
    oauth_backend: str | None  # None: no hosted connect (BYOK only; see connect_hint)
    refresh_ahead: timedelta
    token_lifetime: timedelta | None = None  # None: the token does not expire on its own
    credentials: tuple[Credential, ...] = ()
    content_kinds: tuple[str, ...] = ()
    option_hints: dict[tuple[str, ...], str] = field(default_factory=dict)
    connect_hint: str = ""  # how to connect an account when there is no oauth_backend
    # What a live hosted connect must be told first, added to the connect link's query
    # (a server of a federated network). Test mode uses the sandbox and needs none.
    connect_params: tuple[Credential, ...] = ()
    destinations: DestinationKind | None = None  # places inside an account a post goes to
    # The network refuses a post whose text repeats one of the account's recent posts
    # (so a recycled post needs variations there).
    refuses_repeated_text: bool = False
    # Options (paths in platform_options.<key>) the network needs before it publishes; the
    # schema leaves them optional (a draft or a per-account override may lack them) and
    # validate() asks for them. The compose form shows them first, marked required.
    required_options: tuple[tuple[str, ...], ...] = ()
    preview: Preview = Preview()  # how its feed shows a post (the compose page's preview)
    best_hours: tuple[tuple[str, int], ...] = DEFAULT_BEST_HOURS  # see DEFAULT_BEST_HOURS

    def endpoints(self, env: Callable[[str, str], str]) -> dict[str, str]:
        """The hosts and API version, each read from `DRAVO_<KEY>_<HOST>` through `env`
        (name, default) with this descriptor's value as the default."""
        return {host: env(f"DRAVO_{self.key.upper()}_{host.upper()}", value) for host, value in self.hosts.items()}

    @property
    def has_oauth(self) -> bool:
        """Whether accounts can connect through the network's consent (hosted connect links)."""
        return bool(self.oauth_backend)

    @property
    def credential_names(self) -> list[str]:
        return [credential.name for credential in self.credentials]

    @property
    def required_credential_names(self) -> list[str]:
        return [credential.name for credential in self.credentials if credential.required]

    def as_json(self) -> dict[str, Any]:
        """What the dashboard's scripts need: label, badge, colour and text limit."""
        text = self.limits.text
        return {
            "label": self.label,
            "icon": self.icon,
            "badge": self.badge,
            "color": self.color,
            "limit": text.max,
            "count": text.count,
        }
