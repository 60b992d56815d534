"""Telegram side of the follow-ups: senders, the scheduling job and the staff /followups screen."""

from __future__ import annotations

from datetime import timedelta

from babel.numbers import format_decimal, format_percent
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.core.audit import PermissionDenied
from bot.core.context import BotContext
from bot.core.registry import CommandInfo, add_command
from bot.core.screens import refuse as _refuse
from bot.core.screens import show as _show
from bot.features.followups import senders, tick
from bot.features.followups.schedule import (
    FollowupRow,
    cancel_followup,
    get_followup,
    list_followups,
    move_followup,
)
from bot.features.followups.tracking import FollowupStats, course_followup_stats, followup_courses
from bot.i18n import N_, _, current_locale, fmt_datetime, pick

MAX_ROWS = 30  # rows listed on a course screen (Telegram caps a message at 4096 characters)
MAX_BUTTON_ROWS = 8  # pending rows offered with move/cancel buttons
KIND_LABELS = {
    "survey": N_("survey"),
    "postcard_return": N_("postcard return"),
    "evaluation": N_("evaluation"),
    "evaluation_nudge_1": N_("reminder 1"),
    "evaluation_nudge_2": N_("reminder 2"),
}
STATE_LABELS = {
    "pending": N_("pending"),
    "sending": N_("sending"),
    "sent": N_("sent"),
    "failed": N_("failed"),
    "blocked": N_("blocked"),
    "cancelled": N_("cancelled"),
}


def figures(stats: FollowupStats) -> str:
    """The figures of one course in the reader's language."""
    loc = current_locale()
    rate = "—" if stats.response_rate is None else format_percent(stats.response_rate, locale=loc)
    mean = "—" if stats.satisfaction is None else format_decimal(stats.satisfaction, locale=loc)
    return _(
        "postcards {postcards} · returned {returned} · evaluations answered {answered}/{sent} "
        "({rate}) · reminders {nudges} · surveys {surveys}, satisfaction {satisfaction}"
    ).format(
        postcards=stats.postcards_written,
        returned=stats.returned,
        answered=stats.evaluations_answered,
        sent=stats.evaluations_sent,
        rate=rate,
        nudges=stats.nudges_sent,
        surveys=stats.surveys_answered,
        satisfaction=mean,
    )


def _title(stats: FollowupStats) -> str:
    return f"{stats.course_code} {pick(stats.title, current_locale())}"


async def courses_screen(update: Update, context: BotContext) -> None:
    """/followups: every course with follow-ups and its figures."""
    if context.user is None or not context.user.is_staff:
        await _refuse(update)
        return
    courses = await followup_courses()
    if not courses:
        await _show(update, _("There are no follow-ups yet."), None)
        return
    lines = [_("Follow-ups by course. Choose a course:")]
    lines += [f"\n{_title(s)}\n{figures(s)}" for s in courses]
    buttons = [
        [InlineKeyboardButton(_title(s)[:60], callback_data=f"fu:c:{s.course_code}")]
        for s in courses
    ]
    await _show(update, "\n".join(lines)[:4000], InlineKeyboardMarkup(buttons))


def _row_line(row: FollowupRow, zone: str) -> str:
    due = fmt_datetime(row.due_at, zone, current_locale(), fmt="short")
    kind = _(KIND_LABELS.get(row.kind, row.kind))
    state = _(STATE_LABELS.get(row.state, row.state))
    return f"#{row.id} {kind} — {row.person_name} — {due} — {state}"


async def course_screen(update: Update, context: BotContext, code: str) -> None:
    """One course: figures, forum volunteers, and its follow-up rows with move/cancel buttons."""
    assert context.user is not None
    stats = await course_followup_stats(code)
    if stats is None:
        await _show(update, _("This course no longer exists."), None)
        return
    rows = await list_followups(context.user, code)
    volunteers = ", ".join(stats.volunteers) or "—"
    lines = [
        _title(stats),
        figures(stats),
        _("Forum volunteers: {names}").format(names=volunteers),
        "",
        _("Follow-ups (Seoul time):") if rows else _("No follow-ups are scheduled yet."),
    ]
    lines += [_row_line(r, context.settings.timezone) for r in rows[:MAX_ROWS]]
    if len(rows) > MAX_ROWS:
        lines.append(_("… and {count} more").format(count=len(rows) - MAX_ROWS))
    buttons = [
        [
            InlineKeyboardButton(
                _("#{id}: +1 day").format(id=r.id), callback_data=f"fu:m:{r.id}:1"
            ),
            InlineKeyboardButton(_("+7 days"), callback_data=f"fu:m:{r.id}:7"),
            InlineKeyboardButton(_("Cancel"), callback_data=f"fu:x:{r.id}"),
        ]
        for r in [r for r in rows if r.state in ("pending", "failed")][:MAX_BUTTON_ROWS]
    ]
    buttons.append([InlineKeyboardButton(_("« Courses"), callback_data="fu:l")])
    await _show(update, "\n".join(lines)[:4000], InlineKeyboardMarkup(buttons))


async def _change(update: Update, context: BotContext, outbox_id: int, days: int | None) -> None:
    """Move or cancel one row, tell the staff member how it went, and redraw the course."""
    assert context.user is not None and update.callback_query is not None
    row = await get_followup(context.user, outbox_id)
    if row is None:
        await update.callback_query.answer(_("This follow-up no longer exists."), show_alert=True)
        return
    if days is None:
        result = await cancel_followup(context.user, outbox_id)
    else:
        result = await move_followup(context.user, outbox_id, row.due_at + timedelta(days=days))
    if not result.ok:
        await update.callback_query.answer(
            _("This follow-up was already sent or cancelled."), show_alert=True
        )
        return
    await course_screen(update, context, row.course_code)


async def staff_button(update: Update, context: BotContext) -> None:
    """Every fu:… button: the list, a course, move or cancel."""
    query = update.callback_query
    assert query is not None and query.data is not None
    if context.user is None or not context.user.is_staff:
        await _refuse(update)
        return
    parts = query.data.split(":")
    try:
        if parts[1] == "l":
            await courses_screen(update, context)
        elif parts[1] == "c":
            await course_screen(update, context, ":".join(parts[2:]))
        elif parts[1] == "m":
            await _change(update, context, int(parts[2]), int(parts[3]))
        elif parts[1] == "x":
            await _change(update, context, int(parts[2]), None)
    except PermissionDenied:
        await _refuse(update)


def register(app: Application) -> None:
    """Install the follow-up senders, the scheduling job and the staff screen."""
    senders.register(app)
    tick.register_job(app)
    app.add_handler(CommandHandler("followups", courses_screen))
    app.add_handler(
        CallbackQueryHandler(
            staff_button, pattern=r"^fu:(l|c:.{1,40}|m:\d{1,12}:(1|7)|x:\d{1,12})$"
        )
    )
    add_command(
        app,
        CommandInfo("followups", N_("follow-ups and response rates"), staff_only=True, order=62),
    )
