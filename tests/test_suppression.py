"""Small-count suppression of aggregate tables (ostoja.tenants.suppression): pure functions, no database."""

from decimal import Decimal
from itertools import product

import pytest

from ostoja.tenants.suppression import (
    PRIMARY,
    SECONDARY,
    Cell,
    grid_with_totals,
    mask_like,
    pattern_of,
    recomputable,
    suppress,
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


def test_a_zero_is_hidden_only_when_nothing_else_is_left():
    # Row 0: 2 is small; the other cells of the row are zeros, the row total (2) is small as well.
    # Column 0: [2, 40] with total 42: the smallest non-zero shown cell of the column is 40.
    table = suppress([[2, 0], [40, 9]], threshold=5)
    assert table.cells[0][0].reason == PRIMARY
    assert table.row_totals[0].reason == PRIMARY
    assert table.cells[0][1] == Cell(0)
    assert recomputable(table) == []
    # A line where the only candidates are zeros and one hidden cell: a zero is hidden.
    table = suppress([[3, 0, 0]], threshold=5)
    assert table.cells[0][0].reason == PRIMARY
    assert table.row_totals[0].reason == PRIMARY
    assert recomputable(table) == []


def test_zero_chosen_when_it_is_the_only_candidate_left():
    # Column 1 holds only zeros and its total; column 0 has 3 hidden (primary) so the totals line, row 0 and
    # column 0 need a second hidden cell.
    table = suppress([[3, 0], [10, 0]], threshold=5)
    assert recomputable(table) == []
    assert table.cells[0][0].reason == PRIMARY


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
