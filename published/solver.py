"""Split runs of digits that a flattened page glued together (“640020470” → 64,0,0,2,0,4,70).

Pure functions: the caller names the cells of each row and the equations between cells (a
row's 总计 = the sum of its six applicant columns, （七）总计 = the sum of the result rows per
column, 一+二 = 三+四 …); nothing here knows a format.

How a row may be read (its *readings*):

* whitespace separates tokens; a number never spans a space, but one token may hold several
  numbers (“10 0 0 0 01” with 7 cells is 1,0,0,0,0,0,1);
* a number has no leading zero unless it is 0 itself (“01” is 0,1);
* “-” starts a negative number only in a ``signed`` cell (“2648-18538”: 2648,-185,38 is one
  of four readings);
* “.” belongs to a ``money`` cell, followed by 1 … MONEY_PLACES decimals;
* counts stay within MAX_COUNT, money within MAX_MONEY_DIGITS integer digits.

Then the equations choose among the readings: first each row alone (equations whose cells are
all in that row), then the rows together (equations spanning rows), only for rows that still
have several readings.  Nothing is invented:

* a row with exactly one reading keeps it even where its equations disagree (2000000 in seven
  cells is 2,0,0,0,0,0,0 whatever its 总计 says: that is a finding for the checks, not a split);
* where the equations leave no reading, the row is reported with ``conflict=True`` and the
  readings it has on its own (unconstrained, or after its own equations where the conflict only
  arises between rows), so that the clerk decides;
* a row whose search exceeds the caps (a pathological 40-digit run) is returned unresolved:
  ``candidates=()`` and ``unconstrained=-1``.

Rows in conflict, unresolved or without a reading take no part in the joint search (the
equations touching them are dropped: that can only leave more readings, never fewer).  When the
equations between rows leave no combination, every row they tie together (with several
readings) is flagged ``conflict``.  When the joint search exceeds its cap, each row keeps the
readings that every equation on its own still allows (a superset of the exact answer).
Candidates are listed with shorter numbers on the left first, at most MAX_CANDIDATES.
"""

from __future__ import annotations

import itertools
import re
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from model.formats.types import MAX_COUNT, MAX_MONEY_DIGITS, MONEY_PLACES
from published.numbers import normalise_digits

__all__ = ["MAX_CANDIDATES", "Equation", "GluedRow", "RowSplits", "split_rows"]

Equation = Mapping[str, int]
"""cell key → coefficient; a solution makes ``sum(coef * value) == 0``."""

Value = int | Decimal
Reading = tuple[Value, ...]

#: Readings returned per row at most (listed with shorter numbers on the left first).
MAX_CANDIDATES = 20
#: Readings of one row kept for the joint search at most; beyond, the row is unresolved.
_MAX_ROW_READINGS = 2000
#: Numbers tried per row, and readings combined in the joint search, before giving up
#: (each about a tenth of a second here: deterministic caps that bite before the clocks).
_MAX_ROW_STEPS = 60_000
_MAX_JOINT_NODES = 30_000
#: Wall-clock limits, seconds, per row and for the joint search (a safety net beside the
#: node caps, so that one pathological row cannot starve the others).
_ROW_TIME = 1.0
_JOINT_TIME = 2.0
#: Distinct partial sums kept when propagating an equation; beyond, it does not prune.
_MAX_SUMSET = 20_000

_COUNT_DIGITS = len(str(MAX_COUNT))
_ALLOWED = re.compile(r"[0-9.\-\s]*\Z")


@dataclass(frozen=True)
class GluedRow:
    """One row's printed values as they stand in the text, and the cells they must fill."""

    key: str  # an id for the row (e.g. "requests.new")
    text: str  # "640020470", "10 0 0 0 01", "2648-18538", "0 0 00 0 0 0"
    cells: tuple[str, ...]  # the cell keys it must fill, in printed order
    signed: frozenset[str] = frozenset()  # cells that may be negative
    money: frozenset[str] = frozenset()  # cells that may carry decimals


