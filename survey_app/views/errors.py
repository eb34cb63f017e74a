"""Friendly error pages in the resident's language; JSON for API clients."""
from flask import jsonify, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException, InternalServerError

from ..extensions import db


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
    }


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
