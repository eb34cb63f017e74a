"""JSON, CSV, XLSX, the staff page and the public page show the same figures; access and privacy rules."""
from __future__ import annotations

import csv
import io
import re

from openpyxl import load_workbook
from sqlalchemy import select

from survey_app.extensions import db
from survey_app.models import AdminUnit, Campaign, Household, StaffRole
from survey_app.services.reports.counting import percent
from survey_app.services.staff.users import create_or_reset_user


def _latest(app, code="99001"):
    with app.app_context():
        campaign = db.session.execute(select(Campaign).where(Campaign.slug == f"bench-{code}-latest")).scalar_one()
        return campaign.id, campaign.commune.code


def _figure(page: str, name: str) -> str:
    return re.search(rf'data-figure="{name}">([^<]+)<', page).group(1)


def test_json_csv_xlsx_staff_and_public_pages_agree(app, bench, staff_client):
    campaign_id, commune_code = _latest(app)
    summary = staff_client.get(f"/api/campaigns/{campaign_id}/summary").get_json()
    overall = next(q for q in summary["questions"] if q["is_overall"])
    answered = overall["satisfied"] + overall["not_satisfied"]
    shown = f"{percent(overall['satisfied'], answered)}".replace(".", ",")

    page = staff_client.get(f"/staff/campaigns/{campaign_id}/report").get_data(as_text=True)
    assert _figure(page, "returned").replace(".", "") == str(summary["returned"])
    assert _figure(page, "valid").replace(".", "") == str(summary["valid"])
    assert _figure(page, "invalid").replace(".", "") == str(summary["invalid"])
    assert _figure(page, "overall") == f"{shown} %"

    rows = list(csv.DictReader(io.StringIO(
        staff_client.get(f"/staff/campaigns/{campaign_id}/report.csv").get_data(as_text=True).lstrip("\ufeff"))))
    commune_rows = {int(r["question_position"]): r for r in rows if r["scope"] == "commune"}
    for q in summary["questions"]:
        row = commune_rows[q["position"]]
        assert (int(row["satisfied"]), int(row["not_satisfied"])) == (q["satisfied"], q["not_satisfied"])
        assert int(row["returned"]) == summary["returned"] and int(row["valid"]) == summary["valid"]
    assert commune_rows[overall["position"]]["rate_percent"] == shown.replace(",", ".")

    xlsx = staff_client.get(f"/staff/campaigns/{campaign_id}/report.xlsx")
    assert xlsx.headers["Cache-Control"] == "no-store"
    book = load_workbook(io.BytesIO(xlsx.data), read_only=True)
    assert book.sheetnames == ["Tổng hợp", "Theo câu hỏi", "Theo thôn", "Lý do chưa hài lòng"]
    facts = {r[0]: r[1] for r in book["Tổng hợp"].iter_rows(values_only=True) if len(r) > 1}
    assert (facts["Số phiếu thu về"], facts["Số phiếu hợp lệ"], facts["Số phiếu không hợp lệ"]) == (
        summary["returned"], summary["valid"], summary["invalid"])
    assert facts["Tỷ lệ hài lòng chung (%)"] == float(shown.replace(",", "."))
    per_question = list(book["Theo câu hỏi"].iter_rows(values_only=True))[1:]
    assert [(r[3], r[4]) for r in per_question] == [(q["satisfied"], q["not_satisfied"]) for q in summary["questions"]]

    public = staff_client.get(f"/cong-khai/{commune_code}").get_data(as_text=True)
    assert f"{shown} %" in public  # the pages' format: "91,3 %"
    poster = staff_client.get(f"/cong-khai/{commune_code}/{campaign_id}/in").get_data(as_text=True)
    assert f"{shown} %" in poster and "Ủy ban MTTQ" in poster and "lang" not in re.sub(r"<html[^>]*>", "", poster)


def test_public_pages_hide_small_hamlets_and_names(app, bench, client):
    campaign_id, commune_code = _latest(app)
    with app.app_context():
        commune = db.session.execute(select(AdminUnit).where(AdminUnit.code == commune_code)).scalar_one()
        tiny = AdminUnit(level="hamlet", code="tiny", name="Thôn Nhỏ Xíu", division_type="thôn", parent=commune)
        db.session.add(tiny)
        db.session.flush()
        household = Household(hamlet_id=tiny.id, number="1", head_name="Lê Văn Riêngtư")
        db.session.add(household)
        db.session.flush()
        from survey_app.models import Answer, Response

        response = Response(campaign_id=campaign_id, household_id=household.id, hamlet_id=tiny.id, channel="paper")
        campaign = db.session.get(Campaign, campaign_id)
        response.answers = [Answer(question_id=q.id, satisfied=False) for q in campaign.questionnaire.questions]
        db.session.add(response)
        db.session.commit()
    for url in (f"/cong-khai/{commune_code}", f"/cong-khai/{commune_code}/{campaign_id}/in"):
        page = client.get(url).get_data(as_text=True)
        row = re.search(r"Thôn Nhỏ Xíu</th>(.*?)</tr>", page, re.S).group(1)
        assert "Dưới 5 phiếu" in row and "0,0" not in row
        assert "Riêngtư" not in page and "Chủ hộ" not in page
    data = client.get(f"/cong-khai/{commune_code}/{campaign_id}.csv").get_data(as_text=True)
    assert "Thôn Nhỏ Xíu" not in data and "Chủ hộ" not in data
    assert "Thôn 1" in data


