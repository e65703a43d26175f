"""Server-side charts: the geometry of a small line chart, drawn as inline SVG by
``console/_line_chart.html``. No JavaScript; the template also gets the numbers for a table.

Coordinates are computed here and handed to the template as ready strings, so that number
localisation in templates can never change an SVG attribute.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 14, 40
INSET = 28  # room for the first and last month's label
MAX_X_LABELS = 12


@dataclass(frozen=True)
class Point:
    x: str
    y: str
    month: str
    value: Decimal


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    index: int
    segments: list[str]  # "x,y x,y ..." for each run of months with a value
    points: list[Point]


@dataclass(frozen=True)
class Tick:
    at: str  # the x or y coordinate
    label: str
    text_at: str = ""  # where the label sits across the axis


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    y_min: int
    series: list[Series]
    y_ticks: list[Tick]
    x_ticks: list[Tick]

    @property
    def has_data(self) -> bool:
        return any(s.points for s in self.series)


def _fmt(value: float) -> str:
    return f"{value:.1f}"


def _y_floor(values: Sequence[Decimal]) -> int:
    """Where the percentage axis starts: 0, or a round number below the lowest value."""
    if not values:
        return 0
    lowest = float(min(values))
    if lowest < 50:
        return 0
    return max(0, min(90, (int(lowest) // 10) * 10 - (10 if lowest % 10 < 2 else 0)))


def percent_line_chart(
    *,
    months: Sequence[str],
    series: Mapping[str, Sequence[tuple[str, Decimal | None]]],
    labels: Mapping[str, str],
) -> LineChart:
    """One line per series over ``months`` (values in percent; gaps where a month has none)."""
    values = [v for points in series.values() for _m, v in points if v is not None]
    y_min = _y_floor(values)
    right_edge, bottom_edge = WIDTH - RIGHT, HEIGHT - BOTTOM
    plot_w, plot_h = right_edge - LEFT - 2 * INSET, bottom_edge - TOP
    step_x = plot_w / (len(months) - 1) if len(months) > 1 else 0.0
    x_of = {
        m: LEFT + INSET + (i * step_x if len(months) > 1 else plot_w / 2)
        for i, m in enumerate(months)
    }

    def y_of(value: Decimal) -> float:
        return bottom_edge - (float(value) - y_min) / (100 - y_min) * plot_h

    drawn = []
    for index, (key, points) in enumerate(series.items()):
        by_month = dict(points)
        segments: list[list[str]] = []
        dots = []
        run: list[str] = []
        for month in months:
            value = by_month.get(month)
            if value is None:
                if run:
                    segments.append(run)
                run = []
                continue
            x, y = _fmt(x_of[month]), _fmt(y_of(value))
            run.append(f"{x},{y}")
            dots.append(Point(x, y, month, value))
        if run:
            segments.append(run)
        drawn.append(Series(key, labels.get(key, key), index,
                            [" ".join(s) for s in segments if len(s) > 1], dots))
    step_y = 10 if 100 - y_min > 20 else 5
    y_ticks = [
        Tick(_fmt(y_of(Decimal(v))), f"{v}%", _fmt(y_of(Decimal(v)) + 4))
        for v in range(y_min, 101, step_y)
    ]
    every = max(1, -(-len(months) // MAX_X_LABELS))
    x_ticks = [
        Tick(_fmt(x_of[m]), m, _fmt(bottom_edge + 18))
        for i, m in enumerate(months) if i % every == 0
    ]
    return LineChart(WIDTH, HEIGHT, LEFT, right_edge, TOP, bottom_edge, y_min, drawn,
                     y_ticks, x_ticks)
