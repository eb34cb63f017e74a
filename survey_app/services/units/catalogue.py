"""Administrative units: the official list from `vietnam-provinces`, hamlets and households from files."""
from __future__ import annotations

import unicodedata
from collections.abc import Callable
from pathlib import Path

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from survey_app.errors import DomainError, ImportRowError
from survey_app.extensions import db
from survey_app.models import AdminUnit, Household, UnitLevel
from survey_app.services.tabular import read_rows

Progress = Callable[[int, int], None]


def official_divisions():
    """(provinces, wards) of the current official list (34 provinces, 3,321 communes since 1/7/2025)."""
    from vietnam_provinces import Province, Ward

    return list(Province.iter_all()), list(Ward.iter_all())


def province_code(value: int) -> str:
    return f"{int(value):02d}"


def commune_code(value: int) -> str:
    return f"{int(value):05d}"


def import_official_units(progress: Progress | None = None) -> dict[str, int]:
    """Insert or rename every current province and commune; safe to run again. One transaction."""
    provinces, wards = official_divisions()
    existing = {
        (u.level, u.code): u
        for u in db.session.execute(select(AdminUnit).where(
            AdminUnit.level.in_([UnitLevel.PROVINCE, UnitLevel.COMMUNE]), AdminUnit.valid_to.is_(None)
        )).scalars()
    }
    province_units = {}
    for p in provinces:
        unit = _upsert(existing, UnitLevel.PROVINCE, province_code(p.code.value), p.name, p.division_type.value, None)
        province_units[p.code] = unit
    db.session.flush()
    total = len(wards)
    for done, w in enumerate(wards, start=1):
        _upsert(existing, UnitLevel.COMMUNE, commune_code(w.code.value), w.name, w.division_type.value,
                province_units[w.province_code])
        if progress and (done % 500 == 0 or done == total):
            progress(done, total)
    db.session.commit()
    return count_current_units()


def _upsert(existing, level, code, name, division_type, parent):
    unit = existing.get((level, code))
    if unit is None:
        unit = AdminUnit(level=level, code=code, name=name, division_type=division_type, parent=parent)
        db.session.add(unit)
        existing[(level, code)] = unit
    else:
        unit.name, unit.division_type = name, division_type
        if parent is not None:
            unit.parent = parent
    return unit


def count_current_units() -> dict[str, int]:
    rows = db.session.execute(
        select(AdminUnit.level, func.count()).where(AdminUnit.valid_to.is_(None)).group_by(AdminUnit.level)
    ).all()
    counts = dict(rows)
    return {"provinces": counts.get(UnitLevel.PROVINCE, 0), "communes": counts.get(UnitLevel.COMMUNE, 0)}


def import_commune(code: str) -> AdminUnit:
    """Make sure one official commune (and its province) is present, without importing all 3,321."""
    from vietnam_provinces import Province, Ward

    found = current_unit(UnitLevel.COMMUNE, code)
    if found:
        return found
    ward = next((w for w in Ward.iter_all() if commune_code(w.code.value) == code), None)
    if ward is None:
        raise DomainError(_l("Danh mục chính thức không có xã, phường nào mang mã %(code)s.", code=code))
    province = Province.from_code(ward.province_code)
    parent = current_unit(UnitLevel.PROVINCE, province_code(province.code.value)) or AdminUnit(
        level=UnitLevel.PROVINCE, code=province_code(province.code.value), name=province.name,
        division_type=province.division_type.value)
    unit = AdminUnit(level=UnitLevel.COMMUNE, code=code, name=ward.name, division_type=ward.division_type.value,
                     parent=parent)
    db.session.add(unit)
    db.session.commit()
    return unit


def current_unit(level: str, code: str) -> AdminUnit | None:
    return db.session.execute(select(AdminUnit).where(
        AdminUnit.level == level, AdminUnit.code == code, AdminUnit.valid_to.is_(None))).scalar_one_or_none()


def hamlets_of(commune: AdminUnit) -> list[AdminUnit]:
    return list(db.session.execute(select(AdminUnit).where(
        AdminUnit.parent_id == commune.id, AdminUnit.level == UnitLevel.HAMLET, AdminUnit.valid_to.is_(None)
    ).order_by(AdminUnit.code)).scalars())


def _name_key(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).lower().split())


