"""The social-auth backend that connects Instagram accounts (shared parts: providers.oauth)."""

from providers.facebook.oauth import FacebookConnect
from providers.oauth import expiry


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
                    "expires_at": expiry({"expires_in": expires_in or 60 * 86400}),
                    "credentials": {"access_token": long_lived, "ig_user_id": ig["id"], "login": "facebook"},
                }
            )
        return grants
