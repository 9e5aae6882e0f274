"""YouTube channels, described once for the registry."""

from datetime import timedelta

from providers.network import DestinationKind, Network, Preview
from providers.youtube.client import YouTubeClient
from providers.youtube.rules import CAPABILITIES, LIMITS

NETWORK = Network(
    key="youtube",
    label="YouTube",
    icon="YT",
    color="#cc0000",  # YouTube red, darkened so white text on the badge reads (4.5:1)
    badge="background: #cc0000",
    client=YouTubeClient,
    limits=LIMITS,
    hosts={
        "api_url": "https://www.googleapis.com",
        "oauth_url": "https://accounts.google.com",
        "token_url": "https://oauth2.googleapis.com",
        "web_url": "https://www.youtube.com",
        "api_version": "v3",
    },
    # Uploading (thumbnails.set accepts it too) and reading the channel, its playlists and
    # its videos' statistics; `youtube` itself for adding videos to playlists.
    scopes=(
        "https://www.googleapis.com/auth/youtube.upload",
        "https://www.googleapis.com/auth/youtube.readonly",
        "https://www.googleapis.com/auth/youtube",
    ),
    oauth_backend="providers.youtube.oauth.YouTubeConnect",
    # Google's access tokens last an hour; the refresh token does not expire on its own
    # (it dies when revoked, after six months unused, or after seven days for an app in
    # Testing), so refreshing a few minutes ahead is enough.
    token_lifetime=timedelta(hours=1),
    refresh_ahead=timedelta(minutes=5),
    content_kinds=tuple(CAPABILITIES["content_kinds"]),
    option_hints={
        ("title",): "Up to 100 characters; without it, the first line of the post text.",
        ("description",): "Up to 5,000 bytes; without it, the post text.",
        ("privacy_status",): "public (default), unlisted or private, applied when Dravo publishes the post.",
        ("playlist_id",): "A playlist of the channel to add the video to (listed as its destinations).",
        ("shorts",): "Checks the video can be a Short (square or vertical, ≤ 3 min); YouTube decides.",
        ("thumbnail_url",): "A JPEG or PNG ≤ 2 MB; a channel not allowed custom thumbnails gets a warning.",
    },
    destinations=DestinationKind(kind="playlist", option="playlist_id", label="Playlist"),
    preview=Preview(aspect="16 / 9", see_more=100),
)
