"""Google Business Profile: what a local post must be to publish, checked without I/O: the
strict schema of `platform_options.google_business`, the limits (as constants and as the
`LIMITS` table) and the checks that turn content into problems.

A local post is one of four topic types: STANDARD (a "What's new" update), EVENT (a title
and a schedule), OFFER (an event's title and schedule plus a coupon, a link and terms) or
ALERT (a COVID-19 alert: legacy, but still in the API). Dravo's post text is the post's
`summary`; a post carries at most one photo, which Google fetches from its URL. Product
posts cannot be made through the API, so there is no such topic type.

Sources: Google's "Create posts on Google" guide and the v4 `accounts.locations.localPosts`
reference (https://developers.google.com/my-business/reference/rest/v4/accounts.locations.localPosts).
Values marked (unconfirmed) are not in Google's API reference; they come from its help
centre or from other integrations, and each is one constant here.
"""

from datetime import date

from rest_framework import serializers

from providers.base import Content, Media, Problem
from providers.fields import StrictCharField, StrictChoiceField, StrictSerializer
from providers.media_rules import FORMAT, SIZE, media_breaches
from providers.network import Limits, MediaLimit, TextLimit

SUMMARY_LIMIT = 1500  # the console's limit, also enforced by other integrations (unconfirmed in the API)
EVENT_TITLE_LIMIT = 58  # the console's limit (unconfirmed)
COUPON_LIMIT = 58  # the console's limit on a coupon code (unconfirmed)
TERMS_LIMIT = 5000  # the console's limit on an offer's terms (unconfirmed)
URL_LIMIT = 2048
MB = 1024 * 1024
# One photo per post, JPEG or PNG, at most 5 MB and at least 250×250 pixels (unconfirmed:
# Google's help centre; the API only says `sourceUrl` is fetched). Videos in posts are
# unconfirmed too, so Dravo sends photos only.
IMAGE_MIMES = ("image/jpeg", "image/png")
IMAGE_MAX_BYTES = 5 * MB
IMAGE_MIN_SIDE = 250
TOPIC_TYPES = ("STANDARD", "EVENT", "OFFER", "ALERT")
DEFAULT_TOPIC = "STANDARD"
# `GET_OFFER` is deprecated (an OFFER post is the way), so it is not offered.
ACTION_TYPES = ("BOOK", "ORDER", "SHOP", "LEARN_MORE", "SIGN_UP", "CALL")
ALERT_TYPES = ("COVID_19",)
DEFAULT_LANGUAGE = "en-US"
LANGUAGE_CODE = r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$"
DATE = r"^\d{4}-\d{2}-\d{2}$"
TIME = r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$"
SCHEDULED_TOPICS = ("EVENT", "OFFER")  # the topic types that need `event` (title and dates)
OPT = "platform_options.google_business"


