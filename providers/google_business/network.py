"""Google Business Profile locations, described once for the registry."""

from datetime import timedelta

from providers.google_business.client import GoogleBusinessClient
from providers.google_business.rules import CAPABILITIES, LIMITS
from providers.network import Network, Preview

NETWORK = Network(
    key="google_business",
    label="Google Business Profile",
    icon="G",
    color="#1a73e8",
    badge="background: #1a73e8",
    client=GoogleBusinessClient,
    limits=LIMITS,
    hosts={
        "api_url": "https://mybusiness.googleapis.com",  # local posts (v4) and their insights
        "account_url": "https://mybusinessaccountmanagement.googleapis.com",  # accounts (v1)
        "info_url": "https://mybusinessbusinessinformation.googleapis.com",  # locations (v1)
        "performance_url": "https://businessprofileperformance.googleapis.com",  # location metrics (v1)
        "oauth_url": "https://accounts.google.com",
        "token_url": "https://oauth2.googleapis.com",
        "api_version": "v4",
    },
    # The one scope of every Business Profile API.
    scopes=("https://www.googleapis.com/auth/business.manage",),
    oauth_backend="providers.google_business.oauth.GoogleBusinessConnect",
    # Access tokens last an hour; the refresh token does not rotate and lives until revoked
    # (or six months unused), so refreshing a quarter of an hour ahead is enough.
    token_lifetime=timedelta(hours=1),
    refresh_ahead=timedelta(minutes=15),
    # The account is the location: a BYOK connect names it as platform_account_id
    # (accounts/{accountId}/locations/{locationId}), kept as the `location_name` credential.
    content_kinds=tuple(CAPABILITIES["content_kinds"]),
    option_hints={
        ("topic_type",): "STANDARD (an update, the default), EVENT, OFFER or ALERT.",
        ("language_code",): "The post's language (BCP 47), en-US unless given.",
        ("event", "title"): "EVENT and OFFER: required, up to 58 characters.",
        ("event", "start_date"): "EVENT and OFFER: required, YYYY-MM-DD.",
        ("event", "end_date"): "EVENT and OFFER: required, YYYY-MM-DD.",
        ("event", "start_time"): "HH:MM (24 h, the location's time); with end_time, or neither for whole days.",
        ("event", "end_time"): "HH:MM (24 h); with start_time.",
        ("call_to_action", "url"): "Required except for CALL (which rings the profile's phone number).",
        ("offer", "redeem_online_url"): "OFFER only: where the offer is redeemed.",
    },
    preview=Preview(aspect="4 / 3", see_more=150),
)
