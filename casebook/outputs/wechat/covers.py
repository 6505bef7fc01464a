"""The covers: 900×383 (2.35:1, the article's card) and 200×200 (shared to chats), cut around the
centre of one photo — the one named in ``wechat_cover``, else the first — or, for a case without
photos, a plain card in the accent colour."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

from casebook.document import normalise_src
from casebook.model import Case, Photo
from casebook.publish import assets

WIDE = (900, 383)
SQUARE = (200, 200)
QUALITY = 88
TAG = assets.settings_tag("wechat-covers", WIDE, SQUARE, QUALITY)


def chosen(case: Case) -> tuple[Photo | None, bool]:
    """The photo the covers come from, and whether ``wechat_cover`` named one that is not a photo."""
    if case.wechat_cover:
        for photo in case.photos:
            if normalise_src(photo.file) == case.wechat_cover:
                return photo, False
        return (case.photos[0] if case.photos else None), True
    return (case.photos[0] if case.photos else None), False


def crop_box(width: int, height: int, target: tuple[int, int]) -> tuple[int, int, int, int]:
    """The largest box of the target's proportions around the centre of a width×height picture."""
    ratio = target[0] / target[1]
    if width / height > ratio:
        crop_w, crop_h = round(height * ratio), height
    else:
        crop_w, crop_h = width, round(width / ratio)
    left, top = (width - crop_w) // 2, (height - crop_h) // 2
    return left, top, left + crop_w, top + crop_h


def _jpeg(picture: Image.Image) -> bytes:
    picture.info = {}
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=QUALITY, optimize=True)
    return assets.strip_jpeg(out.getvalue())


def covers(large: Path | None, accent: str, cache: CoverCache | None = None) -> dict[str, bytes]:
    """{"cover.jpg": …, "cover-square.jpg": …} from an upright, bare JPEG (or the accent colour)."""
    if large is None:
        colour = tuple(int(accent[i : i + 2], 16) for i in (1, 3, 5))
        return {name: _jpeg(Image.new("RGB", size, colour)) for name, size in _NAMES.items()}
    return cache.get(large) if cache is not None else _cut(large)


def _cut(large: Path) -> dict[str, bytes]:
    with assets.open_image(large.read_bytes()) as opened:
        picture = opened.convert("RGB")
    made = {}
    for name, size in _NAMES.items():
        cut = picture.crop(crop_box(picture.width, picture.height, size))
        made[name] = _jpeg(cut.resize(size, Image.Resampling.LANCZOS))
    return made


class CoverCache:
    """The covers cut from a photo, by the content of its large copy, under ``folder``/<digest>-<tag>/:
    cutting and encoding them is most of a rebuild's work on a case's photos."""

    def __init__(self, folder: Path) -> None:
        self.cache = assets.EntryCache(folder, TAG)
        self.used: set[Path] = set()

    def get(self, large: Path) -> dict[str, bytes]:
        entry = self.cache.entry(assets.digest(large))
        self.used.add(entry)
        if assets.EntryCache.read(entry) is not None:
            try:
                return {name: (entry / name).read_bytes() for name in _NAMES}
            except OSError:
                pass  # removed meanwhile: cut again
        made = _cut(large)
        assets.EntryCache.write(entry, made, {"covers": sorted(made)})
        return made

    def prune(self) -> None:
        self.cache.prune(self.used)


_NAMES = {"cover.jpg": WIDE, "cover-square.jpg": SQUARE}
