"""Every feedback is tagged as it is saved; a missing or broken model never costs a resident their answer."""
import logging
import shutil

import pytest
from helpers import all_satisfied, campaign_of
from sqlalchemy import select

from survey_app.extensions import db
from survey_app.models import Feedback, ModelVersion
from survey_app.services.feedback import tagging
from survey_app.services.survey.responses import submit_response


@pytest.fixture(scope="session")
def trained_models(tmp_path_factory):
    """The default model trained once for the session (about 5 s)."""
    from nlp.registry import train_default

    path = tmp_path_factory.mktemp("trained-models")
    train_default(path, progress=lambda message: None)
    return path


@pytest.fixture
def with_model(app, trained_models):
    shutil.copytree(trained_models, app.config["MODELS_DIR"], dirs_exist_ok=True)
    tagging.forget_models()
    yield app
    tagging.forget_models()


def _answer_with_reason(demo, reason, code_index=0):
    campaign = campaign_of(demo)
    return submit_response(all_satisfied(campaign, except_position=2, reason=reason), channel="zalo",
                           code=demo["codes"][code_index])


def test_a_reason_typed_without_diacritics_is_tagged_with_its_field(with_model, demo):
    with with_model.app_context():
        _answer_with_reason(demo, "duong ra dong bi lun nut, mua xuong la lay loi ko di dc")
        feedback = db.session.execute(select(Feedback)).scalar_one()
        assert feedback.predicted_label == "giao_thong"
        assert 0 < feedback.confidence <= 1 and len(feedback.top3) == 3
        assert feedback.top3[0][0] == "giao_thong" and feedback.model_version


def test_without_a_model_feedback_is_kept_untagged_for_review(app, demo, caplog):
    tagging.forget_models()
    with app.app_context(), caplog.at_level(logging.WARNING):
        assert _answer_with_reason(demo, "nước giếng nhiễm phèn").id
        feedback = db.session.execute(select(Feedback)).scalar_one()
        assert feedback.predicted_label == "can_xem_xet" and feedback.confidence is None
    assert "no complaint classifier" in caplog.text


def test_a_corrupt_model_is_logged_and_the_answer_still_stored(with_model, demo, caplog):
    from nlp.registry import current_model_path

    with with_model.app_context():
        current_model_path(with_model.config["MODELS_DIR"]).write_bytes(b"not a model")
        tagging.forget_models()
        with caplog.at_level(logging.ERROR):
            response = _answer_with_reason(demo, "mất điện suốt")
        assert response.id
        feedback = db.session.execute(select(Feedback)).scalar_one()
        assert feedback.predicted_label == "can_xem_xet" and feedback.top3 is None
    assert "classifier unusable" in caplog.text


def test_retrain_uses_staff_corrections_and_records_versions(with_model, demo):
    with with_model.app_context():
        _answer_with_reason(demo, "cái cống đầu làng bị tắc", 0)
        _answer_with_reason(demo, "trạm bơm hỏng", 1)
        for feedback in db.session.execute(select(Feedback)).scalars():
            feedback.confirmed_label = "thuy_loi"
        db.session.commit()
    result = with_model.test_cli_runner().invoke(args=["nlp", "retrain"])
    assert result.exit_code == 0, result.output
    assert "with 2 staff corrections" in result.stdout
    with with_model.app_context():
        versions = db.session.execute(select(ModelVersion).order_by(ModelVersion.version)).scalars().all()
    assert [v.version for v in versions] == ["v0001", "v0002"]
    assert sum(v.is_current for v in versions) == 1


def test_evaluate_reports_the_current_model_ending_with_macro_f1(with_model):
    result = with_model.test_cli_runner().invoke(args=["nlp", "evaluate", "--strip-diacritics"])
    last = result.stdout.strip().splitlines()[-1]
    assert result.exit_code == 0, result.output
    assert last.startswith("macro_f1 ") and float(last.split()[1]) >= 0.85


def test_train_if_missing_does_nothing_when_a_model_is_current(with_model):
    result = with_model.test_cli_runner().invoke(args=["nlp", "train", "--if-missing"])
    assert result.exit_code == 0 and "nothing to do" in result.output


def test_restore_of_an_unknown_version_is_a_clear_error(with_model):
    result = with_model.test_cli_runner().invoke(args=["nlp", "restore", "v0999"])
    assert result.exit_code == 1 and "unknown model version" in result.output


def test_evaluate_and_retrain_on_the_latest_staff_corrections(with_model, demo):
    with with_model.app_context():
        for i, reason in enumerate(["cái cống đầu làng bị tắc", "trạm bơm hỏng", "kênh mương cạn nước",
                                    "đê bị sạt"]):
            _answer_with_reason(demo, reason, i)
        for feedback in db.session.execute(select(Feedback)).scalars():
            feedback.confirmed_label = "thuy_loi"
        db.session.commit()
    runner = with_model.test_cli_runner()
    evaluated = runner.invoke(args=["nlp", "evaluate", "--corrected", "3"])
    assert evaluated.exit_code == 0, evaluated.output
    lines = evaluated.stdout.strip().splitlines()
    assert lines[-1].startswith("macro_f1 ")
    assert lines[-2].startswith("accuracy_corrected ") and "last 3 corrected" in lines[-2]
    retrained = runner.invoke(args=["nlp", "retrain", "--corrected", "2"])
    assert retrained.exit_code == 0, retrained.output
    assert "with 2 staff corrections; last 2 corrections" in retrained.stdout


def test_evaluate_on_corrections_without_any_is_a_clear_error(with_model):
    result = with_model.test_cli_runner().invoke(args=["nlp", "evaluate", "--corrected", "5"])
    assert result.exit_code == 2 and "no feedback has a staff-confirmed label" in result.output


def test_a_text_without_words_goes_to_review_and_two_problems_keep_both_fields(with_model, demo):
    with with_model.app_context():
        _answer_with_reason(demo, "😡😡😡 !!!", 0)
        _answer_with_reason(demo, "Rác thải đầy đường không ai thu gom. Còn nước máy thì hay mất cả tuần", 1)
        rows = db.session.execute(select(Feedback).order_by(Feedback.id)).scalars().all()
        assert rows[0].predicted_label == "can_xem_xet" and rows[0].confidence == 0.0
        assert tagging.second_label(rows[0]) is None
        assert rows[1].predicted_label == "moi_truong" and tagging.second_label(rows[1]) == "nuoc_sach"
