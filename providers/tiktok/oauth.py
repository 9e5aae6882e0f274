"""The social-auth backend that connects TikTok accounts (shared parts: providers.oauth)."""

from social_core.backends.oauth import BaseOAuth2

from providers.oauth import DravoOAuthMixin


class TikTokConnect(DravoOAuthMixin, BaseOAuth2):
    """TikTok: authorization code; the app is named by `client_key`, not client_id."""

    name = "dravo-tiktok"
    provider = "tiktok"
    AUTHORIZATION_PATH = "/v2/auth/authorize/"
    TOKEN_PATH = "/v2/oauth/token/"
    ACCESS_TOKEN_METHOD = "POST"
    SCOPE_SEPARATOR = ","

    def auth_params(self, state=None):
        params = super().auth_params(state)
        params["client_key"] = params.pop("client_id")
        return params

    def auth_complete_params(self, state=None):
        params = super().auth_complete_params(state)
        params["client_key"] = params.pop("client_id")
        return params

    def extra_credentials(self, response: dict) -> dict:
        return {"open_id": response["open_id"]} if response.get("open_id") else {}
