"""The compose form: reads the dashboard's POST into the same payload as `POST /v1/posts`,
and places the API's validation messages (attrs such as `text`, `account_ids.0`,
`platform_options.x.poll`) next to the fields they concern.

Per-network option fields are generated from each client's `options_serializer`, so the
form offers exactly what the API accepts."""

import zoneinfo
from dataclasses import dataclass, field, replace
from datetime import datetime

from django import forms
from django.http import QueryDict
from django.utils import timezone
from rest_framework import serializers

from dravo.errors import flatten_errors
from providers import registry
from publishing import display
from publishing.models import Post
from publishing.repeat import FREQUENCIES, WEEKDAYS, repeat_rule

TIME_ZONES = sorted(zone for zone in zoneinfo.available_timezones() if "/" in zone or zone == "UTC")
# What the live counter measures per network (its descriptor's text limit): characters,
# UTF-16 code units or X's weighted count (twitter-text).
TEXT_LIMITS = {
    key: {"limit": network.limits.text.max, "count": network.limits.text.count}
    for key, network in registry.NETWORKS.items()
}
LONG_TEXT = {"text", "first_comment", "link_description"}


@dataclass
class OptionField:
    """One input for one option of one network (a nested option such as x.poll has a path)."""

    provider: str
    path: tuple[str, ...]
    kind: str  # bool, choice, int, url, text, textarea, lines, destination, destinations
    label: str
    help: str = ""
    choices: list = field(default_factory=list)
    value: str | list[str] = ""
    errors: list[str] = field(default_factory=list)
    account_id: str = ""  # an option of one account (its destination), not of the network
    required: bool = False  # the network needs it to publish (shown first, marked)

    @property
    def root(self) -> str:
        return self.account_id or self.provider

    @property
    def name(self) -> str:
        return "opt." + ".".join((self.root, *self.path))

    @property
    def id(self) -> str:
        return "opt-" + "-".join((self.root, *self.path))

    @property
    def attr(self) -> str:
        return "platform_options." + ".".join((self.root, *self.path))

    def parse(self, raw):
        """The option's value from the form's text, or None when left empty. A number that
        does not parse is passed on as text, for the API's own message about it."""
        if self.kind == "destinations":
            return [item for item in raw if item] or None
        if self.kind == "bool":
            return {"true": True, "false": False}.get(raw)
        if self.kind == "lines":
            items = [line.strip() for line in raw.splitlines() if line.strip()]
            return items or None
        if raw.strip() == "":
            return None
        if self.kind == "int":
            try:
                return int(raw)
            except ValueError:
                return raw
        return raw


def _humanize(name: str) -> str:
    return name.replace("_", " ").capitalize().replace(" ms", " (ms)").replace(" id", " ID").replace("Url", "URL")


def _hint(provider: str, path: tuple[str, ...], f) -> str:
    hints = registry.network(provider).option_hints
    if path in hints:
        return hints[path]
    if path == ("text",):
        return "Replaces the shared text on this network."
    if f.help_text:
        return str(f.help_text)
    parts = []
    if getattr(f, "min_length", None):
        parts.append(f"at least {f.min_length:,}")
    if getattr(f, "max_length", None):
        parts.append(f"at most {f.max_length:,} characters")
    if getattr(f, "min_value", None) is not None:
        parts.append(f"from {f.min_value:,}")
    if getattr(f, "max_value", None) is not None:
        parts.append(f"to {f.max_value:,}")
    return ", ".join(parts).capitalize()


def _kind(name: str, f) -> str:
    if isinstance(f, serializers.BooleanField):
        return "bool"
    if isinstance(f, serializers.ChoiceField):
        return "choice"
    if isinstance(f, serializers.IntegerField):
        return "int"
    if isinstance(f, serializers.URLField):
        return "url"
    if isinstance(f, serializers.ListField):
        return "lines"
    return "textarea" if name in LONG_TEXT else "text"


def _walk(provider: str, fields, path: tuple[str, ...] = ()):
    for name, f in fields.items():
        here = (*path, name)
        if isinstance(f, serializers.Serializer):
            yield from _walk(provider, f.fields, here)
            continue
        choices = list(f.choices.items()) if isinstance(f, serializers.ChoiceField) else []
        yield OptionField(provider, here, _kind(name, f), _label(provider, here, f), _hint(provider, here, f), choices)


def _label(provider: str, path: tuple[str, ...], f) -> str:
    """The words a person reads: the serializer field's own label (given in the network's
    rules), the shared text's override named after the network."""
    if path == ("text",):
        return f"Text on {registry.network(provider).label}"
    return str(f.label) if f.label else _humanize(" ".join(path))


