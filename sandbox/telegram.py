"""The Telegram sandbox: the Bot API subset a bot posting to channels and groups uses,
under /sandbox/telegram/, written from https://core.telegram.org/bots/api.

`/bot<token>/<method>` (method names case-insensitive; JSON, form or multipart bodies,
or the query string): getMe, getChat, getChatMember, getChatMemberCount, sendMessage,
sendPhoto, sendVideo, sendAnimation, sendDocument, sendMediaGroup. Every answer is the Bot API envelope,
`{"ok": true, "result": …}` or `{"ok": false, "error_code", "description", "parameters"}`
with the HTTP status equal to `error_code`.

Bots: any token is a bot (its id is the number before the colon, else one derived from
the token) except one starting with `invalid` (401 Unauthorized). Chats are derived from
their id, so tests need no setup:
- `@name` a public channel where the bot is an administrator allowed to post, unless
  `name` starts with `member` (a plain member: no right to post), `readonly` (an
  administrator without can_post_messages), `kicked` (kicked: 403), `missing` (400 chat not
  found) or `group` (a public supergroup where the bot is a member);
- `-100<digits>` a private channel (or the public chat with that id, once seen);
- `-42<digits>` a basic group that was upgraded (400 with migrate_to_chat_id);
- `-<digits>` a basic group where the bot is a member; a positive id a private chat
  (400 chat not found: a bot cannot start one).
Enforced: strict HTML / MarkdownV2 escaping (`can't parse entities`), text 1-4096 and
captions up to 1024 UTF-16 units after parsing, albums of 2-10 with documents only among
documents, media URLs (the sandbox's own sample files are checked; other hosts are taken
as reachable), the flood limit of 20 messages a minute per group, reply targets. Message ids
increase per chat. The website paths `/<username>/<id>` and `/c/<id>/<id>` show a message.
No metrics: the Bot API has none.
"""

import html
import json
import re
import secrets
import time
from datetime import timedelta
from urllib.parse import urlsplit

from django.db import IntegrityError, transaction
from django.http import JsonResponse
from django.urls import re_path
from django.utils import timezone

from sandbox import core
from sandbox.files import SAMPLES

NETWORK = "telegram"
MB = 1024 * 1024
TEXT_MAX, CAPTION_MAX = 4096, 1024
ALBUM_MIN, ALBUM_MAX = 2, 10
GROUP_PER_MINUTE = 20  # https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this
UPLOAD_MAX = {"photo": 10 * MB}  # multipart uploads; 50 MB for other files
UPLOAD_OTHER_MAX = 50 * MB
HTML_TAGS = {
    "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a", "code", "pre",
    "blockquote", "tg-emoji",
}  # fmt: skip
TAG_RE = re.compile(
    r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z-]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>]+))?)*)\s*>"
)
ENTITY_RE = re.compile(r"&(lt|gt|amp|quot|#[0-9]+|#x[0-9a-fA-F]+);")
MARKDOWN_RESERVED = set("_*[]()~`>#+-=|{}.!")
MARKDOWN_MARKUP = set("_*[]()~`|")  # the characters the sandbox lets stand for formatting
SEND_METHODS = {
    "sendmessage": None,
    "sendphoto": "photo",
    "sendvideo": "video",
    "sendanimation": "animation",
    "senddocument": "document",
    "sendmediagroup": "album",
}
ALBUM_TYPES = ("photo", "video", "document", "audio")
NESTED = ("media", "link_preview_options", "reply_parameters", "reply_markup")


# --- answers -------------------------------------------------------------------------------
def _ok(result) -> JsonResponse:
    return JsonResponse({"ok": True, "result": result})


def _error(code: int, description: str, **parameters) -> JsonResponse:
    body = {"ok": False, "error_code": code, "description": description}
    if parameters:
        body["parameters"] = parameters
    response = JsonResponse(body, status=code)
    if "retry_after" in parameters:
        response["Retry-After"] = str(parameters["retry_after"])
    return response


