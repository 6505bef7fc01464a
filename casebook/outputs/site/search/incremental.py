"""The search index after an edit: the same bytes as shards.files, without redoing the postings of
every case or serialising every file.

A state file beside the build cache (marshal chunks after a magic line, util/chunks.py: a damaged
state is not used; never pickle; an edit appends the files, digests and shard entries it changed)
keeps what the last build made: every file of the version folder
(shards and d/<n>.js) with its SHA-256 (shards.version hashes the digests, so only changed files are
hashed again), each record's cache key, length and field ends, each kind's total size (it sets the
shard count), and per shard one marshal blob of its keys' entry arrays: the gap (record number minus
the previous one, the first from -1) and the bit length of each entry (R_k(gap - 1) and the payload,
see index.py). When the records are as many as before and few changed, a changed record's old text
comes from the build cache (its record under the old key), and for each key whose payload differs
only that key's shard is read back (shards.read_shard) and its entry is replaced, inserted or removed
in the key's bit string (found by the gaps, skipped to by the lengths, no decoding), the following
entry's gap coded again, the whole key only where the new df changes the Rice parameter; that shard
is serialised again. Every other file keeps its bytes (same N, numbers and df: same bits); all of a
kind's shards are redistributed only where the shard count changes. Anything else (another count of
records, many changes, a missing, damaged or foreign state, an old record gone from the build cache)
is the full computation, which then seeds the state. Nothing changed: the state is not written."""

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
from casebook.util import chunks

_MAGIC = b"casebook search-state-3\n"  # then marshal chunks (util/chunks.py)
_MOST = 8  # more than 1/_MOST of the records changed: the full computation is as fast
INCREMENTAL_FROM = 100  # records; below, the whole index takes well under 0.3 s and keeping a state costs more
_FIELD_CODES = [format(f, "b").zfill(index.FIELD_BITS) for f in range(records.OTHER + 1)]


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


class _Absent(Exception):
    pass


def _absent():
    raise _Absent


def _old_record(blobs, key: str, number: int) -> Record | None:
    """The record the last build made under ``key`` (its text is what the kept postings hold), from
    the build cache; None when the cache no longer has it."""
    try:
        value, _ = blobs.get(key, _absent)
    except _Absent:
        return None
    return Record(number, *value)


def _changes(old: dict, new: dict) -> tuple[dict, dict]:
    """key → [(record, new payload or None)] where a changed record's payload differs."""
    bigrams: dict[str, list] = {}
    unigrams: dict[str, list] = {}
    for number in sorted(new):
        if old[number] == new[number]:
            continue
        for found, before, after in zip(
            (bigrams, unigrams), payloads(*old[number]), payloads(*new[number]), strict=True
        ):
            for key in before.keys() | after.keys():
                if before.get(key) != after.get(key):
                    found.setdefault(key, []).append((number, after.get(key)))
    return bigrams, unigrams


def _open(state: dict, names) -> tuple[dict, dict]:
    """The keys' postings and entry arrays of the shards ``names``, taken out of the state."""
    texts, entries = {}, {}
    for name in names:
        data = state["files"].pop(f"{name}.js", None)
        if data is not None:  # else no key fell into this shard
            del state["digests"][f"{name}.js"]
            texts.update(shards.read_shard(name, data))
            entries.update(marshal.loads(state["entries"].pop(name)))
    return texts, entries


def _put(state: dict, groups: dict[str, dict[str, str]], entries: dict) -> None:
    for name, data in groups.items():
        state["files"][f"{name}.js"] = js = shards.shard_js(name, data)
        state["digests"][f"{name}.js"] = shards.digest(js)
        state["entries"][name] = marshal.dumps({key: entries[key] for key in data})


def _splice(state: dict, kind: int, changes: dict, count: int) -> None:
    """Apply one kind's ``changes`` (0 bigrams, 1 unigrams) to the shards holding those keys; all of
    the kind's shards where their count changes with the total size."""
    prefix, size = "bu"[kind], state["sizes"][kind]
    before = shards.shard_count(size)
    texts, entries = _open(state, {f"{prefix}/{shards.shard_of(key, before)}" for key in changes})
    for key, edits in changes.items():
        text = texts.get(key)
        live = _Live(None if text is None else (text, *entries[key]), count)
        for number, payload in edits:
            live.splice(number, payload)
        stored = live.stored(count)
        size -= 0 if text is None else shards.size(key, text)
        if stored is None:
            del texts[key], entries[key]
        else:
            texts[key], entries[key] = stored[0], stored[1:]
            size += shards.size(key, stored[0])
    after = shards.shard_count(size)
    if after != before:  # every key of the kind moves to another shard
        more = _open(state, [name[:-3] for name in list(state["files"]) if name.startswith(f"{prefix}/")])
        texts.update(more[0])
        entries.update(more[1])
    _put(state, shards.split(texts, prefix, after), entries)
    state["sizes"][kind] = size


