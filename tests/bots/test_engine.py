"""The pure conversation engine: one event in, the new cursor, replies and actions out (no database)."""
import unicodedata
from datetime import date, timedelta

import pytest

from bots import parsing
from bots.engine import AddComplaint, ClearDraft, SaveAnswer, SaveOther, SetPhase, Submit
from bots.messages import EventKind
from survey_app.errors import AlreadyAnswered, CampaignNotOpen, UnknownCode
from datetime import datetime

from chat_fixtures import NOW, QUESTIONS, Chat, survey

START, TEXT, BUTTON = EventKind.START, EventKind.TEXT, EventKind.BUTTON


def started(language="vi") -> Chat:
    chat = Chat()
    chat.send(START, "K7QM-3XPA", found=survey())
    chat.send(BUTTON, f"lang:{language}")
    return chat


def test_the_first_message_says_who_asks_what_is_kept_and_how_to_stop():
    chat = Chat()
    chat.send(START, "K7QM-3XPA", found=survey())
    assert "Ban Công tác Mặt trận Xã Cẩm Xuyên" in chat.text and "không hỏi họ tên" in chat.text
    assert "DỪNG" in chat.text and "/stop" in chat.text and "K7QM-3XPA" in chat.text
    assert chat.payloads == ["lang:vi", "lang:en"]


def test_telegrams_language_code_sets_english_and_every_question_is_then_in_english():
    chat = Chat()
    chat.send(START, "K7QM-3XPA", found=survey(), language_code="en-GB")
    assert "Fatherland Front" in chat.text
    chat.send(BUTTON, "lang:en")
    assert "Question 1/4. Question number 1?" in chat.text
    assert [b.title for r in chat.replies for b in r.buttons] == ["Satisfied", "Not yet satisfied"]


def test_one_question_per_message_with_progress_and_buttons():
    chat = started()
    assert chat.text == "Câu 1/4. Câu hỏi số 1?" and chat.payloads == ["q101:1", "q101:2"]
    chat.send(BUTTON, "q101:1")
    assert chat.text.startswith("Câu 2/4.") and chat.actions[-1] == SaveAnswer(101, True, "")


@pytest.mark.parametrize("typed, satisfied", [
    ("1", True), ("2", False), ("hài lòng", True), ("Hai Long", True), ("HÀI LÒNG!", True), ("ko", False),
    ("chưa", False), ("Chưa hài lòng", False), ("chua hai long", False), ("không", False),
    (unicodedata.normalize("NFD", "hài lòng"), True), (unicodedata.normalize("NFD", "chưa"), False),
])
def test_typed_answers_are_read_without_accents_case_or_composition(typed, satisfied):
    chat = started()
    chat.send(TEXT, typed)
    assert chat.actions[-1] == SaveAnswer(101, satisfied, "")


def test_not_satisfied_asks_a_skippable_reason_then_goes_on():
    chat = started()
    chat.send(BUTTON, "q101:2")
    assert "Vì sao" in chat.text and chat.payloads == ["r101:skip"]
    chat.send(TEXT, "Đường thôn 3 lầy lội")
    assert chat.actions[-1] == SaveAnswer(101, False, "Đường thôn 3 lầy lội") and chat.text.startswith("Câu 2/4")
    chat.send(BUTTON, "q102:2")
    chat.send(BUTTON, "r102:skip")
    assert chat.text.startswith("Câu 3/4") and chat.view.answer(102) == (False, "")


def test_unexpected_input_is_reasked_with_an_example_and_skip_is_offered_after_two_misses():
    chat = started()
    chat.send(TEXT, "có lẽ")
    assert "ví dụ: gõ 1" in chat.text and "q101:skip" not in chat.payloads
    chat.send(TEXT, "???")
    assert "q101:skip" in chat.payloads
    chat.send(BUTTON, "q101:skip")
    assert chat.text.endswith("Câu 2/4. Câu hỏi số 2?")


