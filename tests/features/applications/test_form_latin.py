"""The passport's Latin spelling, asked only for a name in another script, shown to staff."""

from __future__ import annotations

from sqlalchemy import select

from bot import db
from bot.core.models import Person
from bot.features.applications.export import export_rows
from bot.features.applications.models import Application
from bot.features.applications.review_screens import detail_screen
from tests.features.applications.review_fixtures import WATER, add_application, staff_actor
from tests.features.applications.test_form import fill, start_form

REST = [
    ("text", "Кыргызстан"),
    ("text", "Бишкек"),
    ("text", "Мэрия"),
    ("text", "Специалист"),
    ("press", "ap:ch:1:seniority:working"),
    ("text", "aigul@bishkek.gov.kg"),
    ("press", "ap:ch:1:phone:skip"),
    ("press", "ap:ch:1:language:ru"),
    ("text", "Учиться."),
    ("press", "ap:ch:1:consent:yes"),
]


async def _answers(uid: int) -> dict:
    async with db.session_scope() as s:
        person = await s.scalar(select(Person).where(Person.telegram_id == uid))
        app = await s.scalar(select(Application).where(Application.person_id == person.id))
        return dict(app.answers)


def _labels(message) -> list[str]:
    return [b["text"] for row in message.buttons or [] for b in row]


async def test_a_cyrillic_name_asks_for_the_latin_spelling(sample, conv):
    """Right after a Cyrillic name: the passport spelling, checked to be Latin letters; on
    the summary and editable there."""
    await start_form(conv, 7601, lang="ru")
    [question] = await conv.send(7601, "Айгуль Асанова")
    assert question.text.startswith("2/12. Как ваше имя написано латинскими буквами")
    [problem, again] = await conv.send(7601, "Айгуль Asanova")
    assert problem.text.startswith("Напишите имя латинскими буквами (A–Z)")
    assert again.text.startswith("2/12.")
    [country_q] = await conv.send(7601, "AIGUL  Asanova-Kyzy")
    assert country_q.text.startswith("3/12.")
    assert (await _answers(7601))["name_latin"] == "AIGUL Asanova-Kyzy"
    summary = (await fill(conv, 7601, REST))[-1]
    assert "• Имя латиницей (как в паспорте): AIGUL Asanova-Kyzy" in summary.text
    assert "✏️ Имя латиницей (как в паспорте)" in _labels(summary)
    question = (await conv.press(7601, "✏️ Имя латиницей (как в паспорте)"))[-1]
    assert question.text.startswith("2/12.")
    [summary] = await conv.send(7601, "Aigul Asanova")
    assert "• Имя латиницей (как в паспорте): Aigul Asanova" in summary.text
    await conv.press(7601, "✅ Отправить")
    async with db.session_scope() as s:
        app = await s.scalar(select(Application))
        assert app.status == "submitted"


async def test_a_latin_name_is_not_asked_again_and_edits_follow_the_script(sample, conv):
    """A Latin name: 11 questions, no such field. Changed to Cyrillic from the summary: the
    Latin spelling is asked before the summary; changed back: it is dropped."""
    await start_form(conv, 7602, lang="ru")
    [question] = await conv.send(7602, "Aigul Asanova")
    assert question.text.startswith("2/11. ")
    summary = (await fill(conv, 7602, REST))[-1]
    assert "латиницей" not in summary.text
    assert not any("латиницей" in label for label in _labels(summary))
    await conv.press(7602, "✏️ ФИО (как в паспорте)")
    [latin_q] = await conv.send(7602, "Айгуль Асанова")
    assert latin_q.text.startswith("2/12. Как ваше имя написано латинскими буквами")
    [summary] = await conv.send(7602, "Aigul Asanova")
    assert "• Имя латиницей (как в паспорте): Aigul Asanova" in summary.text
    await conv.press(7602, "✏️ ФИО (как в паспорте)")
    [summary] = await conv.send(7602, "Aigul Asanova")
    assert "name_latin" not in await _answers(7602)
    assert "латиницей" not in summary.text


async def test_staff_see_the_latin_spelling_in_review_and_export(sample):
    """The review shows "name (Latin)"; the export has a column with the passport spelling,
    the name itself when it is Latin."""
    cyrillic = await add_application(7603, "Ольга Смирнова", name_latin="Olga Smirnova")
    await add_application(7604, "Ana Gómez", minutes=5)
    staff = await staff_actor()
    text, _markup = await detail_screen(staff, cyrillic)
    assert "Ольга Смирнова (Olga Smirnova)" in text
    rows = {row["full_name"]: row for row in await export_rows(WATER, "en")}
    assert rows["Ольга Смирнова"]["name_latin"] == "Olga Smirnova"
    assert rows["Ana Gómez"]["name_latin"] == "Ana Gómez"
