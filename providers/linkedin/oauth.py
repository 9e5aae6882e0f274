"""The social-auth backend that connects LinkedIn accounts (shared parts: providers.oauth)."""

from social_core.backends.oauth import BaseOAuth2

from providers.oauth import DravoOAuthMixin, expiry


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
                    "expires_at": expiry(response),
                }
            )
        return member
