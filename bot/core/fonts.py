"""The fonts the bot draws postcards and charts with, and a start-up check of their scripts.

They come with the bot, not the machine: DejaVu Sans (Latin, Cyrillic) is the copy matplotlib
ships, and Chinese, Korean and kana come from a subset of Noto Sans CJK in bot/data/fonts
(SIL OFL 1.1; scripts/subset_font.py makes it).
"""

from __future__ import annotations

import importlib.util
import logging
from functools import cache
from pathlib import Path

from PIL import ImageFont

log = logging.getLogger(__name__)

FONT_DIR = Path(__file__).resolve().parent.parent / "data" / "fonts"
CJK_FAMILY = "Liaison CJK Sans"
# A character of each script the bot renders, so a missing glyph source is named at start.
SCRIPTS = {
    "Latin": "Añé",
    "Cyrillic": "Жёї",
    "Chinese (Simplified)": "这应书",
    "Chinese (Traditional)": "這應書",
    "Korean (Hangul)": "한글뷁",
}
_MISSING = "\U0010fffd"  # a private-use code point no font maps: its mask is the .notdef box


def _matplotlib_fonts() -> Path:
    # find_spec locates matplotlib's data without importing it (that costs ~0.3 s at start).
    spec = importlib.util.find_spec("matplotlib")
    roots = spec.submodule_search_locations if spec else None
    return Path(next(iter(roots or ["."]))) / "mpl-data" / "fonts" / "ttf"


def face_files() -> dict[str, Path]:
    """Each face's file: "sans" and "bold" (DejaVu Sans), "cjk" (the bundled CJK subset)."""
    mpl = _matplotlib_fonts()
    return {
        "sans": mpl / "DejaVuSans.ttf",
        "bold": mpl / "DejaVuSans-Bold.ttf",
        "cjk": FONT_DIR / "LiaisonCJKSans-Regular.otf",
    }


@cache
def _font(path: Path) -> ImageFont.FreeTypeFont | None:
    try:
        return ImageFont.truetype(str(path), 32)
    except OSError:
        return None


def _mask(font: ImageFont.FreeTypeFont, ch: str) -> tuple:
    mask = font.getmask(ch)
    return mask.size, bytes(mask)


def draws(path: Path, ch: str) -> bool:
    """True when the font file exists and draws `ch` as itself, not as the missing-glyph box."""
    font = _font(path)
    return font is not None and _mask(font, ch) != _mask(font, _MISSING)


def missing_scripts(files: dict[str, Path] | None = None) -> list[str]:
    """The scripts in SCRIPTS that no face can draw completely."""
    paths = list((files or face_files()).values())
    return [
        script
        for script, sample in SCRIPTS.items()
        if not all(any(draws(path, ch) for path in paths) for ch in sample)
    ]


def check_fonts(files: dict[str, Path] | None = None) -> list[str]:
    """Log one line: every script covered, or which are missing and what that means."""
    missing = missing_scripts(files)
    if missing:
        log.warning(
            "fonts: no glyphs for %s; postcards and charts will leave such text out or show "
            "boxes (the fonts ship in bot/data/fonts and matplotlib; see README, Fonts)",
            ", ".join(missing),
        )
    else:
        log.info("fonts: %s all drawable", ", ".join(SCRIPTS))
    return missing
