"""Threads profiles, described once for the registry."""

from datetime import timedelta

from providers.network import Credential, Network, Preview
from providers.threads.client import ThreadsClient
from providers.threads.rules import CAPABILITIES, LIMITS

NETWORK = Network(
    key="threads",
    label="Threads",
    icon="@",
    color="#101010",
    badge="background: #101010",
    client=ThreadsClient,
    limits=LIMITS,
    hosts={"api_url": "https://graph.threads.net", "oauth_url": "https://threads.com", "api_version": "v1.0"},
    # Only what publishing (posts, replies, thread chains) and insights need (README).
    scopes=("threads_basic", "threads_content_publish", "threads_manage_replies", "threads_manage_insights"),
    oauth_backend="providers.threads.oauth.ThreadsConnect",
    # Long-lived tokens last 60 days; th_refresh_token needs one at least 24 h old.
    token_lifetime=timedelta(days=60),
    refresh_ahead=timedelta(days=10),
    credentials=(Credential("threads_user_id", "Threads user id", "Required for Threads."),),
    content_kinds=tuple(CAPABILITIES["content_kinds"]),
    option_hints={
        ("poll", "options"): "2 to 4 choices, one per line, 1–25 characters each. Text-only posts.",
        ("thread",): "Further posts published as replies, one per line.",
        ("topic_tag",): "One topic, without '.' or '&'.",
        ("link_attachment",): "A link card for a text-only post.",
    },
    preview=Preview(aspect="3 / 4", see_more=None),
)
