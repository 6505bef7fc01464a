"""Characters no installed font can print: rare place and person names (CJK Extension B and later
planes), symbols, emoji. LibreOffice would leave them out of the PDF without a word; each one found is
reported with the case file and line instead (W622)."""

from __future__ import annotations

import functools
import shutil
import subprocess

from casebook.diagnostics import Report
from casebook.model import Case

MAX_ASKED = 400  # distinct rare characters asked about per volume (one fontconfig query each)


def _common(char: str) -> bool:
    """Characters every CJK font set here covers: no need to ask fontconfig."""
    code = ord(char)
    return (
        code < 0x0250
        or 0x2000 <= code <= 0x206F  # general punctuation
        or 0x3000 <= code <= 0x303F  # CJK punctuation
        or 0x4E00 <= code <= 0x9FFF  # CJK unified ideographs
        or 0xFF00 <= code <= 0xFFEF  # full-width forms
        or char in "\n\r\t"
    )


@functools.lru_cache(maxsize=4096)
def printable(char: str) -> bool:
    """Whether some installed font has a glyph for ``char`` (True when fontconfig is not available)."""
    if _common(char) or shutil.which("fc-list") is None:
        return True
    try:
        done = subprocess.run(
            ["fc-list", f":charset={ord(char):x}", "family"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return True
    return bool(done.stdout.strip())


def _texts(case: Case) -> list[str]:
    return [case.title, case.unit, case.summary, case.body, *case.authors, *(p.caption for p in case.photos)]


def report_missing(cases: list[Case], report: Report) -> None:
    """W622 at the first line of each case file that holds a character no font can print."""
    asked = 0
    for case in cases:
        rare = sorted({c for text in _texts(case) for c in text if not _common(c)})
        missing = []
        for char in rare:
            if asked >= MAX_ASKED:
                break
            asked += 1
            if not printable(char):
                missing.append(char)
        if missing:
            lines = _source_lines(case)
            for char in missing:
                line = next((n for n, text in enumerate(lines, 1) if char in text), 1)
                report.add(case.rel, line, "W622", char=char, codepoint=f"U+{ord(char):04X}")


def _source_lines(case: Case) -> list[str]:
    try:
        return (case.folder / "index.md").read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []
