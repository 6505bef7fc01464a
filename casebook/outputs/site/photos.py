"""Web derivatives of case photos: upright, bare (no metadata at all), at most 1600 px plus a thumbnail.

A thin adapter over casebook.publish.assets, which decodes, strips and caches for the site and the book
alike; entries are keyed by content hash and settings and rebuilt when damaged.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from casebook.publish import assets

FULL = 1600
THUMB = 600
QUALITY = 82
SPEC = assets.WebSpec(FULL, THUMB, QUALITY)


@dataclass(frozen=True)
class Derivative:
    full: Path
    full_size: tuple[int, int]
    thumb: Path
    thumb_size: tuple[int, int]


def make(source: str, target_dir: str) -> dict:
    """Write full.jpg and thumb.jpg for one photo, then the entry's marker; return their pixel sizes."""
    return assets.write_web_entry(Path(source), Path(target_dir), SPEC)


def _make(job: tuple[str, str]) -> dict:
    return make(*job)


class PhotoCache:
    """Derivatives under ``folder``/<content hash>-<settings>/; ``processed`` counts the photos made."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.cache = assets.EntryCache(folder, SPEC.tag)
        self.processed = 0

    def derive(self, sources: list[Path], workers: int | None = None) -> dict[Path, Derivative]:
        """A derivative for every source; only photos whose entry is missing or damaged are processed."""
        entries = {src: self.cache.entry(assets.digest(src)) for src in sources}
        assets.flush()  # the digests of this build are remembered even if it is killed later
        sizes = {entry: assets.EntryCache.read(entry) for entry in set(entries.values())}
        todo = {entry: src for src, entry in sorted(entries.items()) if not _valid(sizes[entry])}
        if todo:
            jobs = [(str(src), str(entry)) for entry, src in sorted(todo.items(), key=lambda item: item[1])]
            progress = Progress(len(jobs), "处理图片")
            made = assets.process_map(_make, jobs, 1 if len(jobs) < 3 else workers, progress.step)
            progress.done()
            sizes.update({Path(entry): meta for (_, entry), meta in zip(jobs, made, strict=True)})
            self.processed += len(jobs)
        self.cache.prune(set(entries.values()))
        return {
            src: Derivative(
                entry / "full.jpg", tuple(sizes[entry]["full"]), entry / "thumb.jpg", tuple(sizes[entry]["thumb"])
            )
            for src, entry in entries.items()
        }


def _valid(meta: dict | None) -> bool:
    return isinstance(meta, dict) and all(
        isinstance(meta.get(k), list) and len(meta[k]) == 2 and all(isinstance(v, int) for v in meta[k])
        for k in ("full", "thumb")
    )


class Progress:
    """A one-line progress bar on a terminal; silent when stderr is not one."""

    def __init__(self, total: int, label: str) -> None:
        self.total, self.label, self.count = total, label, 0
        self.active = sys.stderr.isatty() and total > 0

    def step(self) -> None:
        self.count += 1
        if self.active:
            filled = self.count * 30 // self.total
            sys.stderr.write(f"\r{self.label} [{'#' * filled}{'.' * (30 - filled)}] {self.count}/{self.total}")
            sys.stderr.flush()

    def done(self) -> None:
        if self.active:
            sys.stderr.write("\n")
