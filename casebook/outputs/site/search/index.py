"""Postings over the folded text of each record: for every character bigram the positions where it
occurs (a query matches where all its bigrams follow each other: an exact substring test, no
segmentation), for every single character the fields it occurs in and how often. Numbers are
written as base-64 varints in strings (five bits a character, low bits first)."""

from __future__ import annotations

from dataclasses import dataclass, field

from casebook.outputs.site.search.fold import BREAK, fold
from casebook.outputs.site.search.records import OTHER, Record

DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"


def varint(value: int) -> str:
    out = []
    while value >= 32:
        out.append(DIGITS[32 + (value & 31)])
        value >>= 5
    out.append(DIGITS[value])
    return "".join(out)


def decode(text: str) -> list[int]:
    """The numbers of a varint string (the browser script's reading, for tests)."""
    result, value, shift = [], 0, 0
    for char in text:
        digit = DIGITS.index(char)
        if digit >= 32:
            value |= (digit - 32) << shift
            shift += 5
        else:
            result.append(value | (digit << shift))
            value, shift = 0, 0
    return result


def folded(record: Record) -> tuple[str, list[int]]:
    """The record's folded text (parts joined by BREAK) and where each field ends in it: ends[f] is
    the offset after field f's last part (fields title, unit, summary, body; other runs to the end)."""
    pieces: list[str] = []
    ends = [0] * OTHER
    length = 0
    for kind, sentence in record.parts:
        if pieces:
            pieces.append(BREAK)
            length += 1
        text = fold(sentence)
        pieces.append(text)
        length += len(text)
        for f in range(kind, OTHER):
            ends[f] = length
    return "".join(pieces), ends


def field_at(ends: list[int], position: int) -> int:
    for f, end in enumerate(ends):
        if position < end:
            return f
    return OTHER


@dataclass
class Postings:
    bigrams: dict[str, list[str]] = field(default_factory=dict)
    unigrams: dict[str, list[str]] = field(default_factory=dict)
    ends: list[list[int]] = field(default_factory=list)  # per record
    _last_b: dict[str, int] = field(default_factory=dict)
    _last_u: dict[str, int] = field(default_factory=dict)

    def add(self, number: int, record: Record) -> None:
        text, ends = folded(record)
        self.ends.append(ends)
        positions: dict[str, list[int]] = {}
        singles: dict[str, list[int]] = {}  # char → [mask, count]
        f, next_end = 0, ends[0]
        for i, char in enumerate(text):
            while i >= next_end and f < OTHER:
                f += 1
                next_end = ends[f] if f < OTHER else len(text) + 1
            if char == BREAK:
                continue
            entry = singles.get(char)
            if entry is None:
                singles[char] = [1 << f, 1]
            else:
                entry[0] |= 1 << f
                entry[1] += 1
            following = text[i + 1 : i + 2]
            if following and following != BREAK:
                positions.setdefault(char + following, []).append(i)
        for key, found in positions.items():
            chunk = [varint(number - self._last_b.get(key, -1)), varint(len(found))]
            previous = 0
            for p in found:
                chunk.append(varint(p - previous))
                previous = p
            self.bigrams.setdefault(key, []).append("".join(chunk))
            self._last_b[key] = number
        for key, (mask, count) in singles.items():
            chunk = varint(number - self._last_u.get(key, -1)) + varint(mask) + varint(count)
            self.unigrams.setdefault(key, []).append(chunk)
            self._last_u[key] = number


def postings(records: list[Record]) -> Postings:
    result = Postings()
    for record in records:
        result.add(record.number, record)
    return result


def bigram_hits(encoded: str) -> dict[int, list[int]]:
    """record → positions, from one bigram's postings (tests; the script does the same)."""
    numbers, hits, i, doc = decode(encoded), {}, 0, -1
    while i < len(numbers):
        doc += numbers[i]
        count = numbers[i + 1]
        found, p = [], 0
        for delta in numbers[i + 2 : i + 2 + count]:
            p += delta
            found.append(p)
        hits[doc] = found
        i += 2 + count
    return hits
