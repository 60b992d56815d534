"""Telegram handlers of the handoff feature: /contact, offer buttons, liaison-chat replies."""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.core.callbacks import ID, Codec, Press, on_press, stale
from bot.core.context import BotContext
from bot.core.outbox_job import add_sender, dispatch_now
from bot.core.registry import CommandInfo, MenuItem, add_command, add_menu_item, menu_button
from bot.core.textrouter import add_canceller, add_text_consumer
from bot.features.handoff import service
from bot.features.handoff.senders import senders
from bot.i18n import N_, _, translator

log = logging.getLogger(__name__)
# The buttons under an offered question: ho:send:<handoff id>, ho:no:<handoff id>.
CB = Codec("ho")
SEND, NO = CB.action("send", id=ID), CB.action("no", id=ID)


def offer_keyboard(handoff_id: int) -> InlineKeyboardMarkup:
    """The 'send to a person' / 'no, thanks' buttons for an offered question."""
    send = InlineKeyboardButton(_("💬 Ask a person"), callback_data=SEND.pack(id=handoff_id))
    no = InlineKeyboardButton(_("No, thanks"), callback_data=NO.pack(id=handoff_id))
    return InlineKeyboardMarkup([[send, no]])


async def offer_handoff(
    update: Update, context: BotContext, text: str, course_code: str | None = None
) -> int | None:
    """Offer to send `text` to the programme team (for QA when it cannot answer); its id."""
    user, message = context.user, update.effective_message
    if user is None or message is None or not context.settings.liaison_chat_id:
        return None
    view = await service.offer(user.person_id, text, user.locale, course_code)
    await message.reply_text(
        _("Would you like me to send your question to the programme team?"),
        reply_markup=offer_keyboard(view.id),
    )
    return view.id


async def _dispatch(context: BotContext, ids: list[int]) -> list:
    return await dispatch_now(context.application, ids)


async def _queued_reply(context: BotContext, outbox_id: int | None) -> str:
    """Try to forward now and say honestly whether it went out or waits in the queue."""
    results = await _dispatch(context, [outbox_id] if outbox_id else [])
    if any(r.state == "sent" for r in results):
        return _(
            "Your question has been sent to the programme team. You will receive the answer here."
        )
    return _(
        "The team cannot be reached right now; your question is saved and will be sent "
        "automatically. You will receive the answer here."
    )


async def contact(update: Update, context: BotContext) -> None:
    """/contact and the menu button: the next message becomes a question for a person."""
    user = context.user
    assert user is not None and update.effective_chat is not None
    if update.callback_query:
        await update.callback_query.answer()
    if not context.settings.liaison_chat_id:
        await update.effective_chat.send_message(
            _("Sorry, the programme team cannot be contacted through the bot at the moment.")
        )
        return
    await service.start_contact(user.person_id, user.locale)
    await update.effective_chat.send_message(
        _(
            "Please write your question in one message, in your own language. I will pass it "
            "to the programme team. Send /cancel if you change your mind."
        )
    )


async def cancel_request(update: Update, context: BotContext) -> bool:
    """/cancel consumer: drop an open /contact request; False when there is none."""
    user = context.user
    if user is None or update.effective_message is None:
        return False
    if not await service.cancel_contact(user.person_id):
        return False
    await update.effective_message.reply_text(_("Cancelled. Your message was not sent."))
    return True


async def question_text(update: Update, context: BotContext) -> bool:
    """Text consumer: the question after /contact; False when no request is open."""
    user, message = context.user, update.effective_message
    liaison = context.settings.liaison_chat_id
    if message is None or user is None or not liaison:
        return False
    view = await service.submit_question(
        user.person_id, message.text or "", user.locale, liaison_chat_id=liaison
    )
    if view is None:
        return False
    await message.reply_text(await _queued_reply(context, view.outbox_id))
    return True


@on_press(CB)
async def offer_pressed(update: Update, context: BotContext, press: Press) -> None:
    """'Ask a person' or 'No, thanks' under an offered question."""
    query, user = update.callback_query, context.user
    assert query is not None and user is not None
    handoff_id = press.id
    liaison = context.settings.liaison_chat_id
    if press.action == NO.name:
        ok = await service.dismiss(handoff_id, user.person_id)
        view = None
    else:
        view = liaison and await service.confirm(
            handoff_id, user.person_id, liaison_chat_id=liaison
        )
        ok = bool(view)
    if not ok:
        # Someone else's offer, or one already used: forged or replayed button data.
        await stale(query)
        return
    await query.answer()
    await query.edit_message_reply_markup(reply_markup=None)
    assert query.message is not None
    if view:
        text = await _queued_reply(context, view.outbox_id)
    else:
        text = _("All right. You can ask me something else at any time.")
    await context.bot.send_message(query.message.chat.id, text)


async def liaison_message(update: Update, context: BotContext) -> None:
    """A message in the liaison chat: a reply to a forwarded question is the answer."""
    message = update.effective_message
    assert message is not None
    target = message.reply_to_message
    if target is None or context.user is None or not message.text:
        return  # ordinary group conversation: not for the bot
    view = await service.find_by_liaison_message(message.chat.id, target.message_id)
    if view is None:
        return
    answer = await service.record_answer(view.id, context.user.person_id, message.text)
    results = await _dispatch(context, [answer.outbox_id])
    tr = translator(context.settings.default_locale)
    state = results[0].state if results else "pending"
    if state == "sent":
        text = tr.gettext("Sent to {name}.")
    elif state == "blocked":
        text = tr.gettext("Not delivered: {name} has blocked the bot.")
    else:
        text = tr.gettext(
            "{name} cannot be reached right now; the answer will be delivered automatically."
        )
    await message.reply_text(text.format(name=answer.trainee_name))


def register(app: Application) -> None:
    """Install this feature's handlers."""
    settings = app.bot_data.settings
    if settings.liaison_chat_id:
        liaison = filters.Chat(settings.liaison_chat_id)
        # Every non-command message of the liaison chat is ours, so QA never answers
        # officers' own conversation there.
        app.add_handler(MessageHandler(liaison & ~filters.COMMAND, liaison_message))
    app.add_handler(CommandHandler("contact", contact))
    add_canceller(app, cancel_request)
    app.add_handler(CallbackQueryHandler(contact, pattern=menu_button("contact").pattern))
    app.add_handler(CallbackQueryHandler(offer_pressed, pattern=CB.pattern))
    # An open /contact request takes the next text before the question answering does.
    add_text_consumer(app, question_text, order=50, waiting=service.waiting_for_text)
    add_command(app, CommandInfo("contact", N_("ask a person"), order=80))
    add_menu_item(app, MenuItem("contact", N_("💬 Ask a person"), order=80))
    # The core outbox job delivers queued forwards and answers; text in the officers' language.
    for kind, sender in senders(settings.default_locale).items():
        add_sender(app, kind, sender)
