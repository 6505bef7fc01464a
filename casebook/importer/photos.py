"""Pictures of the document as files a browser shows: JPG and PNG are kept byte for byte, other
raster formats are re-encoded as PNG, EMF/WMF are converted with LibreOffice (or refused)."""

from __future__ import annotations

import gzip
import io
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .errors import ImportFailure
from .source import CONVERT_TIMEOUT, find_soffice


@dataclass(frozen=True)
class Image:
    name: str  # file name in the case folder: 1.jpg, 2.png …
    data: bytes


def kind_of(data: bytes) -> str:
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if data.startswith(b"BM"):
        return "bmp"
    if data.startswith((b"II*\x00", b"MM\x00*")):
        return "tiff"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data[:4] == b"\x01\x00\x00\x00" and data[40:44] == b" EMF":
        return "emf"
    if data.startswith((b"\xd7\xcd\xc6\x9a", b"\x01\x00\x09\x00", b"\x02\x00\x09\x00")):
        return "wmf"
    if data.startswith(b"\x1f\x8b"):
        try:
            inner = gzip.decompress(data)
        except (OSError, EOFError):
            return "unknown"
        return {"emf": "emz", "wmf": "wmz"}.get(kind_of(inner), "unknown")
    return "unknown"


def prepare(data: bytes, number: int, workdir: Path) -> Image:
    """The picture as 'number.jpg' or 'number.png'; ImportFailure E707 when it cannot be shown."""
    kind = kind_of(data)
    if kind == "jpeg":
        return Image(f"{number}.jpg", data)
    if kind == "png":
        return Image(f"{number}.png", data)
    if kind in ("gif", "bmp", "tiff", "webp"):
        return Image(f"{number}.png", _reencode(data, kind, number))
    if kind in ("emz", "wmz"):
        data, kind = gzip.decompress(data), kind.replace("z", "f")
    if kind in ("emf", "wmf"):
        return Image(f"{number}.png", _convert_vector(data, kind, number, workdir))
    raise ImportFailure("E707", number=number, kind="无法识别", detail="不是常见的图片格式")


def _reencode(data: bytes, kind: str, number: int) -> bytes:
    from PIL import Image as PilImage

    try:
        with PilImage.open(io.BytesIO(data)) as image:
            image.seek(0)
            out = io.BytesIO()
            image.convert("RGBA" if "A" in image.mode or image.mode == "P" else "RGB").save(out, "PNG")
            return out.getvalue()
    except (OSError, ValueError, EOFError) as error:
        raise ImportFailure("E707", number=number, kind=kind.upper(), detail=str(error)) from error


def _convert_vector(data: bytes, kind: str, number: int, workdir: Path) -> bytes:
    soffice = find_soffice()
    if soffice is None:
        raise ImportFailure("E707", number=number, kind=kind.upper(), detail="本机没有安装 LibreOffice")
    folder = Path(tempfile.mkdtemp(prefix="picture-", dir=workdir))
    source = folder / f"picture.{kind}"
    source.write_bytes(data)
    profile = folder / "profile"
    command = [
        soffice,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        "png",
        "--outdir",
        str(folder),
        str(source),
    ]
    try:
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=CONVERT_TIMEOUT, stdin=subprocess.DEVNULL
        )
    except (subprocess.TimeoutExpired, OSError) as error:
        raise ImportFailure(
            "E707", number=number, kind=kind.upper(), detail=f"LibreOffice 转换失败：{error}"
        ) from error
    png = folder / "picture.png"
    if result.returncode != 0 or not png.is_file() or kind_of(png.read_bytes()) != "png":
        raise ImportFailure("E707", number=number, kind=kind.upper(), detail="LibreOffice 转换失败")
    return png.read_bytes()