def _bad(description: str) -> JsonResponse:
    return _error(400, f"Bad Request: {description}")


# --- request values ---------------------------------------------------------------------------
def _params(request) -> dict | None:
    """The method's parameters from the query string, a form/multipart body or JSON; nested
    objects of a form arrive JSON-serialized. None for an unreadable JSON body."""
    params = dict(request.GET.items())
    if request.content_type == "application/json":
        try:
            body = json.loads(request.body or b"{}")
        except ValueError:
            return None
        if not isinstance(body, dict):
            return None
        return {**params, **body}
    params.update(request.POST.items())
    for name in NESTED:
        if isinstance(params.get(name), str):
            try:
                params[name] = json.loads(params[name])
            except ValueError:
                return None
    return params


def _flag(value) -> bool:
    return value is True or (isinstance(value, str) and value.lower() == "true")


# --- bots and chats ---------------------------------------------------------------------------
def _bot(token: str) -> dict:
    number = token.split(":", 1)[0]
    bot_id = int(number) if number.isdigit() else int(core.account_id_for(token, 10))
    return {
        "id": bot_id,
        "is_bot": True,
        "first_name": f"Sandbox Bot {str(bot_id)[-4:]}",
        "username": f"sandbox{str(bot_id)[-6:]}_bot",
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
    }


def _chat(chat_id) -> dict | None:
    """The chat named by `chat_id` (see the module docstring), None when there is none."""
    value = str(chat_id or "").strip()
    if value.startswith("@"):
        username = value[1:]
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{3,31}", username) or username.lower().startswith("missing"):
            return None
        lowered = username.lower()
        numeric = f"-100{core.account_id_for('chat:' + lowered, 10)}"
        kind = "supergroup" if lowered.startswith("group") else "channel"
        chat = {"id": int(numeric), "type": kind, "title": f"Sandbox {username}", "username": username}
        _remember(chat)
        return chat
    if not re.fullmatch(r"-?[0-9]{1,20}", value):
        return None
    record = core.record_get(NETWORK, "chat", value)
    if record is not None:
        return dict(record.data)
    if value.startswith("-100"):
        return {"id": int(value), "type": "channel", "title": f"Private channel {value[-4:]}"}
    if value.startswith("-"):
        return {"id": int(value), "type": "group", "title": f"Sandbox group {value[-4:]}"}
    return None


def _remember(chat: dict) -> None:
    """Keep a public chat under its numeric id, so that id finds it (and its username) again."""
    if core.record_get(NETWORK, "chat", str(chat["id"])) is None:
        try:
            with transaction.atomic():
                core.record_create(NETWORK, "chat", str(chat["id"]), **chat)
        except IntegrityError:
            pass


def _membership(chat: dict, bot: dict) -> dict:
    """The bot's ChatMember in `chat` (https://core.telegram.org/bots/api#chatmember)."""
    name = (chat.get("username") or "").lower()
    if name.startswith("kicked"):
        return {"status": "kicked", "user": bot, "until_date": 0}
    if chat["type"] != "channel" or name.startswith("member"):
        return {"status": "member", "user": bot}
    return {
        "status": "administrator",
        "user": bot,
        "can_be_edited": False,
        "is_anonymous": False,
        "can_manage_chat": True,
        "can_delete_messages": True,
        "can_manage_video_chats": False,
        "can_restrict_members": True,
        "can_promote_members": False,
        "can_change_info": True,
        "can_invite_users": True,
        "can_post_stories": False,
        "can_edit_stories": False,
        "can_delete_stories": False,
        "can_post_messages": not name.startswith("readonly"),
        "can_edit_messages": True,
    }


def _chat_refusal(chat_id) -> tuple[dict | None, JsonResponse | None]:
    value = str(chat_id or "")
    if re.fullmatch(r"-42[0-9]{5,15}", value):
        return None, _error(
            400, "Bad Request: group chat was upgraded to a supergroup chat", migrate_to_chat_id=int("-100" + value[3:])
        )
    chat = _chat(chat_id)
    if chat is None:
        return None, _bad("chat not found")
    return chat, None


