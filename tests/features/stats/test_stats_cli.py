"""`python -m bot stats`: JSON, a readable report in the chosen language, chart files."""

from __future__ import annotations

import argparse
import json

from bot.features.stats.cli import run_cli


def _args(**kw) -> argparse.Namespace:
    return argparse.Namespace(**{"year": 2017, "json": False, "charts": None, "lang": "ko", **kw})


async def test_json_is_the_whole_year(sample, settings, capsys):
    """--json prints one JSON object with the plan's 2017 figures and the new sections."""
    assert await run_cli(_args(json=True), settings) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["courses"], data["trainees"], data["countries"], data["cities"]) == (
        14,
        174,
        25,
        58,
    )
    assert {"by_theme", "by_course", "by_country", "funnel", "repeat_cities", "cumulative"} <= set(
        data
    )


async def test_text_report_and_charts(sample, settings, capsys, tmp_path):
    """Without --json a report in --lang; --charts DIR writes the three PNGs."""
    out = tmp_path / "charts"
    assert await run_cli(_args(lang="en", charts=str(out)), settings) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("📊 Statistics for 2017\nBasis: recorded results")
    assert "14 courses, 174 trainees, 25 countries, 58 cities" in printed
    for name in ("country", "satisfaction", "funnel"):
        assert (out / f"{name}.png").read_bytes()[:4] == b"\x89PNG"
    assert await run_cli(_args(lang="xx"), settings) == 2
