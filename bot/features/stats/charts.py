"""The year's charts as PNG bytes: trainees (or cities) by country, satisfaction, follow-ups.

Matplotlib's Agg backend with `Figure` objects only (no pyplot global state). Fonts fall back
from DejaVu Sans (Latin, Cyrillic) to the bundled CJK face (Chinese, Korean), so every staff
language renders on any machine; `render_charts` runs the drawing in a worker thread.
"""

from __future__ import annotations

import asyncio
import io
import math
import textwrap
import threading

import matplotlib
from babel import Locale
from babel.numbers import format_percent
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from bot.core import fonts
from bot.features.stats.figures import APPLICATIONS, YearStats
from bot.i18n import Translator, pick, translator

matplotlib.use("Agg")
# Only this module draws with matplotlib; the fallback list is what makes Hangul and Chinese
# render next to Latin and Cyrillic (matplotlib ≥ 3.6 falls back glyph by glyph).
font_manager.fontManager.addfont(str(fonts.face_files()["cjk"]))
matplotlib.rcParams["font.family"] = ["DejaVu Sans", fonts.CJK_FAMILY]
matplotlib.rcParams["axes.unicode_minus"] = False

CHARTS = ("country", "satisfaction", "funnel")
BLUE, LIGHT, GREY, INK = "#1f5fa8", "#9dbce3", "#8a8f98", "#222831"
WIDTH, DPI = 9.0, 130
MAX_BARS = 30  # countries or courses drawn; more would be unreadable in a phone photo
# Matplotlib's FreeType font objects are shared and not thread-safe: draw one chart at a time.
_LOCK = threading.Lock()


def chart_titles(stats: YearStats, locale: str) -> dict[str, str]:
    """Each chart's title (also the photo captions), in the reader's language."""
    tr = translator(locale)
    if stats.basis == APPLICATIONS:
        country = tr.gettext("Trainees by country, {year}")
    else:
        # Result rows list places, not trainees per place: count cities, say so on the chart.
        country = tr.gettext("Cities taking part by country, {year}")
    return {
        "country": country.format(year=stats.year),
        "satisfaction": tr.gettext("Satisfaction by course, {year}").format(year=stats.year),
        "funnel": tr.gettext("Follow-up funnel, {year}").format(year=stats.year),
    }


def _wide(locale: str) -> bool:
    return locale in ("zh", "ko")  # full-width scripts: fewer characters fit on a line


def _wrap(text: str, locale: str, width: int = 34) -> str:
    width = width * 3 // 5 if _wide(locale) else width
    return "\n".join(textwrap.wrap(text, width, max_lines=2, placeholder="…")) or text


def _figure(rows: int) -> tuple[Figure, object]:
    fig = Figure(figsize=(WIDTH, max(3.2, 1.6 + 0.42 * rows)), dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.spines["left"].set_color(GREY)
    ax.spines["bottom"].set_color(GREY)
    ax.tick_params(colors=INK, labelsize=10)
    return fig, ax


def _titles(fig: Figure, ax, title: str, note: str | None = None) -> None:
    ax.set_title(title, loc="left", fontsize=15, color=INK, pad=12)
    if note:
        fig.get_layout_engine().set(h_pad=0.12)
        fig.supxlabel(note, x=0.01, ha="left", fontsize=8.5, color=GREY)


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, facecolor="white")
    return buf.getvalue()


def _empty(ax, tr: Translator, text: str | None = None) -> None:
    ax.set_axis_off()
    text = text or tr.gettext("No data for this year.")
    ax.text(0.5, 0.5, text, ha="center", va="center", fontsize=13, color=GREY)


def _hbars(ax, labels: list[str], values: list[float], colors, fmt) -> None:
    """Horizontal bars, largest on top, each with its value printed at its end."""
    ys = range(len(labels))
    bars = ax.barh(list(ys), values, color=colors, height=0.62)
    ax.set_yticks(list(ys), labels)
    ax.set_ylim(len(labels) - 0.4, -0.6)  # largest on top, no empty band above it
    ax.grid(axis="x", color="#e5e7eb", linewidth=0.8)
    ax.set_axisbelow(True)
    ax.bar_label(bars, labels=[fmt(v) for v in values], padding=4, fontsize=9.5, color=INK)


def country_chart(stats: YearStats, locale: str) -> bytes:
    """Trainees by country (a year with applications) or cities taking part by country."""
    tr = translator(locale)
    names = Locale.parse(tr.locale).territories
    by_trainees = stats.basis == APPLICATIONS
    items = [(c, f.trainees if by_trainees else f.cities) for c, f in stats.by_country.items()]
    items = sorted(items, key=lambda kv: (-(kv[1] or 0), names.get(kv[0], kv[0])))[:MAX_BARS]
    fig, ax = _figure(len(items))
    title = chart_titles(stats, locale)["country"]
    if by_trainees:
        axis, note = tr.gettext("Trainees (accepted applications)"), None
    else:
        axis = tr.gettext("Cities")
        note = tr.gettext(
            "The results table lists the cities of each course, not trainees per city: "
            "{trainees} trainees from {countries} countries in all."
        ).format(trainees=stats.trainees, countries=stats.countries)
    if not items:
        _empty(ax, tr)
    else:
        labels = [_wrap(names.get(c, c), locale, 28) for c, _ in items]
        _hbars(ax, labels, [v or 0 for _, v in items], BLUE, lambda v: f"{v:g}")
        ax.set_xlabel(axis, color=INK)
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.set_xlim(0, max(v or 0 for _, v in items) * 1.12 + 0.5)
    _titles(fig, ax, title, note)
    return _png(fig)


