"""A commune officer reviews feedback in a real Chromium, on a 1366×768 laptop and a tablet."""
import pytest
from sqlalchemy import select

from survey_app.extensions import db
from survey_app.models import AuditLog, Feedback, FeedbackReply, StaffRole, UnitLevel
from survey_app.services.feedback.intake import add_feedback
from survey_app.services.staff.users import create_or_reset_user
from survey_app.services.units.catalogue import current_unit


@pytest.fixture(scope="module")
def review_data(live):
    _, app, _ = live
    with app.app_context():
        commune = current_unit(UnitLevel.COMMUNE, "18673")
        hamlet = [h for h in commune.children if h.level == UnitLevel.HAMLET][0]
        evil = add_feedback('Cống bị vỡ <img src=x onerror="alert(1)"><script>alert(2)</script>', source="other",
                            channel="web", unit_id=hamlet.id)
        plain = add_feedback("Đèn đường thôn tắt cả tháng nay", source="reason", channel="paper",
                             unit_id=hamlet.id)
        db.session.commit()
        create_or_reset_user("canbo_browser", role=StaffRole.STAFF, unit=commune, password="mat-khau-browser-1")
        return {"evil": evil.id, "plain": plain.id}


@pytest.mark.parametrize("viewport", [{"width": 1366, "height": 768}, {"width": 768, "height": 1024}])
def test_an_officer_reviews_corrects_and_replies(live, chromium, review_data, viewport):
    base, app, _ = live
    context = chromium.new_context(viewport=viewport, locale="vi-VN", has_touch=viewport["width"] < 1000)
    context.set_default_timeout(10_000)
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(base + "/staff/feedback")
    page.get_by_label("Tên đăng nhập").fill("canbo_browser")
    page.get_by_label("Mật khẩu").fill("mat-khau-browser-1")
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/staff/feedback")
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert "<script>alert(2)</script>" in page.locator("table").inner_text()

    page.get_by_label("Tìm (không cần dấu)").fill("den duong")
    page.get_by_role("button", name="Lọc").click()
    page.get_by_role("link", name=f"#{review_data['plain']}", exact=True).click()
    assert "Đèn đường thôn tắt cả tháng nay" in page.locator("#feedback-text").inner_text()
    page.get_by_label("Xác nhận hoặc sửa lĩnh vực").select_option("giao_thong")
    page.get_by_role("button", name="Lưu lĩnh vực").click()
    page.get_by_text("Đã lưu.").wait_for()
    page.get_by_label("Nội dung trả lời").fill("Xã đã báo điện lực, tuần sau sửa.")
    page.get_by_role("button", name="Gửi trả lời").click()
    page.get_by_text("Đã lưu.").wait_for()
    assert "feedback_label" in page.locator("#history").inner_text()

    page.goto(base + f"/staff/feedback/{review_data['evil']}")
    assert 'onerror="alert(1)"' in page.locator("#feedback-text").inner_text()
    assert page.locator("#feedback-text img").count() == 0
    assert dialogs == []
    context.close()

    with app.app_context():
        row = db.session.get(Feedback, review_data["plain"])
        assert row.confirmed_label == "giao_thong" and row.status == "in_progress"
        assert db.session.execute(select(FeedbackReply).where(
            FeedbackReply.feedback_id == row.id)).scalars().first() is not None
        assert db.session.execute(select(AuditLog).where(AuditLog.action == "feedback_reply")).first()
