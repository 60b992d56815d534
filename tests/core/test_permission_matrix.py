"""Every privileged command and button × every kind of person.

Unauthorised people get the refusal and nothing changes (no audit row, no state change);
authorised people get their screen. A new privileged command or button is one line in CASES.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from sqlalchemy import select

from bot import db
from bot.core.models import AuditEntry, PersonRole
from bot.core.outbox import OutboxMessage
from bot.features.applications.models import Application
from bot.features.broadcasts.models import Broadcast
from bot.features.followups.schedule import followup_key
from bot.features.roles import service
from bot.features.roles.models import RoleInvite
from bot.features.schedule.models import Course
from tests.conftest import ADMIN_ID
from tests.features.applications.review_fixtures import add_application
from tests.features.roles.roles_fixtures import admin, person

# Who is asking: (telegram id, Telegram language). Staff write in Korean, the others in English.
PEOPLE = {
    "trainee": (7501, "en"),  # has talked to the bot, nothing else
    "accepted_trainee": (7502, "en"),  # accepted in the CITYNET course 2018-04
    "citynet_liaison": (7503, "en"),  # liaison officer for CITYNET
    "admin_staff": (ADMIN_ID, "ko"),  # staff through ADMIN_IDS
    "granted_staff": (7504, "ko"),  # staff through a granted role
}
TARGET = 7505  # someone staff grant a role to
STAFF = frozenset({"admin_staff", "granted_staff"})
BROADCASTERS = STAFF | {"citynet_liaison"}
REFUSALS = {
    "This is only for programme staff.",
    "Broadcasts are only for liaison officers and programme staff.",
}


@dataclass(frozen=True)
class Case:
    """One privileged entry point: a command text or forged callback data, who may use it."""

    kind: str  # "command" | "button"
    text: str  # may use {app_id} {course_id} {outbox_id} {target} {liaison}
    allowed: frozenset[str] = STAFF
    expect: dict = field(default_factory=dict)  # role → a fragment their screen must show


CASES = [
    Case("command", "/review", expect={"admin_staff": "과정별 신청 현황"}),
    Case("command", "/export", expect={"admin_staff": "내보낼 자료"}),
    Case("command", "/audit", expect={"admin_staff": "최근 권한 작업"}),
    Case("button", "ex:w"),
    Case("button", "ex:a:2018-04:csv"),
    Case("button", "au:p:0"),
    Case("button", "au:x"),
    Case("command", "/followups"),
    Case("command", "/stats 2017", expect={"admin_staff": "2017년 통계"}),
    Case("button", "st:y:2018"),
    Case("command", "/import", expect={"admin_staff": "문서로 보내 주세요"}),
    Case("command", "/editcourse 2018-03 seats 14", expect={"admin_staff": "2018-03 과정"}),
    Case("command", "/roles", expect={"admin_staff": "역할이 있는 사람"}),
    Case("command", "/grant {target} liaison ICLEI", expect={"granted_staff": "완료"}),
    Case("command", "/revoke {liaison} liaison", expect={"granted_staff": "회수 완료"}),
    Case("command", "/invite liaison CITYNET", expect={"admin_staff": "https://t.me/"}),
    Case("command", "/broadcast", BROADCASTERS),
    Case("command", "/broadcasts", BROADCASTERS),
    Case("button", "menu:applications"),
    Case("button", "rv:c"),
    Case("button", "rv:c:{course_id}:0"),
    Case("button", "rv:a:{app_id}"),
    Case("button", "rv:d:{app_id}:1:x"),
    Case("button", "rv:n:{app_id}:1:x"),
    Case("button", "fu:l"),
    Case("button", "fu:c:2018-04"),
    Case("button", "fu:m:{outbox_id}:7"),
    Case("button", "fu:x:{outbox_id}"),
    Case("button", "br:m", BROADCASTERS),
    Case("button", "br:q", BROADCASTERS),
    Case("button", "br:go", BROADCASTERS),
]


async def _setup() -> dict:
    """The five people, an accepted application, a pending follow-up; ids for the table."""
    staff = await admin()
    for role, (telegram_id, lang) in PEOPLE.items():
        if role != "admin_staff":
            await person(telegram_id, role.title(), lang=lang)
    await person(TARGET, "Target")
    app_id = await add_application(7502, "Accepted Trainee", course="2018-04", status="accepted")
    await service.grant(staff, 7503, "liaison", org_code="CITYNET")
    await service.grant(staff, 7504, "staff")
    async with db.session_scope() as s:
        course = await s.scalar(select(Course).where(Course.code == "2018-04"))
        accepted = await s.get(Application, app_id)
        row = OutboxMessage(
            key=followup_key("survey", accepted.person_id, course.id),
            kind="survey",
            chat_id=7502,
            person_id=accepted.person_id,
            payload={"course_id": course.id},
        )
        s.add(row)
        await s.flush()
        return {
            "app_id": app_id,
            "course_id": course.id,
            "outbox_id": row.id,
            "target": TARGET,
            "liaison": 7503,
        }


async def _snapshot() -> dict:
    """Everything a privileged action could change."""
    async with db.session_scope() as s:
        return {
            "audit": list(await s.scalars(select(AuditEntry.id))),
            "roles": sorted(
                (
                    await s.execute(
                        select(
                            PersonRole.person_id,
                            PersonRole.role,
                            PersonRole.organisation_id,
                            PersonRole.course_id,
                        )
                    )
                ).all()
            ),
            "invites": list(await s.scalars(select(RoleInvite.id))),
            "applications": sorted(
                (
                    await s.execute(
                        select(Application.id, Application.status, Application.version)
                    )
                ).all()
            ),
            "outbox": sorted(
                (
                    await s.execute(
                        select(OutboxMessage.id, OutboxMessage.state, OutboxMessage.due_at)
                    )
                ).all()
            ),
            "broadcasts": list(await s.scalars(select(Broadcast.id))),
        }


# Refused people first, so a state check is not disturbed by an authorised action before it;
# granted staff before ADMIN_IDS staff, so their first use is the one with an expectation.
ORDER = ["trainee", "accepted_trainee", "citynet_liaison", "granted_staff", "admin_staff"]


async def _try(conv, case: Case, role: str, ids: dict) -> None:
    """One person uses one entry point; assert refusal-and-no-change or their screen."""
    telegram_id, lang = PEOPLE[role]
    conv.user(telegram_id, role.title(), lang=lang)
    text = case.text.format(**ids)
    if case.kind == "button":
        await conv.send(telegram_id, "/help")  # a bot message to press the forged button on
        message_id = conv.double.last_message(telegram_id, from_bot=True)["message_id"]
    answers_before = len(conv.double.callback_answers)
    before = await _snapshot()
    if case.kind == "command":
        events = await conv.send(telegram_id, text)
    else:
        events = await conv.press_data(telegram_id, message_id, text)
    said = [e.text for e in events if e.chat_id == telegram_id and e.text]
    said += [a.get("text") for a in conv.double.callback_answers[answers_before:] if a.get("text")]
    refused = [t for t in said if t in REFUSALS]
    if role in case.allowed:
        assert not refused, f"{role} was refused {text}"
        assert events or len(conv.double.callback_answers) > answers_before, f"{role}: no screen"
        fragment = case.expect.get(role)
        assert fragment is None or any(fragment in t for t in said), (role, text, said)
    else:
        assert refused, f"{role} was not refused {text}: {said}"
        assert not any(e.chat_id != telegram_id for e in events), f"{role}: someone else was told"
        assert await _snapshot() == before, f"{role} changed state with {text}"


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.text.split()[0])
async def test_permission(conv, sample, case: Case):
    """Each kind of person in turn: refused without the role, their screen with it."""
    ids = await _setup()
    for role in ORDER:
        await _try(conv, case, role, ids)
