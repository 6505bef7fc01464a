"""Postings over the folded text of each record: for every character bigram the positions where it
occurs (a query matches where all its bigrams follow each other: an exact substring test, no
segmentation), for every single character the first field it occurs in and how often.

Each key's postings are one bit string, written six bits a character in base 64 (A–Z a–z 0–9 + /,
most significant bit first; theme/site/assets/casebook/search.js reads it back):

    bigram:    γ(df), then per record (ascending): R_k(gap - 1), γ(count), count positions
    character: γ(df), then per record (ascending): R_k(gap - 1), 3 bits first field, γ(count)

γ is Elias gamma (n ≥ 1), R_k Rice coding with k = ⌊log2(⌊N / df⌋)⌋ (N records, df of this key: both
known to the reader, so k is not stored); gap is the record number minus the previous one (the first
from -1). A position is an offset in the record's folded text, in a fixed width of bits(length - 1)
(at least 1) bits; the lengths and field ends are in meta.js. Nothing the reader can derive (the
field of a position, whether a match is the exact title or unit) is stored."""

from __future__ import annotations

import base64
import functools
import gc
from collections import Counter
from itertools import repeat
from operator import add, sub

from casebook.outputs.site.search.fold import BREAK, fold
from casebook.outputs.site.search.records import OTHER, Record

DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
FIELD_BITS = 3
_FLUSH = 128  # records between packing the pending bits of every key (bounds memory at 10 000 cases)
_FIELD_CODES = [format(f, "b").zfill(FIELD_BITS) for f in range(OTHER + 1)]


@functools.lru_cache(maxsize=8192)
def gamma(n: int) -> str:
    """Elias gamma code of n ≥ 1 as '0'/'1' characters."""
    bits = format(n, "b")
    return "0" * (len(bits) - 1) + bits


@functools.lru_cache(maxsize=65536)
def rice(n: int, k: int) -> str:
    """Rice code of n ≥ 0 with parameter k: n >> k in unary (ones, then a zero), then k low bits."""
    return "1" * (n >> k) + "0" + (format(n & ((1 << k) - 1), "b").zfill(k) if k else "")


