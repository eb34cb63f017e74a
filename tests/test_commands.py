"""The commands an operator types: init-db, seed-demo, units import, campaign create, codes, users, report."""
import json

import openpyxl
import pytest
from sqlalchemy import func, select

from survey_app.extensions import db
from survey_app.models import AdminUnit, Campaign, Household, InvitationCode, StaffUser, UnitLevel


def test_init_db_is_safe_to_run_again_and_keeps_data(app, runner, demo):
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    assert "added 0 criteria sets, 0 questionnaires" in result.output
    with app.app_context():
        assert db.session.get(Campaign, demo["campaign_id"]) is not None


def test_seed_demo_json_is_the_last_line_and_lists_every_unused_code(app, runner):
    result = runner.invoke(args=["seed-demo", "--json"])
    assert result.exit_code == 0, result.output
    info = json.loads(result.stdout.strip().splitlines()[-1])
    assert set(info) >= {"campaign_id", "campaign_slug", "commune_code", "codes", "admin_username",
                         "admin_password"}
    assert info["commune_code"] == "18673"
    with app.app_context():
        households = db.session.execute(select(func.count(Household.id))).scalar_one()
        hamlets = db.session.execute(select(func.count()).where(AdminUnit.level == UnitLevel.HAMLET)).scalar_one()
        admin = db.session.execute(select(StaffUser).where(StaffUser.username == "admin")).scalar_one()
        assert admin.check_password(info["admin_password"])
    assert households == len(info["codes"]) == 400
    assert 6 <= hamlets <= 8
    again = json.loads(runner.invoke(args=["seed-demo", "--json"]).stdout.strip().splitlines()[-1])
    assert again["campaign_id"] == info["campaign_id"] and again["codes"] == info["codes"]
    assert again["admin_password"] != info["admin_password"]


def test_seed_demo_again_leaves_a_closed_demo_campaign_as_it_was(app, runner, demo):
    from survey_app.services.campaigns.lifecycle import close_campaign

    with app.app_context():
        close_campaign(demo["campaign_id"])
    result = runner.invoke(args=["seed-demo", "--json"])
    assert result.exit_code == 0, result.output
    again = json.loads(result.stdout.strip().splitlines()[-1])
    assert again["campaign_id"] == demo["campaign_id"] and again["codes"] == demo["codes"]


def test_units_import_loads_every_province_and_commune_once(app, runner):
    for _ in range(2):
        result = runner.invoke(args=["units", "import"])
        assert result.exit_code == 0, result.output
        assert result.stdout.strip().splitlines()[-1] == "provinces=34 communes=3321"


def _write_households(path, rows):
    path.write_text("hamlet,number,head_name\n" + "\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")


def test_a_broken_households_file_reports_every_bad_row_and_imports_nothing(app, runner, demo, tmp_path):
    bad = tmp_path / "ho.csv"
    _write_households(bad, [
        ("Thôn Yên Thịnh", "900", "Nguyễn Văn An"),
        ("Thôn Không Có", "901", "Trần Thị Bé"),
        ("Thôn Yên Thịnh", "", "Lê Văn Cường"),
        ("Thôn Yên Thịnh", "900", "Lặp Lại"),
        ("", "903", "Không Thôn"),
    ])
    with app.app_context():
        before = db.session.execute(select(func.count(Household.id))).scalar_one()
    result = runner.invoke(args=["units", "import", "--commune", "18673", "--households", str(bad)])
    assert result.exit_code == 1
    assert "dòng 3: không có thôn 'Thôn Không Có'" in result.output
    assert "dòng 4: thiếu số hộ" in result.output
    assert "dòng 5: hộ số 900 của Thôn Yên Thịnh bị trùng" in result.output
    assert "dòng 6: thiếu tên thôn" in result.output
    assert "không nhập gì cả" in result.output
    with app.app_context():
        assert db.session.execute(select(func.count(Household.id))).scalar_one() == before


def test_hamlets_and_households_import_from_xlsx_with_vietnamese_headers(app, runner, tmp_path):
    hamlets = tmp_path / "thon.csv"
    hamlets.write_text("Tên thôn\nXóm Đồng\nXóm Bãi\n", encoding="utf-8")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Thôn", "Số hộ", "Họ tên chủ hộ"])
    sheet.append(["xóm đồng", 1, "Nguyễn Văn Tư"])
    sheet.append(["Xóm Bãi", 1, "Phạm Thị Năm"])
    households = tmp_path / "ho.xlsx"
    book.save(households)
    result = runner.invoke(args=["units", "import", "--commune", "18673", "--hamlets", str(hamlets),
                                 "--households", str(households)])
    assert result.exit_code == 0, result.output
    assert "hamlets=2" in result.output and "households=2" in result.output
    with app.app_context():
        numbers = db.session.execute(select(Household.number).order_by(Household.number)).scalars().all()
    assert numbers == ["1", "1"]


def test_campaign_create_and_codes_generate(app, runner, demo):
    result = runner.invoke(args=["campaign", "create", "--commune", "18673", "--name", "Đợt 2",
                                 "--opens", "2026-12-01", "--closes", "2026-12-28", "--threshold", "0.95"])
    assert result.exit_code == 0, result.output
    campaign_id = int(result.stdout.split("campaign_id=")[1].split()[0])
    result = runner.invoke(args=["codes", "generate", "--campaign", str(campaign_id)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith("generated=56")
    again = runner.invoke(args=["codes", "generate", "--campaign", str(campaign_id)])
    assert again.stdout.strip().endswith("generated=0")
    with app.app_context():
        codes = db.session.execute(select(InvitationCode.code).where(
            InvitationCode.campaign_id == campaign_id)).scalars().all()
    assert len(set(codes)) == 56


@pytest.mark.parametrize("args,message", [
    (["--opens", "2026-12-28", "--closes", "2026-12-01"], "Ngày kết thúc phải sau ngày bắt đầu."),
    (["--opens", "2026-12-01", "--closes", "2026-12-28", "--threshold", "90"], "Ngưỡng hài lòng phải là một tỉ lệ"),
])
def test_campaign_create_refuses_bad_input_with_a_message(app, runner, demo, args, message):
    result = runner.invoke(args=["campaign", "create", "--commune", "18673", "--name", "x", *args])
    assert result.exit_code == 1 and message in result.output


def test_users_create_prints_a_generated_password_once(app, runner, demo):
    result = runner.invoke(args=["users", "create", "canbo", "--role", "commune", "--unit", "18673"])
    assert result.exit_code == 0, result.output
    password = result.stdout.split("password=")[1].strip()
    with app.app_context():
        user = db.session.execute(select(StaffUser).where(StaffUser.username == "canbo")).scalar_one()
        assert user.check_password(password) and user.unit.code == "18673"
    refused = runner.invoke(args=["users", "create", "x", "--role", "commune", "--unit", "99999"])
    assert refused.exit_code == 1 and "Không tìm thấy đơn vị nào mang mã 99999" in refused.output


def test_report_prints_the_summary(app, runner, demo):
    result = runner.invoke(args=["report", "--campaign", str(demo["campaign_id"]), "--format", "json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["households"] == 56 and summary["returned"] == 0
