#!/usr/bin/env python3
"""Make bot/data/fonts/LiaisonCJKSans-Regular.otf from Noto Sans CJK (SIL OFL 1.1).

The bot draws Chinese (Simplified and Traditional), Korean and Japanese kana with this one
face; Latin and Cyrillic come from the DejaVu Sans that matplotlib ships. The subset keeps
every Hangul syllable and every CJK Unified Ideograph of the basic block, drops hinting and
OpenType layout features (not used for horizontal PNG text) and is renamed, since the OFL
reserves the original name for the unmodified font ("Noto" is also a trademark).

Usage: .venv/bin/python scripts/subset_font.py NotoSansCJK-Regular.ttc
(the .ttc of Debian's fonts-noto-cjk or the upstream release; face 2 is Noto Sans CJK SC).
"""

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

OUT = Path(__file__).resolve().parent.parent / "bot/data/fonts/LiaisonCJKSans-Regular.otf"
RANGES = [
    (0x0020, 0x007E),  # ASCII, so the face alone can still write digits and codes
    (0x00A0, 0x00FF),
    (0x2000, 0x206F),  # general punctuation (quotes, dashes, ellipsis)
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0x3040, 0x30FF),  # kana
    (0x3130, 0x318F),  # Hangul compatibility jamo
    (0x4E00, 0x9FFF),  # CJK Unified Ideographs (Simplified and Traditional)
    (0xAC00, 0xD7A3),  # every Hangul syllable
    (0xFF00, 0xFFEF),  # full-width and half-width forms
]
FAMILY = "Liaison CJK Sans"


def main(source: str) -> None:
    """Subset face 2 (SC) of the collection, rename it and write it beside the package."""
    font = TTFont(source, fontNumber=2, lazy=False)
    options = subset.Options()
    options.layout_features = []
    options.hinting = False
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[cp for lo, hi in RANGES for cp in range(lo, hi + 1)])
    subsetter.subset(font)
    names = font["name"]
    for record in list(names.names):
        if record.nameID in (1, 4, 16):
            record.string = FAMILY
        elif record.nameID in (3, 6):
            record.string = FAMILY.replace(" ", "") + "-Regular"
        elif record.nameID == 17:
            record.string = "Regular"
    cff = font["CFF "].cff
    cff.fontNames = [FAMILY.replace(" ", "") + "-Regular"]
    top = cff.topDictIndex[0]
    top.FullName, top.FamilyName = FAMILY, FAMILY
    OUT.parent.mkdir(parents=True, exist_ok=True)
    font.save(OUT)
    print(f"{OUT}: {OUT.stat().st_size} bytes, {len(font.getGlyphOrder())} glyphs")


if __name__ == "__main__":
    main(sys.argv[1])
