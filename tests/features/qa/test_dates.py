"""Days of the month as people write them next to a month name."""

from __future__ import annotations

import pytest

from bot.features.qa.nlu_dates import days_of_month, exact_day
from bot.features.qa.nlu_match import Match


def _month(start: int, end: int, value: int) -> Match:
    return Match(start, end, "month", str(value), "*", "")


@pytest.mark.parametrize(
    ("toks", "month_at", "want"),
    [
        (["on", "14", "may"], None, (5, 14)),  # English "may" next to a number is May
        (["may", "3rd"], None, (5, 3)),
        (["14th", "of", "june"], (2, 3, 6), (6, 14)),
        (["на", "14", "го", "мая"], (3, 4, 5), (5, 14)),
        (["5", "月", "14", "日"], (0, 2, 5), (5, 14)),
        (["五", "月", "二", "十", "一", "号"], (0, 2, 5), (5, 21)),
        (["十", "月", "十", "日"], (0, 2, 10), (10, 10)),
    ],
)
def test_day_of_month(toks, month_at, want):
    matches = [_month(*month_at)] if month_at else []
    assert days_of_month(toks, matches) == [want]


@pytest.mark.parametrize(
    ("toks", "month_at"),
    [
        (["you", "may", "apply"], None),  # the modal verb
        (["courses", "in", "june", "2018"], (2, 3, 6)),  # a year, not a day
        (["3", "courses", "in", "june"], (3, 4, 6)),  # a count, not next to the month
        (["五", "月", "有", "课"], (0, 2, 5)),  # no day marker
    ],
)
def test_no_day_of_month(toks, month_at):
    matches = [_month(*month_at)] if month_at else []
    assert days_of_month(toks, matches) == []


def test_impossible_dates_are_none():
    assert exact_day(["31", "june"], [_month(1, 2, 6)], 2018) is None
    assert exact_day(["30", "june"], [_month(1, 2, 6)], 2018) == "2018-06-30"
