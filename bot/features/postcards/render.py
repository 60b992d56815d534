"""The postcard picture: a 1200×800 PNG drawn with Pillow, each run of text in a font that has it.

No single font covers Chinese, Korean, Cyrillic and Latin well, so text is split into runs
by script (CJK to the bundled CJK face, the rest to DejaVu Sans) and every character is
checked against the chosen font, falling back to the other; characters no font has (most
emoji) are left out rather than drawn as empty boxes.
"""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from babel.dates import format_date, format_skeleton
from PIL import Image, ImageDraw, ImageFont

from bot.core import fonts
from bot.features.postcards import form
from bot.features.postcards.service import PostcardCard
from bot.i18n import N_, babel_locale, translator

log = logging.getLogger(__name__)

SIZE = (1200, 800)
FONT_FILES = fonts.face_files()
# When a face is missing, the next one that exists stands in (the CJK face has ASCII too).
FALLBACKS = {"sans": ("cjk",), "bold": ("sans", "cjk"), "cjk": ("sans",)}
MISSING = "\U0010fffd"  # a private-use code point no font maps: its mask is the .notdef box
_CJK = re.compile(
    "[\u1100-\u11ff\u2e80-\u2fdf\u3000-\u31ff\u3200-\u9fff\ua960-\ua97f\uac00-\ud7af"
    "\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003ffff]"
)
PAPER, INK, ACCENT, MUTED = "#fbf6ea", "#2b2b2b", "#1f5f99", "#7a6f5f"
RED, BLUE = "#c8372d", "#1f5f99"

HELLO = N_("Dear future me,")
FROM_SEOUL = N_("Seoul → {city}")
TO, DELIVERY = N_("To:"), N_("Delivery:")
TARGET = N_("Target: {month}")
SIGNED = N_("Seoul, {date}")


@cache
def font_path(face: str) -> Path | None:
    """The file of a face, or None (with a warning) when it is missing."""
    path = FONT_FILES[face]
    if path.exists():
        return path
    log.warning("font file %s is missing", path)
    return None


@cache
def _resolve(face: str) -> Path | None:
    for name in (face, *FALLBACKS[face]):
        if (path := font_path(name)) is not None:
            return path
    log.warning("no TrueType font found: the postcard uses Pillow's default font")
    return None


