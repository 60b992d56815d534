"""The action-plan postcard, end to end through the Bot API double, in Russian."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from babel.dates import format_date, format_skeleton
from PIL import Image
from sqlalchemy import select

from bot import clock, db
from bot.core.models import Person
from bot.dev.harness import conversation
from bot.features.applications.models import Application
from bot.features.postcards.models import Postcard
from bot.features.postcards.service import card_for
from bot.features.schedule.models import Course

KYIV = "2018-07"  # 27 May – 3 June 2018
IN_COURSE = datetime(2018, 5, 30, 1, 0, tzinfo=UTC)  # 10:00 in Seoul
INVALID = "Эта кнопка больше не действует."
COURSE_RU = "Умный город"
OPENS = format_date(date(2018, 5, 27), "medium", locale="ru")  # the first course day
CLOSES = format_date(date(2018, 6, 10), "medium", locale="ru")  # a week after the last


def month(year: int, number: int) -> str:
    """A target month as the bot names it: Babel's yMMMM skeleton in Russian."""
    return format_skeleton("yMMMM", date(year, number, 1), locale="ru")


async def enrol(uid: int, code: str = KYIV, status: str = "accepted") -> int:
    """A person with an application to a course, made directly in the database."""
    async with db.session_scope() as s:
        person = await s.scalar(select(Person).where(Person.telegram_id == uid))
        if person is None:
            person = Person(telegram_id=uid, locale="ru", locale_confirmed=True, first_name="Ol")
            s.add(person)
            await s.flush()
        course = await s.scalar(select(Course).where(Course.code == code))
        answers = {"full_name": "Олена Коваленко", "city": "Київ"}
        s.add(
            Application(course_id=course.id, person_id=person.id, status=status, answers=answers)
        )
        return person.id


async def cards() -> list[Postcard]:
    async with db.session_scope() as s:
        return list(await s.scalars(select(Postcard).order_by(Postcard.id)))


@pytest.mark.parametrize(
    ("status", "now", "expected"),
    [
        ("submitted", IN_COURSE, "Открытка с планом действий — для участников курсов"),
        ("accepted", datetime(2018, 5, 20, 3, tzinfo=UTC), f"с {OPENS}"),
        ("accepted", datetime(2018, 6, 11, 3, tzinfo=UTC), f"до {CLOSES}"),
        ("accepted", datetime(2018, 6, 10, 3, tzinfo=UTC), "Ваша открытка с планом действий"),
        ("accepted", IN_COURSE, "Ваша открытка с планом действий"),
    ],
)
async def test_eligibility(sample, conv, status, now, expected):
    """Only accepted trainees, from the first course day to a week after the last."""
    await enrol(7401, status=status)
    clock.freeze(now)
    events = await conv.send(7401, "/postcard", lang="ru")
    assert expected in events[0].text
    assert bool(await cards()) == ("Ваша открытка" in expected)


async def test_menu_button_answers_everyone_politely(sample, conv):
    """The main-menu button is there for a newcomer and explains who the postcard is for."""
    clock.freeze(IN_COURSE)
    await conv.send(7402, "/start", lang="ru")
    menu = (await conv.press(7402, "Русский"))[-1]
    assert ["✉️ Мой план действий", "menu:postcard"] in [
        [b["text"], b["data"]] for row in menu.buttons for b in row
    ]
    [message] = await conv.press(7402, "✉️ Мой план действий")
    assert message.text.startswith("Открытка с планом действий — для участников курсов")


async def write(conv, uid: int, steps) -> list:
    events = []
    for kind, value in steps:
        events = await (conv.send(uid, value) if kind == "text" else conv.press(uid, value))
    return events


