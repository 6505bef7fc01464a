"""The search index after an edit: the same bytes as shards.files, without redoing the postings of
every case.

A state file beside the build cache (marshal, never pickle) keeps what the last build made: per
record its cache key, folded text and field ends, and per key its base-64 postings with two arrays,
the gap (record number minus the previous one, the first from -1) and the bit length of each entry
(R_k(gap - 1) and the payload, see index.py). When the records are as many as before, only the
changed ones are redone: for each key whose payload in a changed record differs, the entry is
replaced, inserted or removed in the key's bit string (found by the gaps, skipped to by the lengths,
no decoding), the following entry's gap is coded again, and the whole key only where the new df
changes the Rice parameter. Every other key keeps its text verbatim (same N, numbers and df: same
bits). Anything else (another count of records, many changes, a missing, damaged or foreign state)
is the full computation, which then seeds the state."""

from __future__ import annotations

import base64
import marshal
from array import array
from bisect import bisect_left
from collections import Counter
from itertools import accumulate
from operator import add
from pathlib import Path

from casebook.outputs.site.public_model import SiteModel
from casebook.outputs.site.sanitize import Renderer
from casebook.outputs.site.search import index, records, shards
from casebook.outputs.site.search.fold import BREAK
from casebook.outputs.site.search.index import gamma, rice, rice_parameter, width
from casebook.outputs.site.search.records import Record
from casebook.util import files as file_util

STATE_FORMAT = "search-state-1"
_MOST = 8  # more than 1/_MOST of the records changed: the full computation is as fast
INCREMENTAL_FROM = 100  # records; below, the whole index takes well under 0.3 s and keeping a state costs more
_FIELD_CODES = [format(f, "b").zfill(index.FIELD_BITS) for f in range(records.OTHER + 1)]


class Result:
    """What shards.assemble needs (like index.Postings), and how it was made."""

    def __init__(self, bigrams: dict, unigrams: dict, texts: list, keys: list[str], incremental: bool) -> None:
        self.bigrams, self.unigrams, self.keys, self.incremental = bigrams, unigrams, keys, incremental
        self.lengths = [len(text) for text, _ in texts]
        self.ends = [ends for _, ends in texts]


def _gamma_bits(n: int) -> int:
    return 2 * n.bit_length() - 1


def _rice_bits(n: int, k: int) -> int:
    return (n >> k) + 1 + k


def _unpack(text: str, count: int) -> str:
    """The first ``count`` bits of base-64 ``text`` as '0'/'1' characters (C-level conversions)."""
    raw = base64.b64decode(text + "A" * (-len(text) % 4))
    return format(int.from_bytes(raw, "big"), "b").zfill(len(raw) * 8)[:count]


def payloads(text: str, ends: list[int]) -> tuple[dict[str, str], dict[str, str]]:
    """One record's entries without their gap, exactly as index.Postings.add writes them:
    bigram → γ(count) + positions, character → first field + γ(count)."""
    positions: dict[str, list[int]] = {}
    at = positions.setdefault
    for i, key in enumerate(map(add, text, text[1:])):
        at(key, []).append(i)
    bits = width(len(text))
    bigrams = {
        key: gamma(len(found)) + "".join([format(p, "b").zfill(bits) for p in found])
        for key, found in positions.items()
        if BREAK not in key
    }
    first: dict[str, str] = {}
    start = 0
    for f, end in enumerate([*ends, len(text)]):
        for char in set(text[start:end]).difference(first):
            first[char] = _FIELD_CODES[f]
        start = end
    counts = Counter(text)
    counts.pop(BREAK, None)
    return bigrams, {char: first[char] + gamma(count) for char, count in counts.items()}


class _Live:
    """One key being changed: its entries' bits (without γ(df)), gaps and entry lengths."""

    def __init__(self, stored: tuple | None, records_count: int) -> None:
        if stored is None:
            self.bits, self.gaps, self.lens = "", [], []
        else:
            text, code, gaps, lens = stored
            self.gaps, self.lens = array(code, gaps).tolist(), array(code, lens).tolist()
            head = _gamma_bits(len(self.gaps))
            self.bits = _unpack(text, head + sum(self.lens))[head:]
        self.k = rice_parameter(records_count, max(1, len(self.gaps)))

    def splice(self, number: int, payload: str | None) -> None:
        """Record ``number``'s entry becomes ``payload`` (None: no entry); the next entry's gap follows."""
        gaps, lens, k, bits = self.gaps, self.lens, self.k, self.bits
        ends = list(accumulate(gaps))  # record number + 1 of each entry
        j = bisect_left(ends, number + 1)
        start = sum(lens[:j])
        stop, after = start, j
        if j < len(gaps) and ends[j] == number + 1:
            stop, after = start + lens[j], j + 1
        previous = ends[j - 1] if j else 0
        pieces, new_gaps, new_lens = [], [], []
        if payload is not None:
            pieces.append(rice(number - previous, k) + payload)
            new_gaps.append(number + 1 - previous)
            new_lens.append(len(pieces[-1]))
            previous = number + 1
        if after < len(gaps):
            rest = bits[stop + _rice_bits(gaps[after] - 1, k) : stop + lens[after]]
            pieces.append(rice(ends[after] - previous - 1, k) + rest)
            new_gaps.append(ends[after] - previous)
            new_lens.append(len(pieces[-1]))
            stop += lens[after]
            after += 1
        self.bits = bits[:start] + "".join(pieces) + bits[stop:]
        gaps[j:after], lens[j:after] = new_gaps, new_lens

    def stored(self, records_count: int) -> tuple | None:
        """(base-64 postings, gaps, lengths) as kept in the state; None: no record has the key."""
        if not self.gaps:
            return None
        k = rice_parameter(records_count, len(self.gaps))
        if k != self.k:  # the Rice parameter changed with df: every gap is coded again
            pieces, at = [], 0
            for i, (gap, length) in enumerate(zip(self.gaps, self.lens, strict=True)):
                pieces.append(rice(gap - 1, k) + self.bits[at + _rice_bits(gap - 1, self.k) : at + length])
                self.lens[i] = len(pieces[-1])
                at += length
            self.bits, self.k = "".join(pieces), k
        return (index.pack(gamma(len(self.gaps)) + self.bits), *_arrays(self.gaps, self.lens))


