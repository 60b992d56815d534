"""Free-text answers through the bot: right courses, the asker's language, Babel dates."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

from babel.dates import format_date, format_interval

from bot import clock
from bot.features.qa.evaluate import read_questions, score_rows
from bot.features.qa.knowledge import set_answer
from bot.features.qa.service import answer_question


async def test_spanish_question_lists_both_water_courses(sample, conv):
    """A Spanish question without accents gets both 2018 water courses, dates in Spanish."""
    [reply] = await conv.send(3001, "cuando es el curso de agua", lang="es")
    assert reply.text.startswith("He encontrado 2 cursos:")
    water = [(date(2018, 2, 20), date(2018, 2, 28)), (date(2018, 6, 17), date(2018, 6, 24))]
    for start, end in water:  # 2018-02 and 2018-08, Babel's yMMMd interval in Spanish
        assert format_interval(start, end, skeleton="yMMMd", locale="es") in reply.text


async def test_russian_plural_and_month_inflection(sample, conv):
    """'в мае' finds the two May courses; the count uses the Russian 'few' form."""
    [reply] = await conv.send(3002, "Какие курсы в мае?", lang="ru")
    assert reply.text.startswith("Я нашёл 2 курса:")


async def test_traditional_chinese_is_understood(sample):
    """Traditional characters are read like Simplified ones and answered in Traditional."""
    answer = await answer_question("電子政務課程什麼時候？", locale="zh")
    assert answer.intent == "schedule" and answer.locale == "zh_Hant"
    assert {c.code for c in answer.courses} == {"2018-10", "2018-13"}
    assert "我找到了 2 個課程" in answer.text and "傳送 /courses" in answer.text
    simplified = await answer_question("电子政务课程什么时候？", locale="zh")
    assert simplified.locale == "zh" and "我找到了 2 个课程" in simplified.text


async def test_question_language_wins_over_setting(sample):
    """A Russian-speaking user who writes in Chinese is answered in Chinese."""
    answer = await answer_question("有没有面向中国城市的课程？", locale="ru")
    assert answer.locale == "zh" and [c.code for c in answer.courses] == ["2018-10"]


async def test_out_of_scope_is_honest_and_offers_a_person(sample, conv):
    """Weather in Seoul is not a course question: no course guessed, a person offered."""
    events = await conv.send(3003, "What's the weather like in Seoul in August?", lang="en")
    assert not any("I found" in e.text for e in events)
    labels = [b["text"] for e in events for row in e.buttons for b in row]
    assert labels, "the handoff offer has buttons"


async def test_faq_answer_comes_from_the_database(sample):
    """Staff edit an answer; the next answer uses the edited text."""
    await set_answer("forum", "en", "The forum moved to the Grand Hall.", None)
    answer = await answer_question("When is the international training forum?", locale="en")
    assert answer.intent == "forum" and answer.text == "The forum moved to the Grand Hall."


async def test_today_during_the_kyiv_course(sample, conv):
    """/today on a course day lists that day's sample programme in Seoul time."""
    clock.freeze(datetime(2018, 5, 29, 0, 0, tzinfo=UTC))  # 09:00 in Seoul
    [reply] = await conv.send(3004, "/today", lang="en")
    today = format_date(date(2018, 5, 29), "full", locale="en")
    assert reply.text.startswith(f"Programme for {today} (Seoul time):")
    assert "sample programme" in reply.text
    [reply] = await conv.send(3004, "/tomorrow")
    assert format_date(date(2018, 5, 30), "full", locale="en") in reply.text


async def test_today_in_a_course_week_without_a_programme_names_the_course(sample, conv):
    """/today while Urban Management runs but has no published programme: the reply says so
    and names the course running, instead of only 'no programme'."""
    clock.freeze(datetime(2018, 5, 15, 0, 0, tzinfo=UTC))
    [reply] = await conv.send(3005, "/today", lang="en")
    assert format_date(date(2018, 5, 15), "full", locale="en") in reply.text
    assert "Urban Management" in reply.text and "(in progress)" in reply.text


async def test_scorer_on_our_own_questions(sample, tmp_path: Path):
    """The project's scorer reads a labelled file and prints per-language figures."""
    rows = [
        {
            "lang": "en",
            "text": "when does the governance course start",
            "intent": "schedule",
            "courses": ["2018-10-14"],
        },
        {
            "lang": "ru",
            "text": "Сколько стоит перелёт? Кто платит за билеты?",
            "intent": "costs",
            "courses": [],
        },
    ]
    path = tmp_path / "q.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows))
    score = await score_rows(read_questions(path))
    assert score.report().splitlines()[-1] == "accuracy 1.000 (2/2)"


async def test_next_course_is_the_first_still_to_start(sample):
    """'Next' narrows the answer to the first matching course after today, in any language,
    and when that one is reserved (WeGO members, Chinese cities) also to the next one open to
    all; with nothing upcoming every match is listed rather than nothing."""
    from datetime import date

    march = date(2018, 3, 1)
    for text, lang, codes in [
        ("When is the next smart city course?", "en", ["2018-03"]),
        ("Когда ближайший курс по управлению водными ресурсами?", "ru", ["2018-08"]),
        ("下一个课程是什么时候？", "zh", ["2018-03", "2018-05"]),
        ("¿Cuándo es el próximo curso de gobierno electrónico?", "es", ["2018-10", "2018-13"]),
    ]:
        answer = await answer_question(text, locale=lang, today=march)
        assert [c.code for c in answer.courses] == codes, text
    late = await answer_question("When is the next smart city course?", today=date(2026, 1, 1))
    assert len(late.courses) == 3


async def test_korean_staff_question_is_answered_in_korean(sample):
    """Staff write in Korean: the engine does not read Korean, but the reply is in Korean."""
    answer = await answer_question("다음 달 과정 일정 알려줘", locale="en")
    assert answer.locale == "ko" and answer.offer_handoff and answer.courses == ()
    assert "죄송합니다" in answer.text or "확실하지 않습니다" in answer.text
