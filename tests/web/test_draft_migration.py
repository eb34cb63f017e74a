"""Migration 0003_survey_phase: drafts saved with the old page number keep working with the named phase."""
import json

from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from survey_app import create_app
from survey_app.devdata.demo import seed_demo
from survey_app.extensions import db
from survey_app.services.survey.reference import ensure_reference_data


def test_drafts_saved_as_page_numbers_resume_at_the_same_step(tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/m.db",
                      "MODELS_DIR": str(tmp_path / "models")})
    with app.app_context():
        upgrade()
        ensure_reference_data()
        info = seed_demo(households=8)
        db.session.remove()
        downgrade(revision="0002_counting")  # the schema just before drafts got a named phase
        campaign = info["campaign_id"]
        questions = db.session.execute(text(
            "SELECT q.id FROM question q JOIN campaign c ON c.questionnaire_id = q.questionnaire_id "
            "WHERE c.id = :c ORDER BY q.position"), {"c": campaign}).scalars().all()
        answered = json.dumps({"answers": {str(q): {"satisfied": True, "reason": ""} for q in questions[:3]}})
        every = json.dumps({"answers": {str(q): {"satisfied": True, "reason": ""} for q in questions}})
        pages = len(questions) // 3 + (1 if len(questions) % 3 >= 2 else 0)  # pages of 3; a lone last one joins
        old = {0: (2, answered), 1: (pages + 1, every), 2: (pages + 2, every)}
        for n, (step, data) in old.items():
            db.session.execute(text(
                "INSERT INTO survey_draft (campaign_id, draft_key, data, step, updated_at) "
                "VALUES (:c, :k, :d, :s, CURRENT_TIMESTAMP)"),
                {"c": campaign, "k": info["codes"][n].replace("-", ""), "d": data, "s": step})
        db.session.commit()
        upgrade()
        phases = dict(db.session.execute(text("SELECT draft_key, phase FROM survey_draft")).all())
        assert [phases[info["codes"][n].replace("-", "")] for n in range(3)] == ["questions", "other", "review"]
        db.engine.dispose()
    client = app.test_client()
    assert "/trang/2" in client.get("/s/" + info["codes"][0]).text  # question 4 is on page 2
    assert "/y-kien-khac" in client.get("/s/" + info["codes"][1]).text
    assert "/xem-lai" in client.get("/s/" + info["codes"][2]).text
