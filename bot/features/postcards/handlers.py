"""Telegram handlers of the postcard: /postcard, the form, the summary and the picture."""

from __future__ import annotations

import asyncio
import io

from telegram import CallbackQuery, Chat, InputFile, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.clock import utcnow
from bot.core.context import BotContext
from bot.core.registry import CommandInfo, MenuItem, add_command, add_menu_item
from bot.core.textrouter import add_canceller, add_text_consumer
from bot.features.applications.rules import local_today
from bot.features.postcards import form, service
from bot.features.postcards import keyboards as kb
from bot.features.postcards.render import render_postcard
from bot.features.postcards.service import CardView
from bot.i18n import N_, _, current_locale, fmt_date


def _today(context: BotContext):
    return local_today(utcnow(), context.settings.timezone)


def summary_text(card: CardView) -> str:
    """The whole card, for checking before saving."""
    lines = [_("Your postcard for “{course}”:").format(course=card.title()), ""]
    support = card.support or _("(skipped)")
    for key, value in (("inspired_by", card.inspired_by), ("actions", "")):
        lines.append("• {}: {}".format(form.label(key), value or "").rstrip())
    for n, action in enumerate(card.actions, 1):
        lines.append(f"   {n}. {action.text} — {form.month_name(action.target)}")
    for key, value in (("obstacles", card.obstacles), ("support", support)):
        lines.append("• {}: {}".format(form.label(key), value or ""))
    lines += ["", _("To change something, press its button.")]
    if card.closes_on:
        lines.append(
            _("You can change your postcard until {date}.").format(date=fmt_date(card.closes_on))
        )
    lines.append(_("When everything is right, press “✅ Save my postcard”."))
    return "\n".join(lines)


async def ask(chat: Chat, card: CardView, today) -> None:
    """Send what the card waits for: the current question, or the summary."""
    at = card.at
    if at.kind == form.SUMMARY:
        await chat.send_message(summary_text(card), reply_markup=kb.summary_keyboard(card))
        return
    markup = None
    if at.kind == "target":
        markup = kb.months_keyboard(card.id, at.n, today)
    elif at.kind == "more":
        markup = kb.more_keyboard(card.id)
    elif at.kind == "support":
        markup = kb.skip_keyboard(card.id)
    await chat.send_message(form.prompt(at, len(card.actions), today), reply_markup=markup)


def _refusal(result: service.Eligibility) -> str:
    if result.outcome == "upcoming" and result.opens_on:
        return _(
            "You will be able to write your action-plan postcard from {date}, the first day of "
            "your course."
        ).format(date=fmt_date(result.opens_on))
    if result.outcome == "closed" and result.closed_on:
        return _(
            "Postcards could be written and changed until {date}. If you wrote one, it will be "
            "sent back to you two months after the course."
        ).format(date=fmt_date(result.closed_on))
    return _(
        "The action-plan postcard is for trainees: once your application to a course is "
        "accepted, you can write it during the course."
    )


async def postcard_command(update: Update, context: BotContext) -> None:
    """/postcard and the menu button: open the card, choose the course, or say why not."""
    chat, user = update.effective_chat, context.user
    assert chat is not None and user is not None
    if update.callback_query:
        await update.callback_query.answer()
    result = await service.eligibility(user.person_id, _today(context))
    if result.outcome != "ok":
        await chat.send_message(_refusal(result))
    elif len(result.courses) == 1:
        await open_card(chat, context, result.courses[0].id)
    else:
        await chat.send_message(
            _("Which course is your postcard for?"),
            reply_markup=kb.courses_keyboard(result.courses),
        )


async def open_card(chat: Chat, context: BotContext, course_id: int) -> bool:
    """Start, resume or show the card for a course; False when that is not allowed."""
    assert context.user is not None
    today = _today(context)
    opened = await service.open_card(context.user.person_id, course_id, today, current_locale())
    if opened.card is None:
        return False
    course = opened.card.title()
    if opened.outcome == "started":
        intro = _(
            "Your action-plan postcard for “{course}”: a short letter to your future self about "
            "how you will use in your city what you learned in Seoul. Two months after the "
            "course it will be sent back to you. I will ask one question at a time; every answer "
            "is saved, so you can stop with /cancel and continue later with /postcard."
        )
    elif opened.outcome == "resumed":
        intro = _("Let us continue your postcard for “{course}”.")
    else:
        intro = _("This is your saved postcard for “{course}”.")
    await chat.send_message(intro.format(course=course))
    await ask(chat, opened.card, today)
    return True


