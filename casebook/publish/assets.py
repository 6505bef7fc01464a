"""Photos for every output: decoded once, oriented, stripped of all metadata, derived for web and print.

`check`, the site and the book used to disagree on the pixel limit, on what a complete JPEG is and on which
metadata reaches the public (architecture review §1.4, §5). This module is the one answer:

- One pixel limit, MAX_PIXELS, for every open; Pillow's global limit is only lifted while we open a file.
- Integrity is a full decode (JPEG in DCT draft mode, which still entropy-decodes every scan), plus what
  libjpeg only warns about and Pillow ignores: scan data that stops before the end marker (a probe), and
  garbage inside the scan data (a second decode by libjpeg-turbo with its warnings as errors, simplejpeg).
- Decode results are cached by content hash under the collection's .cache/, with one stat memo per
  collection, so a second `check` of an unchanged collection neither hashes nor decodes.
- Published files keep only the picture: no EXIF (GPS), XMP, IPTC, comments, PNG text/time chunks,
  thumbnails or trailing data (a motion photo's video). Colour profiles go too (the site serves bare JPEGs);
  a photo with a non-sRGB profile is converted to sRGB first, so its colours survive.
- Derivatives are cache entries keyed by content hash + settings: files written atomically under unique
  temporary names, the marker last; an entry with a damaged marker or missing files is rebuilt.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import multiprocessing
import multiprocessing.util
import os
import re
import shutil
import struct
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

from PIL import Image, ImageCms, ImageOps

from casebook.util import files
from casebook.util.children import die_with_parent

MAX_PIXELS = 250_000_000  # phones reach 200 MP; above this a file is treated as a decompression bomb
FACTS_VERSION = 2  # bump when examine_bytes() changes what it finds
DERIVATIVE_VERSION = 1  # bump when the derivatives change (part of every cache key)
MARKER = "meta.json"  # an entry's completion marker, written last
DECODES = 0  # full decodes made by this process: the warm path of `check` makes none


def settings_tag(*parts: object) -> str:
    """A short name for a set of settings (with Pillow's version): part of every cache key."""
    text = json.dumps([*parts, Image.__version__], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:10]


_FACTS_TAG = settings_tag("facts", FACTS_VERSION, MAX_PIXELS)


# --- opening ---------------------------------------------------------------------------------------


class TooManyPixels(ValueError):
    """More than MAX_PIXELS: refused before any pixel is decoded."""

    def __init__(self, fmt: str | None, width: int, height: int) -> None:
        super().__init__(f"{width}×{height}")
        self.format, self.width, self.height = fmt, width, height


def open_image(data: bytes) -> Image.Image:
    """Open from memory under the one pixel limit (Pillow's own, global one is lifted meanwhile so that
    the size is always known; opening reads only the header)."""
    saved, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, None
    try:
        image = Image.open(io.BytesIO(data))
    finally:
        Image.MAX_IMAGE_PIXELS = saved
    if image.width * image.height > MAX_PIXELS:
        image.close()
        raise TooManyPixels(image.format, image.width, image.height)
    return image


def _draft_eighth(image: Image.Image) -> None:
    """JPEG DCT scaling to 1/8: libjpeg still reads every scan, but skips most of the inverse DCT."""
    image.draft(None, (max(1, image.width // 8), max(1, image.height // 8)))


# --- decode facts, cached by content hash ------------------------------------------------------------


@dataclass(frozen=True)
class Facts:
    """What opening and fully decoding one file found."""

    format: str | None  # Pillow's name: "JPEG", "PNG", …; None when unknown
    width: int = 0
    height: int = 0
    problem: str | None = None  # None, "unknown" (not an image), "bomb" (too many pixels) or "broken"
    detail: str = ""  # Chinese: why it is broken


_STOPS_EARLY = "扫描数据在结束标记之前中断（文件被截断），图片下部会显示为灰色"
_DAMAGED_SCAN = "扫描数据中有损坏的内容，图片会出现错位、色块或灰块"
_NOISE = bytes((index * 151 + 17) % 255 for index in range(4096))  # stand-in scan data without 0xFF


def examine_bytes(data: bytes) -> Facts:
    """Open and fully decode one file (the expensive step: `examine` caches it by content hash)."""
    global DECODES
    DECODES += 1
    try:
        image = open_image(data)
    except TooManyPixels as error:
        return Facts(error.format, error.width, error.height, "bomb")
    except Image.UnidentifiedImageError:
        return Facts(None, problem="unknown")
    except (OSError, SyntaxError, ValueError, EOFError, struct.error) as error:
        return Facts(None, problem="broken", detail=_explain(error))
    with image:
        fmt, (width, height) = image.format, image.size
        if fmt not in ("JPEG", "PNG"):
            return Facts(fmt, width, height)
        try:
            detail = _decode(data, image)
        except (OSError, SyntaxError, ValueError, EOFError, struct.error) as error:
            detail = _explain(error)
    return Facts(fmt, width, height, "broken" if detail else None, detail)


def _decode(data: bytes, image: Image.Image) -> str:
    """'' when all picture data decodes, else why not; raises what Pillow raises."""
    if image.format != "JPEG":
        image.load()
        with open_image(data) as again:
            again.verify()  # every chunk's CRC
        return ""
    # At 1/8 scale only DC coefficients count: a progressive file's refinement scans need the full size.
    progressive = bool(image.info.get("progressive") or image.info.get("progression"))
    if not progressive:
        _draft_eighth(image)
    image.load()  # raises on a cut file without an end marker (LOAD_TRUNCATED_IMAGES is off)
    if (progressive or _grey_corner(image)) and _differs_with_noise(data, image, draft=not progressive):
        return _STOPS_EARLY
    return _strict_jpeg(data)


# Some encoders leave a few stray bytes before a marker; the picture is whole and libjpeg says so. Garbage
# in the scan data leaves hundreds or thousands, or breaks the Huffman codes.
_HARMLESS = re.compile(r"Corrupt JPEG data: (\d+) extraneous bytes before marker")
_HARMLESS_MAX = 64


def _strict_jpeg(data: bytes) -> str:
    """'' when libjpeg-turbo decodes every scan without a warning; else why not. Grey output is enough:
    every coefficient of every component is still entropy-decoded."""
    import simplejpeg  # with numpy: 0.1 s to import, needed only for photos not seen before

    try:
        simplejpeg.decode_jpeg(data, colorspace="GRAY", strict=True)
    except ValueError as error:
        stray = _HARMLESS.match(str(error))
        if stray and int(stray.group(1)) <= _HARMLESS_MAX:
            return ""
        return _DAMAGED_SCAN
    return ""


def _grey_corner(image: Image.Image) -> bool:
    """Blocks never read decode to mid-grey; a last block of any other colour was read."""
    corner = image.getpixel((image.width - 1, image.height - 1))
    return all(value in (127, 128) for value in (corner if isinstance(corner, tuple) else (corner,)))


def _differs_with_noise(data: bytes, image: Image.Image, draft: bool) -> bool:
    """True when the scan data ran out before the last block. libjpeg only warns about that ("premature end
    of data segment": the rest is left grey or unrefined) and Pillow drops warnings (JpegDecode.c), so
    decode again with noise in front of the marker that ended the last scan: a complete file decodes the
    same (its scan was over), a cut one reads the noise and does not."""
    end = _last_scan_end(data)
    if end is None:
        return False
    try:
        with open_image(data[:end] + _NOISE + data[end:]) as probe:
            if draft:
                _draft_eighth(probe)
            probe.load()
            return probe.tobytes() != image.tobytes()
    except (OSError, SyntaxError, ValueError, EOFError, struct.error):
        return True


def _explain(error: BaseException) -> str:
    text = str(error)
    if "truncated" in text:
        return "文件被截断，图像数据不完整"
    if "broken data stream" in text:
        return "图像数据损坏，无法解码"
    return f"无法解码（{text or type(error).__name__}）"


def _facts_from(value: object) -> Facts | None:
    """Facts from cached JSON, or None when it is not what examine_bytes() writes (damaged: decode again)."""
    try:
        facts = Facts(**value) if isinstance(value, dict) else None
    except TypeError:
        return None
    ok = facts is not None and isinstance(facts.format, str | None) and isinstance(facts.detail, str)
    ok = ok and isinstance(facts.width, int) and isinstance(facts.height, int)
    return facts if ok and facts.problem in (None, "unknown", "bomb", "broken") else None


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:32]


def _signature(path: str) -> list[int]:
    # ctime as well as mtime: tools that restore an mtime (cp -p, rsync -t, unzip) cannot restore it
    stat = os.stat(path)
    return [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino]


def store_for(folder: str) -> Path | None:
    """<collection>/.cache/assets/<tag>/ for a folder under <collection>/cases/; None elsewhere (memory only)."""
    at = (folder + os.sep).rfind(f"{os.sep}cases{os.sep}")
    return Path(folder[:at], ".cache", "assets", _FACTS_TAG) if at >= 0 else None


_MEMO_FILE = "memo.json"
_PARTS = "memo-parts"  # worker processes' new entries, merged into memo.json by the next process to open it


class _StoreMemo:
    """Digest and decode facts of the files under one store's collection, by folder and name, valid while
    a file's stat signature holds. One JSON file for the whole collection, read once and written once a
    process: a file per case folder cost a creation and a rename each (+1.7 s of system time for a cold
    check of 1000 cases). Worker processes (the loader's) cannot hand entries back, so each writes its new
    ones as a part; the next process to open the memo merges the parts into it."""

    def __init__(self, store: Path | None) -> None:
        self.store = store
        self.folders: dict[str, dict[str, list]] = {}
        self.fresh: dict[str, dict[str, list]] = {}  # entries not yet saved
        if store is not None:
            _sweep(store)
            with contextlib.suppress(OSError):  # a read-only collection is checked all the same
                self._consolidate({})

    def _consolidate(self, fresh: dict) -> None:
        """memo.json made again from what is on disk now (the memo, the workers' parts) with ``fresh`` on
        top; the parts merged are removed. When a part went meanwhile, another process is merging it into
        memo.json: that one is left alone and ``fresh`` becomes a part."""
        self._merge(self.store / _MEMO_FILE)
        parts = list((self.store / _PARTS).glob("part-*.json"))  # not the .tmp-* of a part being written
        complete = all([self._merge(part) for part in parts])
        self._add(fresh)
        if parts and not complete:
            self._write_part(fresh)
        elif parts or fresh:
            self._prune()
            files.write_bytes(self.store / _MEMO_FILE, json.dumps(self.folders).encode(), durable=False)
            for part in parts:
                part.unlink(missing_ok=True)

    def _merge(self, file: Path) -> bool:
        """Add a memo file's entries; False when it is gone."""
        try:
            loaded = json.loads(file.read_bytes())
        except FileNotFoundError:
            return False
        except ValueError:  # damaged: rebuilt as files are seen
            return True
        self._add(loaded if isinstance(loaded, dict) else {})
        return True

    def _add(self, folders: dict) -> None:
        for folder, entries in folders.items():
            if isinstance(entries, dict):
                self.folders.setdefault(folder, {}).update(entries)

    def _write_part(self, fresh: dict) -> None:
        if fresh:
            part = self.store / _PARTS / f"part-{os.getpid()}-{os.urandom(6).hex()}.json"
            files.write_bytes(part, json.dumps(fresh).encode(), durable=False)

    def get(self, folder: str, name: str, signature: list[int]) -> list | None:
        entry = self.folders.get(folder, {}).get(name)
        ok = isinstance(entry, list) and len(entry) == 3 and entry[0] == signature and isinstance(entry[1], str)
        return entry if ok else None

    def put(self, folder: str, name: str, signature: list[int], digest: str, facts: Facts | None) -> None:
        entry = [signature, digest, dict(vars(facts)) if facts else None]
        self.folders.setdefault(folder, {})[name] = entry
        if self.store is not None:
            self.fresh.setdefault(folder, {})[name] = entry
            _flush_at_exit()

    def save(self) -> None:
        if self.store is None:
            return
        fresh, self.fresh = self.fresh, {}
        with contextlib.suppress(OSError):  # a read-only collection is checked all the same
            if multiprocessing.parent_process() is not None:  # a worker: its siblings are saving theirs too
                self._write_part(fresh)
            elif fresh:
                self._consolidate(fresh)

    def _prune(self) -> None:
        """Forget files that are gone (and folders with none left)."""
        kept = {
            folder: {name: e for name, e in entries.items() if os.path.exists(os.path.join(folder, name))}
            for folder, entries in self.folders.items()
        }
        self.folders = {folder: entries for folder, entries in kept.items() if entries}


def _sweep(store: Path) -> None:
    """Remove what earlier versions of this module (other tags, per-folder memos) and killed builds left."""
    with contextlib.suppress(OSError):
        for other in store.parent.iterdir():
            if other.name != store.name and re.fullmatch(r"[0-9a-f]{10}", other.name):
                shutil.rmtree(other, ignore_errors=True)
    shutil.rmtree(store / "folders", ignore_errors=True)
    for where in (store, store / _PARTS):
        files.remove_leftovers(where, ".tmp-*")


_MEMOS: dict[Path | None, _StoreMemo] = {}
_FACTS: dict[str, Facts] = {}
_STATE = {"flusher": 0}


def _memo(folder: str) -> _StoreMemo:
    store = store_for(folder)
    memo = _MEMOS.get(store)
    if memo is None:
        memo = _MEMOS[store] = _StoreMemo(store)
    return memo


def flush() -> None:
    """Save the memos' new entries (also run when the process ends)."""
    for memo in list(_MEMOS.values()):
        memo.save()


def _flush_at_exit() -> None:
    # multiprocessing's exit hook runs in the main process (atexit) and in forked workers, which skip atexit
    if _STATE["flusher"] != os.getpid():
        _STATE["flusher"] = os.getpid()
        multiprocessing.util.Finalize(None, flush, exitpriority=10)


def forget() -> None:
    """Save, then drop what this process remembers: the next calls read the on-disk cache (for tests)."""
    flush()
    _MEMOS.clear()
    _FACTS.clear()


def digest(path: Path) -> str:
    """sha256 (128 bits, hex) of a file's bytes; unchanged files are not read again."""
    folder, name = os.path.split(os.path.abspath(path))
    memo, signature = _memo(folder), _signature(os.path.join(folder, name))
    known = memo.get(folder, name, signature)
    if known:
        return known[1]
    with open(os.path.join(folder, name), "rb") as handle:
        value = hashlib.file_digest(handle, "sha256").hexdigest()[:32]
    memo.put(folder, name, signature, value, None)
    return value


def examine(path: Path) -> Facts:
    """What a full decode of the file finds; only content never seen before is decoded."""
    folder, name = os.path.split(os.path.abspath(path))
    memo, signature = _memo(folder), _signature(os.path.join(folder, name))
    known = memo.get(folder, name, signature)
    if known and (facts := _facts_from(known[2])):
        return facts
    with open(os.path.join(folder, name), "rb") as handle:
        data = handle.read()
    value = _sha(data)
    facts = _stored_facts(memo.store, value)
    if facts is None:
        facts = _FACTS[value] = examine_bytes(data)
        if memo.store is not None:
            with contextlib.suppress(OSError):
                files.write_bytes(
                    memo.store / "facts" / f"{value}.json", json.dumps(vars(facts)).encode(), durable=False
                )
    memo.put(folder, name, signature, value, facts)
    return facts


def _stored_facts(store: Path | None, value: str) -> Facts | None:
    facts = _FACTS.get(value)
    if facts is None and store is not None:
        with contextlib.suppress(OSError, ValueError):
            facts = _facts_from(json.loads((store / "facts" / f"{value}.json").read_bytes()))
        if facts is not None:
            _FACTS[value] = facts
    return facts


# --- JPEG and PNG without metadata, losslessly -------------------------------------------------------

_SCAN_END = re.compile(rb"\xff[^\x00\xd0-\xd7]")  # a marker; FF00 (stuffing) and RSTn belong to the scan
_STANDALONE = {0x01, *range(0xD0, 0xD8)}
_SOF = {*range(0xC0, 0xD0)} - {0xC4, 0xC8, 0xCC}
_KEEP = _SOF | {0xC4, 0xCC, 0xDA, 0xDB, 0xDC, 0xDD}  # frame, tables, scans, DNL, DRI
_SCAN = 0  # the pseudo-marker of entropy-coded data


def jpeg_segments(data: bytes) -> Iterator[tuple[int, int, int]]:
    """(marker, start, end) of each segment from SOI to EOI; marker 0 is a scan's entropy-coded data."""
    if data[:2] != b"\xff\xd8":
        raise ValueError("not a JPEG")
    pos = 2
    while pos + 1 < len(data):
        if data[pos] != 0xFF:
            raise ValueError(f"no JPEG marker at byte {pos}")
        while pos + 2 < len(data) and data[pos + 1] == 0xFF:
            pos += 1  # fill bytes
        marker = data[pos + 1]
        if marker == 0xD9 or marker in _STANDALONE:
            yield marker, pos, pos + 2
            if marker == 0xD9:
                return
            pos += 2
            continue
        end = pos + 2 + int.from_bytes(data[pos + 2 : pos + 4], "big")
        if end > len(data) or end < pos + 4:
            raise ValueError(f"JPEG segment {marker:#x} cut short")
        yield marker, pos, end
        pos = end
        if marker == 0xDA:
            found = _SCAN_END.search(data, pos)
            yield _SCAN, pos, found.start() if found else len(data)
            pos = found.start() if found else len(data)


def _last_scan_end(data: bytes) -> int | None:
    ends = [end for marker, _, end in jpeg_segments(data) if marker == _SCAN]
    return ends[-1] if ends else None


def _jfif(dpi: int | None) -> bytes:
    units, density = (1, dpi) if dpi else (0, 1)
    return b"\xff\xe0" + struct.pack(">H5sBBBHHBB", 16, b"JFIF\0", 1, 1, units, density, density, 0, 0)


def strip_jpeg(data: bytes, dpi: int | None = None) -> bytes:
    """The picture only: SOI, a fresh JFIF APP0 (python-docx recognises a JPEG by it), the frame, tables,
    scans and an Adobe APP14 (colour transform), EOI. Everything else goes: EXIF, XMP, IPTC, ICC, comments,
    thumbnails, and whatever follows the end marker."""
    out = [b"\xff\xd8", _jfif(dpi)]
    for marker, start, end in jpeg_segments(data):
        if marker in _KEEP or marker == _SCAN or (marker == 0xEE and data[start + 4 : start + 9] == b"Adobe"):
            out.append(data[start:end])
    out.append(b"\xff\xd9")
    return b"".join(out)


def _reads_the_same_with_jfif(data: bytes) -> bool:
    """A JFIF header makes libjpeg read three components as YCbCr: true unless the file says RGB."""
    jfif, adobe, ids = False, None, b""
    for marker, start, end in jpeg_segments(data):
        if marker == 0xE0 and data[start + 4 : start + 9] == b"JFIF\0":
            jfif = True
        elif marker == 0xEE and data[start + 4 : start + 9] == b"Adobe" and end > start + 15:
            adobe = data[start + 15]
        elif marker in _SOF:
            ids = bytes(data[start + 10 + 3 * i] for i in range(data[start + 9]))
        elif marker == 0xDA:
            break
    if len(ids) != 3:
        return len(ids) == 1
    return jfif or adobe == 1 or (adobe is None and ids != b"RGB")


_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_KEEP = {b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"sBIT", b"bKGD", b"pHYs"}


def strip_png(data: bytes) -> bytes:
    """Critical chunks and a few colour ones: text (tEXt, iTXt, zTXt), tIME, eXIf, iCCP, private and
    animation chunks go."""
    if not data.startswith(_PNG_SIGNATURE):
        raise ValueError("not a PNG")
    out, pos = [_PNG_SIGNATURE], len(_PNG_SIGNATURE)
    while pos + 12 <= len(data):
        end = pos + 12 + int.from_bytes(data[pos : pos + 4], "big")
        kind = data[pos + 4 : pos + 8]
        if end > len(data):
            raise ValueError(f"PNG chunk {kind!r} cut short")
        if kind in _PNG_KEEP:
            out.append(data[pos:end])
        pos = end
        if kind == b"IEND":
            break
    return b"".join(out)


def bare_picture(data: bytes, suffix: str) -> bytes:
    """An editor's picture file (the site's logo) at its own size without metadata: JPEG and PNG by
    dropping segments and chunks (a JPEG stored rotated is turned upright and encoded again), WebP and
    ICO decoded and saved again. SVG is text: published as written, searched by verify like a page.
    Raises ValueError or OSError for a file that is not such a picture."""
    if suffix.lower() == ".svg":
        return data
    with open_image(data) as image:
        image.load()
        fmt = image.format
        if fmt == "PNG":
            return strip_png(data)
        if fmt == "JPEG" and _orientation(image) == 1:
            return strip_jpeg(data)
        if fmt not in ("JPEG", "WEBP", "ICO"):
            raise ValueError(f"unsupported picture format {fmt}")
        picture = _upright(image, image.size)
    if fmt == "JPEG":
        return strip_jpeg(_encode(picture.convert("RGB"), "JPEG", quality=95))
    return _encode(picture, fmt, **({"lossless": True} if fmt == "WEBP" else {}))


# --- derivatives --------------------------------------------------------------------------------------


def _orientation(image: Image.Image) -> int:
    with contextlib.suppress(Exception):  # a malformed EXIF block must not stop a photo: treat as upright
        value = image.getexif().get(0x0112, 1)
        return value if value in range(1, 9) else 1
    return 1


def _is_srgb(icc: bytes | None) -> bool:
    if not icc:
        return True
    try:
        return "srgb" in ImageCms.getProfileDescription(ImageCms.ImageCmsProfile(io.BytesIO(icc))).lower()
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return False


def _upright(image: Image.Image, box: tuple[int, int]) -> Image.Image:
    """A new image, reduced by a whole factor while it still covers ``box`` (stored orientation: done first,
    so that a 200 MP photo is not copied at full size), turned upright, in sRGB, in L/RGB/LA/RGBA, with
    nothing left in .info (Pillow re-saves some of it, a comment for one, by itself)."""
    picture = _reducible(image)
    factor = min(picture.width // box[0], picture.height // box[1])
    picture = picture.reduce(factor) if factor >= 2 else picture
    ImageOps.exif_transpose(picture, in_place=True)  # not in place, it copies even an upright photo
    picture.load()  # the pixels read here, while the file is open (the copy used to read them)
    icc = picture.info.get("icc_profile")
    if icc and picture.mode in ("RGB", "RGBA", "CMYK") and (picture.mode == "CMYK" or not _is_srgb(icc)):
        with contextlib.suppress(ImageCms.PyCMSError, OSError, ValueError, TypeError):
            mode = "RGBA" if picture.mode == "RGBA" else "RGB"
            picture = ImageCms.profileToProfile(
                picture, io.BytesIO(icc), ImageCms.createProfile("sRGB"), outputMode=mode
            )
    if picture.mode not in ("L", "RGB", "LA", "RGBA"):
        picture = picture.convert("RGB")
    picture.info = {}
    return picture


def _reducible(image: Image.Image) -> Image.Image:
    """Modes Image.reduce() takes: 1-bit to L, palettes to RGB(A), 16-bit grey scaled to 8 bits."""
    if image.mode == "1":
        return image.convert("L")
    if image.mode in ("P", "PA"):
        return image.convert("RGBA" if image.mode == "PA" or "transparency" in image.info else "RGB")
    if image.mode.startswith("I;16"):
        return image.convert("I").point(lambda value: value * (1 / 257)).convert("L")
    return image


def _encode(picture: Image.Image, fmt: str, **options: object) -> bytes:
    picture.info = {}
    out = io.BytesIO()
    picture.save(out, fmt, **options)
    return out.getvalue()


def _fit(size: tuple[int, int], limit: int) -> tuple[int, int]:
    width, height = size
    scale = min(1.0, limit / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


@dataclass(frozen=True)
class WebSpec:
    """The site's photos: a full view of at most ``full`` px and a thumbnail of ``thumb`` px (long side)."""

    full: int = 1600
    thumb: int = 600
    quality: int = 82

    @property
    def tag(self) -> str:
        return settings_tag("web", DERIVATIVE_VERSION, asdict(self))


def web_copies(data: bytes, spec: WebSpec) -> dict[str, tuple[bytes, tuple[int, int]]]:
    """{"full.jpg": (bytes, size), "thumb.jpg": (bytes, size)}: upright, flattened on white, bare JPEGs."""
    with open_image(data) as opened:
        if opened.format == "JPEG":
            opened.draft("RGB", _fit(opened.size, spec.full))
        picture = _upright(opened, _fit(opened.size, spec.full))
    if picture.mode in ("LA", "RGBA"):
        flat = Image.new("RGB", picture.size, (255, 255, 255))
        flat.paste(picture.convert("RGBA"), mask=picture.convert("RGBA").getchannel("A"))
        picture = flat
    picture = picture if picture.mode == "RGB" else picture.convert("RGB")
    full = (
        picture.resize(_fit(picture.size, spec.full), Image.Resampling.LANCZOS)
        if max(picture.size) > spec.full
        else picture
    )
    thumb = full.resize(_fit(full.size, spec.thumb), Image.Resampling.LANCZOS)
    return {
        name: (strip_jpeg(_encode(image, "JPEG", quality=spec.quality, optimize=True)), image.size)
        for name, image in (("full.jpg", full), ("thumb.jpg", thumb))
    }


def write_web_entry(source: Path, entry: Path, spec: WebSpec) -> dict:
    """Make one photo's web entry (in a worker); returns {"full": [w, h], "thumb": [w, h]}."""
    copies = web_copies(source.read_bytes(), spec)
    sizes = {name.removesuffix(".jpg"): list(size) for name, (_, size) in copies.items()}
    EntryCache.write(entry, {name: blob for name, (blob, _) in copies.items()}, sizes)
    return sizes


@dataclass(frozen=True)
class PrintSpec:
    """The book's photos: at most width_cm wide and max_height_cm tall, at dpi (never enlarged)."""

    width_cm: float
    max_height_cm: float
    dpi: int = 300
    quality: int = 85
    slack: float = 1.25  # JPEG draft scaling that lands within this factor of the target is kept

    @property
    def tag(self) -> str:
        return settings_tag("print", DERIVATIVE_VERSION, asdict(self))

    def target(self, width: int, height: int) -> tuple[int, int]:
        aspect = height / width
        width_cm = self.width_cm if self.width_cm * aspect <= self.max_height_cm else self.max_height_cm / aspect
        target_w = int(round(width_cm / 2.54 * self.dpi))
        return (width, height) if width <= target_w else (target_w, max(1, int(round(target_w * aspect))))


@dataclass(frozen=True)
class Printed:
    blob: bytes
    ext: str  # "jpeg" or "png"
    width: int
    height: int


def print_copy(data: bytes, spec: PrintSpec) -> Printed:
    """The book's copy. When the photo is already upright, sRGB and small enough, its own picture data with
    the segments or chunks rewritten (no re-encoding, ~10× faster); otherwise re-encoded. Bare either way."""
    with open_image(data) as image:
        orientation = _orientation(image)
        target = spec.target(*(image.size if orientation < 5 else image.size[::-1]))
        if orientation == 1 and target == image.size and _is_srgb(image.info.get("icc_profile")):
            if image.format == "JPEG" and image.mode in ("RGB", "L") and _reads_the_same_with_jfif(data):
                return Printed(strip_jpeg(data, spec.dpi), "jpeg", *image.size)
            if image.format == "PNG":
                return Printed(strip_png(data), "png", *image.size)
        box = target if orientation < 5 else target[::-1]
        if image.format == "JPEG":
            image.draft("RGB", box)
        picture = _upright(image, box)
    if picture.width > target[0] * spec.slack:
        picture = picture.resize(target, Image.Resampling.BICUBIC, reducing_gap=3.0)
    if picture.mode in ("LA", "RGBA"):
        return Printed(strip_png(_encode(picture, "PNG")), "png", *picture.size)
    picture = picture if picture.mode == "RGB" else picture.convert("RGB")  # convert() copies even to RGB
    blob = _encode(picture, "JPEG", quality=spec.quality, dpi=(spec.dpi, spec.dpi))
    return Printed(strip_jpeg(blob, spec.dpi), "jpeg", *picture.size)


# --- the derivative cache ------------------------------------------------------------------------------

_ENTRY_NAME = re.compile(r"^[0-9a-f]{32}-[0-9a-f]{10}$")
_LEGACY_NAME = re.compile(r"^([0-9a-f]{40}\.(jpeg|png)|hashes\.json|hashes\.tmp)$")  # earlier cache layouts


class EntryCache:
    """Derivatives under folder/<content digest>-<settings tag>/, one folder per entry. The marker lists
    each file's size and is written last: an entry that is partial or damaged reads as missing."""

    def __init__(self, folder: Path, tag: str) -> None:
        self.folder, self.tag = folder, tag

    def entry(self, digest_: str) -> Path:
        return self.folder / f"{digest_}-{self.tag}"

    @staticmethod
    def read(entry: Path) -> dict | None:
        """The marker's meta when the entry is complete; None when it must be (re)built."""
        folder = os.fspath(entry)  # str paths: a build reads a thousand markers
        try:
            with open(os.path.join(folder, MARKER), "rb") as handle:
                marker = json.loads(handle.read())
            sizes = marker["files"]
            if sizes and all(os.stat(os.path.join(folder, name)).st_size == size for name, size in sizes.items()):
                return marker["meta"]
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            pass
        return None

    @staticmethod
    def write(entry: Path, contents: dict[str, bytes], meta: dict) -> None:
        entry.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileNotFoundError):
            (entry / MARKER).unlink()  # incomplete until the new marker is in place
        for name, blob in contents.items():
            files.write_bytes(entry / name, blob)
        marker = {"files": {name: len(blob) for name, blob in contents.items()}, "meta": meta}
        files.write_bytes(entry / MARKER, json.dumps(marker).encode())

    def prune(self, keep: set[Path] | None = None) -> None:
        """Remove entries of other settings, those not in ``keep`` (when given), earlier layouts, and the
        temporary files of builds that died (those of running builds stay)."""
        if not self.folder.is_dir():
            return
        kept = None if keep is None else {os.fspath(entry) for entry in keep}  # str paths: a thousand entries
        for child in os.scandir(self.folder):  # scandir: a thousand entries, each listed for leftovers
            if child.is_dir(follow_symlinks=False):
                with contextlib.suppress(OSError):  # removed meanwhile by another build
                    for inner in os.scandir(child.path):
                        if files.is_temporary(inner.name):
                            files.remove_if_dead(Path(inner.path))
            if _ENTRY_NAME.match(child.name) and child.is_dir():
                if not child.name.endswith(f"-{self.tag}") or (kept is not None and child.path not in kept):
                    shutil.rmtree(child.path, ignore_errors=True)
            elif _LEGACY_NAME.match(child.name) and child.is_file():
                Path(child.path).unlink(missing_ok=True)


# --- worker processes -----------------------------------------------------------------------------------


def process_map(
    function: Callable, items: Sequence, workers: int | None = None, step: Callable[[], None] | None = None
) -> list:
    """[function(item) for item in items], across worker processes when there are workers to share it.
    Forked where possible (nothing re-imported); each worker dies with its parent (see _die_with_parent)."""
    workers = min(workers or os.cpu_count() or 1, len(items))
    if workers < 2:
        return [_stepped(function(item), step) for item in items]
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    with ProcessPoolExecutor(
        workers, mp_context=context, initializer=_die_with_parent, initargs=(os.getpid(),)
    ) as pool:
        futures = [pool.submit(function, item) for item in items]
        try:
            return [_stepped(future.result(), step) for future in futures]
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def _stepped(result: object, step: Callable[[], None] | None) -> object:
    if step is not None:
        step()
    return result


def _die_with_parent(parent: int) -> None:
    die_with_parent(parent)
