"""/stats through the Bot API double: staff get the report and three charts, others a refusal."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from bot import db
from bot.core.models import AuditEntry
from tests.conftest import ADMIN_ID

TRAINEE = 7001


def _photos(events) -> list:
    return [e for e in events if e.method == "sendPhoto"]


def _is_png(files: list[str]) -> bool:
    return len(files) == 1 and Path(files[0]).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def _texts(events) -> list:
    return [e for e in events if e.method == "sendMessage"]


async def test_staff_gets_the_korean_report_and_three_charts(conv, sample):
    """In Korean: totals, types, the follow-up line; three PNG photos; year buttons; audited."""
    events = await conv.send(ADMIN_ID, "/stats 2017", lang="ko")
    photos = _photos(events)
    assert len(photos) == 3
    assert [p.params.get("caption") for p in photos] == [
        "2017년 국가별 참여 도시",
        "2017년 과정별 만족도",
        "2017년 사후관리 단계별 현황",
    ]
    assert all(_is_png(p.files) for p in photos)
    [report] = _texts(events)
    assert report.text.startswith("📊 2017년 통계")
    assert "과정 14개, 연수생 174명, 25개국, 58개 도시" in report.text
    assert "• 기획연수: 과정 7개, 연수생 81명" in report.text
    assert "사후관리: 엽서 작성 0" in report.text
    assert "Statistics" not in report.text and "trainees" not in report.text
    years = [b["text"] for row in report.buttons for b in row]
    assert years == ["• 2017 •", "2018"]
    async with db.session_scope() as s:
        entry = await s.scalar(select(AuditEntry).where(AuditEntry.action == "stats.view"))
    assert entry is not None and entry.target_id == "2017"


async def test_year_button_switches_year(conv, sample):
    """Pressing 2018 sends that year's charts and report (planned seats)."""
    await conv.send(ADMIN_ID, "/stats", lang="ko")  # no year: the latest year with trainees
    events = await conv.press(ADMIN_ID, "2018")
    assert len(_photos(events)) == 3
    [report] = _texts(events)
    assert report.text.startswith("📊 2018년 통계")
    assert "계획 인원 195명" in report.text


async def test_bad_years_get_a_clear_answer(conv, sample):
    """Words, five digits and a year without courses are answered, nothing drawn."""
    for text in ("/stats abc", "/stats 99999", "/stats 2017 2018"):
        events = await conv.send(ADMIN_ID, text, lang="ko")
        assert [e.text for e in events] == ["연도를 네 자리 숫자로 입력해 주세요. 예: /stats 2017"]
    events = await conv.send(ADMIN_ID, "/stats 1999", lang="ko")
    assert [e.text for e in events] == ["1999년에는 과정이 없습니다. 과정이 있는 연도: 2017, 2018"]
    assert not _photos(events)


async def test_forged_year_button_changes_nothing(conv, sample):
    """A pressed year without courses answers with an alert and sends nothing."""
    events = await conv.send(ADMIN_ID, "/stats 2017", lang="en")
    message_id = _texts(events)[0].message_id
    events = await conv.press_data(ADMIN_ID, message_id, "st:y:1999")
    assert events == []
    assert conv.double.callback_answers[-1]["text"].startswith("There are no courses in 1999.")


async def test_trainees_are_refused_politely(conv, sample):
    """A trainee's /stats and a forged year button are refused in their own language."""
    events = await conv.send(TRAINEE, "/stats 2017", lang="ru")
    assert [e.text for e in events] == ["Это доступно только сотрудникам программы."]
    events = await conv.send(ADMIN_ID, "/stats 2017", lang="en")
    message_id = _texts(events)[0].message_id
    events = await conv.press_data(TRAINEE, message_id, "st:y:2017", chat_id=ADMIN_ID)
    assert not _photos(events)
    assert conv.double.callback_answers[-1]["text"] == "Это доступно только сотрудникам программы."
