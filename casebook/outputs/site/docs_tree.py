"""The generated docs tree: every output is registered once (a second write to the same path is a bug,
never a silent overwrite), then synchronised to disk touching only what changed."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

from casebook.util import files


class DuplicateOutput(RuntimeError):
    pass


class DocsTree:
    def __init__(self) -> None:
        self.texts: dict[str, bytes] = {}
        self.links: dict[str, Path] = {}
        self._digests: dict[str, str] = {}
        self.verified: set[str] = set()  # texts an earlier build searched with the same forbidden values
        self.written: set[str] = set()  # files the last sync wrote or linked (their bytes are self.texts')

    def _claim(self, path: str) -> None:
        if path in self.texts or path in self.links:
            raise DuplicateOutput(f"生成的网站中有两个文件都要写到 {path}")

    def add(self, path: str, content: str | bytes, verified: bool = False) -> None:
        """``verified``: the content comes from the build cache, searched by publish.verify when it
        was made (the cache key holds the forbidden values), so it need not be searched again."""
        self._claim(path)
        self.texts[path] = content.encode("utf-8") if isinstance(content, str) else content
        if verified:
            self.verified.add(path)

    def unverified(self) -> dict[str, bytes]:
        return {path: data for path, data in self.texts.items() if path not in self.verified}

    def link(self, path: str, source: Path) -> None:
        """A file taken as-is (photo derivative, book): hard-linked when possible, else copied."""
        self._claim(path)
        self.links[path] = source

    def paths(self) -> set[str]:
        return set(self.texts) | set(self.links)

    def digests(self) -> dict[str, str]:
        """What each file of the tree is, cheaply: a content hash for generated files, the source's
        path and (size, mtime, inode) for linked ones (photo derivatives are named by content, books
        are rewritten when they change). Equal digests mean equal engine input."""
        result = {}
        for rel, data in self.texts.items():
            digest = self._digests.get(rel)
            result[rel] = digest if digest is not None else hashlib.sha1(data).hexdigest()
        for rel, source in self.links.items():
            try:
                stat = source.stat()
                result[rel] = f"link:{source}:{stat.st_size}:{stat.st_mtime_ns}:{stat.st_ino}"
            except OSError:
                result[rel] = f"link:{source}:missing"
        return result

    def sync(self, folder: Path, keep: Callable[[str], bool] | None = None) -> int:
        """Make ``folder`` hold exactly these files; return how many were written or removed.
        ``keep``: paths this tree does not hold (another tree's, synced on its own), left as they are;
        a folder whose path with a slash at its end is kept is not looked into.

        A manifest of (size, mtime, ctime, hash) per written file avoids reading back unchanged files
        (the ctime: a file hard-linked into a published site and edited there, its mtime put back).
        A text whose bytes another of this tree's files already holds (the search index moved to a
        new version folder) is hard-linked to it instead of written (see ``_Texts``). Files are
        written without fsync: the folder is a cache, and a file a crash left short has another size
        than its manifest entry, so it is written again. Nothing writes a file of the folder in place
        (files share inodes with each other and with published sites).

        ``written``: the files this call wrote or linked anew. Each holds exactly the bytes of its
        text, so the bytes a check of ``texts`` searched: a link's source is taken only when its stat
        matches a manifest entry of the same hash or its bytes, read back, equal the text."""
        folder.mkdir(parents=True, exist_ok=True)
        manifest_path = _manifest_path(folder)
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            manifest = {}
        if not isinstance(manifest, dict):
            manifest = {}
        texts = _Texts(folder, manifest, keep)
        self.written = set()
        for rel, data in sorted(self.texts.items()):
            digest = self._digests[rel] = hashlib.sha1(data).hexdigest()
            if texts.place(rel, data, digest):
                self.written.add(rel)
        changed = len(self.written)
        for rel, source in sorted(self.links.items()):
            target = folder / rel
            if _same(target, source):
                continue
            if not hard_link(source, target, exists=True):
                tmp = files.temp_path(target)
                shutil.copy2(source, tmp)
                os.replace(tmp, target)
            changed += 1
        changed += _prune(folder, self.paths(), keep)
        texts.refresh()  # after the removals: they too change the ctime of a linked inode
        if texts.fresh != manifest:
            files.write_text(manifest_path, json.dumps(texts.fresh, sort_keys=True))
        return changed


def note_links(folder: Path, rels: list[str]) -> None:
    """Files of a synced ``folder`` were hard-linked elsewhere (or such links removed), which changes
    their ctime only: their manifest entries get the new ctime where size, mtime and inode show the
    very file the entry describes, so the next sync does not read them back."""
    manifest_path = _manifest_path(folder)
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    changed = False
    for rel in rels:
        entry = manifest.get(rel)
        try:
            stat = os.stat(os.path.join(folder, rel))
        except OSError:
            continue
        if isinstance(entry, list) and len(entry) == 4 and entry[:2] == [stat.st_size, stat.st_mtime_ns]:
            if entry[2] != stat.st_ctime_ns:
                entry[2], changed = stat.st_ctime_ns, True
    if changed:
        files.write_text(manifest_path, json.dumps(manifest, sort_keys=True))


def _manifest_path(folder: Path) -> Path:
    return folder.parent / (folder.name + ".manifest.json")


def _prune(folder: Path, wanted: set[str], keep: Callable[[str], bool] | None) -> int:
    """Remove every file of ``folder`` neither wanted nor kept (old files, temporary files a crash
    left) and the folders left empty, in one pass; return how many files were removed."""
    removed = 0

    def emptied(path: str, prefix: str) -> bool:  # whether nothing is left in ``path``
        nonlocal removed
        left = 0
        for entry in list(os.scandir(path)):
            rel = prefix + entry.name
            if entry.is_dir(follow_symlinks=False):
                if keep is not None and keep(rel + "/"):  # the whole folder is another tree's
                    left += 1
                elif emptied(entry.path, rel + "/"):
                    os.rmdir(entry.path)
                else:
                    left += 1
            elif rel not in wanted and (keep is None or not keep(rel)):
                os.unlink(entry.path)
                removed += 1
            else:
                left += 1
        return left == 0

    emptied(str(folder), "")
    return removed


class _Texts:
    """Places the texts of one ``DocsTree.sync``: a file already holding a text's bytes stays, a text
    whose hash another file's manifest entry has becomes a hard link to that file (once its stat or
    bytes confirm it), any other is written. Sources are this tree's files only (old names included,
    removed afterwards), so another tree's inodes and manifest entries are never touched.

    A link changes its inode's ctime, and so does the removal of the inode's old names: ``linked`` keeps
    every inode linked to (confirmed just before; a file of the folder is never written in place, so it
    keeps those bytes during the call), and ``refresh`` records the final stat for all of its names, so
    the next call reads none of them back, and no other file's entry is changed."""

    def __init__(self, folder: Path, manifest: dict, keep: Callable[[str], bool] | None) -> None:
        self.folder, self.manifest = str(folder), manifest  # a str: pathlib costs here, per file
        self.fresh: dict[str, list] = {}  # the new manifest
        self.sources: dict[str, str] = {}  # hash → one of this tree's files that may hold it
        for rel, entry in manifest.items():
            if keep is not None and keep(rel):
                self.fresh[rel] = entry
            elif isinstance(entry, list) and len(entry) == 4 and isinstance(entry[3], str):
                self.sources[entry[3]] = rel
        self.linked: dict[tuple[int, int], str] = {}  # (device, inode) linked to → its hash
        self.inodes: dict[str, tuple[int, int]] = {}  # placed file → its (device, inode)

    def place(self, rel: str, data: bytes, digest: str) -> bool:
        """Put ``data`` at ``rel``; True when written or linked, False when the file already held it."""
        target = f"{self.folder}/{rel}"
        try:
            stat = os.stat(target)
            if self._has(target, stat, self.manifest.get(rel), data, digest):
                self._record(rel, stat, digest)
                return False
        except OSError:
            stat = None
        if not self._link(rel, data, digest, exists=stat is not None):
            files.write_bytes(Path(target), data, durable=False)
            self._record(rel, os.stat(target), digest)
        self.sources[digest] = rel
        return True

    def _link(self, rel: str, data: bytes, digest: str, exists: bool) -> bool:
        source = self.sources.get(digest)
        if source is None or source == rel:
            return False
        path = f"{self.folder}/{source}"
        try:
            stat = os.stat(path)
            if not self._has(path, stat, self.fresh.get(source) or self.manifest.get(source), data, digest):
                return False
        except OSError:
            return False
        if not hard_link(path, f"{self.folder}/{rel}", exists):
            return False
        self.linked[(stat.st_dev, stat.st_ino)] = digest
        self._record(rel, stat, digest)  # its ctime is the source's before the link: see refresh
        return True

    def _has(self, path: str, stat: os.stat_result, entry: object, data: bytes, digest: str) -> bool:
        """The file ``path`` (``stat``) holds ``data``: its manifest entry says so, or this call linked
        to its inode (which held them then), or else its bytes, read back, are the same. Reading is
        needed after a link made since the entry (the builder's into the staged site moves the ctime)."""
        if entry == [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, digest]:
            return True
        if self.linked.get((stat.st_dev, stat.st_ino)) == digest:
            return True
        if stat.st_size != len(data):
            return False
        with open(path, "rb") as handle:
            return handle.read() == data

    def _record(self, rel: str, stat: os.stat_result, digest: str) -> None:
        self.fresh[rel] = [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, digest]
        self.inodes[rel] = (stat.st_dev, stat.st_ino)

    def refresh(self) -> None:
        """Give every name of a linked inode the inode's stat as it is now (one stat per inode); a
        name whose inode or size and mtime are not as recorded loses its entry (read back next time)."""
        names: dict[tuple[int, int], list[str]] = {}
        for rel, key in self.inodes.items():
            if key in self.linked:
                names.setdefault(key, []).append(rel)
        for key, rels in names.items():
            try:
                stat = os.stat(f"{self.folder}/{rels[0]}")
            except OSError:
                stat = None
            same = stat is not None and (stat.st_dev, stat.st_ino) == key
            for rel in rels:
                if same and self.fresh[rel][:2] == [stat.st_size, stat.st_mtime_ns]:
                    self._record(rel, stat, self.linked[key])
                else:
                    del self.fresh[rel]


def hard_link(source: Path | str, target: Path | str, exists: bool) -> bool:
    """Make ``target`` a hard link to ``source``: created directly when it does not exist (atomic),
    else through a unique temporary name and os.replace. False when no link can be made (another
    file system, the source gone); then ``target`` is as it was."""
    if not exists:
        try:
            try:
                os.link(source, target)
            except FileNotFoundError:  # a new folder (or the source gone: the retry fails too)
                os.makedirs(os.path.dirname(target), exist_ok=True)
                os.link(source, target)
            return True
        except FileExistsError:
            pass  # it does exist after all: replaced below
        except OSError:
            return False
    tmp = files.temp_path(Path(target))
    tmp.unlink()
    try:
        os.link(source, tmp)
    except OSError:
        return False
    os.replace(tmp, target)
    with contextlib.suppress(FileNotFoundError):
        os.unlink(tmp)  # os.replace leaves it when target already was this very inode
    return True


def _same(target: Path, source: Path) -> bool:
    try:
        a, b = os.stat(target), os.stat(source)
    except OSError:
        return False
    if (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino):
        return True
    return a.st_size == b.st_size and a.st_mtime_ns == b.st_mtime_ns
