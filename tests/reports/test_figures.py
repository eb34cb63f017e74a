"""Every report figure equals an independent count of the raw rows, on SQLite and PostgreSQL."""
from __future__ import annotations

from oracle import campaign_figures
from sqlalchemy import select

from survey_app.extensions import db
from survey_app.models import Campaign
from survey_app.services.reports import campaign_report as rollup
from survey_app.services.reports import province
from survey_app.services.reports.counting import meets_bar
from survey_app.services.reports.summary import campaign_summary


def _campaigns():
    return db.session.execute(select(Campaign).order_by(Campaign.id)).scalars().all()


def test_campaign_figures_match_an_independent_count(app, bench):
    with app.app_context():
        campaigns = _campaigns()
        assert len(campaigns) == 6  # 2 communes × 2 campaigns + 2 former communes
        for campaign in campaigns:
            want = campaign_figures(campaign.id)
            report = rollup.campaign_report(campaign)
            s = report["summary"]
            assert (s["households"], s["returned"], s["valid"]) == (want["households"], want["returned"], want["valid"])
            for q in s["questions"]:
                assert (q["satisfied"], q["not_satisfied"]) == want["questions"].get(q["id"], (0, 0))
            for h in report["hamlets"]:
                assert (h["returned"], h["valid"]) == want["by_hamlet"][h["id"]]
                assert h["households"] == want["households_by_hamlet"].get(h["id"], 0)
                sat, unsat = want["overall_by_hamlet"].get(h["id"], (0, 0))
                assert (h["satisfied"], h["answered"]) == (sat, sat + unsat)
                assert h["meets_threshold"] is meets_bar(sat, sat + unsat, campaign.threshold)
            for c in report["channels"]:
                assert c["verified"] == want["channels"].get((c["channel"], True), 0)
                assert c["unverified"] == want["channels"].get((c["channel"], False), 0)
            assert {r["field"]: r["count"] for r in report["reasons"]} == want["reasons"]
            assert {c["field"]: c["total"] for c in report["complaints"]} == want["complaints"]
            assert {c["field"]: c["open"] for c in report["complaints"] if c["open"]} == want["open_complaints"]
            assert {d["day"]: d["returned"] for d in report["turnout"]} == want["days"]
            for r in report["reasons"]:
                assert len(set(r["examples"])) == len(r["examples"]) == min(3, want["distinct_reasons"][r["field"]])


def test_the_data_mixes_channels_invalid_forms_skipped_questions_and_unverified_forms(app, bench):
    with app.app_context():
        want = campaign_figures(_campaigns()[0].id)
        assert {channel for channel, _ in want["channels"]} == {"web", "telegram", "zalo", "paper"}
        assert want["valid"] < want["returned"]
        answered = {q: sum(v) for q, v in want["questions"].items()}
        assert min(answered.values()) < want["valid"]  # some questions were skipped
        unverified = [c for c in _campaigns() if any(not v for _, v in campaign_figures(c.id)["channels"])]
        assert unverified


def test_province_rollup_matches_each_campaign_summary(app, bench):
    with app.app_context():
        unit = province.find_province("99")
        rows = province.province_rollup(unit)
        latest = {c.commune_id: c for c in _campaigns() if c.slug.endswith("-latest")}
        assert {r["campaign_id"] for r in rows} == {c.id for c in latest.values()}
        for row in rows:
            s = campaign_summary(latest[row["commune_id"]])
            overall = next(q for q in s["questions"] if q["is_overall"])
            assert (row["households"], row["returned"], row["valid"]) == (s["households"], s["returned"], s["valid"])
            assert (row["satisfied"], row["answered"]) == (overall["satisfied"],
                                                           overall["satisfied"] + overall["not_satisfied"])
            assert row["meets_threshold"] is s["meets_threshold"]
        assert sum(b["communes"] for b in province.distribution(rows)) == len(rows)
        ordered = province.sort_rows(rows, "attention")
        flags = [r["meets_threshold"] and r["coverage_met"] for r in ordered]
        assert flags == sorted(flags)  # communes needing attention first


def test_a_period_brings_in_former_communes_under_their_old_district(app, bench):
    with app.app_context():
        unit = province.find_province("99")
        from datetime import date

        rows = province.province_rollup(unit, date(2024, 1, 1), date(2024, 12, 31))
        assert sorted(r["commune"] for r in rows) == ["Xã Cũ 1", "Xã Cũ 2"]
        assert {r["district"] for r in rows} == {"Huyện Thử Nghiệm (cũ)"}
        assert {r["merged_into"] for r in rows} == {"Xã Thử Nghiệm 1"}


def test_the_previous_campaign_is_found_and_compared(app, bench):
    with app.app_context():
        latest = next(c for c in _campaigns() if c.slug == "bench-99001-latest")
        report = rollup.campaign_report(latest)
        earlier = next(c for c in _campaigns() if c.slug == "bench-99001-earlier")
        before = campaign_summary(earlier)
        change = report["previous"]
        assert change["campaign_id"] == earlier.id
        assert change["coverage_before"] == before["coverage"]
        assert [q["position"] for q in change["questions"]] == [q["position"] for q in before["questions"]]
