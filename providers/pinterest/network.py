"""Pinterest accounts, described once for the registry."""

from datetime import timedelta

from providers.network import DestinationKind, Network, Preview
from providers.pinterest.client import PinterestClient
from providers.pinterest.rules import CAPABILITIES, LIMITS

NETWORK = Network(
    key="pinterest",
    label="Pinterest",
    icon="P",
    color="#bd081c",
    badge="background: #bd081c",
    client=PinterestClient,
    limits=LIMITS,
    hosts={"api_url": "https://api.pinterest.com", "oauth_url": "https://www.pinterest.com", "api_version": "v5"},
    # Only what publishing (Pins on the user's boards, the board listing) and analytics need.
    scopes=("boards:read", "pins:read", "pins:write", "user_accounts:read"),
    oauth_backend="providers.pinterest.oauth.PinterestConnect",
    # Access tokens last 30 days (unconfirmed: the token answer's expires_in decides); the
    # refresh token lasts 60 days and each refresh answers a new one, so refreshing a week
    # ahead keeps both alive with room for a failed attempt or two.
    token_lifetime=timedelta(days=30),
    refresh_ahead=timedelta(days=7),
    content_kinds=tuple(CAPABILITIES["content_kinds"]),
    option_hints={
        ("board_id",): "Required: the board the Pin goes on (the account's boards are listed as its destinations).",
        ("title",): "Up to 100 characters; the post text is the Pin's description (800).",
        ("link",): "Where the Pin leads when clicked.",
        ("cover_image_url",): "Video Pins: the cover image. Without it, the frame at cover_image_key_frame_time (0 s).",
    },
    destinations=DestinationKind(kind="board", option="board_id", label="Board", required=True),
    preview=Preview(aspect="2 / 3", see_more=50),
)
