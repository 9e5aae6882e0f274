"""The compose page's preview cards, one per selected network: the text as the network
counts it (its limits table's TextLimit) and folds it in its feed, the first image cropped
as the feed crops it (its descriptor's `preview`), and the accounts' names. Display only:
the checks of a create still decide."""

import re
from dataclasses import dataclass, field

import regex
from twitter_text import parse_tweet

from providers import registry

URL = re.compile(r"(?<![\w@/])https?://[^\s<>\"]+", re.IGNORECASE)
MENTION = re.compile(r"(?<![\w/])@(\w+(?:[\w.-]*\w)?)@[\w.-]+\w")
EMOJI_PART = regex.compile(r"\p{Extended_Pictographic}|\p{Regional_Indicator}|[\u200d\ufe0f\u20e3]")
GRAPHEME = regex.compile(r"\X")
IMAGE = re.compile(r"\.(jpe?g|png|gif|webp)(\?|$)", re.IGNORECASE)
# How each count of a TextLimit reads after "120 / 280".
COUNT_WORDS = {
    "chars": "characters",
    "utf16": "characters",
    "weighted": "weighted characters (links 23, emoji 2)",
    "utf8": "bytes of UTF-8",
    "utf8_emoji": "characters (an emoji counts its bytes)",
    "url23": "characters (links count 23)",
    "graphemes": "characters",
}


def _url23(text: str) -> str:
    return MENTION.sub(lambda m: "@" + m.group(1), URL.sub("_" * 23, text))


def text_length(text: str, count: str) -> int:
    """`text`'s length as a network with TextLimit count `count` measures it."""
    if count == "weighted":
        return parse_tweet(text).weightedLength
    if count == "utf16":
        return len(text.encode("utf-16-le")) // 2
    if count == "utf8":
        return len(text.encode("utf-8"))
    if count == "utf8_emoji":
        return sum(len(char.encode()) if EMOJI_PART.match(char) else 1 for char in text)
    if count == "graphemes":
        return len(GRAPHEME.findall(text))
    if count == "url23":
        return len(GRAPHEME.findall(_url23(text)))
    return len(text)


def fits(text: str, limit: int, count: str) -> int:
    """The length of the longest start of `text` within `limit` (a binary search: a longer
    start never measures less)."""
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if text_length(text[:middle], count) <= limit:
            low = middle
        else:
            high = middle - 1
    return low


@dataclass(frozen=True)
class PreviewCard:
    provider: str
    label: str
    accounts: list  # the selected accounts of the network (name and handle)
    shown: str  # what the feed shows at first
    folded: bool  # the feed folds the rest behind "… more"
    over: str  # text beyond the network's limit
    used: int
    limit: int
    counts: str
    aspect: str
    images: list[str] = field(default_factory=list)
    others: list[str] = field(default_factory=list)  # media that is not an image

    @property
    def excess(self) -> int:
        return max(self.used - self.limit, 0)


def _card(provider: str, accounts: list, text: str, media: list[str]) -> PreviewCard:
    network = registry.network(provider)
    rule, look = network.limits.text, network.preview
    used = text_length(text, rule.count)
    within = fits(text, rule.max, rule.count) if used > rule.max else len(text)
    folded = used <= rule.max and look.see_more is not None and len(text) > look.see_more
    shown = text[: look.see_more].rstrip() if folded else text[:within]
    return PreviewCard(
        provider=provider,
        label=network.label,
        accounts=accounts,
        shown=shown,
        folded=folded,
        over=text[within:],
        used=used,
        limit=rule.max,
        counts=COUNT_WORDS.get(rule.count, "characters"),
        aspect=look.aspect,
        images=[url for url in media if IMAGE.search(url)],
        others=[url.rsplit("/", 1)[-1][:40] for url in media if not IMAGE.search(url)],
    )


def preview_cards(*, accounts, text: str, overrides: dict[str, str], media_urls: list[str]) -> list[PreviewCard]:
    """One card per network of `accounts` (the selected ones), in the registry's order;
    `overrides` maps a network to its own text, which replaces `text` there."""
    by_network: dict[str, list] = {}
    for account in accounts:
        by_network.setdefault(account.provider, []).append(account)
    return [
        _card(provider, by_network[provider], overrides.get(provider) or text, media_urls)
        for provider in registry.PROVIDERS
        if provider in by_network
    ]
