"""Pictures of the document as files a browser shows: JPG and PNG are kept byte for byte, other
raster formats are re-encoded as PNG, EMF/WMF are converted with LibreOffice (or refused)."""

from __future__ import annotations

import io
import shutil
import struct
import subprocess
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from casebook.importer.errors import ImportFailure
from casebook.importer.source import CONVERT_TIMEOUT
from casebook.publish import assets
from casebook.util.soffice import find as find_soffice


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
            inner = _gunzip(data, 64)  # enough to know the kind: a gzip bomb is not unpacked to look
        except ValueError:
            return "unknown"
        return {"emf": "emz", "wmf": "wmz"}.get(kind_of(inner), "unknown")
    return "unknown"


_VECTOR_MAX = 64 * 1024 * 1024  # bytes of an unpacked EMZ/WMZ: Word's own pictures stay far below


def _gunzip(data: bytes, limit: int) -> bytes:
    """At most `limit` bytes of gzip data unpacked, without ever unpacking more; ValueError when damaged."""
    try:
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data, limit)
    except zlib.error as error:
        raise ValueError(str(error)) from error


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
        data, kind = _unpack_vector(data, kind, number), kind.replace("z", "f")
    if kind in ("emf", "wmf"):
        return Image(f"{number}.png", _convert_vector(data, kind, number, workdir))
    raise ImportFailure("E707", number=number, kind="无法识别", detail="不是常见的图片格式")


def _unpack_vector(data: bytes, kind: str, number: int) -> bytes:
    try:
        inner = _gunzip(data, _VECTOR_MAX + 1)
    except ValueError as error:
        raise ImportFailure("E707", number=number, kind=kind.upper(), detail=f"压缩数据已损坏：{error}") from error
    if len(inner) > _VECTOR_MAX:
        detail = f"解压后超过 {_VECTOR_MAX // 1024 // 1024} MB，可能是恶意文件"
        raise ImportFailure("E707", number=number, kind=kind.upper(), detail=detail)
    return inner


def _reencode(data: bytes, kind: str, number: int) -> bytes:
    """PNG of the first frame. Opened under the project's one pixel limit (assets.open_image), so a
    picture that claims more pixels (a decompression bomb) is refused before any is decoded."""
    from PIL import Image as PilImage

    try:
        with assets.open_image(data) as image:
            image.seek(0)  # a GIF's first frame is read while opening: its extent is in the size checked
            out = io.BytesIO()
            image.convert("RGBA" if "A" in image.mode or image.mode == "P" else "RGB").save(out, "PNG")
            return out.getvalue()
    except (assets.TooManyPixels, PilImage.DecompressionBombError) as error:  # the latter: a later check of Pillow's
        size = f"{error}，" if isinstance(error, assets.TooManyPixels) else ""
        detail = f"像素过多（{size}上限 {assets.MAX_PIXELS // 10_000} 万像素），可能是恶意图片"
        raise ImportFailure("E707", number=number, kind=kind.upper(), detail=detail) from error
    except (OSError, ValueError, EOFError, SyntaxError, struct.error) as error:
        raise ImportFailure("E707", number=number, kind=kind.upper(), detail=str(error)) from error


def _convert_vector(data: bytes, kind: str, number: int, workdir: Path) -> bytes:
    """EMF/WMF → PNG with LibreOffice (Writer alone is enough): the picture is placed alone on a page
    of its own size in a minimal .docx; that page goes to PDF and poppler's pdftoppm rasterises it
    at 1600 pixels on the long side. Without pdftoppm, Writer's HTML export renders the picture at
    its own (smaller) size."""
    soffice = find_soffice()
    if soffice is None:
        raise ImportFailure("E707", number=number, kind=kind.upper(), detail="本机没有安装 LibreOffice")
    width, height = _vector_size(data, kind)
    folder = Path(tempfile.mkdtemp(prefix="picture-", dir=workdir))
    wrapper = folder / "picture.docx"
    _wrapper_docx(wrapper, data, kind, width, height)
    pdftoppm = shutil.which("pdftoppm")
    target = "pdf" if pdftoppm else "html"
    _soffice(soffice, folder, wrapper, target, number, kind)
    try:
        if pdftoppm:
            subprocess.run(
                [
                    pdftoppm,
                    "-png",
                    "-singlefile",
                    "-scale-to",
                    str(_PIXELS),
                    str(folder / "picture.pdf"),
                    str(folder / "out"),
                ],
                capture_output=True,
                timeout=CONVERT_TIMEOUT,
                check=True,
            )
            rendered = (folder / "out.png").read_bytes()
        else:
            pictures = [p for p in folder.iterdir() if p.name.startswith("picture_html_")]
            rendered = _reencode(pictures[0].read_bytes(), "gif", number) if pictures else b""
    except (subprocess.SubprocessError, OSError, IndexError) as error:
        raise ImportFailure("E707", number=number, kind=kind.upper(), detail=f"转换失败：{error}") from error
    if kind_of(rendered) != "png":
        raise ImportFailure("E707", number=number, kind=kind.upper(), detail="LibreOffice 转换失败")
    return rendered