def _post_refusal(chat: dict, bot: dict) -> JsonResponse | None:
    """Whether the bot may send to `chat` (the server's wording)."""
    member = _membership(chat, bot)
    kind = "channel" if chat["type"] == "channel" else chat["type"]
    if member["status"] == "kicked":
        return _error(403, f"Forbidden: bot was kicked from the {kind} chat")
    if chat["type"] == "channel" and not (member["status"] == "administrator" and member["can_post_messages"]):
        return _bad("need administrator rights in the channel chat")
    return None


# --- text ---------------------------------------------------------------------------------------
def _offset(text: str, index: int) -> int:
    return len(text[:index].encode())


def parse_html(text: str) -> tuple[str, str]:
    """The plain text of an HTML-formatted message and "" , or ("", the parse error)
    (https://core.telegram.org/bots/api#html-style)."""
    plain, stack, index = [], [], 0
    while index < len(text):
        char = text[index]
        if char == "<":
            match = TAG_RE.match(text, index)
            name = match.group(2).lower() if match else ""
            if not match or name not in HTML_TAGS:
                shown = f' "{name}"' if name else ""
                return "", f"Unsupported start tag{shown} at byte offset {_offset(text, index)}"
            if match.group(1):
                if not stack or stack[-1] != name:
                    expected = f"</{stack[-1]}>" if stack else "nothing"
                    return "", f'Unmatched end tag at byte offset {_offset(text, index)}, expected "{expected}", ' \
                        f'found "</{name}>"'
                stack.pop()
            else:
                if name == "span" and "tg-spoiler" not in match.group(3):
                    return "", f'Tag "span" must have class "tg-spoiler" at byte offset {_offset(text, index)}'
                stack.append(name)
            index = match.end()
            continue
        if char == "&":
            match = ENTITY_RE.match(text, index)
            if not match:
                return "", f"Character '&' is reserved and must be escaped at byte offset {_offset(text, index)}"
            plain.append(html.unescape(match.group(0)))
            index = match.end()
            continue
        if char == ">":
            return "", f"Character '>' is reserved and must be escaped at byte offset {_offset(text, index)}"
        plain.append(char)
        index += 1
    if stack:
        return "", f'Can\'t find end tag corresponding to start tag "{stack[-1]}"'
    return "".join(plain), ""


def parse_markdown_v2(text: str) -> tuple[str, str]:
    """MarkdownV2, checked for what must be escaped outside its markup (the sandbox does not
    render its entities): every reserved character not used as markup needs a backslash."""
    plain, index = [], 0
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text):
            plain.append(text[index + 1])
            index += 2
            continue
        if char in MARKDOWN_RESERVED and char not in MARKDOWN_MARKUP:
            return "", f"Character '{char}' is reserved and must be escaped with the preceding '\\'"
        if char not in MARKDOWN_MARKUP:
            plain.append(char)
        index += 1
    return "".join(plain), ""


def _parsed(value, parse_mode) -> tuple[str, JsonResponse | None]:
    """The plain text of a text or caption under `parse_mode`, or the 400 answer."""
    text = value if isinstance(value, str) else ("" if value is None else str(value))
    if parse_mode in (None, ""):
        return text, None
    if parse_mode == "HTML":
        plain, error = parse_html(text)
    elif parse_mode in ("MarkdownV2", "Markdown"):
        plain, error = parse_markdown_v2(text)
    else:
        return "", _bad("unsupported parse_mode")
    if error:
        return "", _bad(f"can't parse entities: {error}")
    return plain, None


def _units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


