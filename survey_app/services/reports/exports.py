"""Exports: the XLSX "biểu tổng hợp" (openpyxl write-only) and the open-data CSV, both streamed.

Headings are Vietnamese, as officials file them. Rates are the same half-up percentages the pages show
(counting.percent), written as numbers. The open-data CSV carries no personal data and no figure for a
hamlet with fewer than MIN_GROUP returned forms; its columns are documented in docs/open-data.md.
Every text cell goes through tabular (xlsx_row, CsvWriter), so a name or reason someone typed never runs
as a formula.
"""
from __future__ import annotations

import io
import tempfile
from collections.abc import Iterator

from openpyxl import Workbook
from sqlalchemy import case, func, select

from survey_app.extensions import db
from survey_app.models import Answer, Campaign, Response
from survey_app.services.reports.campaign_report import MIN_GROUP, campaign_report
from survey_app.services.reports.counting import bar_percent, percent
from survey_app.services.tabular import CsvWriter, xlsx_row

CHUNK = 64 * 1024
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _pct(num: int, den: int) -> float | None:
    shown = percent(num, den)
    return float(shown) if shown is not None else None


def _verdict(meets: bool, answered: int) -> str:
    if not answered:
        return "Chưa có phiếu"
    return "Đạt" if meets else "Chưa đạt"


def _append(sheet, row: list) -> None:
    sheet.append(xlsx_row(sheet, row))


def _stream_workbook(workbook: Workbook) -> Iterator[bytes]:
    """Save to a temporary file (never the whole file in memory) and hand it out in chunks."""
    with tempfile.TemporaryFile() as tmp:
        workbook.save(tmp)
        tmp.seek(0)
        while chunk := tmp.read(CHUNK):
            yield chunk


def campaign_xlsx(campaign: Campaign) -> Iterator[bytes]:
    """Biểu tổng hợp of one campaign: Tổng hợp, Theo câu hỏi, Theo thôn, Lý do chưa hài lòng."""
    report = campaign_report(campaign)
    s = report["summary"]
    wb = Workbook(write_only=True)
    sheet = wb.create_sheet("Tổng hợp")
    overall = next((q for q in s["questions"] if q["is_overall"]), None)
    o_sat, o_ans = (overall["satisfied"], overall["satisfied"] + overall["not_satisfied"]) if overall else (0, 0)
    for row in (
        ["BIỂU TỔNG HỢP KẾT QUẢ LẤY Ý KIẾN SỰ HÀI LÒNG CỦA NGƯỜI DÂN"],
        ["Xã", s["commune"]], ["Mã xã", s["commune_code"]], ["Đợt lấy ý kiến", campaign.name],
        ["Từ ngày", campaign.opens_on.strftime("%d/%m/%Y")], ["Đến ngày", campaign.closes_on.strftime("%d/%m/%Y")],
        ["Số hộ", s["households"]], ["Số phiếu phát ra", s.get("issued")], ["Số phiếu thu về", s["returned"]],
        ["Số phiếu hợp lệ", s["valid"]], ["Số phiếu không hợp lệ", s["invalid"]],
        ["Tỷ lệ phiếu thu về (%)", _pct(s["returned"], s["households"])],
        ["Mức yêu cầu (%)", float(bar_percent(campaign.threshold))],
        ["Tỷ lệ hài lòng chung (%)", _pct(o_sat, o_ans)], ["Kết quả", _verdict(s["meets_threshold"], o_ans)],
    ):
        _append(sheet, row)
    sheet = wb.create_sheet("Theo câu hỏi")
    _append(sheet, ["STT", "Tiêu chí", "Nội dung", "Hài lòng", "Chưa hài lòng", "Tỷ lệ hài lòng (%)", "Kết quả"])
    for q in s["questions"]:
        answered = q["satisfied"] + q["not_satisfied"]
        _append(sheet, [q["position"], "Chung" if q["is_overall"] else q["criterion"], q["short"], q["satisfied"],
                      q["not_satisfied"], _pct(q["satisfied"], answered), _verdict(q["meets_threshold"], answered)])
    sheet = wb.create_sheet("Theo thôn")
    _append(sheet, ["Thôn", "Số hộ", "Phiếu thu về", "Phiếu hợp lệ", "Phiếu không hợp lệ",
                  "Hài lòng chung", "Số trả lời", "Tỷ lệ hài lòng chung (%)", "Kết quả"])
    for h in report["hamlets"]:
        _append(sheet, [h["name"], h["households"], h["returned"], h["valid"], h["invalid"], h["satisfied"],
                      h["answered"], _pct(h["satisfied"], h["answered"]),
                      _verdict(h["meets_threshold"], h["answered"])])
    sheet = wb.create_sheet("Lý do chưa hài lòng")
    _append(sheet, ["Lĩnh vực", "Số ý kiến", "Ví dụ"])
    for r in report["reasons"]:
        _append(sheet, [r["field"], r["count"], " | ".join(r["examples"])])
    return _stream_workbook(wb)


