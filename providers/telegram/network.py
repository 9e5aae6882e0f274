"""Telegram (a bot posting to channels and groups), described once for the registry."""

from datetime import timedelta

from providers.network import Credential, Network, Preview
from providers.telegram.client import TelegramClient
from providers.telegram.rules import CAPABILITIES, LIMITS

NETWORK = Network(
    key="telegram",
    label="Telegram",
    icon="TG",
    color="#229ed9",
    badge="background: #1d6fa5",  # darker than the brand blue, so white text on it is readable
    client=TelegramClient,
    limits=LIMITS,
    # The Bot API (a self-hosted Bot API server takes the same calls) and the website of
    # public message links.
    hosts={"api_url": "https://api.telegram.org", "web_url": "https://t.me"},
    scopes=(),
    oauth_backend=None,  # no OAuth: an account is a bot token and a chat (BYOK only)
    token_lifetime=None,  # bot tokens live until revoked in @BotFather
    refresh_ahead=timedelta(0),
    credentials=(
        Credential(
            "chat_id",
            "Chat (@channelusername or numeric id)",
            "Required for Telegram: the channel or group the bot posts to. The access token is the bot token "
            "from @BotFather; the bot must be an administrator allowed to post (channels) or a member (groups).",
        ),
    ),
    content_kinds=tuple(CAPABILITIES["content_kinds"]),
    option_hints={
        ("disable_notification",): "Silent: subscribers get no sound.",
        ("protect_content",): "No forwarding or saving.",
        ("link_preview_options",): "Text messages only: is_disabled, url, prefer_small_media/prefer_large_media, "
        "show_above_text.",
        ("show_caption_above_media",): "The caption above the photo or video.",
        ("message_thread_id",): "Forum topic of a supergroup.",
    },
    preview=Preview(aspect="4 / 3", see_more=None),
)
