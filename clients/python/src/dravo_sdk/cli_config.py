"""Where the `dravo` command finds its Dravo and key.

In order: `--url` / `--api-key`; then a `--profile` named on the command line; then
`DRAVO_URL` / `DRAVO_API_KEY`; then the profile named by `DRAVO_PROFILE` (else `default`)
of the config file, `$DRAVO_CONFIG` or `~/.config/dravo/config.toml`:

    [default]
    url = "http://127.0.0.1:8000"
    api_key = "dra_test_…"

    [production]
    url = "https://dravo.example.com"
    api_key = "dra_live_…"
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

DEFAULT_URL = "http://127.0.0.1:8000"


class ConfigError(Exception):
    """The configuration is unreadable, names an unknown profile, or gives no key."""


@dataclass(frozen=True)
class Settings:
    url: str
    api_key: str


def config_path() -> Path:
    if os.environ.get("DRAVO_CONFIG"):
        return Path(os.environ["DRAVO_CONFIG"]).expanduser()
    base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "dravo" / "config.toml"


def load_profiles(path: Path) -> dict[str, dict]:
    """The file's profiles (`{}` when there is no file). Raises ConfigError if unreadable."""
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"cannot read {path}: {error}") from error
    return {name: table for name, table in data.items() if isinstance(table, dict)}


def resolve(*, url: str | None = None, api_key: str | None = None, profile: str | None = None) -> Settings:
    """The settings in the order of this module's docstring. Raises ConfigError."""
    profiles = load_profiles(config_path())
    if profile:
        if profile not in profiles:
            raise ConfigError(f"no profile {profile!r} in {config_path()}")
        sources = [{"url": url, "api_key": api_key}, profiles[profile]]
    else:
        environment = {"url": os.environ.get("DRAVO_URL"), "api_key": os.environ.get("DRAVO_API_KEY")}
        fallback = profiles.get(os.environ.get("DRAVO_PROFILE") or "default", {})
        sources = [{"url": url, "api_key": api_key}, environment, fallback]
    final_url = next((s["url"] for s in sources if s.get("url")), DEFAULT_URL)
    final_key = next((s["api_key"] for s in sources if s.get("api_key")), None)
    if not final_key:
        raise ConfigError(f"no API key: set DRAVO_API_KEY, pass --api-key, or add a profile to {config_path()}")
    return Settings(url=str(final_url), api_key=str(final_key))