@dataclass(frozen=True)
class RowSplits:
    """The readings of a row that fit, in the order of ``GluedRow.cells``.

    One candidate: the row is read.  Several: the clerk chooses.  None with ``unconstrained``
    0: the text cannot fill the cells (too few digits, a stray sign …).  ``conflict``: the
    equations left no reading, and ``candidates`` are the row's own readings.
    ``unconstrained`` is how many readings the row had before any equation (-1: search
    abandoned at the caps, ``candidates`` empty)."""

    candidates: tuple[tuple[int | Decimal, ...], ...]
    conflict: bool = False
    unconstrained: int = 0


def split_rows(
    rows: Sequence[GluedRow], equations: Sequence[Equation] = ()
) -> dict[str, RowSplits]:
    """Every row's readings that fit the equations, by row key.

    Raises :class:`ValueError` for a caller's mistake: two rows with one key, a cell in two
    rows, or text with anything but digits, “.”, “-” and spaces."""
    owner: dict[str, str] = {}
    seen_rows: set[str] = set()
    for row in rows:
        if row.key in seen_rows:
            raise ValueError(f"row {row.key!r} given twice")
        seen_rows.add(row.key)
        for cell in row.cells:
            if cell in owner:
                raise ValueError(f"cell {cell!r} in rows {owner[cell]!r} and {row.key!r}")
            owner[cell] = row.key
    # Equations on cells no row fills cannot be evaluated: they are left out.
    usable = [dict(eq) for eq in equations if eq and all(cell in owner for cell in eq)]

    result: dict[str, RowSplits] = {}
    own: dict[str, list[Reading]] = {}  # readings after the row's own equations
    for row in rows:
        local = [eq for eq in usable if all(owner[cell] == row.key for cell in eq)]
        splits, readings = _split_row(row, local, time.monotonic() + _ROW_TIME)
        result[row.key] = splits
        if readings is not None:
            own[row.key] = readings

    by_key = {row.key: row for row in rows}
    joint = [eq for eq in usable if len({owner[cell] for cell in eq}) > 1]
    known = [eq for eq in joint if all(owner[cell] in own for cell in eq)]
    deadline = time.monotonic() + _JOINT_TIME
    for component in _components(known, owner, own):
        _solve_jointly(component, known, owner, own, by_key, result, deadline)
    return result


# --- one row ---------------------------------------------------------------------------------


def _tokens(text: str) -> list[str]:
    cleaned = normalise_digits(text)
    if not _ALLOWED.match(cleaned):
        raise ValueError(f"glued row text {text!r} holds more than digits, '.', '-' and spaces")
    return cleaned.split()


def _numbers(token: str, start: int, signed: bool, money: bool) -> Iterator[tuple[int, Value]]:
    """Every number that may start at ``token[start]``: (end, value), shortest first."""
    pos = start
    negative = False
    if token[pos] == "-":
        if not signed:
            return
        negative, pos = True, pos + 1
        if pos >= len(token):
            return
    if not token[pos].isdigit():
        return
    if token[pos] == "0":
        if negative:  # “-0” is no number a report prints
            return
        ends = [pos + 1]
    else:
        limit = MAX_MONEY_DIGITS if money else _COUNT_DIGITS
        ends = []
        for end in range(pos + 1, min(len(token), pos + limit) + 1):
            if not token[end - 1].isdigit():
                break
            ends.append(end)
    for end in ends:
        digits = token[pos:end]
        if money:
            if negative:
                continue
            yield end, Decimal(digits)
            if end < len(token) and token[end] == ".":
                for frac_end in range(end + 2, min(len(token), end + 1 + MONEY_PLACES) + 1):
                    if not token[frac_end - 1].isdigit():
                        break
                    yield frac_end, Decimal(token[pos:frac_end])
        else:
            value = int(digits)
            if value > MAX_COUNT:
                break
            yield end, -value if negative else value


class _Budget(Exception):
    """The search ran past its caps."""


class _Full(Exception):
    """Enough readings found."""


