"""The order of a volume: parts by category in the profile's order; within a part, by ``order``,
then by the unit in the book's ``order`` setting (pinyin or strokes, :mod:`casebook.publish.sortkey`), then
by title. The organisers' lists reuse this order."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass

from casebook.model import Case, Collection
from casebook.publish.sortkey import sort_key, unit_key


@dataclass(frozen=True)
class Part:
    category: str
    name: str  # the part heading, e.g. 企业篇
    cases: tuple[Case, ...]


def case_key(case: Case, method: str = "pinyin") -> tuple:
    """order first (cases without it after those with it), then the unit's pinyin or strokes."""
    return (*_unit_rank(case, method), sort_key(case.title), case.rel)


def _unit_rank(case: Case, method: str) -> tuple:
    rank = (0, case.order) if case.order is not None else (1, 0)
    return (*rank, unit_key(case.unit, method))


def sorted_cases(cases: Iterable[Case], method: str = "pinyin") -> list[Case]:
    """The cases in case_key order, the titles' pinyin read only where order and unit tie (reading
    every title for it was most of the sort's time, and titles rarely decide)."""
    out: list[Case] = []
    for _rank, group in itertools.groupby(
        sorted(cases, key=lambda c: _unit_rank(c, method)), key=lambda c: _unit_rank(c, method)
    ):
        tied = list(group)
        out.extend(tied if len(tied) == 1 else sorted(tied, key=lambda c: (sort_key(c.title), c.rel)))
    return out


def method_of(collection: Collection) -> str:
    """The book setting ``order``: "pinyin" (default) or "stroke" (笔画), as the settings schema typed it."""
    return collection.settings.book.order


def parts(collection: Collection, year: int) -> list[Part]:
    """The non-empty parts of one year's volume, in the profile's category order."""
    cases = [c for c in collection.cases if c.year == year]
    method = method_of(collection)
    known = [(c.name, c.part) for c in collection.profile.categories]
    names = {name for name, _ in known}
    extra = sorted({c.category for c in cases if c.category not in names}, key=sort_key)
    result = []
    for name, part_name in known + [(n, f"{n}篇") for n in extra]:
        members = sorted_cases((c for c in cases if c.category == name), method)
        if members:
            result.append(Part(name, part_name, tuple(members)))
    return result
