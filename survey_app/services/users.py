"""Staff accounts."""
from __future__ import annotations

import secrets

from sqlalchemy import select

from ..errors import DomainError
from ..extensions import db
from ..models import AdminUnit, StaffRole, StaffUser


def generate_password() -> str:
    return secrets.token_urlsafe(12)


def create_or_reset_user(username: str, *, role: str, unit: AdminUnit | None, password: str | None = None,
                         full_name: str = "") -> tuple[StaffUser, str]:
    """Create the account, or reset its password and scope if it exists. Returns (user, password)."""
    if role not in StaffRole.ALL:
        raise DomainError(f"role must be one of {', '.join(StaffRole.ALL)}")
    if role != StaffRole.ADMIN and unit is None:
        raise DomainError("province and commune staff need a unit")
    password = password or generate_password()
    if len(password) < 10:
        raise DomainError("password must have at least 10 characters")
    user = db.session.execute(select(StaffUser).where(StaffUser.username == username)).scalar_one_or_none()
    if user is None:
        user = StaffUser(username=username)
        db.session.add(user)
    user.role, user.unit, user.full_name = role, unit, full_name or user.full_name or ""
    user.set_password(password)
    db.session.commit()
    return user, password
