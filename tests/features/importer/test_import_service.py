"""Importing XLSX and CSV: all-or-nothing validation, counts, idempotence, statistics."""

from __future__ import annotations

import copy
from datetime import date

from sqlalchemy import func, select

from bot import db
from bot.core.models import AuditEntry, City
from bot.features.importer.render import outcome_text
from bot.features.importer.service import import_file
from bot.features.schedule.models import Course, CourseSession
from bot.features.stats.service import year_stats
from bot.i18n import translator
from tests.features.importer.import_fixtures import (
    COURSE_HEADERS,
    COURSES_2019,
    RESULT_HEADERS,
    RESULTS_2019,
    SESSION_HEADERS,
    SESSIONS_2019,
    snapshot,
    xlsx,
    year_2019,
)


async def test_two_bad_rows_change_nothing_and_are_named(sample):
    """A wrong end date and an unknown type: no row is written, both rows are reported."""
    rows = copy.deepcopy(COURSES_2019)
    rows[0][8] = date(2019, 6, 1)  # ends before it starts
    rows[1][2] = "weekly"  # not a course type
    before = await snapshot()
    data = xlsx({"과정": [COURSE_HEADERS, *rows], "results": [RESULT_HEADERS, *RESULTS_2019]})
    outcome = await import_file(None, "bad.xlsx", data)
    assert not outcome.ok
    assert [(e.sheet, e.row, e.column) for e in outcome.errors] == [
        ("과정", 2, "ends"),
        ("과정", 3, "type"),
    ]
    assert await snapshot() == before
    report = outcome_text(outcome, translator("ko"))
    assert "과정, 2행, ends “2019-06-01”: 종료일이 시작일보다 앞섭니다" in report
    assert "과정, 3행, type “weekly”" in report and "planned, cooperative, customised" in report
    assert "아무것도 바뀌지 않았습니다" in report


async def test_clean_file_imports_and_stats_follow(sample):
    """A clean 2019 workbook creates courses, results and sessions; stats reflect it."""
    outcome = await import_file(None, "2019.xlsx", year_2019())
    assert outcome.ok and outcome.changed
    assert (outcome.counts["courses"].created, outcome.counts["results"].created) == (2, 2)
    assert outcome.counts["sessions"].created == 2
    assert outcome.new_cities == ["Nairobi"]  # Jalisco, Manila … are already known
    stats = await year_stats(2019)
    assert (stats.courses, stats.trainees, stats.countries) == (2, 21, 5)
    assert stats.cities == 5  # Jalisco, Manila, General Santos, Kathmandu, Nairobi
    assert stats.satisfaction_mean == 4.7
    assert stats.by_type["cooperative"].trainees == 9
    async with db.session_scope() as s:
        nairobi = await s.scalar(select(City).where(City.name == "Nairobi"))
        assert (nairobi.country, nairobi.timezone) == ("KE", "Africa/Nairobi")
        first = await s.scalar(
            select(CourseSession)
            .join(Course, Course.id == CourseSession.course_id)
            .where(Course.code == "2019-01")
            .order_by(CourseSession.starts_at)
        )
        assert first.starts_at.isoformat() == "2019-06-17T00:30:00+00:00"  # 09:30 Seoul
        entry = await s.scalar(select(AuditEntry).where(AuditEntry.action == "import.spreadsheet"))
        assert entry.target_id == "2019.xlsx"
        assert entry.details["counts"]["courses"]["created"] == 2


async def test_reimport_changes_nothing_and_a_changed_row_updates(sample):
    """The same file again: nothing changed; one edited cell updates that course only."""
    await import_file(None, "2019.xlsx", year_2019())
    before = await snapshot()
    again = await import_file(None, "2019.xlsx", year_2019())
    assert again.ok and not again.changed
    assert again.counts["courses"].unchanged == 2 and again.counts["sessions"].unchanged == 2
    assert await snapshot() == before
    assert "바뀐 것이 없습니다" in outcome_text(again, translator("ko"))
    rows = copy.deepcopy(COURSES_2019)
    rows[1][9] = 20  # seats of 2019-02
    changed = await import_file(None, "2019.xlsx", xlsx({"courses": [COURSE_HEADERS, *rows]}))
    assert (changed.counts["courses"].updated, changed.counts["courses"].unchanged) == (1, 1)
    async with db.session_scope() as s:
        seats = dict((await s.execute(select(Course.code, Course.seats))).all())
    assert (seats["2019-01"], seats["2019-02"]) == (13, 20)


