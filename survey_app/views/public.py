"""Public results (công khai): published campaigns of a commune, counts and rates only, no personal data."""
from flask import Blueprint, abort, render_template

from ..services.public_results import published_campaigns_for_code

bp = Blueprint("public", __name__)


@bp.get("/cong-khai/<commune_code>")
def results(commune_code: str):
    """The commune's published results (its merged predecessors' too), newest campaign first."""
    commune, published = published_campaigns_for_code(commune_code)
    if commune is None:
        abort(404)
    return render_template("public/results.html", commune=commune, published=published)


from . import public_print  # noqa: E402,F401  (the poster and open-data routes attach to bp)
