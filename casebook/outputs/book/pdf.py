"""PDF through LibreOffice headless, with a private fontconfig file and profile for that process
only, and the page of every bookmark read back from the PDF's named destinations (poppler)."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from casebook.outputs.book import fonts
from casebook.util import children, files
from casebook.util.soffice import find as find_soffice


def export_filter(pdfa: bool = False) -> str:
    """The writer_pdf_Export options: blank versos kept, bookmarks, tagged (structure, /Lang from the
    document's default language, /Alt from each picture's description), opening with the bookmarks
    panel (InitialView 1 = /PageMode /UseOutlines), and PDF/A-2b on request."""
    options = {
        "IsSkipEmptyPages": ("boolean", "false"),
        "ExportBookmarksToPDFDestination": ("boolean", "true"),
        "ExportBookmarks": ("boolean", "true"),
        "UseTaggedPDF": ("boolean", "true"),
        "InitialView": ("long", "1"),
        # photos are already prepared at print resolution: resampling them again triples the time
        "ReduceImageResolution": ("boolean", "false"),
    }
    if pdfa:
        options["SelectPdfVersion"] = ("long", "2")
    body = ",".join(f'"{k}":{{"type":"{t}","value":"{v}"}}' for k, (t, v) in options.items())
    return "pdf:writer_pdf_Export:{" + body + "}"


EXPORT_FILTER = export_filter()
TIMEOUT_S = 900


class PdfError(RuntimeError):
    """LibreOffice or poppler failed; the message is Chinese."""


def available() -> bool:
    return find_soffice() is not None


def normalise(data: bytes, year: int) -> bytes:
    """Make LibreOffice's PDF reproducible: its creation date, file ID and checksum change on every
    run. They are replaced by values of the same length (so the xref offsets stay right): a fixed
    date, and a digest of the rest of the file."""
    stamp = f"{year:04d}0101000000".encode()
    data = re.sub(rb"/(CreationDate|ModDate)\(D:\d{14}", lambda m: b"/" + m.group(1) + b"(D:" + stamp, data)
    ids = re.compile(rb"(/ID \[ ?<)([0-9A-Fa-f]{32})(>\s*<)([0-9A-Fa-f]{32})(> ?\])")
    checksum = re.compile(rb"(/DocChecksum /)([0-9A-Fa-f]{32})")
    blank = checksum.sub(
        lambda m: m.group(1) + b"0" * 32,
        ids.sub(lambda m: m.group(1) + b"0" * 32 + m.group(3) + b"0" * 32 + m.group(5), data),
    )
    digest = hashlib.md5(blank, usedforsecurity=False).hexdigest().upper().encode()
    data = ids.sub(lambda m: m.group(1) + digest + m.group(3) + digest + m.group(5), data)
    return checksum.sub(lambda m: m.group(1) + digest, data)


DOCUMENT_LOCALE = "zh-CN"
PROFILE_SETTINGS = f"""<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema">
<item oor:path="/org.openoffice.Office.Linguistic/General"><prop oor:name="DefaultLocale" oor:op="fuse">\
<value>{DOCUMENT_LOCALE}</value></prop></item>
</oor:items>
"""


def write_profile(profile: Path) -> None:
    """The private profile's one setting: LibreOffice takes the PDF catalog's /Lang from its default
    document language (measured: not from the DOCX's docDefaults), en-US in a C locale."""
    user = profile / "user"
    user.mkdir(parents=True, exist_ok=True)
    (user / "registrymodifications.xcu").write_text(PROFILE_SETTINGS, encoding="utf-8")


_OUTLINE_TITLE = re.compile(rb"(/Title\s*<)(FEFF[0-9A-Fa-f]*)(>)")


def fix_outline(data: bytes, fixes: dict[str, str]) -> bytes:
    """Bookmark texts as meant: LibreOffice writes a title's line break as a space. Each outline
    /Title <FEFF…> (UTF-16BE hex) found in fixes is rewritten with the same length, the removed
    digits replaced by spaces inside the hex string (which readers ignore), so the xref stays right."""
    if not fixes:
        return data

    def one(match: re.Match) -> bytes:
        digits = match.group(2)
        try:
            text = bytes.fromhex(digits.decode()[4:]).decode("utf-16-be")
        except ValueError:
            return match.group(0)
        fixed = fixes.get(text)
        if fixed is None or fixed == text:
            return match.group(0)
        new = ("FEFF" + fixed.encode("utf-16-be").hex().upper()).encode()
        if len(new) > len(digits):
            return match.group(0)
        return match.group(1) + new + b" " * (len(digits) - len(new)) + match.group(3)

    return _OUTLINE_TITLE.sub(one, data)


def convert(
    docx: Path, target: Path, year: int = 2000, *, outline: dict[str, str] | None = None, pdfa: bool = False
) -> None:
    """docx -> target (PDF), reproducible, written atomically; outline: bookmark texts to mend
    (fix_outline); pdfa: PDF/A-2b."""
    program = find_soffice()
    if program is None:
        raise PdfError("未找到 LibreOffice（soffice），无法生成 PDF")
    target.parent.mkdir(parents=True, exist_ok=True)
    # named with our pid: a conversion killed with its build is cleaned up by the next one
    files.remove_leftovers(Path(tempfile.gettempdir()), "casebook-pdf-*")
    with tempfile.TemporaryDirectory(prefix=f"casebook-pdf-{os.getpid()}-") as work:
        work_dir = Path(work)
        config = fonts.write_config(work_dir / "fontconfig")
        write_profile(work_dir / "profile")
        source = work_dir / "book.docx"
        shutil.copyfile(docx, source)
        env = dict(os.environ, FONTCONFIG_FILE=str(config), HOME=str(work_dir), SAL_USE_VCLPLUGIN="svp")
        # LibreOffice stamps the time zone offset and the UI locale into the PDF: fix both, so the
        # same collection gives the same bytes in Beijing and in CI
        env.update(TZ="UTC", LC_ALL="C.UTF-8", LANG="C.UTF-8", LANGUAGE="")
        command = [
            program,
            f"-env:UserInstallation={(work_dir / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nologo",
            "--nodefault",
            "--convert-to",
            export_filter(pdfa),
            "--outdir",
            str(work_dir / "out"),
            str(source),
        ]
        try:
            done = subprocess.run(
                command,
                env=env,
                capture_output=True,
                text=True,
                timeout=TIMEOUT_S,
                check=False,
                **children.popen_options(),
            )
        except subprocess.TimeoutExpired as error:
            raise PdfError("LibreOffice 转换超时") from error
        produced = work_dir / "out" / "book.pdf"
        if done.returncode != 0 or not produced.is_file():
            detail = (done.stderr or done.stdout or "").strip().splitlines()[-1:] or [""]
            raise PdfError(f"LibreOffice 转换失败（退出码 {done.returncode}）：{detail[0]}")
        data = fix_outline(produced.read_bytes(), outline or {})
        fixed = normalise(data, year)
        files.write_bytes(target, fixed if len(fixed) == len(data) else data)


def destinations(pdf: Path) -> dict[str, int]:
    """Named destination -> 1-based physical page (pdfinfo -dests)."""
    if shutil.which("pdfinfo") is None:
        return {}  # without poppler the 目录 keeps its estimated cached numbers
    done = subprocess.run(["pdfinfo", "-dests", str(pdf)], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise PdfError(f"pdfinfo 无法读取 {pdf.name}")
    found: dict[str, int] = {}
    for line in done.stdout.splitlines():
        match = re.match(r"^\s*(\d+)\s+\[[^\]]*\]\s+(\S+)", line)
        if match:
            found.setdefault(match.group(2).strip('"'), int(match.group(1)))
    return found


def printed_pages(pdf: Path, bookmarks: list[str], body_start: str) -> dict[str, int]:
    """Bookmark -> printed page number, numbering from 1 at the body_start bookmark."""
    dests = destinations(pdf)
    if body_start not in dests:
        return {}
    first = dests[body_start]
    return {name: dests[name] - first + 1 for name in bookmarks if name in dests}
