"""Photos for print: scaled to the text width at 300 dpi where the source allows, upright, stripped of all
metadata (casebook.publish.assets, shared with the site), cached by content hash, prepared in parallel,
and embedded once per distinct image.

python-docx's add_picture hashes every image already in the document for each new one (quadratic);
ImageStore keeps its own map from content hash to relationship instead.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from docx.image.image import Image as DocxImage
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.oxml.shape import CT_Inline
from docx.parts.image import ImagePart

from casebook.outputs.book import ooxml
from casebook.outputs.book.layout import TEXT_HEIGHT_CM, TEXT_WIDTH_CM
from casebook.publish import assets

DPI = 300
MAX_HEIGHT_CM = round(TEXT_HEIGHT_CM * 0.58, 1)  # leaves room for the caption and a few lines
JPEG_QUALITY = 85
SLACK = 1.25
EMU_PER_CM = 360000
SPEC = assets.PrintSpec(TEXT_WIDTH_CM, MAX_HEIGHT_CM, DPI, JPEG_QUALITY, SLACK)


@dataclass(frozen=True)
class Prepared:
    blob: bytes
    ext: str  # "jpeg" or "png"
    width_px: int
    height_px: int

    def display_cm(self) -> tuple[float, float]:
        """Width and height on the page: the text width, unless that makes the photo too tall."""
        aspect = self.height_px / self.width_px
        width = TEXT_WIDTH_CM
        if width * aspect > MAX_HEIGHT_CM:
            width = MAX_HEIGHT_CM / aspect
        return width, width * aspect


class PhotoError(ValueError):
    """A photo that cannot be read; the message is Chinese."""


def prepare_safe(path: Path) -> Prepared | PhotoError:
    """prepare(), with an unreadable photo turned into a value (it crosses process boundaries)."""
    try:
        return prepare(path)
    except assets.TooManyPixels as error:
        return PhotoError(f"图片像素过多，已略去：{path}（{error}，上限 {assets.MAX_PIXELS // 10_000} 万像素）")
    except (OSError, ValueError, SyntaxError, EOFError) as error:
        return PhotoError(f"图片无法读取，已略去：{path}（{type(error).__name__}: {error}）")


def prepare(path: Path) -> Prepared:
    """Read one photo and make its print derivative."""
    printed = assets.print_copy(path.read_bytes(), SPEC)
    return Prepared(printed.blob, printed.ext, printed.width, printed.height)


_BLOB = "photo"  # an entry holds photo.jpeg or photo.png, and the marker


def _load_cached(store: assets.EntryCache, value: str) -> Prepared | None:
    entry = store.entry(value)
    meta = store.read(entry)
    if meta is None:
        return None
    try:
        blob = (entry / f"{_BLOB}.{meta['ext']}").read_bytes()
        return Prepared(blob, meta["ext"], int(meta["width"]), int(meta["height"]))
    except (OSError, TypeError, KeyError, ValueError):
        return None  # damaged: made again


def _store_cached(store: assets.EntryCache, value: str, prepared: Prepared) -> None:
    meta = {"ext": prepared.ext, "width": prepared.width_px, "height": prepared.height_px}
    assets.EntryCache.write(store.entry(value), {f"{_BLOB}.{prepared.ext}": prepared.blob}, meta)


def prepare_all(paths: list[Path], cache: Path | None, problems: list[str] | None = None) -> dict[Path, Prepared]:
    """Every photo's derivative, from the cache (by content hash) or made in parallel, once per distinct
    content; unreadable photos are left out and described in problems."""
    store = assets.EntryCache(cache, SPEC.tag) if cache else None
    groups: dict[str, list[Path]] = {}
    for path in dict.fromkeys(paths):
        groups.setdefault(assets.digest(path), []).append(path)
    assets.flush()  # the digests of this build are remembered even if it is killed later
    made: dict[str, Prepared | PhotoError] = {}
    if store:
        made = {value: hit for value in groups if (hit := _load_cached(store, value)) is not None}
    todo = [value for value in groups if value not in made]
    workers = min(os.cpu_count() or 1, 8) if len(todo) >= 4 else 1
    results = assets.process_map(prepare_safe, [groups[value][0] for value in todo], workers)
    for value, prepared in zip(todo, results, strict=True):
        made[value] = prepared
        if store and isinstance(prepared, Prepared):
            _store_cached(store, value, prepared)
    if store:
        store.prune()  # other settings and dead builds' temporary files; both editions share the entries
    result: dict[Path, Prepared] = {}
    for value, group in groups.items():
        found = made[value]
        if isinstance(found, Prepared):
            result.update(dict.fromkeys(group, found))
        elif problems is not None:  # the message names the first file: name each one
            problems.extend(str(found).replace(str(group[0]), str(path)) for path in group)
    return result


class ImageStore:
    """One image part per distinct image, inline pictures with ids we hand out ourselves."""

    def __init__(self, document_part) -> None:
        self.part = document_part
        self.by_hash: dict[str, str] = {}
        self.count = 0
        self.shape_id = 1000

    def rel_id(self, prepared: Prepared) -> str:
        digest = hashlib.sha1(prepared.blob).hexdigest()
        found = self.by_hash.get(digest)
        if found:
            return found
        self.count += 1
        image = DocxImage.from_blob(prepared.blob)
        part = ImagePart.from_image(image, PackURI(f"/word/media/image{self.count}.{prepared.ext}"))
        rel_id = self.part.relate_to(part, RT.IMAGE)
        self.by_hash[digest] = rel_id
        return rel_id

    def inline(self, prepared: Prepared, name: str, descr: str = "", scale: float = 1.0) -> CT_Inline:
        """An inline picture at scale × its full size; descr (the caption) is its alternative text."""
        width_cm, height_cm = (value * scale for value in prepared.display_cm())
        self.shape_id += 1
        inline = CT_Inline.new_pic_inline(
            self.shape_id, self.rel_id(prepared), name, int(width_cm * EMU_PER_CM), int(height_cm * EMU_PER_CM)
        )
        if descr:
            ooxml.set_descr(inline, descr)
        return inline
