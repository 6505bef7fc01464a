"""The order of a volume: parts by category in the profile's order; within a part, by ``order``,
then by the unit's pinyin (the usual order of Chinese name lists), then by title."""

from __future__ import annotations

from dataclasses import dataclass

from pypinyin import Style, lazy_pinyin

from ..model import Case, Collection


@dataclass(frozen=True)
class Part:
    category: str
    name: str  # the part heading, e.g. 企业篇
    cases: tuple[Case, ...]


def pinyin_key(text: str) -> tuple[str, ...]:
    """Tone-numbered pinyin per character; Latin letters and digits as they are."""
    return tuple(lazy_pinyin(text, style=Style.TONE3, neutral_tone_with_five=True, errors="default"))


def case_key(case: Case) -> tuple:
    explicit = case.order is not None
    return (
        0 if explicit else 1,
        case.order if explicit else 0,
        pinyin_key(case.unit),
        case.unit,
        pinyin_key(case.title),
        case.rel,
    )


def parts(collection: Collection, year: int) -> list[Part]:
    """The non-empty parts of one year's volume, in the profile's category order."""
    cases = [c for c in collection.cases if c.year == year]
    known = [(c.name, c.part) for c in collection.profile.categories]
    names = {name for name, _ in known}
    extra = sorted({c.category for c in cases if c.category not in names}, key=pinyin_key)
    result = []
    for name, part_name in known + [(n, f"{n}篇") for n in extra]:
        members = sorted((c for c in cases if c.category == name), key=case_key)
        if members:
            result.append(Part(name, part_name, tuple(members)))
    return result
