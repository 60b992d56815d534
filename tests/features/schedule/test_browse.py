"""Browsing the course catalogue by buttons: months, themes, types, cards, .ics, years."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from babel import Locale
from babel.dates import (
    format_date,
    format_interval,
    format_skeleton,
    format_time,
    get_timezone_location,
)
from icalendar import Calendar
from sqlalchemy import select
from telegram import InlineKeyboardButton

from bot import clock, db
from bot.core.models import City, Person
from bot.core.registry import CommandInfo, add_card_button, add_command
from bot.features.schedule.keyboards import parse

pytestmark = pytest.mark.usefixtures("sample")

INVALID_RU = "Эта кнопка больше не действует."
SEOUL = ZoneInfo("Asia/Seoul")


def cap(text: str) -> str:
    """Capitalised as a button or a heading."""
    return text[:1].upper() + text[1:]


def month(number: int, locale: str) -> str:
    """A month button's name: CLDR's stand-alone wide name (LLLL), capitalised."""
    return cap(format_date(date(2018, number, 1), "LLLL", locale=locale))


def short_range(start: date, end: date, locale: str) -> str:
    """A course's dates in a list: Babel's yMMMd interval."""
    return format_interval(start, end, skeleton="yMMMd", locale=locale)


def labels(event) -> list[str]:
    """Every button label of a bot message."""
    return [b["text"] for row in event.buttons for b in row]


async def _set_person(telegram_id: int, **values) -> None:
    async with db.session_scope() as s:
        person = await s.scalar(select(Person).where(Person.telegram_id == telegram_id))
        for key, value in values.items():
            setattr(person, key, value)


async def _city(key: str, name: str, names: dict, tz: str, country: str) -> int:
    async with db.session_scope() as s:
        city = await s.scalar(select(City).where(City.key == key))
        if city is None:
            city = City(key=key, name=name, country=country, timezone=tz, names=names)
            s.add(city)
            await s.flush()
        return city.id


def _events(path: str) -> list:
    """The VEVENTs of a saved .ics file."""
    return Calendar.from_ical(Path(path).read_bytes()).walk("VEVENT")


async def test_month_browse_in_spanish_to_argentina_card_and_ics(conv):
    """By month in Spanish: Babel dates, the card's facts, an .ics with an exclusive end."""
    [home] = await conv.send(7001, "/courses", lang="es")
    assert home.text.startswith("📚 Catálogo de cursos 2018: 14 cursos")
    assert "📆 2017" in labels(home)

    [months] = await conv.press(7001, "Por mes")
    assert months.method == "editMessageText" and months.message_id == home.message_id
    january = f"{month(1, 'es')} (1)"
    assert january in labels(months) and "⏳ Fechas por acordar (1)" in labels(months)

    [listing] = await conv.press(7001, january)
    heading = cap(format_skeleton("yMMMM", date(2018, 1, 1), locale="es"))
    assert f"🗓 {heading} — 1 curso" in listing.text
    dates = short_range(date(2018, 1, 21), date(2018, 1, 28), "es")
    assert f"• {dates} — Ciudad inteligente (Universidad de Seúl, para Argentina)" in listing.text

    [card] = await conv.press(7001, "Ciudad inteligente")
    assert card.message_id == home.message_id
    text = card.text
    assert text.startswith("🎓 Ciudad inteligente (Universidad de Seúl, para Argentina)")
    span = format_interval(date(2018, 1, 21), date(2018, 1, 28), skeleton="yMMMEd", locale="es")
    assert f"Fechas: {span} (hora de Seúl), 8 días" in text
    assert "Tipo: Curso de cooperación · Tema: Ciudad inteligente" in text
    assert "Dirigido a: Funcionarios de ciudades argentinas" in text
    assert "Organización asociada: Universidad de Seúl" in text
    assert "🪑 10 plazas" in text
    assert f"Idioma del curso: {Locale.parse('es').languages['es']}" in text
    assert "Lugar: Centro de Desarrollo de Recursos Humanos de Seúl, Seúl" in text
    assert "Nota: " in text
    assert "Este curso ya se realizó." in text  # the real clock is long past 2018
    assert "zona horaria" not in text  # no known city or time zone
    assert labels(card) == ["📅 Agregar al calendario (.ics)", "⬅ Volver"]

    [sent] = await conv.press(7001, "Agregar al calendario")
    assert sent.method == "sendDocument" and sent.text.startswith("Abra este archivo")
    assert Path(sent.files[0]).name.endswith("liaison-2018-01.ics")
    [event] = _events(sent.files[0])
    assert event.decoded("dtstart") == date(2018, 1, 21)
    assert event.decoded("dtend") == date(2018, 1, 29)  # exclusive end of an all-day event
    assert str(event["summary"]) == "Ciudad inteligente (Universidad de Seúl, para Argentina)"
    assert str(event["uid"]) == "2018-01@liaison-bot"
    assert "Seúl" in str(event["location"]) and str(event["description"])

    [back] = await conv.press(7001, "Volver")
    assert back.text == listing.text and back.message_id == home.message_id


