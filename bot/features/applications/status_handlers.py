"""Telegram handlers of the trainee's /status: the applications, withdrawing one."""

from __future__ import annotations

from telegram import CallbackQuery, Chat, InlineKeyboardMarkup, Update

from bot.core.callbacks import stale
from bot.core.context import BotContext
from bot.features.applications import keyboards as kb
from bot.features.applications import rules, service
from bot.features.applications.labels import status_label
from bot.features.applications.review import promote_waitlist
from bot.features.applications.service import AppView
from bot.i18n import _, fmt_date_range

# A button that is stale, forged or not this person's (the form's handlers use it too).
refuse = stale


async def withdraw_press(
    query: CallbackQuery, chat: Chat, context: BotContext, action: str, app_id: int
) -> None:
    assert context.user is not None
    if action == "wd":
        app = await service.get(context.user.person_id, app_id)
        if app is None or not rules.can_withdraw(app.status):
            await refuse(query)
            return
        await query.answer()
        text = _(
            "Do you really want to withdraw your application to “{course}”? This cannot be undone."
        ).format(course=app.title())
        await chat.send_message(text, reply_markup=kb.confirm_withdraw_keyboard(app_id))
        return
    done = await service.withdraw(context.user.person_id, app_id)
    if done is None:
        await refuse(query)
        return
    app, was_accepted = done
    await query.answer()
    await query.edit_message_reply_markup(reply_markup=None)
    await chat.send_message(
        _("Your application to “{course}” has been withdrawn.").format(course=app.title())
    )
    if was_accepted:
        await _promote(app.course_id)


async def _promote(course_id: int) -> None:
    """Offer the freed seat to the waitlist."""
    await promote_waitlist(course_id)


def status_text(apps: list[AppView]) -> str:
    """The person's applications with dates, status and the decision note."""
    if not apps:
        return _("You have no applications yet. Send /apply to apply to a course.")
    lines = [_("Your applications:")]
    for app in apps:
        lines += ["", f"• {app.title()}"]
        if app.starts and app.ends:
            lines.append("  " + fmt_date_range(app.starts, app.ends))
        lines.append("  " + _("Status: {status}").format(status=status_label(app.status)))
        if app.decision_note:
            lines.append("  " + _("Note: {note}").format(note=app.decision_note))
    return "\n".join(lines)


async def status_command(update: Update, context: BotContext) -> None:
    """/status: the person's applications, with Withdraw and Continue buttons."""
    chat, user = update.effective_chat, context.user
    assert chat is not None and user is not None
    if update.callback_query:
        await update.callback_query.answer()
    apps = await service.list_for(user.person_id)
    rows = []
    for app in apps:
        if rules.can_withdraw(app.status):
            rows.append([kb.withdraw_button(app.id, app.title())])
        elif app.status == "draft":
            rows.append(kb.resume_keyboard(app.id).inline_keyboard[0])
    markup = InlineKeyboardMarkup(rows) if rows else None
    await chat.send_message(status_text(apps), reply_markup=markup)
