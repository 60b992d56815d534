"""Telegram handlers of the applications feature (staff review, offer buttons); /export lives
in bot.features.exports."""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.core.authz import is_staff, staff_only
from bot.core.callbacks import Press, on_press, stale
from bot.core.context import BotContext
from bot.core.outbox_job import dispatch_now
from bot.core.registry import CommandInfo, MenuItem, add_command, add_menu_item, menu_button
from bot.core.screens import show as _show
from bot.core.textrouter import add_canceller, add_text_consumer
from bot.features.applications import notify, review
from bot.features.applications import review_callbacks as rv
from bot.features.applications.review_screens import (
    course_buttons,
    detail_screen,
    list_screen,
    result_text,
)
from bot.i18n import N_, _

log = logging.getLogger(__name__)
EXPIRY_SECONDS = 600


@staff_only
async def review_courses(update: Update, context: BotContext) -> None:
    """/review and the 🗂 menu button: courses with their application counts."""
    courses = await review.list_courses_with_applications(context.user)
    if not courses:
        await _show(update, _("There are no applications yet."), None)
        return
    text = _("Applications by course. Choose a course:")
    await _show(update, text, course_buttons(courses))


async def _decision_pressed(update: Update, context: BotContext, press: Press) -> None:
    """A decision button: check it is still possible, then ask for an optional note."""
    assert context.user is not None and update.callback_query is not None
    app_id, version, decision = press.app, press.version, rv.DECISION_CODES[press.decision]
    detail = await review.get_application(context.user, app_id)
    problem = None
    if detail is None:
        problem = "not_found"
    elif detail.row.version != version:
        problem = "conflict"
    elif decision == "accepted" and detail.row.status != "accepted":
        problem = "seats_full" if detail.accepted >= detail.seats else None
    if problem:
        await update.callback_query.answer(result_text(problem, detail), show_alert=True)
        return
    await review.request_note(context.user, app_id, version, decision)
    data = rv.SKIP_NOTE.pack(app=app_id, version=version, decision=press.decision)
    skip = InlineKeyboardButton(_("Skip"), callback_data=data)
    await update.callback_query.answer()
    assert update.effective_chat is not None
    await update.effective_chat.send_message(
        _("Add a note for the trainee? Send it as a message, or press Skip."),
        reply_markup=InlineKeyboardMarkup([[skip]]),
    )


async def _decide(
    update: Update, context: BotContext, app_id: int, version: int, decision: str, note: str | None
) -> None:
    """Save the decision, tell the trainee at once, and report to the staff member."""
    assert context.user is not None and update.effective_chat is not None
    result = await review.decide(context.user, app_id, decision, note, version)
    detail = await review.get_application(context.user, app_id)
    if not result.ok:
        await review.close_note(context.user)
        assert result.reason is not None
        await update.effective_chat.send_message(result_text(result.reason, detail))
        return
    delivered = await dispatch_now(context.application, [result.outbox_id])
    state = delivered[0].state if delivered else "pending"
    await update.effective_chat.send_message(result_text(f"saved_{state}", detail))


@staff_only  # before decoding: non-staff are refused whatever the data
@on_press(rv.CB)
async def staff_button(update: Update, context: BotContext, press: Press) -> None:
    """Every rv: button except the trainee's offer buttons; refused for non-staff."""
    query = update.callback_query
    assert query is not None and context.user is not None
    try:
        if press.action == "c" and press.get("course") is None:
            await review_courses(update, context)
        elif press.action == "c":
            await _show(update, *await list_screen(context.user, press.course, press.page))
        elif press.action == "a":
            await _show(update, *await detail_screen(context.user, press.app))
        elif press.action == "d":
            await _decision_pressed(update, context, press)
        else:
            await query.answer()
            await query.edit_message_reply_markup(reply_markup=None)
            decision = rv.DECISION_CODES[press.decision]
            await _decide(update, context, press.app, press.version, decision, None)
    except (ValueError, IndexError, KeyError):
        # Outdated data from a staff client (an application gone since): a stale button.
        await stale(query)


async def note_text(update: Update, context: BotContext) -> bool:
    """Text consumer: a staff member's note for the decision they just pressed."""
    user, message = context.user, update.effective_message
    if not is_staff(user) or message is None:
        return False
    pending = await review.pending_note(user)
    if pending is None:
        return False
    note = message.text or ""
    await _decide(update, context, pending.application_id, pending.version, pending.decision, note)
    return True


async def cancel_note(update: Update, context: BotContext) -> bool:
    """/cancel: drop a pending decision note (the decision is not saved)."""
    user = context.user
    if not is_staff(user) or not await review.close_note(user):
        return False
    assert update.effective_message is not None
    await update.effective_message.reply_text(_("Cancelled. The decision was not saved."))
    return True


@on_press(rv.CB)
async def offer_button(update: Update, context: BotContext, press: Press) -> None:
    """A trainee's 'Take the seat' / 'Decline' under an offer (only the owner may press)."""
    query, user = update.callback_query, context.user
    assert query is not None
    if user is None:
        return
    if press.choice == "take":
        result = await review.take_offer(user.person_id, press.app)
    else:
        result = await review.decline_offer(user.person_id, press.app)
    if not result.ok:
        texts = {
            "expired": _("Sorry, this offer has expired."),
            "full": _("Sorry, the seat is no longer available."),
        }
        await stale(query, texts.get(result.reason or ""))
        return
    await query.answer()
    await query.edit_message_reply_markup(reply_markup=None)
    if press.choice == "no":
        assert query.message is not None
        await context.bot.send_message(
            query.message.chat.id,
            _("Thank you for letting us know. The seat will be offered to another applicant."),
        )
    # The acceptance notice (or the next applicant's offer) goes out now.
    await dispatch_now(context.application, result.outbox_ids or None)


async def _expire_job(context: BotContext) -> None:
    try:
        if await review.expire_offers():
            await dispatch_now(context.application)
    except Exception:
        # A database hiccup must not kill the repeating job; the next run tries again.
        log.exception("expiring waiting-list offers failed")


def register(app: Application) -> None:
    """Install staff review, the offer buttons and the offer-expiry job."""
    app.add_handler(CommandHandler("review", review_courses))
    app.add_handler(
        CallbackQueryHandler(review_courses, pattern=menu_button("applications").pattern)
    )
    app.add_handler(CallbackQueryHandler(offer_button, pattern=rv.OFFER.pattern))
    app.add_handler(CallbackQueryHandler(staff_button, pattern=rv.CB.pattern_without(rv.OFFER)))
    # A staff member's pending decision note comes before any form or question handling.
    add_text_consumer(app, note_text, order=10)
    add_canceller(app, cancel_note, order=10)
    add_command(app, CommandInfo("review", N_("review applications"), staff_only=True, order=60))
    add_menu_item(app, MenuItem("applications", N_("🗂 Applications"), order=60, staff_only=True))
    notify.register(app)
    if app.job_queue is not None:
        app.job_queue.run_repeating(
            _expire_job, interval=EXPIRY_SECONDS, first=60, name="offer-expiry"
        )
