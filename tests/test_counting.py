"""The counting rules: verdicts on exact numbers, one half-up rounding for display."""
from decimal import Decimal

import pytest

from survey_app.services.reports.counting import bar_fraction, bar_percent, meets_bar, percent


def test_1808_of_2009_does_not_meet_a_90_percent_bar():
    # 89.995 %: rounding to four decimals first used to make this "Đạt".
    assert not meets_bar(1808, 2009, 0.9)
    assert meets_bar(1809, 2010, 0.9)


@pytest.mark.parametrize("satisfied, answered, bar, expected", [
    (9, 10, 0.9, True), (37, 40, 0.925, True), (36, 40, 0.925, False), (0, 0, 0.9, False), (1, 1, 1.0, True),
])
def test_meets_bar_is_exact(satisfied, answered, bar, expected):
    assert meets_bar(satisfied, answered, bar) is expected


def test_bar_is_read_as_the_decimal_that_was_set():
    assert bar_fraction(0.925).numerator == 37 and bar_fraction(0.925).denominator == 40
    assert bar_percent(0.925) == Decimal("92.5") and str(bar_percent(0.9)) == "90"


@pytest.mark.parametrize("num, den, shown", [
    (73, 80, "91.3"), (285, 313, "91.1"), (1, 200, "0.5"), (1808, 2009, "90.0"), (2, 3, "66.7"), (1, 8, "12.5"),
])
def test_percent_rounds_once_half_up(num, den, shown):
    assert str(percent(num, den)) == shown


def test_percent_of_nothing_is_none():
    assert percent(0, 0) is None
