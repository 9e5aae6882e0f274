"""Metrics in words for the analytics page: the normalized numbers' labels from one
mapping, each network's own keys through its client's `metric_labels` (else the key in
words), ratios as percentages. Pure functions: no queries."""

import re
from dataclasses import dataclass

from providers.base import NORMALIZED_METRICS, ProviderClient
from providers.registry import CLIENTS

# The one mapping of the normalized metrics' labels (every network's numbers end up here).
NORMALIZED_LABELS = {
    "views": "Views",
    "likes": "Likes",
    "comments": "Comments",
    "shares": "Shares",
    "clicks": "Link clicks",
}
ACRONYMS = {"url": "URL", "id": "ID", "cta": "CTA"}


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    value: str


def normalized_columns() -> list[tuple[str, str]]:
    """(name, label) of each normalized metric, in NORMALIZED_METRICS order."""
    return [(name, NORMALIZED_LABELS[name]) for name in NORMALIZED_METRICS]


def key_words(*, key: str) -> str:
    """A metric key in words: camelCase and snake_case split, a trailing "count" made a
    plural ("reply_count" → "Replies", "bookmarkCount" → "Bookmarks")."""
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", key).replace("_", " ").lower().split()
    if len(words) > 1 and words[-1] == "count":
        words = words[:-1]
        last = words[-1]
        words[-1] = last if last.endswith("s") else last[:-1] + "ies" if last.endswith("y") else last + "s"
    text = " ".join(ACRONYMS.get(word, word) for word in words)
    return text[:1].upper() + text[1:]


def metric_label(*, provider: str, key: str) -> str:
    """The network's own name for its metric `key`, else the key in words."""
    return CLIENTS.get(provider, ProviderClient).metric_labels.get(key) or key_words(key=key)


def metric_value(*, provider: str, key: str, value) -> str:
    """A count as is; a ratio (the client's `ratio_metrics`) as a percentage; another
    number or a text as is; "" for anything else (a flag, a nested object)."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return ""
    if key in CLIENTS.get(provider, ProviderClient).ratio_metrics and not isinstance(value, str):
        return f"{value * 100:.1f}%" if value <= 1 else f"{value:g}%"
    return str(value)


def native_metrics(*, provider: str, metrics: dict) -> list[Metric]:
    """Every number the network reported for one post, labelled, in the network's order;
    values that are neither numbers nor text (nested objects) are left out."""
    shown = []
    for key, value in (metrics or {}).items():
        text = metric_value(provider=provider, key=key, value=value)
        if text:
            shown.append(Metric(key, metric_label(provider=provider, key=key), text))
    return shown
