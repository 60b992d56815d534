"""One trainee's whole year built through the real flows: application, decision, postcard,
scheduled follow-ups, evaluation and survey (the Kyiv course 2018-07, 27 May – 3 Jun 2018)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from bot import clock, db
from bot.core.outbox import OutboxMessage
from bot.features.applications import review
from bot.features.applications.models import Application
from bot.features.followups.schedule import FOLLOWUP_KINDS, schedule_followups
from tests.features.applications.review_fixtures import staff_actor
from tests.features.applications.test_form import ANSWERS, fill
from tests.features.followups.test_evaluation_fixtures import course_id, invite

KYIV = "2018-07"
TRAINEE = 7301
APPLY = datetime(2018, 1, 5, 1, 0, tzinfo=UTC)
IN_COURSE = datetime(2018, 5, 30, 1, 0, tzinfo=UTC)
LAST_DAY = datetime(2018, 6, 3, 8, 0, tzinfo=UTC)
AFTER = datetime(2018, 6, 4, 1, 0, tzinfo=UTC)
EVALUATION = datetime(2018, 10, 3, 1, 0, tzinfo=UTC)


async def press_all(conv, uid: int, *labels: str) -> None:
    """Press buttons of the bot's last messages in turn (labels, data or numbers)."""
    for label in labels:
        await conv.press(uid, label)


async def build_year(conv) -> dict:
    """Everything the workbook shows, for one Spanish-speaking trainee; returns what to expect."""
    clock.freeze(APPLY)
    await conv.send(TRAINEE, "/apply", lang="es")
    await conv.press(TRAINEE, f"ap:new:{KYIV}")
    await fill(conv, TRAINEE, ANSWERS)
    await conv.press(TRAINEE, "✅ Enviar")
    staff = await staff_actor()
    async with db.session_scope() as s:
        app = await s.scalar(select(Application))
        app_id, version = app.id, app.version
    assert (await review.decide(staff, app_id, "accepted", None, version)).ok

    clock.freeze(IN_COURSE)
    await conv.send(TRAINEE, "/postcard")
    await conv.send(TRAINEE, "Los semáforos inteligentes TOPIS")
    await conv.send(TRAINEE, "Proponer al alcalde un piloto de datos abiertos")
    await press_all(conv, TRAINEE, "1", "pc:done:1")
    await conv.send(TRAINEE, "Presupuesto")
    await conv.send(TRAINEE, '=HYPERLINK("http://x")')  # support wanted: data, not a formula
    await conv.press(TRAINEE, "pc:save:1")

    cid = await course_id(KYIV)
    clock.freeze(LAST_DAY)
    await invite(conv, TRAINEE, "sv", cid)
    await press_all(conv, TRAINEE, "5", "4", "5", "3", "4")
    await conv.send(TRAINEE, "Más tiempo libre, por favor.")

    await schedule_followups(AFTER)
    clock.freeze(EVALUATION)
    await invite(conv, TRAINEE, "ev", cid)
    await conv.press(TRAINEE, "ev:st:1:0:done")
    await conv.send(TRAINEE, "Decreto municipal 512")
    await conv.press(TRAINEE, "ev:rt:1:4")
    await conv.send(TRAINEE, "¡Gracias!")
    await conv.press(TRAINEE, "ev:vo:1:yes")
    async with db.session_scope() as s:
        followups = await s.scalar(
            select(func.count()).where(OutboxMessage.kind.in_(FOLLOWUP_KINDS))
        )
    return {"app_id": app_id, "course_id": cid, "followups": int(followups or 0)}
