"""/export for staff: the whole workbook, one sheet, or one course's applications, as a file.

Callback data (all checked against PATTERN; anything else is a stale or forged button):

    ex:m                      the menu          ex:w                 the whole workbook (XLSX)
    ex:s  ex:s:<sheet>        choose a sheet, then its format; ex:s:<sheet>:<fmt> sends it
    ex:a  ex:a:<code>         choose a course, then the format; ex:a:<code>:<fmt> sends it
"""

from __future__ import annotations

import re

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.core.audit import PermissionDenied
from bot.core.context import BotContext
from bot.core.registry import CommandInfo, add_command
from bot.core.screens import refuse as _refuse
from bot.core.screens import show as _show
from bot.features.exports import service
from bot.features.exports.render import FORMATS
from bot.features.exports.service import ExportFile, ExportRequest
from bot.features.exports.sheets import SHEETS
from bot.i18n import N_, _, ngettext, pick

PATTERN = re.compile(
    r"^ex:(?:(?P<menu>m|w|s|a)"
    r"|s:(?P<sheet>[a-z]{1,16})(?::(?P<sfmt>xlsx|csv))?"
    r"|a:(?P<code>[A-Za-z0-9_.-]{1,32})(?::(?P<afmt>xlsx|csv))?)$"
)
FORMAT_LABELS = {"xlsx": "Excel (XLSX)", "csv": "CSV"}


def _keyboard(rows: list[list[tuple[str, str]]], back: bool = True) -> InlineKeyboardMarkup:
    buttons = [[InlineKeyboardButton(t[:60], callback_data=d) for t, d in row] for row in rows]
    if back:
        buttons.append([InlineKeyboardButton(_("« Back"), callback_data="ex:m")])
    return InlineKeyboardMarkup(buttons)


async def export_menu(update: Update, context: BotContext) -> None:
    """/export: what to export."""
    if context.user is None or not context.user.is_staff:
        await _refuse(update)
        return
    rows = [
        [(_("📘 The whole workbook (XLSX)"), "ex:w")],
        [(_("📄 One sheet"), "ex:s")],
        [(_("🗂 One course's applications"), "ex:a")],
    ]
    text = _(
        "What would you like to export? The workbook holds six sheets: courses, applications, "
        "postcards, follow-ups, evaluations and surveys. The files contain personal data: "
        "keep them safe."
    )
    await _show(update, text, _keyboard(rows, back=False))


def _formats(prefix: str) -> list[list[tuple[str, str]]]:
    return [[(FORMAT_LABELS[f], f"{prefix}:{f}") for f in FORMATS]]


async def _send(update: Update, context: BotContext, done: ExportFile, title: str) -> None:
    assert update.callback_query is not None and update.effective_chat is not None
    await update.callback_query.answer()
    rows = ngettext("{count} row", "{count} rows", done.rows).format(count=done.rows)
    zone = _("Times are in {zone} time.").format(zone=context.settings.timezone)
    await update.effective_chat.send_document(
        InputFile(done.data, filename=done.name), caption=f"{title}\n{rows}. {zone}"
    )


def _request(context: BotContext, sheet: str | None, fmt: str) -> ExportRequest:
    assert context.user is not None
    locale, zone = context.user.locale, context.settings.timezone
    return ExportRequest(sheet=sheet, fmt=fmt, locale=locale, zone=zone)


async def _sheet(update: Update, context: BotContext, sheet: str | None, fmt: str | None) -> None:
    if sheet is None:
        rows = [[(_(title), f"ex:s:{name}")] for name, (title, _c, _b) in SHEETS.items()]
        await _show(update, _("Choose a sheet:"), _keyboard(rows))
    elif sheet not in SHEETS:
        raise ValueError(sheet)
    elif fmt is None:
        await _show(update, _("Choose the file format:"), _keyboard(_formats(f"ex:s:{sheet}")))
    else:
        done = await service.export_workbook(context.user, _request(context, sheet, fmt))
        title = _("Sheet: {sheet}").format(sheet=_(SHEETS[sheet][0]))
        await _send(update, context, done, title)


async def _course(update: Update, context: BotContext, code: str | None, fmt: str | None) -> None:
    assert context.user is not None
    if code is None:
        courses = await service.courses_with_applications(context.user)
        if not courses:
            await _show(update, _("There are no applications yet."), _keyboard([]))
            return
        rows = [
            [(f"{c} {pick(title, context.user.locale)} · {n}", f"ex:a:{c}")]
            for c, title, n in courses
        ]
        await _show(update, _("Choose a course to export:"), _keyboard(rows))
    elif fmt is None:
        await _show(update, _("Choose the file format:"), _keyboard(_formats(f"ex:a:{code}")))
    else:
        done = await service.course_applications(context.user, code, fmt, context.user.locale)
        await _send(update, context, done, _("Applications of course {code}").format(code=code))


async def button(update: Update, context: BotContext) -> None:
    """Every ex: button; refused for non-staff, forged data answered as a stale button."""
    query = update.callback_query
    assert query is not None
    if context.user is None or not context.user.is_staff:
        await _refuse(update)
        return
    match = PATTERN.match(query.data or "")
    try:
        if match is None:
            raise ValueError(query.data)
        menu = match["menu"]
        if menu == "m":
            await export_menu(update, context)
        elif menu == "w":
            done = await service.export_workbook(context.user, _request(context, None, "xlsx"))
            await _send(update, context, done, _("Staff workbook"))
        elif menu == "s" or match["sheet"]:
            await _sheet(update, context, match["sheet"], match["sfmt"])
        else:
            await _course(update, context, match["code"], match["afmt"])
    except ValueError:
        await query.answer(_("This button is no longer valid."), show_alert=True)
    except LookupError:
        await query.answer(_("This course no longer exists."), show_alert=True)
    except PermissionDenied:
        await _refuse(update)


def register(app: Application) -> None:
    """Install /export and its buttons."""
    app.add_handler(CommandHandler("export", export_menu))
    app.add_handler(CallbackQueryHandler(button, pattern=r"^ex:"))
    add_command(
        app, CommandInfo("export", N_("export data to a spreadsheet"), staff_only=True, order=61)
    )
