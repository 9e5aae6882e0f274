"""The social-auth backend that connects Facebook accounts (shared parts: providers.oauth)."""

from social_core.backends.facebook import FacebookOAuth2
from social_core.backends.oauth import BaseOAuth2

from providers import registry
from providers.facebook.client import FacebookClient
from providers.oauth import DravoOAuthMixin


class FacebookConnect(DravoOAuthMixin, FacebookOAuth2):
    """Facebook Login: one Dravo account per Page the user grants, with its Page token."""

    name = "dravo-facebook"
    provider = "facebook"
    AUTHORIZATION_PATH = "/{version}/dialog/oauth"
    TOKEN_PATH = "/{version}/oauth/access_token"
    SCOPE_SEPARATOR = ","

    def auth_complete_params(self, state=None):
        return BaseOAuth2.auth_complete_params(self, state)

    def process_refresh_token_response(self, response, *args, **kwargs):
        return response.json()

    def load_signed_request(self, signed_request):  # pragma: no cover - canvas apps only
        return None

    def graph_api(self) -> FacebookClient:
        """Graph calls made with the user's token (exchange, Page listing), on this
        backend's hosts (Facebook's, Instagram's or the sandbox's)."""
        credentials = {"sandbox": {"behavior": "ok"}} if self.is_sandbox() else {}
        app = registry.app_for(self.provider, sandbox=self.is_sandbox())
        return FacebookClient(credentials, endpoints=self.endpoints(), app=app)

    def grants(self, access_token, response):
        api = self.graph_api()
        long_lived, _ = api.exchange_long_lived(access_token)
        return [self.page_grant(page, long_lived) for page in api.pages(long_lived)]

    def page_grant(self, page: dict, user_token: str) -> dict:
        return {
            "platform_account_id": page["id"],
            "handle": page.get("name", ""),
            "name": page.get("name", ""),
            "metadata": {"tasks": page.get("tasks", [])},
            "expires_at": None,
            "credentials": {
                "access_token": page["access_token"],
                "page_id": page["id"],
                "user_access_token": user_token,
            },
        }
