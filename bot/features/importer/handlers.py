"""Telegram side of the import: /import, spreadsheets sent by staff, and /editcourse."""

from __future__ import annotations

import io

from telegram import InputFile, Message, Update
from telegram.error import TelegramError
from telegram.ext import Application, CommandHandler

from bot.core.audit import PermissionDenied
from bot.core.authz import is_staff, refuse, staff_only
from bot.core.context import BotContext
from bot.core.registry import CommandInfo, add_command
from bot.features.importer import service
from bot.features.importer.reader import EXTENSIONS, MAX_BYTES, TOO_LARGE
from bot.features.importer.render import edit_text, outcome_text
from bot.features.importer.template import template_bytes
from bot.features.start import other_message
from bot.i18n import N_, _, current_locale, translator

MAX_MESSAGE = 4000  # Telegram's limit is 4096 characters
MAX_ERRORS_SHOWN = 40
CHECK_WORDS = ("check", "dry-run", "dry run", "검사", "확인")


async def _reply_long(message: Message, text: str) -> None:
    """Send a long report in pieces, cutting between lines."""
    chunk = ""
    for line in text.split("\n"):
        if chunk and len(chunk) + len(line) + 1 > MAX_MESSAGE:
            await message.reply_text(chunk)
            chunk = ""
        chunk = f"{chunk}\n{line}" if chunk else line[:MAX_MESSAGE]
    if chunk:
        await message.reply_text(chunk)


@staff_only
async def import_cmd(update: Update, context: BotContext) -> None:
    """/import: what to send, with the template attached."""
    message = update.effective_message
    if message is None:
        return
    await message.reply_text(
        _(
            "Send me an .xlsx or .csv file as a document to import courses, programme "
            "sessions and past results. Every row is checked first: if any row is wrong, "
            "nothing changes and I list each problem with its sheet, row and column. "
            "Sending the same file again changes nothing. Write “check” in the caption to "
            "only check the file. The template below explains every column (sheet “notes”)."
        )
    )
    lang = "ko" if current_locale() == "ko" else "en"
    upload = InputFile(io.BytesIO(template_bytes(None, lang)), filename="import_template.xlsx")
    await message.reply_document(upload)


async def document_in(update: Update, context: BotContext) -> None:
    """A document in a private chat: staff spreadsheets are imported; else the usual reply."""
    message = update.effective_message
    document = message.document if message else None
    name = (document.file_name or "") if document else ""
    spreadsheet = name.lower().endswith(EXTENSIONS)
    private = update.effective_chat is not None and update.effective_chat.type == "private"
    if document is None or not private or not (spreadsheet or is_staff(context.user)):
        await other_message(update, context)
        return
    if not is_staff(context.user):
        await message.reply_text(
            _(
                "Thank you, but only programme staff can import spreadsheets. If this file "
                "is for the programme team, please send it to them by e-mail or use /contact."
            )
        )
        return
    if not spreadsheet:
        await message.reply_text(
            _("I can import only .xlsx or .csv files. Send /import to get the template.")
        )
        return
    tr = translator(context.user.locale)
    if (document.file_size or 0) > MAX_BYTES:
        limit = {"limit": MAX_BYTES // (1024 * 1024)}
        outcome = service.ImportOutcome(name, refused=(TOO_LARGE, limit))
        await message.reply_text(outcome_text(outcome, tr))
        return
    try:
        file = await document.get_file()
        data = bytes(await file.download_as_bytearray())
    except TelegramError:
        await message.reply_text(_("I could not download the file. Please send it again."))
        return
    caption = (message.caption or "").casefold()
    try:
        outcome = await service.import_file(
            context.user,
            name,
            data,
            tz=context.settings.timezone,
            dry_run=any(word in caption for word in CHECK_WORDS),
        )
    except PermissionDenied:
        await refuse(update)
        return
    await _reply_long(message, outcome_text(outcome, tr, max_errors=MAX_ERRORS_SHOWN))


@staff_only
async def editcourse_cmd(update: Update, context: BotContext) -> None:
    """/editcourse CODE FIELD VALUE: fix one field of a course (“-” clears it)."""
    message = update.effective_message
    if message is None:
        return
    args = context.args or []
    if len(args) < 3:
        await message.reply_text(
            _(
                "Usage: /editcourse CODE FIELD VALUE, for example /editcourse 2018-03 ends "
                "2018-03-25. FIELD is a column of the courses sheet (English or Korean "
                "header); a value of - clears the field."
            )
        )
        return
    code, field_name = args[0][:32], args[1][:40]
    value = " ".join(args[2:])
    value = "" if value == "-" else value[:2000]
    outcome = await service.edit_course(
        context.user, code, field_name, value, context.settings.timezone
    )
    await message.reply_text(edit_text(outcome, translator(context.user.locale)))


def register(app: Application) -> None:
    """Install /import and /editcourse (documents arrive through the broadcasts file route)."""
    app.add_handler(CommandHandler("import", import_cmd))
    app.add_handler(CommandHandler("editcourse", editcourse_cmd))
    add_command(
        app,
        CommandInfo(
            "import", N_("import courses, schedules and results"), staff_only=True, order=64
        ),
    )
    add_command(
        app, CommandInfo("editcourse", N_("fix one field of a course"), staff_only=True, order=65)
    )
