"""Where `dravo` takes its address and key from: options, a named profile, the
environment, the default profile."""

import pytest
from dravo_sdk.cli_config import ConfigError, resolve

CONFIG = """
[default]
url = "http://default.test"
api_key = "dra_test_default"

[production]
url = "https://prod.test"
api_key = "dra_live_prod"
"""


@pytest.fixture
def config(tmp_path, monkeypatch):
    path = tmp_path / "config.toml"
    path.write_text(CONFIG)
    monkeypatch.setenv("DRAVO_CONFIG", str(path))
    for name in ("DRAVO_URL", "DRAVO_API_KEY", "DRAVO_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    return path


def test_the_default_profile_is_used_without_environment(config):
    assert resolve() == resolve(profile="default")
    assert (resolve().url, resolve().api_key) == ("http://default.test", "dra_test_default")


def test_the_environment_wins_over_the_default_profile(config, monkeypatch):
    monkeypatch.setenv("DRAVO_URL", "http://env.test")
    monkeypatch.setenv("DRAVO_API_KEY", "dra_test_env")
    assert (resolve().url, resolve().api_key) == ("http://env.test", "dra_test_env")


def test_a_named_profile_wins_over_the_environment_and_options_over_both(config, monkeypatch):
    monkeypatch.setenv("DRAVO_API_KEY", "dra_test_env")
    assert resolve(profile="production").api_key == "dra_live_prod"
    assert resolve(profile="production", api_key="dra_live_given").api_key == "dra_live_given"


def test_dravo_profile_names_the_fallback_profile(config, monkeypatch):
    monkeypatch.setenv("DRAVO_PROFILE", "production")
    assert resolve().url == "https://prod.test"


def test_an_unknown_profile_or_no_key_is_a_config_error(config, tmp_path, monkeypatch):
    with pytest.raises(ConfigError, match="no profile 'staging'"):
        resolve(profile="staging")
    monkeypatch.setenv("DRAVO_CONFIG", str(tmp_path / "missing.toml"))
    with pytest.raises(ConfigError, match="no API key"):
        resolve()


def test_a_broken_file_is_a_config_error(config):
    config.write_text("[default\nurl=")
    with pytest.raises(ConfigError, match="cannot read"):
        resolve()
