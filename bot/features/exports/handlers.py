"""/export for staff: the whole workbook, one sheet, or one course's applications, as a file.

Callback data (the codec CB; anything else is a stale or forged button):

    ex:m                      the menu          ex:w                 the whole workbook (XLSX)
    ex:s  ex:s:<sheet>        choose a sheet, then its format; ex:s:<sheet>:<fmt> sends it
    ex:a  ex:a:<code>         choose a course, then the format; ex:a:<code>:<fmt> sends it
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.core.authz import staff_only
from bot.core.callbacks import CODE, Codec, Press, on_press, stale
from bot.core.context import BotContext
from bot.core.registry import CommandInfo, add_command
from bot.core.screens import show as _show
from bot.core.sheets import FORMATS
from bot.features.exports import service
from bot.features.exports.service import ExportFile, ExportRequest
from bot.features.exports.sheets import SHEETS
from bot.i18n import N_, _, ngettext, pick

SHEET = (r"[a-z]{1,16}", str)
FORMAT = (r"xlsx|csv", str)
CB = Codec("ex")
MENU, WORKBOOK = CB.action("m"), CB.action("w")
SHEETS_MENU = CB.action("s")
SHEET_FORMATS = CB.action("s", sheet=SHEET)
SHEET_FILE = CB.action("s", sheet=SHEET, fmt=FORMAT)
COURSES_MENU = CB.action("a")
COURSE_FORMATS = CB.action("a", code=CODE)
COURSE_FILE = CB.action("a", code=CODE, fmt=FORMAT)
FORMAT_LABELS = {"xlsx": "Excel (XLSX)", "csv": "CSV"}


def _keyboard(rows: list[list[tuple[str, str]]], back: bool = True) -> InlineKeyboardMarkup:
    buttons = [[InlineKeyboardButton(t[:60], callback_data=d) for t, d in row] for row in rows]
    if back:
        buttons.append([InlineKeyboardButton(_("« Back"), callback_data=MENU.pack())])
    return InlineKeyboardMarkup(buttons)


@staff_only
async def export_menu(update: Update, context: BotContext) -> None:
    """/export: what to export."""
    rows = [
        [(_("📘 The whole workbook (XLSX)"), WORKBOOK.pack())],
        [(_("📄 One sheet"), SHEETS_MENU.pack())],
        [(_("🗂 One course's applications"), COURSES_MENU.pack())],
    ]
    text = _(
        "What would you like to export? The workbook holds six sheets: courses, applications, "
        "postcards, follow-ups, evaluations and surveys. The files contain personal data: "
        "keep them safe."
    )
    await _show(update, text, _keyboard(rows, back=False))


def _formats(file, **values: str) -> list[list[tuple[str, str]]]:
    return [[(FORMAT_LABELS[f], file.pack(fmt=f, **values)) for f in FORMATS]]


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
        rows = [
            [(_(title), SHEET_FORMATS.pack(sheet=name))]
            for name, (title, _c, _b) in SHEETS.items()
        ]
        await _show(update, _("Choose a sheet:"), _keyboard(rows))
    elif sheet not in SHEETS:
        raise ValueError(sheet)
    elif fmt is None:
        await _show(
            update, _("Choose the file format:"), _keyboard(_formats(SHEET_FILE, sheet=sheet))
        )
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
            [(f"{c} {pick(title, context.user.locale)} · {n}", COURSE_FORMATS.pack(code=c))]
            for c, title, n in courses
        ]
        await _show(update, _("Choose a course to export:"), _keyboard(rows))
    elif fmt is None:
        await _show(
            update, _("Choose the file format:"), _keyboard(_formats(COURSE_FILE, code=code))
        )
    else:
        done = await service.course_applications(context.user, code, fmt, context.user.locale)
        await _send(update, context, done, _("Applications of course {code}").format(code=code))


@staff_only  # before decoding: non-staff are refused whatever the data
@on_press(CB)
async def button(update: Update, context: BotContext, press: Press) -> None:
    """Every ex: button; refused for non-staff, forged data answered as a stale button."""
    query = update.callback_query
    assert query is not None
    try:
        if press.action == "m":
            await export_menu(update, context)
        elif press.action == "w":
            done = await service.export_workbook(context.user, _request(context, None, "xlsx"))
            await _send(update, context, done, _("Staff workbook"))
        elif press.action == "s":
            await _sheet(update, context, press.get("sheet"), press.get("fmt"))
        else:
            await _course(update, context, press.get("code"), press.get("fmt"))
    except ValueError:
        await stale(query)
    except LookupError:
        await query.answer(_("This course no longer exists."), show_alert=True)


def register(app: Application) -> None:
    """Install /export and its buttons."""
    app.add_handler(CommandHandler("export", export_menu))
    app.add_handler(CallbackQueryHandler(button, pattern=CB.pattern))
    add_command(
        app, CommandInfo("export", N_("export data to a spreadsheet"), staff_only=True, order=61)
    )
