"""The end-of-course satisfaction survey, end to end through the Bot API double."""

from __future__ import annotations

from datetime import UTC, datetime

from babel.numbers import format_decimal

from bot import clock, db
from bot.features.followups.models import SurveyResponse
from bot.features.followups.survey import course_satisfaction, survey_done
from tests.features.followups.test_evaluation_fixtures import (
    invite,
    labels,
    press,
    responses,
    trainee,
)

LAST_DAY = datetime(2018, 6, 3, 8, 0, tzinfo=UTC)  # the Kyiv course's last day, Seoul afternoon
KYIV_ES = "Ciudad inteligente (Equipo de Exportación de Políticas, para Kiev)"
INVALID_ES = "Este botón ya no es válido."


async def test_full_spanish_survey_and_the_course_mean(sample, conv):
    """Five items by buttons, a comment; the mean of "overall" over completed responses."""
    clock.freeze(LAST_DAY)
    person_id, cid = await trainee(conv, 8201, "es")
    [intro, first] = await invite(conv, 8201, "sv", cid)
    assert intro.text.startswith(f"Encuesta de satisfacción sobre «{KYIV_ES}»: 5 preguntas breves")
    assert first.text == (
        "1/5. Satisfacción general con el curso: ¿qué tan satisfecho está? "
        "1 = muy insatisfecho, 5 = muy satisfecho."
    )
    assert labels(first) == ["1", "2", "3", "4", "5"]
    for expected, score in (
        ("2/5. Conferencias", "5"),
        ("3/5. Visitas técnicas", "4"),
        ("4/5. Organización y logística", "5"),
        ("5/5. Utilidad para mi trabajo", "3"),
    ):
        [question] = await press(conv, 8201, score)
        assert question.text.startswith(expected)
    [comment] = await press(conv, 8201, "4")
    assert comment.text.startswith("¿Algún comentario sobre el curso")
    assert labels(comment) == ["Omitir"]
    [error, again] = await conv.send(8201, "a" * 1001)
    limit = format_decimal(1000, locale="es")
    assert error.text.startswith(f"Esta respuesta es demasiado larga: el límite es de {limit} ")
    assert again.text == comment.text
    assert not await survey_done(person_id, cid)
    [thanks] = await conv.send(8201, "Más tiempo libre para visitar Seúl, por favor.")
    assert thanks.text == f"¡Gracias! Sus respuestas sobre «{KYIV_ES}» quedaron registradas."
    [row] = await responses()
    assert row.scores == {
        "overall": 5,
        "lectures": 4,
        "site_visits": 5,
        "organisation": 3,
        "usefulness": 4,
    }
    assert (row.comment, row.step, row.completed_at) == (
        "Más tiempo libre para visitar Seúl, por favor.",
        None,
        LAST_DAY,
    )
    assert await survey_done(person_id, cid)
    [already] = await invite(conv, 8201, "sv", cid)
    assert already.text == f"Usted ya respondió la encuesta sobre «{KYIV_ES}». ¡Gracias!"

    # Two more through the bot (4 and 4, one skipping the comment), one left unfinished (1).
    for uid, overall in ((8202, "4"), (8203, "4")):
        await trainee(conv, uid, "es")
        await invite(conv, uid, "sv", cid)
        for score in (overall, "3", "3", "3", "3"):
            await press(conv, uid, score)
        await press(conv, uid, "Omitir")
    await trainee(conv, 8204, "es")
    await invite(conv, 8204, "sv", cid)
    await press(conv, 8204, "1")
    assert await course_satisfaction(cid) == 4.33
    assert await course_satisfaction(cid + 1) is None


async def test_survey_command_window(sample, conv):
    """/survey offers a course in progress or ended ≤ 14 days ago, and only to accepted ones."""
    _pid, _cid = await trainee(conv, 8205, "es")
    await trainee(conv, 8206, "es", status="submitted")
    clock.freeze(datetime(2018, 6, 17, 3, 0, tzinfo=UTC))  # 14 days after the last day
    [intro, _q] = await conv.send(8205, "/survey")
    assert intro.text.startswith("Encuesta de satisfacción sobre")
    [none] = await conv.send(8206, "/survey")
    assert none.text == "En este momento no tiene ninguna encuesta de curso pendiente."
    [_stop] = await conv.send(8205, "/cancel")
    [resumed, question] = await conv.send(8205, "/survey")
    assert resumed.text == f"Continuemos con su encuesta sobre «{KYIV_ES}»."
    assert question.text.startswith("1/5. ")
    clock.freeze(datetime(2018, 6, 18, 3, 0, tzinfo=UTC))  # 15 days after
    [late] = await conv.send(8205, "/survey")
    assert late.text == "En este momento no tiene ninguna encuesta de curso pendiente."


async def test_forged_survey_buttons_change_nothing(sample, conv):
    """Another's response, a score of 6, an unknown or later item, a course not taken:
    refused; typed text at a score question re-asks with the buttons."""
    clock.freeze(LAST_DAY)
    _pid, cid = await trainee(conv, 8207, "es")
    await trainee(conv, 8208, "es", status="declined")
    await invite(conv, 8207, "sv", cid)
    await press(conv, 8207, "5")
    [row] = await responses()
    mine = conv.double.last_message(8207, from_bot=True)["message_id"]
    await conv.send(8208, "hola")
    other = conv.double.last_message(8208, from_bot=True)["message_id"]
    for uid, message_id, data in (
        (8208, other, f"sv:sc:{row.id}:lectures:4"),
        (8208, other, f"sv:go:{cid}"),  # declined: not their survey
        (8207, mine, f"sv:sc:{row.id}:lectures:6"),
        (8207, mine, f"sv:sc:{row.id}:salary:3"),
        (8207, mine, f"sv:sc:{row.id}:usefulness:3"),
        (8207, mine, f"sv:sc:{row.id}:overall:1"),
        (8207, mine, f"sv:sk:{row.id}"),
        (8207, mine, "sv:go:1"),
    ):
        await conv.press_data(uid, message_id, data)
        assert conv.double.callback_answers[-1]["text"] == INVALID_ES, data
    [hint, again] = await conv.send(8207, "cinco")
    assert hint.text == "Por favor, elija uno de los botones."
    assert again.text.startswith("2/5. Conferencias")
    async with db.session_scope() as s:
        after = await s.get(SurveyResponse, row.id)
    assert (after.scores, after.step, after.comment) == ({"overall": 5}, "lectures", None)
