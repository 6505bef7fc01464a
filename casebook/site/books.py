"""The yearly anthology files (《title（YYYY年度）》.docx/.pdf) offered on the downloads page."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

_TEXT = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class BookFile:
    year: int
    kind: str  # docx | pdf
    source: Path
    name: str  # the file name readers get (Chinese)
    site_path: str  # ASCII path inside the site
    size: int


def book_name(title: str, year: int, kind: str) -> str:
    """The public edition's file name as `python build.py book` writes it (casebook.book.command.file_stem)."""
    return f"{title}（{year}年度）.{kind}"


def _docx_text(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            return "".join(
                _TEXT.sub("", archive.read(name).decode("utf-8", "replace"))
                for name in archive.namelist()
                if name.startswith("word/") and name.endswith(".xml")
            )
    except (OSError, zipfile.BadZipFile, KeyError):
        return ""


def find(folder: Path | None, title: str, years: list[int], forbidden: list[str]) -> dict[int, list[BookFile]]:
    """Public-edition files present in folder (build/book/). A year whose DOCX contains any forbidden
    value (contact data) is skipped entirely: only the public edition may be published."""
    found: dict[int, list[BookFile]] = {}
    if folder is None or not folder.is_dir():
        return found
    for year in years:
        files = []
        for kind in ("pdf", "docx"):
            path = folder / book_name(title, year, kind)
            if path.is_file():
                files.append(
                    BookFile(
                        year, kind, path, path.name, f"downloads/{year}/anthology-{year}.{kind}", path.stat().st_size
                    )
                )
        docx = next((f for f in files if f.kind == "docx"), None)
        if docx is None:
            continue  # a PDF alone cannot be checked for contact data: not published
        text = _docx_text(docx.source)
        if not text or any(value and value in text for value in forbidden):
            continue
        if files:
            found[year] = files
    return found


def human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB"
    return f"{max(1, round(size / 1024))} KB"
