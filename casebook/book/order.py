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


def case_key(case: Case, method: str = "pinyin") -> tuple:
    """order first (cases without it after those with it), then the unit's pinyin or strokes."""
    explicit = case.order is not None
    if method == "stroke":
        from .strokes import stroke_key

        unit_key: tuple = stroke_key(case.unit)
    else:
        unit_key = pinyin_key(case.unit)
    return (0 if explicit else 1, case.order if explicit else 0, unit_key, case.unit, case.title, case.rel)


def method_of(collection: Collection) -> str:
    """The book setting ``order``: pinyin (default) or stroke (笔画)."""
    value = str(collection.settings.book.get("order") or "pinyin").strip().lower()
    return "stroke" if value in ("stroke", "strokes", "笔画") else "pinyin"


def parts(collection: Collection, year: int) -> list[Part]:
    """The non-empty parts of one year's volume, in the profile's category order."""
    cases = [c for c in collection.cases if c.year == year]
    method = method_of(collection)
    known = [(c.name, c.part) for c in collection.profile.categories]
    names = {name for name, _ in known}
    extra = sorted({c.category for c in cases if c.category not in names}, key=pinyin_key)
    result = []
    for name, part_name in known + [(n, f"{n}篇") for n in extra]:
        members = sorted((c for c in cases if c.category == name), key=lambda c: case_key(c, method))
        if members:
            result.append(Part(name, part_name, tuple(members)))
    return result
