"""PDF through LibreOffice headless, with a private fontconfig file and profile for that process
only, and the page of every bookmark read back from the PDF's named destinations (poppler). Inside
session() the conversions go to uno_worker.py (a soffice started ahead of each conversion); without
LibreOffice's Python bridge, one `soffice --convert-to` per conversion. Both give the same bytes."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import secrets
import select
import shutil
import struct
import subprocess
import tempfile
import time
import zlib
from pathlib import Path

from casebook.outputs.book import fonts
from casebook.util import children, files
from casebook.util.soffice import find as find_soffice


def export_filter(pdfa: bool = False, tagged: bool = True) -> str:
    """The writer_pdf_Export options: blank versos kept, bookmarks, tagged (structure, /Lang from the
    document's default language, /Alt from each picture's description), opening with the bookmarks
    panel (InitialView 1 = /PageMode /UseOutlines), and PDF/A-2b on request; tagged=False only for
    benchmarks/bench_book.py, which prints what the tags cost."""
    options = {
        "IsSkipEmptyPages": ("boolean", "false"),
        "ExportBookmarksToPDFDestination": ("boolean", "true"),
        "ExportBookmarks": ("boolean", "true"),
        "UseTaggedPDF": ("boolean", "true" if tagged else "false"),
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


_XMP_DATE = re.compile(rb"(<xmp:(?:CreateDate|ModifyDate|MetadataDate)>)\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d")


_ICC_STREAM = re.compile(rb"<<[^<>]*/N 3[^<>]*/Length (\d+)( 0 R)?[^<>]*/Filter/FlateDecode[^<>]*>>\r?\nstream\r?\n")
_XREF_ENTRY = re.compile(rb"(\d{10})( \d{5} n)")
ICC_DATE = slice(24, 36)  # the profile header's creation dateTime (6 big-endian 16-bit numbers)


def fix_icc_dates(data: bytes, year: int) -> bytes:
    """PDF/A's output intent embeds an sRGB profile that LittleCMS makes at export time, stamped with
    the time of day: the stamp is set to 1 January of the year and the stream compressed again; as its
    length may change, the xref offsets after it are moved (the file keeps a classic xref table)."""
    for match in reversed(list(_ICC_STREAM.finditer(data))):
        length_at, length = _stream_length(data, match)
        start = match.end()
        profile = bytearray(zlib.decompress(data[start : start + length]))
        if profile[36:40] != b"acsp":  # not an ICC profile
            continue
        profile[ICC_DATE] = struct.pack(">6H", year, 1, 1, 0, 0, 0)
        packed = zlib.compress(bytes(profile), 9)
        if length_at is not None and length_at > start:  # an indirect /Length after the stream
            data = _splice(data, length_at, len(str(length)), str(len(packed)).encode())
        data = _splice(data, start, length, packed)
        if length_at is not None and length_at < start:
            data = _splice(data, length_at, len(str(length)), str(len(packed)).encode())
    return data


def _stream_length(data: bytes, match: re.Match) -> tuple[int | None, int]:
    """Where the stream's length is written (for an indirect /Length: in its own object) and its value."""
    if not match.group(2):
        return match.start(1), int(match.group(1))
    found = re.search(rb"\n" + match.group(1) + rb" 0 obj\r?\n(\d+)\r?\nendobj", data)
    if found is None:
        raise PdfError("PDF 结构无法识别：找不到色彩配置文件的长度")
    return found.start(1), int(found.group(1))


def _splice(data: bytes, start: int, length: int, new: bytes) -> bytes:
    """data with data[start:start + length] replaced by new, the xref entries and startxref after it
    moved by the change in length."""
    shift = len(new) - length
    data = data[:start] + new + data[start + length :]
    if not shift:
        return data
    marks = list(re.finditer(rb"startxref\r?\n(\d+)", data))
    if not marks:
        raise PdfError("PDF 结构无法识别：没有 startxref")
    table = int(marks[-1].group(1)) + (shift if int(marks[-1].group(1)) > start else 0)
    end = data.index(b"trailer", table)

    def moved(entry: re.Match) -> bytes:
        offset = int(entry.group(1))
        return b"%010d" % (offset + shift if offset > start else offset) + entry.group(2)

    data = data[:table] + _XREF_ENTRY.sub(moved, data[table:end]) + data[end:]
    last = list(re.finditer(rb"startxref\r?\n(\d+)", data))[-1]
    return data[: last.start(1)] + str(table).encode() + data[last.end(1) :]


