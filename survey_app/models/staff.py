"""Staff accounts scoped to a unit, and the audit log of their actions."""
from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ._common import utcnow
from .units import AdminUnit


class StaffRole:
    ADMIN = "admin"  # everything, everywhere
    PROVINCE = "province"  # compares communes of one province, read-only on residents' data
    COMMUNE = "commune"  # commune manager (Front committee): campaigns, codes, paper forms, publishing
    STAFF = "commune_staff"  # commune staff: the feedback queue of their commune

    ALL = (ADMIN, PROVINCE, COMMUNE, STAFF)


class StaffUser(db.Model):
    __tablename__ = "staff_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    full_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(16), default=StaffRole.COMMUNE)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("admin_unit.id"))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Changes on sign-out, password change and disabling: every copied session cookie stops working.
    session_token: Mapped[str | None] = mapped_column(String(64))

    unit: Mapped[AdminUnit | None] = relationship()

    # Flask-Login's user interface: the id it stores is "<id>:<session_token>", so revoking is one UPDATE.
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    def new_session_token(self) -> None:
        self.session_token = secrets.token_hex(16)

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)
        self.new_session_token()

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)


class AuditLog(db.Model):
    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_object", "object_type", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_user_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"), index=True)
    action: Mapped[str] = mapped_column(String(60))
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[str | None] = mapped_column(String(40))
    # The commune the object belongs to, so a commune's history is one indexed filter.
    commune_id: Mapped[int | None] = mapped_column(ForeignKey("admin_unit.id"))
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
