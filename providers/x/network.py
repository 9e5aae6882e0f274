"""X, described once for the registry."""

from datetime import timedelta

from providers.network import Network, Preview
from providers.x.client import XClient
from providers.x.rules import CAPABILITIES, LIMITS

NETWORK = Network(
    key="x",
    label="X",
    icon="X",
    color="#111111",
    badge="background: #111111",
    client=XClient,
    limits=LIMITS,
    hosts={"api_url": "https://api.x.com", "oauth_url": "https://x.com", "api_version": "2"},
    # Only what publishing and analytics need (listed in the README).
    scopes=("tweet.read", "tweet.write", "users.read", "media.write", "offline.access"),
    oauth_backend="providers.x.oauth.XConnect",
    token_lifetime=timedelta(hours=2),
    refresh_ahead=timedelta(minutes=20),
    content_kinds=tuple(CAPABILITIES["content_kinds"]),
    option_hints={
        ("poll", "options"): "2 to 4 choices, one per line, 1–25 characters each. Not with media.",
        ("thread",): "Further posts published as replies, one per line.",
    },
    refuses_repeated_text=True,  # its duplicate-content refusal
    preview=Preview(aspect="16 / 9", see_more=None),
)
