"""The social-auth backend that connects YouTube channels (shared parts: providers.google_oauth
and providers.oauth)."""

from providers.google_oauth import GoogleConnect


class YouTubeConnect(GoogleConnect):
    """YouTube: Google's OAuth 2.0 web-server flow with offline access; the consent gives
    an hour-long access token and a refresh token kept with the account, and the channel
    behind it (`channels.list?mine=true`) is the account.
    https://developers.google.com/youtube/v3/guides/auth/server-side-web-apps"""

    name = "dravo-youtube"
    provider = "youtube"
