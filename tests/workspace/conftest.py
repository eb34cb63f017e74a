"""Two communes of one province, each with feedback, and staff accounts of every role."""
from __future__ import annotations

import pytest
from workspace_helpers import PASSWORD

from survey_app.extensions import db
from survey_app.models import AdminUnit, ChatSession, StaffRole, UnitLevel
from survey_app.services.feedback.intake import add_feedback
from survey_app.services.staff.users import create_or_reset_user
from survey_app.services.units.catalogue import current_unit, import_commune


@pytest.fixture
def world(app, demo):
    """Commune A (the demo, Cẩm Xuyên) and B (Kỳ Xuân), feedback in each, one chat complaint in A."""
    with app.app_context():
        a = current_unit(UnitLevel.COMMUNE, "18673")
        b = import_commune("18766")
        hamlet_b = AdminUnit(level=UnitLevel.HAMLET, code="18766-01", name="Thôn Bắc", parent=b)
        db.session.add(hamlet_b)
        db.session.flush()
        hamlet_a = [h for h in a.children if h.level == UnitLevel.HAMLET][0]
        chat = ChatSession(channel="telegram", chat_user_id="777001")
        db.session.add(chat)
        db.session.flush()
        fa = add_feedback("Đường thôn bị hư, <script>alert(1)</script> <img src=x onerror=alert(2)>",
                          source="other", channel="web", unit_id=hamlet_a.id)
        fa2 = add_feedback("Mương nước tắc", source="reason", channel="paper", unit_id=hamlet_a.id)
        fchat = add_feedback("Điện mất liên tục", source="complaint", channel="telegram", unit_id=hamlet_a.id,
                             chat_session_id=chat.id)
        fb = add_feedback("Rác thải ở chợ Kỳ Xuân", source="other", channel="web", unit_id=hamlet_b.id)
        db.session.commit()
        ids = {"a": a.id, "b": b.id, "province": a.parent_id, "fa": fa.id, "fa2": fa2.id, "fchat": fchat.id,
               "fb": fb.id, "hamlet_a": hamlet_a.id}
        users = {}
        for name, role, unit in [("staff_a", StaffRole.STAFF, a), ("staff_b", StaffRole.STAFF, b),
                                 ("manager_a", StaffRole.COMMUNE, a), ("tinh", StaffRole.PROVINCE, a.parent),
                                 ("quantri", StaffRole.ADMIN, None)]:
            users[name] = create_or_reset_user(name, role=role, unit=unit, password=PASSWORD)[0].id
        return {**ids, "users": users, **demo}
