"""The plain-word questionnaires: one satisfaction judgement per question, no officials' words, the default."""
import json
from pathlib import Path

import pytest

from survey_app.extensions import db
from survey_app.models import Campaign

DATA = Path(__file__).resolve().parents[2] / "survey_app" / "data" / "questionnaires"
JARGON = ("cứng hóa", "an sinh", "dịch vụ công", "trực tuyến", "chuyển đổi số", "kiên cố", "hạ tầng", "tiêu chí")


@pytest.mark.parametrize("key", ["xa-ntm-2026-2030-v2", "xa-ntm-2021-2025-v2"])
def test_every_question_asks_one_satisfaction_in_plain_words(key):
    spec = json.loads((DATA / f"{key}.json").read_text(encoding="utf-8"))
    assert spec["key"] == key
    for q in spec["questions"]:
        assert "hài lòng" in q["vi"] and q["vi"].endswith("không?") and q["vi"].count("?") == 1
        assert "satisfied" in q["en"] and q["en"].count("?") == 1
        assert not any(word in q["vi"].lower() for word in JARGON), q["vi"]
    assert sum(1 for q in spec["questions"] if q.get("overall")) == 1


def test_new_campaigns_and_the_demo_use_the_plain_version(app, runner, demo):
    result = runner.invoke(args=["campaign", "create", "--commune", "18673", "--name", "Đợt 2",
                                 "--opens", "2026-12-01", "--closes", "2026-12-28"])
    assert result.exit_code == 0, result.output
    campaign_id = int(result.stdout.split("campaign_id=")[1].split()[0])
    with app.app_context():
        keys = {db.session.get(Campaign, i).questionnaire.key for i in (campaign_id, demo["campaign_id"])}
    assert keys == {"xa-ntm-2026-2030-v2"}
