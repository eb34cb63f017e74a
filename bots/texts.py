"""What the bot says, in Vietnamese (the source) or English, through Babel's catalogues.

The engine is pure, so it cannot use Flask-Babel's request locale: each function takes the
conversation's language and reads the same `translations/` catalogue the web uses.
"""
from __future__ import annotations

from datetime import date, datetime, timezone
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.support import NullTranslations, Translations

from survey_app import vocabulary
from survey_app.errors import (
    AlreadyAnswered,
    CampaignNotOpen,
    DomainError,
    RealCodeInRehearsal,
    TooManyGuesses,
    UnknownCode,
)

from .messages import Button

TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
LANGUAGES = ("vi", "en")


@lru_cache(maxsize=4)
def _catalogue(language: str) -> NullTranslations:
    if language == "vi":
        return NullTranslations()  # Vietnamese is the source text
    return Translations.load(str(TRANSLATIONS), [language])


def gettext_for(language: str):
    """The `_` of one language."""
    return _catalogue(language if language in LANGUAGES else "vi").gettext


def when(moment: datetime | None) -> str:
    """A stored (naive UTC) time as Vietnam's wall clock: '14:05 20/11/2026'."""
    if moment is None:
        return ""
    local = moment.replace(tzinfo=timezone.utc).astimezone(VIETNAM) if moment.tzinfo is None else moment
    return local.strftime("%H:%M %d/%m/%Y")


