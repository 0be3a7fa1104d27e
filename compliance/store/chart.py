"""Geometry of the history charts: compliance over runs, drawn as inline SVG by reports/_charts.html.j2.

Computed here so that the template holds only loops: every coordinate is a
number, and every label (site names come from pages) is escaped by the
template's autoescaping. Runs are spaced evenly (one step per run, labelled
with its number and date); a run in which a site had nothing to judge leaves
no point, and the line joins the runs around it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# Okabe-Ito: told apart by colour-blind readers, dark enough on white for thin lines.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#999933")
MAX_LINES = 8
MAX_X_LABELS = 8


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    run: int
    value: float  # 0..1
    label: str  # the point's tooltip


@dataclass(frozen=True)
class Series:
    name: str
    color: str
    points: tuple[Point, ...]

    @property
    def path(self) -> str:
        return " ".join(f"{'L' if i else 'M'}{p.x:.1f},{p.y:.1f}" for i, p in enumerate(self.points))


@dataclass(frozen=True)
class Tick:
    at: float
    label: str
    anchor: str = "middle"


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: int
    top: int
    plot_w: int
    plot_h: int
    series: tuple[Series, ...]
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    hidden: int  # sites left out of the chart (they are in the table)

    @property
    def description(self) -> str:
        """The chart in words, for screen readers: each site's rate in each run."""
        return "; ".join(f"{s.name}: " + ", ".join(f"run {p.run} {round(p.value * 100)}%" for p in s.points)
                         for s in self.series)


def latest_rate(site: dict[str, Any]) -> float | None:
    values = [r["compliance"] for r in site["runs"] if r["compliance"] is not None]
    return values[-1] if values else None


def worst_first(sites: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Sites needing attention first: lowest latest compliance, then name; sites never judged last."""
    def key(site: dict[str, Any]) -> tuple[float, str]:
        value = latest_rate(site)
        return (2.0 if value is None else value, site["site"])

    return sorted(sites, key=key)


def line_chart(runs: list[dict[str, Any]], sites: list[dict[str, Any]], *, width: int = 720, height: int = 300,
               max_lines: int = MAX_LINES, margins: tuple[int, int, int, int] = (48, 16, 28, 40)) -> Chart:
    left, top, right, bottom = margins
    plot_w, plot_h = width - left - right, height - top - bottom
    index = {r["id"]: i for i, r in enumerate(runs)}
    step = plot_w / max(1, len(runs) - 1)

    def x(i: int) -> float:
        return left + (i * step if len(runs) > 1 else plot_w / 2)

    def y(value: float) -> float:
        return top + (1 - value) * plot_h

    shown = worst_first(sites)[:max_lines]
    series = []
    for n, site in enumerate(shown):
        points = tuple(
            Point(x(index[r["run"]]), y(r["compliance"]), r["run"], r["compliance"],
                  f"{site['site']}, run {r['run']}: {round(r['compliance'] * 100)}% compliant "
                  f"({r['pass']} of {r['pass'] + r['fail']} pages)")
            for r in site["runs"] if r["compliance"] is not None and r["run"] in index)
        series.append(Series(site["site"], PALETTE[n % len(PALETTE)], points))
    every = max(1, -(-len(runs) // MAX_X_LABELS))
    x_ticks = []
    for i, r in enumerate(runs):
        if i % every == 0 or i == len(runs) - 1:
            anchor = "start" if i == 0 and len(runs) > 1 else "end" if i == len(runs) - 1 and len(runs) > 1 else "middle"
            x_ticks.append(Tick(x(i), f"#{r['id']} {r['started_at'][:10]}", anchor))
    y_ticks = tuple(Tick(y(v / 100), f"{v}%") for v in (0, 25, 50, 75, 100))
    return Chart(width, height, left, top, plot_w, plot_h, tuple(series), tuple(x_ticks), y_ticks,
                 max(0, len(sites) - len(shown)))


def sparkline(site: dict[str, Any], runs: list[dict[str, Any]]) -> Chart:
    return line_chart(runs, [site], width=120, height=28, max_lines=1, margins=(3, 3, 3, 3))
