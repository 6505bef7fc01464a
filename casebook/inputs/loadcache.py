"""The load cache: each case folder's loaded Case, diagnostics and FolderState, kept between runs in
<collection>/.cache/load/cases.jsonl and reused while nothing the reader looked at has changed.

An entry is valid for the same context (the tool's code and libraries, the profile, the current year,
the collection's root) and the same index.md bytes, and while every photo the reader examined still
probes the same (escapes its folder or not, and its stat signature). The probes are taken before the
reader looks, so a file changed meanwhile makes a miss next time, never a stale hit: a stale hit would
make `check` lie.

The file may come from elsewhere with the collection: it is JSON of plain values, decoded by an
allowlist of our own dataclasses, nothing else; anything unexpected is a miss. One line per entry,
so that entries reused are written back as they were read, without encoding them again."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import stat
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from casebook.diagnostics import Diagnostic
from casebook.inputs.headings import Heading
from casebook.inputs.photocheck import escapes_folder, written_outside
from casebook.model import Case, Contact, FolderState, Photo
from casebook.util import codehash, files, textio

CACHE_PATH = Path(".cache") / "load" / "cases.jsonl"
CLEAN_PATH = Path(".cache") / "load" / "clean.json"
FORMAT = "casebook-load-cache/1"
# What the reader's results depend on besides our code: YAML, the Markdown scanner, slugs, photo decoding.
_LIBRARIES = ("PyYAML", "Markdown", "pymdown-extensions", "pypinyin", "Pillow", "simplejpeg")
_CLASSES = {cls.__name__: cls for cls in (Case, Photo, Contact, Heading, FolderState, Diagnostic)}
_FIELDS = {name: tuple(f.name for f in dataclasses.fields(cls)) for name, cls in _CLASSES.items()}
_SCALARS = (str, int, float, bool, type(None))
_BODY = 1 + _FIELDS["Case"].index("body")  # in an encoded Case, after its tag

STATS = {"hits": 0, "misses": 0, "saved": 0}  # of this process: observable by tests and benchmarks


@dataclass
class Loaded:
    """One case folder as load_case leaves it; ``digest`` None: not to be cached (no readable index.md)."""

    case: Case | None
    items: list[Diagnostic]
    state: FolderState | None
    digest: str | None = None
    probes: list = field(default_factory=list)  # [[file, probe], …] of the photos examined
    body_at: int | None = None  # where the case's body starts in index.md's text (it is the text's end)
    line: bytes | None = None  # the cache entry (see entry), made where the case was loaded


def entry(rel_folder: str, loaded: Loaded) -> bytes | None:
    """The file's line for a loaded folder: head (ASCII JSON), a tab (never raw inside JSON), the rest.
    None when it is not to be kept. Made in the loader's workers: encoding is a tenth of loading a case."""
    if loaded.digest is None:
        return None
    try:
        raw = [encode(loaded.case), encode(loaded.items), encode(loaded.state)]
        if loaded.case is not None and loaded.body_at is not None:
            raw[0][_BODY] = ["b", loaded.body_at]  # read again from index.md: most of an entry, slow in JSON
        rest = json.dumps([loaded.probes, raw], ensure_ascii=False, separators=(",", ":"))
        # UnicodeEncodeError: a name or path with undecodable bytes (surrogates) is not kept
        return json.dumps([rel_folder, loaded.digest]).encode() + b"\t" + rest.encode("utf-8")
    except (Unsupported, RecursionError, ValueError):  # ValueError: YAML can make a list contain itself
        return None


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:32]  # faster than blake2b where the CPU has SHA instructions


def probe(name: str, folder: Path) -> list:
    """What photocheck.inspect finds out about a file before decoding it: whether it escapes its folder,
    and its type and stat signature (the decoded facts are the content's, which the signature stands
    for, as in publish.assets). A plain name that is no symlink costs one lstat."""
    path = os.path.join(folder, name)
    try:
        if "/" not in name and "\\" not in name and not written_outside(name):
            found = os.lstat(path)
            if stat.S_ISLNK(found.st_mode):
                return _probe_followed(name, folder, path)
        else:
            return _probe_followed(name, folder, path)
    except (OSError, ValueError):
        return [False]
    return _signature(found)


def _probe_followed(name: str, folder: Path, path: str) -> list:
    if escapes_folder(name, folder):
        return [True]
    return _signature(os.stat(path))


