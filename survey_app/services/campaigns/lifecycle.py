"""Campaigns (đợt lấy ý kiến) of a commune: creating them and moving them draft → open → closed → published.

Each function owns its transaction and leaves an audit row beside the change it makes. Opening fixes the
households the campaign counts (a household given a code later joins them: `codes.generate_codes`); publishing
freezes every figure, so nothing done afterwards (a household import, a household marked inactive, a late paper
form) moves what residents were told.
"""
from __future__ import annotations

import re
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from survey_app.errors import DomainError
from survey_app.extensions import db
from survey_app.models import AdminUnit, Campaign, CampaignMode, CampaignStatus, UnitLevel, VerdictRule
from survey_app.models._common import utcnow
from survey_app.models.campaign import PURPOSES
from survey_app.services.reports.public_figures import freeze
from survey_app.services.reports.summary import opening_household_counts
from survey_app.services.staff import audit
from survey_app.services.survey.reference import questionnaire_by_key
from survey_app.text import strip_diacritics

DEFAULT_QUESTIONNAIRE = "xa-ntm-2026-2030-v2"

# A refused step names the campaign's state, then what the step needs (_refuse).
_STATE = {CampaignStatus.DRAFT: _l("Đợt lấy ý kiến còn là bản nháp"),
          CampaignStatus.OPEN: _l("Đợt lấy ý kiến đang mở"),
          CampaignStatus.CLOSED: _l("Đợt lấy ý kiến đã đóng"),
          CampaignStatus.PUBLISHED: _l("Đợt lấy ý kiến đã công bố kết quả")}
_ONLY = {"opened": lambda state: _l("%(state)s: chỉ mở được đợt còn là bản nháp.", state=state),
         "closed": lambda state: _l("%(state)s: chỉ đóng được đợt đang mở.", state=state),
         "published": lambda state: _l("%(state)s: chỉ công bố được đợt đã đóng.", state=state),
         "changed": lambda state: _l("%(state)s: không sửa được nữa.", state=state),
         "coded": lambda state: _l("%(state)s: không cấp thêm mã.", state=state)}
_NEGATIVE_FORMS = _l("Số phiếu phát ra không được là số âm.")


def slugify(text: str) -> str:
    """'Xã Cẩm Xuyên 2026' → 'xa-cam-xuyen-2026'."""
    text = strip_diacritics(text).lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:70]


def current_commune(code: str) -> AdminUnit | None:
    stmt = select(AdminUnit).where(AdminUnit.level == UnitLevel.COMMUNE, AdminUnit.code == code,
                                   AdminUnit.valid_to.is_(None))
    return db.session.execute(stmt).scalar_one_or_none()


def commune_for_dates(code: str, opens_on: date, closes_on: date) -> AdminUnit:
    """The commune bearing `code` whose validity holds the whole campaign, or a DomainError saying why not."""
    units = db.session.execute(select(AdminUnit).where(
        AdminUnit.level == UnitLevel.COMMUNE, AdminUnit.code == code).order_by(AdminUnit.valid_from)).scalars().all()
    if not units:
        raise DomainError(_l("Không tìm thấy xã, phường nào mang mã %(code)s.", code=code))
    for unit in units:
        if unit.valid_from <= opens_on and (unit.valid_to is None or closes_on <= unit.valid_to):
            return unit
    spans = ", ".join(f"{_day(u.valid_from)} – {_day(u.valid_to) if u.valid_to else '…'}" for u in units)
    raise DomainError(_l("Đợt lấy ý kiến (%(opens)s – %(closes)s) không nằm trọn trong thời gian xã, phường mã "
                         "%(code)s tồn tại (%(spans)s).",
                         opens=_day(opens_on), closes=_day(closes_on), code=code, spans=spans))