# --- media --------------------------------------------------------------------------------------
def _file(request, value, field: str, bot: dict) -> tuple[dict | None, JsonResponse | None]:
    """The file of a media field: a URL Telegram fetches, an `attach://` part of the
    multipart body, or a file_id this bot got earlier (https://core.telegram.org/bots/api#sending-files)."""
    if not isinstance(value, str) or not value:
        upload = request.FILES.get(field)
        if upload is None:
            return None, _bad(f"there is no {field} in the request")
        return _upload(upload, field)
    if value.startswith("attach://"):
        upload = request.FILES.get(value[len("attach://") :])
        if upload is None:
            return None, _bad(f"can't find attached file \"{value}\"")
        return _upload(upload, field)
    parts = urlsplit(value)
    if parts.scheme in ("http", "https") and parts.netloc:
        return _fetched(value, field)
    record = core.record_get(NETWORK, "file", value)
    if record is None or record.owner != str(bot["id"]):
        return None, _bad("wrong file identifier/HTTP URL specified")
    file = record.data["file"]
    if file["kind"] != field and field != "document":
        return None, _bad(f"wrong file type: the file is a {file['kind']}, not a {field}")
    return dict(file), None


def _kind_fits(field: str, mime: str) -> bool:
    if field == "photo":
        return mime in ("image/jpeg", "image/png", "image/webp")
    if field == "video":
        return mime.startswith("video/")
    if field == "animation":
        return mime in ("image/gif", "video/mp4")
    return True


def _fetched(url: str, field: str) -> tuple[dict | None, JsonResponse | None]:
    path = urlsplit(url).path
    if "/sandbox/files/" in path:
        sample = SAMPLES.get(path.rsplit("/", 1)[-1])
        if sample is None:
            return None, _bad("failed to get HTTP URL content")
        mime, body = sample
        size = len(body)
    else:  # the sandbox is offline: other hosts are taken as reachable, typed by extension
        guessed = core.media_kind(url)
        mime = {"image": "image/jpeg", "video": "video/mp4"}.get(guessed, "application/pdf")
        if path.lower().endswith(".png"):
            mime = "image/png"
        elif path.lower().endswith(".gif"):
            mime = "image/gif"
        size = 0
    if not _kind_fits(field, mime):
        return None, _bad("wrong type of the web page content")
    return {"kind": field, "url": url, "mime_type": mime, "size": size}, None


def _upload(upload, field: str) -> tuple[dict | None, JsonResponse | None]:
    if upload.size > UPLOAD_MAX.get(field, UPLOAD_OTHER_MAX):
        return None, _error(413, "Request Entity Too Large")
    mime = upload.content_type or "application/octet-stream"
    if not _kind_fits(field, mime):
        return None, _bad("wrong file type")
    return {"kind": field, "url": "", "mime_type": mime, "size": upload.size}, None


def _file_object(file: dict, bot: dict) -> dict:
    """The PhotoSize list / Video / Animation / Document of a sent file, with a new file_id."""
    file_id = f"sbx{secrets.token_urlsafe(18)}"
    unique = secrets.token_urlsafe(8)
    core.record_create(NETWORK, "file", file_id, owner=str(bot["id"]), file=file)
    if file["kind"] == "photo":
        return [{"file_id": file_id, "file_unique_id": unique, "width": 1, "height": 1, "file_size": file["size"]}]
    info = {"file_id": file_id, "file_unique_id": unique, "mime_type": file["mime_type"], "file_size": file["size"]}
    if file["kind"] in ("video", "animation"):
        info.update(width=1, height=1, duration=1)
    return info


# --- the methods ---------------------------------------------------------------------------------
def get_me(request, bot, params):
    return _ok(bot)


def get_chat(request, bot, params):
    chat, refusal = _chat_refusal(params.get("chat_id"))
    if refusal:
        return refusal
    return _ok({**chat, "accent_color_id": 0, "max_reaction_count": 11, "accepted_gift_types": {}})


def get_chat_member(request, bot, params):
    chat, refusal = _chat_refusal(params.get("chat_id"))
    if refusal:
        return refusal
    if str(params.get("user_id", "")) != str(bot["id"]):
        return _bad("user not found")
    return _ok(_membership(chat, bot))


