"""Complementary suppression: within one column of a report (its rows and total) no "<5" can be
worked out from the numbers shown, and a count hidden to protect one is "x", not "<5"."""

from __future__ import annotations

import itertools

import pytest

from verwijsindex.domain.statistics import Counter, Group
from verwijsindex.domain.suppression import HIDDEN, Shown, protect
from verwijsindex.logic.statistics_schemas import rows_of


def derivable(rows: list[Shown], total: Shown) -> set[int]:
    """The rows whose "<5" a reader can pin to one value: every assignment of the hidden cells
    ("<5" in 1..4, "x" in 5..40) that adds up to what the total leaves, tried one by one."""
    if not isinstance(total, int):
        return set()
    hidden = [n for n, cell in enumerate(rows) if not isinstance(cell, int)]
    rest = total - sum(cell for cell in rows if isinstance(cell, int))
    ranges = [range(1, 5) if rows[n] == "<5" else range(5, 41) for n in hidden]
    seen: dict[int, set[int]] = {n: set() for n in hidden}
    for values in itertools.product(*ranges):
        if sum(values) == rest:
            for n, value in zip(hidden, values, strict=True):
                seen[n].add(value)
    return {n for n in hidden if rows[n] == "<5" and len(seen[n]) == 1}


def test_the_total_no_longer_gives_a_single_small_count_back() -> None:
    # by organisation: 7 and 3, total 10; shown per cell, 10 - 7 would give the 3 back
    assert protect([7, 3], 10) == ([HIDDEN, "<5"], 10)


def test_a_column_with_two_small_counts_needs_nothing_more() -> None:
    assert protect([7, 2, 3], 12) == ([7, "<5", "<5"], 12)


def test_two_ones_or_two_fours_would_be_pinned_by_their_sum() -> None:
    # the hidden pair adds up to 2 (both 1) or 8 (both 4): one more row is hidden
    assert protect([7, 1, 1], 9) == ([HIDDEN, "<5", "<5"], 9)
    assert protect([9, 4, 4], 17) == ([HIDDEN, "<5", "<5"], 17)


def test_the_smallest_row_is_hidden_and_the_first_among_equals() -> None:
    assert protect([12, 6, 3, 6, 9], 36) == ([12, HIDDEN, "<5", 6, 9], 36)


def test_a_row_of_five_would_not_protect_a_one_so_a_larger_row_is_hidden() -> None:
    # hiding the 5 leaves "<5" + "x" = 6 with "x" at least 5: the "<5" would be 1
    assert protect([1, 5, 8], 14) == (["<5", 5, HIDDEN], 14)
    assert protect([2, 5, 8], 15) == (["<5", HIDDEN, 8], 15)  # 7 = 2 + 5 = 1 + 6: either


def test_zeros_are_never_hidden_and_when_no_row_can_protect_the_total_is() -> None:
    assert protect([0, 3, 0, 8], 11) == ([0, "<5", 0, HIDDEN], 11)
    assert protect([0, 3, 0], 3) == ([0, "<5", 0], "<5")  # the total is small itself
    assert protect([1, 5, 0], 6) == (["<5", 5, 0], HIDDEN)
    assert protect([6], 6) == ([6], 6)
    assert protect([0, 0], 0) == ([0, 0], 0)


def test_a_total_below_five_leaves_nothing_to_derive() -> None:
    assert protect([3, 1], 4) == (["<5", "<5"], "<5")


@pytest.mark.parametrize("rows", [list(r) for r in itertools.product((0, 1, 2, 4, 5, 6, 9), repeat=3)])
def test_no_small_count_is_ever_derivable_from_a_column(rows: list[int]) -> None:
    shown, total = protect(rows, sum(rows))
    assert derivable(shown, total) == set()
    for count, cell in zip(rows, shown, strict=True):
        assert cell == count or (cell == "<5" and 0 < count < 5) or (cell == HIDDEN and count >= 5)


def test_the_report_protects_each_counter_column_on_its_own() -> None:
    groups = [Group(key="org-a"), Group(key="org-b"), Group(key="org-c")]
    for group, placed, matches in zip(groups, (7, 3, 20), (2, 3, 8), strict=True):
        group.counts[Counter.PLACED], group.counts[Counter.MATCH_CLIENT] = placed, matches
    total = Group(key="total")
    total.counts[Counter.PLACED], total.counts[Counter.MATCH_CLIENT] = 30, 13
    rows, shown_total = rows_of(groups, total)
    assert [row.counts[Counter.PLACED] for row in rows] == [HIDDEN, "<5", 20]
    assert [row.counts[Counter.MATCH_CLIENT] for row in rows] == ["<5", "<5", 8]
    assert (shown_total.counts[Counter.PLACED], shown_total.counts[Counter.MATCH_CLIENT]) == (30, 13)
