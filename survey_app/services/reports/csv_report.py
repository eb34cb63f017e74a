"""The CSV report: a summary block that stands alone, then one row per question, then one per hamlet.

Rates appear twice: the exact fraction (unrounded, for checking) and the percentage rounded once, half up.
Verdicts are the booleans decided on whole numbers by `reports.campaign_summary`. Question and hamlet
names are written through tabular.CsvWriter, so none of them can run as a formula.
"""
from __future__ import annotations

import io
from collections.abc import Iterator

from survey_app.services.reports.counting import format_bar, format_pct
from survey_app.services.tabular import CsvWriter

SUMMARY_FIELDS = ("issued", "returned", "valid", "invalid", "verified_returned", "unverified_returned",
                  "households", "coverage", "min_coverage", "coverage_met", "threshold", "verdict_rule",
                  "overall_satisfied", "overall_answered", "overall_rate", "meets_threshold", "frozen")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, float) else str(value)


def report_rows(summary: dict, hamlets: list[dict] | None = None, locale: str = "vi") -> Iterator[list[str]]:
    """The rows of the CSV report (percent columns localised to `locale`)."""
    yield ["section", "field", "value", "percent"]
    for field in SUMMARY_FIELDS:
        shown = ""
        if field == "coverage":
            shown = format_pct(summary["returned"], summary["households"], locale)
        elif field == "overall_rate":
            shown = format_pct(summary["overall_satisfied"], summary["overall_answered"], locale)
        elif field in ("threshold", "min_coverage"):
            shown = format_bar(summary[field], locale)
        yield ["summary", field, _cell(summary[field]), shown]
    under = " ".join(str(q["position"]) for q in summary["questions"] if not q["meets_threshold"])
    yield ["summary", "questions_under_bar", under, ""]
    yield []
    yield ["position", "criterion", "question", "is_overall", "satisfied", "not_satisfied", "answered", "blank",
           "rate", "percent", "meets_threshold"]
    for q in summary["questions"]:
        name = q["short_en"] if locale == "en" else q["short_vi"]
        yield [str(q["position"]), _cell(q["criterion"]), name, _cell(q["is_overall"]), str(q["satisfied"]),
               str(q["not_satisfied"]), str(q["answered"]), str(q["blank"]), _cell(q["rate"]),
               format_pct(q["satisfied"], q["answered"], locale), _cell(q["meets_threshold"])]
    if hamlets:
        yield []
        yield ["hamlet", "households", "returned", "overall_satisfied", "overall_answered", "overall_rate", "percent"]
        for h in hamlets:
            yield [h["name"], str(h["households"]), str(h["returned"]), str(h["overall_satisfied"]),
                   str(h["overall_answered"]), _cell(h["overall_rate"]),
                   format_pct(h["overall_satisfied"], h["overall_answered"], locale)]


def report_csv(summary: dict, hamlets: list[dict] | None = None, locale: str = "vi") -> str:
    out = io.StringIO()
    CsvWriter(out, lineterminator="\n").writerows(report_rows(summary, hamlets, locale))
    return out.getvalue()
