"""The counting rules every report, export and page shares: exact verdicts, one rounding for display.

A verdict is decided on whole numbers: `satisfied >= bar × answered`, with the bar read as the exact
decimal the campaign set (0.925 is 925/1000, never the binary float 0.92499…). Rates are shown
rounded once, half up, from the exact fraction — never from a stored rounded value.
"""
from __future__ import annotations

from decimal import Decimal
from fractions import Fraction


def bar_fraction(threshold: float | Decimal | Fraction | str) -> Fraction:
    """The campaign's bar as an exact fraction: 0.9 → 9/10, 0.925 → 37/40 (via its shortest decimal)."""
    if isinstance(threshold, Fraction):
        return threshold
    return Fraction(Decimal(repr(threshold) if isinstance(threshold, float) else str(threshold)))


def meets_bar(satisfied: int, answered: int, threshold) -> bool:
    """True when satisfied ÷ answered ≥ bar, decided on integers; nothing answered never meets it."""
    if answered <= 0:
        return False
    bar = bar_fraction(threshold)
    return satisfied * bar.denominator >= bar.numerator * answered


def rate(satisfied: int, answered: int) -> float | None:
    """The rate as a fraction 0–1 for JSON and charts (unrounded); None when nothing was answered."""
    return satisfied / answered if answered else None


def percent(numerator: int, denominator: int, places: int = 1) -> Decimal | None:
    """numerator ÷ denominator as a percentage rounded once, half up: 73/80 → 91.3, 1/200 → 0.5."""
    if not denominator:
        return None
    scaled = Fraction(numerator * 100, denominator) * 10 ** places
    whole = scaled.numerator // scaled.denominator  # counts are never negative
    if scaled - whole >= Fraction(1, 2):
        whole += 1
    return Decimal(whole).scaleb(-places)


def bar_percent(threshold) -> Decimal:
    """The bar as set, as a percentage without trailing zeros: 0.925 → 92.5, 0.9 → 90."""
    bar = bar_fraction(threshold) * 100
    value = Decimal(bar.numerator) / Decimal(bar.denominator)
    return value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()


def format_pct(numerator: int, denominator: int, locale: str = "vi") -> str:
    """The percentage rounded once, half up, to one decimal, localised: "91,3 %" (vi), "91.3%" (en); "–" of nothing."""
    value = percent(int(numerator), int(denominator))
    return "–" if value is None else _localised_percent(value, "#,##0.0", locale)


def format_bar(threshold, locale: str = "vi") -> str:
    """The bar as set: 0.925 → "92,5 %", 0.9 → "90 %" (vi); "92.5%", "90%" (en)."""
    return _localised_percent(bar_percent(threshold), "#,##0.###", locale)


def _localised_percent(value: Decimal, pattern: str, locale: str) -> str:
    from babel.numbers import format_decimal

    number = format_decimal(value, format=pattern, locale=locale, decimal_quantization=False)
    return f"{number}%" if locale == "en" else f"{number} %"
