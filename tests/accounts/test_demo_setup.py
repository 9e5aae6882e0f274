import pytest
from django.core.management import call_command

from accounts.crypto import decrypt_credentials
from accounts.models import ApiKey, SocialAccount
from providers.registry import NETWORKS
from tests.conftest import client_for


@pytest.mark.django_db(transaction=True)
def test_demo_setup_makes_a_user_a_key_and_one_sandbox_account_per_network(settings, capsys):
    settings.SANDBOX_ENABLED = True
    call_command("demo_setup")
    out = capsys.readouterr().out
    key = next(line.split()[-1] for line in out.splitlines() if line.startswith("Test API key:"))
    assert "curl -H" in out
    accounts = SocialAccount.objects.filter(mode="test")
    assert sorted(accounts.values_list("provider", flat=True)) == sorted(NETWORKS)
    facebook = accounts.get(provider="facebook")
    assert decrypt_credentials(facebook.credentials_encrypted)["page_id"] == facebook.platform_account_id
    assert client_for(key).get("/v1/accounts").json()["total"] == len(NETWORKS)
    call_command("demo_setup")  # again: keeps the data, adds a key
    assert SocialAccount.objects.count() == len(NETWORKS) and ApiKey.objects.count() == 2
