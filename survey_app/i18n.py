"""Locale choice: Vietnamese first, English on request (?lang=en, then remembered in a cookie)."""
from flask import current_app, has_request_context, request

LANG_COOKIE = "lang"


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # a command (flask ...) speaks the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    asked = request.args.get("lang") or request.cookies.get(LANG_COOKIE)
    if asked in languages:
        return asked
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def current_locale() -> str:
    from flask_babel import get_locale

    locale = get_locale()
    return locale.language if locale else "vi"


def remember_locale(response):
    """Keep an explicit ?lang= choice for the next pages."""
    asked = request.args.get("lang")
    if asked in current_app.config["LANGUAGES"] and request.cookies.get(LANG_COOKIE) != asked:
        response.set_cookie(LANG_COOKIE, asked, max_age=365 * 24 * 3600, samesite="Lax", httponly=True,
                            secure=request.is_secure)
    return response