def _fields_of(provider: str, serializer) -> list[OptionField]:
    """A network's option fields, those it needs to publish first (the schema's order otherwise)."""
    needed = registry.network(provider).required_options
    fields = [replace(f, required=f.path in needed) for f in _walk(provider, serializer.fields)]
    return sorted(fields, key=lambda f: not f.required)


OPTION_FIELDS = {
    provider: _fields_of(provider, client.options_serializer()) for provider, client in registry.CLIENTS.items()
}


@dataclass
class OptionGroup:
    provider: str
    label: str
    fields: list[OptionField]
    errors: list[str] = field(default_factory=list)

    @property
    def is_open(self) -> bool:
        return bool(self.errors) or any(f.errors or f.value for f in self.fields)


def destination_fields(provider: str, accounts, destinations: dict) -> list[OptionField]:
    """One select per account of `provider` whose network posts to a place inside the
    account (a board, a playlist...), offering that account's destinations; a text input
    for the id, with the reason, when they could not be read."""
    kind = registry.network(provider).destinations
    fields = []
    for account in accounts:
        if account.provider != provider:
            continue
        listed = destinations.get(account.id, [])
        name = display.account_name(account=account)
        common = {
            "path": (kind.option,),
            "label": f"{kind.label} for {name}",
            "account_id": account.id,
            "required": kind.required,
        }
        if isinstance(listed, str):
            fields.append(OptionField(provider, kind="text", help=f"Type its id: {listed}", **common))
            continue
        choices = [(d.external_id, d.name or d.external_id) for d in listed]
        help_text = "" if choices else f"This account has no {kind.label.lower()} yet: create one on the network first."
        fields.append(
            OptionField(
                provider,
                kind="destinations" if kind.multiple else "destination",
                choices=choices,
                help=help_text,
                **common,
            )
        )
    return fields


