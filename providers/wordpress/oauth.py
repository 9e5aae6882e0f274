"""The social-auth backend that connects WordPress.com sites (shared parts: providers.oauth).
Self-hosted sites connect with an Application Password (BYOK) instead."""

from urllib.parse import urlsplit

from social_core.backends.oauth import BaseOAuth2

from providers.oauth import DravoOAuthMixin


class WordPressComConnect(DravoOAuthMixin, BaseOAuth2):
    """WordPress.com: authorization code; the app's id and secret go in the token request's
    form. The answer names the one blog the user granted (`blog_id`, `blog_url`): its
    domain becomes the account's `site_url`. The token does not expire and there is no
    refresh token. https://developer.wordpress.com/docs/oauth2/"""

    name = "dravo-wordpress"
    provider = "wordpress"
    AUTHORIZATION_PATH = "/oauth2/authorize"
    TOKEN_PATH = "/oauth2/token"
    ACCESS_TOKEN_METHOD = "POST"

    def extra_credentials(self, response: dict) -> dict:
        credentials = {}
        host = urlsplit(str(response.get("blog_url") or "")).hostname
        if host:
            credentials.update(site_url=host, blog_url=str(response["blog_url"]))
        if response.get("blog_id"):
            credentials["blog_id"] = str(response["blog_id"])
            credentials.setdefault("site_url", str(response["blog_id"]))
        return credentials
