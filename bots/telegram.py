"""Telegram adapter (python-telegram-bot 22.x): parse updates to Events and send through one Bot per process.

PTB is asyncio-only and this app is synchronous (Flask under gunicorn). Each process keeps one event loop
running in a daemon thread and one Bot bound to it, created lazily and keyed on os.getpid(): threads do not
survive gunicorn's fork, and a Bot reused across separate `asyncio.run()` calls fails ("Event loop is closed").
"""
from __future__ import annotations

import asyncio
import os
import threading
import warnings

from flask import current_app
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, Forbidden, InvalidToken, RetryAfter, TelegramError
from telegram.request import HTTPXRequest

from . import retry
from .delivery import Inbound, Rejected, RetryLater, Unreachable
from .messages import Event, EventKind

NAME = "telegram"
WINDOWED = False  # Telegram takes a bot's message at any time
TEXT_LIMIT = 4096
ALLOWED_UPDATES = ["message", "callback_query", "my_chat_member"]
_runtime: dict[tuple, tuple[asyncio.AbstractEventLoop, Bot]] = {}
_runtime_lock = threading.Lock()


def _bot_and_loop() -> tuple[asyncio.AbstractEventLoop, Bot]:
    token = current_app.config.get("TELEGRAM_BOT_TOKEN") or ""
    base_url = current_app.config.get("TELEGRAM_API_BASE_URL") or "https://api.telegram.org/bot"
    timeout = retry.send_timeout()
    key = (os.getpid(), token, base_url, timeout)
    with _runtime_lock:
        if key not in _runtime:
            loop = asyncio.new_event_loop()
            threading.Thread(target=loop.run_forever, name="telegram-loop", daemon=True).start()
            # PTB's 5 s defaults are below what Telegram sometimes takes: a send that arrives after the client
            # gave up is sent again by the retry, and the resident reads it twice.
            request = HTTPXRequest(connect_timeout=timeout, read_timeout=timeout, write_timeout=timeout,
                                   pool_timeout=timeout)
            _runtime[key] = (loop, Bot(token, base_url=base_url, request=request))
        return _runtime[key]


def bot() -> Bot:
    """This process's Bot (for parsing; its network calls go through `call`)."""
    return _bot_and_loop()[1]


def call(method: str, wait: float | None = None, **kwargs):
    """Run one Bot API method on this process's loop and wait for its result (by default, as long as PTB's
    own timeouts allow: the first getMe and the call itself, each waiting for a connection, to connect, to
    write and to read)."""
    loop, the_bot = _bot_and_loop()

    async def run():
        await the_bot.initialize()  # a getMe the first time, then nothing
        return await getattr(the_bot, method)(**kwargs)

    future = asyncio.run_coroutine_threadsafe(run(), loop)
    try:
        return future.result(wait if wait is not None else 8 * retry.send_timeout() + 5)
    except TimeoutError:
        future.cancel()  # so a call given up on cannot still reach Telegram later
        raise


def parse(data: dict) -> Inbound | None:
    """An Update → Inbound, or None for what the engine never sees (edits, joins, channel posts)."""
    update = Update.de_json(data, bot())
    external_id = str(update.update_id)
    if update.callback_query is not None:
        query = update.callback_query
        chat_id = str(query.message.chat.id if query.message else query.from_user.id)
        chores = [("answerCallbackQuery", {"callback_query_id": query.id})]
        if query.message is not None:
            chores.append(("editMessageReplyMarkup", {"chat_id": chat_id, "message_id": query.message.message_id}))
        return Inbound(external_id, chat_id, Event(EventKind.BUTTON, query.data or "",
                                                   query.from_user.language_code), chores)
    if update.my_chat_member is not None:
        member = update.my_chat_member
        if member.new_chat_member.status == "kicked":  # the resident blocked the bot
            return Inbound(external_id, str(member.chat.id), Event(EventKind.STOP))
        return None
    message = update.message
    if message is None or message.chat.type != "private":
        return None
    chat_id = str(message.chat.id)
    language = message.from_user.language_code if message.from_user else None
    if message.text is not None:
        text = message.text
        if text == "/start" or text.startswith("/start "):
            return Inbound(external_id, chat_id, Event(EventKind.START, text[len("/start"):].strip(), language))
        return Inbound(external_id, chat_id, Event(EventKind.TEXT, text, language))
    return Inbound(external_id, chat_id, Event(EventKind.ATTACHMENT, "", language))


def send(chat_id: str, payload: dict) -> None:
    """Send one outbox payload; raises a DeliveryError subclass when it did not go through."""
    text = payload.get("text") or ""
    if len(text) > TEXT_LIMIT:
        text = text[:TEXT_LIMIT - 1] + "…"
    buttons = payload.get("buttons") or []
    markup = InlineKeyboardMarkup([[InlineKeyboardButton(title, callback_data=data)] for title, data in buttons]) \
        if buttons else None
    try:
        call("send_message", chat_id=chat_id, text=text, reply_markup=markup)
    except (TelegramError, TimeoutError, OSError) as exc:
        raise classify(exc) from exc


def chore(method: str, params: dict) -> None:
    """Best effort: answer a button press (stops the spinner) or remove the pressed message's keyboard."""
    if method == "answerCallbackQuery":
        call("answer_callback_query", wait=15, **params)
    elif method == "editMessageReplyMarkup":
        call("edit_message_reply_markup", wait=15, reply_markup=None, **params)


def classify(exc: Exception) -> Exception:
    """A PTB error → what the sender does with the row."""
    if isinstance(exc, RetryAfter):
        with warnings.catch_warnings():  # PTB 22.2+ warns that retry_after becomes a timedelta one day
            warnings.simplefilter("ignore")
            delay, reason = exc.retry_after, f"telegram 429: {exc}"
        delay = delay.total_seconds() if hasattr(delay, "total_seconds") else float(delay)
        return RetryLater(reason, delay=delay)
    if isinstance(exc, Forbidden):
        return Unreachable(f"telegram 403: {exc}")
    if isinstance(exc, InvalidToken):
        return RetryLater(f"telegram token: {exc}", delay=300)
    if isinstance(exc, BadRequest):
        return Rejected(f"telegram 400: {exc}")
    return RetryLater(f"telegram: {exc!r}")  # NetworkError (5xx, dropped connection), TimedOut, …
