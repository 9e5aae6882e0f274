"""The dashboard's form for a webhook endpoint: the URL, a description, and the events
to take (each type as a checkbox, grouped by its prefix, or all of them)."""

from django import forms

from dravo.events import EVENT_TYPES

ALL_EVENTS = "*"


class EndpointForm(forms.Form):
    url = forms.URLField(
        label="URL", max_length=2000, assume_scheme="https",
        help_text="An https:// address on a public host; Dravo POSTs signed events to it.",
    )
    description = forms.CharField(label="Description", max_length=500, required=False,
                                  help_text="What listens there, e.g. “CRM sync”.")
    events = forms.MultipleChoiceField(
        label="Events",
        choices=[(ALL_EVENTS, "All events"), *((name, name) for name in EVENT_TYPES)],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Pick at least one event, or All events."},
    )

    def event_groups(self) -> list[dict]:
        """The event types grouped by prefix (post, delivery, account, job, webhook), each
        with its description and whether it is checked now."""
        checked = set(self["events"].value() or [])
        groups: dict[str, list[dict]] = {}
        for name, description in EVENT_TYPES.items():
            # The descriptions are the README's Markdown: drop its code quotes here.
            option = {"name": name, "description": description.replace("`", ""), "checked": name in checked}
            groups.setdefault(name.split(".")[0], []).append(option)
        return [{"prefix": prefix, "events": events} for prefix, events in groups.items()]

    def all_checked(self) -> bool:
        return ALL_EVENTS in (self["events"].value() or [])

    def add_service_errors(self, detail: dict) -> None:
        """Put a service's ValidationError ({"url": [...]} or {"events": [...]}) beside its field."""
        for name, messages in detail.items():
            for message in messages if isinstance(messages, list) else [messages]:
                self.add_error(name if name in self.fields else None, str(message))
