"""A DOCX made without a PDF (issue 9, item 8): no LibreOffice, or CASEBOOK_PDF=0. Nothing measured
the pages, so the 目录's numbers are estimates: the file asks Word to update its fields on opening
(w:updateFields), the front matter's pages are Roman PAGEREF fields too (Word prints them as the
section numbers them), and the command says so plainly in Chinese. Fast: the CLI in process."""

from __future__ import annotations

import re
import zipfile

import docx
import pytest
from conftest import run_cli
from docx.oxml.ns import qn

from casebook.outcome import Exit
from casebook.outputs.book import docx_writer, stage, styles
from casebook.publish import views

YEAR = 2024


def settings_xml(path) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read("word/settings.xml").decode("utf-8")


def instructions(document) -> list[str]:
    return ["".join(n.text or "" for n in p.iter(qn("w:instrText"))) for p in document.element.body.iter(qn("w:p"))]


@pytest.fixture(scope="module")
def docx_only(tmp_path_factory):
    """`python build.py book --year 2024` on a copy of the sample with CASEBOOK_PDF=0."""
    import shutil
    from pathlib import Path

    root = tmp_path_factory.mktemp("docx-only") / "collection"
    project = Path(__file__).resolve().parents[1]
    for name in ("cases", "content", "theme", "mkdocs.yml"):
        source = project / name
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, root / name)
    done = run_cli("book", "--year", str(YEAR), cwd=root, env={"CASEBOOK_PDF": "0"})
    return root, done


def test_the_command_warns_that_the_pages_are_estimates_and_word_updates_them(docx_only):
    root, done = docx_only
    assert done.returncode == Exit.OK, done.stderr
    assert not list((root / "build" / "book").glob("*.pdf"))
    warning = next(line for line in done.stderr.splitlines() if "估算值" in line)
    assert warning.startswith("警告：") and "CASEBOOK_PDF=0" in warning
    assert "打开时更新域" in warning and "Word" in warning and "F9" in warning


def test_the_docx_asks_word_to_update_its_fields(docx_only):
    root, _done = docx_only
    (path,) = (root / "build" / "book").glob("*.docx")
    xml = settings_xml(path)
    assert re.search(r'<w:updateFields w:val="true"/>', xml)
    # schema order: after evenAndOddHeaders and characterSpacingControl, before compat and themeFontLang
    order = [m.group(1) for m in re.finditer(r"<w:(\w+)[ />]", xml)]
    at = order.index("updateFields")
    assert all(order.index(n) < at for n in ("evenAndOddHeaders", "characterSpacingControl") if n in order)
    assert all(order.index(n) > at for n in ("compat", "themeFontLang") if n in order)
    document = docx.Document(str(path))
    refs = [i for i in instructions(document) if "PAGEREF" in i]
    assert any(re.search(r"PAGEREF Board \\h \\\* roman", i) for i in refs)
    assert any(re.search(r"PAGEREF Preface \\h \\\* roman", i) for i in refs)
    assert any(re.search(r"PAGEREF Case0001 \\h", i) for i in refs)


def test_a_docx_measured_by_a_pdf_does_not_ask(tmp_path):
    from pathlib import Path

    from casebook.inputs.loader import load

    root = Path(__file__).resolve().parents[1]
    collection, _report = load(root)
    document = styles.load_reference(root)
    docx_writer.build(document, views.public(collection), YEAR, "public", for_word=False)
    assert document.settings.element.find(qn("w:updateFields")) is None
    toc = next(t for t in document.element.body.iter(qn("w:tbl")) if "页码" in "".join(t.itertext()))
    assert not [i for i in instructions_of(toc) if "roman" in i]  # LibreOffice: Roman pages as plain text
    assert stage.docx_only_warning("a.docx").startswith("警告：a.docx 的目录")


def instructions_of(node) -> list[str]:
    return [n.text or "" for n in node.iter(qn("w:instrText"))]
