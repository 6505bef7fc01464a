"""The editorial pages (content/*.md: home introduction, 前言, 关于本站 …) and the book's reference
document, read once with the cases and checked like them: a broken front matter is reported with its
line, never printed into the book as text."""

from __future__ import annotations

import zipfile
from pathlib import Path

from casebook.diagnostics import Report
from casebook.inputs.frontmatter import split
from casebook.model import Page
from casebook.util.textio import read_reported

REFERENCE = "theme/reference.docx"


def _read(root: Path, path: Path, report: Report) -> Page | None:
    rel = path.relative_to(root).as_posix()
    text = read_reported(path, rel, report)
    if text is None:
        return None
    text = text.replace("\r\n", "\n")
    title, body = "", text
    if text.startswith("---"):
        front = split(text, rel, report)
        if front is None:
            return None  # reported with its line; the page is left out rather than printed raw
        raw = front.data.get("title")
        title, body = (str(raw).strip() if raw else ""), front.body
    return Page(path.stem, rel, title, body)


def load(root: Path, report: Report) -> tuple[Page, ...]:
    folder = root / "content"
    if not folder.is_dir():
        return ()
    pages = (_read(root, path, report) for path in sorted(folder.glob("*.md")))
    return tuple(p for p in pages if p is not None)


def check_reference(root: Path, report: Report) -> None:
    """theme/reference.docx, when present, must be a complete Word package (the book is built on it).
    Checked as a zip (every member's CRC, the parts Word needs) without loading python-docx."""
    path = root / REFERENCE
    if not path.is_file():
        return
    try:
        with zipfile.ZipFile(path) as archive:
            damaged = archive.testzip()
            names = set(archive.namelist())
    except (OSError, zipfile.BadZipFile) as error:
        report.add(REFERENCE, None, "E620", detail=f"不是有效的 DOCX：{type(error).__name__}")
        return
    missing = [n for n in ("[Content_Types].xml", "word/document.xml", "word/styles.xml") if n not in names]
    if damaged or missing:
        report.add(REFERENCE, None, "E620", detail=f"文件已损坏：{damaged or '缺少 ' + '、'.join(missing)}")


def check_site_config(root: Path, report: Report) -> None:
    """mkdocs.yml, when present, must parse and hold only plain values (no program-calling tags)."""
    from casebook.inputs.mkdocs_yml import ConfigError, load_base

    try:
        load_base(root / "mkdocs.yml")
    except ConfigError as error:
        detail = str(error).split(": ", 1)[-1]
        report.add("mkdocs.yml", error.line, "E621", detail=detail)
