"""The trainee's application form, end to end through the Bot API double."""

from __future__ import annotations

from datetime import UTC, datetime

from babel import Locale
from babel.numbers import format_decimal
from sqlalchemy import select

from bot import clock, db
from bot.core.models import AuditEntry, Person
from bot.dev.harness import conversation
from bot.features.applications.models import Application

T0 = datetime(2018, 1, 5, 1, 0, tzinfo=UTC)
INVALID = "Este botón ya no es válido."
COURSE_ES = "Ciudad inteligente (Universidad de Seúl, para Argentina)"


async def _apps(*where):
    async with db.session_scope() as s:
        return list(await s.scalars(select(Application).where(*where).order_by(Application.id)))


async def start_form(conv, uid, lang="es"):
    """/apply, choose the Argentina course; returns the first question's events."""
    clock.freeze(T0)
    await conv.send(uid, "/apply", lang=lang)
    return await conv.press(uid, "ap:new:2018-01")


ANSWERS = [
    ("text", "María José Rodríguez Peña"),
    ("text", "Argentina"),
    ("text", "Buenos Aires"),
    ("text", "Gobierno de la Ciudad de Buenos Aires"),
    ("text", "Directora de Movilidad"),
    ("press", "Directivo o funcionario de alto nivel"),
    ("text", "maria.rodriguez@buenosaires.gob.ar"),
    ("text", "+54 11 4323 9400"),
    ("press", "Español"),
    ("text", "Quiero aprender de los semáforos inteligentes de Seúl."),
    ("press", "Acepto"),
]


async def fill(conv, uid, answers=ANSWERS):
    """Answer every question in order; returns the last reply's events."""
    events = []
    for kind, value in answers:
        events = await (conv.send(uid, value) if kind == "text" else conv.press(uid, value))
    return events


async def test_full_spanish_application_with_error_edit_and_double_submit(sample, conv):
    """Bad e-mail refused, position edited at the summary, two Submit taps file one."""
    events = await start_form(conv, 7301)
    assert events[0].text.startswith(f"Solicitud para «{COURSE_ES}»")
    assert events[-1].text.startswith("1/11. ¿Cuál es su nombre completo")
    await fill(conv, 7301, ANSWERS[:6])
    [error, again] = await conv.send(7301, "maria@buenos")
    assert error.text == (
        "Esto no parece una dirección de correo electrónico válida, por ejemplo: nombre@ciudad.gov"
    )
    assert again.text == "7/11. Su correo electrónico:"
    summary = (await fill(conv, 7301, ANSWERS[6:]))[-1]
    assert summary.text.startswith(f"Por favor, revise su solicitud para «{COURSE_ES}»:")
    assert "• Cargo: Directora de Movilidad" in summary.text
    assert "• Teléfono: +541143239400" in summary.text
    question = (await conv.press(7301, "✏️ Cargo"))[-1]
    assert question.text == "5/11. ¿Cuál es su cargo?"
    [summary] = await conv.send(7301, "Subsecretaria de Ciudad Inteligente")
    assert "• Cargo: Subsecretaria de Ciudad Inteligente" in summary.text
    assert f"• País: {Locale.parse('es').territories['AR']}" in summary.text

    events = await conv.press(7301, "✅ Enviar")
    assert events[-1].text.startswith(f"¡Gracias! Su solicitud para «{COURSE_ES}» fue enviada.")
    await conv.press_data(7301, summary.message_id, "ap:sub:1")
    assert conv.double.callback_answers[-1]["text"] == "Esta solicitud ya fue enviada."

    [app] = await _apps()
    assert (app.status, app.submitted_at, app.step) == ("submitted", T0, None)
    assert app.answers == {
        "full_name": "María José Rodríguez Peña",
        "country": "AR",
        "city": "Buenos Aires",
        "city_key": app.answers["city_key"],
        "organisation": "Gobierno de la Ciudad de Buenos Aires",
        "position": "Subsecretaria de Ciudad Inteligente",
        "seniority": "senior",
        "email": "maria.rodriguez@buenosaires.gob.ar",
        "phone": "+541143239400",
        "language": "es",
        "motivation": "Quiero aprender de los semáforos inteligentes de Seúl.",
        "consent": True,
        # Where Buenos Aires is (GeoNames), for follow-ups at 10:00 there.
        "geonameid": 3435910,
        "city_name": "Buenos Aires",
        "city_country": "AR",
        "city_zone": "America/Argentina/Buenos_Aires",
    }
    async with db.session_scope() as s:
        person = await s.scalar(select(Person).where(Person.telegram_id == 7301))
        audit = list(await s.scalars(select(AuditEntry)))
    assert (person.full_name, person.country, person.email) == (
        "María José Rodríguez Peña",
        "AR",
        "maria.rodriguez@buenosaires.gob.ar",
    )
    assert person.consent_at == T0
    assert [a.action for a in audit] == ["application.submit"]


