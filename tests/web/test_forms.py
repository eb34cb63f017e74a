"""The survey's forms on their own: what they accept and the messages they give, in plain words."""
import pytest
from werkzeug.datastructures import MultiDict

from survey_app.forms import CodeForm, OtherOpinionForm, question_page_form
from survey_app.services.survey.drafts import Draft


class Q:
    """Just enough of a Question for a page form."""

    def __init__(self, qid):
        self.id, self.required = qid, True


@pytest.fixture
def form_context(app_with):
    """A POST request context; CSRF is off here because the end-to-end tests cover it."""
    with app_with(WTF_CSRF_ENABLED=False).test_request_context(method="POST"):
        yield


def post(form_class, data, *args):
    return form_class(*args, formdata=MultiDict(data))


@pytest.mark.parametrize("typed", ["K7QM-3XPA", "k7qm 3xpa", "K7QM3XPA", " k7qm-3xpa ", "K7QM.3XPA"])
def test_the_code_box_accepts_codes_as_people_type_them(form_context, typed):
    assert post(CodeForm, {"code": typed}).validate()


@pytest.mark.parametrize("typed,message", [("", "Xin nhập mã"), ("K7QM", "8 chữ và số"), ("K7QM-3XP!", "8 chữ và số"),
                                           ("K7QM-3XPA-22", "8 chữ và số")])
def test_the_code_box_says_what_is_wrong(form_context, typed, message):
    form = post(CodeForm, {"code": typed})
    assert not form.validate() and message in form.code.errors[0]


def test_a_page_needs_every_answer_and_keeps_reasons(form_context):
    form = question_page_form([Q(1), Q(2)], Draft())
    form.process(MultiDict({"q1": "no", "r1": "  Đường\x00 lầy\r\nngập  "}))
    assert not form.validate()
    assert "Hài lòng" in form.q2.errors[0] and not form.q1.errors
    # kept, without the NUL, with one kind of line break, trimmed
    assert form.answers() == {1: (False, "Đường lầy\nngập"), 2: (None, "")}


def test_a_tampered_answer_reads_as_unanswered(form_context):
    form = question_page_form([Q(1)], Draft())
    form.process(MultiDict({"q1": "maybe"}))
    assert not form.validate() and form.answers() == {1: (None, "")}


def test_a_page_shows_the_draft_when_nothing_was_sent(app):
    with app.test_request_context():
        form = question_page_form([Q(1), Q(2)], Draft(answers={1: (True, ""), 2: (False, "Thiếu nước")}))
        assert form.answers() == {1: (True, ""), 2: (False, "Thiếu nước")}


def test_other_opinion_is_optional_but_bounded(form_context):
    assert post(OtherOpinionForm, {"other": ""}).validate()
    long = post(OtherOpinionForm, {"other": "x" * 2001})
    assert not long.validate() and "2000" in long.other.errors[0]
