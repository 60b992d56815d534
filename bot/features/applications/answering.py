"""Answering the application form: typed answers, pressed choices and edits from the summary.

Like service.py, every function owns its transaction, checks that the draft belongs to the
person and returns views. What a question leaves pending (an e-mail address to confirm, a
town that was not found) is kept in the draft's answers, so a later process can go on.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.db import session_scope
from bot.features.applications import form
from bot.features.applications.cities import chosen_city, look_up
from bot.features.applications.models import Application
from bot.features.applications.service import (
    EDIT,
    PAUSED,
    AppView,
    active,
    owned,
    pause_others,
    view,
)
from bot.features.applications.validators import Problem, city_spellings
from bot.features.places import Index
from bot.features.schedule.service import load_catalogue


@dataclass(frozen=True)
class Answered:
    """The draft after an answer; `problem` or `choices` when the answer was not taken."""

    app: AppView
    problem: Problem | None = None
    choices: tuple[str, ...] = ()
    labels: dict = field(default_factory=dict)  # button text of each choice, where not fixed


def _store(app: Application, key: str, values: dict) -> None:
    answers = {k: v for k, v in (app.answers or {}).items() if k not in form.replaced(key)}
    answers.update(values)
    latin = form.applies("name_latin", answers)
    if not latin:
        answers.pop("name_latin", None)  # the name is in Latin letters now
    # A new dict, so SQLAlchemy sees the JSON column change.
    app.answers = answers
    if not (app.step or "").startswith(EDIT):
        app.step = form.next_step(key, answers)
    elif key == "full_name" and latin:
        # A name changed to another script needs its passport spelling again.
        app.step = EDIT + "name_latin"
    else:
        app.step = form.SUMMARY


def _hold(app: Application, pending: dict) -> None:
    """Keep what the open question waits on; the step stays where it is."""
    app.answers = {**(app.answers or {}), **pending}


async def answer_text(
    person_id: int, text: str, locale: str, places: Index | None = None
) -> Answered | None:
    """A typed answer to the active draft's field; None when no draft is waiting for one.

    `places` is the GeoNames index a typed city is looked up in."""
    current = await active(person_id)
    if current is None or current.field is None:
        return None
    key = current.field
    async with session_scope() as session:
        found = await owned(session, person_id, current.id)
        assert found is not None
        app, course = found
        answers = dict(app.answers or {})
        country = answers.get("country")
        cities, place = [], None
        if key == "city":
            cities = city_spellings((await load_catalogue()).cities.values())
            if places is not None:
                # A lookup is one indexed query; the first ever builds the index (seconds).
                place = await look_up(text, places, country)
        parsed = form.read_typed(key, text, locale, country, cities, place, answers)
        if parsed.values:
            _store(app, key, parsed.values)
        elif parsed.pending:
            _hold(app, parsed.pending)
        await session.flush()
        return Answered(view(app, course), parsed.problem, parsed.choices, parsed.labels)


async def answer_choice(
    person_id: int, app_id: int, key: str, value: str, places: Index | None = None
) -> Answered | None:
    """A pressed choice; None when the button is not for this person's current question."""
    city = await chosen_city(value, places) if key == "city" else None
    async with session_scope() as session:
        found = await owned(session, person_id, app_id)
        if found is None or found[0].status != "draft":
            return None
        app, course = found
        answers = app.answers or {}
        if key == "city":
            values = form.home_town(city, answers.get("city_unfound")) if city else None
        elif key == "email":
            values = form.email_choice(value, answers)
        else:
            values = form.read_choice(key, value)
        step = (app.step or "").removeprefix(PAUSED)
        if values is None or step.removeprefix(EDIT) != key:
            return None  # an old question's button
        _store(app, key, values)
        if values.get("consent") is False:
            # Refusal: keep the draft at the consent question, not waiting for text.
            app.step = PAUSED + "consent"
        await pause_others(session, person_id, app.id)
        await session.flush()
        return Answered(view(app, course))


async def start_edit(person_id: int, app_id: int, key: str) -> AppView | None:
    """Re-ask one field from the summary; None for a field or application that is not valid."""
    if key not in form.EDITABLE:
        return None
    async with session_scope() as session:
        found = await owned(session, person_id, app_id)
        if found is None or found[0].status != "draft":
            return None
        app, course = found
        if not form.applies(key, app.answers or {}):
            return None
        app.step = EDIT + key
        await pause_others(session, person_id, app.id)
        await session.flush()
        return view(app, course)
