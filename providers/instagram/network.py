"""Instagram professional accounts, described once for the registry."""

from datetime import timedelta

from providers.instagram.client import InstagramClient
from providers.instagram.rules import CAPABILITIES, LIMITS
from providers.network import Credential, Network, Preview, week_hours

NETWORK = Network(
    key="instagram",
    label="Instagram",
    icon="IG",
    color="#b0216b",
    badge="background: #b0216b",
    client=InstagramClient,
    limits=LIMITS,
    hosts={
        "api_url": "https://graph.facebook.com",
        "ig_api_url": "https://graph.instagram.com",
        "upload_url": "https://rupload.facebook.com",
        "oauth_url": "https://www.facebook.com",
        "ig_oauth_url": "https://www.instagram.com",
        "ig_token_url": "https://api.instagram.com",
        "api_version": "v25.0",
    },
    # Only what publishing and analytics need (listed in the README).
    scopes=(
        "instagram_basic",
        "instagram_content_publish",
        "instagram_manage_comments",
        "instagram_manage_insights",
        "pages_show_list",
        "pages_read_engagement",
    ),
    oauth_backend="providers.instagram.oauth.InstagramConnect",
    token_lifetime=timedelta(days=60),
    refresh_ahead=timedelta(days=7),
    credentials=(Credential("ig_user_id", "Instagram user id", "Required for Instagram."),),
    content_kinds=tuple(CAPABILITIES["content_kinds"]),
    option_hints={("collaborators",): "Up to 3 usernames, one per line."},
    # Lunch breaks and evenings, mid-week first.
    best_hours=week_hours(
        (("tue", "wed", "thu"), (11, 13, 19)), (("mon", "fri"), (11, 13, 19)), (("sat", "sun"), (10, 19))
    ),
    preview=Preview(aspect="4 / 5", see_more=125),
)