def _readings(
    row: GluedRow,
    equations: Sequence[Mapping[str, int]],
    limit: int,
    deadline: float,
    truncate: bool = False,
) -> list[Reading]:
    """The row's readings that fit ``equations`` (all on this row), at most ``limit``.

    Raises :class:`_Budget` past the node or time cap, or past ``limit`` readings unless
    ``truncate`` (then the first ``limit`` are returned)."""
    tokens = _tokens(row.text)
    cells = row.cells
    n = len(cells)
    if not tokens or not n:
        return []
    index = {cell: i for i, cell in enumerate(cells)}
    signed = [cell in row.signed for cell in cells]
    money = [cell in row.money for cell in cells]
    # The search sets cells right to left (a row's 总计 is printed last: once it is set, every
    # part must stay below it).  Each equation is checked in full once its first cell is set,
    # and bounded before that.
    check_at: dict[int, list[list[tuple[int, int]]]] = {}
    bounded: list[tuple[list[tuple[int, int]], int, int]] = []
    for eq in equations:
        terms = [(index[cell], coef) for cell, coef in eq.items() if coef]
        if terms:
            first = min(i for i, _ in terms)
            check_at.setdefault(first, []).append(terms)
            if not any(signed[i] for i, _ in terms):
                bounded.append((terms, first, max(i for i, _ in terms)))
    widest = MAX_MONEY_DIGITS if any(money) else _COUNT_DIGITS
    # Every number that may end at (token, end) in a cell of given flags: (start, value).
    ending: dict[tuple[int, int, bool, bool], list[tuple[int, Value]]] = {}
    for flags in {(signed[c], money[c]) for c in range(n)}:
        for t, token in enumerate(tokens):
            for start in range(len(token)):
                for end, value in _numbers(token, start, *flags):
                    ending.setdefault((t, end, *flags), []).append((start, value))
    before = [sum(len(token) for token in tokens[:t]) for t in range(len(tokens))]
    found: list[Reading] = []
    stop = limit if truncate else limit + 1
    values: list[Value] = [0] * n
    nodes = 0

    # Per cell: the equations to bound once it is set, as (set terms, open up, open down).
    bounds: list[list[tuple[list[tuple[int, int]], int, int]]] = [[] for _ in range(n)]
    for terms, first, last in bounded:
        for c in range(first + 1, last + 1):
            settled_terms = [(i, coef) for i, coef in terms if i >= c]
            up = sum(coef for i, coef in terms if i < c and coef > 0)
            down = -sum(coef for i, coef in terms if i < c and coef < 0)
            bounds[c].append((settled_terms, up, down))

    def fits(c: int, chars_before: int) -> bool:
        if c in check_at and not all(
            sum(coef * values[i] for i, coef in terms) == 0 for terms in check_at[c]
        ):
            return False
        if not bounds[c]:
            return True
        if chars_before < c:
            return False  # the open cells cannot all have a character
        # Cells 0 … c-1 are still open: none can be longer than what is left for it.
        largest = 10 ** min(chars_before - (c - 1), widest) - 1
        for settled_terms, up, down in bounds[c]:
            settled = sum(coef * values[i] for i, coef in settled_terms)
            if settled - down * largest > 0 or settled + up * largest < 0:
                return False
        return True

    def walk(t: int, end: int, c: int) -> None:
        nonlocal nodes
        # Each open cell needs a character; each open token a cell.
        if before[t] + end < c + 1 or t > c:
            return
        options = ending.get((t, end, signed[c], money[c]), ())
        nodes += len(options)
        if nodes > _MAX_ROW_STEPS or time.monotonic() > deadline:
            raise _Budget
        for start, value in options:
            if before[t] + start < c or (start == 0 and t > c):
                continue  # too few characters, or tokens, left for the open cells
            values[c] = value
            if not fits(c, before[t] + start):
                continue
            if start > 0:
                walk(t, start, c - 1)
            elif t > 0:
                if c > 0:
                    walk(t - 1, len(tokens[t - 1]), c - 1)
            elif c == 0:
                found.append(tuple(values))
                if len(found) >= stop:
                    raise _Full

    try:
        walk(len(tokens) - 1, len(tokens[-1]), n - 1)
    except _Full:
        if not truncate and len(found) > limit:
            raise _Budget from None
    return sorted(found[:limit], key=_shape)


