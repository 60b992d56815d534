"""The charts: valid PNGs of sane size in every staff language, no glyph missing from the fonts.

The PNGs are kept in test-artifacts/charts/ at the repository root for a person to look at.
"""

from __future__ import annotations

import io
import threading
import warnings
from collections import Counter
from pathlib import Path

import pytest
from babel import Locale
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from bot.features.stats import charts
from bot.features.stats.charts import CHARTS, render_all, render_charts
from bot.features.stats.figures import APPLICATIONS, RESULTS, CourseRow, Funnel, build
from bot.features.stats.service import year_stats

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "charts"
LANGS = ("en", "ko", "ru", "zh")
TITLES = {
    "en": "Water Management for Tashkent",
    "ko": "타슈켄트 물관리 과정",
    "ru": "Управление водными ресурсами для Ташкента",
    "zh": "水资源管理研修班（面向塔什干）",
}


def _glyph_warnings(caught) -> list[str]:
    return [str(w.message) for w in caught if "missing from font" in str(w.message)]


def render_checked(stats, lang: str) -> dict[str, bytes]:
    """Render all charts, failing on any "Glyph … missing from font" warning."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pngs = render_all(stats, lang)
    assert _glyph_warnings(caught) == []
    return pngs


def check_png(data: bytes) -> tuple[int, int]:
    """A valid PNG a phone can show: Telegram's photo limits, and big enough to read."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert 10_000 < len(data) < 2_000_000
    Image.open(io.BytesIO(data)).verify()
    width, height = Image.open(io.BytesIO(data)).size
    assert 900 <= width <= 1600 and 350 <= height <= 5000 and width + height < 10_000
    return width, height


def _busy_year():
    """A year with accepted applications, surveys and a whole funnel, built from rows."""

    def row(i, code, title, satisfaction, surveys, countries):
        return CourseRow(
            id=i,
            code=code,
            year=2018,
            type="cooperative",
            theme="water",
            seats=13,
            title={"en": TITLES["en"], "ko": TITLES["ko"], "ru": TITLES["ru"], "zh": TITLES["zh"]}
            if title
            else {"en": "Smart City", "ko": "스마트시티", "ru": "Умный город", "zh": "智慧城市"},
            basis=APPLICATIONS,
            trainees=sum(countries.values()),
            recorded_satisfaction=satisfaction,
            survey_scores=surveys,
            places=[(c, 100 + n) for n, c in enumerate(countries)],
            country_trainees=Counter(countries),
        )

    rows = [
        row(1, "2018-02", True, 4.7, [], {"UZ": 8, "KZ": 2}),
        row(2, "2018-07", False, None, [5, 4, 4], {"UA": 11, "MD": 2}),
        CourseRow(3, "2017-01", 2017, "planned", "transport", 9, {}, RESULTS, 9),
    ]
    return build(2018, rows, Funnel(23, 21, 14, 9), {})


@pytest.mark.parametrize("lang", LANGS)
async def test_charts_in_every_staff_language(sample, lang):
    """2017 from the sample and a busy year: three PNGs each, no glyph missing; kept on disk."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for name, stats in (("2017", await year_stats(2017)), ("busy", _busy_year())):
        pngs = render_checked(stats, lang)
        assert list(pngs) == list(CHARTS)
        for chart, data in pngs.items():
            check_png(data)
            (ARTIFACTS / f"{name}-{chart}-{lang}.png").write_bytes(data)


def test_the_glyph_check_can_fail():
    """Text no installed font has (Thai) does raise the warning the check looks for."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = Figure()
        FigureCanvasAgg(fig)
        fig.add_subplot().set_title("กรุงเทพ")
        fig.savefig(io.BytesIO(), format="png")
    assert _glyph_warnings(caught)


async def test_country_names_and_titles_are_localised(sample, monkeypatch):
    """Chart titles come from the catalogue; country names from Babel in the reader's language."""
    stats = await year_stats(2017)
    assert charts.chart_titles(stats, "ko")["country"] == "2017년 국가별 참여 도시"
    assert charts.chart_titles(_busy_year(), "ru")["country"] == "Слушатели по странам, 2018"
    seen: list[str] = []
    original = charts._hbars

    def spy(ax, labels, values, colors, fmt):
        seen.extend(labels)
        original(ax, labels, values, colors, fmt)

    monkeypatch.setattr(charts, "_hbars", spy)
    charts.country_chart(stats, "ko")
    names = Locale.parse("ko").territories
    assert seen[:2] == [names["CN"], names["PH"]]  # sorted by cities: China 14, Philippines 9


async def test_rendering_runs_off_the_event_loop(sample, monkeypatch):
    """render_charts hands the drawing to a worker thread."""
    stats = await year_stats(2017)
    threads: list[str] = []
    original = charts.render_all

    def spy(s, lang):
        threads.append(threading.current_thread().name)
        return original(s, lang)

    monkeypatch.setattr(charts, "render_all", spy)
    pngs = await render_charts(stats, "en")
    assert threads and threads[0] != threading.main_thread().name
    assert set(pngs) == set(CHARTS)
