"""The social-auth backend that connects Pinterest accounts (shared parts: providers.oauth)."""

from datetime import UTC, datetime

from social_core.backends.oauth import BaseOAuth2

from providers.oauth import DravoOAuthMixin
from providers.pinterest.client import token_credentials


class PinterestConnect(DravoOAuthMixin, BaseOAuth2):
    """Pinterest: authorization code, the app authenticated by HTTP Basic at the token
    endpoint; the answer carries a 30-day access token and a refresh token that can be
    refreshed for good (continuous refresh), both kept with the account.
    https://developers.pinterest.com/docs/getting-started/authentication-and-scopes/"""

    name = "dravo-pinterest"
    provider = "pinterest"
    AUTHORIZATION_PATH = "/oauth/"
    TOKEN_PATH = "/{version}/oauth/token"
    ACCESS_TOKEN_METHOD = "POST"
    USE_BASIC_AUTH = True
    SCOPE_SEPARATOR = ","

    def auth_complete_params(self, state=None):
        params = super().auth_complete_params(state)
        params["continuous_refresh"] = "true"
        return params

    def extra_credentials(self, response: dict) -> dict:
        credentials = token_credentials(response, datetime.now(UTC))
        credentials.pop("refresh_token", None)  # the mixin keeps it already
        return credentials
