"""Configuration from the environment (names fixed by architecture.md)."""
import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def default_database_url(instance_path: str) -> str:
    return "sqlite:///" + os.path.join(instance_path, "hailong.db")


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")
    REDIS_URL = os.environ.get("REDIS_URL")

    TELEGRAM_BOT_TOKEN = os.environ.get("TELEGRAM_BOT_TOKEN")
    TELEGRAM_WEBHOOK_SECRET = os.environ.get("TELEGRAM_WEBHOOK_SECRET")
    TELEGRAM_API_BASE_URL = os.environ.get("TELEGRAM_API_BASE_URL", "https://api.telegram.org/bot")
    ZALO_APP_ID = os.environ.get("ZALO_APP_ID")
    ZALO_APP_SECRET = os.environ.get("ZALO_APP_SECRET")
    ZALO_OA_SECRET_KEY = os.environ.get("ZALO_OA_SECRET_KEY")
    ZALO_REFRESH_TOKEN = os.environ.get("ZALO_REFRESH_TOKEN")  # the first one; then the pair lives in the database
    ZALO_API_BASE_URL = os.environ.get("ZALO_API_BASE_URL", "https://openapi.zalo.me")
    ZALO_OAUTH_BASE_URL = os.environ.get("ZALO_OAUTH_BASE_URL", "https://oauth.zaloapp.com")
    ZALO_EVENT_MAX_AGE = int(os.environ.get("ZALO_EVENT_MAX_AGE", 24 * 3600))  # seconds: older signed events refused
    ZALO_EVENT_MAX_SKEW = int(os.environ.get("ZALO_EVENT_MAX_SKEW", 600))  # seconds ahead of our clock accepted
    # Printed slips: absolute links for the QR codes (default: the address staff reached the server by),
    # the Telegram bot's username for t.me deep links, the Zalo OA's id or link. Unset ones are left off.
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL")
    TELEGRAM_BOT_USERNAME = os.environ.get("TELEGRAM_BOT_USERNAME")
    ZALO_OA_ID = os.environ.get("ZALO_OA_ID")
    ZALO_OA_URL = os.environ.get("ZALO_OA_URL")
    # The outbox (docs/deploy.md, "Outbox delivery"): how long one call to Telegram/Zalo may take, how long a
    # claimed message belongs to its sender (never less than ten timeouts), the retry back-off (doubling from
    # the base up to the cap) and how long a failing message is retried before it is marked failed.
    BOTS_SEND_TIMEOUT_SECONDS = float(os.environ.get("BOTS_SEND_TIMEOUT_SECONDS", "30"))
    BOTS_SEND_LEASE_SECONDS = float(os.environ.get("BOTS_SEND_LEASE_SECONDS", "300"))
    BOTS_RETRY_BASE_SECONDS = float(os.environ.get("BOTS_RETRY_BASE_SECONDS", "1"))
    BOTS_RETRY_MAX_DELAY_SECONDS = float(os.environ.get("BOTS_RETRY_MAX_DELAY_SECONDS", "3600"))
    BOTS_RETRY_MAX_AGE_HOURS = float(os.environ.get("BOTS_RETRY_MAX_AGE_HOURS", "168"))

    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
    BABEL_TRANSLATION_DIRECTORIES = str(PROJECT_ROOT / "translations")
    LANGUAGES = ("vi", "en")

    # hide_parameters: a failed statement is logged without its values (residents' reasons, household ids).
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "hide_parameters": True}
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    # A phone left open on a survey page for hours must still be able to send it: the CSRF token
    # lives as long as the session instead of expiring after an hour.
    WTF_CSRF_TIME_LIMIT = None
    # Behind a reverse proxy (nginx, a load balancer) set to the number of proxies in front, so rate
    # limits see the resident's address rather than the proxy's. 0 = served directly.
    PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # Staff sessions end after this long without a request, and this long after sign-in in any case.
    SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "60"))
    SESSION_MAX_HOURS = int(os.environ.get("SESSION_MAX_HOURS", "12"))
    # Days staff have to answer a feedback before it shows as overdue (thời hạn xử lý).
    FEEDBACK_SERVICE_DAYS = int(os.environ.get("FEEDBACK_SERVICE_DAYS", "15"))
    # Classifier models live beside the database, never in the repository.
    MODELS_DIR = os.environ.get("HAILONG_MODELS_DIR")


def normalize_database_url(url: str) -> str:
    """Heroku-style postgres:// and driverless postgresql:// URLs use psycopg 3 (the pinned driver)."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url