@cache
def get_font(face: str, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """A face ("sans", "bold", "cjk") at a pixel size."""
    path = _resolve(face)
    if path is None:
        return ImageFont.load_default(size)
    return ImageFont.truetype(str(path), size)


def _mask(font, ch: str) -> tuple:
    mask = font.getmask(ch)
    return mask.size, bytes(mask)


@cache
def has_glyph(face: str, ch: str) -> bool:
    """True when the face draws `ch` as itself, not as its missing-glyph box."""
    if ch.isspace():
        return True
    font = get_font(face, 32)
    return _mask(font, ch) != _mask(font, MISSING)


@cache
def face_for(ch: str, bold: bool = False) -> str | None:
    """The face to draw one character with, chosen by script; None when no face has it."""
    latin = "bold" if bold else "sans"
    order = ("cjk", latin, "sans") if _CJK.match(ch) else (latin, "sans", "cjk")
    return next((face for face in order if has_glyph(face, ch)), None)


def runs(text: str, bold: bool = False) -> list[tuple[str, str]]:
    """Split text into (face, run) pieces; characters no face has are dropped."""
    out: list[tuple[str, str]] = []
    for ch in text:
        face = face_for(ch, bold)
        if face is None:
            continue
        if out and out[-1][0] == face:
            out[-1] = (face, out[-1][1] + ch)
        else:
            out.append((face, ch))
    return out


@dataclass(frozen=True)
class Style:
    """Size, weight and colour of a piece of text."""

    size: int
    bold: bool = False
    color: str = INK


def width(text: str, style: Style) -> float:
    """The drawn width of text."""
    return sum(get_font(f, style.size).getlength(r) for f, r in runs(text, style.bold))


def draw_text(draw: ImageDraw.ImageDraw, xy: tuple[float, float], text: str, style: Style):
    """Draw one line at (left, baseline), run by run, so every script has its font."""
    x, y = xy
    for face, run in runs(text, style.bold):
        font = get_font(face, style.size)
        draw.text((x, y), run, font=font, fill=style.color, anchor="ls")
        x += font.getlength(run)


_TOKENS = re.compile(r"\s+|" + _CJK.pattern + r"|(?:(?!" + _CJK.pattern + r")\S)+")


def wrap(text: str, style: Style, limit: float) -> list[str]:
    """Lines of at most `limit` pixels: at spaces, between CJK characters, or inside words."""
    lines: list[str] = []
    for para in text.split("\n"):
        line = ""
        for token in _TOKENS.findall(para) or [""]:
            if width(line + token, style) <= limit:
                line += token
                continue
            if line.strip():
                lines.append(line.rstrip())
            line = "" if token.isspace() else token
            while width(line, style) > limit and len(line) > 1:
                cut = len(line) - 1
                while cut > 1 and width(line[:cut], style) > limit:
                    cut -= 1
                lines.append(line[:cut])
                line = line[cut:]
        lines.append(line.rstrip())
    return lines


def ellipsise(line: str, style: Style, limit: float) -> str:
    """The line shortened to fit `limit` with a trailing ellipsis."""
    while line and width(line + "…", style) > limit:
        line = line[:-1]
    return line.rstrip() + "…"


def fit(text: str, style: Style, limit: float, max_lines: int) -> list[str]:
    """Wrapped lines, cut to `max_lines` with an ellipsis on the last one."""
    lines = wrap(text, style, limit)
    if len(lines) <= max_lines:
        return lines
    return [*lines[: max_lines - 1], ellipsise(lines[max_lines - 1], style, limit)]


@dataclass(frozen=True)
class Block:
    """A heading or a paragraph of the message."""

    text: str
    heading: bool = False


def _body(card: PostcardCard, locale: str) -> list[Block]:
    tr = translator(locale)
    blocks = [Block(form.label("inspired_by", tr), True), Block(card.inspired_by)]
    blocks.append(Block(form.label("actions", tr), True))
    for n, action in enumerate(card.actions, 1):
        month = tr.gettext(TARGET).format(month=form.month_name(action.target, locale))
        blocks.append(Block(f"{n}. {action.text}\n    {month}" if action.target else action.text))
    blocks += [Block(form.label("obstacles", tr), True), Block(card.obstacles)]
    if card.support:
        blocks += [Block(form.label("support", tr), True), Block(card.support)]
    return blocks


def _layout(blocks: list[Block], box_w: float, box_h: float):
    """Shrink the font until the message fits; at the smallest size, cut paragraphs."""
    for size in range(24, 13, -1):
        for cap in (99, 8, 6, 4, 3, 2, 1) if size == 14 else (99,):
            placed, height = [], 0.0
            for block in blocks:
                style = Style(size - 2, True, ACCENT) if block.heading else Style(size)
                lines = fit(block.text, style, box_w - (0 if block.heading else 24), cap)
                gap = size * 0.5 if block.heading and placed else 0
                placed.append((block, style, lines, gap))
                height += gap + len(lines) * size * 1.32
            if height <= box_h:
                return placed
    return placed


def _stamp(draw: ImageDraw.ImageDraw, card: PostcardCard, locale: str, box) -> None:
    """A perforated stamp with the course dates and a postmark over its corner."""
    x0, y0, x1, y1 = box
    draw.rectangle(box, fill="white")
    r = 6
    for x in range(x0, x1 + 1, 16):
        for y in (y0, y1):
            draw.ellipse((x - r, y - r, x + r, y + r), fill=PAPER)
    for y in range(y0, y1 + 1, 16):
        for x in (x0, x1):
            draw.ellipse((x - r, y - r, x + r, y + r), fill=PAPER)
    inner = (x0 + 14, y0 + 14, x1 - 14, y1 - 14)
    draw.rectangle(inner, fill=BLUE)
    cx = (inner[0] + inner[2]) / 2
    draw.ellipse((cx + 20, inner[1] + 18, cx + 50, inner[1] + 48), fill="#f2c14e")
    base = inner[1] + 100
    draw.polygon([(inner[0], base), (cx - 30, inner[1] + 50), (cx + 10, base)], fill="#9cc3e4")
    draw.polygon([(cx - 20, base), (cx + 30, inner[1] + 62), (inner[2], base)], fill="#d6e6f4")
    seoul = Style(26, True, "white")
    draw_text(draw, (cx - width("SEOUL", seoul) / 2, base + 34), "SEOUL", seoul)
    small = Style(15, False, "white")
    if card.starts and card.ends:
        for i, day in enumerate((card.starts, card.ends)):
            text = format_date(day, "medium", locale=babel_locale(locale))
            draw_text(draw, (cx - width(text, small) / 2, base + 60 + i * 20), text, small)
    # The postmark overlaps the stamp's left edge, clear of the dates.
    mx, my, mr = x0 - 30, y0 + 80, 50
    draw.ellipse((mx - mr, my - mr, mx + mr, my + mr), outline=RED, width=3)
    tiny = Style(14, True, RED)
    for i, text in enumerate(
        (
            format_skeleton("MMMd", card.written_on, locale=babel_locale(locale)),
            format_skeleton("y", card.written_on, locale=babel_locale(locale)),
        )
    ):
        draw_text(draw, (mx - width(text, tiny) / 2, my - 2 + i * 20), text, tiny)
    for i in range(3):
        y = my - 22 + i * 14
        draw.line([(mx + mr + 4, y), (mx + mr + 120, y)], fill=RED, width=2)


def _airmail_border(draw: ImageDraw.ImageDraw) -> None:
    w, h = SIZE
    for i, x in enumerate(range(-h, w + h, 28)):
        draw.polygon([(x, 0), (x + 14, 0), (x + 14 - h, h), (x - h, h)], fill=(RED, BLUE)[i % 2])
    draw.rectangle((12, 12, w - 13, h - 13), fill=PAPER)


def _address(draw, card: PostcardCard, locale: str, x: int, y: int, w: int) -> None:
    """The address side: to whom, where, and when it comes back (two months after the end)."""
    tr = translator(locale)
    label, line = Style(16, False, MUTED), Style(22)
    rows = [(tr.gettext(TO), card.name), ("", card.city or "")]
    if card.ends:
        back = date(*form.add_months(card.ends, 2), 1).isoformat()[:7]
        rows.append((tr.gettext(DELIVERY), form.month_name(back, locale)))
    for text, value in rows:
        if text:
            draw_text(draw, (x, y), text, label)
            y += 34
        draw_text(draw, (x, y), fit(value, line, w, 1)[0] if value else "", line)
        draw.line([(x, y + 10), (x + w, y + 10)], fill=MUTED, width=1)
        y += 50


def render_postcard(card: PostcardCard, *, locale: str) -> bytes:
    """The postcard as a 1200×800 PNG in `locale` (fixed texts, title, dates, months)."""
    image = Image.new("RGB", SIZE, PAPER)
    draw = ImageDraw.Draw(image)
    _airmail_border(draw)
    tr = translator(locale)
    city = card.city or ""
    head = tr.gettext(FROM_SEOUL).format(city=city) if city else "Seoul"
    big = Style(40, True, ACCENT)
    draw_text(draw, (48, 92), fit(head, big, 840, 1)[0], big)
    title = Style(22, False, MUTED)
    for i, line in enumerate(fit(card.title(locale), title, 840, 2)):
        draw_text(draw, (48, 130 + i * 28), line, title)
    _stamp(draw, card, locale, (990, 40, 1160, 250))
    draw.line([(48, 196), (930, 196)], fill=MUTED, width=2)
    draw.line([(830, 230), (830, 740)], fill=MUTED, width=1)
    _address(draw, card, locale, 860, 320, 300)
    draw_text(draw, (48, 238), tr.gettext(HELLO), Style(26, True))
    y = 262.0
    for block, style, lines, gap in _layout(_body(card, locale), 760, 425):
        y += gap
        for line in lines:
            y += style.size * 1.32
            draw_text(draw, (48 if block.heading else 72, y), line, style)
    sign = Style(24, True)
    draw_text(draw, (48, 718), fit("— " + card.name, sign, 760, 1)[0], sign)
    when = format_date(card.written_on, "long", locale=babel_locale(locale))
    draw_text(draw, (48, 748), tr.gettext(SIGNED).format(date=when), Style(17, False, MUTED))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
