"""A dropped signal loses nothing: Chromium's offline emulation on a 360 px phone, and the pages' layout."""
import re

from playwright.sync_api import expect

from survey_app.services.survey.drafts import load_draft
from survey_app.services.survey.flow import target_for_code

WAITING = "Đang chờ mạng"


def server_draft(app, code):
    with app.app_context():
        return load_draft(target_for_code(code))


def question(page, n):
    return page.locator("fieldset.question").nth(n)


def test_taps_and_a_next_press_without_signal_are_kept_and_sent_when_it_returns(live, codes, phone):
    base, app, _ = live
    code = codes()
    page = phone.new_page()
    page.goto(f"{base}/s/{code}/trang/1")
    with page.expect_response(lambda r: r.request.method == "POST" and r.status == 204):
        question(page, 0).get_by_text("Hài lòng", exact=True).tap()

    phone.set_offline(True)
    question(page, 1).get_by_text("Chưa hài lòng", exact=True).tap()
    question(page, 1).locator("textarea").fill("Mất sóng giữa chừng")
    question(page, 2).get_by_text("Hài lòng", exact=True).tap()
    expect(page.get_by_text(WAITING)).to_be_visible()
    page.get_by_role("button", name="Tiếp").tap()
    page.wait_for_timeout(300)
    assert page.url.endswith("/trang/1")  # the page stays, with every tap on it
    expect(page.get_by_text(WAITING)).to_be_visible()
    expect(question(page, 1).get_by_label("Chưa hài lòng", exact=True)).to_be_checked()
    assert server_draft(app, code).answered_count() == 1  # the server has not heard of the others yet

    phone.set_offline(False)
    page.wait_for_url(f"**/s/{code}/trang/2")  # "Tiếp" went through by itself
    expect(page.get_by_text(re.compile(r"Câu 4–6 / \d+"))).to_be_visible()
    expect(page.get_by_text(WAITING)).to_be_hidden()
    draft = server_draft(app, code)
    answered = sorted(draft.answers.values(), key=lambda a: a[0] is not False)
    assert draft.answered_count() == 3 and answered[0] == (False, "Mất sóng giữa chừng")


def test_a_tab_closed_while_offline_sends_its_taps_on_the_next_visit(live, codes, phone):
    base, app, _ = live
    code = codes()
    page = phone.new_page()
    page.goto(f"{base}/s/{code}/trang/1")
    phone.set_offline(True)
    for n in range(3):
        question(page, n).get_by_text("Chưa hài lòng" if n == 0 else "Hài lòng", exact=True).tap()
    expect(page.get_by_text(WAITING)).to_be_visible()
    page.close()  # kept on the phone only
    assert server_draft(app, code).answered_count() == 0

    phone.set_offline(False)
    again = phone.new_page()
    with again.expect_response(lambda r: r.request.method == "POST" and r.status == 204):
        again.goto(f"{base}/s/{code}/trang/1")
    expect(question(again, 0).get_by_label("Chưa hài lòng", exact=True)).to_be_checked()
    assert server_draft(app, code).answered_count() == 3


def test_without_javascript_every_step_says_when_answers_are_saved(live, codes, phone_without_js):
    base, _, _ = live
    page = phone_without_js.new_page()
    page.goto(f"{base}/s/{codes()}/trang/1")
    expect(page.get_by_text("Câu trả lời được lưu khi bấm “Tiếp”")).to_be_visible()
    # the reason box hangs under "Chưa hài lòng": it starts right of the choices' left edge
    choice = question(page, 0).locator(".choice-no label").bounding_box()
    box = question(page, 0).locator(".reason").bounding_box()
    assert box["x"] > choice["x"] + 10 and box["y"] >= choice["y"] + choice["height"]


def test_the_start_button_is_on_the_first_screen_of_a_small_phone(live, codes, phone):
    base, _, _ = live
    page = phone.new_page()
    page.goto(f"{base}/s/{codes()}")
    box = page.get_by_role("link", name="Bắt đầu trả lời").bounding_box()
    assert box["y"] + box["height"] <= 740


def test_nothing_small_sits_under_the_send_button(live, codes, phone):
    base, _, _ = live
    page = phone.new_page()
    page.goto(f"{base}/s/{codes()}/trang/1")
    while "/trang/" in page.url:
        for fieldset in page.locator("fieldset.question").all():
            fieldset.get_by_text("Hài lòng", exact=True).tap()
        before = page.url
        page.get_by_role("button", name="Tiếp").tap()
        page.wait_for_url(lambda url, before=before: url != before)
    page.get_by_role("button", name="Tiếp").tap()
    send = page.get_by_role("button", name="Gửi phiếu").bounding_box()
    back = page.locator(".send + p a").bounding_box()
    assert back["y"] - (send["y"] + send["height"]) >= 24 and back["height"] >= 44


def test_an_error_never_strikes_through_the_question(live, codes, phone):
    base, _, _ = live
    page = phone.new_page()
    page.goto(f"{base}/s/{codes()}/trang/1")
    page.get_by_role("button", name="Tiếp").tap()
    expect(page.locator("fieldset.has-error").first).to_be_visible()
    legend = page.locator("fieldset.has-error legend").first.bounding_box()
    fieldset = page.locator("fieldset.has-error").first.bounding_box()
    # the fieldset's top border is above the question's first line, not drawn through its middle
    border_top = page.evaluate("parseFloat(getComputedStyle(document.querySelector('fieldset.has-error'))"
                               ".borderTopWidth)")
    assert fieldset["y"] + border_top <= legend["y"]
