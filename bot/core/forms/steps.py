"""Where a form stands: the step string kept in its row's `step` column.

    <key>             the question awaiting an answer ("city", "rating", "summary")
    <key><sep><n>     one of a repeated question: "action:2" (sep ":") or "st0" (sep "")
    edit:<…>          re-asked from the summary, so the answer goes back to it
    paused:<…>        not waiting for text (after /cancel, or while another form is answered)

None means the row is not being filled in (submitted, saved, completed). Rows written before
the engine use exactly these strings, so they resume unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from sqlalchemy import ColumnElement

PAUSED = "paused:"
EDIT = "edit:"
SUMMARY = "summary"

_BODY = re.compile(r"^(?P<key>[a-z_]*[a-z_])(?P<sep>:?)(?P<n>\d+)$")


@dataclass(frozen=True)
class Step:
    """A decoded step: the question's key, its number for a repeated one, and the modes."""

    key: str
    n: int | None = None
    editing: bool = False
    paused: bool = False
    sep: str = ":"  # between key and number; "" for the evaluation's "st0"

    @property
    def body(self) -> str:
        """The step without its modes: "city", "action:2", "st0"."""
        return self.key if self.n is None else f"{self.key}{self.sep}{self.n}"

    @property
    def at_summary(self) -> bool:
        """True at the summary, where text is not an answer."""
        return self.key == SUMMARY

    def __str__(self) -> str:
        return (PAUSED if self.paused else "") + (EDIT if self.editing else "") + self.body

    def same_question(self, other: Step) -> bool:
        """True when both ask the same question, whatever their modes."""
        return (self.key, self.n) == (other.key, other.n)

    def edit(self) -> Step:
        """The same question, asked from the summary."""
        return replace(self, editing=True, paused=False)


def parse(raw: str | None) -> Step | None:
    """Decode a stored step; None for a row not being filled in."""
    if not raw:
        return None
    paused = raw.startswith(PAUSED)
    body = raw.removeprefix(PAUSED)
    editing = body.startswith(EDIT)
    body = body.removeprefix(EDIT)
    match = _BODY.match(body)
    if match is None:
        return Step(body, editing=editing, paused=paused)
    return Step(match["key"], int(match["n"]), editing, paused, match["sep"])


def paused(raw: str) -> str:
    """The step with the pause mark (once)."""
    return raw if raw.startswith(PAUSED) else PAUSED + raw


def resumed(raw: str) -> str:
    """The step waiting for an answer again."""
    return raw.removeprefix(PAUSED)


def waiting(column) -> ColumnElement[bool]:
    """SQL: the step column says the row waits for an answer now (set and not paused)."""
    return column.is_not(None) & column.not_like(PAUSED + "%")
