"""Small-count suppression for published aggregate tables (pure functions, no database).

A table has rows (centers) and columns (categories), a total per row, a total per column and a grand total. It is
treated as one grid of (rows + 1) × (columns + 1) cells: the last column holds the row totals, the last row (the
totals line) the column totals, and the corner the grand total. Every row and every column of that grid is a
*line* whose inner cells add up to its total cell.

1. Primary suppression: any cell — totals included — with ``0 < value < threshold`` is hidden. Zero is shown.
2. Secondary suppression, repeated until nothing changes: a line with exactly one hidden cell would let anyone
   recompute it (total minus the others), so one more cell of that line is hidden — the smallest shown non-zero
   cell (inner cells before totals on a tie), or a zero when nothing else is left.

Amounts (money) follow the counts behind them: ``mask_like`` hides an amount exactly where its count is hidden.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

PRIMARY = "primary"
SECONDARY = "secondary"

Number = int | float


@dataclass(frozen=True)
class Cell:
    """A published value: ``value`` is None when ``suppressed``; ``reason`` says why (PRIMARY or SECONDARY)."""

    value: Number | None
    suppressed: bool = False
    reason: str | None = None

    @classmethod
    def shown(cls, value: Number) -> Cell:
        return cls(value=value)

    @classmethod
    def hidden(cls, reason: str) -> Cell:
        return cls(value=None, suppressed=True, reason=reason)


@dataclass(frozen=True)
class Table:
    """``cells[row][column]``, ``row_totals[row]``, ``column_totals[column]`` and ``grand_total``."""

    cells: list[list[Cell]]
    row_totals: list[Cell]
    column_totals: list[Cell]
    grand_total: Cell


def grid_with_totals(values: Sequence[Sequence[Number]]) -> list[list[Number]]:
    """``values`` with a total appended to every row and a totals line appended below."""
    width = len(values[0]) if values else 0
    if any(len(row) != width for row in values):
        raise ValueError("every row needs the same number of columns")
    grid = [[*row, sum(row)] for row in values]
    grid.append([sum(row[j] for row in grid) for j in range(width + 1)])
    return grid


def _lines(height: int, width: int):
    for i in range(height):
        yield [(i, j) for j in range(width)]
    for j in range(width):
        yield [(i, j) for i in range(height)]


def suppression_pattern(grid: Sequence[Sequence[Number]], threshold: int) -> list[list[str | None]]:
    """PRIMARY/SECONDARY/None for every cell of a grid whose last row and last column are the totals."""
    height = len(grid)
    width = len(grid[0]) if height else 0
    pattern: list[list[str | None]] = [
        [PRIMARY if 0 < grid[i][j] < threshold else None for j in range(width)] for i in range(height)
    ]

    def order(position):
        i, j = position
        value = grid[i][j]
        is_total = i == height - 1 or j == width - 1
        return (value == 0, value, is_total, i, j)

    changed = True
    while changed:
        changed = False
        for line in _lines(height, width):
            hidden = [p for p in line if pattern[p[0]][p[1]] is not None]
            if len(hidden) != 1:
                continue
            candidates = [p for p in line if pattern[p[0]][p[1]] is None]
            if not candidates:
                continue
            i, j = min(candidates, key=order)
            pattern[i][j] = SECONDARY
            changed = True
    return pattern


def _table(grid, pattern) -> Table:
    def cell(i, j):
        reason = pattern[i][j]
        return Cell.hidden(reason) if reason else Cell.shown(grid[i][j])

    height = len(grid)
    width = len(grid[0])
    return Table(
        cells=[[cell(i, j) for j in range(width - 1)] for i in range(height - 1)],
        row_totals=[cell(i, width - 1) for i in range(height - 1)],
        column_totals=[cell(height - 1, j) for j in range(width - 1)],
        grand_total=cell(height - 1, width - 1),
    )


def suppress(counts: Sequence[Sequence[Number]], threshold: int) -> Table:
    """The published table of ``counts`` (rows × columns, no totals): totals added, small counts hidden."""
    grid = grid_with_totals(counts)
    return _table(grid, suppression_pattern(grid, threshold))


def pattern_of(table: Table) -> list[list[str | None]]:
    """The suppression grid (with totals) of a published table."""
    rows = [[c.reason for c in row] + [total.reason] for row, total in zip(table.cells, table.row_totals, strict=True)]
    rows.append([c.reason for c in table.column_totals] + [table.grand_total.reason])
    return rows


def mask_like(values: Sequence[Sequence[Number]], counts: Table) -> Table:
    """``values`` (e.g. amounts) with totals, hidden wherever the count behind them is hidden in ``counts``."""
    grid = grid_with_totals(values)
    pattern = pattern_of(counts)
    if len(pattern) != len(grid) or any(len(p) != len(g) for p, g in zip(pattern, grid, strict=True)):
        raise ValueError("the values and the counts need the same shape")
    return _table(grid, pattern)


def recomputable(table: Table) -> list[tuple[int, int]]:
    """Hidden cells (grid positions, totals included) that are the only hidden cell of a line: none in a table
    that ``suppress`` produced. For tests and checks."""
    pattern = pattern_of(table)
    height = len(pattern)
    width = len(pattern[0])
    found = set()
    for line in _lines(height, width):
        hidden = [p for p in line if pattern[p[0]][p[1]] is not None]
        if len(hidden) == 1:
            found.add(hidden[0])
    return sorted(found)
