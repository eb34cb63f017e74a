"""The Zalo token pair: refreshed once when it expires, never burnt by two workers at once."""
from __future__ import annotations

import threading

from bots import sender, zalo_token
from survey_app.extensions import db
from survey_app.models import ZaloToken
from survey_app.services import outbox


def _send(text, user="801"):
    message_id = outbox.enqueue("zalo", user, text)
    db.session.commit()
    return sender.deliver([message_id])


def test_first_refresh_token_comes_from_the_environment_then_rotates_in_the_database(bot_app, zl):
    with bot_app.app_context():
        assert _send("một") == {"sent": 1}
        row = db.session.execute(db.select(ZaloToken)).scalar_one()
        assert (row.access_token, row.refresh_token) == ("at-1", "rt-1") == (zl.access_token, zl.refresh_token)
        assert _send("hai") == {"sent": 1}
    assert zl.refreshes == 1


def test_token_expiry_mid_conversation_refreshes_exactly_once(bot_app, zl):
    with bot_app.app_context():
        assert _send("Câu 1/11") == {"sent": 1}
        zl.expire_access_token()  # Zalo now answers -216 to the stored token
        assert _send("Câu 2/11") == {"sent": 1}
        assert _send("Câu 3/11") == {"sent": 1}
    assert zl.refreshes == 2
    assert [m["text"] for m in zl.sent("801")] == ["Câu 1/11", "Câu 2/11", "Câu 3/11"]


def test_two_workers_refreshing_at_once_burn_the_refresh_token_once(build_app, zl):
    zl.refresh_delay = 0.3  # both workers are inside refresh() while Zalo answers the first
    apps = [build_app(), build_app()]
    barrier = threading.Barrier(2)
    tokens, errors = [], []

    def run(app):
        with app.app_context():
            barrier.wait()
            try:
                tokens.append(zalo_token.access_token())
            except Exception as exc:  # noqa: BLE001 - the assertion below reports it
                errors.append(exc)
            db.session.remove()

    threads = [threading.Thread(target=run, args=(a,)) for a in apps]
    [t.start() for t in threads]
    [t.join(30) for t in threads]
    assert errors == []
    assert tokens == ["at-1", "at-1"]
    assert zl.refreshes == 1


def test_flask_bots_zalo_token_restarts_the_rotation(bot_app, zl):
    zl.refresh_token = "rt-from-console"
    result = bot_app.test_cli_runner().invoke(args=["bots", "zalo-token", "rt-from-console"])
    assert result.exit_code == 0, result.output
    with bot_app.app_context():
        assert _send("xin chào") == {"sent": 1}
        assert db.session.execute(db.select(ZaloToken.refresh_token)).scalar_one() == "rt-1"
