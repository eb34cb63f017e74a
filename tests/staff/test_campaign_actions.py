"""A commune manager creates a campaign, uploads households, issues codes and runs it; each step is audited."""
import io
import re

import pytest
from sqlalchemy import func, select
from staff_helpers import post_form

from survey_app.extensions import db
from survey_app.models import AdminUnit, AuditLog, Campaign, CampaignStatus, Household, InvitationCode
from survey_app.services.reports.summary import campaign_summary

NEW = {"questionnaire_key": "xa-ntm-2026-2030", "name": "Đợt 2027", "purpose": "dinh_ky",
       "opens_on": "2027-03-01", "closes_on": "2027-03-25", "threshold_percent": "95", "mode": "household_codes",
       "verdict_rule": "every_question"}


def audit_actions(campaign_id=None):
    stmt = select(AuditLog.action).where(AuditLog.action != "login").order_by(AuditLog.id)
    if campaign_id is not None:
        stmt = stmt.where(AuditLog.object_id == str(campaign_id))
    return list(db.session.execute(stmt).scalars())


def upload(client, campaign_id, kind, text, name="ho.csv"):
    return post_form(client, f"/staff/campaigns/{campaign_id}/households",
                     {"kind": kind, "file": (io.BytesIO(text.encode("utf-8")), name)},
                     page_url=f"/staff/campaigns/{campaign_id}", content_type="multipart/form-data")


