"""The API key format: `dra_live_` or `dra_test_`, 32 random base-62 characters and a
6-character base-62 CRC32 checksum (as GitHub's tokens), so a mistyped key is refused
without a database query. Only a SHA-256 hash and a short lookup prefix are stored."""

import hashlib
import zlib
from dataclasses import dataclass

from dravo.ids import BASE62, random_base62

KEY_RANDOM_LENGTH = 32
CHECKSUM_LENGTH = 6
LOOKUP_LENGTH = 8
MODES = ("live", "test")


def _base62(number: int, width: int) -> str:
    chars = []
    while number:
        number, rem = divmod(number, 62)
        chars.append(BASE62[rem])
    return "".join(reversed(chars)).rjust(width, "0")


def _checksum(body: str) -> str:
    return _base62(zlib.crc32(body.encode()), CHECKSUM_LENGTH)


@dataclass(frozen=True)
class ParsedKey:
    mode: str
    lookup: str
    secret: str


def generate_key(mode: str) -> str:
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}")
    body = f"dra_{mode}_{random_base62(KEY_RANDOM_LENGTH)}"
    return body + _checksum(body)


def parse_key(raw: str) -> ParsedKey | None:
    """The key's parts, or None when it cannot be a Dravo key (checked without I/O)."""
    for mode in MODES:
        prefix = f"dra_{mode}_"
        if raw.startswith(prefix):
            break
    else:
        return None
    rest = raw[len(prefix) :]
    if len(rest) != KEY_RANDOM_LENGTH + CHECKSUM_LENGTH or any(c not in BASE62 for c in rest):
        return None
    body, checksum = raw[:-CHECKSUM_LENGTH], raw[-CHECKSUM_LENGTH:]
    if _checksum(body) != checksum:
        return None
    return ParsedKey(mode=mode, lookup=rest[:LOOKUP_LENGTH], secret=raw)


def hash_key(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()