class ComposeForm:
    """The compose page's fields, parsed from `data` (a POST) or empty, with errors by field.
    `destinations` (account id → its destinations, or why they cannot be read) feeds the
    destination selects of networks that post to a place inside the account."""

    # The Repeat fieldset's choices.
    frequencies = FREQUENCIES
    weekdays = WEEKDAYS
    time_zones = TIME_ZONES

    def __init__(self, *, accounts, data=None, destinations=None):
        self.accounts = list(accounts)
        self.data = data if data is not None else {}
        self.errors: dict[str, list[str]] = {}  # text, accounts, media, schedule, other
        self.groups = [
            OptionGroup(p, registry.network(p).label, self._fields(p, destinations or {})) for p in registry.PROVIDERS
        ]

    def _fields(self, provider: str, destinations: dict) -> list[OptionField]:
        fields = OPTION_FIELDS[provider]
        kind = registry.network(provider).destinations
        if kind is not None:  # chosen per account, not once for the network
            fields = destination_fields(provider, self.accounts, destinations) + [
                f for f in fields if f.path != (kind.option,)
            ]
        fields = sorted(fields, key=lambda f: not f.required)  # what the network needs, first
        return [replace(f, value=self._value(f), errors=[]) for f in fields]

    def _value(self, f: OptionField):
        if f.kind == "destinations":
            return self.data.getlist(f.name) if hasattr(self.data, "getlist") else []
        return self.data.get(f.name, "")

    # --- values shown back ------------------------------------------------------------------
    @property
    def selected(self) -> list[str]:
        return self.data.getlist("account_ids") if hasattr(self.data, "getlist") else []

    @property
    def text(self) -> str:
        return self.data.get("text", "")

    @property
    def media(self) -> str:
        return self.data.get("media_urls", "")

    @property
    def when(self) -> str:
        return self.data.get("when", "now")

    @property
    def scheduled_local(self) -> str:
        return self.data.get("scheduled_local", "")

    # --- the Repeat fieldset (a recurring post's series) ---------------------------------------
    @property
    def repeat(self) -> str:
        return self.data.get("repeat", "")

    @property
    def repeat_days(self) -> list[str]:
        return self.data.getlist("repeat_days") if hasattr(self.data, "getlist") else []

    @property
    def rule(self) -> str:
        """The RFC 5545 rule the Repeat fieldset gives ("" when the post does not repeat)."""
        return repeat_rule(frequency=self.repeat, days=self.repeat_days, custom=self.data.get("rule", ""))

    @property
    def time_zone(self) -> str:
        return self.data.get("time_zone") or self.data.get("tz") or ""

    @property
    def repeat_end(self) -> str:
        return "until" if self.data.get("repeat_end") == "until" else "count"

    @property
    def count(self) -> str:
        return self.data.get("count", "")

    @property
    def until(self) -> str:
        return self.data.get("until", "")

    def recurrence(self) -> dict | None:
        """The `recurrence` of POST /v1/posts from the Repeat fieldset (None when the post
        does not repeat); the first occurrence is the date and time under When."""
        if not self.repeat:
            return None
        if not self.scheduled_local:
            self.add_error("schedule", "Pick the date and time of the first post of the series.")
            return None
        recurrence = {"rule": self.rule, "time_zone": self.time_zone or "UTC", "start": self.scheduled_local}
        if self.repeat_end == "until":
            recurrence["until"] = self.until
        elif self.count.strip().isdigit():
            recurrence["count"] = int(self.count)
        else:
            self.add_error("repeat", "Say after how many posts the series ends (a whole number), or pick an end date.")
            return None
        return recurrence

    @property
    def revision(self) -> int | None:
        """The revision of the post the form was rendered with (editing), if any."""
        value = str(self.data.get("revision", ""))
        return int(value) if value.isdigit() else None

    @property
    def scope(self) -> str:
        """Editing a series' occurrence: "this" post only, or "following" ones too."""
        return "following" if self.data.get("scope") == "following" else "this"

    # --- the payload of POST /v1/posts --------------------------------------------------------
    def targeted_providers(self) -> set[str]:
        chosen = set(self.selected)
        return {a.provider for a in self.accounts if a.id in chosen}

    def platform_options(self) -> dict:
        options = {}
        chosen = set(self.selected)
        for group in self.groups:
            if group.provider not in self.targeted_providers():
                continue
            for f in group.fields:
                value = f.parse(f.value)
                if value is None or (f.account_id and f.account_id not in chosen):
                    continue
                target = options.setdefault(f.root, {})
                for part in f.path[:-1]:
                    target = target.setdefault(part, {})
                target[f.path[-1]] = value
        return options

    def scheduled_at(self) -> str | None:
        """The chosen local date-time in the browser's time zone, as UTC ISO 8601."""
        if self.when != "schedule":
            return None
        if not self.scheduled_local:
            self.add_error("schedule", "Pick a date and time, or choose Publish now.")
            return None
        try:
            tz = zoneinfo.ZoneInfo(self.data.get("tz") or "UTC")
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            tz = zoneinfo.ZoneInfo("UTC")
        try:
            local = datetime.fromisoformat(self.scheduled_local).replace(tzinfo=tz)
        except ValueError:
            self.add_error("schedule", "Enter a valid date and time.")
            return None
        return local.astimezone(zoneinfo.ZoneInfo("UTC")).isoformat()

    def payload(self) -> dict:
        media = [line.strip() for line in self.media.splitlines() if line.strip()]
        payload = {
            "account_ids": self.selected,
            "text": self.text,
            "media_urls": media,
            "platform_options": self.platform_options(),
        }
        recurrence = self.recurrence()
        if recurrence:
            payload["recurrence"] = recurrence
        elif scheduled_at := self.scheduled_at():
            payload["scheduled_at"] = scheduled_at
        return payload

    # --- errors ------------------------------------------------------------------------------
    def add_error(self, where: str, message: str) -> None:
        self.errors.setdefault(where, []).append(message)

    def add_api_errors(self, detail) -> None:
        """Place each (attr, message) of a DRF error detail next to its field."""
        for attr, message in flatten_errors(detail):
            if not self._place_option_error(attr, message):
                self.add_error(self._where(attr), message)

    @staticmethod
    def _where(attr: str) -> str:
        for prefix, where in (
            ("account_ids", "accounts"),
            ("media_urls", "media"),
            ("text", "text"),
            ("scheduled_at", "schedule"),
            ("recurrence", "repeat"),
        ):
            if attr == prefix or attr.startswith((prefix + "[", prefix + ".")):
                return where
        return "other"

    def _place_option_error(self, attr: str, message: str) -> bool:
        for group in self.groups:
            roots = {group.provider, *(f.account_id for f in group.fields if f.account_id)}
            if not any(attr == f"platform_options.{r}" or attr.startswith(f"platform_options.{r}.") for r in roots):
                continue
            for f in group.fields:
                if attr == f.attr or attr.startswith((f.attr + ".", f.attr + "[")) or f.attr.startswith(attr + "."):
                    f.errors.append(message)
                    return True
            group.errors.append(message)
            return True
        return False

    @property
    def is_bound(self) -> bool:
        return bool(self.data)

    @property
    def has_errors(self) -> bool:
        return bool(self.errors) or any(g.errors or any(f.errors for f in g.fields) for g in self.groups)

    def summary(self) -> list[tuple[str, str]]:
        """(anchor id, message) for the error summary at the top of the form."""
        anchors = {
            "accounts": "accounts-legend",
            "text": "id_text",
            "media": "id_media_urls",
            "schedule": "id_scheduled_local",
            "repeat": "id_repeat",
            "other": "compose-form",
        }
        items = [(anchors[where], m) for where, messages in self.errors.items() for m in messages]
        for group in self.groups:
            items += [(f"options-{group.provider}", m) for m in group.errors]
            items += [(f.id, f"{group.label} · {f.label}: {m}") for f in group.fields for m in f.errors]
        return items


