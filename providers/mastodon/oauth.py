"""The social-auth backend that connects Mastodon accounts (shared parts: providers.oauth).

Mastodon has no central OAuth server: each instance registers its own apps
(`POST /api/v1/apps`) and runs `/oauth/authorize` and `/oauth/token`. The end user's
instance is given as `?instance=mastodon.social` on the hosted connect link (checked as
public https, like a BYOK instance_url); a test-mode link uses the sandbox. The app is
registered once per instance and redirect URI and kept in Django's cache without expiry:
a token never needs its app again (no refresh grant), so losing the cache only means
registering a new app at the next connect.
Docs: https://docs.joinmastodon.org/client/token/
"""

from django.core.cache import cache
from social_core.backends.oauth import BaseOAuth2PKCE
from social_core.exceptions import AuthException

from providers import http
from providers.errors import ProviderError
from providers.mastodon.instance import check_public, guarded_session, instance_base
from providers.oauth import DravoOAuthMixin

SESSION_INSTANCE = "dravo_mastodon_instance"
CLIENT_NAME = "Dravo"


class MastodonConnect(DravoOAuthMixin, BaseOAuth2PKCE):
    """Authorization code with PKCE (S256) on the account's own instance."""

    name = "dravo-mastodon"
    provider = "mastodon"
    ACCESS_TOKEN_METHOD = "POST"
    SCOPE_SEPARATOR = " "
    DEFAULT_USE_PKCE = True
    PKCE_DEFAULT_CODE_CHALLENGE_METHOD = "s256"
    PKCE_DEFAULT_CODE_VERIFIER_LENGTH = 64

    def instance(self) -> str:
        """The base URL of the instance: the sandbox for a test-mode link, else the one the
        link was opened with (`?instance=`), kept in the session for the callback."""
        endpoints = self.endpoints()
        if endpoints.get("api_url"):
            return endpoints["api_url"].rstrip("/")
        given = self.data.get("instance") if hasattr(self, "data") and self.data else None
        if given:
            try:
                base = instance_base(given)
                check_public(base)
            except ProviderError as exc:
                raise AuthException(self, str(exc)) from exc
            self.strategy.session_set(SESSION_INSTANCE, base)
            return base
        base = self.strategy.session_get(SESSION_INSTANCE)
        if not base:
            raise AuthException(self, "Add ?instance=<your Mastodon server> to the connect link.")
        return base

    def authorization_url(self) -> str:
        return f"{self.instance()}/oauth/authorize"

    def access_token_url(self) -> str:
        return f"{self.instance()}/oauth/token"

    def auth_params(self, state=None):
        params = super().auth_params(state)
        params["code_challenge_method"] = "S256"  # Mastodon's spelling; social-core sends "s256"
        return params

    def get_key_and_secret(self):
        app = registered_app(self.instance(), self.get_redirect_uri(), self.get_scope(), sandbox=self.is_sandbox())
        return app["client_id"], app["client_secret"]

    def extra_credentials(self, response: dict) -> dict:
        """The instance is part of the account."""
        return {} if self.is_sandbox() else {"instance_url": self.instance()}


def registered_app(base: str, redirect_uri: str, scopes: list[str], *, sandbox: bool) -> dict:
    """Dravo's app on the instance at `base` for `redirect_uri` (client_id, client_secret):
    from the cache, else registered now (`POST /api/v1/apps`) and kept. Raises AuthException
    when the instance refuses or cannot be reached."""
    key = f"dravo:mastodon:app:{base}:{redirect_uri}:{' '.join(scopes)}"
    app = cache.get(key)
    if app:
        return app
    body = {"client_name": CLIENT_NAME, "redirect_uris": [redirect_uri], "scopes": " ".join(scopes)}
    try:
        response = http.request("POST", f"{base}/api/v1/apps", json=body, via=None if sandbox else guarded_session())
    except ProviderError as exc:
        raise AuthException(None, f"Could not reach the Mastodon instance: {exc}") from exc
    answer = http.json_or_empty(response)
    if response.status_code != 200 or not answer.get("client_id"):
        raise AuthException(None, f"The Mastodon instance refused to register Dravo (HTTP {response.status_code}).")
    app = {"client_id": answer["client_id"], "client_secret": answer.get("client_secret", "")}
    cache.set(key, app, None)
    return app