async def test_theme_browse_in_russian(conv):
    """By theme in Russian, to the Tashkent water course taught in Russian."""
    await conv.send(7002, "/courses", lang="ru")
    [themes] = await conv.press(7002, "По темам")
    assert "💧 Управление водными ресурсами (2)" in labels(themes)
    [listing] = await conv.press(7002, "Управление водными ресурсами")
    assert listing.text.startswith("💧 Управление водными ресурсами · 2018 — 2 курса")
    [card] = await conv.press(7002, "Ташкент")
    assert f"Язык обучения: {Locale.parse('ru').languages['ru']}" in card.text
    assert "Для кого: Служащие города Ташкента (Узбекистан)" in card.text
    assert "9 дней" in card.text and "🪑 10 мест" in card.text
    [back] = await conv.press(7002, "Назад")
    assert back.text == listing.text


async def test_type_browse_in_chinese_tentative_course_has_no_ics(conv):
    """By type in Chinese; the course with dates to be agreed says so and offers no .ics."""
    await conv.send(7003, "/courses", lang="zh")
    [types] = await conv.press(7003, "按课程类型")
    assert "• 计划研修课程 — 面向所有城市（世界大都市协会国际研修院）" in types.text
    [listing] = await conv.press(7003, "定制研修课程 (2)")
    assert "日期待定 — " in listing.text
    [card] = await conv.press(7003, "⏳")
    assert "📅 日期：待定" in card.text and "类型：定制研修" in card.text
    assert labels(card) == ["⬅ 返回"]
    message_id = card.message_id
    assert await conv.press_data(7003, message_id, "crs:ics:2018-14") == []
    assert conv.double.callback_answers[-1]["text"] == "此按钮已失效。"


@pytest.mark.parametrize(
    "data",
    [
        "crs:m:2018:13",
        "crs:m:2018:0",
        "crs:m:2018:x",
        "crs:t:2018:beaches",
        "crs:k:2018:secret",
        "crs:y:1999",
        "crs:p:m:1999",
        "crs:p:z:2018",
        "crs:c:2099-99",
        "crs:c:2018-01:m:2018:13",
        "crs:ics:nope",
        "crs:ics:2018-14",
        "crs:zzz",
        "crs:",
        "crs:c:" + "9" * 80,
        "crs:c:2018-01;DROP TABLE courses",
    ],
)
async def test_forged_or_stale_data_is_refused(conv, data):
    """Forged or stale data gets the polite refusal and changes nothing."""
    [home] = await conv.send(7004, "/courses", lang="ru")
    assert await conv.press_data(7004, home.message_id, data) == []
    assert conv.double.callback_answers[-1]["text"] == INVALID_RU


async def test_year_switching(conv):
    """Other years with courses are one button away, and back."""
    await conv.send(7005, "/courses", lang="es")
    [y2017] = await conv.press(7005, "📆 2017")
    assert y2017.text.startswith("📚 Catálogo de cursos 2017: 14 cursos")
    assert "📆 2018" in labels(y2017) and "📆 2017" not in labels(y2017)
    await conv.press(7005, "Por tema")
    [listing] = await conv.press(7005, "Cooperación internacional")
    assert short_range(date(2017, 10, 29), date(2017, 11, 5), "es") in listing.text
    await conv.press(7005, "Volver")
    [home] = await conv.press(7005, "Volver")
    [y2018] = await conv.press(7005, "📆 2018")
    assert y2018.text.startswith("📚 Catálogo de cursos 2018")
    assert home.message_id == y2018.message_id