async def test_csv_with_bom_and_korean_headers(sample):
    """Excel's UTF-8 CSV (BOM), Korean headers, Korean values and dotted dates."""
    text = (
        "과정코드,연도,유형,분야,과정명(영어),과정명(한국어),협력기관,시작일,종료일,정원,상태\n"
        "2019-05,2019,기획,기후변화,Climate Change,기후변화 과정,ICLEI,2019.09.08,2019.09.15,"
        "13,계획\n"
    )
    outcome = await import_file(None, "과정.csv", text.encode("utf-8-sig"))
    assert outcome.ok, outcome.errors
    async with db.session_scope() as s:
        course = await s.scalar(select(Course).where(Course.code == "2019-05"))
    assert (course.type, course.theme, course.status) == ("planned", "climate_change", "planned")
    assert course.title == {"en": "Climate Change", "ko": "기후변화 과정"}
    assert (course.starts, course.ends) == (date(2019, 9, 8), date(2019, 9, 15))


async def test_every_kind_of_row_error_is_reported(sample):
    """Unknown partner, negative seats, bad satisfaction, duplicates, unknown course …"""
    courses = [COURSE_HEADERS, *copy.deepcopy(COURSES_2019), copy.deepcopy(COURSES_2019[0])]
    courses[1][6], courses[2][9] = "NOBODY", -1
    results = [
        [*RESULT_HEADERS, "colour"],
        ["2019-01", "twelve", 7, 10, "Atlantis (Nowhere)", "red"],
        ["2099-99", 3, None, None, "", ""],
    ]
    outcome = await import_file(None, "x.xlsx", xlsx({"courses": courses, "results": results}))
    reasons = {(e.sheet, e.row, e.column): e.reason for e in outcome.errors}
    assert reasons == {
        ("courses", 2, "partner"): "unknown partner organisation code",
        ("courses", 3, "seats"): "must be 0 or more",
        ("courses", 4, "code"): "appears twice in this file (also row {row})",
        ("results", 1, "F"): "unknown column",
        ("results", 2, "trainees"): "not a whole number",
        ("results", 2, "satisfaction"): "must be between 1 and 5",
        ("results", 2, "places"): "unknown country: {names}",
        ("results", 3, "course"): "no course with this code in the database or in this file",
    }
    async with db.session_scope() as s:
        assert await s.scalar(select(func.count()).where(Course.year == 2019)) == 0


async def test_sessions_of_a_course_are_replaced_and_codes_are_bounded(sample):
    """A course's sessions in a file replace its programme; an over-long code is an error."""
    await import_file(None, "2019.xlsx", year_2019())
    one = xlsx({"sessions": [SESSION_HEADERS, SESSIONS_2019[0]]})
    outcome = await import_file(None, "week.xlsx", one)
    assert (outcome.counts["sessions"].unchanged, outcome.counts["sessions"].deleted) == (1, 1)
    long_code = xlsx({"courses": [COURSE_HEADERS, ["X" * 40, *COURSES_2019[0][1:]]]})
    [error] = (await import_file(None, "long.xlsx", long_code)).errors
    assert (error.row, error.column, error.reason) == (2, "code", "longer than {limit} characters")


async def test_cli_checks_and_imports_a_file(sample, settings, tmp_path, capsys):
    """`python -m bot import FILE --dry-run` writes nothing; without it the file is applied."""
    from argparse import Namespace

    from bot.features.importer.cli import run_cli

    path = tmp_path / "2019.xlsx"
    path.write_bytes(year_2019())
    args = Namespace(file=str(path), dry_run=True, template=None, lang="en")
    assert await run_cli(args, settings) == 0
    assert "2019.xlsx has no errors. Nothing was written" in capsys.readouterr().out
    assert (await year_stats(2019)).courses == 0
    args.dry_run = False
    assert await run_cli(args, settings) == 0
    assert "• Courses: 2 created, 0 updated, 0 unchanged" in capsys.readouterr().out
    assert (await year_stats(2019)).courses == 2
    path.write_bytes(b"garbage")
    assert await run_cli(args, settings) == 1
    assert "not a readable .xlsx workbook" in capsys.readouterr().out


async def test_limits_refuse_the_whole_file(sample):
    """Over 5 MB or over 2,000 rows: refused with the limit named, nothing read further."""
    from bot.features.importer.reader import MAX_BYTES, MAX_ROWS

    big = await import_file(None, "big.csv", b"x" * (MAX_BYTES + 1))
    assert outcome_text(big, translator("ko")) == (
        "big.csv 파일을 가져오지 못했습니다: 파일이 5MB보다 큽니다."
    )
    rows = "\n".join(f"2019-{n},2019,planned,T" for n in range(MAX_ROWS + 1))
    many = await import_file(None, "many.csv", f"code,year,type,title_en\n{rows}\n".encode())
    assert many.refused == (
        "Sheet {sheet} has more than {limit} rows.",
        {"sheet": "many.csv", "limit": 2000},
    )
