"""Deletion requests handled by staff: /erase in the bot, `privacy forget|mydata` on the CLI."""

from __future__ import annotations

import json

from sqlalchemy import select

from bot import db
from bot.cli import build_parser
from bot.core.models import AuditEntry, Person
from bot.features.applications.models import Application
from bot.features.privacy.cli import run_cli
from bot.features.schedule.models import Course
from tests.conftest import ADMIN_ID

TARGET = 4242001
TRAINEE = 7002


async def _target() -> int:
    """A trainee who applied to 2018-01 (stored directly: the form has its own tests)."""
    async with db.session_scope() as s:
        p = Person(
            telegram_id=TARGET,
            first_name="Oksana",
            full_name="Oksana Hryhorenko",
            username="oksana_kyiv",
            email="o.hryhorenko@kyivcity.gov.ua",
            phone="+380441234567",
        )
        s.add(p)
        await s.flush()
        cid = await s.scalar(select(Course.id).where(Course.code == "2018-07"))
        s.add(
            Application(
                course_id=cid,
                person_id=p.id,
                status="submitted",
                answers={"full_name": "Oksana Hryhorenko", "country": "UA", "motivation": "Kyiv"},
            )
        )
        return p.id


async def _erasures() -> list[AuditEntry]:
    async with db.session_scope() as s:
        return list(
            await s.scalars(select(AuditEntry).where(AuditEntry.action == "privacy.erase"))
        )


async def test_trainee_may_not_erase_anyone(sample, conv):
    """/erase from a trainee is refused and changes nothing."""
    await _target()
    [reply] = await conv.send(TRAINEE, f"/erase {TARGET}", lang="en")
    assert reply.text == "This is only for programme staff."
    assert await _erasures() == []


async def test_staff_erase_by_username_in_korean_with_audit(sample, conv):
    """Staff see who it is (in Korean), confirm, and the erasure is logged as theirs."""
    pid = await _target()
    [usage] = await conv.send(ADMIN_ID, "/erase")
    assert usage.text.startswith("사용법: /erase")
    [usage] = await conv.send(ADMIN_ID, f"/erase {TARGET} {'x' * 5000}")
    assert usage.text.startswith("사용법: /erase")
    [unknown] = await conv.send(ADMIN_ID, "/erase @nobody_here")
    assert unknown.text == "해당 텔레그램 ID 또는 사용자명으로 저장된 사람이 없습니다."
    [preview] = await conv.send(ADMIN_ID, "/erase @Oksana_Kyiv")
    assert preview.text.startswith("삭제 요청: 이 사람의 개인정보를 삭제하시겠습니까?")
    assert "• 이름: Oksana Hryhorenko" in preview.text
    assert f"• 텔레그램 ID: {TARGET}" in preview.text
    assert "(2018-07)" in preview.text
    data = preview.buttons[0][0]["data"]

    # A trainee replaying the staff member's button in their own chat gets nothing erased.
    [mine] = await conv.send(TRAINEE, "/forget", lang="en")
    await conv.press_data(TRAINEE, mine.message_id, data)
    assert conv.double.callback_answers[-1]["text"] == "This button is no longer valid."
    assert await _erasures() == []

    events = await conv.press_data(ADMIN_ID, preview.message_id, data)
    assert events[-1].text.startswith(f"완료: #{pid}번 인물의 개인정보를 삭제했습니다.")
    async with db.session_scope() as s:
        person = await s.get(Person, pid)
        staff_id = await s.scalar(select(Person.id).where(Person.telegram_id == ADMIN_ID))
    assert person.full_name is None and person.username is None and person.telegram_id == -pid
    [entry] = await _erasures()
    assert (entry.actor_id, entry.target_id, entry.details) == (
        staff_id,
        str(pid),
        {"reason": "staff_request"},
    )


async def test_cli_mydata_and_forget(sample, settings, capsys, tmp_path):
    """mydata writes the JSON; forget previews without --yes and erases with it."""
    pid = await _target()
    out = tmp_path / "mydata.json"
    args = build_parser().parse_args(
        ["privacy", "mydata", "--telegram-id", str(TARGET), "--out", str(out)]
    )
    assert await run_cli(args, settings) == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["person"]["email"] == "o.hryhorenko@kyivcity.gov.ua"
    assert doc["applications"][0]["course_code"] == "2018-07"

    args = build_parser().parse_args(["privacy", "forget", "--telegram-id", str(TARGET)])
    assert await run_cli(args, settings) == 0
    assert "Nothing changed: add --yes" in capsys.readouterr().out
    assert await _erasures() == []

    args = build_parser().parse_args(["privacy", "forget", "--telegram-id", str(TARGET), "--yes"])
    assert await run_cli(args, settings) == 0
    assert f"Erased person #{pid}: 1 application(s)" in capsys.readouterr().out
    async with db.session_scope() as s:
        app = await s.scalar(select(Application).where(Application.person_id == pid))
    assert app.answers == {"country": "UA"}
    [entry] = await _erasures()
    assert entry.actor_id is None and entry.details == {"reason": "cli"}
    assert await run_cli(args, settings) == 1  # the Telegram id no longer leads to anyone
