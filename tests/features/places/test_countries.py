"""Country names beyond CLDR, and the memory they cost the bot."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.features.places import country_of

ROOT = Path(__file__).resolve().parents[3]


def test_the_copied_phonenumbers_names_are_current():
    """bot/data/country_names.json is what scripts/country_names.py makes of the installed
    phonenumbers (re-run the script after upgrading it)."""
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import country_names
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    assert country_names.OUT.read_text(encoding="utf-8") == country_names.render(
        country_names.names()
    )


@pytest.mark.parametrize(
    ("text", "code"),
    [("Киргизстан", "KG"), ("Kirguizistán", "KG"), ("Swaziland", "SZ"), ("Holanda", "NL")],
)
def test_older_and_variant_names(text, code):
    """Names phonenumbers knows and CLDR does not."""
    assert country_of(text) == code


def test_country_names_do_not_load_phonenumbers_geodata():
    """Reading a country loads neither phonenumbers' 100 MB locale module nor all of CLDR."""
    code = (
        "import sys, babel.localedata as d; from bot.features.places import country_of;"
        "country_of('Turkey'); print('phonenumbers.geodata.locale' in sys.modules, len(d._cache))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded, locales = out.stdout.split()
    assert loaded == "False" and int(locales) < 40
