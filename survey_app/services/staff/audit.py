"""Audit log of staff actions (nhật ký thao tác): who, what, when, before/after."""
from __future__ import annotations

import io
from collections.abc import Iterator

from sqlalchemy import select

from survey_app.extensions import db
from survey_app.models import AuditLog, StaffUser
from survey_app.services.tabular import CsvWriter


def record(staff_user_id: int | None, action: str, object_type: str, object_id=None, *,
           commune_id: int | None = None, **details) -> AuditLog:
    """Add (not commit) one audit row to the caller's transaction: the action and its record commit together."""
    row = AuditLog(staff_user_id=staff_user_id, action=action, object_type=object_type,
                   object_id=None if object_id is None else str(object_id), commune_id=commune_id,
                   details=details)
    db.session.add(row)
    return row


def _query(action: str | None = None, username: str | None = None):
    stmt = (select(AuditLog, StaffUser.username).outerjoin(StaffUser, StaffUser.id == AuditLog.staff_user_id)
            .order_by(AuditLog.created_at.desc(), AuditLog.id.desc()))
    if action:
        stmt = stmt.where(AuditLog.action == action)
    if username:
        stmt = stmt.where(StaffUser.username == username)
    return stmt


def page(*, action: str | None = None, username: str | None = None, page: int = 1, per_page: int = 50):
    """One page of the log, newest first, with the staff member's username (one query)."""
    stmt = _query(action, username).limit(per_page + 1).offset((max(page, 1) - 1) * per_page)
    rows = db.session.execute(stmt).all()
    return rows[:per_page], len(rows) > per_page


def history(object_type: str, object_id) -> list:
    """(AuditLog, username) rows of one object, oldest first."""
    stmt = (select(AuditLog, StaffUser.username).outerjoin(StaffUser, StaffUser.id == AuditLog.staff_user_id)
            .where(AuditLog.object_type == object_type, AuditLog.object_id == str(object_id))
            .order_by(AuditLog.created_at, AuditLog.id))
    return db.session.execute(stmt).all()


def export_csv(*, action: str | None = None, username: str | None = None) -> Iterator[str]:
    """The log as CSV lines, streamed in chunks of 1,000 rows (never the whole table in memory).

    The query is tried once now (LIMIT 1), before the caller starts the download: once the first bytes are
    sent, an error can only cut the file short instead of answering with an error page."""
    stmt = _query(action, username)
    db.session.execute(stmt.limit(1)).all()
    return _csv_lines(stmt)


def _csv_lines(stmt) -> Iterator[str]:
    buffer = io.StringIO()
    writer = CsvWriter(buffer)  # a username may start with '-': text, never a formula
    writer.writerow(["id", "created_at", "username", "action", "object_type", "object_id", "commune_id",
                     "details"])
    result = db.session.execute(stmt.execution_options(yield_per=1000))
    for n, (row, name) in enumerate(result, start=1):
        writer.writerow([row.id, row.created_at.isoformat(), name or "", row.action, row.object_type,
                         row.object_id or "", row.commune_id or "", _json(row.details)])
        if n % 1000 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _json(value) -> str:
    import json

    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
