"""Staff area (/staff): sign-in and the campaigns in the signed-in officer's scope."""
from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/staff")

from . import views  # noqa: E402,F401  (routes attach to bp)
from . import reports  # noqa: E402,F401
