"""The outbox seen by admins: what went out to residents, what waits, what is stuck and why; retry now."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from survey_app.auth import current_staff

from ..models import StaffRole
from ..services import outbox
from .access import roles_required
from .blueprint import bp


@bp.get("/outbox")
@roles_required(StaffRole.ADMIN)
def outbox_status():
    """Messages per channel and status, then the stuck ones and the rest not delivered (recipient ids masked)."""
    counts = outbox.status_counts()
    channels = sorted({channel for channel, _ in counts})
    return render_template("staff/outbox.html", counts=counts, channels=channels, statuses=outbox.OutboxStatus.ALL,
                           rows=outbox.undelivered(), stuck=outbox.stuck_count(), retryable=outbox.RETRYABLE,
                           sent_channels=outbox.SENT_CHANNELS)


@bp.post("/outbox/<int:message_id>/retry")
@roles_required(StaffRole.ADMIN)
def outbox_retry(message_id: int):
    """Send a pending or failed message now instead of at its next try."""
    if outbox.retry_now(current_staff().id, message_id):
        flash(_("Đã đưa tin nhắn vào hàng gửi ngay."))
    else:
        flash(_("Tin nhắn này đã gửi hoặc không thể gửi lại."), "error")
    return redirect(url_for("staff.outbox_status"))
