"""The staff workbook: six sheets from data made by the real flows, filters, one-sheet files."""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from bot import db
from bot.core.models import AuditEntry
from bot.features.exports.service import ExportRequest, export_workbook
from bot.features.schedule.models import Course
from tests.features.applications.review_fixtures import WATER, add_application, staff_actor
from tests.features.exports.programme_fixtures import KYIV, build_year

TITLES_KO = ["과정", "신청", "엽서", "사후관리", "현업적용평가", "만족도 조사"]


async def _courses(year: int) -> int:
    async with db.session_scope() as s:
        return int(await s.scalar(select(func.count()).where(Course.year == year)))


def _book(data: bytes):
    return load_workbook(io.BytesIO(data))


async def test_workbook_of_a_real_year_in_korean(conv, sample):
    """Application, postcard, follow-ups, evaluation and survey land in their Korean sheets."""
    expected = await build_year(conv)
    staff = await staff_actor()
    done = await export_workbook(staff, ExportRequest(year=2018))
    assert done.name == "workbook-2018.xlsx"
    assert done.counts == {
        "courses": await _courses(2018),
        "applications": 1,
        "postcards": 1,
        "followups": expected["followups"],
        "evaluations": 1,
        "surveys": 1,
    }
    assert expected["followups"] >= 2  # the postcard's return and the evaluation at least
    book = _book(done.data)
    assert book.sheetnames == TITLES_KO
    for ws in book.worksheets:
        assert ws.freeze_panes == "A2" and ws["A1"].font.bold
        assert ws.auto_filter.ref.startswith("A1:")
        assert ws.column_dimensions["A"].width >= 8
    courses = book["과정"]
    assert [c.value for c in courses[1]][:4] == ["과정", "연도", "과정명", "과정 유형"]
    starts = [r[5].value for r in courses.iter_rows(min_row=2)]
    assert isinstance(starts[0], datetime)  # real dates, not text; undated courses last
    apps = book["신청"]
    header = [c.value for c in apps[1]]
    assert header[:4] == ["과정", "과정명", "우선순위", "상태"]
    row = {h: c.value for h, c in zip(header, apps[2], strict=True)}
    assert row["과정"] == KYIV and row["상태"] == "선발"
    assert row["성명"] == "María José Rodríguez Peña"
    assert row["제출 일시(서울 시각)"] == datetime(2018, 1, 5, 10, 0)  # 01:00 UTC, Seoul clock
    cards = book["엽서"]
    card = {h.value: c.value for h, c in zip(cards[1], cards[2], strict=True)}
    assert card["실천 과제 1"] == "Proponer al alcalde un piloto de datos abiertos"
    assert card["요청 지원"].startswith("'=HYPERLINK")  # typed text never becomes a formula
    followups = book["사후관리"]
    kinds = {r[2].value for r in followups.iter_rows(min_row=2)}
    assert {"엽서 회송", "현업적용평가"} <= kinds, kinds
    assert all(isinstance(r[3].value, datetime) for r in followups.iter_rows(min_row=2))
    ev = book["현업적용평가"]
    values = {h.value: c.value for h, c in zip(ev[1], ev[2], strict=True)}
    assert values["실천 과제 1"] == "Proponer al alcalde un piloto de datos abiertos"
    assert values["근거 1"] == "Decreto municipal 512" and values["업무 활용도(1–5)"] == 4
    assert values["포럼 발표 희망"] == "예"
    survey = book["만족도 조사"]
    assert [c.value for c in survey[2]][2:7] == [5, 4, 5, 3, 4]
    async with db.session_scope() as s:
        entry = await s.scalar(select(AuditEntry).where(AuditEntry.action == "export.workbook"))
    assert entry.actor_id == staff.person_id
    assert entry.details["rows"] == done.counts and entry.details["year"] == 2018

    # The same file in the bot: /export → the whole workbook, a document openpyxl opens.
    await conv.send(9001, "/export", lang="ko")
    events = await conv.press(9001, "ex:w")
    [doc] = [e for e in events if e.method == "sendDocument"]
    book = _book(await asyncio.to_thread(Path(doc.files[0]).read_bytes))
    assert book.sheetnames == TITLES_KO and book["현업적용평가"].max_row == 2
    assert doc.text.startswith("직원용 통합 문서")


async def test_one_sheet_filters_and_formats(sample):
    """One sheet as XLSX or CSV (BOM, English on request); --year and --course filter rows."""
    await add_application(7070, "王小明", country="CN", language="zh")
    await add_application(7071, "Ольга Смирнова", course="2018-04", country="KZ")
    staff = await staff_actor()
    one = await export_workbook(staff, ExportRequest(sheet="applications", course=WATER))
    assert one.name == f"applications-{WATER}.xlsx" and one.counts == {"applications": 1}
    assert _book(one.data).sheetnames == ["신청"]
    both = await export_workbook(staff, ExportRequest(sheet="applications", year=2018))
    assert both.counts == {"applications": 2}
    none = await export_workbook(staff, ExportRequest(sheet="applications", year=2017))
    assert none.counts == {"applications": 0}
    flat = await export_workbook(
        staff, ExportRequest(sheet="applications", fmt="csv", year=2018, locale="en")
    )
    assert flat.name == "applications-2018.csv" and flat.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(flat.data.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Course", "Course title", "Priority", "Status"]
    assert {r[5] for r in rows[1:]} == {"王小明", "Ольга Смирнова"}
    courses = await export_workbook(staff, ExportRequest(sheet="courses", course=WATER))
    assert courses.counts == {"courses": 1}
    with pytest.raises(LookupError):
        await export_workbook(staff, ExportRequest(course="nope"))
    with pytest.raises(ValueError):
        await export_workbook(staff, ExportRequest(fmt="csv"))  # CSV holds one sheet
    with pytest.raises(ValueError):
        await export_workbook(staff, ExportRequest(sheet="salaries"))
