"""Staff area (/staff): sign-in, campaigns in scope, the feedback queue, accounts and the audit log."""
from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/staff")

from . import accounts, campaigns, feedback, outbox, paper_slips, rehearsal, reports, views  # noqa: E402,F401
from .replies import bp as replies_bp  # noqa: E402,F401  (public: residents read replies)
