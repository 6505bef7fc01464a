"""Round trip: the book writer renders the sample cases into a DOCX (`python build.py book`), each
case's pages are imported back (`python build.py import`), and the result has the same title, unit,
authors, section headings, paragraph text and photo captions as the case it came from."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import docx
import pytest
from conftest import PROJECT, run_cli
from docx.oxml.ns import qn
from test_import_builders import run_import

from casebook.inputs.loader import load


@pytest.fixture(scope="module")
def books(tmp_path_factory) -> tuple[Path, dict[int, Path]]:
    """The sample collection and its internal-edition book of each year."""
    root = tmp_path_factory.mktemp("roundtrip") / "collection"
    root.mkdir()
    for name in ("cases", "content"):
        shutil.copytree(PROJECT / name, root / name)
    out = root.parent / "book"
    files = {}
    for year in (2023, 2024):
        result = run_cli("book", "--root", str(root), "--edition", "internal", "--year", str(year), "--out", str(out))
        assert result.returncode == 0, result.stdout + result.stderr
        files[year] = next(out.glob(f"*{year}*组织方版.docx"))
    return root, files


def case_pages(book: Path, target: Path) -> list[tuple[Path, str]]:
    """One .docx per case with the book part it is printed in: the book's body from a case title
    (style Title) up to the next one, without the book's own furniture (cover, contents, part titles,
    back matter)."""
    document = docx.Document(str(book))
    names = {s.style_id: s.name for s in document.styles}
    children = [c for c in document.element.body.iterchildren() if c.tag != qn("w:sectPr")]
    starts = [i for i, c in enumerate(children) if _style(c, names) == "Title"]
    written = []
    part = ""
    for number, start in enumerate(starts):
        parts = [children[i] for i in range(start) if _style(children[i], names) == "篇名"]
        part = "".join(t.text or "" for t in parts[-1].iter(qn("w:t"))) if parts else part
        end = starts[number + 1] if number + 1 < len(starts) else len(children)
        # the back matter (单位索引, 后记) follows the last case under headings of its own
        end = next((i for i in range(start, end) if _style(children[i], names) == "章名"), end)
        keep = {i for i in range(start, end) if _style(children[i], names) != "篇名"}
        single = docx.Document(str(book))
        single_body = single.element.body
        copies = [c for c in single_body.iterchildren() if c.tag != qn("w:sectPr")]
        for index, child in enumerate(copies):
            if index not in keep:
                single_body.remove(child)
        path = target / f"case{number + 1}.docx"
        single.save(str(path))
        written.append((path, part))
    return written


def _style(element, names: dict[str, str]) -> str | None:
    if element.tag != qn("w:p"):
        return None
    style = element.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    if style is None:
        return None
    return names.get(style.get(qn("w:val")), style.get(qn("w:val")))


def paragraphs(body: str) -> list[str]:
    """Body paragraphs as plain text: no headings, pictures or emphasis marks."""
    found = []
    for block in re.split(r"\n\s*\n", body):
        block = block.strip()
        if not block or block.startswith(("#", "![")):
            continue
        found.append(re.sub(r"\*+", "", block).replace("\n", ""))
    return found


@pytest.mark.parametrize("year", [2023, 2024])
def test_book_pages_import_back_unchanged(books, tmp_path, year):
    root, files = books
    original, _ = load(root)
    by_title = {c.title: c for c in original.cases if c.year == year}
    pages = case_pages(files[year], tmp_path)
    assert len(pages) >= 2

    target = tmp_path / "imported"
    (target / "cases").mkdir(parents=True)
    shutil.copytree(root / "content", target / "content")
    category_of = {c.part: c.name for c in original.profile.categories}
    for page, part in pages:
        category = category_of[part]
        result = run_import(str(page), "--root", str(target), "--year", str(year), "--category", category)
        assert result.returncode in (0, 1), result.stderr
        assert "E7" not in result.stdout + result.stderr

    imported, report = load(target)
    assert len(imported.cases) == len(pages), [d.format() for d in report.errors]
    for case in imported.cases:
        assert case.title in by_title, case.title
        source = by_title[case.title]
        assert case.unit == source.unit
        assert case.authors == source.authors
        assert case.category == source.category
        assert [h.text for h in case.headings] == [h.text for h in source.headings]
        assert paragraphs(case.body) == paragraphs(source.body)
        assert [p.caption for p in case.photos] == [p.caption for p in source.photos]
        assert case.summary == source.summary
        for photo, original_photo in zip(case.photos, source.photos, strict=True):
            assert photo.path.read_bytes()[:2] == original_photo.path.read_bytes()[:2]
