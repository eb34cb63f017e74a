"""Friendly error pages in the resident's language; JSON for API clients."""
from flask import current_app, jsonify, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable

from ..extensions import db
from ..outages import is_outage


def _messages():
    return {
        400: (_("Yêu cầu không hợp lệ"),
              _("Trang đã hết hạn hoặc thông tin gửi lên chưa đúng. Xin mở lại trang và thử lại.")),
        403: (_("Không có quyền truy cập"), _("Bạn không có quyền xem trang này.")),
        404: (_("Không tìm thấy trang"), _("Địa chỉ này không có. Xin kiểm tra lại đường dẫn hoặc mã trên phiếu mời.")),
        405: (_("Không tìm thấy trang"), _("Địa chỉ này không có. Xin kiểm tra lại đường dẫn hoặc mã trên phiếu mời.")),
        413: (_("Nội dung quá dài"), _("Nội dung gửi lên quá lớn. Xin rút ngắn và gửi lại.")),
        429: (_("Thao tác quá nhanh"), _("Bạn đã thử quá nhiều lần. Xin đợi một lát rồi thử lại.")),
        500: (_("Hệ thống đang gặp sự cố"),
              _("Câu trả lời của bạn chưa bị mất. Xin đợi một lát rồi thử lại; nếu vẫn lỗi, xin báo cán bộ thôn.")),
        503: (_("Hệ thống tạm thời bận"),
              _("Những gì đã gửi trước đó vẫn được giữ. Xin đợi khoảng một phút rồi thử lại.")),
    }


RETRY_AFTER = "30"  # seconds: about a database restart or a Redis failover


def render_unavailable(error):
    """The database or Redis away: 503 with Retry-After, never 500 (architecture: fixed interfaces), in the
    resident's language, on a page that needs no database to render. Registered for
    survey_app.outages.OUTAGE_TYPES; anything else of those types is a bug (500)."""
    if not is_outage(error):
        current_app.logger.error("Exception on %s [%s]", request.path, request.method, exc_info=error)
        return render_error(InternalServerError())
    current_app.logger.warning("service unavailable (%s): answered 503", type(error).__name__)
    try:
        body, code = render_error(ServiceUnavailable())
    except Exception:  # noqa: BLE001 - the page itself needed what is away (the signed-in officer, say)
        body, code = _("Hệ thống tạm thời bận. Xin đợi khoảng một phút rồi thử lại."), 503
    response = current_app.make_response((body, code))
    response.headers["Retry-After"] = RETRY_AFTER
    return response


def render_error(error):
    """Render any HTTP error (or an unhandled exception as 500) without a traceback."""
    if not isinstance(error, HTTPException):
        error = InternalServerError()
    code = error.code or 500
    if code >= 500:  # a failed statement leaves the session unusable; rendering may query (the campaign…)
        db.session.rollback()
    title, message = _messages().get(code, _messages()[500])
    if request.path.startswith(("/api/", "/bots/")) or request.accept_mimetypes.best == "application/json":
        return jsonify(error=code, message=message), code
    return render_template("errors/error.html", code=code, title=title, message=message), code
