"""The staff blueprint (/staff), in its own module: the view modules attach their routes to it and
survey_app.staff imports them, so no view module imports the package that imports it."""
from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/staff")
