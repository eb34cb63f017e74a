"""Administrative units (đơn vị hành chính) and households (hộ gia đình)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db


class UnitLevel:
    PROVINCE = "province"
    DISTRICT = "district"  # legacy grouping, abolished 1 July 2025
    COMMUNE = "commune"  # xã, phường or đặc khu
    HAMLET = "hamlet"  # thôn, xóm, ấp, bản, tổ dân phố

    ALL = (PROVINCE, DISTRICT, COMMUNE, HAMLET)


class AdminUnit(db.Model):
    """A node of the unit tree, valid for a period; merged units point at their successor."""

    __tablename__ = "admin_unit"
    __table_args__ = (UniqueConstraint("level", "code", "valid_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), index=True)
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(16), index=True)
    division_type: Mapped[str | None] = mapped_column(String(40))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("admin_unit.id"), index=True)
    valid_from: Mapped[date] = mapped_column(default=date(2025, 7, 1))
    valid_to: Mapped[date | None]
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("admin_unit.id"))

    parent: Mapped[AdminUnit | None] = relationship(
        remote_side=[id], foreign_keys=[parent_id], back_populates="children"
    )
    children: Mapped[list[AdminUnit]] = relationship(
        foreign_keys=[parent_id], back_populates="parent", order_by="AdminUnit.name"
    )
    merged_into: Mapped[AdminUnit | None] = relationship(remote_side=[id], foreign_keys=[merged_into_id])

    @property
    def is_rural_commune(self) -> bool:
        """Only xã are surveyed for NTM, not urban phường."""
        return self.level == UnitLevel.COMMUNE and (self.division_type or "").lower() == "xã"

    def __repr__(self) -> str:
        return f"<AdminUnit {self.level} {self.code} {self.name}>"


class Household(db.Model):
    """One household (hộ); the unit that answers. Head name is personal data: staff-only."""

    __tablename__ = "household"
    __table_args__ = (UniqueConstraint("hamlet_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    hamlet_id: Mapped[int] = mapped_column(ForeignKey("admin_unit.id"), index=True)
    number: Mapped[str] = mapped_column(String(32))
    head_name: Mapped[str | None] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(String(300))
    active: Mapped[bool] = mapped_column(default=True)

    hamlet: Mapped[AdminUnit] = relationship()
