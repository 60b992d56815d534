"""The generated template: documented, with drop-downs, and importable once filled in."""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import select

from bot import db
from bot.features.importer.columns import COLUMNS
from bot.features.importer.service import import_file
from bot.features.importer.template import build_workbook, template_bytes
from bot.features.schedule.models import Course, CourseResult, CourseSession

ROOT = Path(__file__).resolve().parents[3]


def test_template_has_every_column_a_notes_sheet_and_lists():
    """Korean headers for every documented column, drop-downs for coded columns, notes."""
    book = build_workbook("ko")
    assert book.sheetnames == ["과정", "일정", "실적", "설명"]
    assert [c.value for c in book["과정"][1]] == [c.ko for c in COLUMNS["courses"]]
    lists = [v.formula1 for v in book["과정"].data_validations.dataValidation]
    assert '"planned,cooperative,customised"' in lists
    notes = [row[2] for row in book["설명"].iter_rows(values_only=True)]
    assert "satisfaction" in notes and "apply_until" in notes


async def test_filled_in_template_round_trips(sample):
    """Replace the example rows' code with a new one and import the template as it is."""
    book = load_workbook(io.BytesIO(template_bytes(None, "ko")))
    for name in ("과정", "일정", "실적"):
        book[name]["A2"] = "2019-07"
    book["과정"]["E2"] = "Water Management (filled in)"
    buf = io.BytesIO()
    book.save(buf)
    outcome = await import_file(None, "import_template.xlsx", buf.getvalue())
    assert outcome.ok, outcome.errors
    assert [outcome.counts[k].created for k in ("courses", "sessions", "results")] == [1, 1, 1]
    async with db.session_scope() as s:
        course = await s.scalar(select(Course).where(Course.code == "2019-07"))
        assert course.title["en"] == "Water Management (filled in)"
        assert await s.scalar(select(CourseResult).where(CourseResult.course_id == course.id))
        assert await s.scalar(select(CourseSession).where(CourseSession.course_id == course.id))


async def test_english_csv_template_imports_as_is(sample):
    """The one-kind CSV template (UTF-8 with BOM) is itself a valid file."""
    outcome = await import_file(None, "courses.csv", template_bytes("courses", "en"))
    assert outcome.ok and outcome.counts["courses"].created == 1


def test_committed_template_is_the_generated_one():
    """templates/import_template.xlsx has the headers the code generates today."""
    committed = load_workbook(ROOT / "templates" / "import_template.xlsx")
    generated = load_workbook(io.BytesIO(template_bytes(None, "ko")))
    assert committed.sheetnames == generated.sheetnames
    for name in generated.sheetnames:
        rows = list(committed[name].iter_rows(max_row=2, values_only=True))
        assert rows == list(generated[name].iter_rows(max_row=2, values_only=True))


def test_cli_writes_the_template_without_a_database(cli, tmp_path):
    """`python -m bot import --template OUT` needs no database; .csv gives one kind."""
    nowhere = {"DATABASE_URL": "postgresql+asyncpg://nobody@127.0.0.1:1/none"}
    for out in ("t.xlsx", "sessions.csv"):
        done = cli("import", "--template", str(tmp_path / out), extra=nowhere)
        assert done.returncode == 0, done.stderr
    header = (tmp_path / "sessions.csv").read_bytes().decode("utf-8-sig").splitlines()[0]
    assert header.startswith("과정코드,날짜,시작시각")
