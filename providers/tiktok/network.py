"""TikTok creators, described once for the registry."""

from datetime import timedelta

from providers.network import Network, Preview, week_hours
from providers.tiktok.client import TikTokClient
from providers.tiktok.rules import CAPABILITIES, LIMITS

NETWORK = Network(
    key="tiktok",
    label="TikTok",
    icon="TT",
    color="#e3124b",
    badge="background: #202020; box-shadow: inset -3px 0 0 #e3124b, inset 3px 0 0 #1a9aa5",
    client=TikTokClient,
    limits=LIMITS,
    hosts={
        "api_url": "https://open.tiktokapis.com",
        "upload_url": "https://open-upload.tiktokapis.com",
        "oauth_url": "https://www.tiktok.com",
        "api_version": "v2",
    },
    # Only what publishing and analytics need (listed in the README).
    scopes=("user.info.basic", "user.info.stats", "video.publish", "video.upload", "video.list"),
    oauth_backend="providers.tiktok.oauth.TikTokConnect",
    token_lifetime=timedelta(hours=2),  # 2 hours since TikTok's 2026 change (was 24 h)
    refresh_ahead=timedelta(minutes=20),
    content_kinds=tuple(CAPABILITIES["content_kinds"]),
    option_hints={("privacy_level",): "Required by TikTok; the account may offer only some of these."},
    required_options=(("privacy_level",),),
    preview=Preview(aspect="9 / 16", see_more=100),
    # Leisure viewing: evenings, and the weekend.
    best_hours=week_hours(
        (("tue", "thu", "fri"), (19, 21)), (("sat", "sun"), (11, 19, 21)), (("mon", "wed"), (19, 21))
    ),
)
