"""WordPress sites (WordPress.com and self-hosted), described once for the registry.

`api_url` and `oauth_url` are WordPress.com's. `sites_url` is empty by default, meaning
"each self-hosted account's own `site_url`"; when set, every self-hosted site is served by
that host under `/self/<host>[/<path>]/wp-json/` (the sandbox does this).
"""

from datetime import timedelta

from providers.network import Credential, DestinationKind, Network, Preview
from providers.wordpress.client import WordPressClient
from providers.wordpress.rules import CAPABILITIES, LIMITS

NETWORK = Network(
    key="wordpress",
    label="WordPress",
    icon="W",
    color="#21759b",
    badge="background: #21759b",
    client=WordPressClient,
    limits=LIMITS,
    hosts={
        "api_url": "https://public-api.wordpress.com",
        "oauth_url": "https://public-api.wordpress.com",
        "sites_url": "",
    },
    # No scope: WordPress.com then grants a token for the one blog the user picks, which can
    # post, upload and read that blog's stats.
    scopes=(),
    oauth_backend="providers.wordpress.oauth.WordPressComConnect",
    # WordPress.com code-flow tokens and Application Passwords live until revoked; neither
    # has a refresh grant (the WordPress.com half is unconfirmed: see the README).
    token_lifetime=None,
    refresh_ahead=timedelta(0),
    credentials=(
        Credential(
            "site_url",
            "Site",
            "A WordPress.com site's domain or blog id, or a self-hosted site's https URL (a subfolder is fine).",
        ),
        Credential(
            "username",
            "WordPress user",
            "Self-hosted sites: the user whose Application Password is the access token (without its spaces). "
            "Empty for WordPress.com.",
            required=False,
        ),
    ),
    content_kinds=tuple(CAPABILITIES["content_kinds"]),
    option_hints={
        ("title",): "The post's title. Without it, the text's first line is the title and the rest the post.",
        ("html",): "The text is already HTML or block markup (sent as is); otherwise it becomes paragraphs.",
        ("slug",): "The post's URL name: lowercase letters, digits and hyphens.",
        ("tags",): "Tag names, one per line; missing tags are created.",
        ("format",): "The theme's post format (standard unless the theme supports others).",
    },
    destinations=DestinationKind(kind="category", option="categories", label="Categories", multiple=True),
    preview=Preview(aspect="16 / 9", see_more=300),
)
