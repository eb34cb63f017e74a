"""flask bench seed and flask report --format xlsx."""
from __future__ import annotations

import io
import json

from openpyxl import load_workbook


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
