"""Small-count suppression of aggregate tables (ostoja.tenants.suppression): pure functions, no database."""

from decimal import Decimal
from itertools import product

import pytest

from ostoja.tenants.suppression import (
    PRIMARY,
    SECONDARY,
    Cell,
    audit,
    feasible_range,
    grid_with_totals,
    mask_like,
    pattern_of,
    protected,
    recomputable,
    suppress,
    suppression_pattern,
)


def values(table):
    return [[c.value for c in row] for row in table.cells]


def test_large_counts_and_zeros_are_shown_with_their_totals():
    table = suppress([[10, 0, 7], [5, 20, 0]], threshold=5)
    assert values(table) == [[10, 0, 7], [5, 20, 0]]
    assert [c.value for c in table.row_totals] == [17, 25]
    assert [c.value for c in table.column_totals] == [15, 20, 7]
    assert table.grand_total == Cell(42)
    assert not any(c.suppressed for row in table.cells for c in row)


def test_small_count_is_primary_and_its_row_and_column_get_a_secondary():
    table = suppress([[3, 10, 12], [8, 9, 20], [15, 6, 30]], threshold=5)
    assert table.cells[0][0] == Cell(None, True, PRIMARY)
    # Row 0 would give 3 = 25 - 10 - 12: the smallest other cell of the row (10) is hidden too.
    assert table.cells[0][1].reason == SECONDARY
    # Column 0 would give 3 = 26 - 8 - 15: 8 is hidden too.
    assert table.cells[1][0].reason == SECONDARY
    # Now row 1 and column 1 have one hidden cell each (8, 10): the smallest of each is hidden, 9 serves both.
    assert table.cells[1][1].reason == SECONDARY
    assert recomputable(table) == []
    assert table.grand_total == Cell(113)


def test_boundaries_of_the_threshold():
    table = suppress([[0, 1, 4, 5, 100]], threshold=5)
    row = table.cells[0]
    assert row[0] == Cell(0)
    assert row[1].reason == PRIMARY and row[2].reason == PRIMARY
    assert row[3] == Cell(5) and row[4] == Cell(100)


def test_threshold_is_a_parameter():
    assert suppress([[2, 50]], threshold=2).cells[0][0] == Cell(2)
    assert suppress([[2, 50]], threshold=3).cells[0][0].reason == PRIMARY


def test_small_totals_are_suppressed_and_not_recomputable():
    # One center with two small categories: every cell and every total is small.
    table = suppress([[1, 2]], threshold=5)
    assert all(c.reason == PRIMARY for c in table.cells[0])
    assert table.row_totals[0].reason == PRIMARY
    assert table.grand_total.reason == PRIMARY
    assert recomputable(table) == []


def test_small_column_total_of_shown_cells_is_suppressed():
    table = suppress([[0, 30], [0, 40], [3, 50]], threshold=5)
    assert table.column_totals[0].reason == PRIMARY
    assert table.cells[2][0].reason == PRIMARY
    assert table.cells[0][0] == Cell(0)
    assert recomputable(table) == []


def test_a_zero_is_never_hidden():
    # Row 0: 2 is small; the other cells of the row are zeros, the row total (2) is small as well.
    # Column 0: [2, 40] with total 42: the smallest non-zero shown cell of the column is 40.
    table = suppress([[2, 0], [40, 9]], threshold=5)
    assert table.cells[0][0].reason == PRIMARY
    assert table.row_totals[0].reason == PRIMARY
    assert table.cells[0][1] == Cell(0)
    assert recomputable(table) == []
    # A line whose only other cells are zeros: its small total is primary too, the zeros stay shown.
    table = suppress([[3, 0, 0]], threshold=5)
    assert table.cells[0][0].reason == PRIMARY
    assert table.row_totals[0].reason == PRIMARY
    assert [table.cells[0][1], table.cells[0][2]] == [Cell(0), Cell(0)]
    assert recomputable(table) == []


def test_zeros_are_not_chosen_even_when_they_are_the_smallest_shown_cells():
    # Column 1 holds only zeros: the old rule hid one of them for row 0 (3 + 0 = 3); a hidden zero protects nothing
    # (nothing can be negative) and says the line has room. The smallest non-zero cell is hidden instead.
    table = suppress([[3, 0], [10, 0]], threshold=5)
    assert table.cells[0][0].reason == PRIMARY
    assert table.cells[0][1] == Cell(0) and table.cells[1][1] == Cell(0) and table.column_totals[1] == Cell(0)
    assert recomputable(table) == []
    assert audit(grid_with_totals([[3, 0], [10, 0]]), pattern_of(table), 5) == []


