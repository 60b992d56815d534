"""Cities as trainees write them: own script, admin words, a province or country after a comma,
no accents; ambiguity said honestly; the index built once, outside the bot's memory."""

from __future__ import annotations

import json
from zoneinfo import ZoneInfo

import pytest

from bot.features.places import Index, country_of, default_index, resolve
from bot.features.places.names import keys, split_qualifier
from tests.conftest import PLACES_INDEX


@pytest.fixture(scope="session")
def index() -> Index:
    """The index the tests share (data/places.sqlite), built once if missing."""
    return default_index(PLACES_INDEX)


@pytest.mark.parametrize(
    ("text", "country", "zone"),
    [
        ("成都市", "CN", "Asia/Shanghai"),
        ("г. Бишкек", "KG", "Asia/Bishkek"),
        ("город Бишкек", "KG", "Asia/Bishkek"),
        ("Manila City", "PH", "Asia/Manila"),
        ("Bogotá D.C.", "CO", "America/Bogota"),
        ("bogota", "CO", "America/Bogota"),
        ("Chengdu, Sichuan", "CN", "Asia/Shanghai"),
        ("Guadalajara", "MX", "America/Mexico_City"),
        ("Da Nang", "VN", "Asia/Ho_Chi_Minh"),
        ("Kazan", "RU", "Europe/Moscow"),
        ("Lagos", "NG", "Africa/Lagos"),
        ("臺北市", "TW", "Asia/Taipei"),
        ("ＭＡＮＩＬＡ", "PH", "Asia/Manila"),
    ],
)
def test_spellings_resolve_to_the_city_and_its_zone(index, text, country, zone):
    found = resolve(text, index)
    assert found.city is not None and not found.ambiguous
    assert (found.city.country, found.city.timezone) == (country, zone)
    ZoneInfo(found.city.timezone)  # a real IANA zone


@pytest.mark.parametrize("text", ["Valencia", "San José"])
def test_ambiguous_names_offer_candidates_in_several_countries(index, text):
    found = resolve(text, index)
    assert found.ambiguous
    assert len({c.country for c in found.candidates}) >= 2


def test_a_country_after_the_comma_decides(index):
    assert resolve("Valencia, España", index).city.country == "ES"
    assert resolve("San José, Costa Rica", index).city.timezone == "America/Costa_Rica"
    assert not resolve("Valencia, Venezuela", index).ambiguous


def test_unknown_names_are_unknown(index):
    for text in ("Nowhereville", "", "🙂🙂", "x" * 5000):
        found = resolve(text, index)
        assert found.city is None and found.candidates == ()
        assert found.as_json()["name"] is None


def test_country_names_and_abbreviations():
    assert country_of("Phils") == "PH" and country_of("РФ") == "RU"
    assert country_of("中国大陆") == "CN" and country_of("Кыргызстан") == "KG"
    assert country_of("Atlantis") is None


def test_name_keys_and_qualifiers():
    assert keys("г. Бишкек")[-1] == keys("Бишкек")[0]
    assert keys("Bogotá D.C.")[-1] == "bogota"
    assert split_qualifier("Chengdu, Sichuan") == ("Chengdu", "Sichuan")
    assert split_qualifier("成都（四川）") == ("成都", "四川")


def test_cli_prints_one_json_object_per_name(cli, monkeypatch):
    """`places resolve --batch --json`: one line per input line, unknown as name null."""
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("г. Бишкек\n\nNowhereville City\n"))
    done = cli("places", "resolve", "--batch", "--json")
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [(x["text"], x["country"], x["timezone"]) for x in lines] == [
        ("г. Бишкек", "KG", "Asia/Bishkek"),
        ("Nowhereville City", None, None),
    ]
    assert lines[0]["geonameid"] == 1528675 and lines[1]["name"] is None