def get_chat_member_count(request, bot, params):
    """The chat's member count (https://core.telegram.org/bots/api#getchatmembercount): a
    bare Integer as `result`, deterministic per chat and day (sandbox.core.account_metrics),
    a channel's growing slowly. 403 for a bot kicked from the chat."""
    chat, refusal = _chat_refusal(params.get("chat_id"))
    if refusal:
        return refusal
    if _membership(chat, bot)["status"] == "kicked":
        kind = "channel" if chat["type"] == "channel" else chat["type"]
        return _error(403, f"Forbidden: bot was kicked from the {kind} chat")
    rate = MEMBER_RATES.get(chat["type"], MEMBER_RATES["group"])
    return _ok(core.account_metrics(str(chat["id"]), {"member_count": rate})["member_count"])


def _behavior_refusal(request, token: str, chat: dict, method: str, text: str) -> JsonResponse | None:
    """The account's sandbox behaviour on a send: a revoked token, a refusal, or a first
    attempt rate-limited or failing."""
    behavior = request.sandbox.name
    if behavior == "token_expired":  # bot tokens do not expire: the owner revoked it
        return _error(401, "Unauthorized")
    if behavior == "rejects":
        return _bad(core.REJECT_REASON)
    if behavior in ("rate_limited", "flaky") and core.first_attempt(
        NETWORK, behavior, token, str(chat["id"]), method, text
    ):
        if behavior == "rate_limited":
            return _error(429, "Too Many Requests: retry after 1", retry_after=1)
        return _error(500, "Internal Server Error: the sandbox's first attempt fails (behavior 'flaky')")
    return None


def _flood_refusal(chat: dict, count: int) -> JsonResponse | None:
    """At most GROUP_PER_MINUTE messages a minute in one group (an album counts each item)."""
    if chat["type"] not in ("group", "supergroup"):
        return None
    window = timezone.now() - timedelta(minutes=1)
    recent = core.record_list(NETWORK, "message", owner=str(chat["id"])).filter(created_at__gt=window)
    if recent.count() + count <= GROUP_PER_MINUTE:
        return None
    oldest = recent.order_by("created_at").first()
    wait = max(1, int(60 - (timezone.now() - oldest.created_at).total_seconds()) + 1)
    return _error(429, f"Too Many Requests: retry after {wait}", retry_after=wait)


def _common_refusal(chat: dict, params: dict) -> JsonResponse | None:
    thread = params.get("message_thread_id")
    if thread not in (None, "") and chat["type"] != "supergroup":
        return _bad("message thread not found")
    reply = params.get("reply_parameters")
    reply_to = reply.get("message_id") if isinstance(reply, dict) else params.get("reply_to_message_id")
    if reply_to not in (None, "") and core.record_get(NETWORK, "message", f"{chat['id']}:{reply_to}") is None:
        allow = isinstance(reply, dict) and _flag(reply.get("allow_sending_without_reply"))
        if not allow:
            return _bad("message to be replied not found")
    preview = params.get("link_preview_options")
    if preview is not None and not isinstance(preview, dict):
        return _bad("can't parse link preview options JSON object")
    return None


def _next_ids(chat_id: int, count: int) -> list[int]:
    """`count` message ids for the chat, increasing (unique per chat)."""
    last = core.record_list(NETWORK, "message", owner=str(chat_id)).count()
    return list(range(last + 1, last + 1 + count))


def _store(chat: dict, bot: dict, params: dict, items: list[dict]) -> list[dict]:
    """Record and answer the sent messages: one per item ({kind, text, file?})."""
    group_id = str(int(time.time() * 1000)) + core.numeric_id(6) if len(items) > 1 else ""
    reply = params.get("reply_parameters")
    reply_to = reply.get("message_id") if isinstance(reply, dict) else params.get("reply_to_message_id")
    for _ in range(20):
        try:
            with transaction.atomic():
                messages = []
                for message_id, item in zip(_next_ids(chat["id"], len(items)), items, strict=True):
                    messages.append(_message(chat, bot, params, item, message_id, group_id, reply_to))
                return messages
        except IntegrityError:  # a concurrent send took these ids: take the next ones
            continue
    raise IntegrityError("No free message id.")


