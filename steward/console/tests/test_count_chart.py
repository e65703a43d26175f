"""The count chart: y axis from 0 to a round maximum, one point per month (0 where none)."""

from __future__ import annotations

from decimal import Decimal

from steward.console.count_chart import count_line_chart


def test_axis_and_points_of_a_count_chart():
    chart = count_line_chart(
        months=["2026-01", "2026-02", "2026-03"],
        series={"opened": [("2026-01", 7), ("2026-03", 12)], "resolved": [("2026-02", 3)]},
        labels={"opened": "Opened", "resolved": "Resolved"},
    )
    assert [t.label for t in chart.y_ticks] == ["0", "5", "10", "15"]
    opened, resolved = chart.series
    assert [(p.month, p.value) for p in opened.points] == [
        ("2026-01", Decimal(7)), ("2026-02", Decimal(0)), ("2026-03", Decimal(12))
    ]
    # x: 48 + 28 inset, then every 260; y: 220 − value / 15 × 206
    assert opened.segments == ["76.0,123.9 336.0,220.0 596.0,55.2"]
    assert resolved.label == "Resolved"
    assert chart.has_data


def test_a_single_month_is_drawn_as_a_dot():
    chart = count_line_chart(months=["2026-03"], series={"opened": [("2026-03", 0)]},
                             labels={})
    assert chart.series[0].segments == []
    assert [t.label for t in chart.y_ticks] == ["0", "1"]
