"""A form's declaration: its rows, its first question, and the hooks where it differs.

A feature subclasses `Form` and overrides only what its questions need; the engine
(engine.py) runs every transaction: finding the row waiting for text, checking that a press
is for the presser's own current question, storing, moving on, pausing the others.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from sqlalchemy import ColumnElement, true
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.forms.steps import SUMMARY, Step
from bot.core.forms.validate import Problem

TAKE = "take"  # typed text answers the question
BUTTONS = "buttons"  # only buttons answer it: text is refused with a reason, the question re-asked
PASS = "pass"  # text is not for this form here (the summary): the next consumer gets it


@dataclass
class Turn:
    """One answer being handled: the row, what the form loaded with it, the decoded step and
    the caller's environment (today, the places index, the locale…)."""

    row: Any
    ctx: Any
    step: Step
    env: Any = None


@dataclass(frozen=True)
class Reading:
    """What a typed answer gives: `values` to store, or a `problem`; `offer` is something to
    choose from instead (candidate cities), handed back to the asker with the view."""

    values: dict | None = None
    problem: Problem | None = None
    offer: Any = None
    pending: dict = field(default_factory=dict)  # kept while the same question stays open


@dataclass(frozen=True)
class Answer:
    """A form after typed text: its view, and why the text was not taken; `again` is False
    when the question is not to be re-asked (the form closed meanwhile)."""

    view: Any
    problem: Problem | None = None
    offer: Any = None
    again: bool = True


class Form:
    """The declaration of a one-question-at-a-time form kept in rows of `model`.

    `model` has `id`, `person_id` and `step` (see steps.py). Forms of one `group` pause each
    other: only one may wait for typed text, else an answer could land in the wrong one.
    """

    model: ClassVar[type]
    first: ClassVar[str]  # the step of the first question
    group: ClassVar[str] = ""  # "" stands for the form alone
    ref: ClassVar[str] = "id"  # the row attribute /cancel reports (a course, for ▶️ Continue)
    presses_while_paused: ClassVar[bool] = True  # may a paused form's button still answer?

    def open(self) -> ColumnElement[bool]:
        """SQL: rows still being filled in (a draft, not completed)."""
        return true()

    def is_open(self, row: Any) -> bool:
        """The row is still being filled in."""
        return True

    async def load(self, session: AsyncSession, row: Any, env: Any) -> Any:
        """What views and readers need besides the row (its course, a postcard)."""
        return None

    def closed(self, turn: Turn) -> bool:
        """True when the form can no longer be answered (its deadline passed)."""
        return False

    def view(self, row: Any, ctx: Any) -> Any:
        """The frozen view handlers render."""
        raise NotImplementedError

    def text_mode(self, step: Step) -> str:
        """What typed text does at a step: TAKE, BUTTONS or PASS."""
        return PASS if step.at_summary else TAKE

    async def read_text(self, turn: Turn, text: str) -> Reading:
        """Check a typed answer: values to store, or a problem."""
        raise NotImplementedError

    async def read_press(self, turn: Turn, value: str | None) -> dict | None:
        """Values for a pressed choice (None for a Skip); None when it is not a valid one."""
        return None

    def store(self, turn: Turn, values: dict) -> None:
        """Keep an accepted answer in the row."""
        raise NotImplementedError

    def hold(self, turn: Turn, reading: Reading) -> None:
        """Keep what an open question waits on (`reading.pending`); the step stays."""

    def after(self, turn: Turn, values: dict) -> Step | None:
        """The next question in order; None when the form is complete."""
        return Step(SUMMARY)

    def next_step(self, turn: Turn, values: dict) -> Step | None:
        """Where an answer leads: back to the summary after an edit, else onwards."""
        return Step(SUMMARY) if turn.step.editing else self.after(turn, values)

    def finish(self, turn: Turn) -> None:
        """The last answer was given (the step is already cleared)."""

    def edit_step(self, row: Any, key: str) -> Step | None:
        """The question the summary's edit button `key` re-asks; None when not valid now."""
        return None
