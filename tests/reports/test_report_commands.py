"""flask bench seed and flask report --format xlsx."""
from __future__ import annotations

import io
import json
import re

from openpyxl import load_workbook
from sqlalchemy import func, select

from survey_app.extensions import db
from survey_app.models import AdminUnit, Feedback, StaffRole
from survey_app.services.feedback.intake import scope_of
from survey_app.services.staff.users import create_or_reset_user
from survey_app.text import fold


def test_bench_seed_reports_what_it_made_and_refuses_a_second_run(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["bench", "seed", "--households", "300"])
    assert result.exit_code == 0, result.output
    made = json.loads(result.output.strip().splitlines()[-1])
    assert made["communes"] == 2 and made["household"] == 300 + 4 * 150  # plus the former communes' hamlets
    assert made["answer"] > made["response"] > 0 and made["feedback"] > 0
    again = runner.invoke(args=["bench", "seed", "--households", "300"])
    assert again.exit_code == 1 and "Dữ liệu thử tải đã có ở đây" in again.output


def test_report_xlsx_writes_the_summary_form(app, bench, tmp_path):
    runner = app.test_cli_runner()
    target = tmp_path / "bieu.xlsx"
    result = runner.invoke(args=["report", "--campaign", "1", "--format", "xlsx", "--output", str(target)])
    assert result.exit_code == 0, result.output
    summary = json.loads(runner.invoke(args=["report", "--campaign", "1", "--format", "json"]).output)
    book = load_workbook(io.BytesIO(target.read_bytes()), read_only=True)
    facts = {r[0]: r[1] for r in book["Tổng hợp"].iter_rows(values_only=True) if len(r) > 1}
    assert facts["Số phiếu thu về"] == summary["returned"] and facts["Số hộ"] == summary["households"]


def test_report_xlsx_goes_to_stdout_as_bytes_without_output(app, bench):
    result = app.test_cli_runner().invoke(args=["report", "--campaign", "1", "--format", "xlsx"])
    assert result.exit_code == 0
    book = load_workbook(io.BytesIO(result.stdout_bytes), read_only=True)
    assert "Theo thôn" in book.sheetnames


def test_bench_feedback_is_scoped_like_any_feedback_and_its_commune_officer_sees_it(app):
    assert app.test_cli_runner().invoke(args=["bench", "seed", "--households", "300"]).exit_code == 0
    with app.app_context():
        rows = db.session.execute(select(Feedback.unit_id, Feedback.commune_id, Feedback.province_id,
                                         Feedback.text, Feedback.text_folded)).all()
        assert all((r.commune_id, r.province_id) == scope_of(r.unit_id) for r in rows)
        assert all(r.text_folded == fold(r.text) for r in rows)  # the queue's search finds them
        commune = db.session.execute(select(AdminUnit).where(AdminUnit.code == "99001")).scalar_one()
        hamlets = select(AdminUnit.id).where(AdminUnit.parent_id == commune.id)
        mine = db.session.execute(select(func.count()).where(Feedback.unit_id.in_(hamlets))).scalar_one()
        _, password = create_or_reset_user("xa1", role=StaffRole.COMMUNE, unit=commune)
    client = app.test_client()
    page = client.get("/staff/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    client.post("/staff/login", data={"username": "xa1", "password": password, "csrf_token": token})
    queue = client.get("/staff/feedback").get_data(as_text=True)
    assert mine > 0 and f"Tất cả ({mine})" in queue
