"""Audit log of staff actions."""
from ..extensions import db
from ..models import AuditLog


def record(staff_user_id: int | None, action: str, object_type: str, object_id=None, **details) -> None:
    """Write one audit row in its own small transaction."""
    db.session.add(AuditLog(staff_user_id=staff_user_id, action=action, object_type=object_type,
                            object_id=None if object_id is None else str(object_id), details=details))
    db.session.commit()
