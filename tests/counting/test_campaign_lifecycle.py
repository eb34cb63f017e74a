"""Open, close, publish: what each fixes or freezes, who is refused, and the audit rows they leave."""
import re
from datetime import date

import pytest
from builders import add_households, make_commune, open_dates, small_questionnaire
from sqlalchemy import select

from survey_app.errors import DomainError, IncompleteAnswers
from survey_app.extensions import db
from survey_app.models import AdminUnit, AuditLog, Campaign, Household, InvitationCode, UnitLevel
from survey_app.services.campaigns.codes import generate_codes, new_code, unused_codes
from survey_app.services.campaigns.lifecycle import close_campaign, create_campaign, open_campaign, publish_campaign
from survey_app.services.clock import today_in_vietnam
from survey_app.services.reports.summary import campaign_summary, hamlet_breakdown
from survey_app.services.survey.responses import AnswerInput, submit_response


def _campaign(commune, questionnaire, **kw):
    opens, closes = open_dates()
    return create_campaign(commune_code=commune.code, questionnaire_key=questionnaire.key, name="Đợt thử",
                           opens_on=opens, closes_on=closes, **kw)


def test_households_are_fixed_at_open_and_figures_frozen_at_publish(app):
    with app.app_context():
        commune, questionnaire = make_commune([3, 2]), small_questionnaire()
        campaign = _campaign(commune, questionnaire)
        assert campaign_summary(campaign)["households"] == 5  # a draft counts what is there now
        add_households(commune.children[0], 1)
        open_campaign(campaign.id, staff_user_id=None)
        generate_codes(campaign)
        qs = campaign.questionnaire.questions
        for code in list(unused_codes(campaign))[:4]:
            submit_response({q.id: AnswerInput(True) for q in qs}, channel="web", code=code)
        add_households(commune.children[1], 10)  # a later import
        db.session.execute(db.update(Household).where(Household.number == "1").values(active=False))
        db.session.commit()
        live = campaign_summary(campaign)
        assert (live["households"], live["returned"], live["coverage"], live["frozen"]) == (6, 4, 4 / 6, False)
        assert live["issued"] == 6 and live["coverage_met"] is False  # 4/6 = 66.7 % < 70 %
        close_campaign(campaign.id, staff_user_id=None)
        publish_campaign(campaign.id, staff_user_id=None)
        add_households(commune.children[0], 5)
        db.session.execute(db.update(Household).values(active=False))
        db.session.commit()
        frozen = campaign_summary(campaign)
        assert frozen["frozen"] is True and frozen["status"] == "published"
        assert {k: frozen[k] for k in ("households", "returned", "coverage", "issued", "overall_rate")} == \
            {"households": 6, "returned": 4, "coverage": 4 / 6, "issued": 6, "overall_rate": 1.0}


def test_close_and_publish_refuse_the_wrong_step_and_leave_audit_rows(app, runner):
    with app.app_context():
        campaign = _campaign(make_commune([2]), small_questionnaire(), status="open")
        campaign_id = campaign.id
        with pytest.raises(DomainError, match="Đợt lấy ý kiến đang mở: chỉ công bố được đợt đã đóng."):
            publish_campaign(campaign_id)
        with pytest.raises(DomainError, match="Đợt lấy ý kiến đang mở: chỉ mở được đợt còn là bản nháp."):
            open_campaign(campaign_id)
    assert runner.invoke(args=["campaign", "close", str(campaign_id)]).output.strip().endswith("status=closed")
    again = runner.invoke(args=["campaign", "close", str(campaign_id)])
    assert again.exit_code == 1 and "Đợt lấy ý kiến đã đóng: chỉ đóng được đợt đang mở." in again.output
    published = runner.invoke(args=["campaign", "publish", str(campaign_id)])
    assert published.exit_code == 0 and "status=published" in published.output
    missing = runner.invoke(args=["campaign", "publish", "99999"])
    assert missing.exit_code == 1 and missing.output.strip().endswith("Không có đợt lấy ý kiến số 99999.")
    with app.app_context():
        actions = db.session.execute(select(AuditLog.action).where(
            AuditLog.object_type == "campaign", AuditLog.object_id == str(campaign_id)).order_by(AuditLog.id)
        ).scalars().all()
        assert actions == ["campaign.close", "campaign.publish"]
        campaign = db.session.get(Campaign, campaign_id)
        assert campaign.closed_at and campaign.published_at and campaign.frozen_figures


