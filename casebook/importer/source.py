"""The input file: recognise what it really is (by content, not by name), refuse what cannot be read,
and turn .doc / .wps / .rtf into .docx with LibreOffice."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import zipfile
import zlib
from pathlib import Path

from casebook.importer.errors import ImportFailure
from casebook.util.soffice import find as find_soffice

WORD_SUFFIXES = (".docx", ".docm", ".doc", ".wps", ".rtf")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
_OTHER_KINDS = (
    (b"%PDF", "这是 PDF 文件"),
    (b"\x89PNG", "这是 PNG 图片"),
    (b"\xff\xd8\xff", "这是 JPG 图片"),
    (b"Rar!", "这是 RAR 压缩包，请先解压"),
    (b"7z\xbc\xaf", "这是 7z 压缩包，请先解压"),
    (b"<html", "这是网页文件"),
    (b"<!DOCTYPE", "这是网页文件"),
)
_DOCUMENT_TYPE = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
CONVERT_TIMEOUT = 180  # seconds for one LibreOffice conversion


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


def sniff(path: Path) -> str:
    """'docx' or 'convert' (a Word format LibreOffice reads); raises ImportFailure otherwise."""
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as error:
        raise ImportFailure("E709", detail=f"{error.strerror or error}") from error
    if not head:
        raise ImportFailure("E704", detail="文件大小为 0 字节")
    if head.startswith(_ZIP):
        return _check_zip(path)
    if head.startswith(_OLE):
        data = path.read_bytes()
        # Encrypted OOXML (Word "encrypt with password") is a CFB container holding these streams.
        if _utf16("EncryptedPackage") in data or _utf16("EncryptionInfo") in data:
            raise ImportFailure("E702")
        if _utf16("WordDocument") in data:
            if _doc_is_encrypted(data):
                raise ImportFailure("E702")
            return "convert"
        if path.suffix.lower() in (".wps", ".doc"):
            return "convert"  # WPS's own container: LibreOffice decides whether it can read it
        raise ImportFailure("E701", detail="这是其他 Office 文件（如 Excel 或 PowerPoint）")
    if head.startswith(b"{\\rtf"):
        return "convert"
    for magic, what in _OTHER_KINDS:
        if head.lower().startswith(magic.lower()):
            raise ImportFailure("E701", detail=what)
    raise ImportFailure("E701", detail="无法识别的文件格式")


def _check_zip(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "word/document.xml" not in names:
                if "xl/workbook.xml" in names:
                    raise ImportFailure("E701", detail="这是 Excel 表格")
                if "ppt/presentation.xml" in names:
                    raise ImportFailure("E701", detail="这是 PowerPoint 演示文稿")
                if "[Content_Types].xml" in names:
                    raise ImportFailure("E703", detail="压缩包中缺少 word/document.xml")
                raise ImportFailure("E701", detail="这是 ZIP 压缩包，请先解压")
            _refuse_bomb(archive.infolist())
            bad = archive.testzip()
            if bad is not None:
                raise ImportFailure("E703", detail=f"其中的 {bad} 校验失败")
            types = archive.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
            with archive.open("word/document.xml") as document:
                head_of_document = document.read(4096)
    except zipfile.BadZipFile as error:
        raise ImportFailure("E703", detail=f"ZIP 结构损坏：{error}") from error
    except (OSError, EOFError, ValueError, NotImplementedError, zlib.error) as error:
        raise ImportFailure("E703", detail=f"压缩数据损坏：{error}") from error
    if _DOCUMENT_TYPE not in types:  # .docm, .dotx, .dotm: python-docx refuses them, LibreOffice does not
        return "convert"
    if b"purl.oclc.org/ooxml" in head_of_document:  # "Strict Open XML": python-docx sees no text in it
        return "convert"
    return "docx"


MAX_PART = 64 * 1024 * 1024  # one inflated XML part: far above any real submission's document.xml
MAX_TOTAL = 1024 * 1024 * 1024  # everything inflated, photos included
MAX_RATIO = 200  # XML compresses ~10×; a part inflating 200-fold and beyond 1 MB is a zip bomb


def _refuse_bomb(members: list[zipfile.ZipInfo]) -> None:
    """Refuse from the zip directory alone, before inflating anything: reading is bounded by these
    declared sizes (zipfile stops at a member's file_size and then fails its CRC)."""
    total = 0
    for info in members:
        total += info.file_size
        xml = not info.filename.lower().startswith("word/media/")
        ratio = info.file_size / max(1, info.compress_size)
        if (xml and info.file_size > MAX_PART) or (info.file_size > 1024 * 1024 and ratio > MAX_RATIO):
            size = info.file_size // (1024 * 1024)
            raise ImportFailure("E703", detail=f"其中的 {info.filename} 解压后有 {size} MB，异常，可能是压缩炸弹")
    if total > MAX_TOTAL:
        raise ImportFailure("E703", detail=f"解压后共 {total // (1024 * 1024)} MB，超过 1024 MB 的上限")


def _doc_is_encrypted(data: bytes) -> bool:
    """The fEncrypted bit of a Word 97-2003 FIB, found by its wIdent 0xA5EC at a sector start."""
    for offset in range(512, len(data) - 12, 512):
        if data[offset : offset + 2] == b"\xec\xa5":
            return bool(data[offset + 11] & 0x01)
    return False


def to_docx(path: Path, workdir: Path) -> Path:
    """The .docx to read: the file itself, or its LibreOffice conversion written into workdir."""
    if sniff(path) == "docx":
        return path
    return libreoffice_docx(path, workdir)


def libreoffice_docx(path: Path, workdir: Path) -> Path:
    """Convert with LibreOffice (which also repairs what python-docx cannot open); E705/E706."""
    soffice = find_soffice()
    if soffice is None:
        raise ImportFailure("E705", kind=f".{path.suffix.lower().lstrip('.') or 'doc'}")
    inbox = Path(tempfile.mkdtemp(prefix="lo-in-", dir=workdir))
    outbox = Path(tempfile.mkdtemp(prefix="lo-out-", dir=workdir))
    suffix = path.suffix.lower() if path.suffix.lower() in WORD_SUFFIXES else ".doc"
    source = inbox / f"source{suffix}"
    shutil.copyfile(path, source)
    profile = Path(tempfile.mkdtemp(prefix="lo-profile-", dir=workdir))
    command = [
        soffice,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        "docx:MS Word 2007 XML",
        "--outdir",
        str(outbox),
        str(source),
    ]
    try:
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=CONVERT_TIMEOUT, stdin=subprocess.DEVNULL
        )
    except subprocess.TimeoutExpired as error:
        raise ImportFailure("E706", detail=f"超过 {CONVERT_TIMEOUT} 秒仍未完成") from error
    except OSError as error:
        raise ImportFailure("E706", detail=str(error)) from error
    converted = outbox / "source.docx"
    if result.returncode != 0 or not converted.is_file():
        detail = (result.stderr or result.stdout or "").strip().splitlines()
        raise ImportFailure("E706", detail=detail[-1] if detail else f"退出码 {result.returncode}")
    return converted
