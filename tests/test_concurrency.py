"""Twenty phones, bots and clerks submitting for one household at the same moment store exactly one Response."""
import threading

import pytest
from helpers import all_satisfied, campaign_of
from sqlalchemy import func, select

from survey_app.errors import AlreadyAnswered
from survey_app.extensions import db
from survey_app.models import Response
from survey_app.services.responses import submit_response

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
