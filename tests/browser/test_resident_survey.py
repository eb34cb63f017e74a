"""A resident on a 360 px phone answers by tapping, in a real Chromium, with and without JavaScript."""
from helpers import all_satisfied, campaign_of
from playwright.sync_api import expect
from sqlalchemy import select

from survey_app.extensions import db
from survey_app.models import InvitationCode, Response
from survey_app.services.campaigns.codes import canonical
from survey_app.services.survey.responses import submit_response

TOUCH = 44  # px, the smallest target an unsteady finger should have to hit


def stored_response(app, code: str) -> Response | None:
    with app.app_context():
        return db.session.execute(select(Response).join(InvitationCode).where(
            InvitationCode.code == canonical(code))).scalar_one_or_none()


def assert_fits_the_phone(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    for target in page.locator(".choice label, .button, header.site a").all():
        box = target.bounding_box()
        assert box["height"] >= TOUCH and box["width"] >= TOUCH, target.inner_text()


def answer_pages(page, reason_expected_visible: bool, yes="Hài lòng", no="Chưa hài lòng", next_="Tiếp"):
    """Tap "yes" everywhere but the very first question, which gets "no" and a reason."""
    first = True
    while "/trang/" in page.url:
        for fieldset in page.locator("fieldset.question").all():
            reason = fieldset.locator("textarea")
            if first:
                expect(reason).to_be_visible() if reason_expected_visible else expect(reason).to_be_hidden()
                fieldset.get_by_text(no, exact=True).tap()
                expect(reason).to_be_visible()
                reason.fill("Đường ra đồng lầy lội khi mưa")
                first = False
            else:
                fieldset.get_by_text(yes, exact=True).tap()
        assert_fits_the_phone(page)
        before = page.url
        page.get_by_role("button", name=next_).tap()
        page.wait_for_url(lambda url, before=before: url != before)


def complete_survey(page, base, code, javascript: bool):
    page.goto(base + "/")
    page.get_by_label("Mã trên phiếu mời").fill(code)
    page.get_by_role("button", name="Vào trả lời").tap()
    expect(page.get_by_role("heading", level=1)).to_contain_text("nông thôn mới")
    expect(page.get_by_text("Mặt trận Tổ quốc của xã")).to_be_visible()
    assert_fits_the_phone(page)
    page.get_by_role("link", name="Bắt đầu trả lời").tap()
    expect(page.get_by_text("Câu 1–3 / 19")).to_be_visible()
    answer_pages(page, reason_expected_visible=not javascript)
    page.get_by_label("Ý kiến khác của gia đình").fill("Cảm ơn xã đã lắng nghe")
    page.get_by_role("button", name="Tiếp").tap()
    expect(page.get_by_role("heading", name="Xem lại câu trả lời")).to_be_visible()
    expect(page.get_by_text("Đường ra đồng lầy lội khi mưa")).to_be_visible()
    page.get_by_role("button", name="Gửi phiếu").tap()
    expect(page.get_by_role("heading", name="Cảm ơn gia đình!")).to_be_visible()
    expect(page.get_by_role("link", name="Xem kết quả công khai của xã")).to_be_visible()


def test_a_resident_completes_the_survey_by_tapping_on_a_small_phone(live, codes, phone):
    base, app, _ = live
    code = codes()
    complete_survey(phone.new_page(), base, code, javascript=True)
    response = stored_response(app, code)
    assert response is not None and response.channel == "web"


def test_the_same_survey_works_with_javascript_disabled(live, codes, phone_without_js):
    base, app, _ = live
    code = codes()
    complete_survey(phone_without_js.new_page(), base, code, javascript=False)
    assert stored_response(app, code) is not None


def test_a_reload_half_way_keeps_the_answers(live, codes, phone):
    base, _, _ = live
    code = codes()
    page = phone.new_page()
    page.goto(f"{base}/s/{code}/trang/1")
    for label in page.locator("fieldset.question").all():
        label.get_by_text("Hài lòng", exact=True).tap()
    page.get_by_role("button", name="Tiếp").tap()
    expect(page.get_by_text("Câu 4–6 / 19")).to_be_visible()
    with page.expect_response(lambda r: r.request.method == "POST" and r.status == 204):
        page.locator("fieldset.question").first.get_by_text("Chưa hài lòng", exact=True).tap()
    page.reload()
    expect(page.locator("fieldset.question").first.get_by_label("Chưa hài lòng", exact=True)).to_be_checked()
    fresh = phone.browser.new_context(viewport={"width": 360, "height": 740}).new_page()  # the tab was closed
    fresh.goto(f"{base}/s/{code}")
    expect(fresh.get_by_text("Gia đình đã trả lời 4 / 19 câu.")).to_be_visible()
    fresh.get_by_role("link", name="Trả lời tiếp").click()
    expect(fresh.get_by_text("Câu 4–6 / 19")).to_be_visible()
    fresh.context.close()
    page.get_by_role("button", name="Quay lại").tap()
    expect(page.locator("input[value=yes]:checked")).to_have_count(3)


def test_a_used_code_is_refused_with_the_date_it_was_answered(live, codes, phone):
    base, app, demo = live
    code = codes()
    with app.app_context():
        submit_response(all_satisfied(campaign_of(demo)), channel="paper", code=code)
    page = phone.new_page()
    page.goto(f"{base}/s/{code}")
    expect(page.get_by_role("heading", name="Phiếu này đã được gửi")).to_be_visible()
    expect(page.get_by_text("bằng phiếu giấy")).to_be_visible()
    expect(page.locator("input[type=radio]")).to_have_count(0)


def test_the_english_flow(live, codes, phone):
    base, app, _ = live
    code = codes()
    page = phone.new_page()
    page.goto(f"{base}/s/{code}")
    page.get_by_role("link", name="English").tap()
    expect(page.get_by_role("heading", name="Who is asking?")).to_be_visible()
    page.get_by_role("link", name="Start answering").tap()
    expect(page.get_by_text("Questions 1–3 of 19")).to_be_visible()
    answer_pages(page, reason_expected_visible=False, yes="Satisfied", no="Not yet satisfied", next_="Next")
    page.get_by_role("button", name="Next").tap()
    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    page.get_by_role("button", name="Send the form").tap()
    expect(page.get_by_role("heading", name="Thank you!")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert stored_response(app, code) is not None


def test_a_typed_code_with_lookalike_characters_is_accepted(live, codes, phone):
    base, _, _ = live
    code = codes()
    while not any(ch in code for ch in "01"):  # make sure there is something to mistype
        code = codes()
    typed = code.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    page = phone.new_page()
    page.goto(base + "/")
    page.get_by_label("Mã trên phiếu mời").fill(typed)
    page.get_by_role("button", name="Vào trả lời").tap()
    expect(page.get_by_text(f"Mã phiếu của gia đình: {code}")).to_be_visible()
    assert page.url.endswith(f"/s/{code}")


def test_pages_still_fit_at_200_percent_text_size(live, codes, phone):
    base, _, _ = live
    page = phone.new_page()
    page.goto(f"{base}/s/{codes()}/trang/1")
    page.evaluate("document.documentElement.style.fontSize = '250%'")  # 200 % of the page's own 125 %
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    next_button = page.get_by_role("button", name="Tiếp")
    next_button.scroll_into_view_if_needed()
    assert next_button.bounding_box()["x"] + next_button.bounding_box()["width"] <= 360
