"""Shared fixtures: every app is built from a dict, on SQLite and (when TEST_DATABASE_URL is set) PostgreSQL."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from survey_app import create_app
from survey_app.config import normalize_database_url
from survey_app.extensions import db
from survey_app.services.survey.reference import ensure_reference_data

PG_URL = os.environ.get("TEST_DATABASE_URL") and normalize_database_url(os.environ["TEST_DATABASE_URL"])
REDIS_URL = os.environ.get("TEST_REDIS_URL")
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)]


def pytest_report_header(config):
    return [
        f"PostgreSQL tests: {'on ' + PG_URL if PG_URL else 'SKIPPED (set TEST_DATABASE_URL to run them)'}",
        f"Redis tests: {'on ' + REDIS_URL if REDIS_URL else 'SKIPPED (set TEST_REDIS_URL to run them)'}",
    ]


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogues():
    """`make test` compiles the catalogues; a bare `pytest` must see them too (.mo files are not committed)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po in (Path(__file__).resolve().parent.parent / "translations").glob("*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            with po.open("rb") as f:
                catalog = read_po(f)
            tmp = mo.with_suffix(f".{os.getpid()}.tmp")
            with tmp.open("wb") as f:
                write_mo(f, catalog)
            os.replace(tmp, mo)


def _migrate(url: str) -> None:
    from flask_migrate import upgrade

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "test"})
    with app.app_context():
        upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> str:
    """One SQLite file migrated to head; each test gets a copy (fast, and proves the migrations)."""
    path = tmp_path_factory.mktemp("db") / "template.db"
    _migrate(f"sqlite:///{path}")
    return str(path)


@pytest.fixture(scope="session")
def pg_migrated() -> str:
    """The PostgreSQL test database, emptied once and migrated to head."""
    if not PG_URL:
        pytest.skip("PostgreSQL tests skipped: TEST_DATABASE_URL is not set")
    engine = create_engine(PG_URL)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    _migrate(PG_URL)
    return PG_URL


def _truncate_all() -> None:
    tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
    db.session.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    db.session.commit()


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        path = tmp_path / "test.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    return request.getfixturevalue("pg_migrated")


def make_app(database_url: str, tmp_path, **overrides):
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "MODELS_DIR": str(tmp_path / "models"),
        "WTF_CSRF_ENABLED": True,
    }
    config.update(overrides)
    return create_app(config)


@pytest.fixture
def app(database_url, tmp_path):
    app = make_app(database_url, tmp_path)
    with app.app_context():
        ensure_reference_data()
    yield app
    with app.app_context():
        if db.engine.url.get_backend_name() == "postgresql":
            db.session.rollback()
            _truncate_all()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def sibling_app(app):
    """build(**settings): another app instance (another worker) on the same database, torn down after the test."""
    built = []

    def build(**settings):
        base = {key: app.config[key] for key in ("TESTING", "SECRET_KEY", "SQLALCHEMY_DATABASE_URI", "MODELS_DIR")}
        built.append(create_app({**base, "WTF_CSRF_ENABLED": True, **settings}))
        return built[-1]

    yield build
    for other in built:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def tg():
    """A fake Telegram Bot API on loopback (tests/channel_fakes.py), for the channel and staff tests."""
    from channel_fakes import FakeTelegram

    server = FakeTelegram()
    yield server
    server.close()


@pytest.fixture
def zl():
    """A fake Zalo OA API on loopback."""
    from channel_fakes import FakeZalo

    server = FakeZalo()
    yield server
    server.close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def demo(app):
    """A small demo commune (56 households) with an open campaign; returns the seed-demo JSON fields."""
    from survey_app.devdata.demo import seed_demo

    with app.app_context():
        return seed_demo(households=56)
