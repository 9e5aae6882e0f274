"""Telegram (Bot API) client: a bot posting to one channel or group: text (HTML, escaped
for you), a photo, video, animation or document, or an album (2-10 files), by URL.

Bot API 10.x. Docs: https://core.telegram.org/bots/api
Every call is `POST {api_url}/bot<token>/<method>` with a JSON body; every answer is
`{"ok": true, "result": …}` or `{"ok": false, "error_code", "description", "parameters"}`
(https://core.telegram.org/bots/api#making-requests).
"""

import html

from django.utils import timezone

from providers import http
from providers.base import (
    Content,
    Problem,
    Profile,
    ProviderClient,
    PublishResult,
    RefreshResult,
    checkpoint_state,
)
from providers.errors import (
    AccountMismatch,
    MediaUnavailable,
    ProviderUnavailable,
    RateLimited,
    ReconnectRequired,
    Rejected,
)
from providers.telegram.rules import (
    CAPABILITIES,
    CAPTION_LIMIT,
    METHODS,
    TelegramOptionsSerializer,
    media_problems,
    text_problem,
    utf16_length,
)

# Each media kind's field in its send method and its InputMedia type in an album.
MEDIA_FIELDS = {"image": "photo", "video": "video", "gif": "animation", "document": "document"}
POSTING_ADMIN = "administrator"
GROUP_TYPES = ("group", "supergroup")
# Answers (HTTP status = error_code, description prefixes) that mean the bot lost the chat:
# https://core.telegram.org/bots/api#making-requests and the Bot API server's messages.
LOST_CHAT = (
    "chat not found",
    "need administrator rights",
    "not enough rights",
    "have no rights to send",
    "bot is not a member",
    "bot was kicked",
    "chat_write_forbidden",
)
# The file given by URL could not be used (https://core.telegram.org/bots/api#sending-files).
BAD_MEDIA = (
    "failed to get http url content",
    "wrong type of the web page content",
    "wrong file identifier",
    "wrong remote file identifier",
    "file is too big",
    "image_process_failed",
    "photo_invalid_dimensions",
    "wrong file type",
)
CAPTION_SPLIT = (
    "The text is longer than Telegram's {limit:,}-character caption, so it was sent as its own message "
    "after the media."
)
NO_METRICS = (
    "The Bot API gives bots no post metrics (no views, reactions or forwards are readable): "
    "Telegram analytics are unsupported."
)


