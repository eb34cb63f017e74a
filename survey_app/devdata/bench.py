"""Realistic generated data for tests, demos and benchmarks, inserted set-based (INSERT … SELECT).

A test province (code 99) with one commune per ~5,000 households, six hamlets each; every commune has
an earlier campaign (Oct 2025) and a latest one (Oct 2026, some still open and about to close); two former
communes under a legacy district were merged into the first commune and keep their 2024 campaign.
Answers come from every channel, some forms are invalid, some questions skipped, reasons are tagged
feedback (some confirmed, some resolved), and a few complaints were sent outside the survey.
Choices are deterministic hashes of row ids, so a run is reproducible and needs no Python loop per row.
"""
from __future__ import annotations

import math
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import text

from survey_app.errors import DomainError
from survey_app.extensions import db
from survey_app.models import AdminUnit, Campaign, CampaignStatus, UnitLevel
from survey_app.services.clock import today_in_vietnam
from survey_app.services.survey.reference import ensure_reference_data, questionnaire_by_key
from survey_app.text import fold

PROVINCE_CODE = "99"
HOUSEHOLDS_PER_COMMUNE = 5000
HAMLETS_PER_COMMUNE = 6
REASONS = {  # field → three reasons a resident would write
    "dat_dai": ["Quy hoạch chưa công khai", "Cấp sổ đỏ chậm quá", "tranh chap dat chua giai quyet"],
    "giao_thong": ["Đường thôn bị hư hỏng nhiều", "duong xa bi hu, mua la ngap", "Cầu tạm yếu, đi lại nguy hiểm"],
    "kinh_te": ["Thu nhập còn thấp", "Chợ xa, bán nông sản khó", "Danh sách hộ nghèo chưa đúng"],
    "giao_duc": ["Trường xuống cấp", "Học phí cao", "Thiếu giáo viên"],
    "y_te": ["Trạm y tế thiếu thuốc", "Thẻ bảo hiểm y tế cấp chậm", "Khám bệnh phải chờ lâu"],
    "thong_tin": ["Loa phát thanh hỏng", "Sóng điện thoại yếu", "mang internet cham"],
    "moi_truong": ["Rác thải không được thu gom", "Mùi chuồng trại hôi", "Kênh nước ô nhiễm"],
    "hanh_chinh": ["Thu chi đóng góp chưa công khai", "Thủ tục hành chính rườm rà", "Cán bộ hách dịch"],
    "an_ninh": ["Trộm cắp vặt còn nhiều", "Đua xe ban đêm", "Cờ bạc ở đầu thôn"],
    "khac": ["Không có ý kiến", "Cảm ơn chính quyền", "Chưa biết"],
}


def _series(n_param: str) -> tuple[str, str]:
    """(WITH-prefix, FROM item) giving rows n = 1..:n_param on either backend."""
    if db.engine.url.get_backend_name() == "postgresql":
        return "", f"generate_series(1, :{n_param}) AS g(n)"
    return f"WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < :{n_param}) ", "g"


def _plus_seconds(base: str, seconds: str) -> str:
    if db.engine.url.get_backend_name() == "postgresql":
        return f"(CAST({base} AS timestamp) + ({seconds}) * interval '1 second')"
    return f"datetime({base}, '+' || ({seconds}) || ' seconds')"


def seed_bench(households: int) -> dict:
    """Generate the test province; returns what was made. Refuses to run twice on one database."""
    if households < 50:
        raise DomainError(_l("--households phải từ 50 trở lên."))
    ensure_reference_data()
    if db.session.execute(db.select(AdminUnit.id).where(
            AdminUnit.level == UnitLevel.PROVINCE, AdminUnit.code == PROVINCE_CODE)).first():
        raise DomainError(_l("Dữ liệu thử tải đã có ở đây (tỉnh mã %(code)s); hãy dùng một cơ sở dữ liệu trống.",
                             code=PROVINCE_CODE))
    communes = max(2, math.ceil(households / HOUSEHOLDS_PER_COMMUNE))
    units = _units(communes)
    campaigns = _campaigns(units)
    db.session.commit()
    with db.engine.begin() as conn:
        _temp_tables(conn, units, campaigns)
        _households(conn, households, units)
        for kind in ("latest", "earlier", "former"):
            _responses(conn, kind, campaigns)
        _answers(conn)
        _feedback(conn, units["province"].id)
        for table in ("household", "response", "answer", "feedback"):
            conn.execute(text(f"ANALYZE {table}"))
    counts = {t: db.session.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
              for t in ("household", "response", "answer", "feedback")}
    return {"province": PROVINCE_CODE, "communes": communes, **counts}


