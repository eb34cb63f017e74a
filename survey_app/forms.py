"""Web forms of the resident's survey; validation and its messages live here, in plain words."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, RadioField, SelectChoice, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, StopValidation, ValidationError

from survey_app.services.campaigns.codes import canonical
from survey_app.services.survey.responses import MAX_TEXT

from .text import wtf_line, wtf_multiline

YES, NO = "yes", "no"
TOO_LONG = _l("Xin viết ngắn hơn (tối đa %(max)d chữ).")
CHOOSE = _l("Xin chọn “Hài lòng” hoặc “Chưa hài lòng”.")


class CleanForm(FlaskForm):
    """Every form's base: text fields drop NUL and other control characters and are NFC-normalised
    before validation, so odd input can neither crash a database nor lock a household out.
    Passwords are left exactly as typed."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            kind = unbound_field.field_class
            clean = (wtf_multiline if issubclass(kind, TextAreaField) else
                     None if issubclass(kind, PasswordField) or not issubclass(kind, StringField) else wtf_line)
            if clean is not None:
                options["filters"] = (*unbound_field.kwargs.get("filters", ()), clean)
            return unbound_field.bind(form=form, **options)


class CodeForm(CleanForm):
    """The one box on the home page: the code printed on the household's invitation slip."""

    code = StringField(_l("Mã trên phiếu mời"),
                       validators=[DataRequired(message=_l("Xin nhập mã in trên phiếu mời."))])

    def validate_code(self, field):
        if canonical(field.data) is None:
            raise ValidationError(_l("Mã gồm 8 chữ và số, ví dụ K7QM-3XPA. Xin xem lại phiếu mời."))


class HamletForm(CleanForm):
    """Open mode: the resident says which hamlet (thôn) the household lives in."""

    hamlet = RadioField(_l("Gia đình ở thôn nào?"), coerce=int,
                        validators=[InputRequired(message=_l("Xin chọn thôn của gia đình."))])

    def __init__(self, hamlets, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.hamlet.choices = [SelectChoice(h.id, h.name) for h in hamlets]


class AnswerField(RadioField):
    """"Hài lòng" / "Chưa hài lòng"; a tampered value reads as "not answered", never as a crash."""

    def pre_validate(self, form):
        if self.data not in (YES, NO):
            self.data = None
            raise StopValidation(CHOOSE)

    @property
    def satisfied(self) -> bool | None:
        return {YES: True, NO: False}.get(self.data)


class QuestionPageForm(CleanForm):
    """One page of questions; the fields q<id> (answer) and r<id> (reason) are added per page."""

    other = None

    def questions_with_fields(self):
        return [(q, self[f"q{q.id}"], self[f"r{q.id}"]) for q in self._questions]

    def answers(self) -> dict[int, tuple[bool | None, str]]:
        """What the page sent, answered or not, for the draft."""
        return {q.id: (answer.satisfied, (reason.data or "")[:MAX_TEXT]) for q, answer, reason
                in self.questions_with_fields()}


def question_page_form(questions, draft) -> QuestionPageForm:
    """Build the form for one page, filled from the draft when the page is shown again."""
    class PageForm(QuestionPageForm):
        pass

    for q in questions:
        setattr(PageForm, f"q{q.id}", AnswerField(
            choices=[SelectChoice(YES, _l("Hài lòng")), SelectChoice(NO, _l("Chưa hài lòng"))],
            validators=[InputRequired(message=CHOOSE)]))
        setattr(PageForm, f"r{q.id}", TextAreaField(
            _l("Vì sao chưa hài lòng? (không bắt buộc)"),
            validators=[Length(max=MAX_TEXT, message=TOO_LONG)]))
    saved = {}
    for q in questions:
        satisfied = draft.satisfied(q.id)
        saved[f"q{q.id}"] = None if satisfied is None else (YES if satisfied else NO)
        saved[f"r{q.id}"] = draft.reason(q.id)
    form = PageForm(data=saved)  # on POST the sent values win over the draft
    form._questions = questions
    return form


class OtherOpinionForm(CleanForm):
    """"Ý kiến khác": anything else the household wants the commune to hear."""

    other = TextAreaField(_l("Ý kiến khác của gia đình (không bắt buộc)"),
                          validators=[Length(max=MAX_TEXT, message=TOO_LONG)])


class SubmitForm(CleanForm):
    """The "Gửi phiếu" button on the review page: only the CSRF token."""
