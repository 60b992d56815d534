"""/stats [year] for staff: the year's report in their language, three charts, year buttons."""

from __future__ import annotations

import re

from telegram import InputFile, Update
from telegram.constants import ChatAction
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.core.authz import staff_only
from bot.core.callbacks import Press, on_press
from bot.core.context import BotContext
from bot.core.registry import CommandInfo, add_command
from bot.features.stats import service
from bot.features.stats.keyboards import CB, year_buttons
from bot.features.stats.render import report
from bot.i18n import N_, _

YEAR = re.compile(r"\d{4}", re.ASCII)


async def _no_courses(update: Update, year: int, years: list[int]) -> None:
    if years:
        text = _("There are no courses in {year}. Years with courses: {years}.").format(
            year=year, years=", ".join(map(str, years))
        )
    else:
        text = _("There are no courses yet.")
    if update.callback_query:
        await update.callback_query.answer(text[:200], show_alert=True)
    elif update.effective_chat:
        await update.effective_chat.send_message(text, reply_markup=year_buttons(years, year))


async def send_year(update: Update, context: BotContext, year: int) -> None:
    """The report of one year: three chart photos, then the text with the year buttons."""
    assert context.user is not None and update.effective_chat is not None
    years = await service.stats_years()
    if year not in years:
        await _no_courses(update, year, years)
        return
    stats, years = await service.stats_for(context.user, year)
    if update.callback_query:
        await update.callback_query.answer()
    chat, locale = update.effective_chat, context.user.locale
    await chat.send_action(ChatAction.UPLOAD_PHOTO)
    # matplotlib is imported on first use: most processes never draw a chart, and it is
    # the largest part of start-up time and memory.
    from bot.features.stats.charts import chart_titles, render_charts

    charts = await render_charts(stats, locale)
    titles = chart_titles(stats, locale)
    for name, png in charts.items():
        await chat.send_photo(InputFile(png, filename=f"{name}-{year}.png"), caption=titles[name])
    await chat.send_message(report(stats, locale), reply_markup=year_buttons(years, year))


@staff_only
async def stats_command(update: Update, context: BotContext) -> None:
    """/stats [year]: a year's statistics; without a year the latest year with trainees."""
    args = context.args or []
    if not args:
        year = await service.latest_year()
        if year is None:
            await _no_courses(update, 0, [])
            return
    elif len(args) == 1 and YEAR.fullmatch(args[0]):
        year = int(args[0])
    else:
        assert update.effective_message is not None
        await update.effective_message.reply_text(
            _("Please give a year of four digits, for example /stats 2017.")
        )
        return
    await send_year(update, context, year)


@on_press(CB)
@staff_only
async def year_pressed(update: Update, context: BotContext, press: Press) -> None:
    """A year button: the same report for that year, as new messages."""
    await send_year(update, context, press.year)


def register(app: Application) -> None:
    """Install /stats and its year buttons."""
    app.add_handler(CommandHandler("stats", stats_command))
    app.add_handler(CallbackQueryHandler(year_pressed, pattern=CB.pattern))
    add_command(
        app, CommandInfo("stats", N_("yearly statistics and charts"), staff_only=True, order=63)
    )
