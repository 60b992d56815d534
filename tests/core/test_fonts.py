"""The fonts ship with the bot: every script it renders has a glyph source on any machine."""

from __future__ import annotations

import io
import logging
from datetime import date

from PIL import Image

from bot.core import fonts
from bot.features.postcards import render
from bot.features.postcards.service import PlanAction, PostcardCard


def test_every_script_is_drawable_from_the_project_alone():
    """The faces are the project's own files (not /usr/share/fonts) and cover every script."""
    files = fonts.face_files()
    assert all(path.exists() and "/usr/share/fonts" not in str(path) for path in files.values())
    assert fonts.missing_scripts(files) == []


def test_a_missing_cjk_face_is_named_in_one_line(tmp_path, caplog):
    """Without the CJK file the start-up check names Chinese and Korean in one warning."""
    files = {**fonts.face_files(), "cjk": tmp_path / "gone.otf"}
    with caplog.at_level(logging.INFO, logger="bot.core.fonts"):
        missing = fonts.check_fonts(files)
    assert missing == ["Chinese (Simplified)", "Chinese (Traditional)", "Korean (Hangul)"]
    [record] = caplog.records
    assert record.levelno == logging.WARNING and "\n" not in record.getMessage()
    assert "Korean (Hangul)" in record.getMessage() and "Latin" not in record.getMessage()


def test_all_present_is_one_info_line(caplog):
    """With the shipped faces the check says so once, at INFO."""
    with caplog.at_level(logging.INFO, logger="bot.core.fonts"):
        assert fonts.check_fonts() == []
    assert [r.levelno for r in caplog.records] == [logging.INFO]


def test_traditional_chinese_and_hangul_postcard_text_is_drawn():
    """Traditional characters and Hangul go to the CJK face and are not left out."""
    text = "臺北市政府資訊處 서울특별시"
    assert "".join(run for _face, run in render.runs(text)) == text
    assert {render.face_for(ch) for ch in text if not ch.isspace()} == {"cjk"}
    card = PostcardCard(
        person_id=1,
        course_id=1,
        course_code="2018-07",
        course_title={"zh": "智慧城市"},
        starts=date(2018, 5, 27),
        ends=date(2018, 6, 3),
        name="陳怡君",
        city="臺北",
        inspired_by=text,
        actions=(PlanAction("開放資料試辦", "2018-09"),),
        obstacles="預算",
        support="專家",
        locale="zh",
        written_on=date(2018, 6, 1),
        final=True,
    )
    with Image.open(io.BytesIO(render.render_postcard(card, locale="zh"))) as image:
        assert image.size == (1200, 800)
