"""/export in the bot and the export services' permissions."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from bot import db
from bot.core.audit import PermissionDenied
from bot.core.models import AuditEntry
from bot.core.people import UserCtx
from bot.features.audit import service as audit_service
from bot.features.exports.service import ExportRequest, course_applications, export_workbook
from tests.features.applications.review_fixtures import WATER, add_application, staff_actor

TRAINEE = UserCtx(1, 7099, "Eve", "en", True, None, frozenset({"trainee"}))
LIAISON = UserCtx(1, 7099, "Eve", "en", True, None, frozenset({"liaison"}))
INVALID_KO = "더 이상 사용할 수 없는 버튼입니다."


async def _audit() -> list[AuditEntry]:
    async with db.session_scope() as s:
        return list(await s.scalars(select(AuditEntry).order_by(AuditEntry.id)))


@pytest.mark.parametrize("actor", [None, TRAINEE, LIAISON])
async def test_services_refuse_everyone_but_staff(sample, actor):
    """Trainees, liaison officers and nobody get PermissionDenied and leave no trace."""
    await add_application(7070, "王小明")
    calls = [
        export_workbook(actor, ExportRequest()),
        export_workbook(actor, ExportRequest(sheet="postcards", fmt="csv")),
        course_applications(actor, WATER, "xlsx"),
        audit_service.recent(actor),
        audit_service.for_export(actor),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            await call
    assert await _audit() == []
    staff = await staff_actor()
    done = await course_applications(staff, WATER, "csv")
    assert done.counts == {"applications": 1}
    [entry] = await _audit()
    assert (entry.action, entry.actor_id, entry.target_id) == (
        "export.applications",
        staff.person_id,
        WATER,
    )


def _document(events):
    [doc] = [e for e in events if e.method == "sendDocument"]
    return doc, Path(doc.files[0])


async def test_export_menu_sheet_and_course_in_korean(conv, sample):
    """Menu → one sheet → CSV; menu → a course → XLSX; captions and buttons in Korean."""
    await add_application(7070, "王小明", country="CN")
    [menu] = await conv.send(9001, "/export", lang="ko")
    assert menu.text.startswith("내보낼 자료를 고르세요.")
    assert [b["text"] for row in menu.buttons for b in row] == [
        "📘 전체 통합 문서(XLSX)",
        "📄 시트 하나",
        "🗂 한 과정의 신청서",
    ]
    await conv.press(9001, "📄 시트 하나")
    await conv.press(9001, "신청")
    doc, path = _document(await conv.press(9001, "CSV"))
    data = await asyncio.to_thread(path.read_bytes)
    assert data.startswith(b"\xef\xbb\xbf") and "王小明" in data.decode("utf-8-sig")
    assert doc.text.startswith("시트: 신청\n1행.")
    await conv.press(9001, "ex:m")
    await conv.press(9001, "🗂 한 과정의 신청서")
    await conv.press(9001, WATER)
    doc, path = _document(await conv.press(9001, "Excel (XLSX)"))
    book = load_workbook(io.BytesIO(await asyncio.to_thread(path.read_bytes)))
    assert book.active.title == WATER and book.active["D2"].value == "王小明"
    assert [e.action for e in await _audit()] == ["export.sheet", "export.applications"]


async def test_forged_buttons_and_non_staff(conv, sample):
    """Forged ex: data is a stale button for staff; a trainee is refused and nothing is logged."""
    [menu] = await conv.send(9001, "/export", lang="ko")
    for forged in ("ex:s:salaries:xlsx", "ex:a:2018-08:pdf", "ex:zz", "ex:a:" + "x" * 40):
        await conv.press_data(9001, menu.message_id, forged)
        assert conv.double.callback_answers[-1]["text"] == INVALID_KO
    await conv.press_data(9001, menu.message_id, "ex:a:1999-99:xlsx")
    assert conv.double.callback_answers[-1]["text"] == "이 과정은 더 이상 존재하지 않습니다."
    [refusal] = await conv.send(7501, "/export", lang="en")
    assert refusal.text == "This is only for programme staff."
    await conv.press_data(7501, refusal.message_id, "ex:w")
    assert conv.double.callback_answers[-1]["text"] == "This is only for programme staff."
    assert await _audit() == []