def test_only_rural_communes_inside_their_validity_get_campaigns(app):
    with app.app_context():
        questionnaire = small_questionnaire()
        ward = make_commune([1], division_type="phường")
        with pytest.raises(DomainError, match="là phường, không phải xã"):
            _campaign(ward, questionnaire)
        assert _campaign(ward, questionnaire, allow_non_rural=True).commune_id == ward.id
        with pytest.raises(DomainError, match="là đặc khu, không phải xã"):
            _campaign(make_commune([1], division_type="đặc khu"), questionnaire)
        old = make_commune([1], valid_from=date(2010, 1, 1), valid_to=date(2025, 6, 30))
        with pytest.raises(DomainError, match=r"không nằm trọn trong thời gian xã, phường mã \d+ tồn tại "
                                              r"\(01/01/2010 – 30/06/2025\)"):
            _campaign(old, questionnaire)  # the unit no longer exists today
        made = create_campaign(commune_code=old.code, questionnaire_key=questionnaire.key, name="2024",
                               opens_on=date(2024, 5, 1), closes_on=date(2024, 5, 28))
        assert made.commune_id == old.id


def test_a_paper_form_with_a_blank_counts_its_other_answers(app):
    with app.app_context():
        campaign = _campaign(make_commune([3]), small_questionnaire(), status="open")
        generate_codes(campaign)
        first, second, third = list(unused_codes(campaign))
        qs = campaign.questionnaire.questions
        with pytest.raises(IncompleteAnswers):  # web and chat still ask for every answer
            submit_response({qs[0].id: AnswerInput(True)}, channel="web", code=first)
        submit_response({qs[0].id: AnswerInput(True), qs[3].id: AnswerInput(False, "chưa tốt")},
                        channel="paper", code=first, allow_blanks=True)
        submit_response({q.id: AnswerInput(True) for q in qs}, channel="paper", code=second, allow_blanks=True)
        with pytest.raises(DomainError, match="at least one question"):
            submit_response({}, channel="paper", code=third, allow_blanks=True)
        summary = campaign_summary(campaign)
        by_position = {q["position"]: q for q in summary["questions"]}
        assert summary["valid"] == 2
        assert [(by_position[p]["answered"], by_position[p]["blank"]) for p in (1, 2, 3, 4)] == \
            [(2, 0), (1, 1), (1, 1), (2, 0)]
        assert by_position[2]["rate"] == 1.0 and by_position[4]["rate"] == 0.5


def test_the_verdict_rule_and_questions_under_the_bar(app):
    with app.app_context():
        questionnaire = small_questionnaire(2)
        commune = make_commune([4])
        results = {}
        for rule in ("overall", "every_question"):
            campaign = _campaign(commune, questionnaire, status="open", verdict_rule=rule, slug=f"rule-{rule}")
            generate_codes(campaign)
            qs = campaign.questionnaire.questions
            for i, code in enumerate(unused_codes(campaign)):
                submit_response({q.id: AnswerInput(not (q.position == 1 and i == 0), "xa") for q in qs},
                                channel="zalo", code=code)
            results[rule] = campaign_summary(campaign)
        assert results["overall"]["meets_threshold"] is True
        assert results["every_question"]["meets_threshold"] is False
        for summary in results.values():
            assert summary["questions_under_bar"] == [qs[0].id] and summary["verdict_rule"] in summary["slug"]


