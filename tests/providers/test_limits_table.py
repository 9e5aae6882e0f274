"""Each network's limits table (`LIMITS` in providers/<network>/rules.py, read by the
compose form and the registry) says what its rules enforce: a post at a limit passes, one
past it is refused."""

import pytest

from providers.base import Content, Media
from providers.registry import NETWORKS

# The options a network needs on every post, whatever the limit under test.
REQUIRED_OPTIONS = {key: {"privacy_level": "PUBLIC_TO_EVERYONE"} for key in NETWORKS if key == "tiktok"}
# A network that must be told where inside the account the post goes gets a destination.
for _key, _network in NETWORKS.items():
    if _network.destinations is not None and _network.destinations.required:
        _kind = _network.destinations
        REQUIRED_OPTIONS.setdefault(_key, {})[_kind.option] = ["1"] if _kind.multiple else "1"
LIMITED_MEDIA = [(key, limit) for key, network in NETWORKS.items() for limit in network.limits.media]


def problems(key: str, text: str = "hi", media: tuple[Media, ...] = ()) -> list[tuple[str, str]]:
    client = NETWORKS[key].client({}, endpoints={})
    content = Content(text=text, media=media, options=REQUIRED_OPTIONS.get(key, {}))
    return [(problem.field, problem.code) for problem in client.validate(content)]


def some_media(key: str) -> tuple[Media, ...]:
    """One video where the network needs media (every network's strictest text limit)."""
    return (Media(url="https://example.com/v.mp4", kind="video"),) if NETWORKS[key].limits.media_required else ()


@pytest.mark.parametrize("key", list(NETWORKS))
def test_a_text_at_the_table_s_limit_passes_and_one_character_more_is_refused(key):
    limit = NETWORKS[key].limits.text.max
    assert problems(key, "a" * limit, some_media(key)) == []
    assert ("text", "too_long") in problems(key, "a" * (limit + 1), some_media(key))


@pytest.mark.parametrize("key", list(NETWORKS))
def test_a_network_that_needs_media_refuses_a_post_without_and_the_others_take_one(key):
    found = [field for field, _ in problems(key) if field.startswith("media_urls")]
    assert bool(found) == NETWORKS[key].limits.media_required


@pytest.mark.parametrize(("key", "limit"), [item for item in LIMITED_MEDIA if item[1].max_bytes])
def test_a_file_of_the_table_s_largest_size_passes_and_one_byte_more_is_refused(key, limit):
    def one(size):
        return (Media(url="https://example.com/m", kind=limit.kind, mime_type=limit.formats[0], size_bytes=size),)

    assert problems(key, media=one(limit.max_bytes)) == []
    assert [field for field, _ in problems(key, media=one(limit.max_bytes + 1))] == ["media_urls.0"]


@pytest.mark.parametrize(("key", "limit"), [item for item in LIMITED_MEDIA if item[1].formats])
def test_a_format_outside_the_table_is_refused(key, limit):
    media = (Media(url="https://example.com/m", kind=limit.kind, mime_type="application/x-unknown"),)
    assert [field for field, _ in problems(key, media=media)] == ["media_urls.0"]


@pytest.mark.parametrize(("key", "limit"), [item for item in LIMITED_MEDIA if item[1].max_count])
def test_the_table_s_count_of_a_media_kind_passes_and_one_more_is_refused(key, limit):
    media = tuple(Media(url=f"https://example.com/{i}", kind=limit.kind) for i in range(limit.max_count + 1))
    assert problems(key, media=media[:-1]) == []
    assert any(field.startswith("media_urls") for field, _ in problems(key, media=media))
