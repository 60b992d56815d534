"""Cities as trainees write them: own script, admin words, a province or country after a comma,
no accents; ambiguity said honestly; the index built once, outside the bot's memory."""

from __future__ import annotations

import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.features.places import Index, country_of, default_index, resolve, standard_offset
from bot.features.places.names import key, keys, split_qualifier
from tests.conftest import PLACES_INDEX

DATA = Path(__file__).resolve().parent / "data"


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
    official = {
        "Republic of the Philippines": "PH",
        "República de Colombia": "CO",
        "Kyrgyz Republic": "KG",
        "Кыргызская Республика": "KG",
        "中華人民共和國": "CN",
        "Republic of Korea": "KR",
        "Russian Federation": "RU",
    }
    assert {text: country_of(text) for text in official} == official


def test_country_abbreviations_local_and_older_names():
    """Abbreviations, a country's name in its own language and older names, so a city
    qualified by any of them ("Riyadh, KSA", "Улан-Батор, Монгол Улс") keeps its country."""
    written = {
        "KSA": "SA",
        "ROK": "KR",
        "КНР": "CN",
        "КНДР": "KP",
        "США": "US",
        "EAU": "AE",
        "ЮАР": "ZA",
        "Lao PDR": "LA",
        "Kyrgyz Rep.": "KG",
        "Молдавия": "MD",
        "Монгол Улс": "MN",
        "Тоҷикистон": "TJ",
        "Hrvatska": "HR",
        "Turkey": "TR",
        "Swaziland": "SZ",
        "Ivory Coast": "CI",
        "East Timor": "TL",
        "Hong Kong": "HK",
        "Macau": "MO",
    }
    assert {text: country_of(text) for text in written} == written


def test_a_city_with_an_abbreviated_country(index):
    assert resolve("Riyadh, KSA", index).city.country == "SA"


@pytest.mark.parametrize(
    ("text", "city"),
    [
        ("Alcaldía Mayor de Bogotá D.C.", "Bogotá"),
        ("Quezon City Government", "Quezon City"),
        ("City Government of Quezon City", "Quezon City"),
        ("Мэрия города Бишкек", "Bishkek"),
        ("Bogota Colombia", "Bogotá"),
        ("四川省成都市", "Chengdu"),
        ("Seoul Metropolitan City", "Seoul"),
    ],
)
def test_offices_provinces_and_countries_around_the_name(index, text, city):
    found = resolve(text, index)
    assert found.city is not None and found.city.name == city and not found.ambiguous


def test_a_province_glued_before_a_chinese_name_is_a_guess(index):
    found = resolve("四川成都", index)
    assert found.city.name == "Chengdu" and found.guessed


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


def test_misspellings_are_offered_as_a_guess_to_confirm(index):
    """A near spelling finds the city, but as a guess the form asks the person to confirm."""
    for text, country in (("Cochabamaba", "BO"), ("Bishkke", "KG"), ("Davao Cty", "PH")):
        found = resolve(text, index)
        assert (found.city.country, found.guessed, found.ambiguous) == (country, True, True)
    assert resolve("Zzyzxqwv", index).city is None  # nothing near: still unknown


def _tiny_index(tmp_path, rows) -> Index:
    """An index file with made-up cities: (id, name, country, zone, people, names), each name
    (key, own name?, spelling as written)."""
    import sqlite3

    from bot.features.places.index import source_version

    path = tmp_path / "tiny.sqlite"
    con = sqlite3.connect(path)
    con.executescript(
        "CREATE TABLE meta (version TEXT); CREATE TABLE cities (id INTEGER PRIMARY KEY, name "
        "TEXT, country TEXT, tz TEXT, population INTEGER, admin1 TEXT, key TEXT); "
        "CREATE TABLE names "
        "(key TEXT, city INTEGER, main INTEGER, spelling TEXT);"
    )
    con.execute("INSERT INTO meta VALUES (?)", (source_version(),))
    for gid, name, country, zone, people, names in rows:
        if name is None:  # more names of a city already added
            con.executemany(
                "INSERT INTO names VALUES (?, ?, ?, ?)", [(k, gid, o, s) for k, o, s in names]
            )
            continue
        con.execute(
            "INSERT INTO cities VALUES (?, ?, ?, ?, ?, '', ?)",
            (gid, name, country, zone, people, key(name)),
        )
        con.executemany(
            "INSERT INTO names VALUES (?, ?, ?, ?)", [(k, gid, o, s) for k, o, s in names]
        )
    con.commit()
    con.close()
    return Index(path)


def test_the_best_fitting_name_wins_before_population(tmp_path):
    """Spelt exactly as typed beats folded; a city's own name beats a bigger city's folded
    foreign name (and that one is no rival); two cities of one own name are rivals."""
    index = _tiny_index(
        tmp_path,
        [
            (1, "Bigtown", "CN", "Asia/Shanghai", 7_000_000, [("bigtown", 1, "bigtown")]),
            (1, None, None, None, None, [("resort", 0, "rĕsort")]),  # folds like Resort
            (2, "Resort", "MX", "America/Cancun", 600_000, [("resort", 1, "resort")]),
            (3, "Twin", "ES", "Europe/Madrid", 800_000, [("twin", 1, "twin")]),
            (4, "Twin", "VE", "America/Caracas", 1_600_000, [("twin", 1, "twin")]),
            (5, "Mansura", "DZ", "Africa/Algiers", 30_000, [("mansura", 1, "mansûra")]),
            (6, "Al Mansura", "EG", "Africa/Cairo", 500_000, [("mansura", 0, "mansura")]),
        ],
    )
    found = resolve("Resort", index)
    assert (found.city.name, found.city.country, found.ambiguous) == ("Resort", "MX", False)
    twin = resolve("Twin", index)
    assert twin.ambiguous and {c.country for c in twin.candidates} == {"ES", "VE"}
    assert resolve("Twin", index, prefer="ES").city.country == "ES"
    assert resolve("Mansura", index).city.country == "EG"  # spelt so; the other is Mansûra


@pytest.mark.parametrize("name", ["spellings_a", "spellings_b"])
def test_spelling_sets_resolve_to_the_right_country_and_hour(index, name, capsys):
    """Two sets of 200 and 160 city spellings written by people who had not seen this code
    (first measured held out: 0.980 and 0.956); now regression sets. Right = the country
    and the zone's standard UTC offset (the hour follow-ups arrive)."""
    rows = [json.loads(line) for line in (DATA / f"{name}.jsonl").read_text().splitlines()]
    right = 0
    for row in rows:
        city = resolve(row["text"], index).city
        right += bool(
            city
            and city.country == row["country"]
            and abs(standard_offset(city.timezone) - row["utc_offset_hours"]) < 0.01
        )
    with capsys.disabled():
        print(f"\nplaces {name}: accuracy {right / len(rows):.3f} ({right}/{len(rows)})")
    assert right / len(rows) >= 0.95
