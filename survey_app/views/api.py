"""JSON API: campaign summaries (published campaigns public, others for staff)."""
from flask import Blueprint, abort, jsonify

from ..extensions import db
from ..models import Campaign, CampaignStatus
from ..services.auth import current_staff_can_see
from ..services.reports import campaign_summary

MAX_ID = 2**31 - 1

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.get("/campaigns/<int:campaign_id>/summary")
def summary(campaign_id: int):
    """Counts and satisfaction rates of one campaign."""
    if campaign_id > MAX_ID:  # beyond the database integer: no such campaign (was a 500)
        abort(404)
    campaign = db.get_or_404(Campaign, campaign_id)
    if campaign.status != CampaignStatus.PUBLISHED and not current_staff_can_see(campaign.commune):
        abort(403)
    return jsonify(campaign_summary(campaign))
