"""What Dravo's social-auth backends share (each network's backend lives in its folder,
`providers/<network>/oauth.py`). These backends connect accounts, never log into Dravo.

Each backend speaks to the network's real OAuth endpoints, or, for a test-mode connect
link, to the sandbox's imitation of them: both the URLs and the OAuth app come from
providers.registry, chosen by the mode of the link being completed. What the consent
grants is read with the network's client (`verify()`) and turned into `grants` for
accounts.pipeline.store_grants.
"""

from datetime import timedelta

from django.utils import timezone

from providers import registry

SESSION_LINK = "dravo_connect_link"
SESSION_MODE = "dravo_connect_mode"


class DravoOAuthMixin:
    """URLs, app credentials and account reading shared by Dravo's connect backends."""

    provider = ""
    AUTHORIZATION_HOST, AUTHORIZATION_PATH = "oauth_url", ""
    TOKEN_HOST, TOKEN_PATH = "api_url", ""
    REDIRECT_STATE = False
    STATE_PARAMETER = True

    def is_sandbox(self) -> bool:
        return self.strategy.session_get(SESSION_MODE) == "test"

    def endpoints(self) -> dict:
        return registry.endpoints_for(self.provider, sandbox=self.is_sandbox())

    def _url(self, host: str, path: str) -> str:
        endpoints = self.endpoints()
        return endpoints[host].rstrip("/") + path.format(version=endpoints.get("api_version", ""))

    def authorization_url(self) -> str:
        return self._url(self.AUTHORIZATION_HOST, self.AUTHORIZATION_PATH)

    def access_token_url(self) -> str:
        return self._url(self.TOKEN_HOST, self.TOKEN_PATH)

    def get_key_and_secret(self):
        app = registry.app_for(self.provider, sandbox=self.is_sandbox())
        return app["client_id"], app["client_secret"]

    def get_scope(self):
        return list(registry.network(self.provider).scopes)

    def client(self, credentials: dict):
        if self.is_sandbox():
            credentials = {**credentials, "sandbox": {"behavior": "ok"}}
        return registry.get_client(self.provider, credentials, sandbox=self.is_sandbox())

    def user_data(self, access_token, *args, **kwargs):
        response = kwargs.get("response") or {}
        return {"grants": self.grants(access_token, response)}

    def grants(self, access_token: str, response: dict) -> list[dict]:
        """One grant per account the consent covers: the profile behind the token."""
        credentials = {"access_token": access_token}
        if response.get("refresh_token"):
            credentials["refresh_token"] = response["refresh_token"]
        credentials.update(self.extra_credentials(response))
        profile = self.client(credentials).verify()
        credentials.update(self.profile_credentials(profile))
        return [
            {
                "platform_account_id": profile.id,
                "handle": profile.handle,
                "name": profile.name,
                "metadata": profile.extra,
                "credentials": credentials,
                "expires_at": expiry(response),
            }
        ]

    def extra_credentials(self, response: dict) -> dict:
        """Credentials besides the tokens, from the token endpoint's answer."""
        return {}

    def profile_credentials(self, profile) -> dict:
        """Credentials learnt from the verified profile (the client's own rule)."""
        return registry.network(self.provider).client.profile_credentials(profile)

    def get_user_id(self, details, response):
        grants = response.get("grants") or [{}]
        return grants[0].get("platform_account_id")

    def get_user_details(self, response):
        grants = response.get("grants") or [{}]
        return {"username": grants[0].get("handle", "")}


def expiry(response: dict):
    seconds = response.get("expires_in")
    try:
        return timezone.now() + timedelta(seconds=int(seconds)) if seconds else None
    except (TypeError, ValueError):
        return None
