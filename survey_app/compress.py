"""Gzip text responses in the app: gunicorn does not, and residents are on weak 3G signals.

Only when the client accepts gzip and the body is worth it (> 500 bytes). A reverse proxy that
already compresses will see Content-Encoding set and pass the response through.
"""
import gzip
import hashlib
import os

from flask import Flask, current_app, request, url_for

MIN_SIZE = 500
TEXT_TYPES = ("text/", "application/json", "application/javascript", "image/svg+xml")


def gzip_response(response):
    if (response.status_code != 200 or "Content-Encoding" in response.headers
            or "gzip" not in request.headers.get("Accept-Encoding", "").lower()
            or not (response.mimetype or "").startswith(TEXT_TYPES)):
        return response
    response.direct_passthrough = False  # static files are streamed from disk: read them (they are small)
    body = response.get_data()
    if len(body) < MIN_SIZE:
        return response
    response.set_data(gzip.compress(body, compresslevel=6, mtime=0))
    response.headers["Content-Encoding"] = "gzip"
    response.vary.add("Accept-Encoding")
    if response.headers.get("ETag"):
        etag, weak = response.get_etag()
        response.set_etag(etag + "-gz", weak)
    return response


def asset_url(filename: str) -> str:
    """url_for('static') with the file's content hash in ?v=, so browsers may cache it for a year."""
    urls = current_app.extensions.setdefault("hailong_asset_urls", {})
    key = (request.script_root, filename)
    if key not in urls:
        with open(os.path.join(current_app.static_folder, filename), "rb") as f:
            urls[key] = url_for("static", filename=filename, v=hashlib.sha256(f.read()).hexdigest()[:10])
    return urls[key]


def init_app(app: Flask) -> None:
    app.after_request(gzip_response)
    app.jinja_env.globals["asset_url"] = asset_url
