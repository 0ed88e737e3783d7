"""Complementary suppression (DESIGN.md section 5): no small count may be worked out from the
numbers a report does show.

A report shows, per counter, a column of row counts and their total. Hiding a count from 1 to 4
as "<5" (`suppress`) is not enough on its own: with the total shown, the total minus the other
rows gives the hidden count back (rows 7 and "<5", total 10: the hidden one is 3). So within
one column a second count is hidden as well, marked "x" rather than "<5" because it may be 5 or
more, as statistical offices do.

What a reader can work out of one column: the total T and the shown rows give the sum S of the
hidden rows. Each "<5" lies in 1..4; each "x" is a shown-worthy count, so at least 5 (a zero is
never hidden: it protects nothing). A "<5" is pinned to one value exactly when
- it is the only hidden row (it equals S), or
- S is the least the hidden rows can add up to (every one at its lower bound: all "<5" are 1), or
- no "x" is among them and S is the most they can add up to (all "<5" are 4).
Otherwise each "<5" keeps at least two possible values. When a column would pin one, the rule
also hides the smallest shown row that makes the column safe (the first in report order among
equals), and if no row can, the total itself. One step always settles a column: an "x" lifts the
upper bound, and any row of 6 or more, or any "<5" above 1, lifts S above the lower bound.

A hidden total leaves no equation, so a column whose total is itself 1 to 4 ("<5") needs
nothing more. The counters of one row are not sums of one another as shown (the cross-region
matches are a part of the matches whose other part is not shown), so rows need no such rule.
"""

from __future__ import annotations

from collections.abc import Sequence

from verwijsindex.domain.statistics import SMALL, SMALLEST_SHOWN, suppress

HIDDEN = "x"  # hidden so that a small count elsewhere in its column cannot be derived

Shown = int | str


def _pins_a_small_count(hidden: Sequence[Shown], rest: int) -> bool:
    """Whether the hidden cells of a column, adding up to `rest` as the reader can work out,
    leave one of its "<5" with a single possible value."""
    small = sum(1 for cell in hidden if cell == SMALL)
    if not small:
        return False
    if len(hidden) == 1:
        return True
    others = len(hidden) - small
    least = small + others * SMALLEST_SHOWN
    most = None if others else small * (SMALLEST_SHOWN - 1)
    return rest in (least, most)


def protect(rows: Sequence[int], total: int) -> tuple[list[Shown], Shown]:
    """One column as it may leave the index: its rows and total, with every count from 1 to 4 as
    "<5" and, where the total would give one back, one more count hidden as "x"."""
    shown: list[Shown] = [suppress(count) for count in rows]
    shown_total: Shown = suppress(total)
    if shown_total == SMALL:
        return shown, shown_total

    def pinned() -> bool:
        hidden = [cell for cell in shown if not isinstance(cell, int)]
        rest = total - sum(cell for cell in shown if isinstance(cell, int))
        return _pins_a_small_count(hidden, rest)

    if not pinned():
        return shown, shown_total
    candidates = sorted((count, n) for n, count in enumerate(rows) if shown[n] == count and count)
    for _, n in candidates:
        shown[n] = HIDDEN
        if not pinned():
            return shown, shown_total
        shown[n] = rows[n]
    return shown, HIDDEN
