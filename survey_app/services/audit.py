"""Audit log of staff actions (nhật ký thao tác)."""
from ..extensions import db
from ..models import AuditLog


def record(staff_user_id: int | None, action: str, object_type: str, object_id=None, **details) -> AuditLog:
    """Add (not commit) one audit row to the caller's transaction: the action and its record commit together."""
    row = AuditLog(staff_user_id=staff_user_id, action=action, object_type=object_type,
                   object_id=None if object_id is None else str(object_id), details=details)
    db.session.add(row)
    return row
