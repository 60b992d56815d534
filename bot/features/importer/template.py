"""The import template, generated from the documented columns (XLSX, or CSV for one kind)."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from bot.features.importer.columns import COLUMNS, KINDS, SHEET_KO, Column

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
REQUIRED_FILL = PatternFill("solid", fgColor="F8CBAD")
EXAMPLE_FONT = Font(italic=True, color="808080")
DATA_ROWS = 500  # rows the drop-down lists cover


def _header(col: Column, lang: str) -> str:
    return col.ko if lang == "ko" else col.key


def _sheet_name(kind: str, lang: str) -> str:
    return SHEET_KO[kind] if lang == "ko" else kind


def _notes(book: Workbook, lang: str) -> None:
    ws = book.create_sheet("설명" if lang == "ko" else "notes")
    ws.append(["시트 / sheet", "열 / column", "header", "필수 / required", "설명", "description"])
    for cell in ws[1]:
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
    for kind in KINDS:
        for col in COLUMNS[kind]:
            required = "필수 / required" if col.required else ""
            ws.append(
                [_sheet_name(kind, lang), col.ko, col.key, required, col.note_ko, col.note_en]
            )
    ws.append([])
    for line in (
        "한 파일의 모든 행을 먼저 검사합니다. 오류가 하나라도 있으면 아무것도 바뀌지 않습니다.",
        "Every row is checked first; a file with any error changes nothing.",
        "헤더는 한국어 또는 영어로 쓸 수 있습니다. 날짜는 엑셀 날짜 또는 2019-06-16 형식.",
        "Headers may be Korean or English. Dates as Excel dates or 2019-06-16.",
        "열이 없으면 기존 값은 그대로이고, 빈 칸은 값을 지웁니다. 회색 예시 행은 바꿔 쓰세요.",
        "An absent column leaves a field as it is; a blank cell clears it. Replace the grey "
        "example row.",
    ):
        ws.append([line])
    for letter, width in zip("ABCDEF", (10, 16, 14, 16, 50, 60), strict=True):
        ws.column_dimensions[letter].width = width


def build_workbook(lang: str = "ko") -> Workbook:
    """The template workbook: one sheet a kind with headers and an example row, and notes."""
    book = Workbook()
    book.remove(book.active)
    for kind in KINDS:
        ws = book.create_sheet(_sheet_name(kind, lang))
        cols = COLUMNS[kind]
        ws.append([_header(c, lang) for c in cols])
        ws.append([c.example for c in cols])
        for pos, col in enumerate(cols, start=1):
            head = ws.cell(row=1, column=pos)
            head.font = Font(bold=True)
            head.fill = REQUIRED_FILL if col.required else HEADER_FILL
            head.alignment = Alignment(wrap_text=True, vertical="top")
            example = ws.cell(row=2, column=pos)
            example.font = EXAMPLE_FONT
            if col.type == "date":
                example.number_format = "yyyy-mm-dd"
            letter = head.column_letter
            ws.column_dimensions[letter].width = max(12, min(40, len(str(col.example or "")) + 4))
            if col.choices:
                # Drop-down of the codes; Korean words are accepted too, so only warn.
                rule = DataValidation(
                    type="list",
                    formula1='"' + ",".join(col.choices) + '"',
                    allow_blank=True,
                    showErrorMessage=True,
                    errorStyle="warning",
                )
                ws.add_data_validation(rule)
                rule.add(f"{letter}2:{letter}{DATA_ROWS}")
        ws.freeze_panes = "A2"
    _convert_dates(book)
    _notes(book, lang)
    return book


def _convert_dates(book: Workbook) -> None:
    """Store the examples' dates as real Excel dates, as staff will type them."""
    for ws in book.worksheets:
        for cell in ws[2]:
            if isinstance(cell.value, str) and len(cell.value) == 10 and cell.value[4] == "-":
                try:
                    cell.value = date.fromisoformat(cell.value)
                except ValueError:
                    continue


def csv_kind(out: Path) -> str:
    """The kind a CSV template is for, from its file name (courses by default)."""
    name = out.name.lower()
    if "session" in name or "schedule" in name or "일정" in name:
        return "sessions"
    if "result" in name or "실적" in name:
        return "results"
    return "courses"


def template_bytes(kind: str | None = None, lang: str = "ko") -> bytes:
    """The template as file content: XLSX, or a UTF-8 (BOM) CSV of one kind."""
    buf = io.BytesIO()
    if kind is None:
        build_workbook(lang).save(buf)
        return buf.getvalue()
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow([_header(c, lang) for c in COLUMNS[kind]])
    writer.writerow(["" if c.example is None else c.example for c in COLUMNS[kind]])
    return text.getvalue().encode("utf-8-sig")


def write_template(out: Path, lang: str = "ko") -> str:
    """Write the template to `out` (.csv: one kind); returns what was written."""
    if out.suffix.lower() == ".csv":
        kind = csv_kind(out)
        out.write_bytes(template_bytes(kind, lang))
        return kind
    out.write_bytes(template_bytes(None, lang))
    return "xlsx"
