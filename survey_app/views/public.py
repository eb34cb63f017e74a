"""Public results (công khai): published campaigns of a commune, counts and rates only, no personal data."""
from flask import Blueprint, abort, render_template
from sqlalchemy import select

from ..extensions import db
from ..models import AdminUnit, Campaign, CampaignStatus, UnitLevel
from ..services.reports import campaign_summary, hamlet_breakdown

bp = Blueprint("public", __name__)


@bp.get("/cong-khai/<commune_code>")
def results(commune_code: str):
    """The commune's published results, newest campaign first."""
    commune = db.session.execute(select(AdminUnit).where(
        AdminUnit.level == UnitLevel.COMMUNE, AdminUnit.code == commune_code
    ).order_by(AdminUnit.valid_from.desc())).scalars().first()
    if commune is None:
        abort(404)
    campaigns = db.session.execute(select(Campaign).where(
        Campaign.commune_id == commune.id, Campaign.status == CampaignStatus.PUBLISHED
    ).order_by(Campaign.closes_on.desc())).scalars().all()
    published = [(c, campaign_summary(c), hamlet_breakdown(c)) for c in campaigns]
    return render_template("public/results.html", commune=commune, published=published)


from . import public_print  # noqa: E402,F401  (the poster and open-data routes attach to bp)
