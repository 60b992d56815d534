"""The postcard picture: every script drawn with a font that has it, fixed size, text fitted."""

from __future__ import annotations

import io
import logging
from dataclasses import replace
from datetime import date

import pytest
from PIL import Image

from bot.features.postcards import render
from bot.features.postcards.service import PlanAction, PostcardCard

TITLE = {"en": "Smart City", "ru": "Умный город", "zh": "智慧城市", "es": "Ciudad inteligente"}
TEXTS = {
    "zh": ("首尔的交通信息中心", "在两个区试点开放数据", "部门之间的协调困难", "专家", "王小明"),
    "ru": ("Система TOPIS", "Пилот открытых данных", "Бюджет и согласования", "Эксперты", "Олена"),
    "es": ("Semáforos inteligentes", "Añadir señalización", "Presupuesto", "Ayuda", "Ñuño Güell"),
}


def card(locale: str, texts=None) -> PostcardCard:
    inspired, action, obstacles, support, name = texts or TEXTS[locale]
    return PostcardCard(
        person_id=1,
        course_id=1,
        course_code="2018-07",
        course_title=TITLE,
        starts=date(2018, 5, 27),
        ends=date(2018, 6, 3),
        name=name,
        city=name,
        inspired_by=inspired,
        actions=(PlanAction(action, "2018-09"), PlanAction(action + " 2", "2019-03")),
        obstacles=obstacles,
        support=support,
        locale=locale,
        written_on=date(2018, 6, 1),
        final=True,
    )


def _mask(font, ch: str):
    mask = font.getmask(ch)
    return mask.size, bytes(mask)


@pytest.mark.parametrize("locale", ["zh", "ru", "es"])
def test_every_character_has_a_glyph_in_its_font(locale):
    """Each character's chosen font draws it, not the missing-glyph box; nothing is dropped."""
    for text in TEXTS[locale]:
        assert "".join(run for _face, run in render.runs(text)) == text
        for ch in text.replace(" ", ""):
            face = render.face_for(ch)
            font = render.get_font(face, 32)
            assert _mask(font, ch) != _mask(font, "\U0010fffd"), (locale, ch, face)
            if locale == "zh":
                assert face == "cjk", ch
            else:
                assert face == "sans", ch
    png = render.render_postcard(card(locale), locale=locale)
    with Image.open(io.BytesIO(png)) as image:
        assert (image.format, image.size) == ("PNG", (1200, 800))


def test_different_chinese_texts_give_different_pictures():
    """Two CJK strings are really drawn (glyphs, not identical boxes or blanks)."""
    one = render.render_postcard(card("zh"), locale="zh")
    two = card("zh", ("地铁换乘", "公交专用道", "资金不足", "培训", "李华"))
    assert one != render.render_postcard(two, locale="zh")


def test_emoji_are_left_out_rather_than_boxed():
    """A character no installed font has is dropped from the runs."""
    assert "".join(run for _face, run in render.runs("Сеул 🌸 首尔")) == "Сеул  首尔"


def test_long_texts_are_wrapped_shrunk_and_cut_within_the_card():
    """Maximum-length answers in every field still make a 1200×800 picture; lines fit."""
    long = replace(
        card("es"),
        inspired_by="É" * 300,
        actions=tuple(PlanAction("palabra " * 37, "2018-09") for _ in range(3)),
        obstacles="obstáculo " * 50,
        support="apoyo " * 83,
        name="Nombre Muy Largo " * 10,
    )
    png = render.render_postcard(long, locale="es")
    with Image.open(io.BytesIO(png)) as image:
        assert image.size == (1200, 800)
    style = render.Style(14)
    lines = render.fit("palabra " * 200, style, 700, 3)
    assert len(lines) == 3 and lines[-1].endswith("…")
    assert all(render.width(line, style) <= 700 for line in lines)
    cjk = render.wrap("首尔" * 200, style, 300)
    assert all(render.width(line, style) <= 300 for line in cjk)


def test_without_fonts_the_default_font_is_used_with_a_warning(monkeypatch, tmp_path, caplog):
    """No TrueType file anywhere: Pillow's default font, and a logged warning."""
    missing = {face: tmp_path / path.name for face, path in render.FONT_FILES.items()}
    monkeypatch.setattr(render, "FONT_FILES", missing)
    caches = (render.font_path, render._resolve, render.get_font)
    caches += (render.has_glyph, render.face_for)
    for fn in caches:
        fn.cache_clear()
    try:
        with caplog.at_level(logging.WARNING):
            png = render.render_postcard(card("ru"), locale="ru")
        assert Image.open(io.BytesIO(png)).size == (1200, 800)
        assert "Pillow's default font" in caplog.text
    finally:
        monkeypatch.undo()
        for fn in caches:
            fn.cache_clear()
