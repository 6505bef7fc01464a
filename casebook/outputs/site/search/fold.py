"""Text folding, the same in Python (index) and in the browser (query, snippets): each character is
folded on its own (NFKC: full-width to half-width forms; then lower case); punctuation, symbols,
spaces and controls are dropped, so 「鹭岛心语」, 鹭岛·心语 and 鹭岛 心语 all read 鹭岛心语; sentence ends
(。！？；and line breaks) become a break that no match crosses."""

from __future__ import annotations

import functools
import re
import unicodedata

BREAK = "\n"
SENTENCE_END = "。！？；!?;\n\r\u2028\u2029"
_SENTENCE = re.compile(r"[^。！？；!?;\n\r\u2028\u2029]*(?:[。！？；!?;]+[”’」』）)]*|[\n\r\u2028\u2029]+|$)")


@functools.lru_cache(maxsize=65536)
def fold_char(char: str) -> str:
    """What one character of the text becomes: usually itself, "" for punctuation and spaces,
    BREAK at a sentence end, two or more characters for ligatures (㎡ → m2)."""
    if char in SENTENCE_END:
        return BREAK
    out = []
    for c in unicodedata.normalize("NFKC", char).lower():
        if unicodedata.category(c)[0] not in "PSZC":
            out.append(c)
    return "".join(out)


class _Table(dict):
    """code point → folded text, filled on first use (str.translate asks for each character)."""

    def __missing__(self, code: int) -> str:
        value = self[code] = fold_char(chr(code))
        return value


_TABLE = _Table()


def fold(text: str) -> str:
    return text.translate(_TABLE)


def sentences(text: str) -> list[str]:
    """The sentences of a text, each with its closing punctuation; blank ones dropped."""
    return [s.strip() for s in _SENTENCE.findall(text) if s.strip()]
