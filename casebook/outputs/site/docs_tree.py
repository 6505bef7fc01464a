"""The generated docs tree: every output is registered once (a second write to the same path is a bug,
never a silent overwrite), then synchronised to disk touching only what changed."""

from __future__ import annotations

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
        self.written: set[str] = set()  # files the last sync wrote (their bytes are self.texts')

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
        ``keep``: paths this tree does not hold (another tree's, synced on its own), left as they are.

        A manifest of (size, mtime, ctime, hash) per written file avoids reading back unchanged files
        (the ctime: a file hard-linked into a published site and edited there, its mtime put back).
        Files are written without fsync: the folder is a cache, and a file a crash left short has
        another size than its manifest entry, so it is written again. ``written``: the files this
        call wrote."""
        folder.mkdir(parents=True, exist_ok=True)
        manifest_path = folder.parent / (folder.name + ".manifest.json")
        try:
            manifest: dict = json.loads(manifest_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            manifest = {}
        fresh: dict = {rel: entry for rel, entry in manifest.items() if keep is not None and keep(rel)}
        changed = 0
        self.written = set()
        for rel, data in sorted(self.texts.items()):
            target = folder / rel
            digest = hashlib.sha1(data).hexdigest()
            self._digests[rel] = digest
            try:
                stat = target.stat()
                if manifest.get(rel) == [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, digest]:
                    fresh[rel] = manifest[rel]
                    continue
                if stat.st_size == len(data) and target.read_bytes() == data:
                    fresh[rel] = [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, digest]
                    continue
            except OSError:
                pass
            files.write_bytes(target, data, durable=False)
            self.written.add(rel)
            stat = target.stat()
            fresh[rel] = [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, digest]
            changed += 1
        if fresh != manifest:
            files.write_text(manifest_path, json.dumps(fresh, sort_keys=True))
        for rel, source in sorted(self.links.items()):
            target = folder / rel
            if _same(target, source):
                continue
            tmp = files.temp_path(target)
            tmp.unlink()
            try:
                os.link(source, tmp)
            except OSError:
                shutil.copy2(source, tmp)
            os.replace(tmp, target)
            changed += 1
        wanted = self.paths()
        prefix = len(str(folder)) + 1
        for dirpath, _dirnames, filenames in os.walk(folder, topdown=False):
            for name in filenames:
                path = os.path.join(dirpath, name)
                rel = path[prefix:].replace(os.sep, "/")
                if rel not in wanted and (keep is None or not keep(rel)):
                    os.unlink(path)
                    changed += 1
            if dirpath != str(folder) and not os.listdir(dirpath):
                os.rmdir(dirpath)
        return changed


def _same(target: Path, source: Path) -> bool:
    try:
        a, b = target.stat(), source.stat()
    except OSError:
        return False
    if (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino):
        return True
    return a.st_size == b.st_size and a.st_mtime_ns == b.st_mtime_ns
