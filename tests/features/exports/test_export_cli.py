"""`python -m bot export …` and `python -m bot audit …`: fresh processes on one database."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook


@pytest.fixture
def run(empty_url: str, tmp_path: Path):
    """Run `python -m bot …` with a database and data directory of its own."""
    env = {**os.environ, "DATABASE_URL": empty_url, "DATA_DIR": str(tmp_path / "data")}
    env.pop("TELEGRAM_BOT_TOKEN", None)

    def call(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "bot", *args],
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
        )

    return call


def test_cli_workbook_sheet_and_audit(run, tmp_path: Path):
    """The workbook (Korean), one sheet as CSV in English, filters, then the audit log."""
    assert run("migrate").returncode == 0 and run("import-sample").returncode == 0
    book_path = tmp_path / "wb.xlsx"
    done = run("export", "workbook", "--year", "2018", "--out", str(book_path))
    assert done.returncode == 0, done.stderr
    assert "courses 14, applications 0" in done.stdout
    book = load_workbook(book_path)
    assert book.sheetnames == ["과정", "신청", "엽서", "사후관리", "현업적용평가", "만족도 조사"]
    assert book["과정"].max_row == 15
    sheet = tmp_path / "courses.csv"
    done = run("export", "courses", "--course", "2018-08", "--lang", "en", "--out", str(sheet))
    assert done.returncode == 0, done.stderr
    raw = sheet.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0][:3] == ["Course", "Year", "Course title"] and len(rows) == 2
    assert rows[1][0] == "2018-08"
    bad = run("export", "workbook", "--format", "csv", "--out", str(tmp_path / "x.csv"))
    assert bad.returncode == 2 and "one sheet" in bad.stderr
    missing = run("export", "postcards", "--course", "nope", "--out", str(tmp_path / "y.xlsx"))
    assert missing.returncode == 1 and "nope" in missing.stderr
    apps = run("export", "applications", "--course", "2018-08", "--out", str(tmp_path / "a.xlsx"))
    assert apps.returncode == 0, apps.stderr

    printed = run("audit", "--limit", "2")
    assert printed.returncode == 0, printed.stderr
    assert printed.stdout.count("🕒") == 2 and "· 명령줄\n" in printed.stdout
    assert "신청서 내보내기: 0행" in printed.stdout  # the newest: the applications export
    log = tmp_path / "log.xlsx"
    done = run("audit", "--out", str(log))
    assert done.returncode == 0 and "3 entries" in done.stdout
    sheet = load_workbook(log).active
    actions = [r[3].value for r in sheet.iter_rows(min_row=2)]
    assert actions == ["export.applications", "export.sheet", "export.workbook"]
