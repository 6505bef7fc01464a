"""An editor's forced title break (issue 9, item 1): a vertical bar ｜ in a title is read once and
taken out, so the model, the site, the 目录 and the bookmarks show the title without it, and the
book's title lines break exactly there (fast: DOCX reopened, the site page rendered in process)."""

from __future__ import annotations

import re

import docx
import pytest
from docx.oxml.ns import qn
from test_book_pages import lines_of

from casebook.config import title_marks
from casebook.inputs.loader import load
from casebook.outputs.book import docx_writer, stage, styles, titles
from casebook.outputs.book.synth import make
from casebook.publish import views

YEAR = 2024
BOOK_TITLE = "机械工业基层思想政治工作创新案例选编"
MARKED_BOOK_TITLE = "机械工业基层思想政治工作｜创新案例选编"
CASE_TITLE = "让核心价值观在厂区落地生根的“身边好人”月月评"
MARKED_CASE_TITLE = "让核心价值观｜在厂区落地生根的“身边好人”月月评"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.mark.parametrize(
    ("written", "title", "breaks"),
    [
        (MARKED_CASE_TITLE, CASE_TITLE, (6,)),
        ("让核心价值观 ｜ 在厂区落地生根", "让核心价值观在厂区落地生根", (6,)),  # spaces around
        ("A|B 两个字母", "A|B 两个字母", ()),  # the ASCII bar is text, not a mark
        ("｜让核心价值观｜｜在厂区落地生根｜", "让核心价值观在厂区落地生根", (6,)),  # at the ends, doubled
        ("没有标记的标题", "没有标记的标题", ()),
    ],
)
def test_split_takes_the_marks_out_and_says_where_they_were(written, title, breaks):
    assert title_marks.split(written) == (title, breaks)


def test_forced_breaks_end_a_line_and_a_long_stretch_is_balanced_on_its_own():
    assert titles.balanced_lines(CASE_TITLE) != ["让核心价值观", CASE_TITLE[6:]]  # not where it would break
    assert titles.balanced_lines(CASE_TITLE, breaks=(6,)) == ["让核心价值观", CASE_TITLE[6:]]
    long = "坚持“三个结合”推进新时代产业工人队伍建设改革走深走实见成效"
    lines = titles.balanced_lines("某某公司" + long, breaks=(4,))
    assert lines[0] == "某某公司" and "".join(lines[1:]) == long and len(lines) == 3
    assert titles.balanced_lines("短标题", breaks=(1,)) == ["短", "标题"]
    assert titles.balanced_lines("短标题", breaks=(0, 3, 9)) == ["短标题"]  # ends and beyond: no break


@pytest.fixture(scope="module")
def marked(tmp_path_factory):
    root = make(tmp_path_factory.mktemp("marks") / "c", cases=3, photos=0, chars=600)
    settings = root / "content" / "settings.yml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace(f"title: {BOOK_TITLE}", f"title: {MARKED_BOOK_TITLE}", 1), encoding="utf-8")
    index = root / "cases" / str(YEAR) / "单位0002-案例" / "index.md"
    text = index.read_text(encoding="utf-8")
    index.write_text(re.sub(r"^title: .*$", f"title: {MARKED_CASE_TITLE}", text, count=1, flags=re.M), encoding="utf-8")
    collection, report = load(root)
    assert collection is not None and not report.errors, [d.format() for d in report.errors]
    return root, collection


@pytest.fixture(scope="module")
def marked_docx(marked, tmp_path_factory):
    root, collection = marked
    made = stage.build_book(root, collection, YEAR, "public", tmp_path_factory.mktemp("out"), make_pdf=False)
    return docx.Document(str(made.docx))


def the_case(collection):
    return next(c for c in collection.cases if c.rel.startswith(f"cases/{YEAR}/单位0002-案例/"))


def paragraphs(document, style: str):
    found = []
    for p in document.element.body.iter(qn("w:p")):
        node = p.find(f"{W}pPr/{W}pStyle")
        if node is not None and node.get(qn("w:val")) == style:
            found.append(p)
    return found


def test_the_model_carries_the_title_without_the_mark(marked):
    _root, collection = marked
    case = the_case(collection)
    assert case.title == CASE_TITLE and case.title_breaks == (6,)
    assert collection.settings.title == BOOK_TITLE and collection.settings.title_breaks == (12,)
    assert all(not title_marks.has_mark(state.title) for state in collection.states.values())


