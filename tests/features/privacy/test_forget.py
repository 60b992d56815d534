"""/mydata and /forget end to end: the export holds everything, the erasure leaves nothing."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

from babel.dates import format_date
from sqlalchemy import select

from bot import db
from bot.core.models import AuditEntry, Person
from bot.core.outbox import OutboxMessage
from bot.features.applications.models import Application
from bot.features.followups.tracking import course_followup_stats
from bot.features.stats.service import year_stats
from tests.features.privacy.privacy_fixtures import (
    EMAIL,
    NAME,
    UID,
    build_trainee,
    dump_database,
    load_json,
    secrets_of,
)


async def _figures() -> dict:
    """Every statistic the staff see that Camila's rows feed."""
    followups = asdict(await course_followup_stats("2018-01"))
    followups.pop("volunteers")  # names by design; their count is compared instead
    volunteers = len((await course_followup_stats("2018-01")).volunteers)
    years = {y: (await year_stats(y)).as_json() for y in (2017, 2018)}
    return {"followups": followups, "volunteers": volunteers, "years": years}


async def _forget_button(conv, uid: int):
    [event] = await conv.send(uid, "/forget")
    return event, event.buttons[0][0]["data"]


async def test_mydata_exports_everything_in_the_readers_language(sample, conv):
    """The JSON file holds name, e-mail, phone and Telegram id; the summary is in Spanish."""
    built = await build_trainee(conv)
    events = await conv.send(UID, "/mydata")
    [doc] = [e for e in events if e.files]
    data = load_json(doc.files[0])
    text = str(data)
    for secret in (NAME, EMAIL, built.phone_stored, str(UID)):
        assert secret in text
    assert data["applications"][0]["answers"]["motivation"].startswith("Quiero que Camila")
    assert data["postcards"][0]["support"] == "Llamar a Camila"
    assert data["questions_to_staff"][0]["answer"] == "Sí, Camila, con gusto."
    summary = events[-1].text
    assert f"• Nombre: {NAME}" in summary
    first = format_date(date(2018, 1, 5), "long", locale="es")  # T0, 10:00 in Seoul
    assert f"• Primer mensaje al bot: {first}" in summary
    assert "• Solicitudes:" in summary
    assert "aceptada" in summary
    assert "5 años" in summary


async def test_forget_erases_every_trace_and_keeps_the_statistics(sample, conv):
    """After /forget no table holds her name, e-mail, phone or Telegram id; figures unchanged."""
    built = await build_trainee(conv)
    before_dump = await dump_database()
    for secret in secrets_of(built):
        assert secret in before_dump, secret  # the scan below can find each of them
    before = await _figures()

    event, data = await _forget_button(conv, UID)
    assert event.text.startswith("¿Eliminar sus datos personales?")
    events = await conv.press_data(UID, event.message_id, data)
    assert events[-1].text.startswith("Sus datos personales han sido eliminados.")
    assert events[-1].chat_id == UID

    dump = await dump_database()
    for secret in secrets_of(built):
        assert secret not in dump, secret
    # Free texts go too: motivation, organisation, position, postcard, question, survey.
    for text in (
        "semáforos inteligentes",
        "Secretaría",
        "Directora",
        "vio el sistema",
        "hija",
        "útil",
    ):
        assert text in before_dump and text not in dump, text
    assert await _figures() == before

    async with db.session_scope() as s:
        person = await s.get(Person, built.person_id)
        app = await s.get(Application, built.app_id)
        outbox = list(await s.scalars(select(OutboxMessage)))
        erasures = list(
            await s.scalars(select(AuditEntry).where(AuditEntry.action == "privacy.erase"))
        )
    assert person.erased_at is not None and person.telegram_id < 0
    assert app.status == "accepted" and app.answers["country"] == "AR"
    assert "motivation" not in app.answers
    assert not [o for o in outbox if o.state == "pending" and o.person_id == person.id]
    [entry] = erasures
    assert (entry.actor_id, entry.target_id, entry.details) == (
        person.id,
        str(person.id),
        {"reason": "own_request"},
    )

    # The same Telegram account starts afresh: a new person, no applications.
    await conv.send(UID, "/status")
    async with db.session_scope() as s:
        fresh = await s.scalar(select(Person).where(Person.telegram_id == UID))
        apps = list(await s.scalars(select(Application).where(Application.person_id == fresh.id)))
    assert fresh.id != person.id and apps == []


async def test_forged_and_replayed_confirmations_erase_nothing(sample, conv):
    """Altered data, another person's press and a second press after erasure are refused."""
    built = await build_trainee(conv)
    event, data = await _forget_button(conv, UID)
    alert = "Este botón ya no es válido."

    tampered = data[:-1] + ("0" if data[-1] != "0" else "1")
    await conv.press_data(UID, event.message_id, tampered)
    assert conv.double.callback_answers[-1]["text"] == alert
    other_event, _ = await _forget_button(conv, 7002)
    await conv.press_data(7002, other_event.message_id, data)  # Camila's data, someone else
    assert conv.double.callback_answers[-1]["text"] == "This button is no longer valid."
    retargeted = data.replace(f"fg:{built.person_id}:", f"fg:{built.person_id + 1}:")
    await conv.press_data(UID, event.message_id, retargeted)
    assert conv.double.callback_answers[-1]["text"] == alert
    async with db.session_scope() as s:
        assert (await s.get(Person, built.person_id)).erased_at is None

    await conv.press_data(UID, event.message_id, data)
    await conv.press_data(UID, event.message_id, data)  # replayed after the erasure
    assert conv.double.callback_answers[-1]["text"] == alert
    async with db.session_scope() as s:
        count = len(
            list(await s.scalars(select(AuditEntry).where(AuditEntry.action == "privacy.erase")))
        )
    assert count == 1


async def test_cancel_keeps_everything(sample, conv):
    """Cancel says nothing was deleted and deletes nothing."""
    built = await build_trainee(conv)
    await conv.send(UID, "/forget")
    events = await conv.press(UID, "pv:no")
    assert events[-1].text == "Cancelado: no se eliminó nada."
    async with db.session_scope() as s:
        person = await s.get(Person, built.person_id)
    assert person.erased_at is None and person.email == EMAIL
