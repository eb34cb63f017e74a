"""Admins see what the outbox could not deliver; nobody else does, and recipient ids stay masked."""
from workspace_helpers import sign_in

from survey_app.extensions import db
from survey_app.models import OutboundMessage
from survey_app.services.outbox import OutboxStatus, enqueue


def test_an_admin_sees_a_message_waiting_for_zalos_window(app, client, world):
    with app.app_context():
        waiting = db.session.get(OutboundMessage, enqueue("zalo", "8812345678901234567", "Cảm ơn gia đình"))
        waiting.status, waiting.last_error = OutboxStatus.WAITING, "error -230: outside the 7-day window"
        sent = db.session.get(OutboundMessage, enqueue("telegram", "777001", "Đã nhận"))
        sent.status = OutboxStatus.SENT
        db.session.commit()
    sign_in(client, "quantri")
    page = client.get("/staff/outbox").get_data(as_text=True)
    assert "outside the 7-day window" in page and "…4567" in page
    assert "8812345678901234567" not in page and "Đã nhận" not in page


def test_commune_staff_cannot_read_the_outbox(client, world):
    sign_in(client, "staff_a")
    assert client.get("/staff/outbox").status_code == 403