def test_secondary_suppression_cascades_until_stable():
    counts = [[2, 50, 60, 70], [80, 90, 100, 110], [120, 130, 140, 3]]
    table = suppress(counts, threshold=5)
    assert table.cells[0][0].reason == PRIMARY and table.cells[2][3].reason == PRIMARY
    assert recomputable(table) == []
    hidden = sum(c.suppressed for row in table.cells for c in row)
    assert hidden >= 4


@pytest.mark.parametrize("seed", range(40))
def test_no_hidden_cell_is_ever_alone_in_a_line(seed):
    import random

    rng = random.Random(seed)
    rows, cols = rng.randint(1, 6), rng.randint(1, 6)
    counts = [[rng.choice([0, 0, 1, 2, 3, 4, 5, 7, 12, 40]) for _ in range(cols)] for _ in range(rows)]
    table = suppress(counts, threshold=5)
    assert recomputable(table) == []
    grid = grid_with_totals(counts)
    for (i, j), reason in zip(product(range(rows + 1), range(cols + 1)), sum(pattern_of(table), []), strict=True):
        if reason is None:  # shown values are the true ones
            expected = grid[i][j]
            shown = table.cells[i][j] if i < rows and j < cols else None
            if shown is not None:
                assert shown.value == expected
        if reason == PRIMARY:
            assert 0 < grid[i][j] < 5
        if reason is not None and 0 < grid[i][j] < 5:
            assert reason == PRIMARY


def test_empty_tables():
    table = suppress([], threshold=5)
    assert table.cells == [] and table.row_totals == [] and table.column_totals == []
    assert table.grand_total == Cell(0)
    table = suppress([[], []], threshold=5)
    assert table.row_totals == [Cell(0), Cell(0)]


def test_rows_of_different_length_are_refused():
    with pytest.raises(ValueError):
        suppress([[1, 2], [3]], threshold=5)


def test_amounts_are_hidden_where_their_counts_are():
    counts = suppress([[3, 10], [8, 9]], threshold=5)
    amounts = mask_like([[Decimal("300.00"), Decimal("1000.50")], [Decimal("800"), Decimal("900")]], counts)
    assert pattern_of(amounts) == pattern_of(counts)
    assert amounts.cells[0][0].reason == PRIMARY
    for count_row, amount_row in zip(counts.cells, amounts.cells, strict=True):
        for count, amount in zip(count_row, amount_row, strict=True):
            assert count.suppressed == amount.suppressed
            assert (amount.value is None) == count.suppressed
    shown_totals = [c for c in amounts.column_totals if not c.suppressed]
    assert all(isinstance(c.value, Decimal) for c in shown_totals)


def test_amounts_need_the_shape_of_their_counts():
    with pytest.raises(ValueError):
        mask_like([[1, 2, 3]], suppress([[10, 10]], threshold=5))


# --- the audit: no combination of lines pins a hidden small count ----------------------------------------------

# Found by the security review's LP check: every line of the old pattern had two hidden cells, yet the rows and
# columns together give a = 1 exactly.
REVIEW_EXAMPLE = [[1, 6, 8, 0, 3], [8, 0, 12, 5, 0], [4, 0, 20, 6, 0]]
OLD_PATTERN_CELLS = [(0, 0), (0, 1), (0, 4), (1, 0), (1, 3), (2, 0), (2, 3), (3, 1), (3, 4)]


def test_the_audit_finds_the_cell_the_old_rule_left_pinned():
    grid = grid_with_totals(REVIEW_EXAMPLE)
    old = [[PRIMARY if (i, j) in OLD_PATTERN_CELLS else None for j in range(6)] for i in range(4)]
    assert all(sum(c is not None for c in row) != 1 for row in old)  # the old rule was satisfied …
    assert feasible_range(grid, old, (0, 0)) == (0, 0)  # … and still a = 1 exactly
    assert (0, 0) in audit(grid, old, 5)


