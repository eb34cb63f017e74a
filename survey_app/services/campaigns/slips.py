"""Invitation slips (phiếu mời): each household's code with QR codes for the web, Telegram and Zalo.

The QR codes are drawn by `segno` as inline SVG (vector, so they print sharp in black and white, and
need no image requests or network). Links are absolute: a slip is read by a phone that never saw
this server, so it needs the public address (PUBLIC_BASE_URL, or the address staff reached it by).
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

import segno
from sqlalchemy import func, select

from survey_app.extensions import db
from survey_app.models import AdminUnit, Campaign, Household, InvitationCode
from survey_app.services.campaigns.codes import display


@dataclass(frozen=True)
class QrLink:
    kind: str  # "web", "telegram" or "zalo"
    url: str
    svg: str


@dataclass(frozen=True)
class Slip:
    code: str  # as printed: K7QM-3XPA
    hamlet: str
    household_number: str
    head_name: str | None
    used: bool
    links: tuple[QrLink, ...]


def qr_svg(url: str) -> str:
    """A QR code as an inline <svg> scaled by CSS (viewBox only), black on white."""
    qr = segno.make(url, error="m", boost_error=False)
    return qr.svg_inline(scale=1, border=2, omitsize=True, svgclass="qr", lineclass=None, dark="#000",
                         light="#fff", title=url)


def channel_links(code: str, *, base_url: str, telegram_bot: str | None = None,
                  zalo_oa_url: str | None = None) -> list[tuple[str, str]]:
    """(kind, url) for every channel configured: always the web page, Telegram and Zalo when set.

    Zalo has no documented deep link that carries a payload into an OA chat, so the Zalo QR opens
    the Official Account and the resident types the code printed beside it.
    """
    links = [("web", f"{base_url.rstrip('/')}/s/{code}")]
    if telegram_bot:
        links.append(("telegram", f"https://t.me/{quote(telegram_bot.lstrip('@'))}?start={code}"))
    if zalo_oa_url:
        links.append(("zalo", zalo_oa_url))
    return links


def zalo_url(oa_url: str | None, oa_id: str | None) -> str | None:
    """ZALO_OA_URL as given, else the OA's public page from ZALO_OA_ID."""
    if oa_url:
        return oa_url
    return f"https://zalo.me/{quote(oa_id)}" if oa_id else None


PER_PAGE = 160  # 20 A4 sheets: drawing a QR code takes ~10 ms (segno picks the most readable mask)


def slips_for(campaign: Campaign, *, base_url: str, hamlet_id: int | None = None, unused_only: bool = False,
              telegram_bot: str | None = None, zalo_oa_url: str | None = None,
              page: int = 1, per_page: int = PER_PAGE) -> tuple[list[Slip], int]:
    """One page of the campaign's slips ordered by hamlet and household number (optionally of one hamlet),
    and the number of pages."""
    stmt = (
        select(InvitationCode.code, InvitationCode.used_at, AdminUnit.name, Household.number, Household.head_name)
        .join(Household, InvitationCode.household_id == Household.id)
        .join(AdminUnit, Household.hamlet_id == AdminUnit.id)
        .where(InvitationCode.campaign_id == campaign.id)
        .order_by(AdminUnit.code, AdminUnit.name, Household.number)
    )
    if hamlet_id is not None:
        stmt = stmt.where(Household.hamlet_id == hamlet_id)
    if unused_only:
        stmt = stmt.where(InvitationCode.used_at.is_(None))
    total = db.session.execute(select(func.count()).select_from(stmt.order_by(None).subquery())).scalar_one()
    pages = max(1, -(-total // per_page))
    stmt = stmt.offset((min(max(page, 1), pages) - 1) * per_page).limit(per_page)
    zalo_svg = qr_svg(zalo_oa_url) if zalo_oa_url else None  # the same for every slip: draw it once
    slips = []
    for row in db.session.execute(stmt):
        links = tuple(
            QrLink(kind, url, zalo_svg if kind == "zalo" else qr_svg(url))
            for kind, url in channel_links(row.code, base_url=base_url, telegram_bot=telegram_bot,
                                           zalo_oa_url=zalo_oa_url)
        )
        slips.append(Slip(display(row.code), row.name, row.number, row.head_name, row.used_at is not None, links))
    return slips, pages