def normalise(data: bytes, year: int) -> bytes:
    """Make LibreOffice's PDF reproducible: its creation date, file ID and checksum change on every
    run. They are replaced by values of the same length (so the xref offsets stay right): a fixed
    date, and a digest of the rest of the file."""
    stamp = f"{year:04d}0101000000".encode()
    data = re.sub(rb"/(CreationDate|ModDate)\(D:\d{14}", lambda m: b"/" + m.group(1) + b"(D:" + stamp, data)
    # PDF/A: the XMP packet (uncompressed) repeats the date, and must agree with the /Info one
    xmp_stamp = f"{year:04d}-01-01T00:00:00".encode()
    data = _XMP_DATE.sub(lambda m: m.group(1) + xmp_stamp, data)
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
    docx: Path,
    target: Path,
    year: int = 2000,
    *,
    outline: dict[str, str] | None = None,
    pdfa: bool = False,
    tagged: bool = True,
) -> None:
    """docx -> target (PDF), reproducible, written atomically; outline: bookmark texts to mend
    (fix_outline); pdfa: PDF/A-2b. Inside session() the LibreOffice kept running does it; otherwise
    (or when that one cannot be had) one soffice is started for this conversion."""
    program = find_soffice()
    if program is None:
        raise PdfError("未找到 LibreOffice（soffice），无法生成 PDF")
    target.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    data = None
    server = _running_server(program)
    if server is not None:
        data = server.convert(docx, export_filter(pdfa, tagged))
        if data is None:
            _SESSION["server"] = None  # gone or failing: today's path for the rest of the build
            server.close()
    if data is None:
        data = _convert_once(program, docx, export_filter(pdfa, tagged))
    data = fix_outline(data, outline or {})
    if pdfa:  # the one change of length: the xref is moved with it
        data = fix_icc_dates(data, year)
    fixed = normalise(data, year)
    files.write_bytes(target, fixed if len(fixed) == len(data) else data)
    kind = "server" if server is not None and _SESSION.get("server") is server else "soffice"
    CONVERSIONS.append((kind, time.perf_counter() - started))


CONVERSIONS: list[tuple[str, float]] = []  # how each conversion of this process was made, in seconds


def _work_dir() -> Path:
    # named with our pid: a conversion killed with its build is cleaned up by the next one
    files.remove_leftovers(Path(tempfile.gettempdir()), "casebook-pdf-*")
    return Path(tempfile.mkdtemp(prefix=f"casebook-pdf-{os.getpid()}-"))


def _environment(work_dir: Path) -> dict[str, str]:
    config = fonts.write_config(work_dir / "fontconfig")
    write_profile(work_dir / "profile")
    env = dict(os.environ, FONTCONFIG_FILE=str(config), HOME=str(work_dir), SAL_USE_VCLPLUGIN="svp")
    # LibreOffice stamps the time zone offset and the UI locale into the PDF: fix both, so the
    # same collection gives the same bytes in Beijing and in CI
    env.update(TZ="UTC", LC_ALL="C.UTF-8", LANG="C.UTF-8", LANGUAGE="")
    return env


def _convert_once(program: str, docx: Path, export: str) -> bytes:
    """Today's path: one `soffice --convert-to` with a fresh private profile (~1.5–3 s of start-up)."""
    work_dir = _work_dir()
    try:
        env = _environment(work_dir)
        source = work_dir / "book.docx"
        shutil.copyfile(docx, source)
        command = [
            program,
            f"-env:UserInstallation={(work_dir / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nologo",
            "--nodefault",
            "--convert-to",
            export,
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
        return produced.read_bytes()
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)


# --- one LibreOffice for the whole build ------------------------------------------------------------

WORKER = Path(__file__).with_name("uno_worker.py")
START_TIMEOUT_S = 120
_SESSION: dict[str, object] = {}  # "depth": nesting of session(); "server": the running one, None when unusable