def _units(communes: int) -> dict:
    province = AdminUnit(level=UnitLevel.PROVINCE, code=PROVINCE_CODE, name="Tỉnh Thử Nghiệm",
                         division_type="tỉnh", valid_from=date(2025, 7, 1))
    district = AdminUnit(level=UnitLevel.DISTRICT, code="999", name="Huyện Thử Nghiệm (cũ)", division_type="huyện",
                         parent=province, valid_from=date(2000, 1, 1), valid_to=date(2025, 6, 30))
    current = [AdminUnit(level=UnitLevel.COMMUNE, code=f"99{i:03d}", name=f"Xã Thử Nghiệm {i}", division_type="xã",
                         parent=province, valid_from=date(2025, 7, 1)) for i in range(1, communes + 1)]
    former = [AdminUnit(level=UnitLevel.COMMUNE, code=f"98{i:03d}", name=f"Xã Cũ {i}", division_type="xã",
                        parent=district, valid_from=date(2000, 1, 1), valid_to=date(2025, 6, 30),
                        merged_into=current[0]) for i in (1, 2)]
    hamlets = []
    for ci, commune in enumerate(current + former):
        for j in range(1, (HAMLETS_PER_COMMUNE if commune in current else 2) + 1):
            hamlets.append((ci, AdminUnit(level=UnitLevel.HAMLET, code=f"{commune.code}-{j:02d}",
                                          name=f"Thôn {j}", division_type="thôn", parent=commune,
                                          valid_from=commune.valid_from, valid_to=commune.valid_to)))
    db.session.add_all([province, district, *current, *former, *(h for _, h in hamlets)])
    db.session.flush()
    return {"province": province, "current": current, "former": former,
            "hamlets": [(ci, h.id, h.parent_id) for ci, h in hamlets]}


def _campaigns(units: dict) -> list[tuple]:
    """(campaign id, commune id, kind, questionnaire id, satisfaction ‰, response share ‰, first day)."""
    today = today_in_vietnam()
    new, old = questionnaire_by_key("xa-ntm-2026-2030"), questionnaire_by_key("xa-ntm-2021-2025")
    made = []

    def add(commune, kind, questionnaire, opens, closes, status, level, share):
        campaign = Campaign(slug=f"bench-{commune.code}-{kind}", name=f"Lấy ý kiến {commune.name} {opens.year}",
                            commune=commune, questionnaire=questionnaire, opens_on=opens, closes_on=closes,
                            status=status, organiser=f"Ban Thường trực Ủy ban MTTQ {commune.name}",
                            purpose="dinh_ky" if kind == "earlier" else "cong_nhan")
        db.session.add(campaign)
        db.session.flush()
        made.append((campaign.id, commune.id, kind, questionnaire.id, level, share, opens))

    for i, commune in enumerate(units["current"]):
        is_open = i % 5 == 4
        opens = today - timedelta(days=20) if is_open else date(2026, 10, 1)
        add(commune, "latest", new, opens, today + timedelta(days=3) if is_open else date(2026, 10, 25),
            CampaignStatus.OPEN if is_open else CampaignStatus.PUBLISHED, 860 + (i * 37) % 130,
            550 + (i * 53) % 440)
        add(commune, "earlier", new, date(2025, 10, 1), date(2025, 10, 25), CampaignStatus.PUBLISHED,
            840 + (i * 29) % 140, 400)
    for commune in units["former"]:
        add(commune, "former", old, date(2024, 10, 1), date(2024, 10, 25), CampaignStatus.PUBLISHED, 900, 800)
    return made


