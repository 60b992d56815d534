"""A trainee with personal data in every table, built through the real flows where practical."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from bot import clock, db
from bot.core.models import Person
from bot.core.outbox_job import dispatch_now
from bot.core.people import UserCtx, touch_person
from bot.db import Base
from bot.features.applications import review
from bot.features.applications.models import Application
from bot.features.broadcasts.models import Broadcast, BroadcastDelivery
from bot.features.followups.models import Evaluation, SurveyResponse
from bot.features.followups.schedule import schedule_followups
from bot.features.handoff import service as handoff
from bot.features.handoff.models import HandoffQuestion
from bot.features.postcards.models import Postcard
from tests.conftest import ADMIN_ID

UID = 5550173
NAME = "Camila Zuluaga Ñandú"
EMAIL = "camila.zuluaga@alcaldia-ejemplo.gov.co"
PHONE = "+57 4 385 5617"
T0 = datetime(2018, 1, 5, 1, 0, tzinfo=UTC)  # applications to 2018-01 are open
AFTER = datetime(2018, 2, 10, 3, 0, tzinfo=UTC)  # the course is over: follow-ups scheduled

ANSWERS = [
    ("text", NAME),
    ("text", "Argentina"),
    ("text", "Buenos Aires"),
    ("text", "Secretaría de Movilidad Ñandú"),
    ("text", "Directora de Semáforos"),
    ("press", "Directivo o funcionario de alto nivel"),
    ("text", EMAIL),
    ("text", PHONE),
    ("press", "Español"),
    ("text", "Quiero que Camila aprenda de los semáforos inteligentes de Seúl."),
    ("press", "Acepto"),
]


@dataclass(frozen=True)
class Built:
    """Ids of what the fixture created."""

    person_id: int
    app_id: int
    course_id: int
    phone_stored: str
    staff: UserCtx


async def staff_ctx() -> UserCtx:
    """The staff member of the test settings, as the per-update context would load them."""
    return await touch_person(ADMIN_ID, first_name="Jiwoo", admin_ids=frozenset({ADMIN_ID}))


async def apply(conv, uid: int = UID, name: str = "Camila") -> None:
    """Apply to 2018-01 through the bot in Spanish, answering every question."""
    clock.freeze(T0)
    await conv.send(uid, "/apply", lang="es", name=name)
    await conv.press(uid, "ap:new:2018-01")
    for kind, value in ANSWERS:
        await (conv.send(uid, value) if kind == "text" else conv.press(uid, value))
    await conv.press(uid, "✅ Enviar")


async def build_trainee(conv) -> Built:
    """Camila: an application (accepted with a staff note), a question answered by a person,
    a postcard, an evaluation, a survey, follow-ups queued and sent, an announcement."""
    await apply(conv)
    staff = await staff_ctx()
    async with db.session_scope() as s:
        person = await s.scalar(select(Person).where(Person.telegram_id == UID))
        app = await s.scalar(select(Application).where(Application.person_id == person.id))
        pid, app_id, course_id, version = person.id, app.id, app.course_id, app.version
        phone_stored = person.phone
    await review.decide(staff, app_id, "accepted", f"{NAME} es buena candidata", version)
    # A question to a person through /contact, and an officer's answer naming her.
    await conv.send(UID, "/contact")
    await conv.send(UID, "¿Puedo llevar a mi hija a Seúl? Soy Camila Zuluaga.")
    async with db.session_scope() as s:
        qid = await s.scalar(select(HandoffQuestion.id).where(HandoffQuestion.person_id == pid))
    await handoff.record_answer(qid, staff.person_id, "Sí, Camila, con gusto.")
    async with db.session_scope() as s:
        s.add(
            Postcard(
                person_id=pid,
                course_id=course_id,
                inspired_by="Camila vio el sistema TOPIS",
                actions=[{"text": "Semáforos de Zuluaga", "target": "2018-06"}],
                obstacles="Presupuesto de Ñandú",
                support="Llamar a Camila",
                locale="es",
                state="final",
            )
        )
        s.add(
            Evaluation(
                person_id=pid,
                course_id=course_id,
                results=[{"action": 0, "status": "done", "evidence": "Informe de Camila Zuluaga"}],
                rating=5,
                comment="Gracias, Camila",
                volunteer=True,
                completed_at=AFTER,
            )
        )
        s.add(
            SurveyResponse(
                person_id=pid,
                course_id=course_id,
                scores={"overall": 5, "lectures": 4},
                comment="Muy útil para Zuluaga",
                completed_at=AFTER,
            )
        )
        cast = Broadcast(sender_id=staff.person_id, texts={"en": "Hello alumni"}, state="done")
        s.add(cast)
        await s.flush()
        s.add(BroadcastDelivery(broadcast_id=cast.id, person_id=pid, chat_id=UID, state="sent"))
    # Follow-ups: the notice of the decision is sent; postcard return and evaluation queued.
    await dispatch_now(conv.app)
    await schedule_followups(AFTER)
    clock.freeze(AFTER)
    return Built(pid, app_id, course_id, phone_stored, staff)


async def dump_database() -> str:
    """Every column of every row of every table, as one string (JSON decoded)."""
    parts = []
    async with db.session_scope() as s:
        for table in Base.metadata.sorted_tables:
            for row in (await s.execute(select(table))).all():
                parts.append(
                    f"{table.name}: {json.dumps(list(row), default=str, ensure_ascii=False)}"
                )
    return "\n".join(parts)


def secrets_of(built: Built) -> list[str]:
    """The strings that must not survive an erasure."""
    assert built.phone_stored, "the phone must be stored for the scan to mean anything"
    return [*NAME.split(), NAME, EMAIL, built.phone_stored, str(UID)]


def load_json(path: str) -> dict:
    """A JSON file the bot sent."""
    return json.loads(Path(path).read_text(encoding="utf-8"))
