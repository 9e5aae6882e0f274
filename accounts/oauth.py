"""social-auth backends for connecting accounts (never for logging into Dravo).

Each backend speaks to the network's real OAuth endpoints, or, for a test-mode connect
link, to the sandbox's imitation of them: both the URLs and the OAuth app come from
providers.registry, chosen by the mode of the link being completed. What the consent
grants is read with the provider clients (`verify()`, Facebook Page listing) and turned
into `grants` for accounts.pipeline.store_grants.
"""

from datetime import timedelta

from django.utils import timezone
from social_core.backends.facebook import FacebookOAuth2
from social_core.backends.oauth import BaseOAuth2, BaseOAuth2PKCE

from accounts.services import social_accounts
from providers import registry
from providers.facebook import FacebookClient

SESSION_LINK = "dravo_connect_link"
SESSION_MODE = "dravo_connect_mode"

# Only what publishing and analytics need (listed in the README).
SCOPES = {
    "facebook": [
        "pages_show_list",
        "pages_manage_posts",
        "pages_read_engagement",
        "pages_manage_engagement",
        "read_insights",
    ],
    "instagram": [
        "instagram_basic",
        "instagram_content_publish",
        "instagram_manage_comments",
        "instagram_manage_insights",
        "pages_show_list",
        "pages_read_engagement",
    ],
    "x": ["tweet.read", "tweet.write", "users.read", "media.write", "offline.access"],
    "linkedin": [
        "openid",
        "profile",
        "w_member_social",
        "w_organization_social",
        "r_organization_social",
        "rw_organization_admin",
    ],
    "tiktok": ["user.info.basic", "video.publish", "video.upload", "video.list"],
}


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
        return SCOPES[self.provider]

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
                "expires_at": _expiry(response),
            }
        ]

    def extra_credentials(self, response: dict) -> dict:
        """Credentials besides the tokens, from the token endpoint's answer."""
        return {}

    def profile_credentials(self, profile) -> dict:
        """Credentials learnt from the verified profile."""
        return {}

    def get_user_id(self, details, response):
        grants = response.get("grants") or [{}]
        return grants[0].get("platform_account_id")

    def get_user_details(self, response):
        grants = response.get("grants") or [{}]
        return {"username": grants[0].get("handle", "")}


def _expiry(response: dict):
    seconds = response.get("expires_in")
    try:
        return timezone.now() + timedelta(seconds=int(seconds)) if seconds else None
    except (TypeError, ValueError):
        return None


class XConnect(DravoOAuthMixin, BaseOAuth2PKCE):
    """X: OAuth 2.0 authorization code with PKCE (S256), Basic client auth on the token call."""

    name = "dravo-x"
    provider = "x"
    AUTHORIZATION_PATH = "/i/oauth2/authorize"
    TOKEN_PATH = "/2/oauth2/token"
    ACCESS_TOKEN_METHOD = "POST"
    SCOPE_SEPARATOR = " "
    USE_BASIC_AUTH = True
    DEFAULT_USE_PKCE = True
    PKCE_DEFAULT_CODE_CHALLENGE_METHOD = "s256"
    PKCE_DEFAULT_CODE_VERIFIER_LENGTH = 64

    def auth_params(self, state=None):
        params = super().auth_params(state)
        params["code_challenge_method"] = "S256"  # X's spelling; social-core sends "s256"
        return params

    def profile_credentials(self, profile) -> dict:
        return social_accounts.profile_credentials("x", profile)


class LinkedInConnect(DravoOAuthMixin, BaseOAuth2):
    """LinkedIn: authorization code with the client secret; the member is the author."""

    name = "dravo-linkedin"
    provider = "linkedin"
    AUTHORIZATION_PATH = "/oauth/v2/authorization"
    TOKEN_HOST, TOKEN_PATH = "oauth_url", "/oauth/v2/accessToken"
    ACCESS_TOKEN_METHOD = "POST"
    SCOPE_SEPARATOR = " "

    def profile_credentials(self, profile) -> dict:
        return {"author_urn": profile.extra.get("author_urn") or f"urn:li:person:{profile.id}"}

    def grants(self, access_token, response):
        """The member, and each organization the member administers (one account each)."""
        member = super().grants(access_token, response)
        credentials = member[0]["credentials"]
        organizations = self.client(credentials).administered_organizations()
        for urn in organizations:
            org_credentials = {**credentials, "author_urn": urn}
            profile = self.client(org_credentials).verify()
            member.append(
                {
                    "platform_account_id": urn,
                    "handle": profile.handle,
                    "name": profile.name,
                    "metadata": {**profile.extra, "organization": True},
                    "credentials": org_credentials,
                    "expires_at": _expiry(response),
                }
            )
        return member


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


class InstagramConnect(FacebookConnect):
    """Instagram professional accounts through Facebook Login: one per linked IG user."""

    name = "dravo-instagram"
    provider = "instagram"

    def grants(self, access_token, response):
        api = self.graph_api()
        long_lived, expires_in = api.exchange_long_lived(access_token)
        grants = []
        for page in api.pages(long_lived, fields="id,name,access_token,instagram_business_account{id,username}"):
            ig = page.get("instagram_business_account")
            if not ig:
                continue
            grants.append(
                {
                    "platform_account_id": ig["id"],
                    "handle": ig.get("username", ""),
                    "name": ig.get("username", ""),
                    "metadata": {"page_id": page["id"]},
                    "expires_at": _expiry({"expires_in": expires_in or 60 * 86400}),
                    "credentials": {"access_token": long_lived, "ig_user_id": ig["id"], "login": "facebook"},
                }
            )
        return grants


BACKENDS = {
    "facebook": FacebookConnect,
    "instagram": InstagramConnect,
    "x": XConnect,
    "linkedin": LinkedInConnect,
    "tiktok": TikTokConnect,
}
