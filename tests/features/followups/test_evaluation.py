"""The 4-month field-application evaluation, end to end through the Bot API double."""

from __future__ import annotations

from datetime import UTC, date, datetime

from babel.dates import format_date

from bot import clock
from bot.dev.harness import conversation
from bot.features.followups.evaluation import evaluation_done
from tests.features.followups.test_evaluation_fixtures import (
    evaluations,
    invite,
    labels,
    press,
    trainee,
)

T0 = datetime(2018, 10, 3, 1, 0, tzinfo=UTC)
KYIV_RU = "Умный город (Группа по экспорту политики, для Киева)"
ACTIONS = [
    ("Запустить пилот умных остановок в Подольском районе", "2018-09"),
    ("Открыть данные о транспорте на портале города", "2018-12"),
    ("Обучить 20 сотрудников мэрии работе с платформой", "2019-03"),
]
INVALID_RU = "Эта кнопка больше не действует."


def deadline(year: int, month: int) -> str:
    """An action's target month as the evaluation names it: Babel's "LLLL y" in Russian."""
    return format_date(date(year, month, 1), "LLLL y", locale="ru")


async def test_full_russian_evaluation_with_volunteer_and_idempotent_repress(sample, conv):
    """Their own three actions, one evidence over the limit refused, forum offer accepted."""
    clock.freeze(T0)
    person_id, cid = await trainee(conv, 8101, "ru", actions=ACTIONS)
    [intro, first] = await invite(conv, 8101, "ev", cid)
    assert intro.text.startswith(f"Оценка применения результатов курса «{KYIV_RU}»")
    assert "вы запланировали 3 действия" in intro.text
    assert first.text == (
        f"Действие 1 из 3: {ACTIONS[0][0]}\nСрок: {deadline(2018, 9)}\n\n"
        "Насколько вы продвинулись с ним?"
    )
    assert labels(first) == ["✅ Выполнено", "🔄 В процессе", "⏸ Не начато", "✖️ Отменено"]

    [evidence_q] = await press(conv, 8101, "✅ Выполнено")
    assert evidence_q.text.startswith("Одной строкой: что подтверждает ваш прогресс")
    assert labels(evidence_q) == ["Пропустить"]
    [error, again] = await conv.send(8101, "ж" * 501)
    assert error.text.startswith(
        "Ответ слишком длинный: допускается не более 500 символов, а в вашем — 501."
    )
    assert again.text == evidence_q.text
    [row] = await evaluations()
    assert row.results == [{"action": 0, "status": "done", "evidence": None}]
    assert row.step == "ev0"

    [second] = await conv.send(8101, "Распоряжение мэра № 512 от 14.08.2018, 12 остановок")
    assert second.text.startswith(f"Действие 2 из 3: {ACTIONS[1][0]}\nСрок: {deadline(2018, 12)}")
    await press(conv, 8101, "🔄 В процессе")
    [third] = await press(conv, 8101, "Пропустить")
    assert third.text.startswith(f"Действие 3 из 3: {ACTIONS[2][0]}")
    await press(conv, 8101, "⏸ Не начато")
    [rating] = await conv.send(8101, "Ждём бюджета на 2019 год")
    assert rating.text.startswith("Насколько курс оказался полезен в вашей работе?")
    assert labels(rating) == ["1", "2", "3", "4", "5"]
    [comment] = await press(conv, 8101, "4")
    assert comment.text.startswith("Хотите ли вы что-то добавить")
    [forum] = await conv.send(8101, "Спасибо за курс!")
    assert forum.text.startswith("На Международном форуме программы выпускники")
    assert not await evaluation_done(person_id, cid)
    [thanks] = await press(conv, 8101, "Да")
    assert thanks.text == (
        f"Спасибо! Ваша оценка курса «{KYIV_RU}» записана.\n"
        "Команда свяжется с вами по поводу выступления на форуме."
    )
    # The answered question stays in the chat with the answer under it, without buttons.
    answered = conv.double.messages(8101)[-2]
    assert answered["text"].endswith("→ Да") and not answered.get("reply_markup")

    [row] = await evaluations()
    assert row.results == [
        {
            "action": 0,
            "status": "done",
            "evidence": "Распоряжение мэра № 512 от 14.08.2018, 12 остановок",
        },
        {"action": 1, "status": "in_progress", "evidence": None},
        {"action": 2, "status": "not_started", "evidence": "Ждём бюджета на 2019 год"},
    ]
    assert (row.rating, row.comment, row.volunteer) == (4, "Спасибо за курс!", True)
    assert (row.step, row.completed_at) == (None, T0)
    assert await evaluation_done(person_id, cid)
    done = [r for r in row.results if r.get("status") == "done"]
    assert [r["action"] for r in done] == [0]
    assert [r.get("evidence") for r in done] == [
        "Распоряжение мэра № 512 от 14.08.2018, 12 остановок"
    ]

    [already] = await invite(conv, 8101, "ev", cid)
    assert already.text == f"Вы уже ответили на оценку курса «{KYIV_RU}». Спасибо!"
    [after] = await evaluations()
    assert (after.results, after.rating, after.completed_at) == (row.results, 4, T0)


