"""Free-text questions in private chats, and /today, /tomorrow for the course week."""

from __future__ import annotations

import re

from telegram import Update
from telegram.ext import Application, CommandHandler

from bot.clock import local_today, utcnow
from bot.core.context import BotContext
from bot.core.registry import CommandInfo, add_command
from bot.core.textrouter import add_text_consumer
from bot.features.handoff.api import contact, offer_handoff
from bot.features.places import default_index
from bot.features.qa.service import answer_question, day_reply
from bot.i18n import N_, set_locale

# A message this short that asks for a person holds no question of its own ("can I talk to a
# human?", "хочу поговорить с сотрудником"); a longer one is sent on as it is.
ASKS_ONLY_FOR_A_PERSON = 60
# "Is there an e-mail?" asks for a way to write, not to write now: answered, with the offer.
CONTACT_DETAILS = re.compile(
    r"e-?mail|correo|почт|телефон|phone|n[uú]mero|whats ?app|адрес|address|direcci[oó]n|"
    r"邮箱|郵箱|电话|電話|地址",
    re.IGNORECASE,
)


async def on_question(update: Update, context: BotContext) -> bool:
    """Text consumer of last resort: answer; offer a person when the bot cannot answer."""
    message, user = update.effective_message, context.user
    if message is None or not message.text or user is None:
        return False
    answer = await answer_question(
        message.text,
        locale=user.locale,
        person_id=user.person_id,
        tz=context.settings.timezone,
        places=default_index(context.settings.places_path),
    )
    # Reply in the language the question was written in (it may differ from the setting).
    set_locale(answer.locale)
    if (
        answer.intent == "contact"
        and len(message.text) <= ASKS_ONLY_FOR_A_PERSON
        and not CONTACT_DETAILS.search(message.text)
    ):
        # "I want to talk to a person": the real question comes next, as after /contact —
        # sending these words to the team would tell them nothing.
        await contact(update, context)
        return True
    await message.reply_text(answer.text)
    if answer.offer_handoff:
        await offer_handoff(update, context, message.text)
    return True


async def _day(update: Update, context: BotContext, ref: str) -> None:
    user = context.user
    assert update.effective_message is not None and user is not None
    tz = context.settings.timezone
    text = await day_reply(
        ref, locale=user.locale, today=local_today(utcnow(), tz), person_id=user.person_id, tz=tz
    )
    await update.effective_message.reply_text(text)


async def today(update: Update, context: BotContext) -> None:
    """/today: today's programme of the person's course."""
    await _day(update, context, "today")


async def tomorrow(update: Update, context: BotContext) -> None:
    """/tomorrow: tomorrow's programme of the person's course."""
    await _day(update, context, "tomorrow")


def register(app: Application) -> None:
    """Install the question answering and the day-programme commands."""
    app.add_handler(CommandHandler("today", today))
    app.add_handler(CommandHandler("tomorrow", tomorrow))
    # Asked last: forms and open /contact requests take their text first.
    add_text_consumer(app, on_question, order=1000)
    app.bot_data.free_text = True
    add_command(app, CommandInfo("today", N_("today's course programme"), order=30))
    add_command(app, CommandInfo("tomorrow", N_("tomorrow's course programme"), order=31))
