"""Rendered case bodies cached by content: Markdown → sanitised HTML → engine Markdown is the
generator's main cost, and an unchanged case (same body, same photos, same slug) renders the same.

``BlobCache``: whole generated files (pages, the search index) by a key of everything they are made
from (builder._keys), so a rebuild after one edit renders only what that edit touches."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from importlib.metadata import version
from pathlib import Path

from casebook.util import chunks, files

RENDER_VERSION = "3"  # bump when the rendering of case bodies changes (3: always sanitised HTML)
_TOOLS = "|".join(f"{name}={version(name)}" for name in ("Markdown", "nh3", "pymdown-extensions"))


def flat(record: object) -> tuple:
    """dataclasses.astuple for a record of plain values, for a key: without astuple's deep copy of each
    value (a tenth of a second for a thousand photos)."""
    return tuple(getattr(record, f.name) for f in dataclasses.fields(record))


class RenderCache:
    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self._old: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self._old = {}
        self._new: dict[str, str] = {}
        self.misses = 0

    @staticmethod
    def key(*parts: str) -> str:
        digest = hashlib.sha256(f"{RENDER_VERSION}|{_TOOLS}".encode())
        for part in parts:
            digest.update(b"\x00" + part.encode("utf-8"))
        return digest.hexdigest()[:40]

    def get(self, key: str, make) -> str:
        value = self._new.get(key)
        if value is None:
            value = self._old.get(key)
            if value is None:
                value = make()
                self.misses += 1
            self._new[key] = value
        return value

    def save(self) -> None:
        """Keep exactly the entries used by this build."""
        if self._new == self._old:
            return
        files.write_text(self.path, json.dumps(self._new, ensure_ascii=False, sort_keys=True))


class BlobCache:
    """Values (str, bytes or dicts of them) by key, in one file of marshal chunks (each with its
    length and CRC-32): the first holds every entry, each later build appends what it made and the
    keys it no longer uses, so a rebuild after one edit writes kilobytes, not the whole cache (tens of
    megabytes); a larger change (more than ``APPEND_AT_MOST`` of the entries) or more than
    ``chunks.MAX_CHUNKS`` chunks write the file whole again, so it stays within about 1.4 times what
    it holds. Never published. A damaged chunk ends what is read (the entries before it stand; the
    next save writes the file anew); a file without the magic line is an empty cache."""

    MAGIC = b"casebook blob-cache 2\n"
    APPEND_AT_MOST = 0.05

    def __init__(self, path: Path) -> None:
        self.path = path
        self._signature = chunks.signature(path)  # an append continues exactly the file that was read
        kept = _kept(path)
        if kept is not None:
            self._old, self._chunks = kept
        else:
            self._old, self._chunks = _entries(path, self.MAGIC)
        self._new: dict = {}
        self.misses = 0

    key = staticmethod(RenderCache.key)

    def get(self, key: str, make) -> tuple[object, bool]:
        """The value for ``key`` and whether it comes from an earlier build (False: made now)."""
        if key in self._new:
            return self._new[key], key in self._old
        if key in self._old:
            self._new[key] = self._old[key]
            return self._new[key], True
        value = make()
        self.misses += 1
        self._new[key] = value
        return value, False

    def keep(self, key: str) -> None:
        """The entry for ``key`` counts as used by this build (when there is one)."""
        if key not in self._new and key in self._old:
            self._new[key] = self._old[key]

    def save(self) -> None:
        """Keep exactly the entries used by this build (only when something was made or dropped)."""
        made = {key: value for key, value in self._new.items() if key not in self._old}
        dropped = [key for key in self._old if key not in self._new]
        if not made and not dropped:
            _keep(self.path, self._old, self._chunks)
            return
        small = len(made) + len(dropped) <= self.APPEND_AT_MOST * len(self._new)
        change = {"set": made, "drop": sorted(dropped)} if small else None
        whole = {"set": self._new, "drop": []}
        count = chunks.save(self.path, self.MAGIC, whole, change, self._chunks, self._signature)
        self._old, self._chunks = dict(self._new), count
        _keep(self.path, self._new, count)


def _entries(path: Path, magic: bytes) -> tuple[dict, int]:
    """The entries and the count of chunks (0: missing, foreign or damaged; the next save writes the
    file whole; the entries of the chunks before a damaged one stand)."""
    bodies, sound = chunks.read(path, magic)
    entries: dict = {}
    try:
        for change in bodies:
            entries.update(change["set"])
            for key in change["drop"]:
                entries.pop(key, None)
    except (TypeError, KeyError, ValueError):
        return entries, 0
    return entries, len(bodies) if sound else 0


# The entries of the last caches this process saved, while their files are as it left them: the
# preview builds again and again in one process, and reading a 50 MB cache back costs 0.2 s a build.
_KEPT: dict[Path, tuple[tuple, dict, int]] = {}
_KEEP_AT_MOST = 2  # the site's cache and its offline variant's; tests build hundreds of collections


def _kept(path: Path) -> tuple[dict, int] | None:
    kept = _KEPT.get(path)
    return (kept[1], kept[2]) if kept is not None and kept[0] == chunks.signature(path) else None


def _keep(path: Path, entries: dict, count: int) -> None:
    _KEPT.pop(path, None)
    signature = chunks.signature(path)
    if signature is not None:
        _KEPT[path] = (signature, entries, count)
    while len(_KEPT) > _KEEP_AT_MOST:
        del _KEPT[next(iter(_KEPT))]
