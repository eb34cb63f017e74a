"""submit_response: the one service every channel stores answers through."""
from datetime import timedelta

import pytest
from helpers import all_satisfied, campaign_of
from sqlalchemy import func, select

from survey_app.errors import AlreadyAnswered, CampaignNotOpen, IncompleteAnswers, InvalidAnswers, UnknownCode
from survey_app.extensions import db
from survey_app.models import (
    Answer,
    CampaignMode,
    CampaignStatus,
    Feedback,
    FeedbackSource,
    InvitationCode,
    Response,
    SurveyDraft,
)
from survey_app.services.survey.responses import AnswerInput, submit_response
from survey_app.services.units.catalogue import hamlets_of


def count(model) -> int:
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def test_a_household_answer_is_stored_with_its_reasons_as_feedback(app, demo):
    with app.app_context():
        campaign = campaign_of(demo)
        answers = all_satisfied(campaign, except_position=2, reason="  Đường ra đồng thôn 3 lầy lội  ")
        response = submit_response(answers, channel="web", code=demo["codes"][0],
                                   other_opinion="Cảm ơn xã đã lắng nghe")
        assert response.id and response.channel == "web" and response.verified
        assert count(Answer) == len(campaign.questionnaire.questions)
        reason = db.session.execute(select(Feedback).where(Feedback.source == FeedbackSource.REASON)).scalar_one()
        assert reason.text == "Đường ra đồng thôn 3 lầy lội"
        assert reason.question_id == campaign.questionnaire.questions[1].id
        assert reason.unit_id == response.hamlet_id
        assert count(Feedback) == 2
        used = db.session.execute(select(InvitationCode).where(InvitationCode.id == response.invitation_code_id))
        assert used.scalar_one().used_at is not None


def test_a_second_answer_for_the_same_household_is_refused_whatever_the_channel(app, demo):
    with app.app_context():
        campaign = campaign_of(demo)
        first = submit_response(all_satisfied(campaign), channel="telegram", code=demo["codes"][1])
        with pytest.raises(AlreadyAnswered) as refused:
            submit_response(all_satisfied(campaign), channel="web", code=demo["codes"][1])
        assert refused.value.channel == "telegram"
        assert refused.value.answered_at == first.submitted_at
        assert count(Response) == 1


def test_codes_are_accepted_as_residents_type_them(app, demo):
    with app.app_context():
        campaign = campaign_of(demo)
        code = demo["codes"][2]  # e.g. K7QM-3XPA
        typed = "  " + code.replace("-", " ").lower().replace("0", "o").replace("1", "l") + " "
        response = submit_response(all_satisfied(campaign), channel="zalo", code=typed)
        assert response.invitation_code_id is not None


@pytest.mark.parametrize("typed", ["", "ABCD", "ZZZZ-ZZZZ", "ABCD-EFGH-IJ"])
def test_unknown_codes_are_refused(app, demo, typed):
    with app.app_context():
        with pytest.raises(UnknownCode):
            submit_response(all_satisfied(campaign_of(demo)), channel="web", code=typed)
        assert count(Response) == 0


@pytest.mark.parametrize("status,shift", [(CampaignStatus.CLOSED, 0), (CampaignStatus.DRAFT, 0),
                                          (CampaignStatus.OPEN, 40), (CampaignStatus.OPEN, -40)])
def test_a_campaign_that_is_not_open_today_takes_no_answers(app, demo, status, shift):
    with app.app_context():
        campaign = campaign_of(demo)
        campaign.status = status
        campaign.opens_on += timedelta(days=shift)
        campaign.closes_on += timedelta(days=shift)
        db.session.commit()
        with pytest.raises(CampaignNotOpen):
            submit_response(all_satisfied(campaign), channel="web", code=demo["codes"][0])
        assert count(Response) == 0
        assert db.session.execute(select(InvitationCode.used_at).where(
            InvitationCode.used_at.is_not(None))).first() is None


def test_incomplete_answers_name_the_missing_questions_and_store_nothing(app, demo):
    with app.app_context():
        campaign = campaign_of(demo)
        answers = all_satisfied(campaign)
        missing = campaign.questionnaire.questions[-1].id
        del answers[missing]
        with pytest.raises(IncompleteAnswers) as refused:
            submit_response(answers, channel="web", code=demo["codes"][0])
        assert refused.value.missing_question_ids == [missing]
        assert count(Response) == 0 and count(Answer) == 0 and count(Feedback) == 0


