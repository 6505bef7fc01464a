"""Word's automatic numbering (numbering.xml): the marker text a numbered paragraph shows,
e.g. 一、 （一） 1. （1）, so headings numbered by Word are recognised like typed ones."""

from __future__ import annotations

from docx.document import Document
from docx.oxml.ns import qn

from casebook.inputs.headings import to_chinese

_CHINESE_FORMATS = {
    "chineseCounting",
    "chineseCountingThousand",
    "chineseLegalSimplified",
    "ideographTraditional",
    "japaneseCounting",
    "koreanCounting",
    "taiwaneseCounting",
    "taiwaneseCountingThousand",
    "ideographLegalTraditional",
}
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


class Numbering:
    def __init__(self, levels: dict[str, dict[int, tuple[str, str, int]]]):
        self.levels = levels  # numId -> ilvl -> (numFmt, lvlText, start)
        self.counters: dict[str, dict[int, int]] = {}

    @classmethod
    def of(cls, document: Document) -> Numbering:
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return cls({})
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        for node in root.iterchildren(qn("w:abstractNum")):
            abstract[node.get(qn("w:abstractNumId"))] = {
                int(lvl.get(qn("w:ilvl")) or 0): _level(lvl) for lvl in node.iterchildren(qn("w:lvl"))
            }
        levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        for num in root.iterchildren(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            base = dict(abstract.get(ref.get(qn("w:val")) if ref is not None else "", {}))
            for override in num.iterchildren(qn("w:lvlOverride")):
                ilvl = int(override.get(qn("w:ilvl")) or 0)
                lvl = override.find(qn("w:lvl"))
                if lvl is not None:
                    base[ilvl] = _level(lvl)
                start = override.find(qn("w:startOverride"))
                if start is not None and ilvl in base:
                    fmt, text, _ = base[ilvl]
                    base[ilvl] = (fmt, text, int(start.get(qn("w:val")) or 1))
            levels[num.get(qn("w:numId"))] = base
        return cls(levels)

    def next(self, num_id: str, ilvl: int) -> tuple[str, str | None]:
        """(marker text, list kind) for the next paragraph of this list at this level."""
        levels = self.levels.get(num_id)
        if not levels or ilvl not in levels:
            return "", "ordered"
        counters = self.counters.setdefault(num_id, {})
        fmt, text, start = levels[ilvl]
        counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else start
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        if fmt == "bullet":
            return "", "bullet"
        if fmt == "none":
            return text if "%" not in text else "", None
        marker = text
        for level in range(ilvl, -1, -1):
            placeholder = f"%{level + 1}"
            if placeholder in marker:
                level_fmt = levels.get(level, (fmt, "", 1))[0]
                value = counters.get(level, levels.get(level, ("", "", 1))[2])
                marker = marker.replace(placeholder, _format(value, level_fmt))
        return marker, "ordered"


def _level(lvl) -> tuple[str, str, int]:
    fmt = lvl.find(qn("w:numFmt"))
    text = lvl.find(qn("w:lvlText"))
    start = lvl.find(qn("w:start"))
    return (
        fmt.get(qn("w:val")) if fmt is not None else "decimal",
        text.get(qn("w:val")) if text is not None else "",
        int(start.get(qn("w:val")) or 1) if start is not None else 1,
    )


def _format(value: int, fmt: str) -> str:
    if fmt in _CHINESE_FORMATS:
        return to_chinese(value)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= value <= len(_CIRCLED):
        return _CIRCLED[value - 1]
    if fmt == "lowerLetter":
        return chr(ord("a") + (value - 1) % 26)
    if fmt == "upperLetter":
        return chr(ord("A") + (value - 1) % 26)
    if fmt == "decimalFullWidth":
        return str(value)
    return str(value)
