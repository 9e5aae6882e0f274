"""Mastodon, described once for the registry.

Every account lives on its own server: `api_url` is empty by default, meaning "the
account's `instance_url`"; DRAVO_MASTODON_API_URL pins every live account to one server.
"""

from datetime import timedelta

from providers.mastodon.client import MastodonClient
from providers.mastodon.rules import CAPABILITIES, LIMITS
from providers.network import Credential, Network, Preview

NETWORK = Network(
    key="mastodon",
    label="Mastodon",
    icon="M",
    color="#6364FF",
    badge="background: #6364FF",
    client=MastodonClient,
    limits=LIMITS,
    hosts={"api_url": "", "oauth_url": ""},
    # Only what publishing and analytics need (profile: verify_credentials since 4.3).
    scopes=("write:statuses", "write:media", "read:statuses", "profile"),
    oauth_backend="providers.mastodon.oauth.MastodonConnect",
    token_lifetime=None,  # tokens live until revoked; there is no refresh grant
    refresh_ahead=timedelta(0),
    credentials=(
        Credential(
            "instance_url",
            "Instance URL",
            "The account's server, e.g. https://mastodon.social (https, a public host).",
        ),
    ),
    connect_params=(Credential("instance", "Your Mastodon server", "For example mastodon.social."),),
    content_kinds=tuple(CAPABILITIES["content_kinds"]),
    option_hints={
        ("visibility",): "public, unlisted, private (followers only) or direct (mentioned people only).",
        ("spoiler_text",): "Content warning shown before the post; it counts toward the length.",
        ("poll", "options"): "2 to 4 choices (the instance's limit), one per line. Not with media.",
        ("poll", "expires_in"): "Seconds the poll stays open (default limits: 300 to 2,629,746).",
        ("thread",): "Further posts published as replies, one per line.",
        ("alt_texts",): "Alt text of each media, in order, one per line.",
    },
    preview=Preview(aspect="16 / 9", see_more=500),
)
