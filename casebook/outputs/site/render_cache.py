"""Rendered case bodies cached by content: Markdown → sanitised HTML → engine Markdown is the
generator's main cost, and an unchanged case (same body, same photos, same slug) renders the same.

``BlobCache``: whole generated files (pages, the search index) by a key of everything they are made
from (builder._keys), so a rebuild after one edit renders only what that edit touches."""

from __future__ import annotations

import hashlib
import json
import marshal
from importlib.metadata import version
from pathlib import Path

from casebook.util import files

RENDER_VERSION = "3"  # bump when the rendering of case bodies changes (3: always sanitised HTML)
_TOOLS = "|".join(f"{name}={version(name)}" for name in ("Markdown", "nh3", "pymdown-extensions"))


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
    """Values (str, bytes or dicts of them) by key, in one marshal file: fast to read and write at
    tens of megabytes, never published. A damaged file is an empty cache."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._old: dict = _kept(path)
        if self._old is None:
            try:
                old = marshal.loads(path.read_bytes())
            except (OSError, ValueError, EOFError, TypeError):
                old = {}
            self._old = old if isinstance(old, dict) else {}
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
        if self.misses == 0 and self._new.keys() == self._old.keys():
            _keep(self.path, self._old)
            return
        files.write_bytes(self.path, marshal.dumps(self._new), durable=False)
        _keep(self.path, self._new)


# The entries of the last caches this process saved, while their files are as it left them: the
# preview builds again and again in one process, and reading a 50 MB cache back costs 0.2 s a build.
_KEPT: dict[Path, tuple[tuple, dict]] = {}
_KEEP_AT_MOST = 2  # the site's cache and its offline variant's; tests build hundreds of collections


def _signature(path: Path) -> tuple | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns, stat.st_ino, stat.st_ctime_ns


def _kept(path: Path) -> dict | None:
    kept = _KEPT.get(path)
    return kept[1] if kept is not None and kept[0] == _signature(path) else None


def _keep(path: Path, entries: dict) -> None:
    _KEPT.pop(path, None)
    signature = _signature(path)
    if signature is not None:
        _KEPT[path] = (signature, entries)
    while len(_KEPT) > _KEEP_AT_MOST:
        del _KEPT[next(iter(_KEPT))]
