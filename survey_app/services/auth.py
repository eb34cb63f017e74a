"""Who the signed-in staff member is, and which units they may see."""
from __future__ import annotations

from flask import g, session

from ..extensions import db
from ..models import AdminUnit, StaffRole, StaffUser

SESSION_KEY = "staff_id"


def current_staff() -> StaffUser | None:
    if "staff" not in g:
        staff_id = session.get(SESSION_KEY)
        user = db.session.get(StaffUser, staff_id) if staff_id else None
        g.staff = user if user is not None and user.active else None
    return g.staff


def can_see(user: StaffUser | None, unit: AdminUnit) -> bool:
    """Admins see all; others see their own unit and everything below it."""
    if user is None:
        return False
    if user.role == StaffRole.ADMIN:
        return True
    node = unit
    while node is not None:
        if node.id == user.unit_id:
            return True
        node = node.parent
    # A commune merged on 1/7/2025 is read by its successor's staff.
    return unit.merged_into is not None and can_see(user, unit.merged_into)


def current_staff_can_see(unit: AdminUnit) -> bool:
    return can_see(current_staff(), unit)
