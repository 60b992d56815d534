"""Telegram side of the follow-ups: senders, the scheduling job and the staff /followups screen."""

from __future__ import annotations

from datetime import timedelta

from babel.numbers import format_decimal, format_percent
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.core.authz import staff_only
from bot.core.callbacks import ID, Codec, Press, on_press
from bot.core.context import BotContext
from bot.core.registry import CommandInfo, add_command
from bot.core.screens import show as _show
from bot.features.followups import senders, tick
from bot.features.followups.labels import KIND_LABELS, STATE_LABELS
from bot.features.followups.schedule import (
    FollowupRow,
    cancel_followup,
    get_followup,
    list_followups,
    move_followup,
)
from bot.features.followups.tracking import FollowupStats, course_followup_stats, followup_courses
from bot.i18n import N_, _, current_locale, fmt_datetime, pick

# Staff buttons of /followups: the course list, a course, move a row by 1 or 7 days, cancel it.
CB = Codec("fu")
COURSES = CB.action("l")
COURSE = CB.action("c", code=(r"[^:]{1,40}", str))
MOVE = CB.action("m", id=ID, days=(r"1|7", int))
CANCEL = CB.action("x", id=ID)
MAX_ROWS = 30  # rows listed on a course screen (Telegram caps a message at 4096 characters)
MAX_BUTTON_ROWS = 8  # pending rows offered with move/cancel buttons


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


@staff_only
async def courses_screen(update: Update, context: BotContext) -> None:
    """/followups: every course with follow-ups and its figures."""
    courses = await followup_courses()
    if not courses:
        await _show(update, _("There are no follow-ups yet."), None)
        return
    lines = [_("Follow-ups by course. Choose a course:")]
    lines += [f"\n{_title(s)}\n{figures(s)}" for s in courses]
    buttons = [
        [InlineKeyboardButton(_title(s)[:60], callback_data=COURSE.pack(code=s.course_code))]
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
                _("#{id}: +1 day").format(id=r.id), callback_data=MOVE.pack(id=r.id, days=1)
            ),
            InlineKeyboardButton(_("+7 days"), callback_data=MOVE.pack(id=r.id, days=7)),
            InlineKeyboardButton(_("Cancel"), callback_data=CANCEL.pack(id=r.id)),
        ]
        for r in [r for r in rows if r.state in ("pending", "failed")][:MAX_BUTTON_ROWS]
    ]
    buttons.append([InlineKeyboardButton(_("« Courses"), callback_data=COURSES.pack())])
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


@on_press(CB)
@staff_only
async def staff_button(update: Update, context: BotContext, press: Press) -> None:
    """Every fu:… button: the list, a course, move or cancel."""
    if press.action == "l":
        await courses_screen(update, context)
    elif press.action == "c":
        await course_screen(update, context, press.code)
    elif press.action == "m":
        await _change(update, context, press.id, press.days)
    else:
        await _change(update, context, press.id, None)


def register(app: Application) -> None:
    """Install the follow-up senders, the scheduling job and the staff screen."""
    senders.register(app)
    tick.register_job(app)
    app.add_handler(CommandHandler("followups", courses_screen))
    app.add_handler(CallbackQueryHandler(staff_button, pattern=CB.pattern))
    add_command(
        app,
        CommandInfo("followups", N_("follow-ups and response rates"), staff_only=True, order=62),
    )