def _shape(reading: Reading) -> tuple[int, ...]:
    """Readings are listed by the length of their numbers, left first (1,10,… before 11,0,…)."""
    return tuple(len(str(value)) for value in reading)


def _count(row: GluedRow) -> int:
    """How many readings the row has before any equation (exact, memoised)."""
    tokens = _tokens(row.text)
    cells = row.cells
    n = len(cells)
    memo: dict[tuple[int, int, int], int] = {}

    def ways(t: int, p: int, c: int) -> int:
        if c == n:
            return int(t == len(tokens))
        if t == len(tokens) or len(tokens) - t > n - c:
            return 0
        state = (t, p, c)
        if state not in memo:
            token = tokens[t]
            total = 0
            for end, _ in _numbers(token, p, cells[c] in row.signed, cells[c] in row.money):
                total += ways(t + 1, 0, c + 1) if end == len(token) else ways(t, end, c + 1)
            memo[state] = total
        return memo[state]

    return ways(0, 0, 0) if tokens and n else 0


def _split_row(
    row: GluedRow, local: Sequence[Mapping[str, int]], deadline: float
) -> tuple[RowSplits, list[Reading] | None]:
    """The row alone, and its readings for the joint search (None: it takes no part)."""
    unconstrained = _count(row)
    if unconstrained <= 1:
        # One reading is what the page printed, whatever the equations say.
        try:
            free = _readings(row, (), 1, deadline)
        except _Budget:
            return RowSplits((), False, -1), None
        return RowSplits(tuple(free), False, unconstrained), (free or None)
    try:
        fitting = _readings(row, local, _MAX_ROW_READINGS, deadline)
    except _Budget:
        return RowSplits((), False, -1), None
    if not fitting:
        try:
            shown = _readings(row, (), MAX_CANDIDATES, deadline, truncate=True)
        except _Budget:
            shown = []
        return RowSplits(tuple(shown), True, unconstrained), None
    return RowSplits(tuple(fitting[:MAX_CANDIDATES]), False, unconstrained), fitting


# --- rows together ---------------------------------------------------------------------------


def _components(
    equations: Sequence[Mapping[str, int]],
    owner: Mapping[str, str],
    own: Mapping[str, list[Reading]],
) -> list[list[str]]:
    """Groups of rows with several readings that equations tie together."""
    parent: dict[str, str] = {}

    def find(key: str) -> str:
        while parent.setdefault(key, key) != key:
            key = parent[key]
        return key

    for eq in equations:
        open_rows = sorted({owner[cell] for cell in eq if len(own[owner[cell]]) > 1})
        for a, b in itertools.pairwise(open_rows):
            parent[find(a)] = find(b)
        for key in open_rows:
            find(key)
    groups: dict[str, list[str]] = {}
    for key in parent:
        groups.setdefault(find(key), []).append(key)
    return list(groups.values())


def _solve_jointly(
    component: list[str],
    equations: Sequence[Mapping[str, int]],
    owner: Mapping[str, str],
    own: Mapping[str, list[Reading]],
    rows: Mapping[str, GluedRow],
    result: dict[str, RowSplits],
    deadline: float,
) -> None:
    members = set(component)
    # Each equation as: a constant (rows with one reading) + per open row, a contribution of
    # each of its readings.
    prepared: list[tuple[Value, dict[str, list[Value]]]] = []
    for eq in equations:
        if not any(owner[cell] in members for cell in eq):
            continue
        constant: Value = 0
        per_row: dict[str, list[tuple[int, int]]] = {}
        for cell, coef in eq.items():
            row_key = owner[cell]
            position = rows[row_key].cells.index(cell)
            if row_key in members:
                per_row.setdefault(row_key, []).append((position, coef))
            else:
                constant += coef * own[row_key][0][position]
        contributions = {
            key: [sum(coef * reading[i] for i, coef in terms) for reading in own[key]]
            for key, terms in per_row.items()
        }
        prepared.append((constant, contributions))

    domains = {key: list(range(len(own[key]))) for key in component}
    feasible = _propagate(domains, prepared)
    if feasible:
        exact = _search(component, domains, prepared, deadline)
        if exact is not None:
            domains = exact
            feasible = all(domains.values())
    for key in component:
        readings = own[key]
        if not feasible:
            result[key] = RowSplits(
                tuple(readings[:MAX_CANDIDATES]), True, result[key].unconstrained
            )
        else:
            kept = [readings[i] for i in domains[key]]
            result[key] = RowSplits(tuple(kept[:MAX_CANDIDATES]), False, result[key].unconstrained)


