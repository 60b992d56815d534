"""/audit: recent privileged actions for staff, in Korean, ten a page, and the log as XLSX."""

from __future__ import annotations

import asyncio
import io
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_skeleton
from openpyxl import load_workbook
from sqlalchemy import select

from bot import db
from bot.core.models import AuditEntry
from bot.core.outbox import OutboxMessage
from bot.features.applications import review
from bot.features.applications.models import Application
from bot.features.audit import render
from bot.features.audit import service as audit_service
from bot.features.followups.schedule import followup_key, move_followup
from bot.features.roles import service as roles
from bot.i18n import translator
from tests.features.applications.review_fixtures import add_application, staff_actor

INVALID_KO = "더 이상 사용할 수 없는 버튼입니다."


async def test_audit_pages_in_korean_and_export(conv, sample):
    """Newest first, names not ids, Korean labels; older/newer; the XLSX holds every entry."""
    staff = await staff_actor()
    app_id = await add_application(7070, "王小明")
    await review.request_note(staff, app_id, 1, "accepted")  # screen bookkeeping: hidden
    assert (await review.decide(staff, app_id, "accepted", "환영합니다", 1)).ok
    for n in range(11):
        await conv.send(7600 + n, "/start", lang="en", name=f"Officer{n}")
        await roles.grant(staff, 7600 + n, "liaison", org_code="CITYNET")
    await roles.revoke(staff, 7600, "liaison")
    [first] = await conv.send(9001, "/audit", lang="ko", name="Minji")
    lines = first.text.splitlines()
    assert lines[0] == "최근 권한 작업(최신순, 2쪽 중 1쪽)"
    assert lines[1] == "전체 13건"
    assert "• 역할 회수 — 사람 · Officer0" in first.text  # the newest entry first
    assert " · Minji\n" in first.text and "9001" not in first.text  # names, not ids
    assert "note_wait" not in first.text
    # The locale's numeric date (skeleton yMd) and 24-hour time (Hm), on Seoul's clock.
    at, seoul = (await audit_service.recent(staff)).rows[0].at, ZoneInfo("Asia/Seoul")
    day, clock = (format_skeleton(k, at, tzinfo=seoul, locale="ko") for k in ("yMd", "Hm"))
    assert f"🕒 {day} {clock} · Minji" in lines  # the newest entry's line
    assert [b["text"] for row in first.buttons for b in row] == ["이전 ▶️", "📥 내보내기(XLSX)"]
    [older] = [e for e in await conv.press(9001, "이전 ▶️") if e.text]
    assert older.text.splitlines()[0] == "최근 권한 작업(최신순, 2쪽 중 2쪽)"
    assert "• 신청 심사 결정: 선발 — 신청서 · 王小明 · 2018-08" in older.text
    assert "“환영합니다”" in older.text and "🕒 " in older.text
    assert [b["text"] for row in older.buttons for b in row] == ["◀️ 최근", "📥 내보내기(XLSX)"]
    newer = [e for e in await conv.press(9001, "◀️ 최근") if e.text]
    assert newer[0].text.splitlines()[0].endswith("2쪽 중 1쪽)")

    events = await conv.press(9001, "📥 내보내기(XLSX)")
    [doc] = [e for e in events if e.method == "sendDocument"]
    assert doc.text.startswith("감사 기록: 13건.")
    data = await asyncio.to_thread(Path(doc.files[0]).read_bytes)
    sheet = load_workbook(io.BytesIO(data)).active
    assert [c.value for c in sheet[1]][:5] == ["일시", "처리자", "작업", "작업 코드", "대상"]
    assert sheet.max_row == 14 and sheet.freeze_panes == "A2"
    assert sheet["D14"].value == "application.decide" and sheet["B14"].value == "Minji"
    async with db.session_scope() as s:
        last = await s.scalar(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1))
    assert (last.action, last.actor_id, last.details["rows"]) == (
        "audit.export",
        staff.person_id,
        13,
    )


async def test_audit_refused_and_forged(conv, sample):
    """A trainee is refused politely; forged au: data is a stale button; empty log said so."""
    [empty] = await conv.send(9001, "/audit", lang="ko")
    assert empty.text == "감사 기록이 없습니다." and not empty.buttons
    for forged in ("au:p:x", "au:p:-1", "au:zz", "au:p:1234567"):
        await conv.press_data(9001, empty.message_id, forged)
        assert conv.double.callback_answers[-1]["text"] == INVALID_KO
    [refusal] = await conv.send(7501, "/audit", lang="en")
    assert refusal.text == "This is only for programme staff."
    await conv.press_data(7501, refusal.message_id, "au:x")
    assert conv.double.callback_answers[-1]["text"] == "This is only for programme staff."
    async with db.session_scope() as s:
        assert list(await s.scalars(select(AuditEntry))) == []


async def test_follow_up_target_is_named_after_its_trainee(sample):
    """A moved follow-up reads "follow-up · <trainee>" in the log, not an outbox number."""
    staff = await staff_actor()
    app_id = await add_application(7502, "Accepted Trainee", course="2018-04", status="accepted")
    async with db.session_scope() as s:
        app = await s.get(Application, app_id)
        row = OutboxMessage(
            key=followup_key("survey", app.person_id, app.course_id),
            kind="survey",
            chat_id=7502,
            person_id=app.person_id,
            payload={"course_id": app.course_id},
        )
        s.add(row)
        await s.flush()
        outbox_id, due = row.id, row.due_at
    assert (await move_followup(staff, outbox_id, due + timedelta(days=7))).ok
    page = await audit_service.recent(staff)
    [entry] = page.rows
    tr = translator("ko")
    assert render.what(entry, tr) == "사후관리 일정 변경: 만족도 조사"
    assert render.target(entry, tr) == "사후관리 · Accepted"


def test_every_audited_action_has_a_label() -> None:
    """Every action code the code base records is shown to staff as words, not as a code."""
    import ast
    from pathlib import Path

    from bot.features.audit.render import ACTION_LABELS

    hidden = {"review.note_wait", "review.note_closed"}  # bookkeeping, not shown
    codes = set()
    for path in Path("bot").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if name == "record" and len(node.args) >= 3 and isinstance(node.args[2], ast.Constant):
                codes.add(node.args[2].value)
    assert len(codes) > 20
    assert sorted(codes - hidden - set(ACTION_LABELS)) == []
