"""/audit for staff: recent privileged actions, ten a page, and the log as an XLSX file.

Callback data: au:p:<page> (page 0 is the newest), au:x (export); anything else is refused.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.core.authz import staff_only
from bot.core.callbacks import Codec, Press, on_press
from bot.core.context import BotContext
from bot.core.registry import CommandInfo, add_command
from bot.core.sheets import write_xlsx
from bot.features.audit import service
from bot.features.audit.render import entry_text, log_sheet
from bot.i18n import N_, _, ngettext, translator

CB = Codec("au")
PAGE = CB.action("p", page=(r"\d{1,6}", int))
EXPORT = CB.action("x")


@staff_only
async def show_page(update: Update, context: BotContext, page: int = 0) -> None:
    """One page of the log with older/newer and export buttons."""
    found = await service.recent(context.user, page)
    tr, zone = translator(context.user.locale), context.settings.timezone
    if not found.rows:
        text = _("The audit log is empty.")
    else:
        head = _("Recent privileged actions, newest first (page {page} of {pages}).").format(
            page=found.page + 1, pages=found.pages
        )
        count = ngettext("{count} entry in all", "{count} entries in all", found.total)
        lines = [head, count.format(count=found.total), ""]
        lines += [entry_text(row, tr, zone) for row in found.rows]
        text = "\n".join(lines)[:4000]
    nav = []
    if found.page > 0:
        nav.append(
            InlineKeyboardButton(_("◀️ Newer"), callback_data=PAGE.pack(page=found.page - 1))
        )
    if found.page < found.pages - 1:
        nav.append(
            InlineKeyboardButton(_("Older ▶️"), callback_data=PAGE.pack(page=found.page + 1))
        )
    rows = [nav] if nav else []
    if found.rows:
        rows.append([InlineKeyboardButton(_("📥 Export (XLSX)"), callback_data=EXPORT.pack())])
    markup = InlineKeyboardMarkup(rows) if rows else None
    if update.callback_query:
        await update.callback_query.answer()
        await update.callback_query.edit_message_text(text, reply_markup=markup)
    elif update.effective_chat:
        await update.effective_chat.send_message(text, reply_markup=markup)


async def audit_command(update: Update, context: BotContext) -> None:
    """/audit: the newest page."""
    await show_page(update, context, 0)


async def _export(update: Update, context: BotContext) -> None:
    assert context.user is not None and update.callback_query is not None
    rows = await service.for_export(context.user)
    tr, zone = translator(context.user.locale), context.settings.timezone
    data = write_xlsx([log_sheet(rows, tr, zone)], tr)
    await update.callback_query.answer()
    assert update.effective_chat is not None
    caption = ngettext("Audit log: {count} entry.", "Audit log: {count} entries.", len(rows))
    zone_note = _("Times are in {zone} time.").format(zone=zone)
    await update.effective_chat.send_document(
        InputFile(data, filename="audit-log.xlsx"),
        caption=f"{caption.format(count=len(rows))} {zone_note}",
    )


@staff_only  # before decoding: non-staff are refused whatever the data
@on_press(CB)
async def button(update: Update, context: BotContext, press: Press) -> None:
    """au: buttons: a page or the export; forged data is answered as a stale button."""
    if press.action == "x":
        await _export(update, context)
    else:
        await show_page(update, context, press.page)


def register(app: Application) -> None:
    """Install /audit and its buttons."""
    app.add_handler(CommandHandler("audit", audit_command))
    app.add_handler(CallbackQueryHandler(button, pattern=CB.pattern))
    add_command(
        app, CommandInfo("audit", N_("recent privileged actions"), staff_only=True, order=69)
    )