def test_the_book_breaks_the_title_exactly_at_the_mark(marked_docx):
    (title,) = [p for p in paragraphs(marked_docx, "Title") if "".join(lines_of(p)) == CASE_TITLE]
    assert lines_of(title) == ["让核心价值观", CASE_TITLE[6:]]
    (cover,) = paragraphs(marked_docx, "CoverTitle")
    assert lines_of(cover) == ["机械工业基层思想政治工作", "创新案例选编"]
    assert titles.balanced_lines(BOOK_TITLE, 12) != lines_of(cover)  # the mark, not the balance, decided
    (title_page,) = paragraphs(marked_docx, "TitlePageTitle")
    assert lines_of(title_page) == ["机械工业基层思想政治工作", "创新案例选编"]


def test_no_mark_anywhere_in_the_volume(marked_docx):
    texts = [t.text or "" for t in marked_docx.element.body.iter(qn("w:t"))]
    texts += [t.text or "" for part in marked_docx.part.package.iter_parts() for t in _texts(part)]
    assert not [t for t in texts if title_marks.has_mark(t)]
    assert marked_docx.core_properties.title == f"{BOOK_TITLE}（{YEAR}年度）"
    toc = next(t for t in marked_docx.element.body.iter(qn("w:tbl")) if "页码" in "".join(t.itertext()))
    assert CASE_TITLE in "".join(lines for row in toc.iter(qn("w:tc")) for lines in lines_of(row))


def _texts(part):
    element = getattr(part, "element", None)  # headers and footers (the running heads)
    return [] if element is None else element.iter(qn("w:t"))


def test_bookmarks_and_running_head_read_the_title_without_the_mark(marked):
    root, collection = marked
    volume = docx_writer.build(styles.load_reference(root), views.public(collection), YEAR, "public")
    assert volume.outline_fixes["让核心价值观 " + CASE_TITLE[6:]] == CASE_TITLE  # pdf.fix_outline joins it
    assert not title_marks.has_mark(docx_writer.short_title(the_case(collection).title))


def test_the_site_page_title_has_no_mark(marked):
    from casebook.outputs.site import case_page, public_model
    from casebook.outputs.site.sanitize import Renderer

    _root, collection = marked
    model = public_model.make(collection)
    case = next(c for c in model.cases if c.title == CASE_TITLE)
    page = case_page.render(model, case, Renderer(), {}, {})
    assert f"# {CASE_TITLE}\n" in page and "breadcrumb" in page
    assert not title_marks.has_mark(page)  # front matter (page title, search), breadcrumb, heading
    assert model.title == BOOK_TITLE


# --- jieba's cuts kept between builds ---------------------------------------------------------------

_BREAK = """
import sys
from casebook.outputs.book import titles
print(titles.balanced_lines("{title}"), "jieba" in sys.modules)
titles.keep_cuts()
"""


@pytest.mark.slow  # starts and kills processes (or makes the photos afresh): CI runs it
def test_a_rebuild_of_known_titles_needs_no_jieba(tmp_path):
    """The cuts of the texts a build set are kept (titles.keep_cuts): the next process that sets the
    same texts breaks them the same way without importing jieba or loading its dictionary."""
    import os
    import shutil
    import subprocess
    import sys
    import tempfile
    from pathlib import Path

    for cache in Path(tempfile.gettempdir()).glob("casebook-jieba-*.marshal"):  # jieba's own, not the cuts
        if not cache.name.startswith("casebook-jieba-cuts-"):
            shutil.copy2(cache, tmp_path / cache.name)
    env = dict(os.environ, TMPDIR=str(tmp_path))
    code = _BREAK.format(title=CASE_TITLE)

    def run() -> str:
        return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout

    first, second = run(), run()
    assert first.split("] ")[0] == second.split("] ")[0]
    assert first.strip().endswith("True") and second.strip().endswith("False"), (first, second)
    assert list(tmp_path.glob("casebook-jieba-cuts-*.marshal"))


def test_cut_ends_are_jiebas_words():
    import jieba  # noqa: F401

    text = "“身边好人”月月评让核心价值观在厂区落地生根"
    words = list(titles.tokenizer().cut(text, HMM=False))
    ends = [sum(len(w) for w in words[: i + 1]) for i in range(len(words))]
    assert list(titles.cut_ends(text)) == ends
    assert titles.text_width("ERP系统“微宣讲”") == sum(titles.char_width(c) for c in "ERP系统“微宣讲”")
