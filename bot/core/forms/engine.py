"""The form engine's transactions: typed answers, pressed answers, edits, pause and resume.

Every function owns its transaction, checks that the row is the person's and still open (so
forged, replayed or old button data changes nothing) and returns the form's frozen view,
never a row. The state is only the row's `step`, so a restart or another process goes on
where the person stopped.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.forms import steps
from bot.core.forms.spec import BUTTONS, PASS, Answer, Form, Turn
from bot.core.forms.steps import Step
from bot.core.forms.validate import Problem
from bot.db import session_scope

# Forms by group, so one form can pause the others of its group without importing them.
_GROUPS: dict[str, dict[type, Form]] = {}
_ALL: dict[type, Form] = {}


def declare(form: Form) -> Form:
    """Make a form known to its group; returns it, for `FORM = declare(MyForm())`."""
    if form.group:
        _GROUPS.setdefault(form.group, {})[type(form)] = form
    _ALL[type(form)] = form
    return form


def _family(form: Form) -> list[Form]:
    return list(_GROUPS.get(form.group, {}).values()) if form.group else [form]


def waiting(form: Form, person_id: int) -> ColumnElement[bool]:
    """SQL EXISTS: a row of the person waits for an answer (the text router's predicate)."""
    m = form.model
    return exists().where(m.person_id == person_id, form.open(), steps.waiting(m.step))


def _waiting_rows(form: Form, person_id: int):
    m = form.model
    return select(m).where(m.person_id == person_id, form.open(), steps.waiting(m.step))


async def pause_others(session: AsyncSession, form: Form, person_id: int, keep: Any) -> None:
    """Pause every row of the form's group that waits for an answer, except `keep`."""
    for member in _family(form):
        for row in await session.scalars(_waiting_rows(member, person_id)):
            if row is not keep:
                row.step = steps.paused(row.step)


async def pause_all(session: AsyncSession, person_id: int) -> None:
    """Pause every form waiting for the person's text: something else asked for the next
    message (a question for a person, /contact)."""
    for form in _ALL.values():
        for row in await session.scalars(_waiting_rows(form, person_id)):
            row.step = steps.paused(row.step)


async def take_up(session: AsyncSession, form: Form, row: Any, step: str | None = None) -> None:
    """Make `row` the one being filled in: at `step`, or where it stopped (else the first)."""
    row.step = step or steps.resumed(row.step or form.first)
    await pause_others(session, form, row.person_id, row)


def advance(form: Form, turn: Turn, values: dict) -> None:
    """Store an accepted answer and move to the next question (clearing the step at the end)."""
    form.store(turn, values)
    after = form.next_step(turn, values)
    turn.row.step = None if after is None else str(after)
    if after is None:
        form.finish(turn)


async def owned(
    session: AsyncSession, form: Form, person_id: int, row_id: int, env: Any = None
) -> Turn | None:
    """The person's open row `row_id` as a turn at its step; None if not theirs, not open or
    closed."""
    row = await session.get(form.model, row_id)
    if row is None or row.person_id != person_id or not form.is_open(row):
        return None
    turn = Turn(row, await form.load(session, row, env), steps.parse(row.step) or Step(""), env)
    return None if form.closed(turn) else turn


async def answer_text(form: Form, person_id: int, text: str, env: Any = None) -> Answer | None:
    """Typed text for the person's form waiting for it; None when none waits for text here."""
    async with session_scope() as session:
        query = _waiting_rows(form, person_id).order_by(form.model.id.desc()).limit(1)
        row = await session.scalar(query)
        at = steps.parse(row.step) if row is not None else None
        if at is None or form.text_mode(at) == PASS:
            return None
        turn = Turn(row, await form.load(session, row, env), at, env)
        if form.closed(turn):
            row.step = steps.paused(row.step)  # the form closed while they were writing
            return Answer(form.view(row, turn.ctx), Problem("closed"), again=False)
        if form.text_mode(at) == BUTTONS:
            return Answer(form.view(row, turn.ctx), Problem("buttons"))
        reading = await form.read_text(turn, text)
        if reading.values is not None:
            advance(form, turn, reading.values)
        elif reading.pending:
            form.hold(turn, reading)
        await session.flush()
        return Answer(form.view(row, turn.ctx), reading.problem, reading.offer)


async def answer_press(
    form: Form, person_id: int, row_id: int, question: Step, value: str | None, env: Any = None
) -> Any | None:
    """A pressed answer to `question` (None for Skip); None unless it answers the person's
    current question of that row with a valid value."""
    async with session_scope() as session:
        turn = await owned(session, form, person_id, row_id, env)
        if turn is None or not turn.step.same_question(question):
            return None
        if turn.step.paused and not form.presses_while_paused:
            return None
        values = await form.read_press(turn, value)
        if values is None:
            return None
        advance(form, turn, values)
        await pause_others(session, form, person_id, turn.row)
        await session.flush()
        return form.view(turn.row, turn.ctx)


async def start_edit(
    form: Form, person_id: int, row_id: int, key: str, env: Any = None
) -> Any | None:
    """Re-ask one question from the summary; None for a question or row not valid now."""
    async with session_scope() as session:
        turn = await owned(session, form, person_id, row_id, env)
        step = form.edit_step(turn.row, key) if turn is not None else None
        if turn is None or step is None:
            return None
        turn.row.step = str(step.edit())
        await pause_others(session, form, person_id, turn.row)
        await session.flush()
        return form.view(turn.row, turn.ctx)


async def resume(form: Form, person_id: int, row_id: int, env: Any = None) -> Any | None:
    """Go on with one of the person's rows where it stopped; None if not theirs or not open."""
    async with session_scope() as session:
        turn = await owned(session, form, person_id, row_id, env)
        if turn is None:
            return None
        await take_up(session, form, turn.row)
        await session.flush()
        return form.view(turn.row, turn.ctx)


async def pause(form: Form, person_id: int) -> tuple[Any, ...]:
    """Stop answering (/cancel), the answers kept: the paused rows' `form.ref`, none if none."""
    async with session_scope() as session:
        refs = []
        for row in await session.scalars(_waiting_rows(form, person_id)):
            row.step = steps.paused(row.step)
            refs.append(getattr(row, form.ref))
        return tuple(refs)