HAMLET_ALIASES = {"ten": "name", "ten_thon": "name", "thon": "name", "hamlet": "name", "ma": "code",
                  "ma_thon": "code"}
HOUSEHOLD_ALIASES = {"thon": "hamlet", "ten_thon": "hamlet", "thon_xom": "hamlet", "so_ho": "number",
                     "ma_ho": "number", "so": "number", "stt": "number", "chu_ho": "head_name",
                     "ho_ten_chu_ho": "head_name", "ten_chu_ho": "head_name", "dia_chi": "address"}


def import_hamlets(commune: AdminUnit, path: str | Path) -> int:
    """Hamlets (thôn, xóm, ấp, bản) of one commune from CSV/XLSX with columns name[, code]."""
    errors, seen, new = [], {_name_key(h.name) for h in hamlets_of(commune)}, []
    next_number = len(seen) + 1
    for row_number, row in read_rows(path, HAMLET_ALIASES):
        name = unicodedata.normalize("NFC", row.get("name", "")).strip()
        if not name:
            errors.append(f"dòng {row_number}: thiếu tên thôn (name)")
        elif len(name) > 200:
            errors.append(f"dòng {row_number}: tên thôn dài quá 200 ký tự")
        elif _name_key(name) in seen:
            errors.append(f"dòng {row_number}: thôn '{name}' đã có")
        else:
            seen.add(_name_key(name))
            code = row.get("code") or f"{commune.code}-{next_number:02d}"
            next_number += 1
            new.append(AdminUnit(level=UnitLevel.HAMLET, code=code, name=name, division_type="thôn", parent=commune))
    if errors:
        raise ImportRowError(errors)
    db.session.add_all(new)
    db.session.commit()
    return len(new)


def import_households(commune: AdminUnit, path: str | Path, progress: Progress | None = None) -> int:
    """Households from CSV/XLSX (hamlet, number[, head_name, address]): all rows or none."""
    hamlets = {_name_key(h.name): h for h in hamlets_of(commune)}
    hamlets.update({h.code.lower(): h for h in hamlets.values()})
    taken = set(tuple(row) for row in db.session.execute(
        select(Household.hamlet_id, Household.number).where(Household.hamlet_id.in_([h.id for h in hamlets.values()]))
    ))
    errors, new = [], []
    for row_number, row in read_rows(path, HOUSEHOLD_ALIASES):
        problem, household = _household_from_row(row, hamlets, taken)
        if problem:
            errors.append(f"dòng {row_number}: {problem}")
        else:
            taken.add((household.hamlet_id, household.number))
            new.append(household)
    if errors:
        raise ImportRowError(errors)
    for done, household in enumerate(new, start=1):
        db.session.add(household)
        if progress and (done % 500 == 0 or done == len(new)):
            progress(done, len(new))
    db.session.commit()
    return len(new)


def _household_from_row(row, hamlets, taken):
    hamlet_name = row.get("hamlet", "").strip()
    number = row.get("number", "").strip()
    if not hamlet_name:
        return "thiếu tên thôn (hamlet)", None
    hamlet = hamlets.get(_name_key(hamlet_name)) or hamlets.get(hamlet_name.lower())
    if hamlet is None:
        return f"không có thôn '{hamlet_name}' trong xã", None
    if not number:
        return "thiếu số hộ (number)", None
    if len(number) > 32:
        return "số hộ dài quá 32 ký tự", None
    if (hamlet.id, number) in taken:
        return f"hộ số {number} của {hamlet.name} bị trùng", None
    head = unicodedata.normalize("NFC", row.get("head_name", "")).strip()[:200] or None
    address = unicodedata.normalize("NFC", row.get("address", "")).strip()[:300] or None
    return None, Household(hamlet_id=hamlet.id, number=number, head_name=head, address=address)


def record_merger(old: AdminUnit, into: AdminUnit, last_day) -> None:
    """Close a unit that was merged (e.g. on 30/6/2025) and point it at its successor; its history stays."""
    old.valid_to = last_day
    old.merged_into = into
    db.session.commit()


def successor(unit: AdminUnit) -> AdminUnit:
    """The unit a merged one lives on in today (follows chains of mergers)."""
    seen = set()
    while unit.merged_into is not None and unit.id not in seen:
        seen.add(unit.id)
        unit = unit.merged_into
    return unit
