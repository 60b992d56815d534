"""Welcome, language choice, help, fallbacks and failures, through the Bot API double."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from bot import db
from bot.core.models import Person
from bot.dev.harness import conversation
from tests.conftest import ADMIN_ID, LIAISON_CHAT


async def _person(telegram_id: int) -> Person:
    async with db.session_scope() as s:
        return await s.scalar(select(Person).where(Person.telegram_id == telegram_id))


async def test_start_in_russian_offers_languages_and_remembers_choice(conv, settings, tmp_path):
    """A Russian Telegram client is greeted in Russian; the choice survives a new process."""
    [reply] = await conv.send(1001, "/start", lang="ru", name="Айгуль")
    assert "Здравствуйте, Айгуль!" in reply.text
    labels = [b["text"] for row in reply.buttons for b in row]
    assert "✅ Русский" in labels and "English" in labels and "한국어" not in labels

    events = await conv.press(1001, "Español")
    assert events[-1].text.startswith("Listo. Idioma: Español.")
    person = await _person(1001)
    assert person.locale == "es" and person.locale_confirmed

    # A second Application on the same database (a restart) keeps the language.
    async with conversation(settings, double=conv.double) as again:
        [menu] = await again.send(1001, "/start")
    assert menu.text.startswith("¡Hola, Айгуль!")
    assert "¿Qué desea hacer?" in menu.text
    assert any("Ayuda" in b["text"] for row in menu.buttons for b in row)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("zh-hans", "您好"),
        ("zh-TW", "您好"),
        ("es-419", "¡Hola"),
        ("ru-UA", "Здравствуйте"),
        ("pt-BR", "Hello"),
        (None, "Hello"),
    ],
)
async def test_language_code_mapping(conv, code, expected):
    """Telegram language codes map explicitly; unknown ones fall back to English."""
    [reply] = await conv.send(2000, "/start", lang=code)
    assert expected in reply.text


async def test_unknown_command_answers_in_users_language(conv):
    """An unknown command is named and the help list follows, in Spanish."""
    await conv.send(1002, "/start", lang="es")
    [reply] = await conv.send(1002, "/volar")
    assert "No conozco el comando /volar." in reply.text
    assert "/language — cambiar el idioma" in reply.text


@pytest.mark.parametrize("code", ["zh-TW", "zh-Hant", "zh-hk"])
async def test_traditional_chinese_readers_get_traditional_characters(conv, code):
    """A reader of Traditional Chinese gets the Chinese catalogue in Traditional characters."""
    await conv.send(2100, "/start", lang=code)
    [reply] = await conv.send(2100, "/help")
    assert reply.text.startswith("我可以為您做這些：")
    assert "/start — 歡迎與主選單" in reply.text or "/start — 歡迎與主菜單" in reply.text
    [simplified] = await conv.send(2101, "/help", lang="zh-hans")
    assert simplified.text.startswith("我可以为您做这些：")


async def test_traditional_chinese_can_be_chosen(conv):
    """/language offers 繁體中文; choosing it switches replies to Traditional characters."""
    await conv.send(2102, "/start", lang="zh-hans")
    events = await conv.send(2102, "/language")
    assert "繁體中文" in [b["text"] for e in events for row in e.buttons for b in row]
    await conv.press(2102, "繁體中文")
    [reply] = await conv.send(2102, "/help")
    assert reply.text.startswith("我可以為您做這些：")


async def test_help_lists_commands_in_chinese(conv):
    """/help lists the commands with translated descriptions."""
    [reply] = await conv.send(1003, "/help", lang="zh")
    assert reply.text.startswith("我可以为您做这些：")
    assert "/start — 欢迎与主菜单" in reply.text


async def test_forged_and_stale_buttons_are_refused(conv):
    """Forged language data and unknown callback data get a polite refusal, nothing changes."""
    await conv.send(1004, "/start", lang="ru")
    message_id = conv.double.last_buttons_message(1004)["message_id"]
    await conv.press_data(1004, message_id, "lang:ko")  # Korean is for staff only
    await conv.press_data(1004, message_id, "lang:xx")
    await conv.press_data(1004, message_id, "delete:everything")
    answers = [a.get("text") for a in conv.double.callback_answers[-3:]]
    assert answers == ["Эта кнопка больше не действует."] * 3
    person = await _person(1004)
    assert person.locale == "ru" and not person.locale_confirmed


async def test_staff_may_choose_korean(conv):
    """Staff see and can pick Korean."""
    [reply] = await conv.send(ADMIN_ID, "/language", lang="en")
    assert any("한국어" in b["text"] for row in reply.buttons for b in row)
    events = await conv.press(ADMIN_ID, "한국어")
    assert events[-1].text.startswith("완료되었습니다. 언어: 한국어.")


async def test_huge_and_exotic_text_gets_an_answer(conv):
    """A 5 000-character message with emoji and mixed scripts gets the honest "no answer" in
    the sender's language with the offer of a person, and the question reaches the liaison
    chat within Telegram's message limit."""
    text = ("Хочу поговорить с живым человеком 你好 ¡hola! 🙂 " * 300)[:5000]
    events = await conv.send(1005, text, lang="ru")
    assert len(events) == 2 and re.search("[а-я]", events[0].text)
    assert events[1].text == "Хотите, чтобы я передал ваш вопрос сотрудникам программы?"
    assert [b["text"] for b in events[-1].buttons[0]] == ["💬 Спросить сотрудника", "Нет, спасибо"]
    events = await conv.press(1005, "💬 Спросить сотрудника")
    [relayed] = [e for e in events if e.chat_id == LIAISON_CHAT]
    assert text[:1000] in relayed.text and len(relayed.text) <= 4096
    assert events[-1].chat_id == 1005 and events[-1].text.startswith("Ваш вопрос отправлен")


