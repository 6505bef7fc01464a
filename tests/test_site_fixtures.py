"""Site edge cases, one fixture folder each (tests/fixtures/outputs/<edge>/), asserted in-process.

Each folder is a small collection laid over tests/fixtures/base/ and an expected.yml (vocabulary in
tests/fixtures/README.md). The collection goes through the pipeline's site stage with the engine left
out: ``pipeline.build`` runs the gate (what is left out, and the "未收录" message) and
``outputs.site.builder.prepare`` writes the generated docs tree. Every page of the tree is then
rendered with the Markdown extensions of the generated mkdocs.yml, as the engine renders it, and the
assertions are about meaning (text, order, pictures, headings), never about markup or styling.
Adding a folder with a ``site:`` section adds a test.
"""

from __future__ import annotations

import contextlib
import functools
import html
import io
import json
import shutil
import struct
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
import yaml
from conftest import FIXTURES
from mkdocs.utils import meta
from mkdocs.utils.yaml import yaml_load
from PIL import Image

from casebook import pipeline
from casebook.outcome import Exit
from casebook.outputs.site import builder, templates
from casebook.outputs.site import stage as site_stage
from casebook.publish import views

OUTPUTS = FIXTURES / "outputs"
EXPECTED = "expected.yml"
IMAGE = "〔图〕"  # a picture, in the text of a page
MARK = b"FXMARK"  # in fixture photos' metadata only
TEXT_FILES = {".md", ".html", ".csv", ".json", ".yml", ".txt", ".js", ".xml"}


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@functools.cache
def expected_of(name: str) -> dict:
    """An edge's expected.yml (read once; callers do not change it)."""
    return yaml.load((OUTPUTS / name / EXPECTED).read_text(encoding="utf-8"), Loader=_LOADER)


NAMES = sorted(p.name for p in OUTPUTS.iterdir() if (p / EXPECTED).is_file() and "site" in expected_of(p.name))


# --- reading what was made --------------------------------------------------------------------------