def _soffice(soffice: str, folder: Path, source: Path, target: str, number: int, kind: str) -> None:
    command = [
        soffice,
        f"-env:UserInstallation={(folder / 'profile').as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        target,
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
    if result.returncode != 0 or not (folder / f"picture.{target}").is_file():
        raise ImportFailure("E707", number=number, kind=kind.upper(), detail="LibreOffice 无法读取这张图片")


_PIXELS = 1600  # long side of a converted vector picture
_EMU_PER_MM = 36000


def _vector_size(data: bytes, kind: str) -> tuple[float, float]:
    """The picture's size in millimetres, from the EMF frame or the WMF placeable header."""
    try:
        if kind == "emf":
            left, top, right, bottom = struct.unpack_from("<iiii", data, 24)  # 0.01 mm
            size = ((right - left) / 100, (bottom - top) / 100)
        elif data.startswith(b"\xd7\xcd\xc6\x9a"):
            left, top, right, bottom, per_inch = struct.unpack_from("<hhhhH", data, 6)
            size = (abs(right - left) / per_inch * 25.4, abs(bottom - top) / per_inch * 25.4)
        else:
            size = (160.0, 120.0)
    except struct.error:
        size = (160.0, 120.0)
    if not (1 <= size[0] <= 2000 and 1 <= size[1] <= 2000):
        return 160.0, 120.0
    return size


def _wrapper_docx(path: Path, data: bytes, kind: str, width_mm: float, height_mm: float) -> None:
    cx, cy = round(width_mm * _EMU_PER_MM), round(height_mm * _EMU_PER_MM)
    twips_w, twips_h = round(width_mm / 25.4 * 1440), round(height_mm / 25.4 * 1440)
    main = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    document = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="{main}"
 xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"
 xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
 xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"
 xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><w:body>
<w:p><w:r><w:drawing><wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="1"
 behindDoc="0" locked="1" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>
<wp:positionH relativeFrom="page"><wp:posOffset>0</wp:posOffset></wp:positionH>
<wp:positionV relativeFrom="page"><wp:posOffset>0</wp:posOffset></wp:positionV>
<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/>
<wp:docPr id="1" name="picture"/><wp:cNvGraphicFramePr/>
<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic>
<pic:nvPicPr><pic:cNvPr id="1" name="picture.{kind}"/><pic:cNvPicPr/></pic:nvPicPr>
<pic:blipFill><a:blip r:embed="rIdPicture"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>
<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr>
</pic:pic></a:graphicData></a:graphic></wp:anchor></w:drawing></w:r></w:p>
<w:sectPr><w:pgSz w:w="{twips_w}" w:h="{twips_h}"/>
<w:pgMar w:top="0" w:right="0" w:bottom="0" w:left="0" w:header="0" w:footer="0" w:gutter="0"/></w:sectPr>
</w:body></w:document>"""
    types = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Default Extension="{kind}" ContentType="image/x-{kind}"/>
<Override PartName="/word/document.xml"
 ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
</Types>"""
    rels = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
 Target="word/document.xml"/></Relationships>"""
    document_rels = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rIdPicture" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
 Target="media/picture.{kind}"/></Relationships>"""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", types)
        package.writestr("_rels/.rels", rels)
        package.writestr("word/document.xml", document)
        package.writestr("word/_rels/document.xml.rels", document_rels)
        package.writestr(f"word/media/picture.{kind}", data)
