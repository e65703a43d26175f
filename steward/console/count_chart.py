"""A line chart of counts per month (opened, resolved ...): the same geometry and template
shapes as ``charts.percent_line_chart``, with a y axis from 0 to a round maximum."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from steward.console.charts import (
    BOTTOM,
    HEIGHT,
    INSET,
    LEFT,
    MAX_X_LABELS,
    RIGHT,
    TOP,
    WIDTH,
    LineChart,
    Point,
    Series,
    Tick,
)


def _fmt(value: float) -> str:
    return f"{value:.1f}"


def _step(top: int) -> int:
    """A round tick step giving at most about five ticks up to ``top``."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if top / step <= 5:
            return step
    return -(-top // 5)


def count_line_chart(
    *, months: Sequence[str], series: Mapping[str, Sequence[tuple[str, int]]],
    labels: Mapping[str, str],
) -> LineChart:
    highest = max([v for points in series.values() for _m, v in points] + [1])
    step = _step(highest)
    y_max = -(-highest // step) * step
    right_edge, bottom_edge = WIDTH - RIGHT, HEIGHT - BOTTOM
    plot_w, plot_h = right_edge - LEFT - 2 * INSET, bottom_edge - TOP
    step_x = plot_w / (len(months) - 1) if len(months) > 1 else 0.0
    x_of = {m: LEFT + INSET + (i * step_x if len(months) > 1 else plot_w / 2)
            for i, m in enumerate(months)}

    def y_of(value: float) -> float:
        return bottom_edge - value / y_max * plot_h

    drawn = []
    for index, (key, points) in enumerate(series.items()):
        by_month = dict(points)
        line = [f"{_fmt(x_of[m])},{_fmt(y_of(by_month.get(m, 0)))}" for m in months]
        dots = [Point(_fmt(x_of[m]), _fmt(y_of(by_month.get(m, 0))), m,
                      Decimal(by_month.get(m, 0))) for m in months]
        drawn.append(Series(key, labels.get(key, key), index,
                            [" ".join(line)] if len(line) > 1 else [], dots))
    y_ticks = [Tick(_fmt(y_of(v)), str(v), _fmt(y_of(v) + 4)) for v in range(0, y_max + 1, step)]
    every = max(1, -(-len(months) // MAX_X_LABELS))
    x_ticks = [Tick(_fmt(x_of[m]), m, _fmt(bottom_edge + 18))
               for i, m in enumerate(months) if i % every == 0]
    return LineChart(WIDTH, HEIGHT, LEFT, right_edge, TOP, bottom_edge, 0, drawn, y_ticks,
                     x_ticks)
