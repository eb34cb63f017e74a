"""Security headers on every response: a CSP without inline script or style, no cross-site referrer.

The invitation code is in survey URLs, so the Referer never leaves the site. It is still sent
within the site (`same-origin`, not `no-referrer`): over HTTPS Flask-WTF's CSRF check requires a
same-origin Referer, and `no-referrer` would refuse every form in production.
"""
from flask import Flask, request

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")

HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}
# Pages that show a household's answers or code are never cached by the browser or a proxy.
# Staff pages and the summary API too: a commune computer is shared, its back button must show nothing.
PRIVATE_PREFIXES = ("/s/", "/c/", "/staff", "/api/", "/tra-loi")


def add_security_headers(response):
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    if request.path.startswith(PRIVATE_PREFIXES):
        response.headers["Cache-Control"] = "no-store"
    elif request.path.startswith("/static/") and request.args.get("v"):
        # asset_url() puts the file's hash in ?v=, so the file can be cached for a year.
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


def init_app(app: Flask) -> None:
    app.after_request(add_security_headers)