async def form_text(update: Update, context: BotContext) -> bool:
    """Text consumer: the answer a card waits for; False when no card waits for text."""
    user, message, chat = context.user, update.effective_message, update.effective_chat
    if user is None or message is None or chat is None:
        return False
    today = _today(context)
    result = await service.answer_text(user.person_id, message.text or "", today, user.locale)
    if result is None:
        return False
    if result.problem is not None and result.problem.code == "closed":
        await message.reply_text(
            _("The time for writing this postcard has ended, so this answer was not saved.")
        )
        return True
    if result.problem is not None:
        await message.reply_text(form.problem_text(result.problem, today))
    await ask(chat, result.card, today)
    return True


async def cancel_form(update: Update, context: BotContext) -> bool:
    """/cancel: stop writing; everything written so far is kept."""
    user = context.user
    if user is None or update.effective_message is None:
        return False
    if not await service.pause(user.person_id):
        return False
    await update.effective_message.reply_text(
        _("Stopped. Your postcard is kept as it is; send /postcard to continue.")
    )
    return True


async def _refuse(query: CallbackQuery) -> None:
    await query.answer(_("This button is no longer valid."), show_alert=True)


async def send_picture(chat: Chat, context: BotContext, course_id: int, *, as_file=False):
    """Render the person's card for a course and send it as a photo (or as a PNG file)."""
    assert context.user is not None
    card = await service.card_for(context.user.person_id, course_id)
    if card is None:
        return
    png = await asyncio.to_thread(render_postcard, card, locale=context.user.locale)
    upload = InputFile(io.BytesIO(png), filename="postcard.png")
    if as_file:
        await chat.send_document(upload)
        return
    await chat.send_photo(
        upload, caption=_("Your action-plan postcard"), reply_markup=kb.file_keyboard(course_id)
    )


async def _save(query: CallbackQuery, chat: Chat, context: BotContext, card_id: int) -> None:
    assert context.user is not None
    today = _today(context)
    result = await service.save(context.user.person_id, card_id, today)
    if result is None or result.card is None:
        await _refuse(query)
        return
    await query.answer()
    if result.outcome == "incomplete":
        await chat.send_message(_("Your postcard is not complete yet."))
        await ask(chat, result.card, today)
        return
    await query.edit_message_reply_markup(reply_markup=None)
    text = _(
        "Thank you! Your postcard is saved. Two months after the course it will be sent back to "
        "you as a reminder of your plan."
    )
    if result.card.closes_on:
        text += "\n" + _("You can change it with /postcard until {date}.").format(
            date=fmt_date(result.card.closes_on)
        )
    await chat.send_message(text)
    await send_picture(chat, context, result.card.course_id)


async def button(update: Update, context: BotContext) -> None:
    """Every `pc:` button: decode, let the service check ownership and timing, then render."""
    query, user, chat = update.callback_query, context.user, update.effective_chat
    assert query is not None and user is not None and chat is not None
    press, today, pid = kb.parse(query.data), _today(context), user.person_id
    if press is None:
        await _refuse(query)
        return
    if press.action == "c":
        await (query.answer() if await open_card(chat, context, press.id) else _refuse(query))
        return
    if press.action == "save":
        await _save(query, chat, context, press.id)
        return
    if press.action == "file":
        if await service.card_for(pid, press.id) is None:
            await _refuse(query)
            return
        await query.answer()
        await send_picture(chat, context, press.id, as_file=True)
        return
    if press.action == "m":
        card = await service.choose_month(pid, press.id, press.n, press.value, today)
    elif press.action in ("add", "done"):
        card = await service.more(pid, press.id, press.action == "add", today)
    elif press.action == "skip":
        card = await service.skip_support(pid, press.id, today)
    else:
        card = await service.start_edit(pid, press.id, press.value, today)
    if card is None:
        await _refuse(query)
        return
    await query.answer()
    if press.action != "e":
        await query.edit_message_reply_markup(reply_markup=None)
    await ask(chat, card, today)


def register(app: Application) -> None:
    """Install this feature's handlers."""
    app.add_handler(CommandHandler("postcard", postcard_command))
    app.add_handler(CallbackQueryHandler(postcard_command, pattern=r"^menu:postcard$"))
    app.add_handler(CallbackQueryHandler(button, pattern=r"^pc:"))
    # After a waiting application form (20), before /contact and the questions.
    add_text_consumer(app, form_text, order=30, waiting=service.waiting_for_text)
    add_canceller(app, cancel_form, order=30)
    add_command(app, CommandInfo("postcard", N_("my action-plan postcard"), order=40))
    add_menu_item(app, MenuItem("postcard", N_("✉️ My action plan"), order=40))