def _signature(found: os.stat_result) -> list:
    kind = stat.S_IFMT(found.st_mode)
    return [False, kind, found.st_size, found.st_mtime_ns, found.st_ino, found.st_ctime_ns]


def context(root: Path, profile: object) -> str:
    """Everything besides a folder's own files that decides its result. The root's inode makes a cache
    shipped with a copied collection a miss (and one cannot be forged for a root not yet made)."""
    found = os.stat(root)
    parts = [
        FORMAT,
        codehash.package_hash(),
        codehash.versions(*_LIBRARIES),
        repr(profile),
        date.today().year,  # year limits (E103)
        str(root),
        found.st_dev,
        found.st_ino,
        _FIELDS,
    ]
    return digest(repr(parts).encode())


# --- encoding ------------------------------------------------------------------------------------


class Unsupported(TypeError):
    """A value of a type the cache does not keep: the folder is simply not cached."""


def encode(value: object) -> object:
    """A JSON-able form: scalars as they are, containers and allowed dataclasses as tagged lists.
    Scalars, most of the nodes, are taken inline (here and in decode): a tenth of loading a case."""
    kind = type(value)
    if kind in _SCALARS:
        return value
    if kind is list or kind is tuple:
        return ["l" if kind is list else "t", *[x if type(x) in _SCALARS else encode(x) for x in value]]
    if kind is dict:
        if all(type(key) is str for key in value):  # Case.lines: as a JSON object
            return ["o", {k: v if type(v) in _SCALARS else encode(v) for k, v in value.items()}]
        return ["d", *[x if type(x) in _SCALARS else encode(x) for pair in value.items() for x in pair]]
    if isinstance(value, Path):
        return ["p", str(value)]
    name = kind.__name__
    if _CLASSES.get(name) is kind:
        return [name, *[encode(getattr(value, f)) for f in _FIELDS[name]]]
    raise Unsupported(name)


def decode(value: object) -> object:
    """The inverse of encode; raises ValueError/TypeError/KeyError on anything it did not write."""
    if type(value) is not list:
        if type(value) in _SCALARS:
            return value
        raise TypeError(type(value).__name__)
    tag = value[0]
    if tag == "o":
        if len(value) != 2 or type(value[1]) is not dict:
            raise ValueError("mapping")
        return {k: v if type(v) in _SCALARS else decode(v) for k, v in value[1].items()}
    rest = [x if type(x) in _SCALARS else decode(x) for x in value[1:]]
    if tag == "l":
        return rest
    if tag == "t":
        return tuple(rest)
    if tag == "d":
        if len(rest) % 2:
            raise ValueError("odd mapping")
        return dict(zip(rest[::2], rest[1::2], strict=True))
    if tag == "p":
        if len(rest) != 1 or type(rest[0]) is not str:
            raise ValueError("path")
        return Path(rest[0])
    cls = _CLASSES[tag]  # KeyError: a class not allowed
    if len(rest) != len(_FIELDS[tag]):
        raise ValueError(f"{tag}: {len(rest)} fields")
    return cls(*rest)


def _with_body(raw: list, data: bytes) -> list:
    """The entry with its case's body put back from the bytes of index.md (those of the digest)."""
    case = raw[0]
    if type(case) is list and case and case[0] == "Case" and type(case[_BODY]) is list and case[_BODY][0] == "b":
        at, text = case[_BODY][1], textio.decode(data)
        if type(at) is not int or type(text) is not str or not 0 <= at <= len(text):
            raise ValueError("body")
        case[_BODY] = text[at:]
    return raw


def _decoded(raw: list) -> Loaded:
    case, items, state = (decode(x) for x in raw)
    ok = (case is None or type(case) is Case) and (state is None or type(state) is FolderState)
    if not ok or type(items) is not list or any(type(d) is not Diagnostic for d in items):
        raise ValueError("not an entry")
    return Loaded(case, items, state)


# --- the file ------------------------------------------------------------------------------------


# Entries this process decoded, by their line (which holds the digest of the index.md it was made from):
# the preview loads the collection again at every save. Only the last load's entries are kept.
_PARSED: dict[bytes, tuple[list, Loaded]] = {}
_PARSED_NOW: dict[bytes, tuple[list, Loaded]] = {}


