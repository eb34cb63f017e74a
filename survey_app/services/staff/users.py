"""Staff accounts."""
from __future__ import annotations

import math
import secrets

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from survey_app.auth import login_wait, unlock_login
from survey_app.errors import DomainError
from survey_app.extensions import db
from survey_app.models import AdminUnit, StaffRole, StaffUser
from survey_app.services.staff.audit import record
from survey_app.services.units.catalogue import current_unit


def generate_password() -> str:
    return secrets.token_urlsafe(12)


def create_or_reset_user(username: str, *, role: str, unit: AdminUnit | None, password: str | None = None,
                         full_name: str = "") -> tuple[StaffUser, str]:
    """Create the account, or reset its password and scope if it exists. Returns (user, password)."""
    if role not in StaffRole.ALL:
        raise DomainError(f"role must be one of {', '.join(StaffRole.ALL)}")
    if role != StaffRole.ADMIN and unit is None:
        raise DomainError(_l("Tài khoản cán bộ tỉnh hoặc xã cần gắn với một đơn vị."))
    password = password or generate_password()
    if len(password) < 10:
        raise DomainError(_l("Mật khẩu cần ít nhất 10 ký tự."))
    user = db.session.execute(select(StaffUser).where(StaffUser.username == username)).scalar_one_or_none()
    if user is None:
        user = StaffUser(username=username)
        db.session.add(user)
    user.role, user.unit, user.full_name = role, unit, full_name or user.full_name or ""
    user.set_password(password)
    db.session.commit()
    return user, password


def change_password(user: StaffUser, new_password: str, *, by: StaffUser | None = None) -> None:
    """Set a new password (at least 10 characters); every other session of the account ends."""
    if len(new_password) < 10:
        raise DomainError(_l("Mật khẩu cần ít nhất 10 ký tự."))
    user.set_password(new_password)
    record((by or user).id, "password_change", "staff_user", user.id)
    db.session.commit()


def create_account(by: StaffUser, username: str, *, role: str, unit_code: str | None,
                   full_name: str = "") -> tuple[StaffUser, str]:
    """An admin creates an account (never resets an existing one here); returns (user, generated password)."""
    if db.session.execute(select(StaffUser.id).where(StaffUser.username == username)).first():
        raise DomainError(_l("Tên đăng nhập này đã có."))
    unit = None
    if role != StaffRole.ADMIN:
        level = "province" if role == StaffRole.PROVINCE else "commune"
        unit = current_unit(level, (unit_code or "").strip())
        if unit is None:
            raise DomainError(_l("Không tìm thấy đơn vị với mã này."))
    password = generate_password()
    user = StaffUser(username=username, role=role, unit=unit, full_name=full_name or "")
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    record(by.id, "account_create", "staff_user", user.id, after={"username": username, "role": role,
                                                                  "unit_id": unit.id if unit else None})
    db.session.commit()
    return user, password


def set_active(by: StaffUser, user_id: int, active: bool) -> StaffUser:
    """Enable or disable an account; disabling ends its sessions at once."""
    user = db.session.get(StaffUser, user_id)
    if user is None:
        raise DomainError(_l("Không tìm thấy tài khoản."))
    if user.id == by.id and not active:
        raise DomainError(_l("Không thể tự khóa tài khoản của mình."))
    before = user.active
    user.active = active
    user.new_session_token()
    record(by.id, "account_enable" if active else "account_disable", "staff_user", user.id,
           before={"active": before}, after={"active": active})
    db.session.commit()
    return user


def list_accounts() -> list[StaffUser]:
    return db.session.execute(select(StaffUser).order_by(StaffUser.username)).scalars().all()


def unlock(by: StaffUser | None, user_id: int, *, via: str = "accounts_page") -> StaffUser:
    """Let an account sign in again at once after too many wrong passwords (an admin, or the CLI: by=None)."""
    user = db.session.get(StaffUser, user_id)
    if user is None:
        raise DomainError(_l("Không tìm thấy tài khoản."))
    unlock_login(user.username)
    record(by.id if by else None, "account_unlock", "staff_user", user.id, via=via)
    db.session.commit()
    return user


def unlock_by_name(username: str) -> StaffUser:
    """`flask users unlock NAME`."""
    user_id = db.session.execute(select(StaffUser.id).where(StaffUser.username == username)).scalar_one_or_none()
    if user_id is None:
        raise DomainError(_l("Không tìm thấy tài khoản."))
    return unlock(None, user_id, via="cli")


def sign_in_locks(accounts: list[StaffUser]) -> dict[int, int]:
    """Minutes each locked account must still wait, by account id (unlocked accounts are left out)."""
    waits = {a.id: login_wait(a.username) for a in accounts}
    return {user_id: math.ceil(wait / 60) for user_id, wait in waits.items() if wait}
