"""JSON API: campaign summaries (published campaigns public, others for staff who may read the campaign)."""
from flask import Blueprint, jsonify

from survey_app.services.reports.summary import campaign_summary

from ..extensions import db
from ..models import Campaign, CampaignStatus
from ..staff.access import campaign_in_scope

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.get("/campaigns/<int:campaign_id>/summary")
def summary(campaign_id: int):
    """Counts and satisfaction rates of one campaign (an unpublished one outside the caller's scope is 404)."""
    campaign = db.get_or_404(Campaign, campaign_id)
    if campaign.status != CampaignStatus.PUBLISHED:
        campaign_in_scope(campaign_id)
    return jsonify(campaign_summary(campaign))
