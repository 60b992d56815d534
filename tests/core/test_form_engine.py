"""The form engine through the real Application and the Bot API double, with a small form.

The form asks a name (typed, at most 10 characters) and a colour (buttons only), then shows
a summary with an edit button per answer. Its rows live in a table made for this test.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import JSON, ColumnElement, String, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from telegram import Chat, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler

from bot import db
from bot.core.callbacks import ID, WORD, Codec, Press, on_press, stale
from bot.core.forms import engine, routing, steps
from bot.core.forms.spec import BUTTONS, PASS, TAKE, Answer, Form, Reading, Turn
from bot.core.forms.steps import SUMMARY, Step
from bot.core.forms.validate import check_length, clean
from bot.core.models import Person

INVALID = "This button is no longer valid."


class Base(DeclarativeBase):
    pass


class Note(Base):
    __tablename__ = "test_form_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int]
    step: Mapped[str | None] = mapped_column(String(32))
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    done: Mapped[bool] = mapped_column(default=False)


@dataclass(frozen=True)
class NoteView:
    id: int
    step: str | None
    answers: dict


class NoteForm(Form):
    model = Note
    first = "name"

    def open(self) -> ColumnElement[bool]:
        return Note.done.is_(False)

    def is_open(self, row: Note) -> bool:
        return not row.done

    def view(self, row: Note, ctx) -> NoteView:
        return NoteView(row.id, row.step, dict(row.answers or {}))

    def text_mode(self, step: Step) -> str:
        return PASS if step.at_summary else BUTTONS if step.key == "colour" else TAKE

    async def read_text(self, turn: Turn, text: str) -> Reading:
        value = clean(text)
        problem = check_length(value, 10)
        return Reading(problem=problem) if problem else Reading({"name": value})

    async def read_press(self, turn: Turn, value: str | None) -> dict | None:
        return {"colour": value} if value in ("red", "blue") else None

    def store(self, turn: Turn, values: dict) -> None:
        turn.row.answers = {**(turn.row.answers or {}), **values}

    def after(self, turn: Turn, values: dict) -> Step:
        return Step("colour") if turn.step.key == "name" else Step(SUMMARY)

    def edit_step(self, row: Note, key: str) -> Step | None:
        return Step(key) if key in ("name", "colour") else None


FORM = NoteForm()
CB = Codec("tf")
CHOOSE = CB.action("ch", note=ID, value=WORD)
EDIT = CB.action("ed", note=ID, key=WORD)
RESUME = CB.action("go", note=ID)


async def ask(chat: Chat, view: NoteView) -> None:
    at = steps.parse(view.step) or Step(FORM.first)
    if at.at_summary:
        answers = view.answers
        edits = [InlineKeyboardButton(k, callback_data=EDIT.data(view.id, k)) for k in answers]
        text = f"Summary: {answers['name']}, {answers['colour']}"
        await chat.send_message(text, reply_markup=InlineKeyboardMarkup([edits]))
    elif at.key == "colour":
        buttons = [
            InlineKeyboardButton(c, callback_data=CHOOSE.data(view.id, c)) for c in ("red", "blue")
        ]
        await chat.send_message("Colour?", reply_markup=InlineKeyboardMarkup([buttons]))
    else:
        await chat.send_message("Name?")


async def asked(chat: Chat, answer: Answer, env) -> None:
    await ask(chat, answer.view)


UI = routing.Ui(FORM, asked, lambda refs: (f"Stopped {len(refs)}.", None))


@on_press(CB)
async def button(update: Update, context, press: Press) -> None:
    query, pid = update.callback_query, context.user.person_id
    if press.action == "ch":
        view = await engine.answer_press(FORM, pid, press.note, Step("colour"), press.value)
    elif press.action == "ed":
        view = await engine.start_edit(FORM, pid, press.note, press.key)
    else:
        view = await engine.resume(FORM, pid, press.note)
    if view is None:
        await stale(query)
        return
    # An answered question loses its buttons; the summary and a Continue keep theirs.
    await (routing.close(query) if press.action == "ch" else query.answer())
    await ask(update.effective_chat, view)


@pytest.fixture
async def form(conv):
    """The test form installed before every other handler and consumer."""
    async with db.get_engine().begin() as connection:
        await connection.run_sync(Base.metadata.create_all)
    routing.install(conv.app, UI, order=1)
    conv.app.handlers[0].insert(0, CallbackQueryHandler(button, pattern=CB.pattern))
    yield conv
    # PostgreSQL keeps one database per worker and empties only the bot's tables.
    async with db.get_engine().begin() as connection:
        await connection.run_sync(Base.metadata.drop_all)


async def start(conv, uid: int, step: str = "name", answers: dict | None = None) -> Note:
    """A person (made by their first message) with a note row at `step`."""
    await conv.send(uid, "/cancel", lang="en")
    async with db.session_scope() as s:
        person = await s.scalar(select(Person).where(Person.telegram_id == uid))
        note = Note(person_id=person.id, step=step, answers=answers or {})
        s.add(note)
    return note


async def rows() -> list[Note]:
    async with db.session_scope() as s:
        return list(await s.scalars(select(Note).order_by(Note.id)))


async def test_reasons_buttons_summary_and_edit(form):
    """A refused answer says why and re-asks; text at a button question asks for a button;
    an edit from the summary goes back to it."""
    conv = form
    await start(conv, 9101)
    [reason, again] = await conv.send(9101, "Bartholomew")
    assert reason.text == (
        "This answer is too long: the limit is 10 characters and yours has 11. "
        "Please shorten it and send it again."
    )
    assert again.text == "Name?"
    [question] = await conv.send(9101, "  Bart  ")
    assert question.text == "Colour?"
    [hint, again] = await conv.send(9101, "red")
    assert hint.text == "Please choose one of the buttons." and again.text == "Colour?"
    summary = (await conv.press(9101, "blue"))[-1]
    assert summary.text == "Summary: Bart, blue"
    assert (await rows())[0].step == "summary"
    # At the summary text is not the form's: the question answering gets it.
    assert all(e.text != "Name?" for e in await conv.send(9101, "when is the course?"))
    note_id = (await rows())[0].id
    events = await conv.press_data(9101, summary.message_id, EDIT.data(note_id, "name"))
    assert events[-1].text == "Name?"
    assert (await rows())[0].step == "edit:name"
    assert (await conv.send(9101, "Bo"))[-1].text == "Summary: Bo, blue"
    assert (await rows())[0].answers == {"name": "Bo", "colour": "blue"}


async def test_cancel_pauses_and_old_rows_resume(form):
    """/cancel pauses (text then is not the form's); a row written as "paused:edit:colour"
    resumes at that question in edit mode and goes back to the summary."""
    conv = form
    note = await start(conv, 9102)
    [stopped] = await conv.send(9102, "/cancel")
    assert stopped.text == "Stopped 1."
    assert (await rows())[0].step == "paused:name"
    assert all(e.text != "Colour?" for e in await conv.send(9102, "Anna"))
    [again] = await conv.send(9102, "/cancel")
    assert again.text == "There is nothing to cancel."
    async with db.session_scope() as s:
        row = await s.get(Note, note.id)
        row.step, row.answers = "paused:edit:colour", {"name": "Anna", "colour": "red"}
    events = await conv.press_data(9102, stopped.message_id, RESUME.data(note.id))
    assert events[-1].text == "Colour?"
    assert (await rows())[0].step == "edit:colour"
    assert (await conv.press(9102, "blue"))[-1].text == "Summary: Anna, blue"


async def test_forged_and_old_buttons_change_nothing(form):
    """Another person's row, an old question's button, a bad value, forged data: refused."""
    conv = form
    mine = await start(conv, 9103, "colour", {"name": "Li"})
    theirs = await start(conv, 9104, "colour", {"name": "Wu"})
    message = (await conv.send(9103, "/cancel"))[0].message_id
    for data in (
        CHOOSE.data(theirs.id, "red"),  # not theirs to answer
        CHOOSE.data(mine.id, "green"),  # not a choice
        EDIT.data(mine.id, "age"),  # no such question
        "tf:ch:1",  # does not decode
        "tf:ch:x:red",
    ):
        await conv.press_data(9103, message, data)
        assert conv.double.callback_answers[-1]["text"] == INVALID, data
    assert [(r.step, r.answers) for r in await rows()] == [
        ("paused:colour", {"name": "Li"}),
        ("colour", {"name": "Wu"}),
    ]
    # A paused form's button still answers its question, and makes it the one waiting.
    await conv.press_data(9103, message, CHOOSE.data(mine.id, "red"))
    assert (await rows())[0].step == "summary"