def day(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def channel_name(_, channel: str | None) -> str:
    return vocabulary.channel_name(channel, _)


def intro(_, organiser: str, commune: str, code: str, count: int) -> str:
    return _("Xin chào! %(organiser)s (Mặt trận Tổ quốc xã) hỏi ý kiến gia đình về kết quả xây dựng nông thôn "
             "mới ở %(commune)s. Mã phiếu: %(code)s.\n\nCó %(count)s câu; mỗi câu bấm “Hài lòng” hoặc "
             "“Chưa hài lòng”, hoặc gõ 1 hay 2.\nChỉ lưu câu trả lời, thôn của gia đình và giờ gửi; không hỏi họ "
             "tên hay số điện thoại. Kết quả được cộng theo thôn, xã rồi công khai.\nMuốn dừng, gõ DỪNG hoặc "
             "/stop bất cứ lúc nào.") % {"organiser": organiser, "commune": commune, "code": code, "count": count}


CHOOSE_LANGUAGE = "Xin chọn ngôn ngữ / Choose a language:"
LANGUAGE_BUTTONS = (Button("Tiếng Việt", "lang:vi"), Button("English", "lang:en"))


def hello(_) -> str:
    return _("Xin chào! Đây là kênh lấy ý kiến người dân của xã.\nĐể trả lời phiếu, xin gõ mã in trên phiếu mời "
             "(ví dụ K7QM-3XPA).\nMuốn phản ánh điều gì với xã, cứ nhắn vào đây.\nGõ /help để xem hướng dẫn, "
             "DỪNG để dừng nhận tin.")


def help_text(_) -> str:
    return _("Hướng dẫn:\n• Gõ mã trên phiếu mời để trả lời phiếu.\n• Mỗi câu: bấm nút, hoặc gõ 1 (Hài lòng) hay 2 "
             "(Chưa hài lòng).\n• Ở bước xem lại, gõ số câu để sửa câu đó.\n• Ngoài phiếu, cứ nhắn ý kiến, phản "
             "ánh: cán bộ xã sẽ đọc và trả lời.\n• /start: bắt đầu lại. DỪNG hoặc /stop: dừng nhận tin.")


def question(_, position: int, total: int, text: str) -> str:
    return _("Câu %(n)s/%(total)s. %(text)s") % {"n": position, "total": total, "text": text}


def answer_buttons(_, question_id: int, skippable: bool) -> tuple[Button, ...]:
    buttons = (Button(_("Hài lòng"), f"q{question_id}:1"), Button(_("Chưa hài lòng"), f"q{question_id}:2"))
    return buttons + ((Button(_("Bỏ qua"), f"q{question_id}:skip"),) if skippable else ())


def reask(_, skippable: bool) -> str:
    text = _("Xin lỗi, tôi chưa hiểu. Xin bấm một nút, hoặc gõ 1 nếu hài lòng, 2 nếu chưa hài lòng "
             "(ví dụ: gõ 1).")
    return text + ("\n" + _("Chưa muốn trả lời câu này thì bấm “Bỏ qua”.") if skippable else "")


def ask_reason(_) -> str:
    return _("Vì sao gia đình chưa hài lòng? Xin viết ngắn gọn (không bắt buộc), hoặc bấm “Bỏ qua”.")


def ask_other(_) -> str:
    return _("Gia đình còn ý kiến nào khác muốn xã biết không? Xin viết vào đây, hoặc bấm “Không có”.")


def summary(_, lines: list[str], other: str, missing: int) -> str:
    head = _("Xem lại phiếu của gia đình:")
    tail = (_("Còn %(num)s câu chưa trả lời. Bấm “Trả lời tiếp” để trả lời.") % {"num": missing} if missing else
            _("Bấm “Gửi phiếu” để gửi. Sau khi gửi không sửa được nữa. Muốn sửa câu nào, gõ số câu đó "
              "(ví dụ: 3)."))
    other_line = _("Ý kiến khác: %(text)s") % {"text": clip(other, 200) or _("(không có)")}
    return "\n".join([head, *lines, other_line, "", tail])


def summary_line(_, position: int, short: str, satisfied: bool | None, reason: str) -> str:
    mark = _("Hài lòng") if satisfied else _("Chưa hài lòng") if satisfied is False else _("Chưa trả lời")
    line = f"{position}. {short}: {mark}"
    return line + (f" ({clip(reason, 60)})" if satisfied is False and reason else "")


def chunks(text: str, limit: int = 1900) -> list[str]:
    """Split a long message at line ends so each part fits one Zalo message (2,000 characters)."""
    parts, current = [], ""
    for line in text.split("\n"):
        if current and len(current) + 1 + len(line) > limit:
            parts.append(current)
            current = line
        else:
            current = f"{current}\n{line}" if current else line
    return parts + [current]


def clip(text: str, limit: int) -> str:
    """Keep a summary inside Zalo's 2,000 characters however long the reasons were."""
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def thanks(_, moment: datetime) -> str:
    return _("Cảm ơn gia đình! Phiếu đã được gửi lúc %(time)s. Kết quả sẽ được cộng theo thôn, xã và công khai.\n"
             "Gia đình vẫn có thể nhắn ý kiến, phản ánh cho xã vào đây bất cứ lúc nào.") % {"time": when(moment)}


def practice_sent(_) -> str:
    return _("(Thử) Đây là phiếu thử: không lưu vào kết quả. Gõ /start thu để thử lại.")


def practice_complaint(_) -> str:
    return _("(Thử) Trên trang thử, ý kiến không được lưu và không gửi tới cán bộ.")


def already_answered(_, answered_at: datetime | None, channel: str | None) -> str:
    if answered_at is None:
        return _("Phiếu của hộ này đã được gửi rồi. Mỗi hộ chỉ gửi một phiếu. Cảm ơn gia đình!")
    return _("Phiếu của hộ này đã được gửi lúc %(time)s qua %(channel)s. Mỗi hộ chỉ gửi một phiếu. Cảm ơn gia "
             "đình! Nếu có ý kiến thêm, cứ nhắn vào đây.") % {"time": when(answered_at),
                                                              "channel": channel_name(_, channel)}


def not_open(_, not_started: bool, opens_on: date | None) -> str:
    if not_started:
        if opens_on:
            return _("Chưa đến đợt lấy ý kiến. Đợt bắt đầu ngày %(date)s; xin quay lại khi đó.") % {
                "date": day(opens_on)}
        return _("Chưa đến đợt lấy ý kiến. Xin quay lại sau.")
    return _("Đợt lấy ý kiến đã kết thúc. Cảm ơn gia đình đã quan tâm.")


def unknown_code(_) -> str:
    return _("Không tìm thấy mã này. Mã gồm 8 chữ và số in trên phiếu mời, ví dụ K7QM-3XPA. Xin gõ lại.")


def too_many_guesses(_, wait_seconds: int) -> str:
    return _("Mã đã bị gõ sai quá nhiều lần. Xin đợi khoảng %(minutes)d phút rồi gõ lại mã trên phiếu mời.") % {
        "minutes": max(1, -(-wait_seconds // 60))}


def real_code_in_rehearsal(_) -> str:
    return _("(Thử) Đây là mã thật của một hộ dân. Trang thử không trả lời thay hộ nào và không lưu gì. "
             "Gõ /start thu để làm một phiếu thử.")


def resume(_, done: int, total: int) -> str:
    return _("Gia đình đang trả lời dở (đã xong %(done)s/%(total)s câu). Trả lời tiếp hay làm lại từ đầu?") % {
        "done": done, "total": total}


def resume_buttons(_) -> tuple[Button, ...]:
    return (Button(_("Tiếp tục"), "res:go"), Button(_("Làm lại"), "res:redo"))


def expired(_) -> str:
    return _("Lần trả lời trước đã quá 7 ngày nên đã kết thúc. Các câu đã trả lời vẫn được giữ; xin gõ lại mã "
             "phiếu mời để làm tiếp.")


def stopped(_) -> str:
    return _("Đã dừng. Từ giờ không nhắn tin cho gia đình nữa. Muốn quay lại, gõ /start.")


def welcome_back(_) -> str:
    return _("Chào mừng gia đình quay lại!")


def stale(_) -> str:
    return _("Nút này đã cũ, không dùng được nữa.")


def attachment(_) -> str:
    return _("Xin lỗi, tôi chỉ đọc được chữ, không xem được ảnh, nhãn dán hay tin nhắn thoại.")


def ask_commune(_) -> str:
    return _("Ý kiến này gửi cho xã nào? Xin bấm tên xã, hoặc gõ mã xã.")


def commune_unknown(_) -> str:
    return _("Không tìm thấy xã này. Xin bấm một nút, hoặc gõ mã xã (ví dụ 18451).")


def no_commune(_) -> str:
    return _("Hiện chưa có xã nào nhận ý kiến qua kênh này. Xin gõ mã in trên phiếu mời nếu có.")


def complaint_saved(_, commune: str) -> str:
    return _("Đã chuyển ý kiến của gia đình tới cán bộ %(commune)s. Cảm ơn gia đình! Cán bộ sẽ trả lời qua đây.") % {
        "commune": commune}


def skipped(_) -> str:
    return _("Đã bỏ qua câu này; sẽ hỏi lại trước khi gửi phiếu.")


def buttons_skip(_, payload: str) -> tuple[Button, ...]:
    return (Button(_("Bỏ qua"), payload),)


def buttons_no_other(_) -> tuple[Button, ...]:
    return (Button(_("Không có"), "o:skip"),)


def summary_buttons(_, missing: int) -> tuple[Button, ...]:
    if missing:
        return (Button(_("Trả lời tiếp"), "s:fill"),)
    return (Button(_("Gửi phiếu"), "s:send"), Button(_("Sửa"), "s:edit"))


def ask_edit(_) -> str:
    return _("Muốn sửa câu nào? Xin gõ số câu (ví dụ: 3).")


def generic_error(_) -> str:
    return _("Xin lỗi, có lỗi khi lưu. Xin thử lại sau ít phút.")


def problem_text(_, error: DomainError) -> str:
    """A refusal of the survey rules in friendly words: answered already (when, how), not open, unknown code."""
    if isinstance(error, AlreadyAnswered):
        return already_answered(_, error.answered_at, error.channel)
    if isinstance(error, CampaignNotOpen):
        return not_open(_, error.not_started, error.opens_on)
    if isinstance(error, UnknownCode):
        return unknown_code(_)
    if isinstance(error, TooManyGuesses):
        return too_many_guesses(_, error.wait_seconds)
    if isinstance(error, RealCodeInRehearsal):
        return real_code_in_rehearsal(_)
    return generic_error(_)
