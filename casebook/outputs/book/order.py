"""The order of a volume: parts by category in the profile's order; within a part, by ``order``,
then by the unit in the book's ``order`` setting (pinyin or strokes, :mod:`casebook.publish.sortkey`), then
by title. The organisers' lists reuse this order."""

from __future__ import annotations

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
    explicit = case.order is not None
    rank = (0, case.order) if explicit else (1, 0)
    return (*rank, unit_key(case.unit, method), sort_key(case.title), case.rel)


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
        members = sorted((c for c in cases if c.category == name), key=lambda c: case_key(c, method))
        if members:
            result.append(Part(name, part_name, tuple(members)))
    return result