def test_answers_to_questions_of_another_questionnaire_are_refused(app, demo):
    with app.app_context():
        answers = all_satisfied(campaign_of(demo))
        answers[999_999] = AnswerInput(satisfied=True)
        with pytest.raises(InvalidAnswers):
            submit_response(answers, channel="web", code=demo["codes"][0])
        assert count(Response) == 0


def test_an_invalid_paper_form_counts_as_returned_but_not_valid(app, demo):
    with app.app_context():
        response = submit_response({}, channel="paper", code=demo["codes"][0], valid=False)
        assert response.is_valid is False


def test_a_failure_half_way_leaves_nothing_behind(app, demo, monkeypatch):
    from survey_app.services.feedback import intake as feedback_service

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    with app.app_context():
        campaign = campaign_of(demo)
        monkeypatch.setattr(feedback_service.tagging, "tag", broken)
        with pytest.raises(RuntimeError):
            submit_response(all_satisfied(campaign, except_position=1, reason="xấu"), channel="web",
                            code=demo["codes"][0])
        assert count(Response) == 0 and count(Answer) == 0
        assert db.session.execute(select(InvitationCode.used_at).where(
            InvitationCode.used_at.is_not(None))).first() is None
        monkeypatch.undo()
        assert submit_response(all_satisfied(campaign), channel="web", code=demo["codes"][0]).id


def test_submitting_clears_the_saved_draft(app, demo):
    with app.app_context():
        campaign = campaign_of(demo)
        code = demo["codes"][0].replace("-", "")
        db.session.add(SurveyDraft(campaign_id=campaign.id, draft_key=code, data={"1": True}))
        db.session.commit()
        submit_response(all_satisfied(campaign), channel="web", code=code)
        assert count(SurveyDraft) == 0


def test_a_draft_sent_inside_a_transaction_is_gone_for_the_rest_of_it(app, demo):
    """The chat engine saves, sends and may read again in one transaction: the drafts cache must not hand
    back the row that submit_response deleted with a bulk DELETE."""
    from survey_app.services.survey.drafts import load_draft, save_draft, submit_draft
    from survey_app.services.survey.flow import target_for_code

    with app.app_context():
        target = target_for_code(demo["codes"][3])
        save_draft(target, answers={q.id: (True, "") for q in target.questions}, commit=False)
        assert load_draft(target).answered_count() == len(target.questions)
        submit_draft(target, channel="telegram", commit=False)
        assert load_draft(target).answered_count() == 0  # read afresh: no draft any more
        db.session.commit()
        assert count(SurveyDraft) == 0 and count(Response) == 1


def test_open_mode_takes_one_unverified_answer_per_browser(app, demo):
    with app.app_context():
        campaign = campaign_of(demo)
        campaign.mode = CampaignMode.OPEN
        db.session.commit()
        hamlet = hamlets_of(campaign.commune)[0]
        response = submit_response(all_satisfied(campaign), channel="web", campaign_id=campaign.id,
                                   hamlet_id=hamlet.id, submission_key="browser-token-1")
        assert response.verified is False and response.household_id is None
        with pytest.raises(AlreadyAnswered):
            submit_response(all_satisfied(campaign), channel="web", campaign_id=campaign.id,
                            hamlet_id=hamlet.id, submission_key="browser-token-1")
        assert count(Response) == 1


def test_reasons_are_kept_on_the_answers_whichever_question_has_them(app, demo):
    with app.app_context():
        campaign = campaign_of(demo)
        last = len(campaign.questionnaire.questions)
        response = submit_response(all_satisfied(campaign, except_position=last, reason="Thiếu nước tưới"),
                                   channel="web", code=demo["codes"][0])
        rows = db.session.execute(select(Answer.satisfied, Answer.reason).where(
            Answer.response_id == response.id)).all()
        assert sorted(rows, key=lambda r: r.satisfied) == [(False, "Thiếu nước tưới")] + [(True, None)] * (last - 1)