class _PageText(HTMLParser):
    """The text a reader sees: tags dropped, entities read, a picture as IMAGE, blocks on lines of
    their own; headings with their level. Permalink anchors (¶) are not text."""

    BLOCKS = {"p", "div", "li", "figure", "figcaption", "pre", "tr", "td", "th", "dt", "dd", "br", "table"}
    BLOCKS |= {"ul", "ol", "blockquote", "section", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "span"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.headings: list[tuple[int, str]] = []
        self._heading: tuple[int, list[str]] | None = None
        self._skip: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        if self._skip:
            return
        if tag in ("script", "style") or (tag == "a" and "headerlink" in (attributes.get("class") or "")):
            self._skip = tag
            return
        if tag in self.BLOCKS:
            self.parts.append("\n")
        if tag == "img":
            self.parts.append(f"\n{IMAGE}\n")
        if len(tag) == 2 and tag[0] == "h" and tag[1] in "123456":
            self._heading = (int(tag[1]), [])

    def handle_endtag(self, tag: str) -> None:
        if self._skip:
            self._skip = None if tag == self._skip else self._skip
            return
        if tag in self.BLOCKS:
            self.parts.append("\n")
        if self._heading and tag == f"h{self._heading[0]}":
            self.headings.append((self._heading[0], "".join(self._heading[1]).strip()))
            self._heading = None

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        self.parts.append(data)
        if self._heading:
            self._heading[1].append(data)


@dataclass
class Page:
    text: str
    headings: list[tuple[int, str]]


_PARSERS: dict[str, markdown.Markdown] = {}


def _engine_markdown(config: Path, root: Path) -> markdown.Markdown:
    """Python-Markdown with the extensions the engine loads from the generated configuration (one
    parser for every collection whose configuration differs only in where it lives)."""
    key = config.read_text(encoding="utf-8").replace(str(root), "")
    if key not in _PARSERS:
        with config.open("rb") as stream:
            loaded = yaml_load(stream)
        names, settings = [], {}
        for item in loaded.get("markdown_extensions") or []:
            if isinstance(item, dict):
                (name, options), *_ = item.items()
                names.append(name)
                settings[name] = options or {}
            else:
                names.append(item)
        _PARSERS[key] = markdown.Markdown(extensions=names, extension_configs=settings)
    return _PARSERS[key]


@dataclass
class Site:
    expected: dict
    root: Path
    docs: Path
    config: Path
    messages: str
    rendered: dict[str, Page] = field(default_factory=dict)

    def paths(self) -> list[str]:
        return sorted(p.relative_to(self.docs).as_posix() for p in self.docs.rglob("*.md"))

    def page(self, path: str) -> Page:
        """A generated page as the engine renders it (front matter read off), as a reader sees it."""
        if path not in self.rendered:
            source, _meta = meta.get_data((self.docs / path).read_text(encoding="utf-8"))
            parser = _PageText()
            parser.feed(_engine_markdown(self.config, self.root).reset().convert(source))
            parser.close()
            text = "\n".join(line.strip() for line in "".join(parser.parts).splitlines() if line.strip())
            self.rendered[path] = Page(text, parser.headings)
        return self.rendered[path]


def collection_root(tmp: Path, name: str) -> Path:
    """tests/fixtures/base/ with the edge folder laid over it (its own settings win), in tmp."""
    root = tmp / "collection"
    shutil.copytree(FIXTURES / "base", root)
    shutil.copytree(OUTPUTS / name, root, dirs_exist_ok=True, ignore=shutil.ignore_patterns(EXPECTED))
    return root


def load_gated(root: Path, expected: dict) -> pipeline.Loaded:
    """The collection loaded and checked: no errors but in the cases the fixture says are left out,
    which the public gate names and lets through."""
    loaded = pipeline.load(root)
    assert loaded.collection is not None, [str(d) for d in loaded.report.items]
    left_out = expected.get("left_out", [])
    unexpected = [d for d in loaded.report.errors if not any(d.path.startswith(f + "/") for f in left_out)]
    assert not unexpected, [f"{d.path}:{d.line} {d.code} {d.message}" for d in unexpected]
    gate = views.gate(loaded.collection, loaded.report, views.PUBLIC)
    assert gate.open and sorted(f for f, _ in gate.left_out) == sorted(left_out)
    return loaded


def _build(tmp: Path, name: str) -> Site:
    expected = expected_of(name)
    root = collection_root(tmp, name)
    loaded = load_gated(root, expected)

    made: list[builder.Prepared] = []

    def without_engine(collection, out=None, offline=False):  # the site stage up to the engine: the docs tree
        made.append(builder.prepare(collection))
        return Exit.OK

    err = io.StringIO()
    with pytest.MonkeyPatch.context() as patch, contextlib.redirect_stderr(err), contextlib.redirect_stdout(err):
        patch.setattr(site_stage, "run", without_engine)
        code = pipeline.build(root, [pipeline.Stage("site")], loaded)
    assert code == Exit.OK and len(made) == 1, err.getvalue()
    return Site(expected, root, made[0].docs, made[0].config, err.getvalue())


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory):
    """Each edge's site, made once for the tests of this module that use it.

    The page templates are compiled once for the module, not once per collection (two thirds of a
    small site's time): a fixture without templates of its own (theme/site/casebook/) gets the tool's
    environment, which is what the collection's environment falls back to anyway."""
    made: dict[str, Site] = {}
    real, shared = templates.environment, []

    def environment(root: Path | None = None):
        if root is not None and (root / templates.SUBDIR).is_dir():
            return real(root)
        if not shared:
            shared.append(real())
        return shared[0]

    def get(name: str) -> Site:
        if name not in made:
            made[name] = _build(tmp_path_factory.mktemp(name), name)
        return made[name]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(templates, "environment", environment)
        yield get