def _message(chat, bot, params, item, message_id, group_id, reply_to) -> dict:
    file = item.get("file")
    file_object = _file_object(file, bot) if file else None
    core.record_create(
        NETWORK,
        "message",
        f"{chat['id']}:{message_id}",
        owner=str(chat["id"]),
        text=item["text"],
        content=item["kind"],
        media=[{"kind": file["kind"], "url": file["url"]}] if file else [],
        media_group_id=group_id,
        bot_id=bot["id"],
        disable_notification=_flag(params.get("disable_notification")),
        protect_content=_flag(params.get("protect_content")),
        link_preview_options=params.get("link_preview_options") if item["kind"] == "text" else None,
        show_caption_above_media=_flag(item.get("show_caption_above_media")),
        reply_to=int(reply_to) if str(reply_to or "").isdigit() else None,
        message_thread_id=params.get("message_thread_id"),
    )
    message = {"message_id": message_id, "date": int(time.time()), "chat": chat}
    if chat["type"] == "channel":
        message["sender_chat"] = chat
    else:
        message["from"] = bot
    if item["kind"] == "text":
        message["text"] = item["text"]
        if isinstance(params.get("link_preview_options"), dict):
            message["link_preview_options"] = params["link_preview_options"]
    else:
        message[file["kind"]] = file_object
        if item["text"]:
            message["caption"] = item["text"]
    if group_id:
        message["media_group_id"] = group_id
    if _flag(params.get("protect_content")):
        message["has_protected_content"] = True
    return message


def _send(request, token, bot, params, method):
    chat, refusal = _chat_refusal(params.get("chat_id"))
    if refusal:
        return refusal
    refusal = _post_refusal(chat, bot) or _common_refusal(chat, params)
    if refusal:
        return refusal
    field = SEND_METHODS[method]
    if field == "album":
        items, refusal = _album_items(request, bot, params)
    elif field is None:
        items, refusal = _text_item(params)
    else:
        items, refusal = _media_item(request, bot, params, field)
    if refusal:
        return refusal
    first_text = next((item["text"] for item in items if item["text"]), "")
    refusal = _behavior_refusal(request, token, chat, method, first_text) or _flood_refusal(chat, len(items))
    if refusal:
        return refusal
    messages = _store(chat, bot, params, items)
    return _ok(messages if field == "album" else messages[0])


def _text_item(params) -> tuple[list[dict], JsonResponse | None]:
    text, refusal = _parsed(params.get("text"), params.get("parse_mode"))
    if refusal:
        return [], refusal
    if not text.strip():
        return [], _bad("message text is empty")
    if _units(text) > TEXT_MAX:
        return [], _bad("message is too long")
    return [{"kind": "text", "text": text}], None


def _caption(values: dict) -> tuple[str, JsonResponse | None]:
    caption, refusal = _parsed(values.get("caption"), values.get("parse_mode"))
    if refusal:
        return "", refusal
    if _units(caption) > CAPTION_MAX:
        return "", _bad("message caption is too long")
    return caption, None


def _media_item(request, bot, params, field: str) -> tuple[list[dict], JsonResponse | None]:
    caption, refusal = _caption(params)
    if refusal:
        return [], refusal
    file, refusal = _file(request, params.get(field), field, bot)
    if refusal:
        return [], refusal
    above = params.get("show_caption_above_media")
    return [{"kind": field, "text": caption, "file": file, "show_caption_above_media": above}], None