def _incremental(state: dict, found: list[Record], keys: list[str], blobs) -> bool | None:
    """Splice the kept index in ``state`` to ``found``: True when done, False when nothing changed,
    None where the full computation is needed."""
    count = len(found)
    if len(state["keys"]) != count:
        return None
    changed = [number for number in range(count) if keys[number] != state["keys"][number]]
    if len(changed) * _MOST > count:
        return None
    if not changed:
        return False
    old, new = {}, {}
    for number in changed:
        record = _old_record(blobs, state["keys"][number], number)
        if record is None:
            return None
        old[number], new[number] = index.folded(record), index.folded(found[number])
    for kind, kind_changes in enumerate(_changes(old, new)):
        _splice(state, kind, kind_changes, count)
    for number in changed:
        text, ends = new[number]
        state["lengths"][number], state["ends"][number] = len(text), ends
        _put_doc(state, found[number])
    state["keys"] = keys
    return True


def _put_doc(state: dict, record: Record) -> None:
    state["files"][f"d/{record.number}.js"] = data = shards.doc_file(record)
    state["digests"][f"d/{record.number}.js"] = shards.digest(data)


def _full(found: list[Record]) -> dict:
    """The state of a full computation: its files, their digests and each shard's entry arrays."""
    postings = index.postings(found)
    _, _, groups = shards.sharded(postings)
    bigram_entries, unigram_entries = postings.entries()
    arrays = {key: _arrays(*entry) for key, entry in {**bigram_entries, **unigram_entries}.items()}
    sizes = [sum(shards.size(k, v) for k, v in kind.items()) for kind in (postings.bigrams, postings.unigrams)]
    state = {
        "lengths": postings.lengths,
        "ends": postings.ends,
        "sizes": sizes,
        "files": {},
        "digests": {},
        "entries": {},
    }
    _put(state, groups, arrays)
    for record in found:
        _put_doc(state, record)
    return state


_DICTS = ("files", "digests", "entries")  # by file or shard: an edit changes a few of their thousands
_APPEND_AT_MOST = 0.1  # of the files: a larger change writes the state whole


class _Loaded:
    """The last build's state as read, with what is needed to append only what this build changes."""

    def __init__(self, path: Path, code: str) -> None:
        self.signature = chunks.signature(path)
        bodies, sound = chunks.read(path, _MAGIC)
        self.state, self.chunks, self.before = None, 0, {}
        if not sound or not bodies:
            return
        state = bodies[0]
        try:
            for change in bodies[1:]:
                for name, (changed, dropped) in change.pop("dicts").items():
                    state[name].update(changed)
                    for key in dropped:
                        del state[name][key]
                state.update(change)
        except (AttributeError, KeyError, TypeError, ValueError):
            return
        if isinstance(state, dict) and state.get("code") == code:
            self.state, self.chunks = state, len(bodies)
            self.before = {name: dict(state[name]) for name in _DICTS}  # the same value objects


def _save(path: Path, state: dict, loaded: _Loaded | None) -> None:
    """What changed since ``loaded`` appended (values compared by identity: a kept file is the very
    object read), or the whole state written anew."""
    change = None
    if loaded is not None and loaded.state is state:
        dicts = {}
        for name in _DICTS:
            old, new = loaded.before[name], state[name]
            dicts[name] = ({k: v for k, v in new.items() if old.get(k) is not v}, [k for k in old if k not in new])
        moved = sum(len(changed) + len(dropped) for changed, dropped in dicts.values())
        if moved <= _APPEND_AT_MOST * len(state["files"]):
            change = {**{key: value for key, value in state.items() if key not in _DICTS}, "dicts": dicts}
    chunks.save(path, _MAGIC, state, change, loaded.chunks if loaded else 0, loaded.signature if loaded else None)


def _records(model: SiteModel, renderer: Renderer, blobs, code: str) -> tuple[list[Record], list[str]]:
    """Each case's record from the build cache by what it is made from (``blobs``: a BlobCache). A
    record taken from the cache keeps its body's HTML there too (records.CachedRenderer): a later edit
    of the title renders no body again, and the cache does not drop a thousand entries after a full
    computation, which made the next build write its whole file again."""
    keep = renderer.keep if isinstance(renderer, records.CachedRenderer) else None
    found, keys = [], []
    for number, case in enumerate(model.cases):
        key = blobs.key("search-record", code, *records.sources(case))
        value, hit = blobs.get(key, lambda case=case: records.packed(case, renderer))
        if hit and keep is not None:
            keep(case.body)
        found.append(Record(number, *value))
        keys.append(key)
    return found, keys


def files(model: SiteModel, renderer: Renderer, blobs, code: str, state_path: Path, html_links: bool = False):
    """shards.files' answer (the same bytes) and whether the last build's index was spliced, not
    recomputed; the state is rewritten for the next build when something changed."""
    found, keys = _records(model, renderer, blobs, code)
    if len(found) < INCREMENTAL_FROM:  # computed whole in a fraction of a second: no state to keep
        return shards.assemble(model, found, index.postings(found), html_links), False
    loaded = _Loaded(state_path, code)
    state = loaded.state
    spliced = None if state is None else _incremental(state, found, keys, blobs)
    if spliced is None:
        state = {**_full(found), "code": code, "keys": keys}
    if spliced is not False:
        _save(state_path, state, loaded)
    nb, nu = (shards.shard_count(size) for size in state["sizes"])
    layout = shards.Layout(nb, nu, state["lengths"], state["ends"])
    return shards.finish(model, found, layout, state["files"], state["digests"], html_links), spliced is not None
