"""The social-auth backend that connects Threads profiles (shared parts: providers.oauth)."""

from social_core.backends.oauth import BaseOAuth2

from providers.oauth import DravoOAuthMixin, expiry


class ThreadsConnect(DravoOAuthMixin, BaseOAuth2):
    """Threads: authorization code (no PKCE, no refresh token) → a 1-hour token → the
    60-day token (`th_exchange_token`), stored with the profile it acts as.
    https://developers.facebook.com/docs/threads/get-started/get-access-tokens-and-permissions"""

    name = "dravo-threads"
    provider = "threads"
    AUTHORIZATION_PATH = "/oauth/authorize"
    TOKEN_PATH = "/oauth/access_token"
    ACCESS_TOKEN_METHOD = "POST"
    SCOPE_SEPARATOR = ","

    def grants(self, access_token, response):
        long_lived, expires_in = self.client({"access_token": access_token}).exchange_long_lived()
        grants = super().grants(long_lived, {})
        for grant in grants:
            grant["expires_at"] = expiry({"expires_in": expires_in or 60 * 86400})
        return grants
