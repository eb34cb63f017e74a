"""Report speed on PostgreSQL: province roll-up, a campaign report, a commune's XLSX — each next to a
hand-written GROUP BY over the same rows, timed in the same run.

    createdb -h 127.0.0.1 -U postgres bench_h2
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench_h2 .venv/bin/flask --app survey_app init-db
    DATABASE_URL=... .venv/bin/flask --app survey_app bench seed --households 1000000   # ~8 min
    .venv/bin/python benchmarks/rollup.py --database postgresql://postgres@127.0.0.1:5432/bench_h2

Targets: roll-up of 1,000,000 households within 1 s; a campaign report within 200 ms; the XLSX of a
5,000-household commune within 3 s. Each figure is the median of --repeat runs after one warm-up.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import select, text  # noqa: E402

from survey_app import create_app  # noqa: E402
from survey_app.extensions import db  # noqa: E402
from survey_app.models import Campaign  # noqa: E402

BASE_ROLLUP = """
SELECT c.id, count(*) AS returned, sum(CASE WHEN r.is_valid THEN 1 ELSE 0 END) AS valid,
       sum(CASE WHEN r.is_valid AND a.satisfied THEN 1 ELSE 0 END) AS satisfied,
       sum(CASE WHEN r.is_valid AND a.id IS NOT NULL THEN 1 ELSE 0 END) AS answered
FROM campaign c JOIN admin_unit u ON u.id = c.commune_id
JOIN response r ON r.campaign_id = c.id
LEFT JOIN answer a ON a.response_id = r.id AND a.question_id IN (SELECT id FROM question WHERE is_overall)
WHERE u.parent_id = :province AND c.slug LIKE '%-latest'
GROUP BY c.id
"""
BASE_HOUSEHOLDS = """
SELECT h2.parent_id, count(*) FROM household h JOIN admin_unit h2 ON h2.id = h.hamlet_id
JOIN admin_unit u ON u.id = h2.parent_id WHERE u.parent_id = :province GROUP BY h2.parent_id
"""
BASE_CAMPAIGN = """
SELECT a.question_id, sum(CASE WHEN a.satisfied THEN 1 ELSE 0 END), count(*)
FROM answer a JOIN response r ON r.id = a.response_id
WHERE r.campaign_id = :campaign AND r.is_valid GROUP BY a.question_id
"""
BASE_HAMLETS = """
SELECT r.hamlet_id, r.channel, r.verified, count(*) FROM response r WHERE r.campaign_id = :campaign
GROUP BY r.hamlet_id, r.channel, r.verified
"""


def timed(fn, repeat: int) -> float:
    fn()
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="postgresql://postgres@127.0.0.1:5432/bench_h2")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    app = create_app({"SQLALCHEMY_DATABASE_URI": args.database, "SECRET_KEY": "bench"})
    with app.test_request_context():
        from survey_app.services.reports import alerts, exports, province
        from survey_app.services.reports import campaign_report as rollup

        unit = province.find_province("99")
        households = db.session.execute(text(
            "SELECT count(*) FROM household h JOIN admin_unit t ON t.id = h.hamlet_id "
            "JOIN admin_unit c ON c.id = t.parent_id WHERE c.parent_id = :p"), {"p": unit.id}).scalar_one()
        answers = db.session.execute(text("SELECT count(*) FROM answer")).scalar_one()
        campaign = db.session.execute(select(Campaign).where(Campaign.slug == "bench-99001-latest")).scalar_one()
        commune_households = rollup.campaign_report(campaign)["summary"]["households"]

        def province_page():
            rows = province.province_rollup(unit)
            alerts.open_complaints_over_limit([r["commune_id"] for r in rows])
            return rows

        def base_rollup():
            db.session.execute(text(BASE_ROLLUP), {"province": unit.id}).all()
            db.session.execute(text(BASE_HOUSEHOLDS), {"province": unit.id}).all()

        def base_campaign():
            db.session.execute(text(BASE_CAMPAIGN), {"campaign": campaign.id}).all()
            db.session.execute(text(BASE_HAMLETS), {"campaign": campaign.id}).all()

        def xlsx():
            return sum(len(chunk) for chunk in exports.campaign_xlsx(campaign))

        figures = [
            ("province roll-up", timed(province_page, args.repeat), timed(base_rollup, args.repeat), 1.0),
            ("campaign report", timed(lambda: rollup.campaign_report(campaign), args.repeat),
             timed(base_campaign, args.repeat), 0.2),
            ("campaign XLSX", timed(xlsx, args.repeat), timed(base_campaign, args.repeat), 3.0),
        ]
    print(f"data: {households:,} households in province 99, {answers:,} answers in the database; "
          f"campaign {campaign.id} has {commune_households:,} households")
    for name, ours, base, target in figures:
        verdict = "meets" if ours <= target else "MISSES"
        print(f"{name:18s} {ours * 1000:8.1f} ms   hand-written GROUP BY {base * 1000:8.1f} ms   "
              f"ratio {ours / base:5.2f}   target {target * 1000:.0f} ms: {verdict}")


if __name__ == "__main__":
    main()
