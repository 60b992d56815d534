"""Exports of a course's applications: XLSX and CSV, in the bot and on the command line."""

from __future__ import annotations

import asyncio
import csv
import io
from pathlib import Path

from babel import Locale
from openpyxl import load_workbook

from bot.features.exports.service import course_applications_cli
from tests.features.applications.review_fixtures import WATER, add_application


async def _applicants():
    await add_application(7070, "王小明", country="CN", city="上海", language="zh")
    await add_application(7071, "Ольга Смирнова", country="KZ", city="Алматы", language="ru",
                          seniority="senior", minutes=5)  # fmt: skip


async def test_xlsx_korean_headers_chinese_name(sample):
    """XLSX: bold frozen Korean header, rows in priority order, real dates, Chinese intact."""
    await _applicants()
    done = await course_applications_cli(WATER, "xlsx")
    name, data = done.name, done.data
    assert name == "applications-2018-08.xlsx"
    sheet = load_workbook(io.BytesIO(data)).active
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["우선순위", "상태", "제출 일시(서울 시각)", "성명"]
    assert sheet["A1"].font.bold and sheet.freeze_panes == "A2"
    assert [sheet.cell(r, 4).value for r in (2, 3)] == ["Ольга Смирнова", "王小明"]
    assert sheet.cell(3, 6).value == Locale.parse("ko").territories["CN"]
    assert sheet.cell(3, 2).value == "제출됨"
    assert sheet.cell(2, 3).value.hour == 10  # 01:05 UTC is 10:05 in Seoul


async def test_csv_has_bom_and_cyrillic(sample):
    """CSV: UTF-8 with BOM (Excel), Cyrillic and Chinese survive; English headers on request."""
    await _applicants()
    done = await course_applications_cli(WATER, "csv", locale="en")
    name, data = done.name, done.data
    assert name.endswith(".csv") and data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Priority", "Status", "Submitted (Seoul time)", "Full name"]
    assert rows[0][4] == "Name in Latin letters (passport)"
    assert rows[1][3] == "Ольга Смирнова" and rows[1][6] == "Алматы"
    assert rows[1][5] == Locale.parse("en").territories["KZ"]
    assert rows[2][3] == "王小明" and rows[1][2] == "2018-04-02 10:05"


async def test_export_in_bot_sends_document(conv, sample):
    """/export → one course's applications → course → CSV: staff receive the file."""
    await _applicants()
    await conv.send(9001, "/export")
    await conv.press(9001, "ex:a")
    await conv.press(9001, "2018-08")
    events = await conv.press(9001, "CSV")
    [doc] = [e for e in events if e.method == "sendDocument"]
    data = await asyncio.to_thread(Path(doc.files[0]).read_bytes)
    assert data.startswith(b"\xef\xbb\xbf")


def test_cli_export(cli, tmp_path: Path):
    """`python -m bot export applications` writes the XLSX; an unknown course exits 1."""
    run = cli
    assert run("migrate").returncode == 0 and run("import-sample").returncode == 0
    out = tmp_path / "a.xlsx"
    done = run("export", "applications", "--course", WATER, "--format", "xlsx", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert load_workbook(out).active["A1"].value == "우선순위"
    missing = run("export", "applications", "--course", "nope", "--out", str(out))
    assert missing.returncode == 1 and "nope" in missing.stderr
