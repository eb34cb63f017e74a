"""Drive a whole chat survey through a webhook by pressing the buttons the bot actually sent.

The driver knows the button protocol (a question's buttons come first as `q<id>:…`, "satisfied" first and
"not yet" second), not the engine's wording: it reads what the fake platform server received.
"""
from __future__ import annotations

from chat_updates import TelegramUser, telegram_post, zalo_post

MAX_STEPS = 80


class TelegramChat:
    def __init__(self, clients, tg, user: TelegramUser):
        self.clients, self.tg, self.user, self.n = clients, tg, user, 0

    def post(self, update) -> None:
        client = self.clients[self.n % len(self.clients)]  # several app instances take turns
        self.n += 1
        response = telegram_post(client, update)
        assert response.status_code == 200, response.data

    def start(self, code: str) -> None:
        self.post(self.user.text(f"/start {code}"))

    def type(self, text: str) -> None:
        self.post(self.user.text(text))

    def messages(self) -> list[dict]:
        return [{"text": m["text"], "id": m["_message_id"],
                 "buttons": [(b["text"], b["callback_data"]) for row in m.get("reply_markup", {}).get(
                     "inline_keyboard", []) for b in row]} for m in self.tg.sent(self.user.id)]

    def press(self, message: dict, payload: str) -> None:
        self.post(self.user.press(payload, message_id=message["id"]))


class ZaloChat:
    def __init__(self, clients, zl, user_id: str):
        self.clients, self.zl, self.user_id, self.n = clients, zl, user_id, 0

    def post(self, event) -> None:
        client = self.clients[self.n % len(self.clients)]
        self.n += 1
        response = zalo_post(client, event)
        assert response.status_code == 200, response.data

    def text_event(self, text: str) -> dict:
        self.msg = getattr(self, "msg", 0) + 1
        return {"event_name": "user_send_text", "sender": {"id": self.user_id}, "recipient": {"id": "oa1"},
                "message": {"text": text, "msg_id": f"{self.user_id}-{self.msg}"}}

    def follow(self) -> None:
        self.post({"event_name": "follow", "oa_id": "oa1", "follower": {"id": self.user_id}, "source": "qr"})

    def start(self, code: str) -> None:
        self.type(code)

    def type(self, text: str) -> None:
        self.post(self.text_event(text))

    def messages(self) -> list[dict]:
        return [{"text": m["text"], "buttons": [(b["title"], b["payload"]) for b in m.get("attachment", {}).get(
            "payload", {}).get("buttons", [])]} for m in self.zl.sent(self.user_id)]

    def press(self, message: dict, payload: str) -> None:
        self.type(payload)  # a query button press arrives as user_send_text whose text is the payload


def finish_survey(chat, code: str, *, done, unhappy_at: int = 1, reason: str = "Đường thôn 3 lầy lội") -> list[str]:
    """Start with the household code and answer until `done()`; the `unhappy_at`-th question gets "not yet"
    and a typed reason. Returns what was pressed or typed."""
    chat.start(code)
    pressed, questions, seen, awaiting_reason = [], 0, 0, False
    for _ in range(MAX_STEPS):
        if done():
            return pressed
        messages = chat.messages()
        assert len(messages) > seen, f"the bot did not answer after {pressed[-1:]}"
        seen = len(messages)
        if awaiting_reason:  # the reason prompt: typed, not skipped
            chat.type(reason)
            pressed.append(reason)
            awaiting_reason = False
            continue
        last = [m for m in messages if m["buttons"]][-1]
        payloads = [p for _, p in last["buttons"]]
        choice = payloads[0]
        if choice.startswith("q"):
            questions += 1
            if questions == unhappy_at:
                choice, awaiting_reason = payloads[1], True
        chat.press(last, choice)
        pressed.append(choice)
    raise AssertionError(f"survey not finished after {MAX_STEPS} steps: {pressed}")
