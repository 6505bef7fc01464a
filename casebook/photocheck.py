"""Checks of a photo file: inside its case folder, a real JPEG/PNG, complete, of sane size."""

from __future__ import annotations

import functools
import os
import warnings
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath

from PIL import Image

MAX_PIXELS = 120_000_000  # above this a file is treated as a decompression bomb
MIN_LONG_SIDE = 1000  # below this a photo prints blurred at text width (~15.6 cm)
_FORMAT_NAMES = {"jpeg": "JPEG", "png": "PNG"}
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


@dataclass(frozen=True)
class PhotoProblem:
    code: str
    values: dict


def escapes_folder(file: str, folder: Path) -> bool:
    """True for absolute paths, '..' components, and symlinks that lead out of ``folder``."""
    if not file or PurePosixPath(file).is_absolute() or PureWindowsPath(file).is_absolute():
        return True
    if PureWindowsPath(file).drive or ".." in PurePosixPath(file.replace("\\", "/")).parts:
        return True
    try:
        real_folder = _realpath(str(folder))
        real = os.path.realpath(os.path.join(real_folder, file))
    except (OSError, ValueError):
        return True
    return not real.startswith(real_folder + os.sep)


@functools.lru_cache(maxsize=256)
def _realpath(folder: str) -> str:
    return os.path.realpath(folder)


def _complete(path: Path, fmt: str) -> bool:
    """A cheap end-of-stream test: JPEG ends with EOI (FFD9), PNG with an IEND chunk (else decode)."""
    with path.open("rb") as handle:
        handle.seek(0, 2)
        size = handle.tell()
        handle.seek(max(0, size - 4096))
        tail = handle.read()
    if fmt == "JPEG":  # at the very end: an EXIF thumbnail earlier in the file has its own FFD9
        return tail.rstrip(b"\x00\r\n ").endswith(b"\xff\xd9")
    return b"IEND" in tail[-64:]


def inspect(file: str, folder: Path, formats: tuple[str, ...]) -> list[PhotoProblem]:
    if escapes_folder(file, folder):
        return [PhotoProblem("E204", {"file": file})]
    path = folder / file
    if not path.is_file():
        return [PhotoProblem("E203", {"file": file})]
    allowed = "/".join(_FORMAT_NAMES[f] for f in formats)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                fmt, (width, height) = image.format, image.size
                if fmt not in {_FORMAT_NAMES[f] for f in formats}:
                    detail = f"实际格式为 {fmt}" if fmt else "格式未知"
                    return [PhotoProblem("E205", {"file": file, "formats": allowed, "detail": detail})]
                if width * height > MAX_PIXELS:
                    return [_bomb(file, f"{width}×{height}")]
                if not _complete(path, fmt):
                    # Phones append data after the end marker (the video of a "motion photo"); such a
                    # file is fine when the picture decodes. Only this rare case pays for decoding.
                    if not _decodes(image, fmt, width, height):
                        return [PhotoProblem("E206", {"file": file, "detail": "文件末尾缺少结束标记"})]
                elif fmt == "PNG":
                    image.verify()  # walks every chunk's CRC without decompressing
                # JPEGs are not decoded here: header + end-of-image marker keep `check` fast on
                # thousands of photos; the site and book stages decode them and report failures.
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return [_bomb(file, "远超上限")]
    except Image.UnidentifiedImageError:
        return [PhotoProblem("E205", {"file": file, "formats": allowed, "detail": "不是可识别的图片文件"})]
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        return [PhotoProblem("E206", {"file": file, "detail": str(error) or type(error).__name__})]
    if max(width, height) < MIN_LONG_SIDE:
        return [PhotoProblem("W208", {"file": file, "width": width, "height": height, "min": MIN_LONG_SIDE})]
    return []


def _decodes(image: Image.Image, fmt: str, width: int, height: int) -> bool:
    try:
        if fmt == "JPEG":
            image.draft("RGB", (max(1, width // 8), max(1, height // 8)))  # decode at 1/8 scale
        image.load()
    except (OSError, SyntaxError, ValueError, EOFError):
        return False
    return True


def _bomb(file: str, size: str) -> PhotoProblem:
    return PhotoProblem("E207", {"file": file, "size": size, "limit": MAX_PIXELS // 10_000})
