"""The last check before a public output replaces the previous one: every file of it is searched for
the forbidden values (contact data, titles of unpublished cases).

Each file is read as what a reader could get out of it: HTML and XML with and without their markup
(a value split across Word runs or wrapped in a tag is still found) and with entities decoded, JSON
with its escapes decoded (the search index stores Chinese as \\uXXXX), every part of a DOCX/XLSX
package (docProps and media included), a PDF's text and metadata, and the raw bytes of images and
anything else (EXIF, PNG text chunks, JPEG comments).
"""

from __future__ import annotations

import functools
import html
import json
import multiprocessing
import os
import re
import shutil
import subprocess
import sys
import threading
import zipfile
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from casebook.publish.views import Forbidden
from casebook.util.multisearch import Words

_TAG = re.compile(rb"<[^>]*>")
_TEXT_SUFFIXES = {".html", ".htm", ".xml", ".svg", ".txt", ".csv", ".md", ".css", ".js", ".yml", ".yaml", ".rels"}
_ZIP_SUFFIXES = {".docx", ".xlsx", ".zip"}


@dataclass(frozen=True)
class Finding:
    file: str  # relative to the output's folder; "name.docx!word/document.xml" inside a package
    reason: str  # 联系方式 / 未公开案例

    def message(self) -> str:
        return f"{self.file} 含有不应公开的内容（{self.reason}）"


class Scanner:
    """Search for a set of forbidden values in every form they take in a file (_variants), leftmost
    match first, the longest there (one Aho-Corasick automaton, built in milliseconds: a rebuild
    after one edit verifies a few pages without paying for more)."""

    def __init__(self, forbidden: Forbidden) -> None:
        self.reasons: dict[bytes, str] = {}
        for value, reason in forbidden.values.items():
            for variant in _variants(value):
                self.reasons.setdefault(variant, reason)
        self.words = Words(sorted({v[:MAX_VALUE_BYTES] for v in self.reasons}))

    def search(self, data: bytes) -> str | None:
        found = self.words.first(data)
        return None if found is None else self._reason(found)

    def _reason(self, text: bytes) -> str:
        return self.reasons.get(text) or next(r for v, r in self.reasons.items() if v.startswith(text))


# A longer value is searched by its first 240 bytes (80 Chinese characters): a page that quotes the
# start of an unpublished case's long title is stopped too.
MAX_VALUE_BYTES = 240


def _variants(value: str) -> set[bytes]:
    """The bytes a value takes in UTF-8 text, as a JSON/JS escape, as XML/HTML escaped text, in UTF-16."""
    escaped_json = json.dumps(value, ensure_ascii=True)[1:-1]
    return {
        value.encode("utf-8"),
        html.escape(value, quote=False).encode("utf-8"),
        escaped_json.encode("ascii"),
        escaped_json.replace("\\u", "\\U").encode("ascii"),
        value.encode("utf-16-be"),
        value.encode("utf-16-le"),
    }


def _readings(name: str, data: bytes) -> Iterator[bytes]:
    """The forms of one file's content that are searched."""
    yield data
    suffix = Path(name).suffix.lower()
    if suffix == ".json":  # the search index: its strings, escapes decoded (the raw form holds \uXXXX)
        try:
            decoded = "\n".join(_strings(json.loads(data))).encode("utf-8")
        except ValueError:
            decoded = b""
        yield decoded
        yield _TAG.sub(b"", decoded)  # the index keeps page text with its markup
    elif suffix in _TEXT_SUFFIXES or data[:1] == b"<":
        unmarked = _TAG.sub(b"", data) if b"<" in data else data
        if unmarked is not data:
            yield unmarked
        if b"&" in unmarked:  # else unescaping changes nothing (a search shard, a sitemap)
            yield html.unescape(unmarked.decode("utf-8", "replace")).encode("utf-8")


def _strings(node: object) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield str(key)
            yield from _strings(value)
    elif isinstance(node, list):
        for item in node:
            yield from _strings(item)


