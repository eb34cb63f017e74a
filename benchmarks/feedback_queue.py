"""The staff review queue with 50,000 feedback rows in one province, on PostgreSQL.

    .venv/bin/python benchmarks/feedback_queue.py [--database-url URL] [--rows 50000] [--repeat 30]

Server time of whole requests (Flask test client: routing, sign-in check, queries, Jinja), median and
95th percentile, for a province officer (the widest scope) and a commune staff member:
  first page    – /staff/feedback (newest first, counts per field, hamlet list)
  filtered page – field + status + a search without diacritics, "cần xem xét" first
The baseline is a hand-written `SELECT … WHERE province_id = … ORDER BY created_at DESC LIMIT 51` on the
same data and connection pool; the script also counts SQL statements per request (no N+1).
"""
from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG_DEFAULT = "postgresql://postgres@127.0.0.1:5432/hailong_bench_staff"
WORDS = ["Đường thôn bị hư hỏng nặng", "Mương thủy lợi bị tắc", "Điện mất liên tục buổi tối",
         "Nước sinh hoạt có mùi", "Rác thải không được thu gom", "Trạm y tế thiếu thuốc",
         "Loa phát thanh quá to", "Trường học xuống cấp", "Cấp sổ đỏ chậm", "Trộm cắp gia súc"]
LABELS = ["giao_thong", "thuy_loi", "dien", "nuoc_sach", "moi_truong", "y_te", "thong_tin", "giao_duc",
          "dat_dai", "an_ninh", "can_xem_xet"]


def ensure_database(url: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from survey_app.config import normalize_database_url

    target = make_url(normalize_database_url(url))
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": target.database}).scalar():
            conn.execute(text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()


def seed(rows: int) -> dict:
    """A province of 20 communes × 8 hamlets and `rows` feedback rows (idempotent: reuses them)."""
    from sqlalchemy import func, insert, select

    from survey_app.extensions import db
    from survey_app.models import AdminUnit, Feedback, StaffRole, UnitLevel
    from survey_app.services.staff.users import create_or_reset_user
    from survey_app.text import fold

    province = db.session.execute(select(AdminUnit).where(AdminUnit.code == "B99")).scalar()
    if province is None:
        province = AdminUnit(level=UnitLevel.PROVINCE, code="B99", name="Tỉnh Thử")
        db.session.add(province)
        for c in range(20):
            commune = AdminUnit(level=UnitLevel.COMMUNE, code=f"B99{c:02d}", name=f"Xã Thử {c}",
                                division_type="Xã", parent=province)
            db.session.add(commune)
            for h in range(8):
                db.session.add(AdminUnit(level=UnitLevel.HAMLET, code=f"B99{c:02d}-{h}", name=f"Thôn {h}",
                                         parent=commune))
        db.session.commit()
    communes = db.session.execute(select(AdminUnit).where(AdminUnit.parent_id == province.id)).scalars().all()
    hamlets = [(h.id, c.id) for c in communes for h in c.children]
    have = db.session.execute(select(func.count()).where(Feedback.province_id == province.id)).scalar()
    rng = random.Random(7)
    start = datetime(2026, 1, 1)
    batch = []
    for i in range(have, rows):
        hamlet_id, commune_id = rng.choice(hamlets)
        text = f"{rng.choice(WORDS)} ở thôn, hộ số {i}"
        label = rng.choice(LABELS)
        batch.append(dict(text=text, text_folded=fold(text), source=rng.choice(["reason", "other", "complaint"]),
                          channel=rng.choice(["web", "telegram", "zalo", "paper"]), unit_id=hamlet_id,
                          commune_id=commune_id, province_id=province.id, predicted_label=label,
                          confidence=None if label == "can_xem_xet" else round(rng.uniform(.5, 1), 3),
                          status=rng.choice(["new", "new", "in_progress", "resolved"]),
                          due_on=(start + timedelta(days=i % 300 + 15)).date(),
                          created_at=start + timedelta(minutes=i * 7)))
        if len(batch) == 5000:
            db.session.execute(insert(Feedback), batch)
            batch = []
    if batch:
        db.session.execute(insert(Feedback), batch)
    db.session.commit()
    db.session.commit()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(db.text("VACUUM ANALYZE feedback"))  # what autovacuum does after a bulk load
    create_or_reset_user("bench_tinh", role=StaffRole.PROVINCE, unit=province, password="bench-password-1")
    create_or_reset_user("bench_xa", role=StaffRole.STAFF, unit=communes[0], password="bench-password-2")
    return {"province_id": province.id}


def signed_in(app, username, password):
    client = app.test_client()
    page = client.get("/staff/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert client.post("/staff/login", data={"csrf_token": token, "username": username,
                                             "password": password}).status_code == 302
    return client


def timed(call, repeat):
    call()  # warm
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * .95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=PG_DEFAULT)
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    ensure_database(args.database_url)

    from flask_migrate import upgrade
    from sqlalchemy import event, text

    from survey_app import create_app
    from survey_app.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": args.database_url, "SECRET_KEY": "bench",
                      "RATELIMIT_ENABLED": False})
    with app.app_context():
        upgrade()
        info = seed(args.rows)
        engine = db.engine
    statements = []
    event.listen(engine, "before_cursor_execute", lambda *a, **k: statements.append(1))

    def baseline():
        with app.app_context():
            db.session.execute(text("SELECT id, text, predicted_label, status, created_at FROM feedback "
                                    "WHERE province_id = :p ORDER BY created_at DESC, id DESC LIMIT 51"),
                               {"p": info["province_id"]}).all()
            db.session.remove()

    base_med, base_p95 = timed(baseline, args.repeat)
    print(f"rows in the province: {args.rows:,}")
    print(f"baseline hand-written SELECT … LIMIT 51: median {base_med:.2f} ms, p95 {base_p95:.2f} ms")
    filtered = "/staff/feedback?field=giao_thong&status=new&q=duong+thon&sort=review"
    for who, password in (("bench_tinh", "bench-password-1"), ("bench_xa", "bench-password-2")):
        client = signed_in(app, who, password)
        for name, url in (("first page", "/staff/feedback"), ("filtered page", filtered)):
            response = client.get(url)
            assert response.status_code == 200 and "/staff/feedback/" in response.text
            statements.clear()
            client.get(url)
            n = len(statements)
            med, p95 = timed(lambda c=client, u=url: c.get(u), args.repeat)
            with app.app_context():
                from survey_app.models import StaffUser
                from survey_app.services.feedback import queue as q

                user = db.session.execute(db.select(StaffUser).where(StaffUser.username == who)).scalar_one()
                f = q.QueueFilter(field="giao_thong", status="new", search="duong thon", review_first=True) \
                    if "field=" in url else q.QueueFilter()
                sql_med, _ = timed(lambda u=user, f=f: (q.queue_page(u, f), q.field_counts(u, f),
                                                          q.hamlets_in_scope(u)),
                                   args.repeat)
            print(f"{who:10} {name:13}: queries {sql_med:5.1f} ms; whole request median {med:6.1f} ms, "
                  f"p95 {p95:6.1f} ms, {n} SQL statements, "
                  f"{med / base_med:5.1f}× baseline, target 100 ms (median) {'met' if med < 100 else 'NOT met'}")


if __name__ == "__main__":
    main()
