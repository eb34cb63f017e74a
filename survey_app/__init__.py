"""HaiLong: residents' satisfaction with New Rural Development, heard from every household."""
import os

from flask import Flask

from . import compress, ratelimit, security
from .config import Config, default_database_url, normalize_database_url
from .converters import register_converters
from .extensions import babel, csrf, db, migrate
from .i18n import current_locale, remember_locale, select_locale
from .logs import register_logging
from .outages import OUTAGE_TYPES
from .services.reports.counting import format_bar, format_pct
from .views.errors import render_error, render_unavailable

# The factory's steps import what pulls in the models, services, views and bots inside themselves (flaskr):
# every survey_app module runs this package first, so importing them here would load the whole app with any
# of its modules, and cycle back through this package (auth imports survey_app.ratelimit, jobs create_app).


def create_app(config_overrides: dict | None = None) -> Flask:
    """Application factory: configure, bind extensions, register blueprints, commands and handlers."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_object(Config)
    if config_overrides:
        app.config.update(config_overrides)
    os.makedirs(app.instance_path, exist_ok=True)
    _fill_defaults(app)
    register_logging(app)
    register_proxy(app)
    register_extensions(app)
    register_converters(app)  # before any route is added: routes bind their converters when added
    register_blueprints(app)
    register_error_handlers(app)
    register_commands(app)
    register_template_helpers(app)
    register_web_protection(app)
    register_bots(app)
    return app


def _fill_defaults(app: Flask) -> None:
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = default_database_url(app.instance_path)
    app.config["SQLALCHEMY_DATABASE_URI"] = normalize_database_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if not app.config.get("MODELS_DIR"):
        app.config["MODELS_DIR"] = os.path.join(app.instance_path, "models")
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(app.instance_path)


def _instance_secret(instance_path: str) -> str:
    """A laptop install has no SECRET_KEY: make one once and keep it in instance/ (never committed)."""
    path = os.path.join(instance_path, "secret_key")
    if not os.path.exists(path):
        tmp = f"{path}.{os.getpid()}"
        with open(tmp, "w") as f:
            f.write(os.urandom(32).hex())
        os.chmod(tmp, 0o600)
        try:
            os.link(tmp, path)  # atomic: the first process to get here wins, the others read its key
        except FileExistsError:
            pass
        finally:
            os.unlink(tmp)
    with open(path) as f:
        return f.read().strip()


def register_proxy(app: Flask) -> None:
    """Behind PROXY_COUNT reverse proxies, trust their X-Forwarded-* so limits see residents' addresses."""
    n = app.config["PROXY_COUNT"]
    if n:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)


def register_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(__file__), "migrations"),
                     render_as_batch=True)
    babel.init_app(app, locale_selector=select_locale)
    csrf.init_app(app)
    from . import auth  # deferred: auth loads the models, and imports this package back (ratelimit)

    auth.init_app(app)
    ratelimit.init_app(app)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        _tune_sqlite(app)


def _tune_sqlite(app: Flask) -> None:
    """WAL and a busy timeout so the embedded install survives several residents at once."""
    from sqlalchemy import event

    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=10000")
        if ":memory:" not in str(engine.url):
            cur.execute("PRAGMA journal_mode=WAL")
        cur.close()


def register_blueprints(app: Flask) -> None:
    from .views import api, main, open_survey, public, survey  # deferred: blueprints, imported by the factory (flaskr)

    app.register_blueprint(main.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(public.bp)
    app.register_blueprint(survey.bp)
    app.register_blueprint(open_survey.bp)

    from .staff import bp as staff_bp  # deferred: blueprints, imported by the factory (flaskr)
    from .staff import replies_bp

    app.register_blueprint(staff_bp)
    app.register_blueprint(replies_bp)


def register_bots(app: Flask) -> None:
    from bots import webhooks  # deferred: bots builds on survey_app and loads python-telegram-bot

    webhooks.init_app(app)


def register_error_handlers(app: Flask) -> None:
    for code in (400, 403, 404, 405, 413, 429, 500):
        app.register_error_handler(code, render_error)
    for exception in OUTAGE_TYPES:
        app.register_error_handler(exception, render_unavailable)


def register_commands(app: Flask) -> None:
    from .cli import register  # deferred: the command modules load the services and the demo data

    register(app)


def register_template_helpers(app: Flask) -> None:
    from flask_babel import format_date, format_datetime, format_decimal, format_percent

    from .services.campaigns.codes import display  # deferred: both load the models (report_helpers via vocabulary)
    from .views import report_helpers

    app.jinja_env.globals.update(current_locale=current_locale, format_date=format_date,
                                 format_datetime=format_datetime, format_decimal=format_decimal,
                                 format_percent=format_percent, display_code=display,
                                 pct=lambda num, den: format_pct(num, den, current_locale()),
                                 bar_pct=lambda threshold: format_bar(threshold, current_locale()))
    app.after_request(remember_locale)
    report_helpers.register(app)


def register_web_protection(app: Flask) -> None:
    """Security headers (CSP), gzip for weak signals; rate limits are read from config when used."""
    security.init_app(app)
    compress.init_app(app)
