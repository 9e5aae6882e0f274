"""The social-auth backend that connects X accounts (shared parts: providers.oauth)."""

from social_core.backends.oauth import BaseOAuth2PKCE

from providers.oauth import DravoOAuthMixin


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