def test_the_review_example_is_protected():
    grid = grid_with_totals(REVIEW_EXAMPLE)
    pattern = suppression_pattern(grid, 5)
    assert pattern[0][0] == PRIMARY
    assert audit(grid, pattern, 5) == []
    down, up = feasible_range(grid, pattern, (0, 0))
    assert 1 - down <= 1 and 1 + up >= 4, (down, up)
    assert not any(pattern[i][j] == SECONDARY and grid[i][j] == 0 for i in range(4) for j in range(6))


def test_feasible_range_is_exact_on_a_small_table():
    # [[2, 9], [9, 2]]: hide the four inner cells, show the totals (11, 11 / 11, 11): a can be 0 … 11.
    grid = grid_with_totals([[2, 9], [9, 2]])
    pattern = [[PRIMARY, SECONDARY, None], [SECONDARY, PRIMARY, None], [None, None, None]]
    assert feasible_range(grid, pattern, (0, 0)) == (2, 9)
    assert protected(grid, pattern, (0, 0), 5)
    # Hiding only a row pair pins nothing either way but the column totals do: 2 is recomputable.
    pattern = [[PRIMARY, SECONDARY, None], [None, None, None], [None, None, None]]
    assert feasible_range(grid, pattern, (0, 0)) == (0, 0)
    assert not protected(grid, pattern, (0, 0), 5)


def brute_force_range(grid, pattern, position, cap):
    """The integer values the hidden cell at ``position`` can take (0 … cap) with every shown cell kept: by
    enumerating every completion of the hidden cells — an independent check of the flow computation."""
    from itertools import product as combos

    hidden = [(i, j) for i, row in enumerate(pattern) for j, r in enumerate(row) if r is not None]
    h, w = len(grid), len(grid[0])
    seen = set()
    for guess in combos(range(cap + 1), repeat=len(hidden)):
        g = [list(row) for row in grid]
        for (i, j), v in zip(hidden, guess, strict=True):
            g[i][j] = v
        if all(sum(g[i][:-1]) == g[i][-1] for i in range(h)) and all(
            sum(g[i][j] for i in range(h - 1)) == g[h - 1][j] for j in range(w)
        ):
            seen.add(g[position[0]][position[1]])
    return min(seen), max(seen)


@pytest.mark.parametrize("seed", range(60))
def test_feasible_range_agrees_with_brute_force_on_tiny_tables(seed):
    import random

    rng = random.Random(1000 + seed)
    counts = [[rng.choice([0, 1, 2, 3, 4]) for _ in range(2)] for _ in range(1 + rng.randint(0, 1))]
    grid = grid_with_totals(counts)
    # The grand total stays shown: every cell lies in 0 … grand total, so enumerating up to it is exhaustive.
    cells = [(i, j) for i in range(len(grid)) for j in range(len(grid[0])) if (i, j) != (len(grid) - 1, 2)]
    chosen = rng.sample(cells, k=min(len(cells), rng.randint(2, 4)))
    pattern = [[PRIMARY if (i, j) in chosen else None for j in range(len(grid[0]))] for i in range(len(grid))]
    cap = grid[-1][-1]
    for position in chosen:
        low, high = brute_force_range(grid, pattern, position, cap)
        down, up = feasible_range(grid, pattern, position, limit=cap)
        value = grid[position[0]][position[1]]
        assert (value - down, value + up) == (low, high), (counts, chosen, position)


def test_no_primary_cell_is_ever_pinned_property():
    """A few thousand random tables (shapes and small counts like the partners' figures): every primary cell's
    feasible interval covers the whole small range or spans the threshold, and no zero is ever hidden."""
    import random

    rng = random.Random(2026)
    for _ in range(3000):
        rows, cols = rng.randint(1, 5), rng.randint(1, 6)
        counts = [[rng.choice([0, 0, 1, 2, 3, 4, 5, 6, 8, 12, 20]) for _ in range(cols)] for _ in range(rows)]
        grid = grid_with_totals(counts)
        pattern = suppression_pattern(grid, 5)
        assert audit(grid, pattern, 5) == [], counts
        for i, row in enumerate(pattern):
            for j, reason in enumerate(row):
                assert not (reason is not None and grid[i][j] == 0), (counts, i, j)
                assert (reason == PRIMARY) == (0 < grid[i][j] < 5)
