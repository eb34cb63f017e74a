"""Commune staff in a real Chromium: slips printed to PDF (A4, 8 a sheet, QR codes), paper forms by keyboard."""
from __future__ import annotations

import io
import math

import pytest
from sqlalchemy import select


@pytest.fixture
def laptop(chromium, live):
    """A 1366×768 laptop, signed in as the demo admin."""
    base, _app, demo = live
    context = chromium.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(base + "/staff/login")
    page.fill("#username", demo["admin_username"])
    page.fill("#password", demo["admin_password"])
    page.keyboard.press("Enter")
    page.wait_for_url(base + "/staff/")
    yield page
    context.close()


def test_slips_print_to_a4_pdf_with_eight_slips_a_sheet_and_a_qr_code_each(laptop, live):
    from pypdf import PdfReader

    base, _app, demo = live
    laptop.goto(f"{base}/staff/campaigns/{demo['campaign_id']}/slips")
    slips = laptop.locator("article.slip")
    count = slips.count()
    assert count == 56
    assert laptop.locator("article.slip svg.qr").count() == count  # web QR only: no bot configured
    first = slips.first.inner_text()
    assert "PHIẾU MỜI" in first and "Xã Cẩm Xuyên" in first and "Hạn cuối" in first
    printed = set(laptop.locator("article.slip .code").all_inner_texts())
    assert set(demo["codes"]) <= printed and len(printed) == count
    pdf = laptop.pdf(prefer_css_page_size=True, print_background=True)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == math.ceil(count / 8)
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    text = reader.pages[0].extract_text()
    assert "Cẩm Xuyên" in text or "Cam Xuyen" in text.replace("ẩ", "a")
    assert "toolbar" not in text and "Lọc" not in text  # the screen controls do not print


def test_slips_of_one_hamlet_only(laptop, live):
    base, app, demo = live
    with app.app_context():
        from survey_app.extensions import db
        from survey_app.models import AdminUnit, UnitLevel

        hamlet = db.session.execute(select(AdminUnit).where(AdminUnit.level == UnitLevel.HAMLET)
                                    .order_by(AdminUnit.code)).scalars().first()
        name = hamlet.name
    laptop.goto(f"{base}/staff/campaigns/{demo['campaign_id']}/slips")
    laptop.select_option("#hamlet", label=name)
    laptop.get_by_role("button", name="Lọc").click()
    households = laptop.locator("article.slip .slip-household").all_inner_texts()
    assert households and len(households) == 8 and all(h.startswith(name) for h in households)


def _wait_for_focus(page, selector):
    """Autofocus lands a moment after the page loads (later under load): keys typed before it are lost."""
    page.wait_for_function("s => document.activeElement && document.activeElement.matches(s)", arg=selector)


def _type_answers(page, keys):
    for key, reason in keys:
        page.keyboard.type(key)
        if reason:
            page.keyboard.type(reason)
            page.keyboard.press("Tab")


def test_a_paper_form_is_typed_with_the_keyboard_only(laptop, live, codes):
    base, app, demo = live
    code = codes()
    laptop.goto(f"{base}/staff/campaigns/{demo['campaign_id']}/paper")
    _wait_for_focus(laptop, "#code")  # the code box takes the focus by itself
    laptop.keyboard.type(code.replace("-", "").lower())
    laptop.keyboard.press("Enter")
    _wait_for_focus(laptop, "input[data-key]")  # then the first answer box
    total = laptop.locator("input[data-key]").count()
    keys = [("1", None)] * (total - 3) + [("2", "Đèn đường hỏng"), ("0", None), ("1", None)]
    _type_answers(laptop, keys)
    laptop.keyboard.type("Mong xã sửa cống")  # the script moved on to "Ý kiến khác"
    laptop.keyboard.press("Tab")  # the invalid-form checkbox stays unticked
    laptop.keyboard.press("Tab")
    laptop.keyboard.press("Enter")  # Lưu phiếu
    notice = laptop.locator(".notice").inner_text()
    assert f"{total - 2} hài lòng, 1 chưa hài lòng, 1 bỏ trống" in notice
    assert laptop.evaluate("document.activeElement.id") == "code"  # ready for the next form
    with app.app_context():
        from survey_app.extensions import db
        from survey_app.models import InvitationCode, Response

        stored = db.session.execute(select(Response)
                                    .join(InvitationCode, Response.invitation_code_id == InvitationCode.id)
                                    .where(InvitationCode.code == code.replace("-", ""))).scalar_one()
        assert (stored.channel, stored.is_valid, len(stored.answers)) == ("paper", True, total - 1)
        db.session.remove()


def test_paper_entry_works_by_keyboard_without_javascript(chromium, live, codes):
    """Tab from box to box; an invalid form is ticked with the space bar."""
    base, app, demo = live
    context = chromium.new_context(viewport={"width": 1366, "height": 768}, java_script_enabled=False)
    page = context.new_page()
    page.goto(base + "/staff/login")
    page.fill("#username", demo["admin_username"])
    page.fill("#password", demo["admin_password"])
    page.keyboard.press("Enter")
    page.wait_for_url(base + "/staff/")
    code = codes()
    page.goto(f"{base}/staff/campaigns/{demo['campaign_id']}/paper")
    page.locator("#code").focus()  # autofocus is proven with JavaScript on; under load it can lag here
    page.keyboard.type(code)
    page.keyboard.press("Enter")
    page.locator("input[data-key]").first.focus()  # as above: the autofocus of this page is proven with JavaScript
    total = page.locator("input[data-key]").count()
    for _ in range(total):
        page.keyboard.type("1")
        page.keyboard.press("Tab")  # to the reason box
        page.keyboard.press("Tab")  # to the next answer
    page.keyboard.press("Tab")  # past "Ý kiến khác" to the checkbox
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert "KHÔNG HỢP LỆ" in page.locator(".notice").inner_text()
    with app.app_context():
        from survey_app.extensions import db
        from survey_app.models import InvitationCode, Response

        stored = db.session.execute(select(Response)
                                    .join(InvitationCode, Response.invitation_code_id == InvitationCode.id)
                                    .where(InvitationCode.code == code.replace("-", ""))).scalar_one()
        assert (stored.channel, stored.is_valid, len(stored.answers)) == ("paper", False, 0)
        db.session.remove()
    context.close()
