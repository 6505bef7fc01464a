"""An editor's forced line break in a title: the full-width vertical bar ``｜`` (U+FF5C), which an
editor can type and no real title contains. The ASCII ``|`` is not a mark: it is kept as written
(titles round-trip through `new` and `import` whatever they hold).

The marker is taken out once, where a title is read (a case's ``title`` in inputs/loader.py, the
collection's ``title`` in settings): every output sees the title without it, and only the book, which
sets titles in lines, is told where the breaks were (``Case.title_breaks``, ``Settings.title_breaks``).
"""

from __future__ import annotations

import re

MARK = "｜"
_MARK = re.compile(r"\s*｜\s*")


def has_mark(text: str) -> bool:
    return MARK in text


def split(text: str) -> tuple[str, tuple[int, ...]]:
    """The title without its markers (and the spaces around them), and where each break falls: the
    number of characters before it. Markers at either end, or one after another, give no empty line."""
    pieces = [piece for piece in _MARK.split(text.strip()) if piece]
    breaks, position = [], 0
    for piece in pieces[:-1]:
        position += len(piece)
        breaks.append(position)
    return "".join(pieces), tuple(breaks)