async def test_cancel_and_restart_resume_at_the_saved_step(sample, conv, settings):
    """/cancel keeps the draft; text then goes elsewhere; /apply in a new process resumes."""
    await start_form(conv, 7302)
    await fill(conv, 7302, ANSWERS[:3])
    [stopped] = await conv.send(7302, "/cancel")
    assert stopped.text.startswith("Listo, se detuvo. Sus respuestas quedaron guardadas")
    await conv.send(7302, "¿Quién paga el vuelo?")
    [app] = await _apps()
    assert app.step == "paused:organisation" and "organisation" not in app.answers
    async with conversation(settings, double=conv.double) as again:
        events = await again.send(7302, "/apply")
        assert events[0].text.startswith("Continuemos con su solicitud")
        assert events[-1].text.startswith("4/11. ¿En qué entidad trabaja")
        await again.send(7302, "Alcaldía")
    [app] = await _apps()
    assert app.answers["organisation"] == "Alcaldía" and app.step == "position"
    assert app.answers["full_name"] == "María José Rodríguez Peña"


async def test_scripts_emoji_and_sql_stored_exactly(sample, conv):
    """Chinese, Cyrillic, emoji and SQL-looking text are stored verbatim."""
    await start_form(conv, 7303, lang="ru")
    names = "Айгуль Асанова 王小明 🌸"
    sql = "Robert'); DROP TABLE applications;--"
    await conv.send(7303, names)
    await conv.send(7303, "Aigul Asanova")
    await conv.send(7303, "Кыргызстан")
    await conv.send(7303, "Бишкек")
    await conv.send(7303, sql)
    [app] = await _apps()
    assert app.answers["full_name"] == names
    assert app.answers["country"] == "KG"
    assert app.answers["city"] == "Бишкек"
    assert app.answers["organisation"] == sql


async def test_too_long_motivation_refused_and_nothing_lost(sample, conv):
    """5 000 characters: refused stating the limit and the length; earlier answers kept."""
    await start_form(conv, 7304)
    await fill(conv, 7304, ANSWERS[:9])
    [error, again] = await conv.send(7304, "x" * 5000)
    limit, length = (format_decimal(n, locale="es") for n in (1000, 5000))
    assert error.text.startswith(
        f"Esta respuesta es demasiado larga: el límite es de {limit} caracteres y la suya tiene "
        f"{length}."
    )
    assert again.text.startswith("10/11. ¿Por qué desea participar")
    [app] = await _apps()
    assert app.step == "motivation" and "motivation" not in app.answers
    assert app.answers["email"] == "maria.rodriguez@buenosaires.gob.ar"
    await conv.send(7304, "/apply")  # resumes, does not start over
    [app] = await _apps()
    assert app.answers["full_name"] == "María José Rodríguez Peña"


async def test_long_short_field_and_text_instead_of_button(sample, conv):
    """A 201-character name is refused; text at a button question re-asks with buttons."""
    await start_form(conv, 7305, lang="en")
    [error, _q] = await conv.send(7305, "N" * 201)
    assert error.text.startswith("This answer is too long: the limit is 200 characters")
    await fill(conv, 7305, [("text", "Ana Gómez"), ("text", "Colmbia"), ("text", "Bogotá")])
    await fill(conv, 7305, [("text", "Alcaldía"), ("text", "Asesora")])
    [hint, again] = await conv.send(7305, "senior")
    assert hint.text == "Please choose one of the buttons."
    assert [b["text"] for row in again.buttons for b in row] == [
        "Senior / managerial official",
        "Working-level official",
    ]
    [app] = await _apps()
    assert app.answers["country"] == "CO" and app.step == "seniority"


async def test_forged_buttons_change_nothing(sample, conv):
    """Another person's application id, an unknown course or field: refused, nothing changes."""
    await start_form(conv, 7306)
    await conv.send(7306, "Ana")
    [app] = await _apps()
    await conv.send(7307, "/status", lang="es")
    mine = conv.double.last_message(7307, from_bot=True)["message_id"]
    for data in (
        f"ap:edit:{app.id}:full_name",
        f"ap:sub:{app.id}",
        f"ap:ch:{app.id}:seniority:senior",
        f"ap:wd:{app.id}",
    ):
        await conv.press_data(7307, mine, data)
        assert conv.double.callback_answers[-1]["text"] == INVALID
    own = conv.double.last_message(7306, from_bot=True)["message_id"]
    await conv.press_data(7306, own, f"ap:edit:{app.id}:salary")
    assert conv.double.callback_answers[-1]["text"] == INVALID
    events = await conv.press_data(7306, own, "ap:new:2099-99")
    assert events[-1].text.startswith("No encontré ese curso.")
    [after] = await _apps()
    assert (after.step, after.answers, after.status) == ("country", app.answers, "draft")
