"""Spreadsheet writers shared by staff exports and the audit log: XLSX and CSV."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from bot.i18n import Translator

FORMATS = ("xlsx", "csv")
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
MAX_WIDTH = 60
# Excel refuses these characters in sheet names, and names longer than 31 characters.
_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class Column:
    """One column: its key in the row dicts, header msgid, width and value kind."""

    key: str
    header: str  # N_()-marked; translated for the reader when written
    width: int = 16
    kind: str = "text"  # text | int | float | date | datetime
    number: int | None = None  # fills {n} in the header ("Action {n}")

    def title(self, tr: Translator) -> str:
        """The header in the reader's language."""
        text = tr.gettext(self.header)
        return text if self.number is None else text.format(n=self.number)


@dataclass
class Sheet:
    """A titled table ready to write: translated headers and plain row values."""

    name: str  # the stable English key: courses, applications, …
    title: str  # the sheet tab in the reader's language
    columns: tuple[Column, ...]
    rows: list[dict] = field(default_factory=list)

    def headers(self, tr: Translator) -> list[str]:
        """The header row in the reader's language."""
        return [c.title(tr) for c in self.columns]


def wall_clock(value: datetime | None, zone: ZoneInfo) -> datetime | None:
    """An instant as naive wall-clock time in `zone` (spreadsheets cannot hold time zones)."""
    if value is None:
        return None
    if value.tzinfo is None:  # SQLite hands back naive UTC
        value = value.replace(tzinfo=UTC)
    return value.astimezone(zone).replace(tzinfo=None)


_FORMULA = re.compile(r"^(=|@|[+-][^\d\s.])")


def _cell(value: object) -> object:
    # Text typed by trainees is data, never a formula Excel should run ("=HYPERLINK(…)");
    # phone numbers and negative numbers ("+82 2…", "-3") stay as they are.
    if isinstance(value, str) and _FORMULA.match(value):
        return "'" + value
    return value


def write_xlsx(sheets: list[Sheet], tr: Translator) -> bytes:
    """Sheets as one workbook: bold frozen header, autofilter, widths, real dates."""
    book = Workbook()
    book.remove(book.active)
    bold = Font(bold=True)
    for sheet in sheets:
        ws = book.create_sheet(_BAD_TITLE.sub(" ", sheet.title)[:31] or sheet.name[:31])
        ws.append(sheet.headers(tr))
        for cell in ws[1]:
            cell.font = bold
            cell.alignment = Alignment(vertical="top", wrap_text=True)
        for row in sheet.rows:
            ws.append([_cell(row.get(c.key)) for c in sheet.columns])
        ws.freeze_panes = "A2"
        last = get_column_letter(len(sheet.columns))
        ws.auto_filter.ref = f"A1:{last}{max(1, len(sheet.rows) + 1)}"
        for index, column in enumerate(sheet.columns, start=1):
            letter = get_column_letter(index)
            header = len(column.title(tr))
            ws.column_dimensions[letter].width = min(MAX_WIDTH, max(column.width, header + 2))
            number = {"date": DATE_FORMAT, "datetime": DATETIME_FORMAT}.get(column.kind)
            if number:
                for (cell,) in ws.iter_rows(min_row=2, min_col=index, max_col=index):
                    cell.number_format = number
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _csv_value(value: object) -> object:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else _cell(value)


def write_csv(sheet: Sheet, tr: Translator) -> bytes:
    """One sheet as CSV in UTF-8 with a BOM, so Excel reads Korean, Chinese and Cyrillic."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(sheet.headers(tr))
    for row in sheet.rows:
        writer.writerow([_csv_value(row.get(c.key)) for c in sheet.columns])
    return buf.getvalue().encode("utf-8-sig")
