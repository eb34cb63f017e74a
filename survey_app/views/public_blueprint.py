"""The public blueprint (công khai), in its own module: the results pages (views.public) and the poster and
open data (views.public_print) both attach their routes to it, and neither imports the other for it."""
from flask import Blueprint

bp = Blueprint("public", __name__)
