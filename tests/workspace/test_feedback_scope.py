"""Scope isolation of the feedback queue: by URL, by form tampering and by bulk ids; audit rows; escaping."""
from sqlalchemy import func, select
from workspace_helpers import post, sign_in

from survey_app.extensions import db
from survey_app.models import AuditLog, Feedback, FeedbackReply, OutboundMessage
from survey_app.services.feedback.model_versions import staff_corrections


def _audits(app, action):
    with app.app_context():
        return db.session.execute(select(AuditLog).where(AuditLog.action == action)).scalars().all()


def test_the_queue_lists_only_the_staff_members_commune(client, world):
    sign_in(client, "staff_a")
    page = client.get("/staff/feedback").get_data(as_text=True)
    assert "Mương nước tắc" in page and "Rác thải ở chợ Kỳ Xuân" not in page
    assert client.get(f"/staff/feedback/{world['fb']}").status_code == 404
    assert client.get(f"/staff/feedback/{world['fa']}").status_code == 200


def test_a_province_officer_reads_every_commune_but_cannot_act(app, client, world):
    sign_in(client, "tinh")
    page = client.get("/staff/feedback").get_data(as_text=True)
    assert "Mương nước tắc" in page and "Rác thải ở chợ Kỳ Xuân" in page
    response = post(client, f"/staff/feedback/{world['fa']}/label", {"label": "giao_thong"})
    assert response.status_code == 403
    with app.app_context():
        assert db.session.get(Feedback, world["fa"]).confirmed_label is None


def test_actions_on_another_communes_feedback_are_refused_and_change_nothing(app, client, world):
    sign_in(client, "staff_b")
    fa = world["fa"]
    for action, data in [("label", {"label": "dien"}), ("status", {"status": "resolved"}),
                         ("note", {"note": "x"}), ("reply", {"text": "x"}),
                         ("assign", {"assignee": world["users"]["staff_b"]})]:
        assert post(client, f"/staff/feedback/{fa}/{action}", data).status_code == 404, action
    with app.app_context():
        row = db.session.get(Feedback, fa)
        assert row.confirmed_label is None and row.status == "new" and row.assigned_to_id is None
        assert db.session.execute(select(func.count()).select_from(FeedbackReply)).scalar() == 0
        assert db.session.execute(select(func.count()).where(AuditLog.object_type == "feedback")).scalar() == 0


def test_bulk_ids_outside_the_scope_are_dropped_in_sql(app, client, world):
    sign_in(client, "staff_a")
    response = post(client, "/staff/feedback/bulk", {"action": "close", "ids": [world["fa"], world["fb"]]})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Feedback, world["fa"]).status == "resolved"
        assert db.session.get(Feedback, world["fb"]).status == "new"
    assert len(_audits(app, "feedback_status")) == 1


def test_assigning_to_staff_of_another_commune_is_refused(app, client, world):
    sign_in(client, "staff_a")
    post(client, f"/staff/feedback/{world['fa']}/assign", {"assignee": world["users"]["staff_b"]})
    with app.app_context():
        assert db.session.get(Feedback, world["fa"]).assigned_to_id is None
    post(client, f"/staff/feedback/{world['fa']}/assign", {"assignee": world["users"]["manager_a"]})
    with app.app_context():
        row = db.session.get(Feedback, world["fa"])
        assert row.assigned_to_id == world["users"]["manager_a"] and row.status == "in_progress"
    [audit] = _audits(app, "feedback_assign")
    assert audit.details["after"] == {"assigned_to_id": world["users"]["manager_a"]}


def test_a_correction_is_audited_and_becomes_training_data(app, client, world):
    sign_in(client, "staff_a")
    post(client, f"/staff/feedback/{world['fa2']}/label", {"label": "thuy_loi"})
    with app.app_context():
        assert ("thuy_loi", "Mương nước tắc") in staff_corrections()
    [audit] = _audits(app, "feedback_label")
    assert audit.details["after"] == {"label": "thuy_loi"} and audit.commune_id == world["a"]


