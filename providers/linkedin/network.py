"""LinkedIn members and organizations, described once for the registry."""

from datetime import timedelta

from providers.linkedin.client import LinkedInClient
from providers.linkedin.rules import CAPABILITIES, LIMITS
from providers.network import Credential, Network, Preview, week_hours

NETWORK = Network(
    key="linkedin",
    label="LinkedIn",
    icon="in",
    color="#0a8acb",
    badge="background: #0a5a99",
    client=LinkedInClient,
    limits=LIMITS,
    hosts={"api_url": "https://api.linkedin.com", "oauth_url": "https://www.linkedin.com", "api_version": "202606"},
    # Only what publishing and analytics need (listed in the README).
    scopes=(
        "openid",
        "profile",
        "w_member_social",
        "w_organization_social",
        "r_organization_social",
        "rw_organization_admin",
    ),
    oauth_backend="providers.linkedin.oauth.LinkedInConnect",
    token_lifetime=timedelta(days=60),
    refresh_ahead=timedelta(days=7),
    credentials=(Credential("author_urn", "LinkedIn author URN", "Required for LinkedIn, e.g. urn:li:person:…"),),
    content_kinds=tuple(CAPABILITIES["content_kinds"]),
    refuses_repeated_text=True,  # its duplicate-content refusal
    # A working audience: weekday business hours, none at the weekend.
    best_hours=week_hours(
        (("tue", "wed", "thu"), (8, 10, 12)), (("mon", "fri"), (8, 10, 12)), (("tue", "wed", "thu"), (9, 17))
    ),
    preview=Preview(aspect="1.91 / 1", see_more=210),
)
