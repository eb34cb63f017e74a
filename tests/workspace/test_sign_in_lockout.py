"""Wrong staff passwords lock the account they were typed for, and the address only past a much higher bar."""
import os

import pytest
from sqlalchemy import select
from workspace_helpers import post, sign_in

from survey_app import create_app
from survey_app.extensions import db
from survey_app.models import AuditLog

REDIS_URL = os.environ.get("TEST_REDIS_URL")


def _limits(app, account=3, address=100):
    app.config.update(RATELIMIT_STAFF_LOGIN=(account, 600), RATELIMIT_STAFF_LOGIN_ADDRESS=(address, 600))


def _lock(client, username, times=3):
    for n in range(times):
        assert sign_in(client, username, f"sai-{n}").status_code == 200


def test_a_locked_account_does_not_lock_out_colleagues_behind_the_same_address(app, client, world):
    _limits(app)
    _lock(client, "staff_a")
    assert sign_in(client, "staff_a").status_code == 429
    assert sign_in(client, "staff_b").status_code == 302
    assert sign_in(app.test_client(), "quantri").status_code == 302
    assert sign_in(app.test_client(), "staff_a").status_code == 429


def test_an_unknown_name_is_locked_under_its_typed_name_like_an_account(app, client, world):
    _limits(app)
    for typed in ("Ghost", " ghost", "GHOST"):
        assert sign_in(client, typed, "sai").status_code == 200
    _lock(client, "staff_a")
    unknown, known = sign_in(client, "ghost", "sai"), sign_in(client, "staff_a")
    assert unknown.status_code == known.status_code == 429
    assert unknown.text == known.text and "Xin đợi khoảng 10 phút" in known.text
    assert sign_in(client, "staff_b").status_code == 302


def test_a_right_password_clears_the_accounts_count(app, client, world):
    _limits(app)
    _lock(client, "staff_a", times=2)
    assert sign_in(client, "staff_a").status_code == 302
    _lock(app.test_client(), "staff_a", times=2)
    assert sign_in(app.test_client(), "staff_a").status_code == 302


def test_past_the_address_bar_every_account_from_that_address_waits(app, client, world):
    _limits(app, account=3, address=4)
    for name in ("staff_a", "staff_b", "manager_a", "tinh"):
        assert sign_in(client, name, "sai").status_code == 200
    assert sign_in(client, "quantri").status_code == 429
    elsewhere = app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "10.1.2.3"
    assert sign_in(elsewhere, "quantri").status_code == 302


def test_an_admin_unlocks_an_account_on_the_accounts_page_and_it_is_audited(app, client, world):
    _limits(app)
    locked = app.test_client()
    _lock(locked, "staff_a")
    sign_in(client, "quantri")
    page = client.get("/staff/accounts").text
    assert "Tạm khóa đăng nhập" in page
    unlocked = post(client, f"/staff/accounts/{world['users']['staff_a']}/unlock", {}, page_url="/staff/accounts")
    assert unlocked.status_code == 302
    assert "Tạm khóa đăng nhập" not in client.get("/staff/accounts").text
    assert sign_in(locked, "staff_a").status_code == 302
    with app.app_context():
        row = db.session.execute(select(AuditLog).where(AuditLog.action == "account_unlock")).scalar_one()
        assert (row.staff_user_id, row.object_id) == (world["users"]["quantri"], str(world["users"]["staff_a"]))


@pytest.mark.redis
@pytest.mark.skipif(not REDIS_URL, reason="TEST_REDIS_URL is not set")
def test_flask_users_unlock_clears_the_count_the_web_workers_share_in_redis(app, world):
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    config = {key: app.config[key] for key in ("TESTING", "SECRET_KEY", "SQLALCHEMY_DATABASE_URI", "MODELS_DIR",
                                               "WTF_CSRF_ENABLED")}
    config.update(REDIS_URL=REDIS_URL, RATELIMIT_STAFF_LOGIN=(3, 600))
    web, cli = create_app(config), create_app(config)
    _lock(web.test_client(), "staff_a")
    assert sign_in(web.test_client(), "staff_a").status_code == 429
    result = cli.test_cli_runner().invoke(args=["users", "unlock", "staff_a"])
    assert result.exit_code == 0, result.output
    assert sign_in(web.test_client(), "staff_a").status_code == 302
    with cli.app_context():
        row = db.session.execute(select(AuditLog).where(AuditLog.action == "account_unlock")).scalar_one()
        assert row.staff_user_id is None and row.details == {"via": "cli"}
    for built in (web, cli):
        with built.app_context():
            db.engine.dispose()


def test_flask_users_unlock_refuses_an_unknown_name(runner, world):
    result = runner.invoke(args=["users", "unlock", "nobody-here"])
    assert result.exit_code == 1 and "Không tìm thấy tài khoản" in result.output
