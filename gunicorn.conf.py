"""gunicorn settings for `make run` and the Procfile (both pass --bind).

Slow clients: a threaded worker gives each connection a thread while it reads the request, so a client
sending a byte a second holds one thread. With many threads per worker, ten (or fifty) such clients take
a few threads and everyone else is still served; in production a buffering reverse proxy (nginx, see
docs/deploy.md) reads whole requests before gunicorn sees them, so no thread waits on a phone at all.
benchmarks/slow_clients.py proves the first half on loopback.

Privacy: the access log masks invitation codes in paths and referers (survey_app.logs.AccessLogger).
"""
import os

from survey_app.logs import access_logger_class

workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
# Threads mostly wait (on the database, on the network): 32 per worker cost little memory and keep a
# handful of stalled connections from starving the pool. The CPU-bound share is bounded by the GIL anyway.
threads = int(os.environ.get("GUNICORN_THREADS", "32"))
timeout = 30  # a worker stuck for 30 s is restarted
graceful_timeout = 20
keepalive = 5  # idle kept-alive connections wait in the poller, not in a thread, and close after 5 s
limit_request_line = 4094
limit_request_fields = 60
limit_request_field_size = 8190

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
# Method and path only: no query string (nothing a resident types should ever be in one, and this makes
# sure), no referer, no user agent (it fingerprints residents); codes in the path are masked.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'
logger_class = access_logger_class()


def post_worker_init(worker):
    """Prepare the chat webhook before the worker takes requests (bots.webhooks.warm_up).
    A worker that cannot reach the database now still starts: its first requests pay instead."""
    app = worker.wsgi
    if "bots" not in getattr(app, "blueprints", {}):  # another app under this config (benchmarks' bare one)
        return
    try:
        from bots.webhooks import warm_up
        from survey_app.extensions import db

        with app.app_context():
            try:
                warm_up()
            finally:
                db.session.remove()
    except Exception:  # never keep a worker from serving
        worker.log.exception("warm-up failed; the first requests will be slower")
