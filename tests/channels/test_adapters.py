"""Platform updates become the engine's Events; what the engine must never see is dropped."""
from __future__ import annotations

import pytest
from chat_updates import TelegramUser

from bots import telegram, zalo
from bots.messages import EventKind


def test_telegram_updates_map_to_events(bot_app):
    user = TelegramUser(user_id=5550001, language_code="en")
    with bot_app.app_context():
        start = telegram.parse(user.text("/start AB12-CD34"))
        text = telegram.parse(user.text("hai long"))
        press = telegram.parse(user.press("q7:a1", message_id=2024))
        sticker = telegram.parse(user.sticker())
        blocked = telegram.parse(user.block())
    assert (start.event.kind, start.event.text, start.event.language_code) == (EventKind.START, "AB12-CD34", "en")
    assert start.chat_user_id == "5550001" and start.external_id == str(user.update_id - 4)
    assert (text.event.kind, text.event.text) == (EventKind.TEXT, "hai long")
    assert (press.event.kind, press.event.text) == (EventKind.BUTTON, "q7:a1")
    assert [method for method, _ in press.chores] == ["answerCallbackQuery", "editMessageReplyMarkup"]
    assert press.chores[1][1] == {"chat_id": "5550001", "message_id": 2024}
    assert sticker.event.kind == EventKind.ATTACHMENT
    assert blocked.event.kind == EventKind.STOP


def test_telegram_ignores_group_messages_and_unblocks(bot_app):
    user = TelegramUser(user_id=5550002)
    group = user.text("hello")
    group["message"]["chat"] = {"id": -100123, "type": "supergroup", "title": "Thôn 1"}
    unblock = user.block()
    unblock["my_chat_member"]["new_chat_member"]["status"] = "member"
    with bot_app.app_context():
        assert telegram.parse(group) is None
        assert telegram.parse(unblock) is None


BIG_ID = "2512523625412515122"  # beyond 2**53: must stay a string, digit for digit


@pytest.mark.parametrize("event, kind, text", [
    ({"event_name": "user_send_text", "sender": {"id": BIG_ID}, "recipient": {"id": "1"},
      "message": {"text": "Hài lòng", "msg_id": "9007199254740993123"}}, EventKind.TEXT, "Hài lòng"),
    ({"event_name": "user_send_image", "sender": {"id": BIG_ID}, "recipient": {"id": "1"},
      "message": {"msg_id": "m2", "attachments": [{"type": "image", "payload": {"url": "x"}}]}},
     EventKind.ATTACHMENT, ""),
    ({"event_name": "follow", "oa_id": "1", "follower": {"id": BIG_ID}, "timestamp": "1700000000000"},
     EventKind.START, ""),
    ({"event_name": "unfollow", "oa_id": "1", "follower": {"id": BIG_ID}, "timestamp": "1700000000001"},
     EventKind.STOP, ""),
])
def test_zalo_events_map_to_events_with_string_ids(event, kind, text):
    inbound = zalo.parse(event)
    assert inbound.chat_user_id == BIG_ID
    assert (inbound.event.kind, inbound.event.text) == (kind, text)
    if event["event_name"] == "user_send_text":
        assert inbound.external_id == "9007199254740993123"


def test_zalo_echoes_and_unknown_events_are_ignored():
    assert zalo.parse({"event_name": "oa_send_text", "sender": {"id": "1"}, "message": {"msg_id": "x"}}) is None
    assert zalo.parse({"event_name": "user_submit_info", "sender": {"id": "1"}, "info": {}}) is None
    assert zalo.parse({"no": "event"}) is None


def test_zalo_message_body_has_query_buttons():
    body = zalo.message_body("77", {"text": "Câu 1/11", "buttons": [["Hài lòng", "q1:y"], ["Chưa", "q1:n"]]})
    assert body["recipient"] == {"user_id": "77"}
    assert body["message"]["text"] == "Câu 1/11"
    buttons = body["message"]["attachment"]["payload"]["buttons"]
    assert buttons[1] == {"title": "Chưa", "type": "oa.query.hide", "payload": "q1:n"}
