import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command

from accounts.crypto import CredentialsUnreadable, decrypt_credentials, encrypt_credentials
from accounts.models import SocialAccount
from tests import factories


def test_credentials_round_trip_and_are_not_readable_in_the_token(settings):
    settings.ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    token = encrypt_credentials({"access_token": "EAAB-secret-token"})
    assert "EAAB-secret-token" not in token
    assert decrypt_credentials(token) == {"access_token": "EAAB-secret-token"}


def test_unknown_key_cannot_decrypt(settings):
    settings.ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    token = encrypt_credentials({"access_token": "x"})
    settings.ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(CredentialsUnreadable):
        decrypt_credentials(token)


@pytest.mark.django_db
def test_raw_column_never_contains_the_token(workspace):
    account = factories.make_account(workspace, credentials={"access_token": "very-secret-access-token"})
    raw = SocialAccount.objects.filter(pk=account.pk).values_list("credentials_encrypted", flat=True).get()
    assert "very-secret-access-token" not in raw
    assert decrypt_credentials(raw)["access_token"] == "very-secret-access-token"


@pytest.mark.django_db
def test_rotation_re_encrypts_every_row_with_the_newest_key(settings, workspace, capsys):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.ENCRYPTION_KEYS = [old]
    accounts = [factories.make_account(workspace, credentials={"access_token": f"t{i}"}) for i in range(3)]
    settings.ENCRYPTION_KEYS = [new, old]  # new key first: encrypts; old still decrypts
    call_command("rotate_credentials")
    assert "3 account(s)" in capsys.readouterr().out
    settings.ENCRYPTION_KEYS = [new]  # the old key can now be dropped
    for i, account in enumerate(accounts):
        account.refresh_from_db()
        assert decrypt_credentials(account.credentials_encrypted)["access_token"] == f"t{i}"
