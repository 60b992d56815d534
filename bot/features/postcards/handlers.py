"""Telegram handlers of the postcard: /postcard, the form, the summary and the picture."""

from __future__ import annotations

import asyncio
import io

from telegram import CallbackQuery, Chat, InputFile, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.clock import local_today, utcnow
from bot.core.callbacks import Press, on_press, stale
from bot.core.context import BotContext
from bot.core.forms import engine, routing
from bot.core.forms.spec import Answer
from bot.core.forms.steps import SUMMARY, Step
from bot.core.registry import CommandInfo, MenuItem, add_command, add_menu_item
from bot.features.postcards import form, service
from bot.features.postcards import keyboards as kb
from bot.features.postcards.answering import FORM, Env
from bot.features.postcards.render import render_postcard
from bot.features.postcards.views import CardView
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
    if at.key == SUMMARY:
        await chat.send_message(summary_text(card), reply_markup=kb.summary_keyboard(card))
        return
    markup = None
    if at.key == "target":
        markup = kb.months_keyboard(card.id, at.n, today)
    elif at.key == "more":
        markup = kb.more_keyboard(card.id)
    elif at.key == "support":
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


def _env(context: BotContext) -> Env:
    assert context.user is not None
    return Env(_today(context), context.user.locale)


async def _asked(chat: Chat, answer: Answer, env: Env) -> None:
    await ask(chat, answer.view, env.today)


def _stopped(_refs: tuple) -> tuple[str, None]:
    """/cancel: everything written so far is kept."""
    return _("Stopped. Your postcard is kept as it is; send /postcard to continue."), None


UI = routing.Ui(
    FORM, _asked, _stopped, env=_env, problem=lambda p, env: form.problem_text(p, env.today)
)


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
        await stale(query)
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


@on_press(kb.CB)
async def button(update: Update, context: BotContext, press: Press) -> None:
    """Every `pc:` button, decoded once: the engine and service check ownership and timing."""
    query, user, chat = update.callback_query, context.user, update.effective_chat
    assert query is not None and user is not None and chat is not None
    env, pid = _env(context), user.person_id
    if press.action == "c":
        await (query.answer() if await open_card(chat, context, press.course) else stale(query))
        return
    if press.action == "save":
        await _save(query, chat, context, press.card)
        return
    if press.action == "file":
        if await service.card_for(pid, press.course) is None:
            await stale(query)
            return
        await query.answer()
        await send_picture(chat, context, press.course, as_file=True)
        return
    if press.action == "e":
        card = await engine.start_edit(FORM, pid, press.card, press.key, env)
    elif press.action == "m":
        question = Step("target", press.n)
        card = await engine.answer_press(FORM, pid, press.card, question, press.month, env)
    else:  # add | done at "more", skip at "support"
        question, value = (
            (Step("support"), None) if press.action == "skip" else (Step("more"), press.action)
        )
        card = await engine.answer_press(FORM, pid, press.card, question, value, env)
    if card is None:
        await stale(query)
        return
    if press.action == "e":
        await query.answer()
    else:
        await routing.close(query)
    await ask(chat, card, env.today)


def register(app: Application) -> None:
    """Install this feature's handlers."""
    app.add_handler(CommandHandler("postcard", postcard_command))
    app.add_handler(CallbackQueryHandler(postcard_command, pattern=r"^menu:postcard$"))
    app.add_handler(CallbackQueryHandler(button, pattern=kb.CB.pattern))
    # After a waiting application form (20), before /contact and the questions.
    routing.install(app, UI, order=30)
    add_command(app, CommandInfo("postcard", N_("my action-plan postcard"), order=40))
    add_menu_item(app, MenuItem("postcard", N_("✉️ My action plan"), order=40))