def _temp_tables(conn, units: dict, campaigns: list[tuple]) -> None:
    conn.execute(text("CREATE TEMP TABLE bench_hamlet (idx INTEGER, id INTEGER, commune_id INTEGER, cur INTEGER)"))
    current_ids = {c.id for c in units["current"]}
    conn.execute(text("INSERT INTO bench_hamlet VALUES (:idx, :id, :commune_id, :cur)"), [
        {"idx": i, "id": hid, "commune_id": cid, "cur": int(cid in current_ids)}
        for i, (_, hid, cid) in enumerate(units["hamlets"])])
    conn.execute(text("CREATE TEMP TABLE bench_campaign (campaign_id INTEGER, commune_id INTEGER, kind VARCHAR(10), "
                      "questionnaire_id INTEGER, level INTEGER, share INTEGER, opens VARCHAR(30))"))
    conn.execute(text("INSERT INTO bench_campaign VALUES (:c, :u, :k, :q, :l, :s, :o)"), [
        {"c": c, "u": u, "k": k, "q": q, "l": lv, "s": s, "o": f"{o.isoformat()} 01:00:00"}
        for c, u, k, q, lv, s, o in campaigns])
    conn.execute(text("CREATE TEMP TABLE bench_reason (field VARCHAR(40), k INTEGER, text VARCHAR(200), "
                      "folded VARCHAR(200))"))
    conn.execute(text("INSERT INTO bench_reason VALUES (:f, :k, :t, :folded)"), [
        {"f": f, "k": k, "t": t, "folded": fold(t)} for f, texts in REASONS.items() for k, t in enumerate(texts)])


def _households(conn, households: int, units: dict) -> None:
    current = sum(1 for _, _, cid in units["hamlets"] if cid in {c.id for c in units["current"]})
    with_, g = _series("n")
    conn.execute(text(
        f"INSERT INTO household (hamlet_id, number, head_name, address, active) {with_}"
        f"SELECT bh.id, CAST(g.n AS VARCHAR(32)), 'Chủ hộ ' || CAST(g.n AS VARCHAR(32)), NULL, true "
        f"FROM {g} JOIN bench_hamlet bh ON bh.idx = (g.n - 1) % :hamlets"), {"n": households, "hamlets": current})
    former_hamlets = [hid for _, hid, cid in units["hamlets"] if cid in {c.id for c in units["former"]}]
    with_, g = _series("n")
    for hid in former_hamlets:
        conn.execute(text(
            f"INSERT INTO household (hamlet_id, number, head_name, address, active) {with_}"
            f"SELECT :hid, CAST(g.n AS VARCHAR(32)), NULL, NULL, true FROM {g}"), {"n": 150, "hid": hid})


def _responses(conn, kind: str, campaigns: list[tuple]) -> None:
    """Forms of one kind of campaign: channel, validity and (in open-mode communes) unverified web forms."""
    when = _plus_seconds("bc.opens", "(CAST(h.id AS BIGINT) * 48271) % (20 * 86400)")
    open_mode = "(bc.commune_id % 7 = 3 AND (CAST(h.id AS BIGINT) * 104729) % 100 BETWEEN 35 AND 54)"
    conn.execute(text(
        "INSERT INTO response (campaign_id, household_id, hamlet_id, channel, is_valid, verified, submitted_at) "
        f"SELECT bc.campaign_id, CASE WHEN {open_mode} THEN NULL ELSE h.id END, h.hamlet_id, "
        "CASE WHEN (CAST(h.id AS BIGINT) * 104729) % 100 < 35 THEN 'zalo' "
        "WHEN (CAST(h.id AS BIGINT) * 104729) % 100 < 55 THEN 'web' "
        "WHEN (CAST(h.id AS BIGINT) * 104729) % 100 < 70 THEN 'telegram' ELSE 'paper' END, "
        f"(CAST(h.id AS BIGINT) * 31) % 100 >= 2, NOT {open_mode}, {when} "
        "FROM household h JOIN bench_hamlet bh ON bh.id = h.hamlet_id "
        "JOIN bench_campaign bc ON bc.commune_id = bh.commune_id AND bc.kind = :kind "
        "WHERE (CAST(h.id AS BIGINT) * 7919 + bc.campaign_id) % 1000 < bc.share"), {"kind": kind})


