"""Alerts: under the bar, low coverage a week before closing, too many open complaints in one field."""
from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from survey_app.extensions import db
from survey_app.models import Campaign, Feedback
from survey_app.services.clock import today_in_vietnam
from survey_app.services.reports import alerts, province


def test_the_roll_up_and_the_commune_staff_home_page_flag_the_same_communes(app, bench, client):
    with app.app_context():
        campaign = db.session.execute(select(Campaign).where(Campaign.slug == "bench-99002-latest")).scalar_one()
        campaign.status = "open"
        campaign.closes_on = today_in_vietnam() + timedelta(days=3)
        db.session.commit()
        row = next(r for r in province.province_rollup(province.find_province("99")) if r["campaign_id"] == campaign.id)
        open_by_field = {}
        for f in db.session.execute(select(Feedback)).scalars():
            if f.status in ("new", "in_progress") and f.unit_id in {h.id for h in campaign.commune.children} | {
                    campaign.commune_id}:
                label = f.confirmed_label or f.predicted_label or "can_xem_xet"
                open_by_field[label] = open_by_field.get(label, 0) + 1
        over = {field for field, n in open_by_field.items() if n > alerts.complaint_limit()}
        over_limit = alerts.open_complaints_over_limit([campaign.commune_id]).get(campaign.commune_id, [])
        found = alerts.alerts_for(row, over_limit)
        kinds = {a["kind"] for a in found}
        assert ("under_bar" in kinds) is (row["answered"] > 0 and not row["meets_threshold"])
        assert ("low_coverage" in kinds) is (not row["coverage_met"])
        assert {a["field"] for a in found if a["kind"] == "complaints"} == over
        assert over  # the generated data does pass the limit somewhere
        from survey_app.services.staff.users import create_or_reset_user

        _, password = create_or_reset_user("mttq2", role="commune", unit=campaign.commune)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                      client.get("/staff/login").get_data(as_text=True)).group(1)
    client.post("/staff/login", data={"username": "mttq2", "password": password, "csrf_token": token})
    page = client.get("/staff/").get_data(as_text=True)
    row_of = r"<tr><th scope=\"row\">(?:<a [^>]*>)?Lấy ý kiến Xã Thử Nghiệm 2 2026(?:</a>)?</th>.*?</tr>"
    home = re.search(row_of, page, re.S).group(0)
    assert "ý kiến chưa xử lý" in home
    assert ("Tỷ lệ thu phiếu dưới 70 % khi" in home) is ("low_coverage" in kinds)
    assert ("Dưới mức yêu cầu" in home) is ("under_bar" in kinds)


def test_low_coverage_is_only_flagged_in_the_last_week():
    row = {"answered": 10, "satisfied": 10, "meets_threshold": True, "coverage_met": False, "status": "open",
           "closes_on": today_in_vietnam() + timedelta(days=20)}
    assert alerts.alerts_for(row, []) == []
    row["closes_on"] = today_in_vietnam() + timedelta(days=7)
    assert [a["kind"] for a in alerts.alerts_for(row, [])] == ["low_coverage"]
