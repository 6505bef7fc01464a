"""Checks of a photo file: inside its case folder, a real JPEG/PNG, complete, of sane size.

Completeness is a full decode, made once per distinct content and remembered under the collection's
.cache/ (casebook.publish.assets): a second `check` of an unchanged collection decodes nothing.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath

from casebook.publish import assets

MAX_PIXELS = assets.MAX_PIXELS  # the one limit of check, site and book: above it, a decompression bomb
MIN_LONG_SIDE = 1000  # below this a photo prints blurred at text width (~15.6 cm)
_FORMAT_NAMES = {"jpeg": "JPEG", "png": "PNG"}


@dataclass(frozen=True)
class PhotoProblem:
    code: str
    values: dict


def escapes_folder(file: str, folder: Path) -> bool:
    """True for absolute paths, '..' components, and symlinks that lead out of ``folder``."""
    if written_outside(file):
        return True
    if "/" not in file and "\\" not in file and not os.path.islink(os.path.join(folder, file)):
        return False  # a plain entry of the folder: no need to resolve every component of the path
    try:
        real_folder = _realpath(str(folder))
        real = os.path.realpath(os.path.join(real_folder, file))
    except (OSError, ValueError):
        return True
    return not real.startswith(real_folder + os.sep)


@functools.lru_cache(maxsize=4096)
def written_outside(file: str) -> bool:
    """The name alone leads out of any folder: empty, absolute, with a drive or a '..' component.
    Cached: the same few names (1.jpg, 2.jpg …) recur in every case."""
    if not file or PurePosixPath(file).is_absolute() or PureWindowsPath(file).is_absolute():
        return True
    return bool(PureWindowsPath(file).drive) or ".." in PurePosixPath(file.replace("\\", "/")).parts


@functools.lru_cache(maxsize=256)
def _realpath(folder: str) -> str:
    return os.path.realpath(folder)


def inspect(file: str, folder: Path, formats: tuple[str, ...]) -> list[PhotoProblem]:
    if escapes_folder(file, folder):
        return [PhotoProblem("E204", {"file": file})]
    path = folder / file
    if not path.is_file():
        return [PhotoProblem("E203", {"file": file})]
    try:
        facts = assets.examine(path)
    except OSError as error:
        return [PhotoProblem("E206", {"file": file, "detail": error.strerror or str(error)})]
    allowed = "/".join(_FORMAT_NAMES[f] for f in formats)
    if facts.problem == "unknown":
        return [PhotoProblem("E205", {"file": file, "formats": allowed, "detail": "不是可识别的图片文件"})]
    if facts.format and facts.format not in {_FORMAT_NAMES[f] for f in formats}:
        return [PhotoProblem("E205", {"file": file, "formats": allowed, "detail": f"实际格式为 {facts.format}"})]
    if facts.problem == "bomb":
        size = f"{facts.width}×{facts.height}"
        return [PhotoProblem("E207", {"file": file, "size": size, "limit": MAX_PIXELS // 10_000})]
    if facts.problem == "broken":
        return [PhotoProblem("E206", {"file": file, "detail": facts.detail})]
    if max(facts.width, facts.height) < MIN_LONG_SIDE:
        return [
            PhotoProblem("W208", {"file": file, "width": facts.width, "height": facts.height, "min": MIN_LONG_SIDE})
        ]
    return []


LOGO_TYPES = (".svg", ".png", ".jpg", ".jpeg", ".webp", ".ico")


def logo_problem(root: Path, logo: str) -> str | None:
    """Why the settings' site logo cannot be shown (Chinese), or None when it can."""
    path = root / logo
    if escapes_folder(logo, root):
        return "不在合集文件夹中"
    if not path.is_file():
        return "不存在"
    if path.suffix.lower() not in LOGO_TYPES:
        return "不是可用的图片格式（可用 SVG、PNG、JPG、WebP、ICO）"
    if path.suffix.lower() == ".svg":
        return None
    try:
        facts = assets.examine(path)
    except OSError as error:
        return f"无法读取（{error.strerror or error}）"
    if facts.problem or facts.format not in ("JPEG", "PNG", "WEBP", "ICO"):
        return "不是完整的图片文件，或与扩展名不符"
    return None
