"""Apply entry points and refusals, the waitlist, /status and withdrawal."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select, update

from bot import clock, db
from bot.core.models import AuditEntry, Person
from bot.features.applications import rules
from bot.features.applications.models import Application
from bot.features.schedule.models import Course
from tests.features.applications.test_form import ANSWERS, T0, _apps, fill, start_form

COURSE_EN = "Smart City (University of Seoul, for Argentina)"


def test_window_rules():
    """Open while planned/open and before the deadline (or the start); otherwise why not."""
    day = date(2018, 1, 5)
    assert rules.window("planned", date(2018, 1, 21), None, day) == "open"
    assert rules.window("open", date(2018, 1, 21), date(2018, 1, 5), day) == "open"
    assert rules.window("open", date(2018, 1, 21), date(2018, 1, 4), day) == "past"
    assert rules.window("planned", date(2018, 1, 5), None, day) == "past"
    assert rules.window("tentative", None, None, day) == "closed"
    assert rules.window("completed", date(2017, 5, 9), None, day) == "past"
    assert rules.window("planned", None, None, day) == "no_dates"
    assert rules.is_full(10, 10) and not rules.is_full(9, 10) and not rules.is_full(5, 0)


async def test_deep_link_starts_the_form(sample, conv):
    """/start apply-2018-01 after the language is confirmed."""
    clock.freeze(T0)
    await conv.send(7401, "/start", lang="ru")
    await conv.press(7401, "lang:ru")
    events = await conv.send(7401, "/start apply-2018-01")
    assert events[0].text.startswith("Заявка на курс «Умный город")
    assert events[-1].text.startswith("1/11. Укажите, пожалуйста, ваше полное имя")


async def test_card_has_apply_button_only_while_open(sample, conv):
    """The course card shows “📝 Apply” for an open course."""
    clock.freeze(T0)
    events = await conv.send(7402, "/courses", lang="en")
    events = await conv.press_data(7402, events[-1].message_id, "crs:c:2018-01")
    labels = [b["text"] for row in events[-1].buttons for b in row]
    assert "📝 Apply" in labels
    events = await conv.press(7402, "📝 Apply")
    assert events[-1].text.startswith("1/11. What is your full name")


async def test_past_closed_unknown_and_already_applied_refused(sample, conv):
    """Clear refusals in the trainee's language."""
    clock.freeze(datetime(2019, 3, 1, tzinfo=UTC))
    [reply] = await conv.send(7403, "/apply", lang="en")
    assert reply.text == "No course is taking applications at the moment."
    [reply] = await conv.press_data(7403, reply.message_id, "ap:new:2018-01")
    assert reply.text == f"The application period for “{COURSE_EN}” has ended."
    clock.freeze(T0)
    [reply] = await conv.press_data(7403, reply.message_id, "ap:new:2018-14")
    assert reply.text.endswith("is not taking applications.")
    await start_form(conv, 7404)
    await fill(conv, 7404, ANSWERS)
    await conv.press(7404, "✅ Enviar")
    listing = (await conv.send(7404, "/apply"))[-1]
    [reply] = await conv.press_data(7404, listing.message_id, "ap:new:2018-01")
    assert reply.text.startswith("Usted ya presentó una solicitud")
    assert "Estado: enviada." in reply.text


async def test_full_course_offers_the_waitlist(sample, conv):
    """Seats taken: the offer, then a submitted application is waitlisted."""
    async with db.session_scope() as s:
        course = await s.scalar(select(Course).where(Course.code == "2018-01"))
        await s.execute(update(Course).where(Course.id == course.id).values(seats=1))
        other = Person(telegram_id=1, locale="es")
        s.add(other)
        await s.flush()
        s.add(Application(course_id=course.id, person_id=other.id, status="accepted"))
    events = await start_form(conv, 7405)
    assert events[-1].text.startswith("Todos los cupos de «Ciudad inteligente")
    await conv.press(7405, "Inscribirme en la lista de espera")
    await fill(conv, 7405, ANSWERS)
    events = await conv.press(7405, "✅ Enviar")
    assert "quedó en la lista de espera" in events[-1].text
    [_accepted, mine] = await _apps()
    assert mine.status == "waitlisted"


async def test_status_lists_and_withdraws(sample, conv):
    """/status shows the application in Russian; Withdraw asks, then withdraws and audits."""
    await start_form(conv, 7406, lang="ru")
    answers = [(k, v) for k, v in ANSWERS]
    answers[5] = ("press", "Руководитель / старший сотрудник")
    answers[8] = ("press", "Русский")
    answers[10] = ("press", "Я согласен(на)")
    await fill(conv, 7406, answers)
    await conv.press(7406, "✅ Отправить")
    [status] = await conv.send(7406, "/status")
    assert "Умный город (Сеульский городской университет, для Аргентины)" in status.text
    assert "Статус: отправлена" in status.text
    events = await conv.press(7406, status.buttons[0][0]["text"])
    assert events[-1].text.startswith("Вы действительно хотите отозвать заявку")
    events = await conv.press(7406, "Да, отозвать")
    assert events[-1].text.startswith("Ваша заявка на курс «Умный город")
    [app] = await _apps()
    assert (app.status, app.withdrawn_at) == ("withdrawn", T0)
    async with db.session_scope() as s:
        actions = list(await s.scalars(select(AuditEntry.action)))
    assert "application.withdraw" in actions
    [status] = await conv.send(7406, "/status")
    assert "Статус: отозвана" in status.text and not status.buttons