def _lollipops(ax, tr: Translator, stats: YearStats, rated: list) -> None:
    """Dots on stems: scores cluster near 5, so the axis starts where the data does."""
    labels = [_wrap(f"{c.code} {pick(c.title, tr.locale)}", tr.locale) for c in rated]
    values = [c.satisfaction or 0 for c in rated]
    low = max(1.0, math.floor(min(values) * 2) / 2 - 0.5)
    colors = [BLUE if c.satisfaction_source == "recorded" else LIGHT for c in rated]
    ys = list(range(len(rated)))
    ax.hlines(ys, low, values, color=colors, linewidth=2.2)
    ax.scatter(values, ys, color=colors, s=70, zorder=3)
    for y, v in zip(ys, values, strict=True):
        ax.annotate(
            f"{v:.2f}",
            (v, y),
            xytext=(8, 0),
            textcoords="offset points",
            va="center",
            fontsize=9.5,
            color=INK,
        )
    ax.set_yticks(ys, labels)
    ax.set_ylim(len(rated) - 0.4, -1.2)
    ax.set_xlim(low, 5.18)
    ax.grid(axis="x", color="#e5e7eb", linewidth=0.8)
    ax.set_axisbelow(True)
    ax.set_xlabel(tr.gettext("Mean satisfaction (1–5)"), color=INK)
    if stats.satisfaction_mean is not None:
        ax.axvline(stats.satisfaction_mean, color=GREY, linestyle="--", linewidth=1)
        ax.text(
            stats.satisfaction_mean,
            -0.9,
            tr.gettext("mean {value}").format(value=f"{stats.satisfaction_mean:.2f}"),
            ha="center",
            fontsize=9,
            color=GREY,
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.5},
        )
    if any(c.satisfaction_source == "survey" for c in rated):
        ax.legend(
            handles=[
                Patch(color=BLUE, label=tr.gettext("recorded")),
                Patch(color=LIGHT, label=tr.gettext("from the bot's survey")),
            ],
            loc="lower right",
            bbox_to_anchor=(1.0, 1.0),  # above the plot, right of the title: covers no dot
            ncols=2,
            fontsize=9,
            frameon=False,
        )


def satisfaction_chart(stats: YearStats, locale: str) -> bytes:
    """Satisfaction (1–5) per course, highest first; survey-based bars in a lighter colour."""
    tr = translator(locale)
    rated = [c for c in stats.by_course if c.satisfaction is not None]
    rated = sorted(rated, key=lambda c: (-(c.satisfaction or 0), c.code))[:MAX_BARS]
    fig, ax = _figure(len(rated))
    title = chart_titles(stats, locale)["satisfaction"]
    missing = len(stats.by_course) - len(rated)
    note = None
    if missing:
        note = tr.ngettext(
            "{count} course has no satisfaction score.",
            "{count} courses have no satisfaction score.",
            missing,
        ).format(count=missing)
    if not rated:
        _empty(ax, tr)
    else:
        _lollipops(ax, tr, stats, rated)
    _titles(fig, ax, title, note)
    return _png(fig)


def funnel_chart(stats: YearStats, locale: str) -> bytes:
    """Postcards written → returned → evaluations answered → applied at home."""
    tr = translator(locale)
    f = stats.funnel
    stages = [
        (tr.gettext("Postcards written"), f.postcards_written),
        (tr.gettext("Postcards returned"), f.postcards_returned),
        (tr.gettext("Evaluations answered"), f.evaluations_answered),
        (tr.gettext("Applied at home"), f.applied_at_home),
    ]
    fig, ax = _figure(5)
    title = chart_titles(stats, locale)["funnel"]
    note = tr.gettext(
        "Applied at home: an answered evaluation with at least one action done or in progress."
    )
    if not f.postcards_written:
        _empty(ax, tr, tr.gettext("No postcards were written for this year's courses."))
    else:
        first = f.postcards_written

        def label(v: float) -> str:
            return f"{v:g} ({format_percent(v / first, locale=locale)})"

        shades = [BLUE, "#3f7bc0", "#6b9bd3", LIGHT]
        _hbars(
            ax, [_wrap(s, locale, 22) for s, _ in stages], [v for _, v in stages], shades, label
        )
        ax.set_xlim(0, first * 1.25)
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.set_xlabel(tr.gettext("Trainees"), color=INK)
    _titles(fig, ax, title, note)
    return _png(fig)


def render_all(stats: YearStats, locale: str) -> dict[str, bytes]:
    """The three charts, by name (country, satisfaction, funnel), drawn one after another."""
    with _LOCK:
        return {
            "country": country_chart(stats, locale),
            "satisfaction": satisfaction_chart(stats, locale),
            "funnel": funnel_chart(stats, locale),
        }


async def render_charts(stats: YearStats, locale: str) -> dict[str, bytes]:
    """The three charts, drawn in a worker thread so the event loop keeps serving updates."""
    return await asyncio.to_thread(render_all, stats, locale)
