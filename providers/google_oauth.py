"""The social-auth backend of Google's OAuth 2.0 web-server flow, shared by Dravo's
networks built on Google's APIs: each network's `providers/<network>/oauth.py`
subclasses `GoogleConnect`, setting `name` and `provider` (e.g. `name =
"dravo-<network>"`), and may override `grants()` (one grant per managed location, for
Business Profile). Apart from providers.google because connect backends read the
registry, which imports the clients that import providers.google.
"""

from social_core.backends.oauth import BaseOAuth2

from providers.google import TOKEN_PATH
from providers.oauth import DravoOAuthMixin

AUTHORIZATION_PATH = "/o/oauth2/v2/auth"


class GoogleConnect(DravoOAuthMixin, BaseOAuth2):
    """Google's OAuth 2.0 web-server flow: consent at accounts.google.com, the code
    exchanged at the token endpoint with the app's id and secret in the form. Offline
    access with `prompt=consent`, so every connect (a reconnect too) answers a refresh
    token; `include_granted_scopes` keeps scopes granted before. Subclasses set `name` and
    `provider`, and may override `grants()` (e.g. one grant per managed location).
    https://developers.google.com/identity/protocols/oauth2/web-server"""

    AUTHORIZATION_HOST, AUTHORIZATION_PATH = "oauth_url", AUTHORIZATION_PATH
    TOKEN_HOST, TOKEN_PATH = "token_url", TOKEN_PATH
    ACCESS_TOKEN_METHOD = "POST"
    SCOPE_SEPARATOR = " "

    def auth_extra_arguments(self):
        return {
            **super().auth_extra_arguments(),
            "access_type": "offline",
            "prompt": "consent",
            "include_granted_scopes": "true",
        }
