"""Contact data that must never be published: phone numbers, e-mail addresses, ID numbers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

_MOBILE = re.compile(r"(?<![\d.])(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?![\d.])")
_LANDLINE = re.compile(r"(?<![\d.])(?:(?:\+?86[- ]?)?0\d{2,3}[-－— ]\d{7,8}|[（(]0\d{2,3}[）)]\d{7,8})(?![\d.])")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_ID = re.compile(r"(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _valid_id(number: str) -> bool:
    try:
        date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS, strict=False))
    return "10X98765432"[total % 11] == number[17].upper()


def findings(text: str) -> Iterator[tuple[int, str, str]]:
    """(offset, code, value) for each piece of contact data in ``text``, in order."""
    found: list[tuple[int, str, str]] = []
    for match in _ID.finditer(text):
        if _valid_id(match.group()):
            found.append((match.start(), "E504", match.group()))
    taken = [(start, start + 18) for start, _, _ in found]
    for code, pattern in (("E503", _EMAIL), ("E501", _MOBILE), ("E502", _LANDLINE)):
        for match in pattern.finditer(text):
            if any(a <= match.start() < b for a, b in taken):
                continue
            found.append((match.start(), code, match.group()))
            taken.append((match.start(), match.end()))
    return iter(sorted(found))