# --- editing a stored post ---------------------------------------------------------------------
EDITED = ("text", "media_urls", "platform_options", "account_ids", "scheduled_at")


def _option_text(f: OptionField, value) -> str | list[str]:
    """A stored option value as the form's field shows it (the reverse of OptionField.parse)."""
    if f.kind == "destinations":
        return [str(item) for item in value] if isinstance(value, list) else [str(value)]
    if f.kind == "bool":
        return "true" if value is True else "false" if value is False else ""
    if f.kind == "lines" and isinstance(value, list):
        return "\n".join(str(item) for item in value)
    return "" if value is None else str(value)


def _stored_option(options: dict, f: OptionField):
    value = options.get(f.root, {})
    for part in f.path:
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def post_form_data(*, post: Post, form: "ComposeForm", tz: zoneinfo.ZoneInfo) -> QueryDict:
    """What the compose form would hold had it written `post`: its accounts, text, media,
    options (each in its field's format) and time in zone `tz`, plus the revision it
    shows. `form` (unbound) gives the option fields to fill."""
    data = QueryDict(mutable=True)
    data.setlist("account_ids", list(post.account_ids))
    data["text"] = post.text
    data["media_urls"] = "\n".join(post.media_urls)
    for group in form.groups:
        for f in group.fields:
            value = _stored_option(post.platform_options, f)
            if value is None:
                continue
            shown = _option_text(f, value)
            if isinstance(shown, list):
                data.setlist(f.name, shown)
            else:
                data[f.name] = shown
    data["when"] = "schedule" if post.scheduled_at else "now"
    if post.scheduled_at:
        data["scheduled_local"] = timezone.localtime(post.scheduled_at, tz).strftime("%Y-%m-%dT%H:%M")
    data["tz"] = tz.key
    data["revision"] = str(post.revision)
    return data


def options_kept(*, post: Post, form: "ComposeForm", options: dict) -> dict:
    """`options` (the edit form's) plus each stored option of `post` the form has no field
    for (one account's own text, say) under a network or account still targeted, so that
    saving the form never drops what it could not show."""
    shown = {(f.root, f.path[0]) for group in form.groups for f in group.fields}
    targeted = set(form.selected) | form.targeted_providers()
    merged = {root: dict(values) for root, values in options.items()}
    for root, stored in post.platform_options.items():
        if root not in targeted or not isinstance(stored, dict):
            continue
        for name, value in stored.items():
            if (root, name) not in shown:
                merged.setdefault(root, {})[name] = value
    return merged


def same_minute(chosen: str | None, stored: datetime | None) -> bool:
    """Whether the form's time (UTC ISO 8601, minutes only) is the stored one, which may
    carry seconds: a time the form shows back unchanged is no change (nor checked again)."""
    if chosen is None or stored is None:
        return False
    return datetime.fromisoformat(chosen) == stored.replace(second=0, microsecond=0)


def post_changes(*, post: Post, validated: dict) -> dict:
    """The fields of `validated` (an edit's checked payload) that differ from `post`'s."""
    return {name: validated.get(name) for name in EDITED if validated.get(name) != getattr(post, name)}


class PostFilterForm(forms.Form):
    """The API's list filters (status, provider, q) for the posts page."""

    q = forms.CharField(label="Search text", required=False, max_length=200)
    status = forms.ChoiceField(label="Status", required=False, choices=[("", "Any status"), *Post.Status.choices])
    provider = forms.ChoiceField(label="Network", required=False, choices=[("", "All networks"), *registry.CHOICES])