class TelegramClient(ProviderClient):
    name = "telegram"
    options_serializer = TelegramOptionsSerializer
    capabilities = CAPABILITIES
    account_credential = "chat_id"
    metrics_unsupported = NO_METRICS
    # The Bot API's only account-level number is the chat's member count (a channel's
    # subscribers): no reach or engagement is readable by a bot (see NO_METRICS).
    normalized_account_metrics = {"followers": ("member_count",)}

    @classmethod
    def profile_credentials(cls, profile: Profile) -> dict:
        """The chat's numeric id (what is posted to: a @username can change hands) and its
        public username (for t.me links), as getChat answered them at connect."""
        if "chat_type" not in profile.extra:
            return {}
        return {"chat_numeric_id": profile.id, "chat_username": profile.extra.get("username", "")}

    # --- interface ----------------------------------------------------------------------
    def verify(self) -> Profile:
        """The chat of `chat_id` (a @channelusername or numeric id), proven postable by this
        bot: `getMe`, `getChat`, then `getChatMember` of the bot must show an administrator
        with can_post_messages (channels) or a member allowed to send messages (groups).
        AccountMismatch (chat_id) otherwise; ReconnectRequired for a refused bot token.
        Without `chat_id`, the bot itself. Safe to repeat."""
        bot = self._result(self.api_call("getMe"))
        bot_name = f"@{bot.get('username', '')}"
        if not self.named_account:
            return Profile(id=str(bot.get("id", "")), handle=bot_name, name=bot.get("first_name", ""))
        chat_id = self.named_account
        try:
            chat = self._result(self.api_call("getChat", {"chat_id": chat_id}))
            if chat.get("type") not in ("channel", *GROUP_TYPES):
                raise AccountMismatch(
                    f"{chat_id} is a {chat.get('type')} chat: a Telegram account is a channel or a group.",
                    field="chat_id",
                )
            member = self._result(self.api_call("getChatMember", {"chat_id": chat["id"], "user_id": bot["id"]}))
        except ReconnectRequired as exc:
            hint = "Add the bot to the chat (as an administrator allowed to post in a channel)."
            raise AccountMismatch(f"The bot {bot_name} cannot reach {chat_id}: {exc}. {hint}", field="chat_id") from exc
        if not _may_post(chat.get("type", ""), member):
            status = member.get("status", "unknown")
            raise AccountMismatch(
                f"The bot {bot_name} is {status} in {chat_id} without the right to post: make it an administrator "
                "with 'Post messages' (channels) or let members send messages (groups).",
                field="chat_id",
            )
        username = chat.get("username") or ""
        return Profile(
            id=str(chat["id"]),
            handle=f"@{username}" if username else str(chat.get("title") or chat["id"]),
            name=str(chat.get("title") or username),
            extra={"chat_type": chat.get("type"), "username": username, "bot_username": bot.get("username", "")},
        )

    def validate(self, content: Content) -> list[Problem]:
        """Problems Telegram would have with `content`; no I/O."""
        problems = []
        if not content.text.strip() and not content.media:
            problems.append(Problem("text", "A Telegram post needs text or media.", "required"))
        if problem := text_problem("text", content.text):
            problems.append(problem)
        problems += media_problems(content.media)
        return problems

    def publish(self, content: Content, *, checkpoint=None, save_checkpoint=None) -> PublishResult:
        """Send the post as one message, or an album, plus the text as its own message when it
        is longer than a caption (a warning says so).

        Checkpoint: `sent`, the message ids of each step already sent. Given it back, those
        steps are skipped, so a retry never sends a message twice. Raises the typed errors of
        raise_for_response. A bot cannot read a channel's history, so there is no reconcile."""
        state, save = checkpoint_state(checkpoint, save_checkpoint)
        steps, warnings = self._plan(content)
        sent = [list(ids) for ids in state.get("sent") or []]
        for number, (method, body) in enumerate(steps):
            if number < len(sent):
                continue
            if number == 0 and (reply_to := (content.options or {}).get("reply_to_message_id")):
                body["reply_parameters"] = {"message_id": reply_to}
            result = self._result(self.api_call(method, body))
            messages = result if isinstance(result, list) else [result]
            sent.append([int(message.get("message_id") or 0) for message in messages])
            save(sent=[list(ids) for ids in sent])
        first = sent[0][0]
        if not first:  # https://core.telegram.org/bots/api#sendvideo: a big channel's video may wait for re-encoding
            warnings.append("Telegram scheduled the video until it is re-encoded; no link until it is sent.")
            return PublishResult("0", None, warnings, timezone.now())
        return PublishResult(str(first), self.post_url(first), warnings, timezone.now())

    def reconcile(self, content: Content, checkpoint: dict | None) -> PublishResult | None:
        """The post after a crash, from a checkpoint that has every message sent; else None:
        the Bot API cannot list a channel's messages, so an unrecorded send stays unknown."""
        sent = (checkpoint or {}).get("sent") or []
        steps, warnings = self._plan(content)
        if len(sent) < len(steps) or not sent[0] or not sent[0][0]:
            return None
        return PublishResult(str(sent[0][0]), self.post_url(sent[0][0]), warnings)

    def refresh(self) -> RefreshResult:
        """Bot tokens do not expire and have no refresh: this checks the token still works
        (`getMe`) and gives the same credentials back. ReconnectRequired when it was revoked."""
        self.api_call("getMe")
        return RefreshResult(credentials=dict(self.credentials), expires_at=None)

    def fetch_account_metrics(self) -> dict[str, int | float]:
        """The chat's member count (a channel's subscribers), `getChatMemberCount`:
        {"member_count": n}. Its only account-level number for a bot: no reach or
        engagement (the Bot API has no statistics method). Typed errors of
        raise_for_response; no writes. Docs: https://core.telegram.org/bots/api#getchatmembercount
        (the method is in the Bot API method list; not in Dravo's Telegram notes, so its
        answer shape — a bare Integer as `result` — is as documented, not yet seen live)."""
        count = self._result(self.api_call("getChatMemberCount", {"chat_id": self.chat}))
        if not isinstance(count, int) or isinstance(count, bool):
            raise ProviderUnavailable("Telegram answered getChatMemberCount without a number.")
        return {"member_count": count}

    def raise_for_response(self, response) -> None:
        """The one mapping of Bot API answers to typed errors, from the HTTP status (which is
        the `error_code`) and the description. Never names the token.
        Docs: https://core.telegram.org/bots/api#making-requests"""
        body = http.json_or_empty(response)
        status = response.status_code
        if status < 400 and body.get("ok") is True:
            return
        code = body.get("error_code") if isinstance(body.get("error_code"), int) else status
        description = str(body.get("description") or f"HTTP {status}")[:500]
        lowered = description.lower()
        parameters = body.get("parameters") if isinstance(body.get("parameters"), dict) else {}
        extra = {"status": status, "raw": body}
        if code == 429:  # https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this
            retry_after = parameters.get("retry_after")
            seconds = float(retry_after) if isinstance(retry_after, (int, float)) else None
            if seconds is None:
                seconds = http.retry_after_seconds(response.headers.get("Retry-After"), default=30.0)
            raise RateLimited(f"Telegram flood limit: {description}", retry_after=seconds, **extra)
        if code >= 500 or status >= 500:
            raise ProviderUnavailable(f"Telegram is unavailable (HTTP {status}): {description}", **extra)
        if code in (401, 404):  # revoked or wrong bot token (404: a malformed token path)
            raise ReconnectRequired(
                f"Telegram refused the bot token ({description}): connect the account again with the bot's "
                "current token from @BotFather.",
                **extra,
            )
        if parameters.get("migrate_to_chat_id"):  # https://core.telegram.org/bots/api#responseparameters
            new_id = parameters["migrate_to_chat_id"]
            raise ReconnectRequired(
                f"The group became a supergroup: connect the account again with chat_id {new_id}.", **extra
            )
        if code == 403 or any(marker in lowered for marker in LOST_CHAT):
            raise ReconnectRequired(
                f"The bot can no longer post to this chat ({description}): add it back with the right to post, "
                "then reconnect the account.",
                **extra,
            )
        if code == 413 or any(marker in lowered for marker in BAD_MEDIA):
            raise MediaUnavailable(f"Telegram could not use the media: {description}", **extra)
        raise Rejected(f"Telegram refused the message (HTTP {code}): {description}", **extra)

    # --- helpers ------------------------------------------------------------------------
    def api_call(self, method: str, body: dict | None = None):
        """One Bot API method. A failure to reach Telegram is re-raised without the URL,
        whose path carries the bot token."""
        url = self.url("api_url", f"/bot{self.access_token}/{method}")
        try:
            return self.call("POST", url, json=body or {})
        except ProviderUnavailable as exc:
            if self.access_token and self.access_token in exc.message:
                message = exc.message.replace(self.access_token, "<token>")
                raise type(exc)(message, status=exc.status, raw=exc.raw) from None
            raise

    @staticmethod
    def _result(response):
        result = http.json_or_empty(response).get("result")
        if result is None:
            raise ProviderUnavailable("Telegram answered without a result.")
        return result

    @property
    def chat(self) -> str:
        """Where posts go: the numeric chat id verified at connect, else the given chat_id."""
        return str(self.credentials.get("chat_numeric_id") or self.named_account)

    def post_url(self, message_id: int) -> str | None:
        """https://t.me/<username>/<id> for a public chat; https://t.me/c/<id without -100>/<id>
        for a private channel or supergroup (members only); None for a basic group."""
        username = self.credentials.get("chat_username") or ""
        if not username and self.named_account.startswith("@"):
            username = self.named_account[1:]
        if username:
            return self.web_url(f"/{username}/{message_id}", key="web_url")
        if self.chat.startswith("-100"):
            return self.web_url(f"/c/{self.chat[4:]}/{message_id}", key="web_url")
        return None

    def _plan(self, content: Content) -> tuple[list[tuple[str, dict]], list[str]]:
        """The messages to send, in order, as (method, body), and the warnings they imply."""
        options = content.options or {}
        common = {"chat_id": self.chat}
        for name in ("message_thread_id", "disable_notification", "protect_content"):
            if name in options:
                common[name] = options[name]
        text = html.escape(content.text, quote=False)  # parse_mode HTML: the user's text is never markup
        message = {**common, "text": text, "parse_mode": "HTML"}
        if options.get("link_preview_options"):
            message["link_preview_options"] = dict(options["link_preview_options"])
        if not content.media:
            return [("sendMessage", message)], []
        fits = utf16_length(content.text) <= CAPTION_LIMIT
        caption = {"caption": text, "parse_mode": "HTML"} if fits and content.text.strip() else {}
        if caption and options.get("show_caption_above_media"):
            caption["show_caption_above_media"] = True
        if len(content.media) == 1:
            item = content.media[0]
            steps = [(METHODS[item.kind], {**common, MEDIA_FIELDS[item.kind]: item.url, **caption})]
        else:
            album = [{"type": MEDIA_FIELDS[item.kind], "media": item.url} for item in content.media]
            album[0].update(caption)
            steps = [("sendMediaGroup", {**common, "media": album})]
        if fits or not content.text.strip():
            return steps, []
        return [*steps, ("sendMessage", message)], [CAPTION_SPLIT.format(limit=CAPTION_LIMIT)]


def _may_post(chat_type: str, member: dict) -> bool:
    """getChatMember's answer lets the bot post: https://core.telegram.org/bots/api#chatmember"""
    status = member.get("status")
    if status == "creator":
        return True
    if chat_type == "channel":
        return status == POSTING_ADMIN and member.get("can_post_messages") is True
    if status in (POSTING_ADMIN, "member"):
        return True
    return status == "restricted" and member.get("can_send_messages") is True
