"""Facebook Pages, described once for the registry."""

from datetime import timedelta

from providers.facebook.client import FacebookClient
from providers.facebook.rules import CAPABILITIES, LIMITS
from providers.network import Credential, Network, Preview

NETWORK = Network(
    key="facebook",
    label="Facebook",
    icon="f",
    color="#1559c7",
    badge="background: #1559c7",
    client=FacebookClient,
    limits=LIMITS,
    hosts={
        "api_url": "https://graph.facebook.com",
        "video_url": "https://graph-video.facebook.com",
        "upload_url": "https://rupload.facebook.com",
        "oauth_url": "https://www.facebook.com",
        "api_version": "v25.0",
    },
    # Only what publishing and analytics need (listed in the README).
    scopes=(
        "pages_show_list",
        "pages_manage_posts",
        "pages_read_engagement",
        "pages_manage_engagement",
        "read_insights",
    ),
    oauth_backend="providers.facebook.oauth.FacebookConnect",
    token_lifetime=None,  # a Page token from a long-lived user token does not expire
    refresh_ahead=timedelta(days=7),
    credentials=(Credential("page_id", "Facebook Page id", "Required for Facebook."),),
    content_kinds=tuple(CAPABILITIES["content_kinds"]),
    refuses_repeated_text=True,  # its duplicate-content refusal
    preview=Preview(aspect="4 / 5", see_more=480),
)