def rice_parameter(records: int, df: int) -> int:
    return max(0, (records // df).bit_length() - 1)


def width(length: int) -> int:
    """Bits of one position in a record of ``length`` folded characters."""
    return max(1, (length - 1).bit_length())


@functools.lru_cache(maxsize=24)
def _fixed(bits: int) -> list[str]:
    return [format(n, "b").zfill(bits) for n in range(1 << bits)]


def pack(bits: str) -> str:
    """'0'/'1' characters → base 64, six bits a character, the last one padded with zeros."""
    if not bits:
        return ""
    padded = bits + "0" * (-len(bits) % 24)
    text = base64.b64encode(int(padded, 2).to_bytes(len(padded) // 8, "big")).decode("ascii")
    return text[: -(-len(bits) // 6)]


def unpack(text: str) -> str:
    """base 64 → '0'/'1' characters (the reader's view, for tests)."""
    return "".join(format(DIGITS.index(c), "06b") for c in text)


class Reader:
    """Reads codes from a packed bit string (the same reading as search.js; tests and tools)."""

    def __init__(self, text: str) -> None:
        self.bits, self.at = unpack(text), 0

    def read(self, count: int) -> int:
        value = int(self.bits[self.at : self.at + count] or "0", 2)
        self.at += count
        return value

    def gamma(self) -> int:
        zeros = 0
        while self.bits[self.at] == "0":
            zeros += 1
            self.at += 1
        return self.read(zeros + 1)

    def rice(self, k: int) -> int:
        quotient = 0
        while self.bits[self.at] == "1":
            quotient += 1
            self.at += 1
        self.at += 1
        return (quotient << k) | self.read(k)


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


class _Codes(dict):
    """n → code, filled on first use: Rice codes for one parameter, or gamma codes (k=None)."""

    def __init__(self, k: int | None) -> None:
        super().__init__()
        self.k = k

    def __missing__(self, n: int) -> str:
        value = self[n] = gamma(n) if self.k is None else rice(n, self.k)
        return value


_GAMMA = _Codes(None)


class _Keys:
    """Postings of one kind. ``state[key]`` = [previous record, Rice codes of the gaps, pending
    '0'/'1' strings (the first: bits left from the last flush), the records of its entries, each
    entry's length in bits]; ``packed[key]``: the base-64 text packed so far. Records and lengths
    let a later build splice one record's entries (search/incremental.py) without decoding; they
    are gathered where it is cheap (one list append per entry, the lengths at each flush)."""

    def __init__(self, df: Counter, records: int) -> None:
        tables: dict[int, _Codes] = {}
        self.state = {}
        for key in sorted(k for k in df if BREAK not in k):
            k = rice_parameter(records, df[key])
            self.state[key] = [-1, tables.setdefault(k, _Codes(k)), [gamma(df[key])], [], []]
        self.packed: dict[str, list[str]] = {key: [] for key in self.state}

    def flush(self) -> None:
        """Pack every key's pending bits up to a multiple of 24 (four base-64 characters)."""
        packed = self.packed
        for key, entry in self.state.items():
            pending = entry[2]
            if len(pending) > 1:
                entry[4].extend(map(len, pending[1:]))
                bits = "".join(pending)
                cut = len(bits) - len(bits) % 24
                if cut:
                    packed[key].append(pack(bits[:cut]))
                entry[2] = [bits[cut:]]

    def encoded(self) -> dict[str, str]:
        """Every key's base-64 postings (after the last record; the bits are dropped, the entries kept)."""
        result, packed = {}, self.packed
        for key, entry in self.state.items():
            pending = entry[2]
            entry[4].extend(map(len, pending[1:]))
            result[key] = "".join(packed[key]) + pack("".join(pending))
            entry[2] = None
        self.packed = {}
        return result

    def entries(self) -> dict[str, tuple[list[int], list[int]]]:
        """Per key: each entry's gap (record minus the previous one, the first from -1) and bit length."""
        return {key: (list(map(sub, e[3], [-1, *e[3][:-1]])), e[4]) for key, e in self.state.items()}


class Postings:
    """Built in two passes over the records: document frequencies (for the Rice parameters), then
    ``add`` per record in order (the hot loop: one step per character and one per key; plain
    loops with local names are faster here than chains of map)."""

    def __init__(self, records: list[Record]) -> None:
        bigram_df: Counter = Counter()
        char_df: Counter = Counter()
        self._folded: dict[int, tuple[str, list[int]]] = {}
        for record in records:
            self._folded[record.number] = (text, _) = folded(record)
            bigram_df.update(set(map(add, text, text[1:])))  # pairs across a break are dropped below
            char_df.update(set(text))
        self.records = len(records)
        self.lengths: list[int] = []
        self.ends: list[list[int]] = []  # per record
        self._bigrams = _Keys(bigram_df, self.records)
        self._chars = _Keys(char_df, self.records)

    def add(self, number: int, record: Record) -> None:
        text, ends = self._folded.pop(number, None) or folded(record)
        self.ends.append(ends)
        self.lengths.append(len(text))
        bits = width(len(text))
        positions: dict[str, list[int]] = {}
        at = positions.setdefault
        for i, key in enumerate(map(add, text, text[1:])):
            at(key, []).append(i)
        fixed = _fixed(bits) if bits <= 16 else [format(p, "b").zfill(bits) for p in range(len(text))]
        codes = _GAMMA
        get = self._bigrams.state.get
        for key, found in positions.items():
            entry = get(key)
            if entry is None:  # a pair across a break
                continue
            gap = number - entry[0] - 1
            entry[0] = number
            if len(found) == 1:
                entry[2].append(entry[1][gap] + "1" + fixed[found[0]])
            else:
                entry[2].append(entry[1][gap] + codes[len(found)] + "".join([fixed[p] for p in found]))
            entry[3].append(number)

        counts = Counter(text)
        counts.pop(BREAK, None)
        first: dict[str, str] = {}
        start = 0
        for f, end in enumerate([*ends, len(text)]):
            first.update(zip(set(text[start:end]).difference(first), repeat(_FIELD_CODES[f])))
            start = end
        state = self._chars.state
        for char, count in counts.items():
            entry = state[char]
            gap = number - entry[0] - 1
            entry[0] = number
            entry[2].append(entry[1][gap] + first[char] + codes[count])
            entry[3].append(number)
        if number % _FLUSH == _FLUSH - 1:
            self._bigrams.flush()
            self._chars.flush()

    def encode(self) -> None:
        """bigrams, unigrams: key → base-64 postings (after the last ``add``)."""
        self.bigrams = self._bigrams.encoded()
        self.unigrams = self._chars.encoded()
        self._kinds = (self._bigrams, self._chars)  # for entries(), if asked
        self._bigrams = self._chars = None

    def entries(self) -> tuple[dict, dict]:
        """Bigrams' and characters' entries (gaps and bit lengths per key), for search/incremental.py."""
        return tuple(kind.entries() for kind in self._kinds)


def postings(records: list[Record]) -> Postings:
    """The postings of ``records``, with the cyclic garbage collector paused: the build allocates
    millions of small strings and lists and no cycles, and at 1000 cases the collector's passes over
    the whole heap (the collection and site model included) cost more than the work itself."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        result = Postings(records)
        for record in records:
            result.add(record.number, record)
        result.encode()
        return result
    finally:
        if enabled:
            gc.enable()


def bigram_hits(encoded: str, records: int, lengths: list[int]) -> dict[int, list[int]]:
    """record → positions, from one bigram's postings (tests; the script does the same)."""
    reader, hits, doc = Reader(encoded), {}, -1
    df = reader.gamma()
    k = rice_parameter(records, df)
    for _ in range(df):
        doc += reader.rice(k) + 1
        bits = width(lengths[doc])
        hits[doc] = [reader.read(bits) for _ in range(reader.gamma())]
    return hits


def char_hits(encoded: str, records: int) -> dict[int, tuple[int, int]]:
    """record → (first field, count), from one character's postings (tests; the script does the same)."""
    reader, hits, doc = Reader(encoded), {}, -1
    df = reader.gamma()
    k = rice_parameter(records, df)
    for _ in range(df):
        doc += reader.rice(k) + 1
        field = reader.read(FIELD_BITS)
        hits[doc] = (field, reader.gamma())
    return hits
