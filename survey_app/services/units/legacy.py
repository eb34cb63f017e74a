"""Units from before the 1 July 2025 reform (old districts, former communes) and their mergers, from a CSV/XLSX.

Columns: code, name, level, parent, valid_from, valid_to, merged_into. `parent` is the code of a unit in the
file or already stored (a province or an old district); `merged_into` the code of the commune it lives on in.
A 2024 campaign of a former commune is then reported under its successor and its old district. All rows or none.
"""
from __future__ import annotations

import unicodedata
from datetime import date
from pathlib import Path

from sqlalchemy import select

from survey_app.errors import ImportRowError
from survey_app.extensions import db
from survey_app.models import AdminUnit, UnitLevel
from survey_app.services.tabular import read_rows

ALIASES = {"ma": "code", "ten": "name", "cap": "level", "cha": "parent", "ma_cha": "parent", "tu_ngay": "valid_from",
           "den_ngay": "valid_to", "sap_nhap_vao": "merged_into", "merged_into_code": "merged_into"}
LEVELS = {"province": UnitLevel.PROVINCE, "tinh": UnitLevel.PROVINCE, "district": UnitLevel.DISTRICT,
          "huyen": UnitLevel.DISTRICT, "commune": UnitLevel.COMMUNE, "xa": UnitLevel.COMMUNE}
PREFIXES = ("thành phố", "thị trấn", "thị xã", "đặc khu", "phường", "huyện", "quận", "tỉnh", "xã")


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in text if not unicodedata.combining(ch)).lower().strip()


def division_type(name: str) -> str | None:
    """'Xã Cẩm Quang' → 'xã'; 'Huyện Cẩm Xuyên' → 'huyện'."""
    lowered = unicodedata.normalize("NFC", name).lower()
    return next((p for p in PREFIXES if lowered.startswith(p + " ")), None)


def _day(text: str, field: str, errors: list, row_number: int) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        errors.append(f"dòng {row_number}: {field} '{text}' không phải ngày YYYY-MM-DD")
        return None


def import_legacy_units(path: str | Path) -> dict[str, int]:
    """Add (or update) the file's units and link mergers; returns {"units": added, "mergers": linked}."""
    errors, rows = [], []
    for row_number, row in read_rows(path, ALIASES):
        code, name = row.get("code", "").strip(), unicodedata.normalize("NFC", row.get("name", "")).strip()
        level = LEVELS.get(_plain(row.get("level", "")))
        valid_from = _day(row.get("valid_from", ""), "valid_from", errors, row_number)
        valid_to = _day(row.get("valid_to", ""), "valid_to", errors, row_number)
        if not code or not name:
            errors.append(f"dòng {row_number}: thiếu mã (code) hoặc tên (name)")
        elif level is None:
            errors.append(f"dòng {row_number}: cấp (level) '{row.get('level', '')}' phải là province, district "
                          "hoặc commune")
        elif valid_from is None:
            errors.append(f"dòng {row_number}: thiếu ngày bắt đầu (valid_from)")
        elif valid_to is not None and valid_to < valid_from:
            errors.append(f"dòng {row_number}: valid_to trước valid_from")
        else:
            rows.append((row_number, code, name, level, row.get("parent", "").strip(), valid_from, valid_to,
                         row.get("merged_into", "").strip()))
    if errors:
        raise ImportRowError(errors)
    units, added = {}, 0
    for _, code, name, level, _, valid_from, valid_to, _ in rows:
        unit = db.session.execute(select(AdminUnit).where(
            AdminUnit.level == level, AdminUnit.code == code, AdminUnit.valid_from == valid_from)).scalar_one_or_none()
        if unit is None:
            unit, added = AdminUnit(level=level, code=code, valid_from=valid_from), added + 1
            db.session.add(unit)
        unit.name, unit.valid_to, unit.division_type = name, valid_to, division_type(name) or unit.division_type
        units[(level, code)] = unit
    db.session.flush()
    mergers = 0
    for row_number, code, _, level, parent, _, _, merged_into in rows:
        unit = units[(level, code)]
        if parent:
            unit.parent = _find(units, parent, (UnitLevel.DISTRICT, UnitLevel.PROVINCE))
            if unit.parent is None:
                errors.append(f"dòng {row_number}: không tìm thấy đơn vị cha '{parent}'")
        if merged_into:
            unit.merged_into = _find(units, merged_into, (level,), current_first=True)
            if unit.merged_into is None or unit.merged_into is unit:
                errors.append(f"dòng {row_number}: không tìm thấy đơn vị '{merged_into}' để sáp nhập vào")
            else:
                mergers += 1
    if errors:
        db.session.rollback()
        raise ImportRowError(errors)
    db.session.commit()
    return {"units": added, "mergers": mergers}


def _find(units: dict, code: str, levels: tuple[str, ...], current_first: bool = False) -> AdminUnit | None:
    for level in levels:
        stmt = select(AdminUnit).where(AdminUnit.level == level, AdminUnit.code == code)
        if current_first:
            stmt = stmt.where(AdminUnit.valid_to.is_(None))
        found = db.session.execute(stmt.order_by(AdminUnit.valid_from.desc())).scalars().first()
        found = found or units.get((level, code))
        if found is not None:
            return found
    return None