async def test_full_russian_postcard_with_refusal_edit_and_picture(sample, conv, tmp_path):
    """Over-long inspiration refused with the limit, action 1 edited, saved, picture sent."""
    await enrol(7403)
    clock.freeze(IN_COURSE)
    events = await conv.send(7403, "/postcard", lang="ru")
    assert events[0].text.startswith(f"Ваша открытка с планом действий для курса «{COURSE_RU}")
    assert events[-1].text.startswith("Какая политика или практика Сеула вдохновила")
    [error, again] = await conv.send(7403, "Т" * 301)
    assert error.text.startswith(
        "Ответ слишком длинный: допускается не более 300 символов, а в вашем — 301."
    )
    assert again.text.startswith("Какая политика")
    inspired = "Система TOPIS 🚦 и открытые данные «Сеул»"
    [month_q] = await conv.send(7403, inspired)
    assert month_q.text.startswith("Действие 1 (всего не более 3)")
    [month_q] = await conv.send(7403, "Подготовить предложение мэру")
    assert month_q.buttons[0][0]["text"] == month(2018, 6)
    assert month_q.buttons[-1][-1]["text"] == month(2019, 5)
    summary = await write(
        conv,
        7403,
        [
            ("press", month(2018, 9)),
            ("press", "➕ Добавить ещё действие"),
            ("text", "Пилот открытых данных об автобусах"),
            ("text", "2019-3"),
            ("press", "Это всё"),
            ("text", "Бюджет и согласования"),
            ("text", "Консультации экспертов TOPIS"),
        ],
    )
    assert summary[-1].text.startswith(f"Ваша открытка для курса «{COURSE_RU}")
    assert f"1. Подготовить предложение мэру — {month(2018, 9)}" in summary[-1].text
    assert f"2. Пилот открытых данных об автобусах — {month(2019, 3)}" in summary[-1].text
    await conv.press(7403, "✏️ Действие 1")
    await conv.send(7403, "Внести проект решения в горсовет")
    summary = (await conv.press(7403, month(2018, 10)))[-1]
    assert f"1. Внести проект решения в горсовет — {month(2018, 10)}" in summary.text
    assert "• Какая поддержка нужна от Сеула: Консультации" in summary.text

    events = await conv.press(7403, "✅ Сохранить открытку")
    thanks = events[1]
    assert thanks.text.startswith("Спасибо! Ваша открытка сохранена.")
    assert thanks.text.endswith(f"до {CLOSES} включительно.")
    photo = events[-1]
    assert photo.method == "sendPhoto" and photo.files[0].endswith(".png")
    with Image.open(photo.files[0]) as image:
        assert image.size == (1200, 800)
    [card] = await cards()
    assert (card.state, card.step, card.locale) == ("final", None, "ru")
    assert card.inspired_by == inspired
    assert card.actions == [
        {"text": "Внести проект решения в горсовет", "target": "2018-10"},
        {"text": "Пилот открытых данных об автобусах", "target": "2019-03"},
    ]
    [document] = await conv.press(7403, "📎 Файлом")
    assert document.method == "sendDocument"

    full = await card_for(card.person_id, card.course_id)
    assert (full.name, full.city, full.final) == ("Олена Коваленко", "Київ", True)
    assert full.title("ru").startswith(COURSE_RU)

    # Later in the window: /postcard shows the saved card and lets them change it.
    clock.freeze(datetime(2018, 6, 8, 3, tzinfo=UTC))
    events = await conv.send(7403, "/postcard")
    assert events[0].text.startswith("Это ваша сохранённая открытка")
    await conv.press(7403, "✏️ Ожидаемые препятствия")
    [summary] = await conv.send(7403, "Выборы осенью")
    assert "• Ожидаемые препятствия: Выборы осенью" in summary.text
    clock.freeze(datetime(2018, 6, 11, 3, tzinfo=UTC))
    await conv.press_data(7403, summary.message_id, f"pc:e:{card.id}:support")
    assert conv.double.callback_answers[-1]["text"] == INVALID


async def test_cancel_and_restart_resume_where_they_stopped(sample, conv, settings):
    """/cancel keeps the card; text then goes to the questions; a new process resumes."""
    await enrol(7404)
    clock.freeze(IN_COURSE)
    await conv.send(7404, "/postcard", lang="ru")
    await conv.send(7404, "Умные остановки")
    [stopped] = await conv.send(7404, "/cancel")
    assert stopped.text.startswith("Остановлено. Ваша открытка сохранена как есть")
    await conv.send(7404, "Кто платит за перелёт?")
    [card] = await cards()
    assert card.step == "paused:action:1" and card.actions == []
    async with conversation(settings, double=conv.double) as again:
        events = await again.send(7404, "/postcard")
        assert events[0].text.startswith("Продолжим вашу открытку")
        assert events[-1].text.startswith("Действие 1 (всего не более 3)")
        await again.send(7404, "Пилот на двух остановках")
    [card] = await cards()
    assert card.inspired_by == "Умные остановки" and card.step == "target:1"
    assert card.actions == [{"text": "Пилот на двух остановках", "target": None}]


async def test_several_courses_are_chosen_by_button(sample, conv):
    """A week after one course and during another: both are offered."""
    await enrol(7405, "2018-06")  # 13–20 May
    await enrol(7405, KYIV)
    clock.freeze(datetime(2018, 5, 27, 3, tzinfo=UTC))
    [choose] = await conv.send(7405, "/postcard", lang="ru")
    assert choose.text == "Для какого курса ваша открытка?"
    assert len(choose.buttons) == 2
    events = await conv.press(7405, choose.buttons[1][0]["data"])
    assert events[0].text.startswith(f"Ваша открытка с планом действий для курса «{COURSE_RU}")


async def test_forged_and_stale_buttons_are_refused(sample, conv):
    """Another person's card, a course they are not on, a wrong step, malformed data."""
    await enrol(7406)
    await enrol(7407)
    clock.freeze(IN_COURSE)
    question = (await conv.send(7406, "/postcard", lang="ru"))[-1]
    await conv.send(7407, "/postcard", lang="ru")
    mine, theirs = await cards()
    kyiv = mine.course_id
    other_course = kyiv + 1
    for data in (
        f"pc:e:{theirs.id}:inspired_by",  # someone else's card
        f"pc:c:{other_course}",  # not enrolled
        f"pc:m:{mine.id}:1:2018-09",  # not at the month question
        f"pc:add:{mine.id}",  # not at "another action?"
        f"pc:skip:{mine.id}",  # not at the support question
        f"pc:save:{theirs.id}",
        f"pc:file:{other_course}",
        f"pc:e:{mine.id}:a2",  # no such action
        "pc:e:abc",
        "pc:m:1:1:2018-13",
    ):
        await conv.press_data(7406, question.message_id, data)
        assert conv.double.callback_answers[-1]["text"] == INVALID, data
    after = await cards()
    assert [(c.step, c.inspired_by, c.actions) for c in after] == [
        ("inspired_by", None, []),
        ("inspired_by", None, []),
    ]
