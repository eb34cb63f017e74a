"""Health check and the front door."""
from flask import Blueprint, jsonify, render_template
from sqlalchemy import text

from ..extensions import db

bp = Blueprint("main", __name__)


@bp.get("/healthz")
def healthz():
    """Liveness and database reachability, for load balancers and operators."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - report any database failure as unhealthy
        db.session.rollback()
        return jsonify(status="error", database=type(exc).__name__), 503
    return jsonify(status="ok", database="ok")


@bp.get("/")
def index():
    """Home page: one box to type the code from the slip."""
    return render_template("main/index.html")
