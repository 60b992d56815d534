"""The application form as a declaration for the form engine: reading, storing, moving on.

The engine (bot.core.forms) runs the transactions and checks ownership; what a question
leaves pending (an e-mail address to confirm, a town that was not found) is kept in the
draft's answers, so a later process can go on.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement

from bot.core.forms import engine
from bot.core.forms.spec import BUTTONS, PASS, TAKE, Form, Reading, Turn
from bot.core.forms.steps import SUMMARY, Step
from bot.features.applications import form
from bot.features.applications.cities import chosen_city, look_up
from bot.features.applications.models import Application
from bot.features.applications.validators import city_spellings
from bot.features.applications.views import view
from bot.features.places import Index
from bot.features.schedule.api import CourseView, load_catalogue


@dataclass(frozen=True)
class Env:
    """What reading an answer needs from the update."""

    locale: str = "en"
    places: Index | None = None  # the GeoNames index a typed or pressed city is looked up in


class ApplicationForm(Form):
    """A draft application: one question per field of form.FIELDS, then the summary."""

    model = Application
    first = form.FIELDS[0].key

    def open(self) -> ColumnElement[bool]:
        return Application.status == "draft"

    def is_open(self, row: Application) -> bool:
        return row.status == "draft"

    async def load(self, session, row: Application, env) -> CourseView:
        # The process's catalogue copy: no query per answer for what a course is.
        course = (await load_catalogue()).by_id(row.course_id)
        assert course is not None  # applications keep their course (foreign key)
        return course

    def view(self, row: Application, ctx: CourseView):
        return view(row, ctx)

    def text_mode(self, step: Step) -> str:
        if step.at_summary or step.key not in form.BY_KEY:
            return PASS
        return TAKE if form.BY_KEY[step.key].typed else BUTTONS

    async def read_text(self, turn: Turn, text: str) -> Reading:
        key, answers, env = turn.step.key, dict(turn.row.answers or {}), turn.env or Env()
        country = answers.get("country")
        cities, place = [], None
        if key == "city":
            cities = city_spellings((await load_catalogue()).cities.values())
            if env.places is not None:
                # A lookup is one indexed query; the first ever builds the index (seconds).
                place = await look_up(text, env.places, country)
        parsed = form.read_typed(key, text, env.locale, country, cities, place, answers)
        offer = (parsed.choices, parsed.labels)
        if parsed.values:
            return Reading(parsed.values, parsed.problem, offer)
        return Reading(None, parsed.problem, offer, parsed.pending)

    async def read_press(self, turn: Turn, value: str | None) -> dict | None:
        key, answers, env = turn.step.key, turn.row.answers or {}, turn.env or Env()
        if value is None:
            return None
        if key == "city":
            city = await chosen_city(value, env.places)
            return form.home_town(city, answers.get("city_unfound")) if city else None
        if key == "email":
            return form.email_choice(value, answers)
        return form.read_choice(key, value)

    def store(self, turn: Turn, values: dict) -> None:
        key, app = turn.step.key, turn.row
        answers = {k: v for k, v in (app.answers or {}).items() if k not in form.replaced(key)}
        answers.update(values)
        if not form.applies("name_latin", answers):
            answers.pop("name_latin", None)  # the name is in Latin letters now
        # A new dict, so SQLAlchemy sees the JSON column change.
        app.answers = answers

    def hold(self, turn: Turn, reading: Reading) -> None:
        turn.row.answers = {**(turn.row.answers or {}), **reading.pending}

    def next_step(self, turn: Turn, values: dict) -> Step:
        key, answers = turn.step.key, turn.row.answers
        if values.get("consent") is False:
            # Refusal: keep the draft at the consent question, not waiting for text.
            return Step("consent", paused=True)
        if not turn.step.editing:
            return Step(form.next_step(key, answers))
        if key == "full_name" and form.applies("name_latin", answers):
            # A name changed to another script needs its passport spelling again.
            return Step("name_latin", editing=True)
        return Step(SUMMARY)

    def edit_step(self, row: Application, key: str) -> Step | None:
        if key not in form.EDITABLE or not form.applies(key, row.answers or {}):
            return None
        return Step(key)


FORM = engine.declare(ApplicationForm())
