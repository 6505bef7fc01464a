"""Web derivatives of case photos: orientation applied, metadata stripped, at most 1600 px plus a
thumbnail. Made in parallel with Pillow's JPEG draft mode; cached by content hash and settings."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps

FULL = 1600
THUMB = 600
QUALITY = 82
VERSION = 1  # bump when the processing below changes
SETTINGS = {"full": FULL, "thumb": THUMB, "quality": QUALITY, "version": VERSION, "pillow": Image.__version__}
_SETTINGS_TAG = hashlib.sha256(json.dumps(SETTINGS, sort_keys=True).encode()).hexdigest()[:10]


@dataclass(frozen=True)
class Derivative:
    full: Path
    full_size: tuple[int, int]
    thumb: Path
    thumb_size: tuple[int, int]


def _fit(size: tuple[int, int], limit: int) -> tuple[int, int]:
    width, height = size
    scale = min(1.0, limit / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def _save(image: Image.Image, path: Path) -> None:
    image.info = {}  # no EXIF, XMP, ICC, comments: nothing of the original travels
    tmp = path.with_name(path.name + ".tmp")
    image.save(tmp, "JPEG", quality=QUALITY, optimize=True)
    os.replace(tmp, path)


def make(source: str, target_dir: str) -> dict:
    """Write full.jpg and thumb.jpg for one photo; return their pixel sizes (runs in a worker)."""
    target = Path(target_dir)
    target.mkdir(parents=True, exist_ok=True)
    with Image.open(source) as opened:
        if opened.format == "JPEG":
            opened.draft("RGB", _fit(opened.size, FULL))
        image = ImageOps.exif_transpose(opened)
        if image.mode in ("RGBA", "LA", "P"):
            image = image.convert("RGBA")
            flat = Image.new("RGB", image.size, (255, 255, 255))
            flat.paste(image, mask=image.getchannel("A"))
            image = flat
        elif image.mode != "RGB":
            image = image.convert("RGB")
        full = (
            image.resize(_fit(image.size, FULL), Image.Resampling.LANCZOS) if max(image.size) > FULL else image.copy()
        )
        thumb = full.resize(_fit(full.size, THUMB), Image.Resampling.LANCZOS)
    _save(full, target / "full.jpg")
    _save(thumb, target / "thumb.jpg")
    meta = {"full": list(full.size), "thumb": list(thumb.size)}
    (target / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    return meta


class PhotoCache:
    """Derivatives under ``folder``/<content hash>-<settings>/; a stat memo avoids rehashing."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._memo_path = folder / "hashes.json"
        try:
            self._memo: dict = json.loads(self._memo_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self._memo = {}
        self.processed = 0

    def _digest(self, path: Path) -> str:
        stat = path.stat()
        key = str(path)
        signature = [stat.st_size, stat.st_mtime_ns]
        known = self._memo.get(key)
        if known and known[:2] == signature:
            return known[2]
        with path.open("rb") as handle:
            digest = hashlib.file_digest(handle, "sha256").hexdigest()[:32]
        self._memo[key] = [*signature, digest]
        return digest

    def derive(self, sources: list[Path], workers: int | None = None) -> dict[Path, Derivative]:
        """A derivative for every source; only photos never seen with these settings are processed."""
        folders = {src: self.folder / f"{self._digest(src)}-{_SETTINGS_TAG}" for src in sources}
        todo: dict[Path, Path] = {}
        for src, folder in sorted(folders.items()):
            if not (folder / "meta.json").is_file() and folder not in todo.values():
                todo[src] = folder
        if todo:
            self._process(todo, workers)
        self.folder.mkdir(parents=True, exist_ok=True)
        self._memo = {k: v for k, v in self._memo.items() if Path(k).exists()}
        tmp = self._memo_path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self._memo, sort_keys=True), encoding="utf-8")
        os.replace(tmp, self._memo_path)
        self._prune(set(folders.values()))
        result = {}
        for src, folder in folders.items():
            meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
            result[src] = Derivative(
                folder / "full.jpg", tuple(meta["full"]), folder / "thumb.jpg", tuple(meta["thumb"])
            )
        return result

    def _prune(self, used: set[Path]) -> None:
        """Drop derivatives no photo of the collection needs any more (edited or removed photos)."""
        for folder in self.folder.iterdir():
            if folder.is_dir() and folder not in used and folder.name.endswith(f"-{_SETTINGS_TAG}"):
                shutil.rmtree(folder, ignore_errors=True)
            elif folder.is_dir() and not folder.name.endswith(f"-{_SETTINGS_TAG}") and "-" in folder.name:
                shutil.rmtree(folder, ignore_errors=True)  # made with other settings

    def _process(self, todo: dict[Path, Path], workers: int | None) -> None:
        progress = Progress(len(todo), "处理图片")
        items = sorted(todo.items())
        if len(items) < 3 or workers == 1:
            for src, folder in items:
                make(str(src), str(folder))
                progress.step()
        else:
            workers = workers or os.cpu_count() or 1
            with ProcessPoolExecutor(max_workers=workers) as pool:
                futures = [pool.submit(make, str(src), str(folder)) for src, folder in items]
                for future in futures:
                    future.result()
                    progress.step()
        progress.done()
        self.processed += len(items)


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