class StrictRegexField(serializers.RegexField):
    """A JSON string matching the pattern; any other JSON type is refused, never converted."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


def parse_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


class EventOptions(StrictSerializer):
    """An EVENT's (or OFFER's) title and schedule: dates as `YYYY-MM-DD`, times as `HH:MM`
    (24 h, the location's own time zone); without times the event lasts whole days."""

    title = StrictCharField(
        required=False, min_length=1, max_length=EVENT_TITLE_LIMIT, trim_whitespace=False, label="Event name"
    )
    start_date = StrictRegexField(DATE, required=False, label="Event starts on (date)", help_text="YYYY-MM-DD.")
    start_time = StrictRegexField(TIME, required=False, label="Event starts at (time)", help_text="HH:MM, 24-hour.")
    end_date = StrictRegexField(DATE, required=False, label="Event ends on (date)", help_text="YYYY-MM-DD.")
    end_time = StrictRegexField(TIME, required=False, label="Event ends at (time)", help_text="HH:MM, 24-hour.")

    def validate(self, attrs):
        errors = {}
        for name in ("start_date", "end_date"):
            if name in attrs and parse_date(attrs[name]) is None:
                errors[name] = [f"{attrs[name]} is not a date."]
        if ("start_time" in attrs) != ("end_time" in attrs):
            errors["end_time" if "start_time" in attrs else "start_time"] = [
                "Give both start_time and end_time, or neither (an event of whole days)."
            ]
        start, end = parse_date(attrs.get("start_date")), parse_date(attrs.get("end_date"))
        if not errors and start and end:
            if (end, attrs.get("end_time", "")) < (start, attrs.get("start_time", "")):
                errors["end_date"] = ["The event ends before it starts."]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class OfferOptions(StrictSerializer):
    """An OFFER's details; all optional (the offer itself is the post's text and event)."""

    coupon_code = StrictCharField(
        required=False, min_length=1, max_length=COUPON_LIMIT, trim_whitespace=False, label="Coupon code to show"
    )
    redeem_online_url = serializers.URLField(required=False, max_length=URL_LIMIT, label="Where to redeem online")
    terms_conditions = StrictCharField(
        required=False, min_length=1, max_length=TERMS_LIMIT, trim_whitespace=False, label="Offer terms and conditions"
    )


class CallToActionOptions(StrictSerializer):
    """The post's button: an action and where it leads; CALL rings the profile's phone
    number, so it takes no url, and every other action needs one."""

    action_type = StrictChoiceField(ACTION_TYPES, label="Button action")
    url = serializers.URLField(required=False, max_length=URL_LIMIT, label="Button link")

    def validate(self, attrs):
        if attrs["action_type"] == "CALL" and "url" in attrs:
            raise serializers.ValidationError({"url": ["A CALL button rings the profile's phone number: no url."]})
        if attrs["action_type"] != "CALL" and "url" not in attrs:
            raise serializers.ValidationError({"url": [f"A {attrs['action_type']} button needs the url it opens."]})
        return attrs


class GoogleBusinessOptions(StrictSerializer):
    """`platform_options.google_business`. Which objects a topic type takes is checked by
    validate() (the schema alone also checks options given per account)."""

    topic_type = StrictChoiceField(TOPIC_TYPES, required=False, label="Kind of update")
    language_code = StrictRegexField(
        LANGUAGE_CODE, required=False, max_length=35, label="Language", help_text="A language code, e.g. en."
    )
    event = EventOptions(required=False, label="Event")
    offer = OfferOptions(required=False, label="Offer")
    call_to_action = CallToActionOptions(required=False, label="Button")
    alert_type = StrictChoiceField(ALERT_TYPES, required=False, label="Alert kind")


def option_field(*names: str) -> str:
    return ".".join((OPT, *names))


def topic_of(content: Content) -> str:
    return (content.options or {}).get("topic_type") or DEFAULT_TOPIC


def text_problems(content: Content, topic: str) -> list[Problem]:
    text = content.text or ""
    if len(text) > SUMMARY_LIMIT:
        message = (
            f"A Google Business Profile post is at most {SUMMARY_LIMIT:,} characters; this text has {len(text):,}."
        )
        return [Problem("text", message, "too_long")]
    if not text.strip() and topic == "ALERT":
        return [Problem("text", "An ALERT post is its text: write the alert.", "required")]
    if not text.strip() and topic == "STANDARD" and not content.media:
        return [Problem("text", "A Google Business Profile update needs a text or a photo.", "required")]
    return []


def item_problems(field: str, media: Media) -> list[Problem]:
    if media.kind != "image":
        message = f"Google Business Profile posts take one photo, not a {media.kind}."
        return [Problem(field, message, "unsupported_media")]
    breaches = media_breaches(LIMITS.media_for("image"), media)
    problems = []
    if FORMAT in breaches:
        problems.append(Problem(field, f"Google takes JPEG or PNG photos, not {media.mime_type}.", "format"))
    if SIZE in breaches:
        problems.append(Problem(field, "A Google Business Profile photo is at most 5 MB.", "too_large"))
    small = [side for side in (media.width, media.height) if side is not None and side < IMAGE_MIN_SIDE]
    if small:
        message = f"A Google Business Profile photo is at least {IMAGE_MIN_SIDE}×{IMAGE_MIN_SIDE} pixels."
        problems.append(Problem(field, message, "too_small"))
    return problems


def media_problems(media: tuple[Media, ...]) -> list[Problem]:
    problems = []
    for index, item in enumerate(media):
        problems += item_problems(f"media_urls.{index}", item)
    if len(media) > 1:
        message = f"A Google Business Profile post carries one photo ({len(media)} given)."
        problems.append(Problem("media_urls", message, "too_many_media"))
    return problems


def not_applicable(name: str, topic: str, why: str) -> Problem:
    return Problem(option_field(name), f"{name} {why}; this post is a {topic} post.", "not_applicable")


def option_problems(options: dict, topic: str) -> list[Problem]:
    problems = []
    event = options.get("event") or {}
    if topic in SCHEDULED_TOPICS:
        for name in ("title", "start_date", "end_date"):
            if not event.get(name):
                message = f"A Google Business Profile {topic} needs event.{name} (its title and its dates)."
                problems.append(Problem(option_field("event", name), message, "required"))
    elif "event" in options:
        problems.append(not_applicable("event", topic, "belongs to EVENT and OFFER posts"))
    if "offer" in options and topic != "OFFER":
        problems.append(not_applicable("offer", topic, "belongs to OFFER posts"))
    if "call_to_action" in options and topic == "OFFER":
        problems.append(
            not_applicable("call_to_action", topic, "is ignored on OFFER posts (redeem_online_url is the link)")
        )
    if "alert_type" in options and topic != "ALERT":
        problems.append(not_applicable("alert_type", topic, "belongs to ALERT posts"))
    return problems


def content_problems(content: Content) -> list[Problem]:
    """Every problem Google would have with `content`. No I/O."""
    topic = topic_of(content)
    options = content.options or {}
    return text_problems(content, topic) + media_problems(content.media) + option_problems(options, topic)


# --- the LocalPost body --------------------------------------------------------------------
def google_date(value: str) -> dict:
    day = date.fromisoformat(value)
    return {"year": day.year, "month": day.month, "day": day.day}


def google_time(value: str) -> dict:
    parts = [int(part) for part in value.split(":")]
    return {"hours": parts[0], "minutes": parts[1], "seconds": parts[2] if len(parts) > 2 else 0, "nanos": 0}


def event_body(event: dict) -> dict:
    schedule = {"startDate": google_date(event["start_date"]), "endDate": google_date(event["end_date"])}
    if event.get("start_time"):
        schedule["startTime"] = google_time(event["start_time"])
        schedule["endTime"] = google_time(event["end_time"])
    return {"title": event["title"], "schedule": schedule}


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def post_body(content: Content) -> dict:
    """The LocalPost Dravo creates: language, summary, topic type and what the topic takes,
    the button and the photo (by URL, fetched by Google)."""
    options, topic = content.options or {}, topic_of(content)
    body = {"languageCode": options.get("language_code") or DEFAULT_LANGUAGE, "topicType": topic}
    if content.text:
        body["summary"] = content.text
    if topic in SCHEDULED_TOPICS and options.get("event"):
        body["event"] = event_body(options["event"])
    if topic == "OFFER" and options.get("offer"):
        body["offer"] = {camel(name): value for name, value in options["offer"].items()}
    if topic != "OFFER" and options.get("call_to_action"):
        action = options["call_to_action"]
        body["callToAction"] = {
            "actionType": action["action_type"],
            **({"url": action["url"]} if "url" in action else {}),
        }
    if topic == "ALERT":
        body["alertType"] = options.get("alert_type") or ALERT_TYPES[0]
    if content.media:
        body["media"] = [{"mediaFormat": "PHOTO", "sourceUrl": item.url} for item in content.media]
    return body


# The README table's row (`python -m providers.check`).
CAPABILITIES = {
    "content_kinds": ["standard", "event", "offer", "alert", "photo"],
    "options": ["topic_type", "language_code", "event", "offer", "call_to_action", "alert_type"],
    "limits": {
        "text": f"the summary, {SUMMARY_LIMIT:,} characters (unconfirmed); needed by ALERT, STANDARD without photo",
        "media": "at most 1 photo by URL (fetched by Google): JPEG/PNG, ≤ 5 MB, ≥ 250×250 (unconfirmed); no video",
        "event": f"EVENT and OFFER: title (≤ {EVENT_TITLE_LIMIT}, unconfirmed), start and end dates; times optional",
        "offer": "OFFER only: coupon_code, redeem_online_url, terms_conditions; no call_to_action",
        "call_to_action": "BOOK, ORDER, SHOP, LEARN_MORE, SIGN_UP with a url; CALL without one",
        "account": "one account per business location (chosen at connect); no destinations",
    },
}

# The limits as data (text length; media kinds, counts, formats, sizes).
LIMITS = Limits(
    text=TextLimit(SUMMARY_LIMIT, "chars"),
    media=(MediaLimit("image", IMAGE_MIMES, max_count=1, max_bytes=IMAGE_MAX_BYTES),),
)