def test_other_opinions_then_a_summary_then_the_shared_submit():
    chat = started()
    for qid in (101, 102, 103, 104):
        chat.send(BUTTON, f"q{qid}:1")
    assert SetPhase("other") in chat.actions and chat.payloads == ["o:skip"]
    chat.send(TEXT, "Cảm ơn xã")
    assert SaveOther("Cảm ơn xã") in chat.actions and SetPhase("review") in chat.actions
    assert "1. Chủ đề 1: Hài lòng" in chat.text and "Ý kiến khác: Cảm ơn xã" in chat.text
    assert chat.payloads == ["s:send", "s:edit"]
    chat.send(BUTTON, "s:send")
    assert chat.actions[-1] == Submit() and chat.at == "idle" and chat.conversation.invitation_id is None


def test_a_number_on_the_summary_changes_that_question_and_returns_to_the_summary():
    chat = Chat(view=survey({q.id: (True, "") for q in QUESTIONS}, phase="review"))
    chat.send(START, "K7QM-3XPA", found=chat.view)
    chat.send(BUTTON, "res:go")
    assert "Xem lại phiếu" in chat.text
    chat.send(TEXT, "câu 3")
    assert chat.text.startswith("Câu 3/4")
    chat.send(TEXT, "2")
    chat.send(TEXT, "Thiếu việc làm")
    assert chat.actions[-1] == SaveAnswer(103, False, "Thiếu việc làm")
    assert "3. Chủ đề 3: Chưa hài lòng (Thiếu việc làm)" in chat.text


def test_a_household_that_started_elsewhere_is_offered_continue_or_restart():
    begun = survey({101: (True, ""), 102: (False, "Mất điện")})
    chat = Chat()
    chat.send(START, "K7QM-3XPA", found=begun)
    assert "2/4" in chat.text and chat.payloads == ["res:go", "res:redo"]
    chat.send(TEXT, "tiếp tục")
    assert chat.text.startswith("Câu 3/4")
    again = Chat()
    again.send(START, "K7QM-3XPA", found=begun)
    again.send(BUTTON, "res:redo")
    assert ClearDraft() in again.actions and again.text.startswith("Câu 1/4")


@pytest.mark.parametrize("word", ["/stop", "DỪNG", "dừng", "HỦY", "hủy", "STOP", "stop", "DUNG"])
def test_stop_words_opt_out_and_win_over_everything(word):
    chat = started()
    chat.send(TEXT, word)
    assert chat.conversation.opted_out and chat.at == "idle" and "Đã dừng" in chat.text
    chat.send(TEXT, "1")
    assert chat.replies == []
    chat.send(TEXT, "/start")
    assert not chat.conversation.opted_out and "quay lại" in chat.text


def test_a_lowercase_accentless_dung_is_not_a_stop_word():
    assert not parsing.is_stop("dung") and parsing.is_stop("DUNG") and parsing.is_stop("Dừng")


def test_the_platform_stop_opts_out_without_a_reply():
    chat = started()
    chat.send(EventKind.STOP)
    assert chat.conversation.opted_out and chat.replies == []


def test_help_explains_and_asks_the_current_question_again():
    chat = started()
    chat.send(TEXT, "/help")
    assert "Hướng dẫn" in chat.text and chat.text.endswith("Câu 1/4. Câu hỏi số 1?")


def test_a_stale_button_gets_a_short_notice_and_the_current_question():
    chat = started()
    chat.send(BUTTON, "q101:1")
    chat.send(BUTTON, "q101:2")
    assert "Nút này đã cũ" in chat.text and chat.payloads == ["q102:1", "q102:2"]
    assert chat.actions.count(SaveAnswer(101, False, "")) == 0


def test_a_zalo_text_equal_to_a_current_payload_counts_as_the_press():
    chat = started()
    chat.send(TEXT, "q101:2")
    assert chat.actions[-1] == SaveAnswer(101, False, "")