def test_a_merged_communes_2024_campaign_is_on_its_successors_page(app, client, runner, tmp_path):
    with app.app_context():
        province = AdminUnit(level=UnitLevel.PROVINCE, code="42", name="Tỉnh Hà Tĩnh")
        successor_id = make_commune([2], code="18673", valid_from=date(2025, 7, 1), parent=province).id
        questionnaire_key = small_questionnaire().key
    legacy = tmp_path / "legacy.csv"
    legacy.write_text("code,name,level,parent,valid_from,valid_to,merged_into\n"
                      "436,Huyện Cẩm Xuyên,district,42,2008-01-01,2025-06-30,\n"
                      "18700,Xã Cẩm Quang,commune,436,2008-01-01,2025-06-30,18673\n", encoding="utf-8")
    result = runner.invoke(args=["units", "legacy", str(legacy)])
    assert result.exit_code == 0 and "units=2 mergers=1" in result.output, result.output
    with app.app_context():
        old = db.session.execute(select(AdminUnit).where(AdminUnit.code == "18700")).scalar_one()
        db.session.add(AdminUnit(level=UnitLevel.HAMLET, code="18700-01", name="Thôn Cũ", parent=old,
                                 valid_from=date(2008, 1, 1)))
        db.session.commit()
        add_households(old.children[0], 4)
        campaign = create_campaign(commune_code="18700", questionnaire_key=questionnaire_key, name="Đợt 2024 Cẩm Quang",
                                   opens_on=date(2024, 5, 1), closes_on=date(2024, 5, 28), status="open")
        generate_codes(campaign)
        qs = campaign.questionnaire.questions
        for code in list(unused_codes(campaign))[:3]:
            submit_response({q.id: AnswerInput(True) for q in qs}, channel="paper", code=code, today=date(2024, 5, 9))
        close_campaign(campaign.id)
        publish_campaign(campaign.id)
        assert old.merged_into_id == successor_id
        from survey_app.auth import can_see
        from survey_app.services.staff.users import create_or_reset_user

        staff, _ = create_or_reset_user("canbo-moi", role="commune", unit=db.session.get(AdminUnit, successor_id),
                                        password="0123456789ab")
        stranger, _ = create_or_reset_user("canbo-khac", role="commune", unit=make_commune([1]),
                                           password="0123456789ab")
        assert can_see(staff, campaign.commune) and not can_see(stranger, campaign.commune)
    page = client.get("/cong-khai/18673").get_data(as_text=True)
    assert "Đợt 2024 Cẩm Quang" in page and "Xã Cẩm Quang, Huyện Cẩm Xuyên, nay thuộc Xã Thử" in page
    assert "75,0 %" in page  # 3 of 4 households
    bad = tmp_path / "bad.csv"
    bad.write_text("code,name,level,parent,valid_from,valid_to,merged_into\n"
                   "1,Xã A,village,,2008-01-01,,\n2,Xã B,commune,,hôm qua,,\n", encoding="utf-8")
    refused = runner.invoke(args=["units", "legacy", str(bad)])
    assert refused.exit_code == 1 and "dòng 2" in refused.output and "dòng 3" in refused.output


def test_households_given_codes_after_opening_join_the_households_counted(app, client):
    with app.app_context():
        commune = make_commune([1])
        campaign = _campaign(commune, small_questionnaire(), status="open")
        first = commune.children[0]
        add_households(first, 2)  # imported after opening, then given codes
        late = AdminUnit(level=UnitLevel.HAMLET, code=f"{commune.code}-09", name="Thôn Mới", parent=commune,
                         division_type="thôn", valid_from=commune.valid_from)
        db.session.add(late)
        db.session.commit()
        add_households(late, 1)  # a hamlet the campaign did not know when it opened
        assert generate_codes(campaign) == 4
        counted = {str(first.id): 3, str(late.id): 1}
        assert campaign.household_counts == counted
        assert generate_codes(campaign) == 0 and campaign.household_counts == counted  # nobody counted twice
        audited = db.session.execute(select(AuditLog).where(AuditLog.action == "codes.generate")).scalar_one()
        assert (audited.staff_user_id, audited.object_id) == (None, str(campaign.id))
        assert audited.details == {"generated": 4, "households_added": {str(first.id): 2, str(late.id): 1},
                                   "households": 4}
        qs = campaign.questionnaire.questions
        for code in unused_codes(campaign):
            submit_response({q.id: AnswerInput(True) for q in qs}, channel="web", code=code)
        close_campaign(campaign.id)
        publish_campaign(campaign.id)
        summary, hamlets, code = campaign_summary(campaign), hamlet_breakdown(campaign), commune.code
    assert (summary["returned"], summary["households"], summary["coverage"], summary["coverage_exceeds_households"]) \
        == (4, 4, 1.0, False)
    assert {h["name"]: (h["households"], h["returned"]) for h in hamlets} == {"Thôn 01": (3, 3), "Thôn Mới": (1, 1)}
    page = client.get(f"/cong-khai/{code}").get_data(as_text=True)
    assert "100,0 %" in page and "nhiều hơn số hộ" not in page


def test_households_given_a_code_as_a_draft_then_made_inactive_are_counted_at_opening(app):
    with app.app_context():
        commune = make_commune([3, 2, 1])
        campaign = _campaign(commune, small_questionnaire())
        assert generate_codes(campaign) == 6  # codes handed out while a draft
        first, second, third = commune.children
        db.session.execute(db.update(Household).where(Household.hamlet_id.in_([first.id, third.id]),
                                                      Household.number == "1").values(active=False))
        db.session.commit()
        add_households(second, 1)  # active, no code yet
        add_households(first, 1)  # beside an inactive code holder: both count (neither count alone says 4)
        open_campaign(campaign.id, staff_user_id=None)
        counted = {str(first.id): 4, str(second.id): 3, str(third.id): 1}
        assert campaign.household_counts == counted
        opened = db.session.execute(select(AuditLog).where(AuditLog.action == "campaign.open")).scalar_one()
        assert opened.details == {"households": 8}
        qs = campaign.questionnaire.questions
        for code in unused_codes(campaign):  # the inactive households' codes answer too
            submit_response({q.id: AnswerInput(True) for q in qs}, channel="web", code=code)
        assert generate_codes(campaign) == 2 and campaign.household_counts == counted  # already counted
        summary, hamlets = campaign_summary(campaign), hamlet_breakdown(campaign)
    assert (summary["returned"], summary["households"], summary["coverage_exceeds_households"]) == (6, 8, False)
    assert {h["name"]: (h["households"], h["returned"]) for h in hamlets} == {
        "Thôn 01": (4, 3), "Thôn 02": (3, 2), "Thôn 03": (1, 1)}


