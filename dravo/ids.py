"""Public object ids: a type prefix and random base-62 characters (`post_3kT9…`)."""

import secrets
import string

BASE62 = string.digits + string.ascii_letters
ID_RANDOM_LENGTH = 16


def random_base62(length: int) -> str:
    return "".join(secrets.choice(BASE62) for _ in range(length))


def new_id(prefix: str) -> str:
    return f"{prefix}_{random_base62(ID_RANDOM_LENGTH)}"
