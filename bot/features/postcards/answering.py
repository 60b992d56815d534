"""The postcard form as a declaration for the form engine: reading, storing, moving on.

Steps (bot/core/forms/steps.py): "inspired_by", "action:<n>" (the text of action n),
"target:<n>" (its month), "more" (add another or stop), "obstacles", "support", "summary".
The engine checks ownership; `closed` refuses every answer once the card's window is over.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.core.forms import engine
from bot.core.forms.spec import PASS, TAKE, Form, Reading, Turn
from bot.core.forms.steps import SUMMARY, Step
from bot.core.forms.validate import Problem
from bot.features.postcards import form
from bot.features.postcards.models import Postcard
from bot.features.postcards.views import CardView, card_view, window
from bot.features.schedule.models import Course


@dataclass(frozen=True)
class Env:
    """What answering needs from the update: the local date (the window, the months) and
    the language the card is being written in."""

    today: date
    locale: str = "en"


def _set_action(card: Postcard, n: int, **values) -> None:
    actions = [dict(a) for a in card.actions or []]
    if n > len(actions):
        actions.append({"text": "", "target": None})
    actions[n - 1].update(values)
    card.actions = actions  # a new list, so SQLAlchemy sees the JSON column change


class PostcardForm(Form):
    """A person's postcard for one course; its buttons answer only while it is not paused."""

    model = Postcard
    first = form.FIRST
    presses_while_paused = False

    async def load(self, session, row: Postcard, env: Env) -> Course:
        return await session.get(Course, row.course_id)

    def closed(self, turn: Turn) -> bool:
        course = turn.ctx
        return window(course.starts, course.ends, turn.env.today) != "open"

    def view(self, row: Postcard, ctx: Course) -> CardView:
        return card_view(row, ctx)

    def text_mode(self, step: Step) -> str:
        return PASS if step.key in ("more", SUMMARY) else TAKE

    async def read_text(self, turn: Turn, text: str) -> Reading:
        key, env = turn.step.key, turn.env
        if key == "target":
            month = form.read_month(text, env.today)
            if month is None:
                return Reading(problem=Problem("month"))
            return Reading({"target": month, "locale": env.locale})
        value, problem = form.check_text(key, text)
        if problem:
            return Reading(problem=problem)
        return Reading({"text": value, "locale": env.locale})

    async def read_press(self, turn: Turn, value: str | None) -> dict | None:
        key = turn.step.key
        if key == "target" and value is not None:
            month = form.read_month(value, turn.env.today)
            return {"target": month} if month else None
        if key == "more" and value in ("add", "done"):
            return {"add": value == "add"}
        if key == "support" and value is None:
            return {"text": None}  # Skip
        return None

    def store(self, turn: Turn, values: dict) -> None:
        card, at = turn.row, turn.step
        if at.key == "target":
            _set_action(card, at.n, target=values["target"])
        elif at.key == "action":
            _set_action(card, at.n, text=values["text"])
        elif at.key in form.TEXT_FIELDS:
            setattr(card, at.key, values["text"])
        if "locale" in values:
            card.locale = values["locale"]

    def next_step(self, turn: Turn, values: dict) -> Step:
        at, count = turn.step, len(turn.row.actions or [])
        if at.key == "more":
            room = values["add"] and count < form.MAX_ACTIONS
            return Step("action", count + 1) if room else Step("obstacles")
        if at.key == "action":
            return Step("target", at.n, editing=at.editing)
        if at.editing:
            return Step(SUMMARY)
        if at.key == "inspired_by":
            return Step("action", 1)
        if at.key == "target":
            return Step("more") if at.n < form.MAX_ACTIONS else Step("obstacles")
        return Step("support") if at.key == "obstacles" else Step(SUMMARY)

    def edit_step(self, row: Postcard, key: str) -> Step | None:
        count = len(row.actions or [])
        if key not in form.EDIT_KEYS:
            return None
        if key == "add":
            return Step("action", count + 1) if count < form.MAX_ACTIONS else None
        if key.startswith("a"):
            return Step("action", int(key[1:])) if int(key[1:]) <= count else None
        return Step(key)


def missing(card: Postcard) -> str | None:
    """The first step still unanswered (asked as an edit), or None when the card is complete."""
    if not card.inspired_by:
        return form.FIRST
    actions = card.actions or []
    if not actions:
        return str(Step("action", 1, editing=True))
    for i, action in enumerate(actions, 1):
        if not action.get("text"):
            return str(Step("action", i, editing=True))
        if not action.get("target"):
            return str(Step("target", i, editing=True))
    return None if card.obstacles else str(Step("obstacles", editing=True))


FORM = engine.declare(PostcardForm())
