"""Twenty phones, bots and clerks submitting for one household at the same moment store exactly one Response."""
import threading

import pytest
from helpers import all_satisfied, campaign_of
from sqlalchemy import func, select

from survey_app.errors import AlreadyAnswered
from survey_app.extensions import db
from survey_app.models import Response
from survey_app.services.survey.responses import submit_response

CALLERS = 20


@pytest.mark.parametrize("database_url", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)],
                         indirect=True)
def test_twenty_concurrent_submissions_for_one_code_store_one_response(app, demo):
    with app.app_context():
        answers = all_satisfied(campaign_of(demo))
    code = demo["codes"][0]
    barrier = threading.Barrier(CALLERS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def caller(i: int) -> None:
        with app.app_context():
            barrier.wait()
            try:
                submit_response(answers, channel=("web", "telegram", "zalo", "paper")[i % 4], code=code)
                outcome = "stored"
            except AlreadyAnswered:
                outcome = "already_answered"
            except Exception as exc:  # noqa: BLE001 - any other outcome is a failure we want to see
                outcome = f"error: {exc!r}"
            finally:
                db.session.remove()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=caller, args=(i,)) for i in range(CALLERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    assert sorted(outcomes) == ["already_answered"] * (CALLERS - 1) + ["stored"]
    with app.app_context():
        assert db.session.execute(select(func.count(Response.id))).scalar_one() == 1


@pytest.mark.parametrize("database_url", [pytest.param("postgresql", marks=pytest.mark.postgresql)], indirect=True)
def test_two_officers_issuing_codes_at_once_count_each_late_household_once(app, demo):
    from survey_app.models import AdminUnit, Campaign, Household, InvitationCode
    from survey_app.services.campaigns.codes import generate_codes

    with app.app_context():
        campaign = campaign_of(demo)
        hamlet = db.session.execute(select(AdminUnit).where(AdminUnit.parent_id == campaign.commune_id)
                                    .order_by(AdminUnit.id)).scalars().first()
        db.session.add_all(Household(hamlet_id=hamlet.id, number=f"muon-{i}") for i in range(3))  # after opening
        db.session.commit()
        campaign_id, key, before = campaign.id, str(hamlet.id), dict(campaign.household_counts)
    barrier = threading.Barrier(2)
    outcomes: list = []

    def officer() -> None:
        with app.app_context():
            found = db.session.get(Campaign, campaign_id)
            barrier.wait()
            try:
                outcomes.append(generate_codes(found, staff_user_id=None))
            except Exception as exc:  # noqa: BLE001 - any other outcome is a failure we want to see
                outcomes.append(f"error: {exc!r}")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=officer) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    assert sorted(outcomes, key=str) == [0, 3]
    with app.app_context():
        assert db.session.get(Campaign, campaign_id).household_counts == {**before, key: before[key] + 3}
        assert db.session.execute(select(func.count(InvitationCode.id)).where(
            InvitationCode.campaign_id == campaign_id)).scalar_one() == 56 + 3