def province_xlsx(province_name: str, rows: list[dict]) -> Iterator[bytes]:
    """The province roll-up as one sheet."""
    wb = Workbook(write_only=True)
    sheet = wb.create_sheet("Tổng hợp tỉnh")
    _append(sheet, [f"TỔNG HỢP KẾT QUẢ LẤY Ý KIẾN – {province_name}"])
    _append(sheet, ["Mã xã", "Xã", "Huyện (cũ)", "Nay thuộc", "Đợt", "Số hộ", "Phiếu thu về", "Phiếu hợp lệ",
                  "Tỷ lệ thu về (%)", "Tỷ lệ hài lòng chung (%)", "Kết quả"])
    for r in rows:
        _append(sheet, [r["commune_code"], r["commune"], r["district"], r["merged_into"], r["campaign"],
                      r["households"], r["returned"], r["valid"], _pct(r["returned"], r["households"]),
                      _pct(r["satisfied"], r["answered"]), _verdict(r["meets_threshold"], r["answered"])])
    return _stream_workbook(wb)


OPEN_DATA_COLUMNS = [
    ("commune_code", "mã xã theo danh mục của Tổng cục Thống kê"),
    ("commune", "tên xã"),
    ("campaign_id", "số của đợt lấy ý kiến trong hệ thống"),
    ("opens_on", "ngày bắt đầu (YYYY-MM-DD)"),
    ("closes_on", "ngày kết thúc (YYYY-MM-DD)"),
    ("threshold_percent", "mức yêu cầu, phần trăm (ví dụ 90)"),
    ("scope", "'commune' cho cả xã hoặc 'hamlet' cho một thôn"),
    ("hamlet", "tên thôn (trống khi scope = commune)"),
    ("returned", "số phiếu thu về của phạm vi"),
    ("valid", "số phiếu hợp lệ của phạm vi"),
    ("question_position", "số thứ tự câu hỏi trên phiếu"),
    ("criterion", "số tiêu chí NTM (trống với câu hỏi chung)"),
    ("is_overall", "1 nếu là câu hỏi hài lòng chung"),
    ("question", "nội dung ngắn của câu hỏi"),
    ("satisfied", "số phiếu hợp lệ trả lời 'hài lòng'"),
    ("not_satisfied", "số phiếu hợp lệ trả lời 'chưa hài lòng'"),
    ("rate_percent", "satisfied ÷ (satisfied + not_satisfied) × 100, làm tròn một lần tới 0,1 (nửa lên)"),
]


def _hamlet_question_counts(campaign: Campaign) -> dict:
    rows = db.session.execute(
        select(Response.hamlet_id, Answer.question_id, func.sum(case((Answer.satisfied, 1), else_=0)),
               func.count(Answer.id))
        .join(Answer, Answer.response_id == Response.id)
        .where(Response.campaign_id == campaign.id, Response.is_valid.is_(True))
        .group_by(Response.hamlet_id, Answer.question_id)).all()
    return {(h, q): (int(s or 0), int(n)) for h, q, s, n in rows}


def open_data_csv(campaign: Campaign) -> Iterator[str]:
    """Rows per question for the commune and each hamlet with at least MIN_GROUP returned forms.

    The figures are read now (inside the request); the lines are written as the client reads them."""
    report = campaign_report(campaign)
    counts = _hamlet_question_counts(campaign)
    meta = (campaign.id, campaign.opens_on, campaign.closes_on, bar_percent(campaign.threshold))
    return _open_data_lines(report, counts, meta)


def _open_data_lines(report: dict, counts: dict, meta: tuple) -> Iterator[str]:
    s = report["summary"]
    campaign_id, opens_on, closes_on, threshold = meta
    buffer = io.StringIO()
    writer = CsvWriter(buffer, lineterminator="\n")

    def flush() -> str:
        out = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return out

    base = [s["commune_code"], s["commune"], campaign_id, opens_on.isoformat(), closes_on.isoformat(),
            f"{threshold:f}"]
    writer.writerow([name for name, _ in OPEN_DATA_COLUMNS])
    yield "\ufeff" + flush()  # BOM: Excel opens UTF-8 Vietnamese correctly
    scopes = [("commune", "", s["returned"], s["valid"], None)] + [
        ("hamlet", h["name"], h["returned"], h["valid"], h["id"]) for h in report["hamlets"]
        if h["returned"] >= MIN_GROUP]
    for scope, hamlet, returned, valid, hamlet_id in scopes:
        for q in s["questions"]:
            if hamlet_id is None:
                sat, answered = q["satisfied"], q["satisfied"] + q["not_satisfied"]
            else:
                sat, answered = counts.get((hamlet_id, q["id"]), (0, 0))
            shown = percent(sat, answered)
            writer.writerow(base + [scope, hamlet, returned, valid, q["position"], q["criterion"] or "",
                                    int(q["is_overall"]), q["short"], sat, answered - sat,
                                    "" if shown is None else f"{shown:f}"])
        yield flush()
