"""Photos for print: scaled to the text width at 300 dpi where the source allows, EXIF dropped,
cached on disk, prepared in parallel, and embedded once per distinct image.

python-docx's add_picture hashes every image already in the document for each new one (quadratic);
ImageStore keeps its own map from content hash to relationship instead.
"""

from __future__ import annotations

import hashlib
import io
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_all_start_methods, get_context
from pathlib import Path

from docx.image.image import Image as DocxImage
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.oxml.shape import CT_Inline
from docx.parts.image import ImagePart
from PIL import Image, ImageOps

from .layout import TEXT_HEIGHT_CM, TEXT_WIDTH_CM

DPI = 300
MAX_HEIGHT_CM = round(TEXT_HEIGHT_CM * 0.58, 1)  # leaves room for the caption and a few lines
JPEG_QUALITY = 85
SLACK = 1.25
CACHE_VERSION = "2"
EMU_PER_CM = 360000


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


def _target_px(width: int, height: int) -> tuple[int, int]:
    aspect = height / width
    width_cm = TEXT_WIDTH_CM if TEXT_WIDTH_CM * aspect <= MAX_HEIGHT_CM else MAX_HEIGHT_CM / aspect
    target_w = int(round(width_cm / 2.54 * DPI))
    if width <= target_w:
        return width, height
    return target_w, max(1, int(round(target_w * aspect)))


def strip_jpeg_metadata(data: bytes) -> bytes:
    """Drop APP1–APP15 segments except ICC (APP2) and Adobe (APP14): no EXIF, GPS or XMP."""
    if data[:2] != b"\xff\xd8":
        return data
    out = bytearray(data[:2])
    pos = 2
    while pos + 4 <= len(data) and data[pos] == 0xFF:
        marker = data[pos + 1]
        if marker == 0xDA:  # start of scan: the rest is image data
            break
        length = int.from_bytes(data[pos + 2 : pos + 4], "big")
        segment = data[pos : pos + 2 + length]
        keep = not (0xE1 <= marker <= 0xEF) or (marker == 0xE2 and segment[4:15] == b"ICC_PROFILE") or marker == 0xEE
        if keep:
            out += segment
        pos += 2 + length
    out += data[pos:]
    return bytes(out)


class PhotoError(ValueError):
    """A photo that cannot be read; the message is Chinese."""


MAX_PIXELS = 400_000_000  # phone cameras reach 200 MP; Pillow's default refuses above 179 MP


def prepare_safe(path: Path) -> Prepared | PhotoError:
    """prepare(), with an unreadable photo turned into a value (it crosses process boundaries)."""
    try:
        return prepare(path)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as error:
        return PhotoError(f"图片无法读取，已略去：{path}（{type(error).__name__}: {error}）")


def prepare(path: Path) -> Prepared:
    """Read one photo and make its print derivative."""
    data = path.read_bytes()
    limit, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, MAX_PIXELS
    try:
        return _derive(data)
    finally:
        Image.MAX_IMAGE_PIXELS = limit


def _derive(data: bytes) -> Prepared:
    with Image.open(io.BytesIO(data)) as image:
        fmt = image.format
        orientation = image.getexif().get(0x0112, 1) if fmt == "JPEG" else 1
        size = image.size if orientation in (1, 2, 3, 4) else image.size[::-1]
        target = _target_px(*size)
        if fmt == "JPEG" and orientation == 1 and target == image.size and image.mode in ("RGB", "L"):
            return Prepared(strip_jpeg_metadata(data), "jpeg", *image.size)
        if fmt == "PNG" and target == image.size:
            return Prepared(data, "png", *image.size)
        if fmt == "JPEG":
            box = target if orientation in (1, 2, 3, 4) else target[::-1]
            image.draft("RGB", box)
        picture = ImageOps.exif_transpose(image)
        # JPEG draft decoding has already scaled by 1/2, 1/4 or 1/8 with good quality; within
        # SLACK of the target that is kept (a little over 300 dpi) rather than resampled again.
        if picture.width > target[0] * SLACK:
            picture = picture.resize(target, Image.Resampling.BICUBIC, reducing_gap=3.0)
        out = io.BytesIO()
        if fmt == "PNG" and picture.mode in ("RGBA", "LA", "P"):
            picture.save(out, "PNG", optimize=False)
            return Prepared(out.getvalue(), "png", *picture.size)
        picture.convert("RGB").save(out, "JPEG", quality=JPEG_QUALITY, dpi=(DPI, DPI), optimize=False)
        return Prepared(out.getvalue(), "jpeg", *picture.size)


def _cache_name(path: Path) -> str:
    stat = path.stat()
    key = f"{CACHE_VERSION}|{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}|{DPI}|{MAX_HEIGHT_CM}|{JPEG_QUALITY}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest()


def _load_cached(cache: Path, path: Path) -> Prepared | None:
    stem = cache / _cache_name(path)
    for ext in ("jpeg", "png"):
        file = stem.with_suffix(f".{ext}")
        if file.is_file():
            data = file.read_bytes()
            with Image.open(io.BytesIO(data)) as image:
                return Prepared(data, ext, *image.size)
    return None


def _store_cached(cache: Path, path: Path, prepared: Prepared) -> None:
    cache.mkdir(parents=True, exist_ok=True)
    target = (cache / _cache_name(path)).with_suffix(f".{prepared.ext}")
    temp = target.with_name(f".tmp-{os.getpid()}-{target.name}")
    temp.write_bytes(prepared.blob)
    os.replace(temp, target)


def prepare_all(paths: list[Path], cache: Path | None, problems: list[str] | None = None) -> dict[Path, Prepared]:
    """Every distinct photo's derivative, from the cache or made in parallel; unreadable photos
    are left out and described in problems."""
    result: dict[Path, Prepared] = {}
    todo: list[Path] = []
    for path in dict.fromkeys(paths):
        hit = _load_cached(cache, path) if cache else None
        if hit is not None:
            result[path] = hit
        else:
            todo.append(path)
    workers = min(os.cpu_count() or 1, 8)
    if len(todo) >= 4 and workers > 1:
        method = "fork" if "fork" in get_all_start_methods() else None  # Windows: spawn
        with ProcessPoolExecutor(max_workers=workers, mp_context=get_context(method)) as pool:
            made = list(pool.map(prepare_safe, todo, chunksize=max(1, len(todo) // (workers * 4))))
    else:
        made = [prepare_safe(p) for p in todo]
    for path, prepared in zip(todo, made, strict=True):
        if isinstance(prepared, PhotoError):
            if problems is not None:
                problems.append(str(prepared))
            continue
        result[path] = prepared
        if cache:
            _store_cached(cache, path, prepared)
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

    def inline(self, prepared: Prepared, name: str) -> CT_Inline:
        width_cm, height_cm = prepared.display_cm()
        self.shape_id += 1
        return CT_Inline.new_pic_inline(
            self.shape_id, self.rel_id(prepared), name, int(width_cm * EMU_PER_CM), int(height_cm * EMU_PER_CM)
        )