async def test_trainee_from_buenos_aires_sees_own_time_zone(conv):
    """A trainee whose city is Buenos Aires sees when Seoul's first morning falls for them."""
    names = {"en": "Buenos Aires", "es": "Buenos Aires", "ru": "Буэнос-Айрес"}
    city_id = await _city(
        "buenos_aires", "Buenos Aires", names, "America/Argentina/Buenos_Aires", "AR"
    )
    await conv.send(7006, "/courses", lang="es")
    await _set_person(7006, city_id=city_id)
    await conv.press(7006, "Por mes")
    await conv.press(7006, month(1, "es"))
    [card] = await conv.press(7006, "Ciudad inteligente")
    seoul = datetime(2018, 1, 21, 9, 0, tzinfo=SEOUL)  # 9:00 on the first day, in Seoul
    there = seoul.astimezone(ZoneInfo("America/Argentina/Buenos_Aires"))
    morning, clock_there = (format_time(t, "short", locale="es") for t in (seoul, there))
    day = format_skeleton("yMMMEd", there.date(), locale="es")
    assert (
        f"🕘 En su zona horaria (Buenos Aires), las {morning} del primer día en Seúl son las "
        f"{clock_there} del {day}."
    ) in card.text


async def test_own_time_zone_same_day_and_same_offset(conv):
    """A stated zone on the same day shows only the time; Seoul's own offset shows nothing."""
    await conv.send(7007, "/courses", lang="ru")
    await _set_person(7007, timezone="Asia/Tashkent")
    await conv.press(7007, "По месяцам")
    await conv.press(7007, month(2, "ru"))
    [card] = await conv.press(7007, "Ташкент")
    tashkent = ZoneInfo("Asia/Tashkent")
    seoul = datetime(2018, 2, 20, 9, 0, tzinfo=SEOUL)  # 9:00 on the first day, in Seoul
    morning, there = (
        format_time(t, "short", locale="ru") for t in (seoul, seoul.astimezone(tashkent))
    )
    zone = get_timezone_location(tashkent, locale="ru", return_city=True)
    assert f"🕘 В вашем часовом поясе ({zone}) {morning} по сеульскому времени — это {there}." in (
        card.text
    )
    await _set_person(7007, timezone="Asia/Tokyo")
    await conv.press(7007, "Назад")
    [card] = await conv.press(7007, "Ташкент")
    assert "часовом поясе" not in card.text


async def test_menu_button_and_help(conv):
    """The main menu has a Courses button and /help lists /courses."""
    await conv.send(7008, "/start", lang="es")
    menu = (await conv.press(7008, "Español"))[-1]
    assert "📅 Cursos" in labels(menu)
    [home] = await conv.press(7008, "📅 Cursos")
    assert home.method == "sendMessage" and home.text.startswith("📚 Catálogo de cursos 2018")
    [help_] = await conv.send(7008, "/help")
    assert "/courses — ver los cursos" in help_.text
    assert {"command": "courses", "description": "посмотреть курсы"} in conv.double.commands(
        language_code="ru"
    )


async def test_apply_hook_before_the_course(conv):
    """Before a course, with an applications feature installed, the card points to applying."""
    clock.freeze(datetime(2018, 1, 5, 0, 0, tzinfo=UTC))
    add_command(conv.app, CommandInfo("apply", "apply"))
    add_card_button(
        conv.app,
        lambda course: InlineKeyboardButton("✍️ Apply", callback_data=f"app:new:{course.code}"),
    )
    await conv.send(7009, "/courses", lang="es")
    await conv.press(7009, "Por mes")
    await conv.press(7009, month(1, "es"))
    [card] = await conv.press(7009, "Ciudad inteligente")
    assert "✍️ Cómo inscribirse: use el botón de inscripción de abajo o envíe /apply." in card.text
    assert labels(card) == [
        "📅 Agregar al calendario (.ics)",
        "📝 Inscribirse",
        "✍️ Apply",
        "⬅ Volver",
    ]


async def test_month_names_stay_in_the_readers_language(conv):
    """Chinese month names must not leak into a later Spanish reader (babel#1234)."""
    await conv.send(7010, "/courses", lang="zh")
    [zh] = await conv.press(7010, "按月份")
    assert f"{month(1, 'zh')} (1)" in labels(zh)
    await conv.send(7011, "/courses", lang="es")
    [es] = await conv.press(7011, "Por mes")
    assert f"{month(1, 'es')} (1)" in labels(es)
    assert f"{month(1, 'zh')} (1)" not in labels(es)


def test_callback_data_round_trip_and_size():
    """Every data the keyboards emit parses back and fits Telegram's 64 bytes."""
    nav = parse("crs:c:2018-01:t:2018:international_cooperation")
    assert (
        nav and nav.code == "2018-01" and nav.flt and nav.flt.value == "international_cooperation"
    )
    assert parse("crs:c:2018-01").flt is None  # type: ignore[union-attr]
    assert parse("crs:u:2018").flt.kind == "u"  # type: ignore[union-attr]
    assert parse("crs2:y:2018") is None