def test_a_manager_creates_a_draft_campaign_in_their_commune_with_an_audit_row(app, world, signed_in):
    client = signed_in("manager_a")
    response = post_form(client, "/staff/campaigns/new", {**NEW, "commune_id": world.commune_a},
                         page_url="/staff/campaigns/new")
    assert response.status_code == 302
    with app.app_context():
        campaign = db.session.execute(select(Campaign).where(Campaign.name == "Đợt 2027")).scalar_one()
        assert (campaign.commune_id, campaign.status, campaign.threshold, campaign.verdict_rule) == (
            world.commune_a, CampaignStatus.DRAFT, 0.95, "every_question")
        assert audit_actions(campaign.id) == ["campaign.create"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Đợt 2027" in page and "Bản nháp" in page and "95%" in page


def test_a_ward_gets_no_campaign_and_is_told_so_in_the_officers_language(app, world):
    from datetime import date

    from survey_app.errors import DomainError
    from survey_app.models import UnitLevel
    from survey_app.services.campaigns.staff_actions import create_for_commune

    with app.app_context():
        ward = AdminUnit(level=UnitLevel.COMMUNE, code="99901", name="Phường Thử", division_type="phường",
                         valid_from=date(2020, 1, 1))
        db.session.add(ward)
        db.session.commit()
        ward_id = db.session.execute(select(AdminUnit.id).where(AdminUnit.code == "99901")).scalar_one()
    told = {"vi": "Chỉ xã (không phải phường, đặc khu) mới lấy ý kiến về nông thôn mới.",
            "en": "Only a rural commune (xã), not a ward (phường) or a special zone (đặc khu), is surveyed"}
    for lang, message in told.items():
        with app.test_request_context(f"/staff/campaigns/new?lang={lang}"):
            with pytest.raises(DomainError) as refused:
                create_for_commune(db.session.get(AdminUnit, ward_id), staff_user_id=1, name="Đợt phường",
                                   opens_on=date(2027, 3, 1), closes_on=date(2027, 3, 25))
            assert message in str(refused.value)
    with app.app_context():
        assert db.session.execute(select(Campaign.id).where(Campaign.commune_id == ward_id)).first() is None
        assert audit_actions() == []


def test_closing_before_opening_is_refused_next_to_the_field(app, world, signed_in):
    client = signed_in("manager_a")
    response = post_form(client, "/staff/campaigns/new",
                         {**NEW, "commune_id": world.commune_a, "closes_on": "2027-02-01"},
                         page_url="/staff/campaigns/new")
    assert response.status_code == 200 and "Ngày kết thúc phải sau ngày bắt đầu" in response.get_data(as_text=True)
    with app.app_context():
        assert audit_actions() == []


def test_a_households_file_with_bad_rows_imports_nothing_and_names_each_row(app, world, signed_in):
    client = signed_in("manager_b")
    text = "Thôn,Số hộ,Họ tên chủ hộ\nThôn Xuân Hải,101,An\nThôn Không Có,102,Bình\nThôn Xuân Sơn,,Chi\n"
    response = upload(client, world.campaign_b, "households", text)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "dòng 3: không có thôn &#39;Thôn Không Có&#39; trong xã" in page and "dòng 4: thiếu số hộ" in page
    with app.app_context():
        count = select(func.count()).select_from(Household).where(Household.number == "101")
        assert db.session.execute(count).scalar() == 0
        assert audit_actions() == []


def test_a_good_households_file_then_codes_show_in_the_turnout_with_audit_rows(app, world, signed_in):
    client = signed_in("manager_b")
    assert upload(client, world.campaign_b, "hamlets", "Tên thôn\nThôn Xuân Mới\n").status_code == 302
    text = "Thôn,Số hộ\nThôn Xuân Mới,1\nThôn Xuân Mới,2\nThôn Xuân Hải,99\n"
    response = upload(client, world.campaign_b, "households", text, name="ho.xlsx.csv")
    assert response.status_code == 302
    assert post_form(client, f"/staff/campaigns/{world.campaign_b}/codes",
                     page_url=f"/staff/campaigns/{world.campaign_b}").status_code == 302
    with app.app_context():
        assert db.session.execute(select(func.count()).select_from(InvitationCode).where(
            InvitationCode.campaign_id == world.campaign_b)).scalar() == 6 + 3
        assert audit_actions() == ["units.upload_hamlets", "units.upload_households", "codes.generate"]
    page = client.get(f"/staff/campaigns/{world.campaign_b}").get_data(as_text=True)
    assert "Thôn Xuân Mới" in page and "Đã cấp 3 mã mới" in page


def test_households_imported_after_opening_are_counted_when_they_get_codes(app, world, signed_in):
    client = signed_in("manager_b")
    assert upload(client, world.campaign_b, "hamlets", "Tên thôn\nThôn Xuân Mới\n").status_code == 302
    text = "Thôn,Số hộ\nThôn Xuân Mới,1\nThôn Xuân Mới,2\nThôn Xuân Hải,99\n"
    assert upload(client, world.campaign_b, "households", text).status_code == 302
    assert post_form(client, f"/staff/campaigns/{world.campaign_b}/codes",
                     page_url=f"/staff/campaigns/{world.campaign_b}").status_code == 302
    with app.app_context():
        hamlet = {name: str(id_) for id_, name in db.session.execute(
            select(AdminUnit.id, AdminUnit.name).where(AdminUnit.parent_id == world.commune_b))}
        campaign = db.session.get(Campaign, world.campaign_b)
        assert campaign.household_counts == {hamlet["Thôn Xuân Hải"]: 4, hamlet["Thôn Xuân Sơn"]: 3,
                                             hamlet["Thôn Xuân Mới"]: 2}
        assert campaign_summary(campaign)["households"] == 9
        audited = db.session.execute(select(AuditLog).where(AuditLog.action == "codes.generate")).scalar_one()
        assert audited.staff_user_id is not None and audited.details == {
            "generated": 3, "households_added": {hamlet["Thôn Xuân Hải"]: 1, hamlet["Thôn Xuân Mới"]: 2},
            "households": 9}


def test_a_closed_campaign_offers_no_codes_and_refuses_them_in_the_officers_language(app, world, signed_in):
    client = signed_in("manager_b")
    url = f"/staff/campaigns/{world.campaign_b}"
    assert post_form(client, f"{url}/close", page_url=url).status_code == 302
    assert "Cấp mã cho các hộ chưa có mã" not in client.get(url).get_data(as_text=True)
    with app.app_context():
        hamlet = db.session.execute(select(AdminUnit).where(AdminUnit.parent_id == world.commune_b)).scalars().first()
        db.session.add(Household(hamlet_id=hamlet.id, number="muon"))  # a household imported after closing
        db.session.commit()
    refused = post_form(client, f"{url}/codes", page_url=url, follow_redirects=True).get_data(as_text=True)
    assert "Đợt lấy ý kiến đã đóng: không cấp thêm mã." in refused
    client.set_cookie("lang", "en")
    refused = post_form(client, f"{url}/codes", page_url=url, follow_redirects=True).get_data(as_text=True)
    assert "The campaign is closed: no more codes are issued." in refused
    with app.app_context():
        assert db.session.execute(select(func.count()).select_from(InvitationCode).where(
            InvitationCode.campaign_id == world.campaign_b)).scalar() == 6
        assert audit_actions(world.campaign_b) == ["campaign.close"]


def test_an_xlsx_households_file_is_read_too(app, world, signed_in, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Thôn", "Số hộ", "Họ tên chủ hộ"])
    book.active.append(["Thôn Xuân Sơn", 77, "Phan Thị Hoa"])
    buffer = io.BytesIO()
    book.save(buffer)
    client = signed_in("manager_b")
    response = post_form(client, f"/staff/campaigns/{world.campaign_b}/households",
                         {"kind": "households", "file": (io.BytesIO(buffer.getvalue()), "danh-sach.xlsx")},
                         page_url=f"/staff/campaigns/{world.campaign_b}", content_type="multipart/form-data")
    assert response.status_code == 302
    with app.app_context():
        head = db.session.execute(select(Household.head_name).where(Household.number == "77")).scalar_one()
        assert head == "Phan Thị Hoa"


def test_a_file_that_is_not_csv_or_xlsx_is_refused(world, signed_in):
    client = signed_in("manager_b")
    response = upload(client, world.campaign_b, "households", "MZ...", name="virus.exe")
    assert response.status_code == 400 and "Chỉ nhận tệp CSV hoặc XLSX" in response.get_data(as_text=True)


def test_turnout_per_hamlet_counts_returned_and_valid_forms(app, world, signed_in):
    from staff_helpers import all_answers

    from survey_app.models import Channel
    from survey_app.services.survey.responses import submit_response

    with app.app_context():
        campaign = db.session.get(Campaign, world.campaign_b)
        submit_response(all_answers(campaign), channel=Channel.WEB, code=world.codes_b[0])
        submit_response({}, channel=Channel.PAPER, code=world.codes_b[1], valid=False)
        hamlets = dict(db.session.execute(select(AdminUnit.id, AdminUnit.name).where(
            AdminUnit.parent_id == world.commune_b)).all())
    client = signed_in("province")
    page = client.get(f"/staff/campaigns/{world.campaign_b}").get_data(as_text=True)
    assert all(name in page for name in hamlets.values())
    # 6 households, 6 codes, 2 returned, 1 valid, 33.3 % for the whole commune
    assert '<td class="num">6</td><td class="num">6</td>\n    <td class="num">2</td><td class="num">1</td>' in page
    assert "33,3%" in page or "33.3%" in page


def hamlet_households_cell(page, hamlet):
    """The "Số hộ" cell of a hamlet's row (or of the commune's total row: "Cả xã")."""
    return re.search(rf'<th scope="row">{hamlet}</th><td class="num">(.*?)</td>', page).group(1)


def test_after_opening_the_turnout_counts_the_campaigns_households_and_shows_the_list_where_it_differs(
        app, world, signed_in):
    from staff_helpers import all_answers

    from survey_app.models import Channel
    from survey_app.services.survey.responses import submit_response

    client = signed_in("manager_b")
    url = f"/staff/campaigns/{world.campaign_b}"
    assert upload(client, world.campaign_b, "households", "Thôn,Số hộ\nThôn Xuân Hải,101\nThôn Xuân Hải,102\n"
                  ).status_code == 302  # imported after opening, no code yet
    with app.app_context():
        son = select(AdminUnit.id).where(AdminUnit.parent_id == world.commune_b, AdminUnit.name == "Thôn Xuân Sơn")
        leaving = db.session.execute(select(InvitationCode).join(Household).where(
            Household.hamlet_id == son.scalar_subquery()).order_by(InvitationCode.id)).scalars().first()
        leaving.household.active = False  # moved away after opening; its code still answers
        db.session.commit()
        submit_response(all_answers(db.session.get(Campaign, world.campaign_b)), channel=Channel.WEB,
                        code=leaving.code)
        summary = campaign_summary(db.session.get(Campaign, world.campaign_b))
    page = client.get(url).get_data(as_text=True)
    assert summary["households"] == 6
    cells = {h: hamlet_households_cell(page, h) for h in ("Thôn Xuân Hải", "Thôn Xuân Sơn", "Cả xã")}
    assert cells == {"Thôn Xuân Hải": '3 <small class="live">(hiện có 5)</small>',
                     "Thôn Xuân Sơn": '3 <small class="live">(hiện có 2)</small>',
                     "Cả xã": '6 <small class="live">(hiện có 7)</small>'}
    assert "16,7%" in page  # 1 of the 6 households the report counts, not of the 7 on the list
    assert "Số hộ của đợt được chốt khi mở đợt" in page and "Hộ mới thêm vào danh sách được tính" in page
    client.set_cookie("lang", "en")
    english = client.get(url).get_data(as_text=True)
    assert '3 <small class="live">(5 now)</small>' in english and "fixed when it opened" in english
    assert post_form(client, f"{url}/codes", page_url=url).status_code == 302  # the two newcomers join
    client.set_cookie("lang", "vi")
    page = client.get(url).get_data(as_text=True)
    assert hamlet_households_cell(page, "Thôn Xuân Hải") == "5"
    assert hamlet_households_cell(page, "Cả xã") == '8 <small class="live">(hiện có 7)</small>'


def test_a_draft_counts_the_households_on_the_list_now(app, world, signed_in):
    from datetime import timedelta

    from survey_app.services.campaigns.lifecycle import create_campaign
    from survey_app.services.clock import today_in_vietnam

    with app.app_context():
        today = today_in_vietnam()
        draft = create_campaign(commune_code="18766", questionnaire_key="xa-ntm-2026-2030", name="Kỳ Xuân nháp",
                                opens_on=today + timedelta(days=5), closes_on=today + timedelta(days=30)).id
        db.session.execute(db.update(Household).where(Household.number == "1").values(active=False))
        db.session.commit()
    page = signed_in("manager_b").get(f"/staff/campaigns/{draft}").get_data(as_text=True)
    assert hamlet_households_cell(page, "Cả xã") == "5"
    assert "hiện có" not in page and "Số hộ của đợt được chốt" not in page



def test_a_manager_opens_closes_and_publishes_with_an_audit_row_each(app, world, signed_in):
    client = signed_in("manager_a")
    created = post_form(client, "/staff/campaigns/new",
                        {**NEW, "commune_id": world.commune_a, "opens_on": "2026-01-01", "closes_on": "2030-12-31"},
                        page_url="/staff/campaigns/new")
    campaign_id = int(created.headers["Location"].rsplit("/", 1)[1])
    for action, status in (("open", CampaignStatus.OPEN), ("close", CampaignStatus.CLOSED),
                           ("publish", CampaignStatus.PUBLISHED)):
        response = post_form(client, f"/staff/campaigns/{campaign_id}/{action}",
                             page_url=f"/staff/campaigns/{campaign_id}")
        assert response.status_code == 302, action
        with app.app_context():
            assert db.session.get(Campaign, campaign_id).status == status
    with app.app_context():
        actions = audit_actions(campaign_id)
    assert actions[0] == "campaign.create" and len(actions) == 4


def test_publishing_an_open_campaign_is_refused_in_the_officers_language(app, world, signed_in):
    client = signed_in("manager_b")
    url = f"/staff/campaigns/{world.campaign_b}"
    response = post_form(client, f"{url}/publish", page_url=url, follow_redirects=True)
    assert "Không thực hiện được: Đợt lấy ý kiến đang mở: chỉ công bố được đợt đã đóng." in \
        response.get_data(as_text=True)
    response = post_form(client, f"{url}/publish?lang=en", page_url=url, follow_redirects=True)
    assert "Could not do that: The campaign is open: only a closed campaign can be published." in \
        response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Campaign, world.campaign_b).status == CampaignStatus.OPEN