def test_a_closed_or_published_campaign_gives_no_more_codes(app, runner):
    with app.app_context():
        commune = make_commune([2])
        campaign = _campaign(commune, small_questionnaire(), status="open")
        generate_codes(campaign)
        close_campaign(campaign.id)
        add_households(commune.children[0], 1)
        campaign_id, counted = campaign.id, campaign.household_counts
        with pytest.raises(DomainError, match="đã đóng: không cấp thêm mã"):
            generate_codes(campaign)
        db.session.rollback()
    closed = runner.invoke(args=["codes", "generate", "--campaign", str(campaign_id)])
    assert closed.exit_code == 1 and "Đợt lấy ý kiến đã đóng: không cấp thêm mã." in closed.output
    with app.app_context():
        publish_campaign(campaign_id)
    published = runner.invoke(args=["codes", "generate", "--campaign", str(campaign_id)])
    assert published.exit_code == 1
    assert "Đợt lấy ý kiến đã công bố kết quả: không cấp thêm mã." in published.output
    with app.app_context():
        codes = db.session.execute(select(InvitationCode.id).where(InvitationCode.campaign_id == campaign_id)).all()
        assert len(codes) == 2 and db.session.get(Campaign, campaign_id).household_counts == counted


def test_a_round_published_with_uncounted_code_holders_still_says_why(app, client):
    with app.app_context():
        commune = make_commune([1])
        campaign = _campaign(commune, small_questionnaire(), status="open")
        generate_codes(campaign)
        add_households(commune.children[0], 1)
        late = db.session.execute(select(Household).where(Household.number.like("late-%"))).scalar_one()
        # a code given as before late households joined the count (rounds published before the fix)
        db.session.add(InvitationCode(code=new_code(), campaign_id=campaign.id, household_id=late.id))
        db.session.commit()
        qs = campaign.questionnaire.questions
        for code in unused_codes(campaign):
            submit_response({q.id: AnswerInput(True) for q in qs}, channel="web", code=code)
        close_campaign(campaign.id)
        publish_campaign(campaign.id)
        summary, code = campaign_summary(campaign), commune.code
    assert (summary["returned"], summary["households"], summary["coverage_exceeds_households"]) == (2, 1, True)
    page = client.get(f"/cong-khai/{code}").get_data(as_text=True)
    assert "200,0 %" in page and "có hộ nhận mã nhưng chưa được tính vào số hộ" in page


def test_the_public_page_says_when_answers_stopped_before_the_planned_day(app, client):
    with app.app_context():
        commune, questionnaire = make_commune([3]), small_questionnaire()
        campaign = _campaign(commune, questionnaire)  # planned to close in 20 days
        open_campaign(campaign.id, staff_user_id=None)
        generate_codes(campaign)
        code = list(unused_codes(campaign))[0]
        submit_response({q.id: AnswerInput(True) for q in campaign.questionnaire.questions}, channel="web", code=code)
        close_campaign(campaign.id, staff_user_id=None)  # today, 20 days early
        publish_campaign(campaign.id, staff_user_id=None)
        commune_code, closes_on = commune.code, campaign.closes_on
    page = client.get(f"/cong-khai/{commune_code}").get_data(as_text=True)
    said = re.search(r"Từ [^<]*", page).group(0)  # "Từ 21 thg 11, 2026 đến 23 thg 11, 2026 (kết thúc sớm …)"
    assert said.endswith(f"(kết thúc sớm hơn dự kiến {closes_on.day} thg {closes_on.month}, {closes_on.year})")
    with app.app_context():  # the same campaign had it closed on its planned day
        campaign = db.session.get(Campaign, campaign.id)
        campaign.closed_at = campaign.published_at = None
        campaign.closes_on = today_in_vietnam()
        db.session.commit()
    page = client.get(f"/cong-khai/{commune_code}").get_data(as_text=True)
    assert "kết thúc sớm hơn dự kiến" not in page and "trước ngày kết thúc dự kiến" not in page
