"""Invitation codes: unguessable (40 bits) yet easy to type and to read aloud.

Crockford's base-32 alphabet leaves out I, L, O and U, so a resident who types O for 0 or
I/L for 1 still lands on the right code. Eight symbols × 5 bits = 40 bits of entropy.
"""
from __future__ import annotations

import re
import secrets
from collections import Counter
from collections.abc import Callable, Iterable

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from survey_app.errors import DomainError
from survey_app.extensions import db
from survey_app.models import AdminUnit, Campaign, Household, InvitationCode
from survey_app.services.campaigns.lifecycle import refusal
from survey_app.services.staff import audit
from survey_app.text import clean_line

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 8
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_NOT_CODE = re.compile(r"[\s\-_.·]+")


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def canonical(typed: str) -> str | None:
    """'k7qm 3xpa', 'K7QM-3XPA', 'K7QM3XPA' → 'K7QM3XPA'; None when it cannot be a code."""
    cleaned = _NOT_CODE.sub("", clean_line(typed).upper()).translate(_LOOKALIKES)
    if len(cleaned) != CODE_LENGTH or any(ch not in ALPHABET for ch in cleaned):
        return None
    return cleaned


def find_code(typed: str) -> InvitationCode | None:
    """The invitation for a typed code (forgiving, as `canonical`), or None."""
    code = canonical(typed)
    if code is None:
        return None
    return db.session.execute(select(InvitationCode).where(InvitationCode.code == code)).scalar_one_or_none()


def display(code: str) -> str:
    """K7QM3XPA → K7QM-3XPA, as printed on the slip."""
    return f"{code[:4]}-{code[4:]}"


def households_without_code(campaign: Campaign) -> list[Household]:
    has_code = select(InvitationCode.household_id).where(InvitationCode.campaign_id == campaign.id)
    stmt = (
        select(Household)
        .join(AdminUnit, Household.hamlet_id == AdminUnit.id)
        .where(AdminUnit.parent_id == campaign.commune_id, Household.active.is_(True))
        .where(Household.id.not_in(has_code))
        .order_by(AdminUnit.name, Household.number)
    )
    return list(db.session.execute(stmt).scalars())


def generate_codes(campaign: Campaign, progress: Callable[[int, int], None] | None = None, *,
                   staff_user_id: int | None = None) -> int:
    """Give every active household of the campaign's commune a code it does not have yet; one transaction.

    Only a draft or open campaign gives codes. A household an open campaign does not count yet (imported
    after it opened) joins its households with its code. The audit row, for a staff member's action or
    whenever the households counted change, commits with the codes.
    """
    _lock(campaign)
    if not campaign.issues_codes:
        raise DomainError(refusal(campaign, "coded"))
    households = households_without_code(campaign)
    added = _count_newcomers(campaign, households)
    for done, household in enumerate(households, start=1):
        _add_unique_code(campaign, household)
        if progress and (done % 200 == 0 or done == len(households)):
            progress(done, len(households))
    if staff_user_id is not None or added:
        counted = campaign.household_counts
        audit.record(staff_user_id, "codes.generate", "campaign", campaign.id, generated=len(households),
                     households_added=added, households=None if counted is None else sum(counted.values()))
    db.session.commit()
    return len(households)


def _lock(campaign: Campaign) -> None:
    """Re-read the campaign and hold it until commit: a close, or codes issued at the same time, waits."""
    db.session.execute(select(Campaign).where(Campaign.id == campaign.id).with_for_update()
                       .execution_options(populate_existing=True))


def _count_newcomers(campaign: Campaign, households: list[Household]) -> dict[str, int]:
    """Add the households about to get a code to the households the campaign counts: {hamlet_id: added}.

    Opening fixed how many households each hamlet has, not which ones; so a hamlet's count grows by as
    many as its code holders would outnumber it (households imported after opening, a new hamlet).
    Every household that can answer is then counted, and coverage never passes 100 % through late codes.
    A draft counts live households: nothing to add.
    """
    if campaign.household_counts is None:
        return {}
    holders = dict(db.session.execute(
        select(Household.hamlet_id, func.count(InvitationCode.id))
        .join(InvitationCode, InvitationCode.household_id == Household.id)
        .where(InvitationCode.campaign_id == campaign.id).group_by(Household.hamlet_id)
    ).all())
    counts, added = dict(campaign.household_counts), {}
    for hamlet_id, newcomers in Counter(h.hamlet_id for h in households).items():
        key = str(hamlet_id)
        beyond = holders.get(hamlet_id, 0) + newcomers - counts.get(key, 0)
        if beyond > 0:
            counts[key], added[key] = counts.get(key, 0) + beyond, beyond
    if added:
        campaign.household_counts = counts  # a new dict: the JSON column does not see changes inside one
    return added


def _add_unique_code(campaign: Campaign, household: Household, attempts: int = 5) -> InvitationCode:
    for _ in range(attempts):
        try:
            with db.session.begin_nested():
                invitation = InvitationCode(code=new_code(), campaign_id=campaign.id, household_id=household.id)
                db.session.add(invitation)
            return invitation
        except IntegrityError:  # a collision among 2^40 codes: draw again
            continue
    raise RuntimeError("could not draw a unique invitation code")


def unused_codes(campaign: Campaign) -> Iterable[str]:
    stmt = (
        select(InvitationCode.code)
        .where(InvitationCode.campaign_id == campaign.id, InvitationCode.used_at.is_(None))
        .order_by(InvitationCode.id)
    )
    return [display(c) for c in db.session.execute(stmt).scalars()]
