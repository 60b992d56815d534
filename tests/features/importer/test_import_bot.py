"""The import through the bot: /import, a staff member's document, /editcourse, bad files."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from bot import db
from bot.core.models import AuditEntry
from bot.features.schedule.models import Course
from tests.conftest import ADMIN_ID
from tests.features.importer.import_fixtures import snapshot, year_2019

TRAINEE = 4242


async def test_import_command_sends_the_template_in_korean(conv, sample):
    """/import explains what to send and attaches the template; non-staff are refused."""
    events = await conv.send(ADMIN_ID, "/import", lang="ko")
    assert "문서로 보내 주세요" in events[0].text
    assert events[1].method == "sendDocument" and events[1].files[0].endswith(".xlsx")
    [refused] = await conv.send(TRAINEE, "/import", lang="en")
    assert refused.text == "This is only for programme staff."


async def test_staff_document_is_imported_with_a_korean_report(conv, sample):
    """An .xlsx document from staff is downloaded, imported and reported in Korean."""
    await conv.send(ADMIN_ID, "/start", lang="ko")
    [report] = await conv.send_document(ADMIN_ID, "2019.xlsx", year_2019())
    assert report.text.startswith("2019.xlsx 파일을 가져왔습니다:")
    assert "과정: 새로 만듦 2, 고침 0, 그대로 0" in report.text
    assert "새로 추가된 도시: Nairobi" in report.text
    [again] = await conv.send_document(ADMIN_ID, "2019.xlsx", year_2019())
    assert "바뀐 것이 없습니다" in again.text
    [checked] = await conv.send_document(ADMIN_ID, "2019.xlsx", year_2019(), caption="검사")
    assert "검사만 했으므로" in checked.text
    async with db.session_scope() as s:
        assert await s.scalar(select(func.count()).where(Course.year == 2019)) == 2
        imports = await s.scalar(
            select(func.count()).where(AuditEntry.action == "import.spreadsheet")
        )
    assert imports == 2  # the check-only run writes nothing, not even the audit log


async def test_non_staff_document_is_not_imported(conv, sample):
    """A trainee's spreadsheet gets a polite answer and changes nothing."""
    before = await snapshot()
    [reply] = await conv.send_document(TRAINEE, "2019.xlsx", year_2019(), lang="en")
    assert "only programme staff can import" in reply.text
    assert await snapshot() == before


async def test_bad_files_are_answered_clearly(conv, sample):
    """Wrong extension, corrupt workbook, huge cell, unreadable CSV: clear answers, no change."""
    await conv.send(ADMIN_ID, "/start", lang="ko")
    before = await snapshot()
    [pdf] = await conv.send_document(ADMIN_ID, "plan.pdf", b"%PDF-1.4")
    assert ".xlsx 또는 .csv 파일만" in pdf.text
    [corrupt] = await conv.send_document(ADMIN_ID, "broken.xlsx", b"PK\x03\x04 not a zip")
    assert corrupt.text == (
        "broken.xlsx 파일을 가져오지 못했습니다: 읽을 수 있는 .xlsx 통합 문서가 아닙니다."
    )
    huge = "과정코드,연도,유형,과정명(영어)\n2019-09,2019,planned," + "x" * 3000 + "\n"
    [cell] = await conv.send_document(ADMIN_ID, "huge.csv", huge.encode())
    assert "huge.csv 시트의 D2 셀이 2000자를 넘습니다" in cell.text
    [latin] = await conv.send_document(ADMIN_ID, "old.csv", "code,année\n".encode("latin-1"))
    assert "UTF-8" in latin.text
    assert await snapshot() == before


async def test_editcourse_fixes_the_wego_end_date(conv, sample):
    """The misprinted end date of the WeGO course is fixed, checked and audit-logged."""
    await conv.send(ADMIN_ID, "/start", lang="ko")
    [bad] = await conv.send(ADMIN_ID, "/editcourse 2018-03 종료일 2018-03-01")
    assert "종료일이 시작일보다 앞섭니다" in bad.text
    [typo] = await conv.send(ADMIN_ID, "/editcourse 2018-03 seats many")
    assert "정수가 아닙니다" in typo.text
    [reply] = await conv.send(ADMIN_ID, "/editcourse 2018-03 종료일 2018-03-25")
    assert (
        reply.text == "2018-03 과정: 종료일 값을 “2018-04-25”에서 “2018-03-25”(으)로 바꿨습니다."
    )
    async with db.session_scope() as s:
        course = await s.scalar(select(Course).where(Course.code == "2018-03"))
        entry = await s.scalar(select(AuditEntry).where(AuditEntry.action == "course.edit"))
    assert course.ends == date(2018, 3, 25)
    assert (entry.target_id, entry.details) == (
        "2018-03",
        {"field": "ends", "old": "2018-04-25", "new": "2018-03-25"},
    )
    [same] = await conv.send(ADMIN_ID, "/editcourse 2018-03 ends 2018-03-25")
    assert "바뀐 것이 없습니다" in same.text
    [refused] = await conv.send(TRAINEE, "/editcourse 2018-03 ends 2018-03-26", lang="en")
    assert refused.text == "This is only for programme staff."