async def test_no_action_done_means_no_forum_question(sample, conv):
    """Nothing done: the evaluation ends after the comment, volunteer left unasked (None)."""
    clock.freeze(T0)
    person_id, cid = await trainee(
        conv, 8102, "en", actions=[("Draft a bus-lane plan", "2018-11")]
    )
    [intro, _q] = await invite(conv, 8102, "ev", cid)
    assert "you planned 1 action;" in intro.text
    await press(conv, 8102, "✖️ Dropped")
    await press(conv, 8102, "Skip")
    await press(conv, 8102, "2")
    [thanks] = await press(conv, 8102, "Skip")
    assert thanks.text.startswith("Thank you! Your evaluation of")
    assert "forum" not in thanks.text
    [row] = await evaluations()
    assert (row.rating, row.comment, row.volunteer, row.completed_at) == (2, None, None, T0)
    assert await evaluation_done(person_id, cid)


async def test_cancel_and_restart_resume_where_it_stopped(sample, conv, settings):
    """/cancel keeps the answers and frees the text; a new Application resumes from the DB."""
    clock.freeze(T0)
    _pid, cid = await trainee(conv, 8103, "ru", actions=ACTIONS[:2])
    await invite(conv, 8103, "ev", cid)
    await press(conv, 8103, "✅ Выполнено")
    [stopped] = await conv.send(8103, "/cancel")
    assert stopped.text.startswith("Остановлено. Ваши ответы сохранены")
    assert labels(stopped) == ["▶️ Продолжить"]
    await conv.send(8103, "Кто оплачивает перелёт?")  # goes to the questions, not the form
    [row] = await evaluations()
    assert row.step == "paused:ev0" and row.results[0]["evidence"] is None

    async with conversation(settings, double=conv.double) as again:
        [resumed, question] = await press(again, 8103, "▶️ Продолжить")
        assert resumed.text == f"Продолжим вашу оценку курса «{KYIV_RU}»."
        assert question.text.startswith("Одной строкой: что подтверждает ваш прогресс")
        await again.send(8103, "Пилот запущен 1 сентября")
    async with conversation(settings, double=conv.double) as third:
        # No /cancel this time: the state is in the row, so the next process carries on.
        await press(third, 8103, "⏸ Не начато")
        [rating] = await third.send(8103, "Нет бюджета")
        assert rating.text.startswith("Насколько курс оказался полезен")
    [row] = await evaluations()
    assert row.results == [
        {"action": 0, "status": "done", "evidence": "Пилот запущен 1 сентября"},
        {"action": 1, "status": "not_started", "evidence": "Нет бюджета"},
    ]
    assert row.step == "rating"


async def test_no_postcard_and_forged_buttons_change_nothing(sample, conv):
    """No postcard: a polite explanation. Another's evaluation, a course not taken, an action
    out of range, a rating of 9, an old question's button: refused, the row unchanged."""
    clock.freeze(T0)
    _a, cid = await trainee(conv, 8104, "ru", actions=ACTIONS[:2])
    await trainee(conv, 8105, "ru")  # enrolled, but wrote no postcard
    [polite] = await invite(conv, 8105, "ev", cid)
    assert polite.text.startswith(f"Во время курса «{KYIV_RU}» вы не заполнили открытку")
    await invite(conv, 8104, "ev", cid)
    await press(conv, 8104, "✅ Выполнено")
    [row] = await evaluations()
    mine = conv.double.last_message(8104, from_bot=True)["message_id"]
    other = conv.double.last_message(8105, from_bot=True)["message_id"]
    forged = [
        (8105, other, f"ev:st:{row.id}:0:done"),
        (8105, other, f"ev:sk:{row.id}:ev0"),
        (8104, mine, f"ev:st:{row.id}:7:done"),
        (8104, mine, f"ev:st:{row.id}:0:dropped"),  # the first question is answered already
        (8104, mine, f"ev:rt:{row.id}:9"),
        (8104, mine, f"ev:vo:{row.id}:yes"),
        (8104, mine, f"ev:sk:{row.id}:comment"),
        (8104, mine, "ev:go:9999"),
        (8104, mine, "ev:go:1"),  # a course they were not on
        (8104, mine, "ev:xx:1"),
    ]
    for uid, message_id, data in forged:
        await conv.press_data(uid, message_id, data)
        assert conv.double.callback_answers[-1]["text"] == INVALID_RU, data
    [after] = await evaluations()
    assert (after.results, after.step, after.rating) == (row.results, "ev0", None)
