"""`python -m bot export …` and `python -m bot audit …`: fresh starts on one database."""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import load_workbook


def test_cli_workbook_sheet_and_audit(cli, tmp_path: Path):
    """The workbook (Korean), one sheet as CSV in English, filters, then the audit log."""
    assert cli("migrate").returncode == 0 and cli("import-sample").returncode == 0
    book_path = tmp_path / "wb.xlsx"
    done = cli("export", "workbook", "--year", "2018", "--out", str(book_path))
    assert done.returncode == 0, done.stderr
    assert "courses 14, applications 0" in done.stdout
    book = load_workbook(book_path)
    assert book.sheetnames == ["과정", "신청", "엽서", "사후관리", "현업적용평가", "만족도 조사"]
    assert book["과정"].max_row == 15
    sheet = tmp_path / "courses.csv"
    done = cli("export", "courses", "--course", "2018-08", "--lang", "en", "--out", str(sheet))
    assert done.returncode == 0, done.stderr
    raw = sheet.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0][:3] == ["Course", "Year", "Course title"] and len(rows) == 2
    assert rows[1][0] == "2018-08"
    bad = cli("export", "workbook", "--format", "csv", "--out", str(tmp_path / "x.csv"))
    assert bad.returncode == 2 and "one sheet" in bad.stderr
    missing = cli("export", "postcards", "--course", "nope", "--out", str(tmp_path / "y.xlsx"))
    assert missing.returncode == 1 and "nope" in missing.stderr
    apps = cli("export", "applications", "--course", "2018-08", "--out", str(tmp_path / "a.xlsx"))
    assert apps.returncode == 0, apps.stderr

    printed = cli("audit", "--limit", "2")
    assert printed.returncode == 0, printed.stderr
    assert printed.stdout.count("🕒") == 2 and "· 명령줄\n" in printed.stdout
    assert "신청서 내보내기: 0행" in printed.stdout  # the newest: the applications export
    log = tmp_path / "log.xlsx"
    done = cli("audit", "--out", str(log))
    assert done.returncode == 0 and "3 entries" in done.stdout
    sheet = load_workbook(log).active
    actions = [r[3].value for r in sheet.iter_rows(min_row=2)]
    assert actions == ["export.applications", "export.sheet", "export.workbook"]
