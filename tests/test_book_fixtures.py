"""Book edge cases, one fixture folder each (tests/fixtures/outputs/<edge>/), asserted in-process.

The same folders as tests/test_site_fixtures.py (vocabulary in tests/fixtures/README.md): each is
loaded and gated, its public volume of ``book.year`` made with ``outputs.book.stage.build_book``
(DOCX only), and the DOCX read back with zipfile and lxml. Assertions are about meaning: the text of
the paragraphs in document order (a picture is IMAGE), which photos and where, headings as paragraphs
of their own, what no part of the package holds, no metadata in the embedded photos; never about
styles, fonts or the XML itself. Adding a folder with a ``book:`` section adds a test.
"""

from __future__ import annotations

import contextlib
import io
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree
from PIL import Image
from test_site_fixtures import (
    IMAGE,
    OUTPUTS,
    collection_root,
    contacts_of,
    expected_of,
    in_order,
    known_bugs,
    load_gated,
    metadata,
    sequences,
)

from casebook import pipeline
from casebook.outcome import Exit
from casebook.outputs.book import pdf, styles
from casebook.outputs.book import stage as book_stage
from casebook.publish import strokes, views

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NAMES = sorted(p.name for p in OUTPUTS.iterdir() if (p / "expected.yml").is_file() and "book" in expected_of(p.name))


@dataclass
class Book:
    expected: dict
    root: Path
    members: dict[str, bytes]  # every part of the package
    paragraphs: list[tuple[str | None, str]]  # (paragraph style, text) of the document, in order
    text: str  # the document's paragraphs, one a line
    other_text: str  # notes, headers and footers
    images: int  # pictures in the document
    messages: str


def paragraph_text(p: etree._Element) -> str:
    """What a paragraph shows: its text runs joined (line breaks inside it are layout), a picture as IMAGE."""
    pieces = []
    for node in p.iter(f"{W}t", f"{W}tab", f"{W}drawing", f"{W}pict"):
        if node.tag == f"{W}t":
            pieces.append(node.text or "")
        elif node.tag == f"{W}tab":
            pieces.append("\t")
        else:
            pieces.append(IMAGE)
    return "".join(pieces)


def _paragraphs(xml: bytes) -> list[tuple[str | None, str]]:
    root = etree.fromstring(xml)
    found = []
    for p in root.iter(f"{W}p"):
        style = p.find(f"{W}pPr/{W}pStyle")
        found.append((style.get(f"{W}val") if style is not None else None, paragraph_text(p)))
    return found


def _build(tmp: Path, name: str, reference: Path) -> Book:
    expected = expected_of(name)
    year = expected["book"]["year"]
    root = collection_root(tmp, name)
    if not (root / styles.REFERENCE).exists():  # the tool's own theme/reference.docx, as a collection has it
        (root / styles.REFERENCE).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(reference, root / styles.REFERENCE)
    loaded = load_gated(root, expected)
    err = io.StringIO()
    with pytest.MonkeyPatch.context() as patch, contextlib.redirect_stderr(err), contextlib.redirect_stdout(err):
        if "strokes" in expected["book"]:  # characters outside these count 99 (casebook.publish.strokes)
            patch.setattr(strokes, "table", lambda: dict(expected["book"]["strokes"]))
        made = book_stage.build_book(root, loaded.collection, year, views.PUBLIC, tmp / "book", make_pdf=False)
        if expected.get("left_out"):  # the same through the pipeline: named, left out, not blocking
            patch.setattr(pdf, "available", lambda: False)  # (not looking for LibreOffice: DOCX only)
            code = pipeline.build(root, [pipeline.Stage("book", year=year, out=tmp / "via-pipeline")], loaded)
            assert code == Exit.OK, err.getvalue()
    assert made.pdf is None
    with zipfile.ZipFile(made.docx) as package:
        members = {n: package.read(n) for n in package.namelist()}
    paragraphs = _paragraphs(members["word/document.xml"])
    others = [
        text
        for part, data in sorted(members.items())
        if part.startswith("word/") and part != "word/document.xml" and part.endswith(".xml")
        for _style, text in _paragraphs(data)
    ]
    text = "\n".join(t for _s, t in paragraphs if t)
    return Book(expected, root, members, paragraphs, text, "\n".join(others), text.count(IMAGE), err.getvalue())


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory):
    """Each edge's book, made once for the tests of this module that use it.

    Every collection gets the default reference document (python -m casebook.outputs.book.styles),
    written once: reading it is a tenth of the cost of building the styles again for every book."""
    made: dict[str, Book] = {}
    reference = tmp_path_factory.mktemp("reference") / "reference.docx"
    styles.write_reference(reference)

    def get(name: str) -> Book:
        if name not in made:
            made[name] = _build(tmp_path_factory.mktemp(name), name, reference)
        return made[name]

    return get