def _parsed(line: bytes, end: int, data: bytes) -> tuple[list, Loaded]:
    found = _PARSED.get(line) or _PARSED_NOW.get(line)
    if found is None:
        probes, raw = json.loads(line[end + 1 :])
        found = probes, _decoded(_with_body(raw, data))
    return found


def _remember_this_load() -> None:
    _PARSED.clear()
    _PARSED.update(_PARSED_NOW)
    _PARSED_NOW.clear()


class LoadCache:
    """The entries of one collection for one context. Never raises on a damaged file: it is empty."""

    def __init__(self, root: Path, key: str) -> None:
        self.path, self.key = root / CACHE_PATH, key
        self.lines: dict[str, tuple[str, bytes, int]] = {}  # folder → (index digest, line, end of its head)
        self.kept: dict[str, bytes] = {}  # folder → line to write back
        self.changed = False
        try:
            self._read(self.path.read_bytes())
        except (OSError, ValueError, TypeError, RecursionError):
            self.lines.clear()  # missing, damaged or foreign: empty

    def _read(self, data: bytes) -> None:
        header, _, body = data.partition(b"\n")
        if json.loads(header) != [FORMAT, self.key]:
            return
        for line in body.split(b"\n"):
            if not line:
                continue
            end = line.index(b"\t")  # after the head [folder, index digest]; the rest is parsed when used
            head = json.loads(line[:end])
            if type(head) is not list or len(head) != 2 or not all(type(x) is str for x in head):
                raise ValueError("not an entry")
            self.lines[head[0]] = (head[1], line, end)

    def get(self, rel_folder: str, folder: Path) -> Loaded | None:
        """The folder's cached result when its index.md and every photo examined are as they were."""
        entry = self.lines.get(rel_folder)
        if entry is None:
            return None
        try:
            index = os.path.join(folder, "index.md")
            if not stat.S_ISREG(os.stat(index).st_mode):
                return None
            with open(index, "rb") as handle:
                data = handle.read()
            if digest(data) != entry[0]:
                return None
            probes, loaded = _parsed(entry[1], entry[2], data)
            if any(probe(name, folder) != expected for name, expected in probes):
                return None
        except (OSError, ValueError, TypeError, KeyError, IndexError, RecursionError):
            return None
        self.kept[rel_folder] = entry[1]
        _PARSED_NOW[entry[1]] = (probes, loaded)
        return Loaded(loaded.case, list(loaded.items), loaded.state, entry[0])

    def put(self, rel_folder: str, loaded: Loaded) -> None:
        if loaded.line is not None:
            self.kept[rel_folder] = loaded.line
            self.changed = True

    def save(self) -> None:
        """Write the entries of the folders loaded this time, if they differ from the file's; a cache
        that cannot be written (a read-only collection) is skipped."""
        _remember_this_load()
        if not self.changed and self.kept.keys() == self.lines.keys():
            return
        header = json.dumps([FORMAT, self.key]).encode()
        data = b"\n".join([header, *self.kept.values(), b""])
        with contextlib.suppress(OSError):
            files.write_bytes(self.path, data, durable=False)
            STATS["saved"] += 1


class CleanMemo:
    """The public cases in which privacy.check_collection found no other case's contact values, kept in
    <collection>/.cache/load/clean.json for one context and one set of contact values (``key``): after
    an edit only the edited case is searched again. A case is known by its mark: the digest of the
    index.md it was loaded from (which, in this context, decides every text of it), in ``marks`` by the
    case's ``rel``. Digests only, never values; a damaged or foreign file is empty."""

    def __init__(self, root: Path, context_key: str, marks: dict[str, str]) -> None:
        self.path, self.context, self.marks = root / CLEAN_PATH, context_key, marks

    def known(self, key: str) -> set[str]:
        try:
            data = json.loads(self.path.read_bytes())
            if data["key"] == digest(f"{self.context}|{key}".encode()):
                return {item for item in data["clean"] if type(item) is str}
        except (OSError, ValueError, KeyError, TypeError):
            pass
        return set()

    def save(self, key: str, clean: set[str], known: set[str]) -> None:
        if clean == known:
            return
        data = {"key": digest(f"{self.context}|{key}".encode()), "clean": sorted(clean)}
        with contextlib.suppress(OSError):  # a read-only collection: not kept
            files.write_bytes(self.path, json.dumps(data).encode(), durable=False)