def _answers(conn) -> None:
    """Answers to every question (about 2 % skipped); a reason for two thirds of "chưa hài lòng"."""
    satisfied = "((CAST(r.id AS BIGINT) * 2654435 + q.position * 97 + q.id) % 1000 < bc.level)"
    conn.execute(text(
        "INSERT INTO answer (response_id, question_id, satisfied, reason) "
        f"SELECT r.id, q.id, {satisfied}, CASE WHEN NOT {satisfied} AND r.id % 3 <> 0 THEN br.text END "
        "FROM response r JOIN bench_campaign bc ON bc.campaign_id = r.campaign_id "
        "JOIN question q ON q.questionnaire_id = bc.questionnaire_id "
        "LEFT JOIN bench_reason br ON br.field = COALESCE(q.field, 'khac') AND br.k = r.id % 3 "
        "WHERE (CAST(r.id AS BIGINT) * 37 + q.position * 11) % 53 <> 0"))


def _feedback(conn, province_id: int) -> None:
    """Every reason becomes tagged feedback; ~1 % of households also sent a complaint through a bot.

    Each row carries what add_feedback gives it (commune, province, folded text), so staff pages see it."""
    conn.execute(text(
        "INSERT INTO feedback (text, source, channel, unit_id, commune_id, province_id, text_folded, campaign_id, "
        "response_id, question_id, predicted_label, confidence, confirmed_label, status, created_at) "
        "SELECT a.reason, 'reason', r.channel, r.hamlet_id, bh.commune_id, :province, br.folded, r.campaign_id, "
        "r.id, a.question_id, br.field, 0.8, CASE WHEN a.id % 4 = 0 THEN br.field END, "
        "CASE a.id % 5 WHEN 0 THEN 'resolved' WHEN 1 THEN 'in_progress' ELSE 'new' END, r.submitted_at "
        "FROM answer a JOIN response r ON r.id = a.response_id "
        "JOIN bench_hamlet bh ON bh.id = r.hamlet_id "
        "JOIN bench_campaign bc ON bc.campaign_id = r.campaign_id "
        "JOIN question q ON q.id = a.question_id "
        "JOIN bench_reason br ON br.field = COALESCE(q.field, 'khac') AND br.text = a.reason"),
        {"province": province_id})
    conn.execute(text(
        "INSERT INTO feedback (text, source, channel, unit_id, commune_id, province_id, text_folded, campaign_id, "
        "predicted_label, confidence, status, created_at) "
        "SELECT br.text, 'complaint', CASE WHEN h.id % 2 = 0 THEN 'zalo' ELSE 'telegram' END, h.hamlet_id, "
        "bh.commune_id, :province, br.folded, NULL, "
        "br.field, 0.7, CASE WHEN h.id % 3 = 0 THEN 'resolved' ELSE 'new' END, "
        + _plus_seconds("bc.opens", "(CAST(h.id AS BIGINT) * 7) % (20 * 86400)") +
        " FROM household h JOIN bench_hamlet bh ON bh.id = h.hamlet_id AND bh.cur = 1 "
        "JOIN bench_campaign bc ON bc.commune_id = bh.commune_id AND bc.kind = 'latest' "
        "JOIN bench_reason br ON br.k = h.id % 3 AND br.field = CASE h.id % 4 WHEN 0 THEN 'giao_thong' "
        "WHEN 1 THEN 'moi_truong' WHEN 2 THEN 'an_ninh' ELSE 'y_te' END "
        "WHERE (CAST(h.id AS BIGINT) * 13) % 97 = 0"), {"province": province_id})