def _album_items(request, bot, params) -> tuple[list[dict], JsonResponse | None]:
    media = params.get("media")
    if not isinstance(media, list):
        return [], _bad("can't parse media JSON object")
    if not ALBUM_MIN <= len(media) <= ALBUM_MAX:
        return [], _bad(f"the album must hold {ALBUM_MIN} to {ALBUM_MAX} media")
    types = [item.get("type") if isinstance(item, dict) else None for item in media]
    if any(kind not in ALBUM_TYPES for kind in types):
        return [], _bad("can't parse InputMedia: the media type must be photo, video, document or audio")
    for alone in ("document", "audio"):
        if alone in types and any(kind != alone for kind in types):
            return [], _bad("can't use the media of the specified type in the album")
    items = []
    for entry in media:
        caption, refusal = _caption(entry)
        if refusal:
            return [], refusal
        file, refusal = _file(request, entry.get("media"), entry["type"], bot)
        if refusal:
            return [], refusal
        above = entry.get("show_caption_above_media")
        items.append({"kind": entry["type"], "text": caption, "file": file, "show_caption_above_media": above})
    return items, None


METHODS = {
    "getme": get_me,
    "getchat": get_chat,
    "getchatmember": get_chat_member,
    "getchatmembercount": get_chat_member_count,
}
# Plausible member counts by chat type, before sandbox.core.account_metrics' per-chat factor.
MEMBER_RATES = {"channel": 1200, "supergroup": 340, "group": 45}


@core.sandbox_view
def bot_api(request, token: str, method: str):
    """`/bot<token>/<method>`, GET or POST."""
    if request.method not in ("GET", "POST"):
        return _error(405, "Method Not Allowed")
    if core.is_refused_token(token):
        return _error(401, "Unauthorized")
    name = method.lower()
    if name not in METHODS and name not in SEND_METHODS:
        return _error(404, "Not Found: method not found")
    params = _params(request)
    if params is None:
        return _bad("can't parse JSON object")
    bot = _bot(token)
    if name in METHODS:
        return METHODS[name](request, bot, params)
    return _send(request, token, bot, params, name)


# --- the public website: the page of a message ----------------------------------------------------
def _page(request, chat_id: str, message_id: str, author: str):
    record = core.record_get(NETWORK, "message", f"{chat_id}:{message_id}")
    if record is None:
        return core.post_page(request, network="Telegram", record=None, author="")
    records = [record]
    if record.data.get("media_group_id"):
        records = list(
            core.record_list(NETWORK, "message", owner=chat_id)
            .filter(data__media_group_id=record.data["media_group_id"])
            .order_by("id")
        )
    media = [
        core.PageMedia({"photo": "image", "animation": "image"}.get(item["kind"], item["kind"]), item.get("url", ""))
        for each in records
        for item in each.data.get("media") or []
    ]
    text = next((each.data.get("text") for each in records if each.data.get("text")), "")
    return core.post_page(request, network="Telegram", record=record, author=author, media=media, text=text)


@core.sandbox_view
def public_message_page(request, username: str, message_id: str):
    """t.me/<username>/<message id>: a public channel's or supergroup's message."""
    chat = _chat(f"@{username}")
    if chat is None:
        return core.post_page(request, network="Telegram", record=None, author="")
    return _page(request, str(chat["id"]), message_id, f"@{chat['username']}")


@core.sandbox_view
def private_message_page(request, internal_id: str, message_id: str):
    """t.me/c/<chat id without -100>/<message id>: a private channel's message (members only)."""
    return _page(request, f"-100{internal_id}", message_id, f"Private channel {internal_id[-4:]}")


def demo_credentials(token: str) -> dict:
    """The credentials besides the token that `manage.py demo_setup` connects a sandbox
    account of this network with: a public channel of its own where the bot may post."""
    return {"chat_id": f"@dravo_demo_{core.account_id_for(token, 6)}"}


urlpatterns = [
    re_path(r"^bot(?P<token>[^/]*)/(?P<method>[A-Za-z]+)$", bot_api, name="sandbox-telegram-api"),
    re_path(r"^c/(?P<internal_id>[0-9]+)/(?P<message_id>[0-9]+)$", private_message_page),
    re_path(r"^(?P<username>[A-Za-z][A-Za-z0-9_]{3,31})/(?P<message_id>[0-9]+)$", public_message_page),
]
