"""How reports read on every page, staff and public alike: percentages, verdicts, changes, field names.

Template globals registered on the app (not on a blueprint), so the public pages borrow nothing from staff.
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from flask import Flask
from flask_babel import format_decimal
from flask_babel import gettext as _

from survey_app.services.reports import charts
from survey_app.services.reports.counting import bar_percent


def chart_pct(numerator: int, denominator: int) -> str:
    return charts.pct_text(numerator, denominator)


def overall_pct(summary: dict) -> str:
    q = next((q for q in summary["questions"] if q["is_overall"]), None)
    return charts.pct_text(q["satisfied"], q["satisfied"] + q["not_satisfied"]) if q else "–"


def verdict_text(meets: bool, counted: int, empty: str | None = None) -> str:
    """Đạt / Chưa đạt against the bar. With nothing counted (no valid form; for one question, no answer)
    there is nothing to judge yet: "Chưa có phiếu", or `empty`."""
    if not counted:
        return empty if empty is not None else _("Chưa có phiếu")
    return _("Đạt") if meets else _("Chưa đạt")


def rate_text(value: float | None) -> str:
    """A fraction already computed (a change between campaigns) as a percentage, half up."""
    if value is None:
        return "–"
    shown = (Decimal(repr(value)) * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return f"{format_decimal(shown, format='#,##0.0')} %"


def change_text(value: float) -> str:
    shown = (Decimal(repr(value)) * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return _("%(sign)s%(n)s điểm", sign="+" if shown > 0 else "", n=format_decimal(shown, format="#,##0.0"))


def channel_name(key: str) -> str:
    return str(charts.CHANNEL_NAMES.get(key, key))


def register(app: Flask) -> None:
    app.jinja_env.globals.update(chart_pct=chart_pct, overall_pct=overall_pct, verdict_text=verdict_text,
                                 rate_text=rate_text, change_text=change_text, field_name=charts.field_name,
                                 channel_name=channel_name, bar=bar_percent)
