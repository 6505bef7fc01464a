"""The collection's own vocabulary as a jieba user dictionary, so that search keeps unit names,
themes and coined terms (微宣讲) whole instead of splitting them into single characters."""

from __future__ import annotations

import re

from casebook.outputs.site.public_model import SiteModel

_HAN = re.compile(r"[\u3400-\u9fff]")
_QUOTED = re.compile(r"[“「『《\"]([^”」』》\"]{2,16})[”」』》\"]")
_PARTS = re.compile(r"[\s，。、；：！？（）()“”《》「」『』,.;:!?\-—·]+")
MAX_WORD = 24


def _word(text: str) -> str | None:
    text = text.strip()
    if 2 <= len(text) <= MAX_WORD and _HAN.search(text) and not re.search(r"\s", text):
        return text
    return None


def vocabulary(model: SiteModel) -> list[str]:
    words: set[str] = set()
    for case in model.cases:
        for value in (case.unit, case.recommender, case.category, *case.themes, *case.authors):
            if word := _word(value or ""):
                words.add(word)
        for match in _QUOTED.finditer(case.title):
            if word := _word(match.group(1)):
                words.add(word)
        for part in _PARTS.split(case.title):
            if 2 <= len(part) <= 6 and (word := _word(part)):
                words.add(word)
    return sorted(words)


def user_dictionary(model: SiteModel) -> str:
    """jieba's user dictionary format: one word per line with a frequency high enough to win."""
    return "".join(f"{word} {1000 + 100 * len(word)}\n" for word in vocabulary(model))
