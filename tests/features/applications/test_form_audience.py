"""Before submitting, an applicant outside a course's audience is told whom it is for."""

from __future__ import annotations

from bot import clock
from tests.features.applications.test_form import ANSWERS, T0, fill, start_form

BOGOTA = [
    ("text", "Andrés Felipe Rojas"),
    ("text", "Colombia"),
    ("text", "Bogotá D.C."),
    *ANSWERS[3:6],
    ("text", "andres.rojas@movilidadbogota.gov.co"),
    ("text", "+57 311 234 5678"),
    *ANSWERS[8:],
]


async def test_a_course_reserved_for_another_country_is_flagged(sample, conv):
    """A Bogotá official applying to the course for Argentine cities reads the warning first;
    a Buenos Aires official does not."""
    await start_form(conv, 7311)
    summary = (await fill(conv, 7311, BOGOTA))[-1]
    assert summary.text.startswith("⚠️ Este curso está pensado para: Funcionarios de ciudades")
    assert "Por favor, revise su solicitud" in summary.text
    await start_form(conv, 7312)
    summary = (await fill(conv, 7312, ANSWERS))[-1]
    assert summary.text.startswith("Por favor, revise su solicitud")


async def test_a_members_course_asks_to_check_membership(sample, conv):
    """The WeGO course: the applicant is asked to apply if their city is a member."""
    clock.freeze(T0)
    await conv.send(7313, "/apply", lang="es")
    await conv.press(7313, "ap:new:2018-03")
    summary = (await fill(conv, 7313, BOGOTA))[-1]
    assert summary.text.startswith("ℹ️ Este curso está pensado para:")
    assert "WeGO" in summary.text.split("\n")[0]


async def test_the_form_says_whom_a_reserved_course_is_for_before_the_first_question(sample, conv):
    """Said at the start, not only after eleven answers; nothing for a course open to all."""
    events = await start_form(conv, 7314)
    assert "ℹ️ Este curso está pensado para: Funcionarios de ciudades argentinas" in events[0].text
    clock.freeze(T0)
    await conv.send(7315, "/apply", lang="es")
    events = await conv.press(7315, "ap:new:2018-05")
    assert "pensado para" not in events[0].text