def _files(site: Site) -> list[Path]:
    """Every file the site is made from: the docs tree and the engine configuration."""
    return [p for p in sorted(site.docs.rglob("*")) if p.is_file()] + [site.config]


def _readable(path: Path, data: bytes) -> str:
    """A text file as a reader or a script reads it: entities read, JSON escapes decoded."""
    text = data.decode("utf-8", errors="replace")
    if path.suffix == ".json":
        with contextlib.suppress(ValueError):
            text += json.dumps(json.loads(text), ensure_ascii=False)
    text = html.unescape(text)
    return text + "\n" + text.replace("\\", "")  # and without Markdown's backslash escapes


def _images(site: Site) -> list[tuple[Path, bytes]]:
    found = []
    for path in _files(site):
        data = path.read_bytes()
        if data[:2] == b"\xff\xd8" or data[:8] == b"\x89PNG\r\n\x1a\n":
            found.append((path, data))
    return found


def metadata(data: bytes) -> list[str]:
    """The metadata blocks a JPEG or PNG carries (EXIF, XMP, IPTC, comments, text chunks)."""
    found = []
    if data[:2] == b"\xff\xd8":
        i = 2
        while i + 4 <= len(data) and data[i] == 0xFF:
            marker = data[i + 1]
            if marker == 0xDA:  # start of scan: no more header segments
                break
            if marker == 0xFF or 0xD0 <= marker <= 0xD8 or marker == 0x01:
                i += 1 if marker == 0xFF else 2
                continue
            length = struct.unpack(">H", data[i + 2 : i + 4])[0]
            payload = data[i + 4 : i + 2 + length]
            if marker == 0xE1:
                found.append("EXIF" if payload.startswith(b"Exif") else "XMP/APP1")
            elif marker == 0xED:
                found.append("IPTC")
            elif marker == 0xFE:
                found.append("COM")
            elif marker == 0xEC:
                found.append("APP12")
            i += 2 + length
    elif data[:8] == b"\x89PNG\r\n\x1a\n":
        i = 8
        while i + 8 <= len(data):
            length, kind = struct.unpack(">I4s", data[i : i + 8])
            if kind in (b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"tIME"):
                found.append(kind.decode())
            i += 12 + length
    if MARK in data:
        found.append("marker bytes")
    return found


def contacts_of(root: Path) -> set[str]:
    """Every case's contact data (phone, mobile, e-mail, address), read from the case files themselves."""
    values: set[str] = set()
    for index in sorted((root / "cases").rglob("index.md")):
        text = index.read_text(encoding="utf-8-sig")
        front = text.split("---\n", 2)[1] if text.startswith("---\n") else ""
        data = yaml.load(front, Loader=_LOADER) or {}
        contact = data.get("contact") if isinstance(data, dict) else None
        if isinstance(contact, dict):
            values |= {str(contact[k]) for k in ("phone", "mobile", "email", "address") if contact.get(k)}
    return values


def in_order(text: str, items: list[str]) -> str | None:
    """The first item not found after the one before it, or None."""
    position = 0
    for item in items:
        found = text.find(item, position)
        if found < 0:
            return item
        position = found + len(item)
    return None


def known_bugs(names: list[str], output: str) -> list:
    """The names as parameters; an edge whose ``known_bug`` names this output is a strict xfail."""
    params = []
    for name in names:
        reason = (expected_of(name).get("known_bug") or {}).get(output)
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        params.append(pytest.param(name, marks=marks, id=name))
    return params


def sequences(order: list) -> list[list[str]]:
    return order if order and isinstance(order[0], list) else [order]


# --- the tests --------------------------------------------------------------------------------------