def _arrays(gaps, lens) -> tuple[str, bytes, bytes]:
    """Two unsigned arrays as bytes, two bytes a number where they fit (a smaller state to write)."""
    try:
        return "H", array("H", gaps).tobytes(), array("H", lens).tobytes()
    except OverflowError:
        return "I", array("I", gaps).tobytes(), array("I", lens).tobytes()


def _update(kind: dict, changes: dict[str, list[tuple[int, str | None]]], count: int) -> None:
    for key, edits in changes.items():
        live = _Live(kind.get(key), count)
        for number, payload in edits:
            live.splice(number, payload)
        stored = live.stored(count)
        if stored is None:
            del kind[key]
        else:
            kind[key] = stored


def _changes(old: list, new: list, numbers: list[int]) -> tuple[dict, dict]:
    """key → [(record, new payload or None)] where a changed record's payload differs."""
    bigrams: dict[str, list] = {}
    unigrams: dict[str, list] = {}
    for number in numbers:
        for found, before, after in zip(
            (bigrams, unigrams), payloads(*old[number]), payloads(*new[number]), strict=True
        ):
            for key in before.keys() | after.keys():
                if before.get(key) != after.get(key):
                    found.setdefault(key, []).append((number, after.get(key)))
    return bigrams, unigrams


def _seed(postings: index.Postings) -> tuple[dict, dict]:
    """The state's keys after a full computation: postings with the gaps and lengths it recorded."""
    return tuple(
        {key: (encoded[key], *_arrays(*entries[key])) for key in encoded}
        for encoded, entries in zip((postings.bigrams, postings.unigrams), postings.entries(), strict=True)
    )


def _load(path: Path, code: str) -> dict | None:
    try:
        state = marshal.loads(path.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return None
    if not isinstance(state, dict) or state.get("format") != STATE_FORMAT or state.get("code") != code:
        return None
    return state


def _records(model: SiteModel, renderer: Renderer, blobs, code: str) -> tuple[list[Record], list[str]]:
    """Each case's record from the build cache by what it is made from (``blobs``: a BlobCache)."""
    found, keys = [], []
    for number, case in enumerate(model.cases):
        key = blobs.key("search-record", code, *records.sources(case))
        value, _ = blobs.get(key, lambda case=case: records.fields(case, renderer))
        found.append(Record(number, *value))
        keys.append(key)
    return found, keys


def _incremental(state: dict | None, found: list[Record], keys: list[str]) -> tuple | None:
    """(bigrams, unigrams, texts) by splicing the state; None where the full computation is needed."""
    count = len(found)
    if state is None or state["n"] != count or len(state["keys"]) != count:
        return None
    old = state["texts"]
    texts, changed = list(old), []
    for number, (record, key) in enumerate(zip(found, keys, strict=True)):
        if key != state["keys"][number]:
            texts[number] = index.folded(record)
            if texts[number] != old[number]:
                changed.append(number)
    if len(changed) * _MOST > count:
        return None
    bigrams, unigrams = dict(state["b"]), dict(state["u"])
    big_changes, uni_changes = _changes(old, texts, changed)
    _update(bigrams, big_changes, count)
    _update(unigrams, uni_changes, count)
    return bigrams, unigrams, texts


def compute(model: SiteModel, renderer: Renderer, blobs, code: str, state_path: Path) -> tuple[list[Record], Result]:
    """The records and postings for ``model``, incrementally from ``state_path`` when it allows;
    the state is rewritten for the next build (atomically; it is a cache: no fsync)."""
    found, keys = _records(model, renderer, blobs, code)
    if len(found) < INCREMENTAL_FROM:  # computed whole in a fraction of a second: no state to keep
        texts = [index.folded(record) for record in found]
        postings = index.postings(found)
        return found, Result(postings.bigrams, postings.unigrams, texts, keys, False)
    done = _incremental(_load(state_path, code), found, keys)
    if done is None:
        texts = [index.folded(record) for record in found]
        postings = index.postings(found)
        bigrams, unigrams = _seed(postings)
    else:
        bigrams, unigrams, texts = done
    texts = [(text, list(ends)) for text, ends in texts]
    state = {"format": STATE_FORMAT, "code": code, "n": len(found), "keys": keys, "texts": texts}
    file_util.write_bytes(state_path, marshal.dumps({**state, "b": bigrams, "u": unigrams}), durable=False)
    encoded = [{key: value[0] for key, value in kind.items()} for kind in (bigrams, unigrams)]
    return found, Result(*encoded, texts, keys, done is not None)


def files(model: SiteModel, renderer: Renderer, blobs, code: str, state_path: Path, html_links: bool = False):
    """shards.files' answer (the same bytes) and whether the postings were spliced, not recomputed."""
    found, result = compute(model, renderer, blobs, code, state_path)

    def doc(record: Record) -> bytes:  # an unchanged case's text file is taken from the cache
        key = blobs.key("search-doc", result.keys[record.number], str(record.number))
        return blobs.get(key, lambda: shards.doc_file(record))[0]

    return shards.assemble(model, found, result, html_links, doc), result.incremental
