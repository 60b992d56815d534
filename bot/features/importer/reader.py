"""Reading an uploaded XLSX or CSV into raw rows per kind, with the file limits enforced."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from bot.features.importer.columns import COLUMNS, NOTES_SHEET, header_index, kind_of_sheet, norm
from bot.i18n import N_

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 2000  # data rows per sheet
MAX_CELL = 2000  # characters in one cell
MAX_COLUMNS = 100  # columns read from a sheet (the widest kind has 21)
EXTENSIONS = (".xlsx", ".csv")
TOO_LARGE = N_("The file is larger than {limit} MB.")


class FileRefused(Exception):
    """The whole file cannot be read; `reason` is a msgid formatted with `params`."""

    def __init__(self, reason: str, **params: object) -> None:
        super().__init__(reason)
        self.reason = reason
        self.params = params


@dataclass
class RawRow:
    """One data row as read: its number as the spreadsheet shows it and its cells by key."""

    number: int
    cells: dict[str, object]


@dataclass
class RawSheet:
    """One sheet (or CSV file) recognised as a kind."""

    kind: str
    name: str
    headers: dict[str, str]  # column key → header as written
    columns: dict[str, str]  # column key → column letter
    rows: list[RawRow] = field(default_factory=list)
    unknown: list[tuple[str, str]] = field(default_factory=list)  # (letter, header)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _guess_kind(headers: list[object]) -> str | None:
    """The kind whose required columns all appear in a header row (most matches wins)."""
    best, best_hits = None, 0
    for kind, cols in COLUMNS.items():
        index = header_index(kind)
        keys = {index.get(norm(h)) for h in headers} - {None}
        required = {c.key for c in cols if c.required}
        if required <= keys and len(keys) > best_hits:
            best, best_hits = kind, len(keys)
    return best


def _sheet(kind: str, name: str, rows: list[tuple[int, list[object]]]) -> RawSheet:
    """Map a header row and data rows onto column keys, checking the limits."""
    (_, header), data = rows[0], rows[1:]
    index = header_index(kind)
    sheet = RawSheet(kind, name, {}, {})
    positions: dict[int, str] = {}
    for pos, text in enumerate(header):
        if _blank(text):
            continue
        letter = get_column_letter(pos + 1)
        key = index.get(norm(text))
        if key is None or key in sheet.headers:
            sheet.unknown.append((letter, str(text)))
            continue
        positions[pos] = key
        sheet.headers[key] = str(text).strip()
        sheet.columns[key] = letter
    for number, values in data:
        if all(_blank(v) for v in values):
            continue
        if len(sheet.rows) >= MAX_ROWS:
            raise FileRefused(
                N_("Sheet {sheet} has more than {limit} rows."), sheet=name, limit=MAX_ROWS
            )
        for pos, value in enumerate(values):
            if isinstance(value, str) and len(value) > MAX_CELL:
                cell = f"{get_column_letter(pos + 1)}{number}"
                raise FileRefused(
                    N_("Cell {cell} of sheet {sheet} is longer than {limit} characters."),
                    cell=cell,
                    sheet=name,
                    limit=MAX_CELL,
                )
        cells = {key: values[pos] if pos < len(values) else None for pos, key in positions.items()}
        sheet.rows.append(RawRow(number, cells))
    return sheet


def _read_xlsx(data: bytes) -> list[RawSheet]:
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign file
        raise FileRefused(N_("The file is not a readable .xlsx workbook.")) from exc
    sheets = []
    try:
        for ws in book.worksheets:
            if norm(ws.title) in {norm(n) for n in NOTES_SHEET}:
                continue
            rows: list[tuple[int, list[object]]] = []
            # Bounded: a sheet's declared dimension may claim a million empty rows.
            cells = ws.iter_rows(max_row=MAX_ROWS + 20, max_col=MAX_COLUMNS, values_only=True)
            for number, values in enumerate(cells, start=1):
                if not rows and all(_blank(v) for v in values):
                    continue  # blank lines above the header
                rows.append((number, list(values)))
                if len(rows) > MAX_ROWS + 1 and not all(_blank(v) for v in values):
                    raise FileRefused(
                        N_("Sheet {sheet} has more than {limit} rows."),
                        sheet=ws.title,
                        limit=MAX_ROWS,
                    )
            if not rows:
                continue
            kind = kind_of_sheet(ws.title) or _guess_kind(rows[0][1])
            if kind is None:
                raise FileRefused(
                    N_("Sheet {sheet} is not courses, sessions or results."), sheet=ws.title
                )
            sheets.append(_sheet(kind, ws.title, rows))
    except FileRefused:
        raise
    except Exception as exc:
        raise FileRefused(N_("The file is not a readable .xlsx workbook.")) from exc
    finally:
        book.close()
    return sheets


def _read_csv(name: str, data: bytes) -> list[RawSheet]:
    try:
        text = data.decode("utf-8-sig")  # with or without the BOM Excel writes
    except UnicodeDecodeError as exc:
        raise FileRefused(N_("The CSV file is not UTF-8 text.")) from exc
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows: list[tuple[int, list[object]]] = []
    for number, values in enumerate(csv.reader(io.StringIO(text), dialect), start=1):
        if not rows and all(_blank(v) for v in values):
            continue
        rows.append((number, list(values)))
        if len(rows) > MAX_ROWS + 1 and not all(_blank(v) for v in values):
            raise FileRefused(
                N_("Sheet {sheet} has more than {limit} rows."), sheet=name, limit=MAX_ROWS
            )
    if not rows:
        raise FileRefused(N_("The file is empty."))
    kind = _guess_kind(rows[0][1])
    if kind is None:
        raise FileRefused(
            N_("The header row does not match courses, sessions or results: see the template.")
        )
    return [_sheet(kind, name, rows)]


def read_file(filename: str, data: bytes) -> list[RawSheet]:
    """The recognised sheets of an .xlsx or .csv file; FileRefused when it cannot be used."""
    lower = filename.lower()
    if not lower.endswith(EXTENSIONS):
        raise FileRefused(N_("Only .xlsx and .csv files can be imported."))
    if len(data) > MAX_BYTES:
        raise FileRefused(TOO_LARGE, limit=MAX_BYTES // (1024 * 1024))
    sheets = _read_xlsx(data) if lower.endswith(".xlsx") else _read_csv(filename, data)
    if not sheets or not any(s.rows for s in sheets):
        raise FileRefused(N_("The file has no data rows."))
    return sheets
