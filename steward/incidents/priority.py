"""Priority from impact and urgency (ISO/IEC 20000-1 8.6.1: "taking into consideration impact
and urgency"). Pure: the matrix is passed in; ``selectors.priority_matrix()`` reads the
administrators' matrix from the database."""

from __future__ import annotations

from collections.abc import Mapping

Matrix = Mapping[tuple[int, int], int]

# ITIL / ServiceNow default 3×3 → 5 (docs/processes/incidents.md): 1 critical … 5 planning.
DEFAULT_MATRIX: dict[tuple[int, int], int] = {
    (1, 1): 1,
    (1, 2): 2,
    (1, 3): 3,
    (2, 1): 2,
    (2, 2): 3,
    (2, 3): 4,
    (3, 1): 3,
    (3, 2): 4,
    (3, 3): 5,
}
LEVELS = (1, 2, 3)
PRIORITIES = (1, 2, 3, 4, 5)


def priority_for(impact: int, urgency: int, matrix: Matrix | None = None) -> int:
    """The priority (1 critical … 5 planning) of ``impact`` × ``urgency`` (each 1 high … 3 low).

    A cell missing from ``matrix`` falls back to the default matrix, so a partly edited matrix
    never leaves an incident without a priority. Raises ``ValueError`` outside 1..3.
    """
    if impact not in LEVELS or urgency not in LEVELS:
        raise ValueError(f"impact and urgency must be 1..3, got {impact}, {urgency}")
    table = matrix if matrix is not None else DEFAULT_MATRIX
    return table.get((impact, urgency), DEFAULT_MATRIX[(impact, urgency)])