def _pdf_text(path: Path) -> bytes:
    """Text and metadata of a PDF via poppler (its content streams are compressed)."""
    found = b""
    for tool, args in (
        ("pdftotext", ["-q", "-enc", "UTF-8", str(path), "-"]),
        ("pdfinfo", ["-enc", "UTF-8", str(path)]),
    ):
        if shutil.which(tool):
            try:
                found += subprocess.run([tool, *args], capture_output=True, timeout=300, check=False).stdout
            except (OSError, subprocess.TimeoutExpired):
                pass
    return found


def _file_readings(path: Path, name: str) -> Iterator[tuple[str, bytes]]:
    data = path.read_bytes()
    suffix = path.suffix.lower()
    if suffix in _ZIP_SUFFIXES and zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            for member in archive.namelist():
                for reading in _readings(member, archive.read(member)):
                    yield f"{name}!{member}", reading
        return
    for reading in _readings(name, data):
        yield name, reading
    if suffix == ".pdf":
        yield name, _pdf_text(path)


@functools.lru_cache(maxsize=4)
def _scanner(values: tuple[tuple[str, str], ...]) -> Scanner:
    return Scanner(Forbidden(dict(values)))


def scanner_for(forbidden: Forbidden) -> Scanner:
    """One compiled scanner per set of values (a build verifies its pages, then its staged output)."""
    return _scanner(tuple(sorted(forbidden.values.items())))


_PARALLEL_FROM = 300  # files: a whole site after a full render (a pool costs about 50 ms)


def scan_files(files: list[tuple[Path, str]], forbidden: Forbidden) -> list[Finding]:
    """Findings for (path, shown name) pairs, in their order; empty when every file is clean. Many
    files are searched on every core (the engine is done by then: the cores are ours)."""
    if not forbidden:
        return []
    values = tuple(sorted(forbidden.values.items()))
    numbered, workers = list(enumerate(files)), min(os.cpu_count() or 1, 4)
    if len(files) < _PARALLEL_FROM or workers < 2 or not _can_fork():
        return [finding for _, finding in _scan_some(values, numbered)]
    _scanner(values)  # once, here: forked workers inherit it
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        parts = list(pool.map(_scan_some, [values] * workers, [numbered[i::workers] for i in range(workers)]))
    return [finding for _, finding in sorted(pair for part in parts for pair in part)]


def _can_fork() -> bool:
    """Forking is safe here only without other threads (serve's server, the engine's waiter)."""
    return sys.platform.startswith("linux") and threading.active_count() == 1


def _scan_some(values: tuple, numbered: list[tuple[int, tuple[Path, str]]]) -> list:
    scanner, found = _scanner(values), []
    for number, (path, name) in numbered:
        for where, reading in _file_readings(path, name):
            reason = scanner.search(reading)
            if reason:
                found.append((number, Finding(where, reason)))
                break
    return found


def scan_blobs(blobs: dict[str, bytes], forbidden: Forbidden) -> list[Finding]:
    """Findings for in-memory files (the generated docs tree), by name."""
    if not forbidden:
        return []
    scanner = scanner_for(forbidden)
    findings = []
    for name, data in sorted(blobs.items()):
        reason = next((r for r in map(scanner.search, _readings(name, data)) if r), None)
        if reason:
            findings.append(Finding(name, reason))
    return findings


def scan_tree(folder: Path, forbidden: Forbidden) -> list[Finding]:
    """Every file below ``folder`` (a staged site), named relative to it."""
    files = sorted((p, p.relative_to(folder).as_posix()) for p in folder.rglob("*") if p.is_file())
    return scan_files(files, forbidden)


class Leak(RuntimeError):
    """A public output would contain forbidden values; it was not committed."""

    def __init__(self, output: str, findings: list[Finding]) -> None:
        self.findings = findings
        shown = "；".join(f.message() for f in findings[:5])
        more = f"等 {len(findings)} 个文件" if len(findings) > 5 else ""
        super().__init__(f"{output}中的 {shown}{more}，已停止生成，保留上一次的结果")