def test_stickers_images_and_voice_get_a_polite_reprompt():
    chat = started()
    chat.send(EventKind.ATTACHMENT)
    assert "chỉ đọc được chữ" in chat.text and chat.payloads == ["q101:1", "q101:2"]


def test_a_half_finished_survey_expires_after_seven_days():
    chat = started()
    chat.now = NOW + timedelta(days=8)
    chat.send(TEXT, "1")
    assert "quá 7 ngày" in chat.text and chat.at == "idle" and chat.conversation.invitation_id is None


def test_after_a_night_away_the_resident_chooses_to_continue_or_restart():
    chat = started()
    chat.now = NOW + timedelta(hours=20)
    chat.send(TEXT, "1")
    assert chat.payloads == ["res:go", "res:redo"] and not any(isinstance(a, SaveAnswer) for a in chat.actions)


def test_outside_a_survey_text_is_a_complaint_and_the_commune_is_asked_once():
    chat = Chat()
    chat.send(TEXT, "Đèn đường thôn 2 hỏng cả tháng")
    assert chat.payloads == ["cm:7", "cm:8"] and not chat.actions
    chat.send(BUTTON, "cm:8")
    assert chat.actions == [AddComplaint("Đèn đường thôn 2 hỏng cả tháng", 8)] and "Xã Cẩm Bình" in chat.text
    chat.send(TEXT, "Rác không ai thu gom")
    assert chat.actions[-1] == AddComplaint("Rác không ai thu gom", 8) and chat.payloads == []


def test_a_commune_can_be_typed_by_its_code():
    chat = Chat()
    chat.send(TEXT, "Mất nước sạch")
    chat.send(TEXT, "18451")
    assert chat.actions == [AddComplaint("Mất nước sạch", 7)]


def test_refusals_are_friendly_and_say_when_and_how():
    chat = Chat()
    chat.send(START, "K7QM-3XPA", found=AlreadyAnswered(datetime(2026, 11, 18, 2, 30), "zalo"))
    assert "09:30 18/11/2026" in chat.text and "qua Zalo" in chat.text
    chat.send(TEXT, "ZZZZ-ZZZZ", found=UnknownCode("ZZZZ-ZZZZ"))
    assert "Không tìm thấy mã này" in chat.text
    chat.send(START, "K7QM-3XPA", found=CampaignNotOpen("draft", date(2026, 12, 1), date(2026, 12, 20),
                                                      not_started=True))
    assert "Chưa đến đợt" in chat.text and "01/12/2026" in chat.text


def test_every_button_payload_is_short_ascii():
    chat = started()
    seen = set(chat.payloads)
    for qid in (101, 102, 103, 104):
        chat.send(BUTTON, f"q{qid}:2")
        seen |= set(chat.payloads)
        chat.send(BUTTON, f"r{qid}:skip")
        seen |= set(chat.payloads)
    assert seen and all(p.isascii() and len(p.encode()) <= 64 for p in seen)


def test_a_chosen_language_outlives_the_platforms_hint():
    chat = started(language="en")
    chat.send(BUTTON, "q101:1")
    chat.send(START, "K7QM-3XPA", found=chat.view, language_code="vi")
    assert "Continue" in [b.title for r in chat.replies for b in r.buttons]


def test_the_summary_of_the_longest_answers_fits_one_zalo_message():
    long = "Đường thôn lầy lội " * 100
    chat = Chat(view=survey({q.id: (False, long) for q in QUESTIONS} | {}, phase="review", other=long))
    chat.view = chat.view.__class__(**{**chat.view.__dict__, "questions": QUESTIONS * 5})
    chat.send(START, "K7QM-3XPA", found=chat.view)
    chat.send(BUTTON, "res:go")
    assert "Xem lại phiếu" in chat.text and max(len(r.text) for r in chat.replies) <= 2000
    assert len(chat.replies) > 1 and chat.payloads == ["s:send", "s:edit"] and chat.text.count("Chưa hài lòng (") == 20