def _day(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def create_campaign(*, commune_code: str, questionnaire_key: str = DEFAULT_QUESTIONNAIRE, name: str,
                    opens_on: date, closes_on: date, threshold: float = 0.90,
                    mode: str = CampaignMode.HOUSEHOLD_CODES, purpose: str = "cong_nhan",
                    status: str = CampaignStatus.DRAFT, slug: str | None = None, organiser: str = "",
                    verdict_rule: str = VerdictRule.OVERALL, min_coverage: float = 0.70,
                    forms_issued: int | None = None, allow_non_rural: bool = False,
                    staff_user_id: int | None = None) -> Campaign:
    """Validate and store a campaign (draft, or open at once) in one transaction."""
    if closes_on < opens_on:
        raise DomainError(_l("Ngày kết thúc phải sau ngày bắt đầu."))
    commune = commune_for_dates(commune_code, opens_on, closes_on)
    if not commune.is_rural_commune and not allow_non_rural:
        raise DomainError(_l("%(name)s là %(kind)s, không phải xã: chỉ xã mới lấy ý kiến về nông thôn mới "
                             "(muốn vẫn tạo thì thêm --allow-non-rural).",
                             name=commune.name, kind=commune.division_type or _l("đơn vị hành chính")))
    questionnaire = questionnaire_by_key(questionnaire_key)
    if questionnaire is None:
        raise DomainError(_l("Không có bộ câu hỏi %(key)s.", key=questionnaire_key))
    if not 0 < threshold <= 1:
        raise DomainError(_l("Ngưỡng hài lòng phải là một tỉ lệ lớn hơn 0 và không quá 1, ví dụ 0.9."))
    if not 0 <= min_coverage <= 1:
        raise DomainError(_l("Mức thu phiếu tối thiểu phải là một tỉ lệ từ 0 đến 1, ví dụ 0.7."))
    if forms_issued is not None and forms_issued < 0:
        raise DomainError(_NEGATIVE_FORMS)
    if verdict_rule not in VerdictRule.ALL:
        raise DomainError(f"verdict rule must be one of {', '.join(VerdictRule.ALL)}")
    if mode not in CampaignMode.ALL or purpose not in PURPOSES:
        raise DomainError("unknown mode or purpose")
    if status not in (CampaignStatus.DRAFT, CampaignStatus.OPEN):
        raise DomainError("a new campaign is a draft or open; close and publish it afterwards")
    slug = slug or slugify(f"{commune.name} {opens_on.year} {opens_on.month:02d}")
    base, n = slug, 2
    while db.session.execute(select(Campaign.id).where(Campaign.slug == slug)).first():
        slug, n = f"{base}-{n}", n + 1
    campaign = Campaign(
        slug=slug, name=name, commune=commune, questionnaire=questionnaire, opens_on=opens_on,
        closes_on=closes_on, threshold=threshold, mode=mode, purpose=purpose, status=CampaignStatus.DRAFT,
        organiser=organiser or f"Ban Công tác Mặt trận {commune.name}", verdict_rule=verdict_rule,
        min_coverage=min_coverage, forms_issued=forms_issued,
    )
    db.session.add(campaign)
    db.session.flush()
    if staff_user_id is not None:  # seeding and commands create without a staff member
        audit.record(staff_user_id, "campaign.create", "campaign", campaign.id, status=status)
    if status == CampaignStatus.OPEN:
        _open(campaign, staff_user_id, audited=staff_user_id is not None)
    db.session.commit()
    return campaign


def load_campaign(campaign_id: int) -> Campaign:
    """The campaign, or a DomainError naming the number that has none (commands take it as typed)."""
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None:
        raise DomainError(_l("Không có đợt lấy ý kiến số %(id)s.", id=campaign_id))
    return campaign


def refusal(campaign: Campaign, action: str):
    """Why `action` ("opened", "closed", "published", "changed", "coded") cannot be done in the campaign's state."""
    return _ONLY[action](_STATE[campaign.status])


def _refuse(campaign: Campaign, action: str, allowed: tuple[str, ...]) -> None:
    if campaign.status not in allowed:
        raise DomainError(refusal(campaign, action))


def _open(campaign: Campaign, staff_user_id: int | None, audited: bool = True) -> None:
    campaign.household_counts = opening_household_counts(campaign)
    campaign.status, campaign.opened_at = CampaignStatus.OPEN, utcnow()
    if audited:
        audit.record(staff_user_id, "campaign.open", "campaign", campaign.id,
                     households=sum(campaign.household_counts.values()))


def open_campaign(campaign_id: int, *, staff_user_id: int | None = None) -> Campaign:
    """draft → open: fix the households the campaign counts (later imports do not move its coverage).

    A hamlet counts its households that are active or hold a code of this campaign
    (`reports.opening_household_counts`).
    """
    campaign = load_campaign(campaign_id)
    _refuse(campaign, "opened", (CampaignStatus.DRAFT,))
    _open(campaign, staff_user_id)
    db.session.commit()
    return campaign


def close_campaign(campaign_id: int, *, staff_user_id: int | None = None) -> Campaign:
    """open → closed: no more answers from any channel; figures are still those of the database."""
    campaign = load_campaign(campaign_id)
    _refuse(campaign, "closed", (CampaignStatus.OPEN,))
    campaign.status, campaign.closed_at = CampaignStatus.CLOSED, utcnow()
    if campaign.household_counts is None:  # opened before households were fixed at open
        campaign.household_counts = opening_household_counts(campaign)
    audit.record(staff_user_id, "campaign.close", "campaign", campaign.id)
    db.session.commit()
    return campaign


def publish_campaign(campaign_id: int, *, staff_user_id: int | None = None) -> Campaign:
    """closed → published (công khai): freeze every figure; the public page and API serve them from now on."""
    campaign = load_campaign(campaign_id)
    _refuse(campaign, "published", (CampaignStatus.CLOSED,))
    if campaign.household_counts is None:
        campaign.household_counts = opening_household_counts(campaign)
    campaign.frozen_figures = freeze(campaign)
    summary = campaign.frozen_figures["summary"]
    campaign.status, campaign.published_at = CampaignStatus.PUBLISHED, utcnow()
    audit.record(staff_user_id, "campaign.publish", "campaign", campaign.id, returned=summary["returned"],
                 valid=summary["valid"], overall_rate=summary["overall_rate"], meets=summary["meets_threshold"])
    db.session.commit()
    return campaign


def record_forms_issued(campaign_id: int, forms: int, *, staff_user_id: int | None = None) -> Campaign:
    """Paper forms handed out by hand, beside the invitation codes (phát ra); not after publication."""
    campaign = load_campaign(campaign_id)
    _refuse(campaign, "changed", (CampaignStatus.DRAFT, CampaignStatus.OPEN, CampaignStatus.CLOSED))
    if forms < 0:
        raise DomainError(_NEGATIVE_FORMS)
    campaign.forms_issued = forms
    audit.record(staff_user_id, "campaign.forms_issued", "campaign", campaign.id, forms=forms)
    db.session.commit()
    return campaign


def campaigns_of_units(unit_ids, *, status: str | None = None) -> list[Campaign]:
    """Campaigns of the given communes (e.g. a unit and its merged predecessors), newest first."""
    stmt = select(Campaign).where(Campaign.commune_id.in_(list(unit_ids)))
    if status:
        stmt = stmt.where(Campaign.status == status)
    return list(db.session.execute(stmt.order_by(Campaign.closes_on.desc(), Campaign.id.desc())).scalars())

