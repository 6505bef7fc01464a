"""The article's photos: upright, bare (publish.assets strips every byte of metadata), at most 1080 px
on the long side and under the upload limit as JPEG; plus a 1600 px copy the covers are cut from.

Entries are cached by content hash and settings under .cache/wechat/photos/ like the site's, the
covers cut from them under .cache/wechat/covers/."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from casebook.outputs.wechat import covers
from casebook.publish import assets

ARTICLE = 1080  # px, long side: WeChat shows articles at most ~680 px wide (1080 on phones at 3×)
LARGE = 1600  # px, long side of the copy covers are cut from
QUALITY = 85
MAX_BYTES = 1_000_000  # the upload API takes images under 1 MB
SPEC = assets.WebSpec(LARGE, ARTICLE, QUALITY)
TAG = assets.settings_tag("wechat", SPEC.tag, MAX_BYTES)


@dataclass(frozen=True)
class Prepared:
    article: Path  # ≤ 1080 px, < 1 MB, bare JPEG
    large: Path  # ≤ 1600 px, bare JPEG (for the covers)
    size: tuple[int, int]  # of the article copy


def under_limit(blob: bytes, limit: int = MAX_BYTES) -> bytes:
    """A bare JPEG under ``limit`` bytes: lower qualities, then smaller sizes, until it fits."""
    if len(blob) < limit:
        return blob
    with assets.open_image(blob) as opened:
        picture = opened.convert("RGB")
    while True:
        for quality in (75, 65, 55, 45):
            out = io.BytesIO()
            picture.save(out, "JPEG", quality=quality, optimize=True)
            if out.tell() < limit:
                return assets.strip_jpeg(out.getvalue())
        size = (max(1, picture.width * 3 // 4), max(1, picture.height * 3 // 4))
        picture = picture.resize(size, Image.Resampling.LANCZOS)


def make(source: Path, entry: Path) -> dict:
    copies = assets.web_copies(source.read_bytes(), SPEC)
    large, _ = copies["full.jpg"]
    article = under_limit(copies["thumb.jpg"][0])
    with assets.open_image(article) as opened:
        size = list(opened.size)
    assets.EntryCache.write(entry, {"large.jpg": large, "article.jpg": article}, {"article": size})
    return {"article": size}


class PhotoCache:
    """Derivatives under ``folder``/<content hash>-<settings>/."""

    def __init__(self, folder: Path) -> None:
        self.cache = assets.EntryCache(folder, TAG)
        self.used: set[Path] = set()
        self.covers = covers.CoverCache(folder.with_name("covers"))

    def prepare(self, source: Path) -> Prepared:
        entry = self.cache.entry(assets.digest(source))
        meta = assets.EntryCache.read(entry)
        if not _valid(meta):
            meta = make(source, entry)
        self.used.add(entry)
        return Prepared(entry / "article.jpg", entry / "large.jpg", tuple(meta["article"]))

    def prune(self) -> None:
        """Drop the entries no case of a full build used."""
        assets.flush()
        self.cache.prune(self.used)
        self.covers.prune()


def _valid(meta: object) -> bool:
    size = meta.get("article") if isinstance(meta, dict) else None
    return isinstance(size, list) and len(size) == 2 and all(isinstance(v, int) for v in size)
