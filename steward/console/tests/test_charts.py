"""The geometry of the server-side line chart."""

from __future__ import annotations

from decimal import Decimal

from steward.console.charts import percent_line_chart

MONTHS = ["2026-01", "2026-02", "2026-03", "2026-04"]


def test_a_month_without_a_value_breaks_the_line():
    chart = percent_line_chart(
        months=MONTHS,
        series={"resolution": [("2026-01", Decimal("90")), ("2026-02", Decimal("95")),
                               ("2026-04", Decimal("100"))]},
        labels={"resolution": "Resolution"},
    )

    series = chart.series[0]
    assert series.label == "Resolution"
    assert [p.month for p in series.points] == ["2026-01", "2026-02", "2026-04"]
    assert len(series.segments) == 1  # April alone is a dot, not a line
    assert len(series.segments[0].split()) == 2


def test_the_axis_starts_below_the_lowest_value_and_ends_at_100():
    high = percent_line_chart(months=MONTHS, series={"m": [("2026-01", Decimal("96.5"))]},
                              labels={})
    low = percent_line_chart(months=MONTHS, series={"m": [("2026-01", Decimal("12"))]},
                             labels={})
    empty = percent_line_chart(months=MONTHS, series={}, labels={})

    assert high.y_min == 90
    assert [t.label for t in high.y_ticks] == ["90%", "95%", "100%"]
    assert low.y_min == 0
    assert empty.has_data is False


def test_the_top_of_the_axis_is_100_percent():
    chart = percent_line_chart(months=MONTHS, series={"m": [("2026-02", Decimal("100"))]},
                               labels={})

    assert chart.series[0].points[0].y == chart.y_ticks[-1].at
    assert chart.series[0].points[0].x == chart.x_ticks[1].at
