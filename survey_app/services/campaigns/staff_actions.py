"""What commune managers do to a campaign from the staff pages, each as one audited transaction,
and the turnout per hamlet (one statement of grouped counts, over the households the campaign counts)."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, select

from survey_app.errors import DomainError
from survey_app.extensions import db
from survey_app.models import AdminUnit, Campaign, CampaignStatus, Household, InvitationCode, Response, UnitLevel
from survey_app.services.campaigns.codes import generate_codes
from survey_app.services.campaigns.lifecycle import create_campaign
from survey_app.services.staff.audit import record

_NOT_RURAL = _l("Chỉ xã (không phải phường, đặc khu) mới lấy ý kiến về nông thôn mới.")


def create_for_commune(commune: AdminUnit, *, staff_user_id: int, **fields) -> Campaign:
    """A draft campaign for a rural commune (xã); urban wards (phường) are not surveyed for NTM."""
    if not commune.is_rural_commune:
        raise DomainError(_NOT_RURAL)
    campaign = create_campaign(commune_code=commune.code, status=CampaignStatus.DRAFT, **fields)
    # create_campaign commits on its own (it is shared with the CLI); the audit row follows at once.
    record(staff_user_id, "campaign.create", "campaign", campaign.id, commune=commune.code, name=campaign.name,
           opens_on=campaign.opens_on.isoformat(), closes_on=campaign.closes_on.isoformat(),
           threshold=campaign.threshold, mode=campaign.mode)
    db.session.commit()
    return campaign


def generate_codes_for(campaign: Campaign, *, staff_user_id: int) -> int:
    """Codes for every household without one (none once the campaign is closed); audited in the same commit."""
    try:
        return generate_codes(campaign, staff_user_id=staff_user_id)
    except Exception:
        db.session.rollback()
        raise


@dataclass(frozen=True)
class HamletTurnout:
    """One hamlet's row: `households` is what the campaign counts (as the report), `live_households` the
    active households on the list today; they are the same for a draft."""

    hamlet_id: int
    name: str
    households: int
    live_households: int
    codes: int
    returned: int
    valid: int

    @property
    def list_changed(self) -> bool:
        """The hamlet's list of households no longer matches what the campaign counts (changed since opening)."""
        return self.live_households != self.households

    @property
    def coverage(self) -> float | None:
        return self.returned / self.households if self.households else None


def turnout_by_hamlet(campaign: Campaign) -> list[HamletTurnout]:
    """Households (counted and live), codes issued, forms returned and valid per hamlet, counted in SQL.

    Once the campaign has opened, its households are those fixed then (`Campaign.household_counts`), so the
    page and the report divide by the same number; a draft counts the households on the list now.
    """
    households = (select(Household.hamlet_id, func.count().label("n"))
                  .where(Household.active.is_(True)).group_by(Household.hamlet_id).subquery())
    codes = (select(Household.hamlet_id, func.count().label("n"))
             .join(InvitationCode, InvitationCode.household_id == Household.id)
             .where(InvitationCode.campaign_id == campaign.id).group_by(Household.hamlet_id).subquery())
    responses = (select(Response.hamlet_id, func.count().label("returned"),
                        func.coalesce(func.sum(case((Response.is_valid, 1), else_=0)), 0).label("valid"))
                 .where(Response.campaign_id == campaign.id).group_by(Response.hamlet_id).subquery())
    stmt = (
        select(AdminUnit.id, AdminUnit.name,
               func.coalesce(households.c.n, 0), func.coalesce(codes.c.n, 0),
               func.coalesce(responses.c.returned, 0), func.coalesce(responses.c.valid, 0))
        .outerjoin(households, households.c.hamlet_id == AdminUnit.id)
        .outerjoin(codes, codes.c.hamlet_id == AdminUnit.id)
        .outerjoin(responses, responses.c.hamlet_id == AdminUnit.id)
        .where(AdminUnit.parent_id == campaign.commune_id, AdminUnit.level == UnitLevel.HAMLET)
        .order_by(AdminUnit.code, AdminUnit.name)
    )
    counted = campaign.household_counts
    return [HamletTurnout(hamlet_id, name, live if counted is None else counted.get(str(hamlet_id), 0), live,
                          codes, returned, valid)
            for hamlet_id, name, live, codes, returned, valid in db.session.execute(stmt)]
