"""Sending one broadcast delivery, judging its failure, and the sender's progress texts."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, ChatMigrated, Forbidden, RetryAfter, TelegramError

from bot.core.ratelimit import retry_seconds
from bot.features.broadcasts.buttons import STOP
from bot.features.broadcasts.engine_store import Job, Outcome, Plan
from bot.features.broadcasts.render import render_text
from bot.i18n import translator

log = logging.getLogger(__name__)

CAPTION_LIMIT = 1024
MAX_ATTEMPTS = 5
BACKOFF_BASE = 5.0  # seconds; doubled per failed attempt
BACKOFF_MAX = 300.0


def backoff(attempts: int) -> timedelta:
    """Delay before the next try after `attempts` failures: 5 s·2^(n−1), at most 5 min."""
    return timedelta(seconds=min(BACKOFF_BASE * 2 ** max(attempts - 1, 0), BACKOFF_MAX))


async def deliver(bot: Bot, plan: Plan, job: Job) -> int:
    """Send the recipient's version; returns the id of the message holding the text."""
    text = render_text(plan.texts, plan.sender_locale, job.locale)
    extra = {"allow_paid_broadcast": True} if plan.paid else {}
    kind, file_id = plan.attachment.get("kind"), plan.attachment.get("file_id")
    if kind in ("photo", "document") and file_id:
        send_file = bot.send_photo if kind == "photo" else bot.send_document
        if len(text) <= CAPTION_LIMIT:
            message = await send_file(job.chat_id, file_id, caption=text or None, **extra)
            return message.message_id
        # Too long for a caption: the file first, then the whole text as its own message.
        await send_file(job.chat_id, file_id, **extra)
    message = await bot.send_message(job.chat_id, text, **extra)
    return message.message_id


def judge(job: Job, exc: BaseException, now: datetime) -> Outcome:
    """Turn a failed send into the delivery's next state."""
    error = f"{type(exc).__name__}: {exc}"[:2000]
    if isinstance(exc, Forbidden) and job.person_id is not None and job.chat_id > 0:
        # The person blocked the bot: retrying cannot help until they write to it again.
        return Outcome(job.id, job.person_id, "blocked", job.attempts, error=error)
    if isinstance(exc, RetryAfter):
        # The limiter already paused and retried; let the row wait out Telegram's delay.
        due = now + timedelta(seconds=retry_seconds(exc))
        return Outcome(job.id, job.person_id, "pending", job.attempts, error=error, due_at=due)
    attempts = job.attempts + 1
    if isinstance(exc, BadRequest | Forbidden | ChatMigrated):
        # Chat not found, bot removed from the group, group upgraded: the same request
        # would fail the same way.
        return Outcome(job.id, job.person_id, "failed", attempts, error=error)
    # Network trouble, timeouts and 5xx may heal: back off and try again, a few times.
    if attempts >= MAX_ATTEMPTS:
        return Outcome(job.id, job.person_id, "failed", attempts, error=error)
    due = now + backoff(attempts)
    return Outcome(job.id, job.person_id, "pending", attempts, error=error, due_at=due)


def progress_text(locale: str, counts: dict[str, int]) -> str:
    """The sender's progress line while sending."""
    tr = translator(locale)
    return tr.gettext(
        "Sending… sent {sent} · failed {failed} · blocked {blocked} · remaining {remaining}"
    ).format(**_numbers(counts))


def final_text(locale: str, broadcast_id: int, state: str, counts: dict[str, int]) -> str:
    """The report once a broadcast is over (done or cancelled)."""
    tr = translator(locale)
    if state == "cancelled":
        text = tr.gettext(
            "Broadcast #{id} cancelled: sent {sent}, failed {failed}, blocked {blocked}, "
            "not sent {remaining}."
        )
    else:
        text = tr.gettext(
            "Broadcast #{id} finished: sent {sent}, failed {failed}, blocked {blocked}, "
            "skipped {skipped}."
        )
    return text.format(id=broadcast_id, **_numbers(counts))


def _numbers(counts: dict[str, int]) -> dict[str, int]:
    keys = ("sent", "failed", "blocked", "skipped", "remaining")
    return {key: counts.get(key, 0) for key in keys}


def stop_markup(locale: str, broadcast_id: int) -> InlineKeyboardMarkup:
    """The stop button the wizard put on the progress message, kept while sending."""
    label = translator(locale).gettext("⏹ Cancel sending")
    button = InlineKeyboardButton(label, callback_data=STOP.pack(id=broadcast_id))
    return InlineKeyboardMarkup([[button]])


async def show_progress(bot: Bot, plan: Plan, text: str, *, running: bool) -> None:
    """Edit the progress message, if there is one; failures only cost an update."""
    if plan.progress_chat_id is None or plan.progress_message_id is None:
        return
    markup = stop_markup(plan.sender_locale, plan.id) if running else None
    try:
        await bot.edit_message_text(
            text, plan.progress_chat_id, plan.progress_message_id, reply_markup=markup
        )
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            log.info("broadcast %s: progress not updated: %s", plan.id, exc)
    except TelegramError as exc:
        log.info("broadcast %s: progress not updated: %s", plan.id, exc)


async def report(bot: Bot, plan: Plan, text: str) -> None:
    """Send the final report as a new message, so the sender is notified."""
    chat = plan.progress_chat_id or plan.sender_chat_id
    if chat is None:
        return
    try:
        await bot.send_message(chat, text)
    except TelegramError as exc:
        log.warning("broadcast %s: final report not sent: %s", plan.id, exc)
