"""Small-count suppression for published aggregate tables (pure functions, no database).

A table has rows (centers) and columns (categories), a total per row, a total per column and a grand total. It is
treated as one grid of (rows + 1) × (columns + 1) cells: the last column holds the row totals, the last row (the
totals line) the column totals, and the corner the grand total. Every row and every column of that grid is a
*line* whose inner cells add up to its total cell.

1. Primary suppression: any cell — totals included — with ``0 < value < threshold`` is hidden. Zero is shown.
2. Secondary suppression: a line with exactly one hidden cell would let anyone recompute it (total minus the
   others), so one more cell of that line is hidden — the smallest shown NON-ZERO cell (inner cells before totals
   on a tie). A zero is never hidden: hiding it protects nothing (non-negativity pins it) and tells that the
   line has room.
3. Audit, repeated until it passes: one hidden cell per line is not enough — linear combinations of several lines
   can still pin a hidden cell. For every primary cell the audit computes the exact interval of values it could
   take given every published cell and non-negativity (``feasible_range``), and while a primary cell's interval
   is too narrow (``protected``) one more non-zero cell is hidden, preferring one of the cell's own lines that
   widens its interval.

How the interval is exact without a linear-programming library: flip the sign of the row and column totals and
every line of the grid sums to zero, so a change of the hidden cells that keeps every published cell is a
*circulation* in the bipartite graph whose nodes are the grid's rows and columns and whose edges are the hidden
cells. Non-negativity bounds each edge in one direction (an inner cell, and the grand total, may drop by at most
their value; a row or column total — its sign flipped — may rise by at most its value), so how far a hidden cell
can move up (down) is a maximum flow from its column to its row (its row to its column) through the other hidden
cells — computed with integer augmenting paths, stopped once it is large enough.

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


def _primary(grid, threshold) -> list[list[str | None]]:
    return [[PRIMARY if 0 < value < threshold else None for value in row] for row in grid]


def _order(grid, height, width):
    def order(position):
        i, j = position
        return (grid[i][j], i == height - 1 or j == width - 1, i, j)

    return order


def _one_per_line(grid, pattern) -> bool:
    """Step 2: hide the smallest non-zero cell of every line that has exactly one hidden cell; True if any."""
    height, width = len(grid), len(grid[0])
    order = _order(grid, height, width)
    changed_any = changed = False
    while True:
        changed = False
        for line in _lines(height, width):
            hidden = [p for p in line if pattern[p[0]][p[1]] is not None]
            if len(hidden) != 1:
                continue
            candidates = [p for p in line if pattern[p[0]][p[1]] is None and grid[p[0]][p[1]] != 0]
            if not candidates:  # cannot happen: a line with one non-zero hidden cell has another non-zero
                continue
            i, j = min(candidates, key=order)
            pattern[i][j] = SECONDARY
            changed = changed_any = True
        if not changed:
            return changed_any


# --- the audit -------------------------------------------------------------------------------------------------


def _sign(i, j, height, width) -> int:
    """+1 where the grid cell enters its lines' zero sums as itself (inner cells, the grand total), -1 for the
    row and column totals."""
    is_row_total, is_column_total = j == width - 1, i == height - 1
    return -1 if is_row_total != is_column_total else 1


class _Network:
    """The hidden cells of a grid as a flow network (see the module docstring), built once per audit: arcs gain
    capacity as cells get hidden; a flow computed for one cell is undone before the next."""

    def __init__(self, grid, pattern, big):
        self.grid, self.big = grid, big
        self.height, self.width = len(grid), len(grid[0])
        self.capacity: dict[tuple, dict[tuple, int]] = {}
        for i in range(self.height):
            for j in range(self.width):
                if pattern[i][j] is not None:
                    self.add((i, j), 1)

    def _arcs(self, position):
        i, j = position
        value = self.grid[i][j]
        # y = sign · x; y up is a flow row→column, y down a flow column→row; x >= 0 caps one of them.
        up, down = (self.big, value) if _sign(i, j, self.height, self.width) == 1 else (value, self.big)
        return (("r", i), ("c", j), up), (("c", j), ("r", i), down)

    def add(self, position, factor):
        for u, v, amount in self._arcs(position):
            self.capacity.setdefault(u, {}).setdefault(v, 0)
            self.capacity.setdefault(v, {}).setdefault(u, 0)
            self.capacity[u][v] += factor * amount

    def max_flow(self, source, sink, limit) -> int:
        """Augmenting paths (depth first, integer) from ``source`` to ``sink`` until ``limit``; undone after."""
        capacity, flow, log = self.capacity, 0, []
        while flow < limit:
            parent = {source: None}
            stack = [source]
            while stack and sink not in parent:
                u = stack.pop()
                arcs = capacity.get(u, {})
                if arcs.get(sink, 0) > 0:
                    parent[sink] = u
                    break
                for v, left in arcs.items():
                    if left > 0 and v not in parent:
                        parent[v] = u
                        stack.append(v)
            if sink not in parent:
                break
            path, v = [], sink
            while parent[v] is not None:
                path.append((parent[v], v))
                v = parent[v]
            push = min(limit - flow, *(capacity[u][v] for u, v in path))
            for u, v in path:
                capacity[u][v] -= push
                capacity[v][u] += push
            log.append((path, push))
            flow += push
        for path, push in log:
            for u, v in path:
                capacity[u][v] += push
                capacity[v][u] -= push
        return flow

    def movement(self, position, limit) -> tuple[int, int]:
        """(down, up) of the hidden cell at ``position`` in x, each capped at ``limit``."""
        i, j = position
        value = self.grid[i][j]
        self.add(position, -1)
        try:
            y_up = self.max_flow(("c", j), ("r", i), limit)  # y of the cell up: the flow returns column → row
            y_down = self.max_flow(("r", i), ("c", j), limit)
        finally:
            self.add(position, 1)
        if _sign(i, j, self.height, self.width) == 1:
            return min(y_down, value), y_up  # x >= 0 of the cell itself
        return min(y_up, value), y_down


def feasible_range(grid, pattern, position, limit=None) -> tuple[Number, Number]:
    """How far the hidden cell at ``position`` may move down and up, (down, up), with every shown cell of the grid
    kept and every hidden cell non-negative: its feasible interval is [value - down, value + up] (exactly; capped
    at ``limit`` each way when given — enough for an audit)."""
    big = limit if limit is not None else sum(abs(v) for row in grid for v in row) + 1
    return _Network(grid, pattern, big).movement(position, big)


def _protected(network, position, threshold) -> bool:
    value = network.grid[position[0]][position[1]]
    down, up = network.movement(position, threshold)
    return (value - down <= 1 and value + up >= threshold - 1) or down + up >= threshold


def protected(grid, pattern, position, threshold) -> bool:
    """A primary cell is protected when the values it could take cover the whole primary range
    [1, threshold - 1] or span at least ``threshold``: nobody learns more than "a small count"."""
    return _protected(_Network(grid, pattern, threshold), position, threshold)


def audit(grid, pattern, threshold) -> list[tuple[int, int]]:
    """Primary cells whose feasible interval is too narrow (an empty list for a table ``suppress`` produced)."""
    network = _Network(grid, pattern, threshold)
    return [
        (i, j)
        for i, row in enumerate(pattern)
        for j, reason in enumerate(row)
        if reason == PRIMARY and not _protected(network, (i, j), threshold)
    ]


def _hide_one_more(grid, pattern, position, threshold) -> bool:
    """Hide the cell that best protects ``position``: among the shown non-zero cells of its own lines (smallest
    first), the first that makes it protected, else the smallest of them; else the smallest shown non-zero cell."""
    height, width = len(grid), len(grid[0])
    order = _order(grid, height, width)
    pi, pj = position
    own = [(pi, j) for j in range(width)] + [(i, pj) for i in range(height)]
    own = sorted({p for p in own if pattern[p[0]][p[1]] is None and grid[p[0]][p[1]] != 0}, key=order)
    for i, j in own:
        pattern[i][j] = SECONDARY
        if protected(grid, pattern, position, threshold):
            return True
        pattern[i][j] = None
    anywhere = own or sorted(
        ((i, j) for i in range(height) for j in range(width) if pattern[i][j] is None and grid[i][j] != 0), key=order
    )
    if not anywhere:
        return False
    i, j = anywhere[0]
    pattern[i][j] = SECONDARY
    return True


def suppression_pattern(grid: Sequence[Sequence[Number]], threshold: int) -> list[list[str | None]]:
    """PRIMARY/SECONDARY/None for every cell of a grid whose last row and last column are the totals."""
    if not grid or not grid[0]:
        return [[] for _ in grid]
    pattern = _primary(grid, threshold)
    _one_per_line(grid, pattern)
    # Hiding a cell only adds freedom (an edge to the flow network): a protected cell stays protected, so the
    # audit runs once and then only the cells that failed it are checked again.
    failing = audit(grid, pattern, threshold)
    while failing:
        position = failing[0]
        if protected(grid, pattern, position, threshold):
            failing.pop(0)
            continue
        if not _hide_one_more(grid, pattern, position, threshold):
            break  # every non-zero cell is hidden: nothing else could help
        _one_per_line(grid, pattern)
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