def uno_python(program: str) -> str | None:
    """A Python that can import LibreOffice's uno module: CASEBOOK_UNO_PYTHON when set (empty: none,
    which forces one soffice per conversion), else the Python bundled beside soffice (Windows, macOS),
    else the system python3 with Debian's python3-uno."""
    if "CASEBOOK_UNO_PYTHON" in os.environ:
        candidates = [os.environ["CASEBOOK_UNO_PYTHON"]] if os.environ["CASEBOOK_UNO_PYTHON"] else []
    else:
        folder = Path(program).resolve().parent
        candidates = [str(folder / "python.exe"), str(folder / "python"), str(folder.parent / "Resources" / "python")]
        candidates += [p for p in ("/usr/bin/python3", shutil.which("python3")) if p]
    for candidate in candidates:
        if not Path(candidate).is_file():
            continue
        key = ("uno", candidate)
        if key not in _SESSION:
            try:
                done = subprocess.run([candidate, "-c", "import uno"], capture_output=True, timeout=30, check=False)
                _SESSION[key] = done.returncode == 0
            except (OSError, subprocess.TimeoutExpired):
                _SESSION[key] = False
        if _SESSION[key]:
            return candidate
    return None


class Server:
    """uno_worker.py and its LibreOffice, listening on a pipe of its own with a private profile."""

    def __init__(self, python: str, program: str):
        self.work_dir = _work_dir()
        env = _environment(self.work_dir)
        pipe = f"casebook-{os.getpid()}-{secrets.token_hex(6)}"
        self.process = subprocess.Popen(
            [python, str(WORKER), program, str(self.work_dir), pipe],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            **children.popen_options(),
        )
        self.count = 0
        self.ready = False  # "ready" is awaited at the first conversion: soffice starts meanwhile

    def wait_ready(self) -> bool:
        if not self.ready:
            self.ready = self._reply(START_TIMEOUT_S) == "ready"
        return self.ready

    def _reply(self, timeout: float) -> str | None:
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        if not ready:
            return None
        line = self.process.stdout.readline()
        return line.strip() or None

    def convert(self, docx: Path, filter_text: str) -> bytes | None:
        """The PDF's bytes, or None when the server failed (the caller converts the usual way)."""
        if not self.wait_ready():
            return None
        self.count += 1
        source = self.work_dir / "in" / "book.docx"  # named as on the one-off path
        target = self.work_dir / "out" / "book.pdf"
        source.parent.mkdir(exist_ok=True)
        target.parent.mkdir(exist_ok=True)
        shutil.copyfile(docx, source)
        name, options = parse_filter(filter_text)
        request = {"source": str(source), "target": str(target), "filter": name, "options": options}
        try:
            self.process.stdin.write(json.dumps(request) + "\n")
            self.process.stdin.flush()
            line = self._reply(TIMEOUT_S)
            answer = json.loads(line) if line else {}
        except (OSError, ValueError):
            answer = {}
        try:
            if answer.get("ok") and target.is_file():
                return target.read_bytes()
            return None
        finally:
            source.unlink(missing_ok=True)
            target.unlink(missing_ok=True)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.process.stdin.close()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.terminate()  # the worker kills its soffice's process group on SIGTERM
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        with contextlib.suppress(OSError):
            self.process.stdout.close()
        shutil.rmtree(self.work_dir, ignore_errors=True)


def parse_filter(filter_text: str) -> tuple[str, dict[str, list[str]]]:
    """'pdf:writer_pdf_Export:{"K":{"type":"boolean","value":"false"},…}' → (filter, {K: [type, value]})."""
    _, name, body = filter_text.split(":", 2)
    return name, {key: [item["type"], item["value"]] for key, item in json.loads(body).items()}


@contextlib.contextmanager
def session():
    """Within it, conversions go to one LibreOffice kept running (started at the first, stopped at the
    end); without python3-uno, or on Windows, every conversion starts soffice as before."""
    depth = int(_SESSION.get("depth", 0))
    _SESSION["depth"] = depth + 1
    try:
        yield
    finally:
        _SESSION["depth"] = depth
        if depth == 0:
            server = _SESSION.pop("server", None)
            if isinstance(server, Server):
                server.close()


def prepare() -> None:
    """Inside session(): start the LibreOffice for the coming conversions now (it starts while the
    DOCX is being written)."""
    program = find_soffice()
    if program is not None:
        _running_server(program)


def _running_server(program: str) -> Server | None:
    if not _SESSION.get("depth") or os.name != "posix":
        return None
    if "server" not in _SESSION:
        python = uno_python(program)
        server = None
        if python is not None:
            try:
                server = Server(python, program)
            except OSError:
                server = None
        _SESSION["server"] = server
    server = _SESSION["server"]
    return server if isinstance(server, Server) else None


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
