"""Typed reading of one cell: Excel dates and numbers or text, with a msgid when it fails."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from bot.features.importer.columns import VALUE_ALIASES, Column, norm
from bot.i18n import N_

NOT_INT = N_("not a whole number")
NOT_NUMBER = N_("not a number")
NOT_DATE = N_("not a date (use YYYY-MM-DD)")
NOT_TIME = N_("not a time (use HH:MM)")
NOT_CHOICE = N_("unknown value; use one of: {choices}")
TOO_LONG = N_("longer than {limit} characters")


class CellError(ValueError):
    """A cell that does not hold its column's type; `reason` is a msgid."""

    def __init__(self, reason: str, **params: object) -> None:
        super().__init__(reason)
        self.reason = reason
        self.params = params


def is_blank(value: object) -> bool:
    """True for an empty cell."""
    return value is None or (isinstance(value, str) and not value.strip())


def as_text(value: object) -> str:
    """A cell as text; Excel's 2019.0 becomes "2019"."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat()
    if isinstance(value, (date, time)):
        return value.isoformat()
    return str(value).strip()


def _int(value: object) -> int:
    if isinstance(value, bool):
        raise CellError(NOT_INT)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = as_text(value).replace(",", "").replace(" ", "")
    if re.fullmatch(r"[+-]?\d{1,15}", text):
        return int(text)
    raise CellError(NOT_INT)


def _decimal(value: object) -> float:
    if isinstance(value, bool):
        raise CellError(NOT_NUMBER)
    if isinstance(value, (int, float)):
        return float(value)
    try:
        number = Decimal(as_text(value).replace(",", "."))
    except InvalidOperation as exc:
        raise CellError(NOT_NUMBER) from exc
    if not number.is_finite():
        raise CellError(NOT_NUMBER)
    return float(number)


def _date(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = as_text(value)
    # ISO text, or the dotted and slashed forms Korean offices type (2019.06.16).
    match = re.fullmatch(r"(\d{4})[-./](\d{1,2})[-./](\d{1,2})\.?", text)
    if match is None:
        raise CellError(NOT_DATE)
    try:
        return date(*(int(g) for g in match.groups()))
    except ValueError as exc:
        raise CellError(NOT_DATE) from exc


def _time(value: object) -> time:
    if isinstance(value, datetime):
        return value.time().replace(second=0, microsecond=0)
    if isinstance(value, time):
        return value.replace(second=0, microsecond=0)
    if isinstance(value, float) and 0 <= value < 1:  # a time typed into a General cell
        minutes = round(value * 24 * 60)
        return time(minutes // 60, minutes % 60)
    match = re.fullmatch(r"(\d{1,2})[:시.]\s?(\d{2})분?(?::00)?", as_text(value))
    if match is None:
        raise CellError(NOT_TIME)
    try:
        return time(int(match[1]), int(match[2]))
    except ValueError as exc:
        raise CellError(NOT_TIME) from exc


def _choice(col: Column, value: object) -> str:
    text = as_text(value)
    aliases = {norm(k): v for k, v in VALUE_ALIASES.get(col.key, {}).items()}
    found = aliases.get(norm(text)) or text.lower().replace(" ", "_").replace("-", "_")
    if found not in col.choices:
        raise CellError(NOT_CHOICE, choices=", ".join(col.choices))
    return found


def parse_cell(col: Column, value: object, limit: int = 500) -> object:
    """The cell's value in its column's type (None when blank); CellError when it is not."""
    if is_blank(value):
        return None
    if col.type == "int":
        return _int(value)
    if col.type == "decimal":
        return _decimal(value)
    if col.type == "date":
        return _date(value)
    if col.type == "time":
        return _time(value)
    if col.type == "choice":
        return _choice(col, value)
    text = as_text(value)
    if len(text) > limit:
        raise CellError(TOO_LONG, limit=limit)
    return text
