"""The outbox seen by admins: what went out to residents, what waits, what failed and why."""
from flask import render_template

from ..models import StaffRole
from ..services import outbox
from . import bp
from .access import roles_required


@bp.get("/outbox")
@roles_required(StaffRole.ADMIN)
def outbox_status():
    """Messages per channel and status, then the newest ones not delivered (recipient ids masked)."""
    counts = outbox.status_counts()
    channels = sorted({channel for channel, _ in counts})
    return render_template("staff/outbox.html", counts=counts, channels=channels, statuses=outbox.OutboxStatus.ALL,
                           rows=outbox.undelivered())
