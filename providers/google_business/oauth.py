"""The social-auth backend that connects Google Business Profile locations (shared parts:
providers.google_oauth and providers.oauth)."""

from providers.google_business.client import location_profile
from providers.google_oauth import GoogleConnect
from providers.oauth import expiry


class GoogleBusinessConnect(GoogleConnect):
    """Google's consent for `business.manage`, then one Dravo account per location the
    user manages: every account (personal, location groups, organizations) and every
    location of each, all pages read. A location held by several of the user's accounts is
    connected once, under the first account listing it."""

    name = "dravo-google_business"
    provider = "google_business"

    def grants(self, access_token: str, response: dict) -> list[dict]:
        credentials = {"access_token": access_token}
        if response.get("refresh_token"):
            credentials["refresh_token"] = response["refresh_token"]
        client = self.client(credentials)
        grants, seen = [], set()
        for account in client.accounts():
            for location in client.locations(account["name"]):
                if location["name"] in seen:
                    continue
                seen.add(location["name"])
                profile = location_profile(account["name"], location)
                metadata = {**profile.extra, "account_type": account.get("type", "")}
                grants.append(
                    {
                        "platform_account_id": profile.id,
                        "handle": profile.handle,
                        "name": profile.name,
                        "metadata": metadata,
                        "credentials": {**credentials, "location_name": profile.id},
                        "expires_at": expiry(response),
                    }
                )
        return grants
