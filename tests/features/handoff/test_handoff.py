"""Handoff to a person: /contact, the liaison-chat relay and the outbox, through the double."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from babel import Locale
from sqlalchemy import select, update
from telegram.ext import CommandHandler

from bot import clock, db
from bot.core.models import Person
from bot.core.outbox import OutboxMessage
from bot.core.outbox_dispatch import dispatch
from bot.dev.harness import conversation
from bot.features.applications.models import Application
from bot.features.handoff import service
from bot.features.handoff.handlers import offer_handoff
from bot.features.handoff.models import HandoffQuestion
from bot.features.handoff.senders import senders
from tests.conftest import LIAISON_CHAT

T0 = datetime(2018, 5, 28, 0, 0, tzinfo=UTC)


async def deliver(conv, *, now):
    """One pass of the outbox job over the handoff kinds, liaison text in English."""
    return await dispatch(conv.app.bot, senders("en"), now=now, limit=50)


OFFICER = 5001


async def _rows(model, *where):
    async with db.session_scope() as s:
        return list(await s.scalars(select(model).where(*where).order_by(model.id)))


def _in(events, chat_id):
    return [e for e in events if e.chat_id == chat_id]


async def _ask(conv, user_id, question, **kw):
    """/contact, then the question; returns the events of the question message."""
    await conv.send(user_id, "/contact", **kw)
    return await conv.send(user_id, question)


async def test_question_forwarded_and_answer_relayed_in_russian(conv):
    """/contact + a Russian question reaches the liaison chat; the reply comes back in Russian."""
    clock.freeze(T0)
    [prompt] = await conv.send(7001, "/contact", lang="ru", name="Айгуль")
    assert "напишите ваш вопрос" in prompt.text
    question = "Нужна ли виза для поездки в Сеул? 🙂"
    events = await conv.send(7001, question)
    [forward] = _in(events, LIAISON_CHAT)
    assert question in forward.text and "Айгуль" in forward.text
    russian = Locale.parse("ru").get_display_name("en")  # CLDR's English name; ours in brackets
    assert "Telegram ID 7001" in forward.text and f"{russian} (Русский)" in forward.text
    assert forward.text.endswith("Reply to this message to answer.")
    [told] = _in(events, 7001)
    assert told.text == "Ваш вопрос отправлен сотрудникам программы. Ответ придёт сюда."

    events = await conv.send(
        OFFICER, "Нет, для граждан Казахстана виза не нужна.", chat_id=LIAISON_CHAT,
        reply_to=forward.message_id,
    )  # fmt: skip
    [answer] = _in(events, 7001)
    assert answer.text.startswith("Координатор ответил на ваш вопрос: «Нужна ли виза")
    assert answer.text.endswith("\n\nНет, для граждан Казахстана виза не нужна.")
    [confirmation] = _in(events, LIAISON_CHAT)
    assert confirmation.text == "Sent to Айгуль."
    [row] = await _rows(HandoffQuestion)
    assert row.state == "answered" and row.text == question and row.answer.startswith("Нет")


async def test_unreachable_liaison_chat_queues_and_delivers_once_later(conv):
    """5xx from the liaison chat: the trainee hears it is queued; a later run sends it once."""
    clock.freeze(T0)
    conv.double.inject_fault(method="sendMessage", chat_id=LIAISON_CHAT, status=500, count=3)
    events = await _ask(conv, 7002, "¿Hay alojamiento?", lang="es")
    assert not _in(events, LIAISON_CHAT)
    [told] = _in(events, 7002)
    assert told.text.startswith("En este momento no es posible contactar con el equipo")
    [row] = await _rows(OutboxMessage)
    assert (row.state, row.attempts, row.due_at) == ("pending", 1, T0 + timedelta(seconds=30))

    # Not yet due: nothing happens. Still failing: backoff doubles.
    assert await deliver(conv, now=T0 + timedelta(seconds=10)) == []
    [res] = await deliver(conv, now=T0 + timedelta(seconds=31))
    assert res.state == "pending"
    [row] = await _rows(OutboxMessage)
    assert row.attempts == 2 and row.due_at == T0 + timedelta(seconds=91)

    conv.double.clear_faults()
    mark = conv.double.seq
    [res] = await deliver(conv, now=T0 + timedelta(minutes=5))
    assert res.state == "sent"
    assert await deliver(conv, now=T0 + timedelta(hours=5)) == []
    [forward] = _in(conv.double.events_since(mark), LIAISON_CHAT)
    assert "¿Hay alojamiento?" in forward.text
    [question] = await _rows(HandoffQuestion)
    assert (question.state, question.liaison_message_id) == ("forwarded", forward.message_id)


async def test_gives_up_after_eight_attempts(conv):
    """A liaison chat that never answers: the row ends 'failed' after 8 attempts."""
    clock.freeze(T0)
    conv.double.inject_fault(method="sendMessage", chat_id=LIAISON_CHAT, status=502, count=99)
    await _ask(conv, 7010, "question?", lang="en")
    for hour in range(1, 10):
        await deliver(conv, now=T0 + timedelta(hours=hour))
    [row] = await _rows(OutboxMessage)
    assert (row.state, row.attempts) == ("failed", 8)


async def test_blocked_trainee_is_not_retried(conv):
    """The trainee blocked the bot: the answer row is 'blocked', the officer is told, no retry."""
    clock.freeze(T0)
    events = await _ask(conv, 7003, "Where is the hotel?", lang="en", name="Diego")
    [forward] = _in(events, LIAISON_CHAT)
    conv.double.block(7003)
    events = await conv.send(
        OFFICER, "Near City Hall.", chat_id=LIAISON_CHAT, reply_to=forward.message_id
    )
    assert [e.text for e in events] == ["Not delivered: Diego has blocked the bot."]
    answer = (await _rows(OutboxMessage, OutboxMessage.kind == "handoff_answer"))[0]
    assert answer.state == "blocked" and answer.attempts == 0
    [person] = await _rows(Person, Person.telegram_id == 7003)
    assert person.blocked_at == T0
    assert await deliver(conv, now=T0 + timedelta(days=1)) == []


async def test_offer_buttons_refuse_forged_and_replayed_presses(conv):
    """offer_handoff's buttons: another person's id and a second press are refused."""

    async def ask(update, context):
        await offer_handoff(update, context, "Сколько стоит участие?")

    conv.app.add_handler(CommandHandler("asktest", ask), group=1)
    events = await conv.send(7004, "/asktest", lang="ru")
    [offer] = [e for e in events if e.buttons]
    assert offer.text == "Хотите, чтобы я передал ваш вопрос сотрудникам программы?"
    assert [b["text"] for b in offer.buttons[0]] == ["💬 Спросить сотрудника", "Нет, спасибо"]
    [row] = await _rows(HandoffQuestion)

    await conv.send(7005, "/start", lang="ru")
    other_message = conv.double.last_message(7005, from_bot=True)["message_id"]
    await conv.press_data(7005, other_message, f"ho:send:{row.id}")
    assert conv.double.callback_answers[-1]["text"] == "Эта кнопка больше не действует."
    assert (await _rows(HandoffQuestion))[0].state == "offered"

    events = await conv.press(7004, "💬 Спросить сотрудника")
    assert len(_in(events, LIAISON_CHAT)) == 1
    assert _in(events, 7004)[-1].text.startswith("Ваш вопрос отправлен")
    events = await conv.press_data(7004, offer.message_id, f"ho:send:{row.id}")
    assert not _in(events, LIAISON_CHAT)
    assert conv.double.callback_answers[-1]["text"] == "Эта кнопка больше не действует."
    assert len(await _rows(OutboxMessage)) == 1


async def test_no_thanks_dismisses(conv):
    """'No, thanks' closes the offer; nothing goes to the liaison chat."""

    async def ask(update, context):
        await offer_handoff(update, context, "¿Puedo traer a mi familia?")

    conv.app.add_handler(CommandHandler("asktest", ask), group=1)
    await conv.send(7006, "/asktest", lang="es")
    events = await conv.press(7006, "No, gracias")
    assert not _in(events, LIAISON_CHAT)
    assert await _rows(HandoffQuestion) == []  # declined: nothing of the words is kept


async def test_liaison_chatter_and_unknown_replies_are_ignored(conv):
    """Officers talking among themselves, or replying to other messages, get no bot reply."""
    assert await conv.send(OFFICER, "Good morning all", chat_id=LIAISON_CHAT) == []
    chatter = conv.double.last_message(LIAISON_CHAT)["message_id"]
    assert await conv.send(OFFICER, "+1", chat_id=LIAISON_CHAT, reply_to=chatter) == []
    assert await _rows(OutboxMessage) == []


async def test_awaiting_question_survives_a_restart(conv, settings):
    """/contact, restart, the question: the new process still knows it is a question."""
    await conv.send(7007, "/contact", lang="zh")
    async with conversation(settings, double=conv.double) as again:
        events = await again.send(7007, "我想了解签证信息。")
    [forward] = _in(events, LIAISON_CHAT)
    chinese = Locale.parse("zh").get_display_name("en")
    assert "我想了解签证信息。" in forward.text and f"{chinese} (中文)" in forward.text
    assert _in(events, 7007)[0].text == "您的问题已发送给项目工作人员。您将在这里收到答复。"


async def test_cancel_clears_the_awaiting_question(conv):
    """/cancel after /contact: the next message is not a question for a person."""
    await conv.send(7008, "/contact", lang="en")
    [reply] = await conv.send(7008, "/cancel")
    assert reply.text == "Cancelled. Your message was not sent."
    events = await conv.send(7008, "What is the weather?")
    # Handed on to the next handler (QA, or the fallback): answered, but not forwarded.
    assert _in(events, 7008) and not _in(events, LIAISON_CHAT)
    # The /contact request is closed; QA may have offered a person for the weather question.
    states = [r.state for r in await _rows(HandoffQuestion)]
    assert set(states) <= {"offered"} and all(r.text for r in await _rows(HandoffQuestion))
    [reply] = await conv.send(7008, "/cancel")
    assert reply.text == "There is nothing to cancel."


async def test_stuck_sending_row_is_reclaimed(conv):
    """A worker died after claiming: once the lease expires the row is sent (only then)."""
    clock.freeze(T0)
    conv.double.inject_fault(method="sendMessage", chat_id=LIAISON_CHAT, status=500, count=1)
    await _ask(conv, 7009, "Is lunch provided?", lang="en")
    async with db.session_scope() as s:
        await s.execute(
            update(OutboxMessage).values(
                state="sending", claimed_by="dead:1", claimed_until=T0 + timedelta(minutes=1)
            )
        )
    assert await deliver(conv, now=T0 + timedelta(seconds=30)) == []
    [res] = await deliver(conv, now=T0 + timedelta(minutes=2))
    assert res.state == "sent"
    [row] = await _rows(OutboxMessage)
    assert row.state == "sent" and row.claimed_until is None
    forwards = [m for m in conv.double.messages(LIAISON_CHAT) if "Is lunch" in m.get("text", "")]
    assert len(forwards) == 1


async def test_offer_truncates_and_keeps_text(database):
    """offer() stores the text exactly, cut at 3 500 characters."""
    async with db.session_scope() as s:
        person = Person(telegram_id=1, first_name="A")
        s.add(person)
        await s.flush()
        pid = person.id
    exotic = "Ñandú 你好 Привет 🙂‍↔️ مرحبا\n\t  "
    assert (await service.offer(pid, exotic, "es")).text == exotic
    long = ("签证 🙂 " * 2000)[:5000]
    assert (await service.offer(pid, long, "zh")).text == long[:3500]


async def test_the_forward_names_the_live_application_with_its_dates(sample, conv):
    """A submitted application to the e-government course and a later, unsent draft for the
    Kyiv course: the team reads the e-government course, with its dates, not a code."""
    from bot.features.applications.models import Application
    from bot.features.schedule.models import Course

    await conv.send(7020, "/start", lang="en", name="Wang Li")
    async with db.session_scope() as s:
        person = await s.scalar(select(Person).where(Person.telegram_id == 7020))
        person.organisation, person.position = "Chengdu Big Data Bureau", "Deputy Director"
        courses = {c.code: c for c in await s.scalars(select(Course))}
        egov, kyiv = courses["2018-10"].id, courses["2018-07"].id
        s.add(Application(person_id=person.id, course_id=egov, status="submitted"))
        await s.flush()
        s.add(Application(person_id=person.id, course_id=kyiv, status="draft"))
    [forward] = _in(await _ask(conv, 7020, "Can my deputy come instead?"), LIAISON_CHAT)
    assert "Course: E-Government" in forward.text and "Aug 28" in forward.text
    assert "Kyiv" not in forward.text and "(2018-10)" not in forward.text
    assert "Organisation: Chengdu Big Data Bureau (Deputy Director)" in forward.text


async def test_a_new_offer_replaces_an_unanswered_one(conv):
    """Two questions the bot could not answer: only the newest offer is kept, and the old
    button says it is no longer valid instead of sending the old words."""

    async def ask(update, context):
        await offer_handoff(update, context, update.effective_message.text.split(" ", 1)[1])

    conv.app.add_handler(CommandHandler("asktest", ask), group=1)
    await conv.send(7021, "/asktest first question", lang="en")
    old = conv.double.last_message(7021)
    old_data = old["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    await conv.send(7021, "/asktest second question")
    assert [r.text for r in await _rows(HandoffQuestion)] == ["second question"]
    events = await conv.press_data(7021, old["message_id"], old_data)
    assert not _in(events, LIAISON_CHAT)


async def test_asking_for_a_person_in_words_waits_for_the_question(sample, conv):
    """'Хочу поговорить с человеком' holds no question: the bot asks for it, as /contact does,
    and the next message is what the team receives."""
    [prompt] = _in(await conv.send(7022, "хочу поговорить с человеком", lang="ru"), 7022)
    assert "напишите ваш вопрос" in prompt.text
    assert not conv.double.last_message(7022).get("reply_markup")
    events = await conv.send(7022, "Нужна ли виза гражданам Кыргызстана?")
    [forward] = _in(events, LIAISON_CHAT)
    assert "Нужна ли виза гражданам Кыргызстана?" in forward.text
    assert "хочу поговорить" not in forward.text


async def test_asking_for_contact_details_is_answered_not_taken_as_the_question(sample, conv):
    """'Is there an e-mail?' gets the answer and the offer; the next message is a question for
    the bot, not forwarded to the team."""
    events = await conv.send(7023, "Как связаться с координатором, есть email?", lang="ru")
    assert not _in(events, LIAISON_CHAT)
    assert conv.double.last_message(7023).get("reply_markup")  # the offer to pass it on
    events = await conv.send(7023, "Сколько мест на курсе по воде?")
    assert not _in(events, LIAISON_CHAT)


async def test_mydata_counts_only_questions_that_reached_a_person(sample, conv):
    """An offer never pressed is in the file, apart, and not counted as sent."""
    from bot.features.privacy.collect import collect

    await conv.send(7024, "What is the weather in Seoul tomorrow?", lang="en")
    await _ask(conv, 7024, "Do I need a visa?")
    async with db.session_scope() as s:
        person = await s.scalar(select(Person).where(Person.telegram_id == 7024))
        data = await collect(s, person)
    assert [q["text"] for q in data["questions_to_staff"]] == ["Do I need a visa?"]
    assert [q["state"] for q in data["questions_offered_not_sent"]] == ["offered"]


async def test_contact_in_the_middle_of_a_form_takes_the_next_message(conv, sample):
    """/contact while the application form waits: the question goes to a person, not into
    the form as an answer; the draft is paused and resumes where it stopped."""
    clock.freeze(datetime(2018, 1, 5, 1, 0, tzinfo=UTC))
    await conv.send(7301, "/apply", lang="en", name="Juan")
    started = await conv.press(7301, "ap:new:2018-05")
    assert started[-1].text.startswith("1/")
    events = await _ask(conv, 7301, "Can my deputy come instead of me?")
    [forward] = _in(events, LIAISON_CHAT)
    assert "Can my deputy come instead of me?" in forward.text
    async with db.session_scope() as session:
        row = await session.scalar(select(Application).where(Application.course_id.is_not(None)))
    assert row.answers == {} and row.step.startswith("paused:")
    resumed = await conv.send(7301, "/apply")
    assert resumed[-1].text.startswith("1/")
