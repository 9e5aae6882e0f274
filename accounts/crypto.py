"""Credentials at rest: Fernet tokens made with the first of DRAVO_ENCRYPTION_KEYS; every
key listed decrypts, so keys rotate by putting a new one first and re-encrypting
(`manage.py rotate_credentials`)."""

import json

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


class CredentialsUnreadable(Exception):
    """None of the configured keys decrypts the stored credentials."""


def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key) for key in settings.ENCRYPTION_KEYS])


def encrypt_credentials(credentials: dict) -> str:
    if not credentials:
        return ""
    return _fernet().encrypt(json.dumps(credentials, sort_keys=True).encode()).decode()


def decrypt_credentials(token: str) -> dict:
    if not token:
        return {}
    try:
        return json.loads(_fernet().decrypt(token.encode()))
    except InvalidToken as exc:
        raise CredentialsUnreadable("No configured encryption key decrypts these credentials.") from exc


def reencrypt(token: str) -> str:
    """The same credentials encrypted with the newest key."""
    return _fernet().rotate(token.encode()).decode() if token else token
