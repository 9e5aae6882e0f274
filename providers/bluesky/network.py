"""Bluesky, described once for the registry."""

from datetime import timedelta

from providers.bluesky.client import BlueskyClient
from providers.bluesky.rules import CAPABILITIES, LIMITS
from providers.network import Network, Preview

NETWORK = Network(
    key="bluesky",
    label="Bluesky",
    icon="bs",
    color="#1185FE",
    badge="background: #0b5cc4",  # darker than the brand blue, so white text on it is readable
    client=BlueskyClient,
    limits=LIMITS,
    hosts={
        # The PDS (or the entryway of Bluesky-hosted accounts), where sessions and records live.
        "api_url": "https://bsky.social",
        # The public AppView: post views and counters, no auth.
        "appview_url": "https://public.api.bsky.app",
        "video_url": "https://video.bsky.app",
        "web_url": "https://bsky.app",
    },
    scopes=(),
    # Connected with an app password (BYOK): atproto OAuth (PAR, DPoP) is not built.
    oauth_backend=None,
    connect_hint=(
        "Connect it with an app password (Bluesky: Settings, Privacy and security, App passwords): "
        "POST /v1/accounts with platform_account_id set to the handle or DID and credentials.access_token "
        "set to the app password."
    ),
    # Access JWTs live 2 hours (their `exp`); the refresh JWT 90 days.
    token_lifetime=timedelta(hours=2),
    refresh_ahead=timedelta(minutes=20),
    content_kinds=tuple(CAPABILITIES["content_kinds"]),
    option_hints={
        ("thread",): "Further posts published as replies, one per line.",
        ("alt_texts",): "Alt text of each image (or the video), one per line, in the order of the media.",
        ("langs",): "Up to 3 language codes, one per line, e.g. en, pt-BR.",
        ("reply_to",): "The at:// URI of the post to reply to.",
        ("quote",): "The at:// URI of the post to quote.",
    },
    preview=Preview(aspect="16 / 9", see_more=None),
)