def _readable(name: str, data: bytes) -> str:
    """An XML part as a reader of the package sees it: text nodes joined, per paragraph and overall
    (entities and character references read)."""
    if not name.endswith((".xml", ".rels")):
        return ""
    try:
        root = etree.fromstring(data)
    except etree.XMLSyntaxError:
        return data.decode("utf-8", errors="replace")
    return "".join(root.itertext()) + "\n" + "\n".join(t for _s, t in _paragraphs(data))


def _pictures(book: Book) -> list[tuple[str, bytes]]:
    return [(n, d) for n, d in book.members.items() if d[:2] == b"\xff\xd8" or d[:8] == b"\x89PNG\r\n\x1a\n"]


BOOK_KEYS = {"year", "contains", "absent", "order", "images", "headings", "nowhere", "image_shape", "strokes"}


def test_every_book_expectation_is_one_the_tests_know():
    assert len(NAMES) >= 12
    for name in NAMES:
        assert set(expected_of(name)["book"]) <= BOOK_KEYS, name


@pytest.mark.parametrize("name", known_bugs(NAMES, "book"))
def test_book_edge(name: str, books) -> None:
    book = books(name)
    expected = book.expected["book"]
    shown = f"\n--- document ---\n{book.text}"
    if book.expected.get("left_out"):
        assert "未收录" in book.messages, book.messages
    everything = book.text + "\n" + book.other_text
    for text in expected.get("contains", []):
        assert text in everything, f"{text!r} missing{shown}"
    for text in expected.get("absent", []):
        assert text not in everything, f"{text!r} shown{shown}"
    for sequence in sequences(expected.get("order", [])):
        missing = in_order(book.text, sequence)
        assert missing is None, f"{missing!r} not found in order {sequence}{shown}"
    if "images" in expected:
        assert book.images == expected["images"], f"{book.images} pictures, expected {expected['images']}{shown}"
    for chain in expected.get("headings", []):
        styles = []
        for heading in chain:
            own = [style for style, text in book.paragraphs if text.strip() == heading]
            assert own, f"{heading!r} is not a paragraph of its own{shown}"
            styles.append(own[0])
        assert len(set(styles)) == len(styles), f"levels of {chain} are not told apart: {styles}"
    for part, data in book.members.items():
        readable = _readable(part, data)
        for text in expected.get("nowhere", []):
            assert text.encode() not in data and text not in readable, f"{text!r} in {part}"
    if "image_shape" in expected:
        assert _pictures(book)
        for part, data in _pictures(book):
            with Image.open(io.BytesIO(data)) as picture:
                width, height = picture.size
            assert (height > width) == (expected["image_shape"] == "portrait"), (part, width, height)


@pytest.mark.parametrize("name", NAMES)
def test_public_book_holds_no_contact_and_no_photo_metadata(name: str, books) -> None:
    book = books(name)
    contacts = contacts_of(book.root)
    for part, data in book.members.items():
        readable = _readable(part, data)
        leaked = [value for value in contacts if value.encode() in data or value in readable]
        assert not leaked, f"{leaked} in {part}"
    for part, data in _pictures(book):
        assert metadata(data) == [], f"{part}: {metadata(data)}"