async def test_database_down_says_temporarily_unavailable(conv):
    """With the database unreachable the user is told so, in their language."""
    await db.dispose_db()
    db.init_db("postgresql+asyncpg://nobody@127.0.0.1:1/none")
    [reply] = await conv.send(1006, "/start", lang="es")
    assert "no está disponible temporalmente" in reply.text


async def test_handler_error_is_reported_politely(conv):
    """An exception inside a handler reaches the error handler and the user hears about it."""
    from telegram.ext import CommandHandler

    async def boom(update, context):
        raise RuntimeError("boom")

    conv.app.add_handler(CommandHandler("boom", boom), group=1)
    await conv.send(1007, "/start", lang="zh")
    events = await conv.send(1007, "/boom")
    assert any("抱歉，我们这边出了点问题" in e.text for e in events)


async def test_command_menus_per_language(conv):
    """Command menus are published per trainee language and in Korean for staff chats."""
    ru = conv.double.commands(language_code="ru")
    assert {"command": "language", "description": "сменить язык"} in ru
    staff = conv.double.commands({"type": "chat", "chat_id": ADMIN_ID})
    assert {"command": "language", "description": "언어 변경"} in staff


async def test_deep_link_is_followed_after_the_language_is_chosen(conv):
    """A first-time user arriving by /start <payload> confirms the language, then the link
    is followed in the chosen language (the payload rides in the button data)."""
    from bot.core.registry import add_start_payload
    from bot.i18n import _

    seen = []

    async def follow(update, context, payload):
        seen.append((payload, context.user.locale))
        await update.effective_message.reply_text(_("Choose your language:"))

    add_start_payload(conv.app, "demo", follow)
    [greeting] = await conv.send(1010, "/start demo-42", lang="en")
    assert all(b["data"].endswith(":demo-42") for row in greeting.buttons for b in row)
    events = await conv.press(1010, "Русский")
    assert seen == [("demo-42", "ru")]
    assert events[-1].text == "Выберите язык:"


async def test_quiet_in_groups_about_what_it_does_not_understand(conv):
    """People talk to each other in a group: no 'did not understand' there, but still in
    a private chat."""
    group = -100777
    conv.double.add_group_chat(group, "Kyiv cohort 2018")
    conv.user(1501, "Olena", "en")
    assert await conv.send(1501, "see you at the site visit tomorrow", chat_id=group) == []
    assert await conv.send(1501, "/whatever", chat_id=group) == []
    [private] = await conv.send(1501, "/whatever", lang="en")
    assert "/whatever" in private.text