def test_unpublished_campaigns_have_no_public_poster_or_csv(app, bench, client):
    with app.app_context():
        campaign = db.session.execute(select(Campaign).where(Campaign.slug == "bench-99002-latest")).scalar_one()
        campaign.status = "closed"
        db.session.commit()
        code, cid = campaign.commune.code, campaign.id
    assert client.get(f"/cong-khai/{code}/{cid}/in").status_code == 404
    assert client.get(f"/cong-khai/{code}/{cid}.csv").status_code == 404


def test_ids_beyond_the_database_integer_are_404_not_500(app, client, staff_client):
    assert client.get("/api/campaigns/99999999999999999999/summary").status_code == 404
    assert staff_client.get("/staff/campaigns/99999999999999999999/report").status_code == 404


def test_staff_reports_need_the_right_officer(app, bench, client):
    campaign_id, _ = _latest(app)
    assert client.get(f"/staff/campaigns/{campaign_id}/report").status_code == 302  # to the sign-in page
    with app.app_context():
        other = db.session.execute(select(AdminUnit).where(AdminUnit.code == "99002")).scalar_one()
        province = db.session.execute(select(AdminUnit).where(AdminUnit.code == "99",
                                                              AdminUnit.level == "province")).scalar_one()
        _, commune_pw = create_or_reset_user("xa2", role=StaffRole.COMMUNE, unit=other)
        _, province_pw = create_or_reset_user("tinh", role=StaffRole.PROVINCE, unit=province)

    def sign_in(name, password):
        client.post("/staff/logout", data={"csrf_token": _token(client)})
        client.post("/staff/login", data={"username": name, "password": password, "csrf_token": _token(client)})

    sign_in("xa2", commune_pw)
    assert client.get(f"/staff/campaigns/{campaign_id}/report").status_code == 404
    assert client.get("/staff/province/99").status_code == 404
    sign_in("tinh", province_pw)
    page = client.get("/staff/province/99")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert "Xã Thử Nghiệm 1" in page.get_data(as_text=True)
    assert client.get(f"/staff/campaigns/{campaign_id}/report").status_code == 200
    assert client.get("/staff/province/99/export.xlsx").status_code == 200


def _token(client) -> str:
    page = client.get("/staff/login").get_data(as_text=True)
    found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    return found.group(1) if found else ""


def test_province_page_figures_agree_with_the_xlsx(app, bench, staff_client):
    page = staff_client.get("/staff/province/99").get_data(as_text=True)
    book = load_workbook(io.BytesIO(staff_client.get("/staff/province/99/export.xlsx").data), read_only=True)
    rows = list(book.active.iter_rows(values_only=True))[2:]
    assert int(_figure(page, "communes")) == len(rows)
    assert int(_figure(page, "returned").replace(".", "")) == sum(r[6] for r in rows)
    assert int(_figure(page, "meeting")) == sum(1 for r in rows if r[10] == "Đạt")


def test_every_open_data_column_is_documented():
    from pathlib import Path

    from survey_app.services.reports.exports import OPEN_DATA_COLUMNS

    doc = (Path(__file__).resolve().parents[2] / "docs" / "open-data.md").read_text(encoding="utf-8")
    assert all(f"| `{name}` |" in doc for name, _ in OPEN_DATA_COLUMNS)


def test_a_campaign_without_any_form_reports_dashes_not_errors(app, demo, staff_client):
    campaign_id = demo["campaign_id"]
    page = staff_client.get(f"/staff/campaigns/{campaign_id}/report")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert _figure(text, "returned") == "0" and _figure(text, "overall") == "–"
    assert "Xã chưa có đợt lấy ý kiến trước." in text
    verdict = re.search(r'<p class="verdict"><strong>([^<]*)</strong>', text).group(1)
    assert verdict == "Chưa có phiếu" and "<td>Chưa đạt</td>" not in text  # nothing to judge is not "not met"
    assert staff_client.get(f"/staff/campaigns/{campaign_id}/report.xlsx").status_code == 200
    lines = staff_client.get(f"/staff/campaigns/{campaign_id}/report.csv").get_data(as_text=True).splitlines()
    questions = staff_client.get(f"/api/campaigns/{campaign_id}/summary").get_json()["questions"]
    assert len(lines) == 1 + len(questions) and lines[1].endswith(",0,0,")  # commune rows only, no rate


def test_the_province_page_refuses_a_bad_period_and_an_unknown_province(app, bench, staff_client):
    assert staff_client.get("/staff/province/99?from=2024-13-01").status_code == 400
    assert staff_client.get("/staff/province/00000").status_code == 404
    page = staff_client.get("/staff/province/99?sort=nonsense").get_data(as_text=True)
    assert "Xã Thử Nghiệm 2" in page
