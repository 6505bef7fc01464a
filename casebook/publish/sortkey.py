"""The one sort key for names (units, recommenders, categories) and titles, shared by the site, the
book and the organisers' lists, so that all three list the same names in the same order.

Pinyin order is the order of 《现代汉语词典》: names are compared character by character; for a
Chinese character first its toneless syllable (a–z, ü filed as u and just after it: lu < lü < luan <
lüe), then its tone (1–4, neutral 5 last). So 妈 ma1 < 麻 ma2 < 马 ma3, and 西安 (xi an) < 先 (xian).
Readings come from pypinyin on the whole text (its phrase dictionary resolves most polyphones:
重庆 chong, 长沙 chang, 厦门 xia, 六安 lu), plus a few place names and the surname 曾 it misreads.

Other characters, after NFKC folding (full-width Ａ１ become A1): punctuation and spaces first, then
digits, then Latin letters (case folded), then Chinese, then Chinese characters without a known
reading. Ties are broken by the text itself, so the key is total and deterministic.

The alternative order, 笔画 (stroke count), is :func:`casebook.publish.strokes.stroke_key`; callers
choose between the two through :func:`unit_key` only.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable

from casebook.util import pinyin

METHODS = ("pinyin", "stroke")

# Character classes, in sort order.
OTHER, DIGIT, LATIN, HAN, UNREAD_HAN = range(5)

# Readings pypinyin 0.55 gets wrong in unit names (it reads dan xian, zhao yang, zhang ning).
READINGS = {
    "单县": ("shan4", "xian4"),
    "朝阳": ("chao2", "yang2"),
    "长宁": ("chang2", "ning2"),
}
READINGS_RE = re.compile("|".join(sorted(READINGS, key=len, reverse=True)))
SURNAMES = {"曾": "zeng1"}  # read so at the start of a name: 曾氏…, 曾都区, 曾厝垵 (pypinyin: ceng)
SYLLABLE_RE = re.compile(r"([a-zêüv]+)([1-5])")

Element = tuple  # (class, …): same class, same shape


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def _pinyin(text: str) -> list[str]:
    return pinyin.readings(text, "tone3")


def _readings(text: str) -> list[str]:
    """One item per character of ``text``: a tone-numbered syllable, or something else where the
    character has no reading (the character itself; pypinyin gives 'X5' for a Chinese one)."""
    items = _pinyin(text)
    if len(items) != len(text):  # not seen: pypinyin gives one item per character
        items = [(_pinyin(ch) or [ch])[0] for ch in text]
    for match in READINGS_RE.finditer(text):
        items[match.start() : match.end()] = READINGS[match.group()]
    if text[:1] in SURNAMES:
        items[0] = SURNAMES[text[0]]
    return items


@functools.lru_cache(maxsize=1 << 12)  # a few hundred syllables and characters make every key
def _syllable(item: str) -> Element | None:
    """(HAN, letters with ü/ê as u/e, 1 if ü/ê, tone) — so lü sorts right after lu."""
    match = SYLLABLE_RE.fullmatch(item)
    if match is None:
        return None
    letters, tone = match.groups()
    plain = letters.replace("ü", "u").replace("v", "u").replace("ê", "e")
    return (HAN, plain, int(plain != letters), int(tone))


@functools.lru_cache(maxsize=1 << 12)
def _character(ch: str) -> Element:
    if "0" <= ch <= "9":
        return (DIGIT, ch)
    base = unicodedata.normalize("NFD", ch)[:1].lower()
    if "a" <= base <= "z":
        return (LATIN, base)
    if unicodedata.name(ch, "").startswith(("CJK UNIFIED IDEOGRAPH", "CJK COMPATIBILITY IDEOGRAPH")):
        return (UNREAD_HAN, ch)
    return (OTHER, ch)


@functools.lru_cache(maxsize=1 << 16)
def sort_key(text: str) -> tuple[tuple[Element, ...], str]:
    """The pinyin key of a name or title: per-character elements, then the text as the tie-break."""
    folded = _fold(text)
    elements = tuple(_syllable(item) or _character(ch) for ch, item in zip(folded, _readings(folded), strict=True))
    return elements, text


def initial(text: str) -> str:
    """The A–Z letter a name is filed under on the site's 按单位 page ('#' for anything else)."""
    elements = sort_key(text)[0]
    if elements and elements[0][0] in (LATIN, HAN):
        return elements[0][1][0].upper()
    return "#"


@functools.lru_cache(maxsize=1 << 16)
def unit_key(text: str, method: str = "pinyin") -> tuple:
    """The key of a name in the chosen order: "pinyin" (the default) or "stroke" (笔画)."""
    if method == "pinyin":
        return sort_key(text)
    if method == "stroke":
        from casebook.publish.strokes import stroke_key  # loads Unihan data on first use

        return stroke_key(_fold(text)), text
    raise ValueError(f"unknown sort method {method!r}; expected one of {METHODS}")


def ranks(texts: Iterable[str]) -> dict[str, str]:
    """Fixed-width rank of each text in pinyin order, for sorts done by plain string comparison
    (the browser's all-cases table): '0', '1', … padded to one width."""
    ordered = sorted(set(texts), key=sort_key)
    width = len(str(len(ordered)))
    return {text: str(i).zfill(width) for i, text in enumerate(ordered)}