def _propagate(
    domains: dict[str, list[int]], prepared: Sequence[tuple[Value, dict[str, list[Value]]]]
) -> bool:
    """Drop readings no combination of the other rows' readings supports, equation by
    equation, until nothing changes (sound: never drops a reading of a true solution).
    False when a row has no reading left."""
    changed = True
    while changed:
        changed = False
        for constant, contributions in prepared:
            keys = list(contributions)
            for key in keys:
                others = _sumset(
                    [{contributions[k][i] for i in domains[k]} for k in keys if k != key]
                )
                if others is None:
                    continue
                kept = [i for i in domains[key] if -(constant + contributions[key][i]) in others]
                if len(kept) != len(domains[key]):
                    domains[key] = kept
                    changed = True
                    if not kept:
                        return False
    return True


def _sumset(sets: Sequence[set[Value]]) -> set[Value] | None:
    total: set[Value] = {0}
    for values in sets:
        total = {a + b for a in total for b in values}
        if len(total) > _MAX_SUMSET:
            return None
    return total


def _search(
    component: list[str],
    domains: dict[str, list[int]],
    prepared: Sequence[tuple[Value, dict[str, list[Value]]]],
    deadline: float,
) -> dict[str, list[int]] | None:
    """The readings that take part in at least one full solution, by backtracking; None when
    the caps were reached (the propagated domains then stand)."""
    order = sorted(component, key=lambda key: len(domains[key]))
    position = {key: i for i, key in enumerate(order)}
    # An equation is checked in full at the depth of its last row, and bounded before: the
    # rows still open can add no less than the sum of their smallest contributions and no
    # more than the sum of their largest.
    check_at: dict[int, list[tuple[Value, dict[str, list[Value]]]]] = {}
    bound_at: dict[int, list[tuple[Value, list[tuple[str, list[Value]]], Value, Value]]] = {}
    for constant, contributions in prepared:
        ordered = sorted(contributions, key=position.__getitem__)
        check_at.setdefault(position[ordered[-1]], []).append((constant, contributions))
        for cut in range(len(ordered) - 1):
            rest = ordered[cut + 1 :]
            low: Value = 0
            high: Value = 0
            for k in rest:
                low += min(contributions[k][i] for i in domains[k])
                high += max(contributions[k][i] for i in domains[k])
            settled = [(k, contributions[k]) for k in ordered[: cut + 1]]
            bound_at.setdefault(position[ordered[cut]], []).append((constant, settled, low, high))
    chosen: dict[str, int] = {}
    supported: dict[str, set[int]] = {key: set() for key in order}
    wanted = sum(len(domains[key]) for key in order)
    nodes = 0

    class _Done(Exception):
        pass

    def walk(depth: int) -> None:
        nonlocal nodes
        nodes += 1
        if nodes > _MAX_JOINT_NODES or (nodes & 1023 == 0 and time.monotonic() > deadline):
            raise _Budget
        if depth == len(order):
            for key, i in chosen.items():
                supported[key].add(i)
            if sum(len(s) for s in supported.values()) == wanted:
                raise _Done
            return
        key = order[depth]
        for i in domains[key]:
            chosen[key] = i
            if all(
                constant + sum(values[chosen[k]] for k, values in contributions.items()) == 0
                for constant, contributions in check_at.get(depth, ())
            ) and all(
                low <= -(constant + sum(values[chosen[k]] for k, values in settled)) <= high
                for constant, settled, low, high in bound_at.get(depth, ())
            ):
                walk(depth + 1)
        del chosen[key]

    try:
        walk(0)
    except _Done:
        pass
    except _Budget:
        return None
    return {key: [i for i in domains[key] if i in supported[key]] for key in order}