def test_every_output_fixture_is_complete():
    assert len(NAMES) >= 12
    for name in NAMES:
        expected = expected_of(name)
        assert expected.get("about"), name
        assert set(expected) <= {"about", "left_out", "known_bug", "site", "book"}, name
        assert (OUTPUTS / name / "cases").is_dir(), name
        assert set(expected["site"]) <= {"pages", "nowhere", "image_files", "image_shape"}, name
        for facts in expected["site"].get("pages", {}).values():
            assert set(facts) <= {"contains", "absent", "order", "images", "headings"}, name


def test_the_photo_fixtures_carry_what_must_not_be_published():
    """Not vacuous: the metadata the outputs must drop is in the fixtures' photos, and is found."""
    case = OUTPUTS / "photo-metadata" / "cases" / "2024" / "case"
    assert {"EXIF", "XMP/APP1", "IPTC", "COM"} <= set(metadata((case / "1.jpg").read_bytes()))
    assert {"tEXt", "zTXt", "iTXt", "eXIf"} <= set(metadata((case / "2.png").read_bytes()))
    assert metadata((case / "3.jpg").read_bytes())[0] == "COM"  # the first segment
    with Image.open(OUTPUTS / "photo-rotated" / "cases" / "2024" / "case" / "1.jpg") as picture:
        assert picture.size == (64, 48) and picture.getexif().get(0x0112) == 6


@pytest.mark.parametrize("name", known_bugs(NAMES, "site"))
def test_site_edge(name: str, sites) -> None:
    site = sites(name)
    expected = site.expected["site"]
    if site.expected.get("left_out"):
        assert "未收录" in site.messages, site.messages
    for path, facts in expected.get("pages", {}).items():
        assert (site.docs / path).is_file(), f"{path} not generated; pages: {site.paths()}"
        page = site.page(path)
        shown = f"\n--- {path} ---\n{page.text}"
        for text in facts.get("contains", []):
            assert text in page.text, f"{text!r} missing{shown}"
        for text in facts.get("absent", []):
            assert text not in page.text, f"{text!r} shown{shown}"
        for sequence in sequences(facts.get("order", [])):
            missing = in_order(page.text, sequence)
            assert missing is None, f"{missing!r} not found in order {sequence}{shown}"
        if "images" in facts:
            count = page.text.count(IMAGE)
            assert count == facts["images"], f"{count} pictures, expected {facts['images']}{shown}"
        levels = {}
        for level, text in page.headings:
            levels.setdefault(text, level)
        for chain in facts.get("headings", []):
            found = [levels.get(text) for text in chain]
            assert None not in found, (
                f"not headings: {[t for t, lv in zip(chain, found, strict=True) if lv is None]}; {page.headings}"
            )
            assert found == sorted(set(found)), f"levels {found} of {chain} do not deepen"
    if expected.get("nowhere"):
        for path in _files(site):
            data = path.read_bytes()
            readable = _readable(path, data) if path.suffix in TEXT_FILES else ""
            for text in expected["nowhere"]:
                assert text.encode() not in data and text not in readable, f"{text!r} in {path}"
        for path in site.paths():
            assert not [t for t in expected["nowhere"] if t in site.page(path).text], path
    images = _images(site)
    if "image_files" in expected:
        assert len(images) == expected["image_files"], [p.name for p, _ in images]
    if "image_shape" in expected:
        assert images
        for path, data in images:
            with Image.open(io.BytesIO(data)) as picture:
                width, height = picture.size
            assert (height > width) == (expected["image_shape"] == "portrait"), (path.name, width, height)


@pytest.mark.parametrize("name", NAMES)
def test_site_publishes_no_contact_and_no_photo_metadata(name: str, sites) -> None:
    site = sites(name)
    contacts = contacts_of(site.root)
    for path in _files(site):
        data = path.read_bytes()
        readable = _readable(path, data) if path.suffix in TEXT_FILES else ""
        leaked = [value for value in contacts if value.encode() in data or value in readable]
        assert not leaked, f"{leaked} in {path}"
    for path, data in _images(site):
        assert metadata(data) == [], f"{path.relative_to(site.docs)}: {metadata(data)}"
