"""A commune's hamlets or households file uploaded from the staff page, through the import service.

The import functions in services/units.py read a path, report every bad row by number and import
all rows or none; this only stores the upload in a temporary file and adds the audit row to the
same transaction (the import's single commit carries both; a refused file leaves neither).
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import IO

from flask_babel import lazy_gettext as _l

from survey_app.errors import DomainError
from survey_app.extensions import db
from survey_app.models import AdminUnit
from survey_app.services.staff.audit import record
from survey_app.services.units.catalogue import import_hamlets, import_households

ALLOWED_SUFFIXES = (".csv", ".xlsx", ".xlsm")
KINDS = {"hamlets": import_hamlets, "households": import_households}


def upload_units_file(commune: AdminUnit, kind: str, filename: str, stream: IO[bytes], *,
                      staff_user_id: int) -> int:
    """Import an uploaded CSV/XLSX of `kind` ("hamlets" or "households") for `commune`; rows imported.

    Raises ImportRowError (every bad row, by row number) or DomainError; nothing is stored then.
    """
    importer = KINDS.get(kind)
    if importer is None:
        raise DomainError(f"unknown file kind {kind!r}")
    suffix = Path(filename or "").suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        raise DomainError(_l("Chỉ nhận tệp CSV hoặc XLSX."))
    fd, path = tempfile.mkstemp(suffix=suffix, prefix="hailong-upload-")
    try:
        with os.fdopen(fd, "wb") as out:
            while chunk := stream.read(64 * 1024):
                out.write(chunk)
        record(staff_user_id, f"units.upload_{kind}", "admin_unit", commune.id, filename=filename[:200])
        return importer(commune, path)
    except Exception:
        db.session.rollback()  # the pending audit row goes with the refused file
        raise
    finally:
        os.unlink(path)