def test_status_moves_forward_and_notes_show_in_the_history(app, client, world):
    sign_in(client, "staff_a")
    fa = world["fa"]
    post(client, f"/staff/feedback/{fa}/status", {"status": "in_progress"})
    post(client, f"/staff/feedback/{fa}/status", {"status": "new"})  # not a move the workflow allows
    post(client, f"/staff/feedback/{fa}/note", {"note": "Đã báo trưởng thôn <b>gấp</b>"})
    page = client.get(f"/staff/feedback/{fa}").get_data(as_text=True)
    assert "Đã báo trưởng thôn &lt;b&gt;gấp&lt;/b&gt;" in page
    with app.app_context():
        assert db.session.get(Feedback, fa).status == "in_progress"
    assert len(_audits(app, "feedback_status")) == 1 and len(_audits(app, "feedback_note")) == 1


def test_a_reply_to_a_chat_complaint_lands_in_the_outbox_for_its_channel(app, client, world):
    sign_in(client, "staff_a")
    post(client, f"/staff/feedback/{world['fchat']}/reply", {"text": "Điện lực sẽ sửa trong tuần."})
    with app.app_context():
        [message] = db.session.execute(select(OutboundMessage)).scalars().all()
        assert (message.channel, message.chat_user_id) == ("telegram", "777001")
        assert message.payload["text"] == "Điện lực sẽ sửa trong tuần."
        [reply] = db.session.execute(select(FeedbackReply)).scalars().all()
        assert reply.outbound_message_id == message.id
    assert len(_audits(app, "feedback_reply")) == 1


def test_a_web_resident_reads_the_reply_with_the_household_code_only(app, client, world):
    from helpers import all_satisfied, campaign_of

    from survey_app.services.survey.responses import submit_response

    code, other_code = world["codes"][0], world["codes"][1]
    with app.app_context():
        campaign = campaign_of(world)
        submit_response(all_satisfied(campaign, except_position=2, reason="Cầu tre sắp sập"), channel="web",
                        code=code)
        fid = db.session.execute(select(Feedback.id).where(Feedback.text == "Cầu tre sắp sập")).scalar_one()
    sign_in(client, "staff_a")
    post(client, f"/staff/feedback/{fid}/reply", {"text": "Xã sẽ làm cầu mới <b>sớm</b>."})
    resident = app.test_client()
    page = resident.get(f"/tra-loi/{code}").get_data(as_text=True)
    assert "Cầu tre sắp sập" in page and "Xã sẽ làm cầu mới &lt;b&gt;sớm&lt;/b&gt;." in page
    assert "Mương nước tắc" not in page
    assert "Cầu tre sắp sập" not in resident.get(f"/tra-loi/{other_code}").get_data(as_text=True)
    assert resident.get("/tra-loi/ZZZZ-ZZZZ").status_code == 404
    with app.app_context():
        assert db.session.execute(select(func.count()).select_from(OutboundMessage)).scalar() == 0


def test_markup_in_a_complaint_shows_as_characters(client, world):
    sign_in(client, "staff_a")
    for url in ("/staff/feedback", f"/staff/feedback/{world['fa']}"):
        page = client.get(url).get_data(as_text=True)
        assert "<script>alert(1)" not in page and "<img src=x" not in page
        assert "&lt;script&gt;alert(1)" in page


def test_filters_search_without_diacritics_and_counts_per_field(client, world):
    sign_in(client, "staff_a")
    page = client.get("/staff/feedback?q=muong+nuoc").get_data(as_text=True)
    assert "Mương nước tắc" in page and "Điện mất" not in page
    page = client.get("/staff/feedback?channel=telegram&source=complaint").get_data(as_text=True)
    assert "Điện mất liên tục" in page and "Mương nước tắc" not in page
    page = client.get(f"/staff/feedback?hamlet={world['hamlet_a']}&status=new&sort=review").get_data(as_text=True)
    assert "Mương nước tắc" in page
    assert "Cần xem xét (3)" in client.get("/staff/feedback").get_data(as_text=True)  # no model: all need review


def test_staff_pages_are_never_cached(client, world):
    sign_in(client, "staff_a")
    for url in ("/staff/", "/staff/feedback", f"/staff/feedback/{world['fa']}", "/staff/login",
                f"/api/campaigns/{world['campaign_id']}/summary"):
        assert client.get(url).headers["Cache-Control"] == "no-store", url
