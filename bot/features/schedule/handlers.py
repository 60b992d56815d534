"""Telegram handlers of the schedule feature: /courses, browsing, course cards, .ics files."""

from __future__ import annotations

import logging
from datetime import date
from zoneinfo import ZoneInfo

from telegram import CallbackQuery, InlineKeyboardMarkup, InputFile, Update
from telegram.error import BadRequest
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.clock import utcnow
from bot.core.callbacks import stale
from bot.core.context import BotContext
from bot.core.registry import (
    CommandInfo,
    MenuItem,
    add_command,
    add_menu_item,
    card_buttons,
    commands,
    menu_button,
)
from bot.features.schedule import keyboards as kb
from bot.features.schedule import render
from bot.features.schedule.ics import course_ics, ics_filename
from bot.features.schedule.service import (
    Catalogue,
    CourseFilter,
    field_counts,
    filter_courses,
    load_catalogue,
    month_counts,
    trainee_zone,
)
from bot.i18n import N_, _, current_locale

log = logging.getLogger(__name__)

Screen = tuple[str, InlineKeyboardMarkup]


def _today(context: BotContext) -> date:
    return utcnow().astimezone(ZoneInfo(context.settings.timezone)).date()


def home_screen(catalogue: Catalogue, year: int) -> Screen:
    """The year's start screen."""
    return render.home_text(catalogue, year), kb.home_keyboard(year, catalogue.years())


def pick_screen(catalogue: Catalogue, kind: str, year: int) -> Screen:
    """Months, themes or course types of a year, with how many courses each has."""
    if kind == "m":
        undated = len(filter_courses(catalogue, CourseFilter("u", year)))
        markup = kb.month_keyboard(year, month_counts(catalogue, year), undated)
    elif kind == "t":
        markup = kb.theme_keyboard(year, field_counts(catalogue, year, "theme"))
    else:
        markup = kb.type_keyboard(year, field_counts(catalogue, year, "type"))
    return render.pick_text(kind, year), markup


def list_screen(catalogue: Catalogue, flt: CourseFilter) -> Screen:
    """The courses of a month, theme, type, or those still to be dated."""
    courses = filter_courses(catalogue, flt)
    return render.list_text(flt, courses), kb.list_keyboard(flt, courses)


async def _show(update: Update, screen: Screen) -> None:
    """Edit the pressed message in place (a new message if it can no longer be edited)."""
    text, markup = screen
    query = update.callback_query
    assert query is not None
    try:
        await query.edit_message_text(text, reply_markup=markup)
    except BadRequest as exc:
        if "not modified" in str(exc).lower():
            return
        # Too old or otherwise not editable: show the screen as a new message instead.
        log.info("could not edit the catalogue message: %s", exc)
        chat_id = query.message.chat.id  # type: ignore[union-attr]
        await query.get_bot().send_message(chat_id, text, reply_markup=markup)


async def courses(update: Update, context: BotContext) -> None:
    """Answer /courses and the main-menu button: the current programme year's start screen."""
    if update.callback_query:
        await update.callback_query.answer()
    catalogue = await load_catalogue()
    year = catalogue.default_year(_today(context))
    assert update.effective_chat is not None
    if year is None:
        await update.effective_chat.send_message(_("There are no courses in the catalogue yet."))
        return
    text, markup = home_screen(catalogue, year)
    await update.effective_chat.send_message(text, reply_markup=markup)


async def _send_ics(query: CallbackQuery, catalogue: Catalogue, code: str) -> None:
    course = catalogue.by_code(code)
    if course is None or course.starts is None or query.message is None:
        await stale(query)
        return
    await query.answer()
    document = InputFile(course_ics(course, current_locale()), filename=ics_filename(course))
    caption = _("Open this file to add “{title}” to your calendar.").format(title=course.t())
    await query.get_bot().send_document(query.message.chat.id, document, caption=caption)


async def button(update: Update, context: BotContext) -> None:
    """Every catalogue button: check the data against the catalogue, then show the screen."""
    query = update.callback_query
    assert query is not None
    nav = kb.parse(query.data)
    if nav is None or query.message is None:
        await stale(query)
        return
    catalogue = await load_catalogue()
    if nav.screen == "ics":
        await _send_ics(query, catalogue, nav.code)
        return
    years = catalogue.years()
    screen: Screen | None = None
    if nav.screen == "home" and nav.year in years:
        screen = home_screen(catalogue, nav.year)
    elif nav.screen == "pick" and nav.year in years:
        screen = pick_screen(catalogue, nav.pick, nav.year)
    elif nav.screen == "list" and nav.flt and nav.year in years:
        screen = list_screen(catalogue, nav.flt)
    elif nav.screen == "card" and (course := catalogue.by_code(nav.code)):
        zone = await trainee_zone(context.user.person_id) if context.user else None
        text = render.card_text(
            course,
            catalogue,
            zone=zone,
            home_tz=context.settings.timezone,
            today=_today(context),
            can_apply=any(c.name == "apply" for c in commands(context.application, staff=False)),
        )
        extra = card_buttons(context.application, course)
        screen = text, kb.card_keyboard(course, nav.flt, extra)
    if screen is None:
        await stale(query)
        return
    await query.answer()
    await _show(update, screen)


def register(app: Application) -> None:
    """Install /courses, the main-menu button and the catalogue's buttons."""
    app.add_handler(CommandHandler("courses", courses))
    app.add_handler(CallbackQueryHandler(courses, pattern=menu_button("courses").pattern))
    app.add_handler(CallbackQueryHandler(button, pattern=kb.CB.pattern))
    add_command(app, CommandInfo("courses", N_("browse the courses"), order=10))
    add_menu_item(app, MenuItem("courses", N_("📅 Courses"), order=10))
