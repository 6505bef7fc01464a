"""The pipeline and its publication boundary, in-process: one load, gates per output, identity-based
privacy, the book manifest the site trusts, and the verification every public output passes."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from PIL import Image, PngImagePlugin

from casebook import pipeline
from casebook.outcome import Exit
from casebook.outputs.book import manifest
from casebook.outputs.book import stage as book_stage
from casebook.outputs.site import books, builder
from casebook.publish import verify, views
from casebook.util import files

YEAR = 2024
PUBLISHED = "cases/2024/中原筑友-机手驿站/index.md"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _load(root: Path) -> pipeline.Loaded:
    loaded = pipeline.load(root)
    assert loaded.collection is not None
    return loaded


def _draft(root: Path, title: str = "一个还没写完的草稿案例") -> Path:
    folder = root / "cases" / "2024" / "草稿单位-未完成"
    folder.mkdir()
    (folder / "index.md").write_text(
        f"---\ntitle: {title}\nunit: 草稿单位\nyear: 2024\nstatus: draft\n---\n正文还没写。\n", encoding="utf-8"
    )
    return folder


# --- gates: only errors in what an output includes stop it ---------------------------------------


def test_a_draft_with_errors_is_left_out_not_blocking(sample_root, capsys):
    _draft(sample_root)
    loaded = _load(sample_root)
    assert any(d.path.startswith("cases/2024/草稿单位") for d in loaded.report.errors)
    for edition in views.EDITIONS:
        gate = views.gate(loaded.collection, loaded.report, edition)
        assert gate.open and gate.left_out == (("cases/2024/草稿单位-未完成", len(loaded.report.errors)),)
    out = sample_root / "build" / "book"
    code = pipeline.build(sample_root, [pipeline.Stage("book", year=YEAR)], loaded)
    assert code == Exit.OK and (out / "机械工业基层思想政治工作创新案例选编（2024年度）.docx").is_file()
    assert "草稿的案例有" in capsys.readouterr().err


def test_an_approved_case_with_errors_blocks(sample_root, capsys):
    _edit(sample_root / PUBLISHED, "category: 企业\n", "category: 不存在的类别\n")
    loaded = _load(sample_root)
    assert not views.gate(loaded.collection, loaded.report, views.PUBLIC).open
    code = pipeline.build(sample_root, [pipeline.Stage("book", year=YEAR)], loaded)
    assert code == Exit.CONTENT
    assert not (sample_root / "build" / "book").exists()
    assert "E101" in capsys.readouterr().err


def test_a_non_public_case_with_errors_blocks_only_the_organisers_outputs(sample_root):
    _edit(sample_root / PUBLISHED, "category: 企业\n", "category: 不存在的类别\npublic: false\n")
    loaded = _load(sample_root)
    assert views.gate(loaded.collection, loaded.report, views.PUBLIC).open
    assert not views.gate(loaded.collection, loaded.report, views.INTERNAL).open


def test_a_content_page_with_broken_front_matter_is_reported_and_blocks(sample_root):
    (sample_root / "content" / "preface.md").write_text("---\ntitle: [前言\n---\n正文\n", encoding="utf-8")
    loaded = _load(sample_root)
    found = [d for d in loaded.report.errors if d.path == "content/preface.md"]
    assert found and found[0].code == "E012" and found[0].line
    assert loaded.collection.page("preface") is None  # never printed raw into the book
    assert not views.gate(loaded.collection, loaded.report, views.PUBLIC).open


def test_a_damaged_reference_document_is_reported_by_check(sample_root):
    (sample_root / "theme").mkdir(exist_ok=True)
    (sample_root / "theme" / "reference.docx").write_bytes(b"PK\x03\x04 not really a zip")
    report = pipeline.load(sample_root).report
    assert [d.code for d in report.errors if d.path == "theme/reference.docx"] == ["E620"]


def test_the_main_job_loads_the_collection_once(sample_root, monkeypatch):
    calls = []
    real = pipeline.load_collection
    monkeypatch.setattr(pipeline, "load_collection", lambda root: calls.append(root) or real(root))
    monkeypatch.setenv("CASEBOOK_PDF", "0")
    monkeypatch.setattr(pipeline, "_run", lambda stage, collection: Exit.OK)  # outputs tested elsewhere
    assert pipeline.main_job(sample_root) == Exit.OK
    assert len(calls) == 1


# --- what is forbidden, by identity ---------------------------------------------------------------


@pytest.mark.slow  # a whole-output rebuild, run in CI (the fast loop keeps its quicker neighbours)
def test_a_withdrawn_duplicate_of_a_published_title_is_not_a_secret(sample_root):
    title = "“机手驿站”把思想政治工作送到工地一线"
    folder = sample_root / "cases" / "2024" / "中原筑友-机手驿站-旧稿"
    shutil.copytree(sample_root / "cases" / "2024" / "中原筑友-机手驿站", folder)
    _edit(folder / "index.md", "year: 2024\n", "year: 2024\nstatus: withdrawn\nslug: jishou-jiugao\n")
    loaded = _load(sample_root)
    assert not loaded.report.errors
    forbidden = views.forbidden(loaded.collection)
    assert title not in forbidden.values
    assert "13838207719" in forbidden.values  # its contact data still is
    builder.prepare(loaded.collection)  # the site's pages pass the verification


def test_unpublished_titles_and_contacts_are_forbidden(sample_root):
    loaded = _load(sample_root)
    forbidden = views.forbidden(loaded.collection)
    hidden = [c for c in loaded.collection.cases if not views.is_published(c)]
    assert hidden and all(forbidden.values.get(c.title) == "未公开案例" for c in hidden)
    assert forbidden.values["zhaowd@zyzhuyou-example.cn"] == "联系方式"
    assert "赵卫东" not in forbidden.values  # a contact's name may also be a published author


# --- verification of every file of an output ------------------------------------------------------

SECRET = views.Forbidden({"13912345678": "联系方式", "不公开的机密案例标题": "未公开案例"})


def _png_with_text(marker: str) -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_itxt("Comment", marker)
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, "PNG", pnginfo=info)
    return out.getvalue()


def _jpeg_with_comment(marker: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, "JPEG", comment=marker.encode("utf-8"))
    return out.getvalue()


@pytest.mark.parametrize(
    "name, data",
    [
        ("page.html", "<p>电话 139<strong>1234</strong>5678</p>".encode()),
        ("page.html", "<p>不公开的机密&#26696;例标题</p>".encode()),
        (
            "search/search_index.json",
            b'{"docs":[{"text":"\\u4e0d\\u516c\\u5f00\\u7684\\u673a\\u5bc6\\u6848\\u4f8b\\u6807\\u9898"}]}',
        ),
        ("photo.png", _png_with_text("13912345678")),
        ("photo.jpg", _jpeg_with_comment("不公开的机密案例标题")),
        ("data.csv", "标题,不公开的机密案例标题\r\n".encode("utf-8-sig")),
    ],
)
def test_verification_finds_forbidden_values_in_any_form(tmp_path, name, data):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    (tmp_path / "clean.html").write_text("<p>公开内容</p>", encoding="utf-8")
    findings = verify.scan_tree(tmp_path, SECRET)
    assert [f.file for f in findings] == [name]


def test_many_files_are_searched_on_every_core_with_the_same_findings_in_order(tmp_path):
    names = [f"cases/c{n:03d}/index.html" for n in range(verify._PARALLEL_FROM + 20)]
    leaking = {names[3], names[170], names[-1]}
    for name in names:
        path = tmp_path / name
        path.parent.mkdir(parents=True)
        path.write_text("<p>电话 13912345678</p>" if name in leaking else "<p>公开内容</p>", encoding="utf-8")
    files = [(tmp_path / name, name) for name in names]
    findings = verify.scan_files(files, SECRET)
    assert [f.file for f in findings] == sorted(leaking)
    assert findings == verify.scan_files(files[:200], SECRET) + verify.scan_files(files[200:], SECRET)


def test_verification_opens_every_part_of_a_package(tmp_path):
    target = tmp_path / "book.docx"
    with zipfile.ZipFile(target, "w") as archive:
        archive.writestr("word/document.xml", "<w:t>公开</w:t>")
        archive.writestr("docProps/app.xml", "<Company>1391234<x/>5678</Company>")
    findings = verify.scan_files([(target, "book.docx")], SECRET)
    assert [f.file for f in findings] == ["book.docx!docProps/app.xml"]
    assert "联系方式" in verify.Leak("选编", findings).args[0]


# --- book → site by manifest ----------------------------------------------------------------------


def _public_book(root: Path) -> tuple[Path, pipeline.Loaded]:
    loaded = _load(root)
    out = root / "build" / "book"
    made = book_stage.build_book(root, loaded.collection, YEAR, views.PUBLIC, out, make_pdf=False)
    return made.docx, loaded


def test_the_site_offers_only_books_made_from_the_current_view(sample_root, capsys):
    docx, loaded = _public_book(sample_root)
    offered = books.find(loaded.collection)
    assert [b.source for b in offered[YEAR]] == [docx]
    # a PDF lying next to it that the manifest does not vouch for (left from an earlier build)
    docx.with_suffix(".pdf").write_bytes(b"%PDF-1.4 stale")
    assert [b.kind for b in books.find(loaded.collection)[YEAR]] == ["docx"]
    # the collection changes after the book was made: the book is no longer offered
    _edit(sample_root / PUBLISHED, "year: 2024\n", "year: 2024\npublic: false\n")
    assert YEAR not in books.find(_load(sample_root).collection)
    assert "按修改前的案例生成" in capsys.readouterr().err


def test_a_book_rebuilt_without_pdf_removes_the_stale_pdf(sample_root):
    docx, loaded = _public_book(sample_root)
    stale = docx.with_suffix(".pdf")
    stale.write_bytes(b"%PDF-1.4 made before the case became private")
    book_stage.build_book(sample_root, loaded.collection, YEAR, views.PUBLIC, docx.parent, make_pdf=False)
    assert not stale.exists()
    assert stale.name not in manifest.read(docx.parent)


def test_a_hand_edited_book_is_not_offered(sample_root):
    docx, loaded = _public_book(sample_root)
    docx.write_bytes(docx.read_bytes() + b"\0")
    assert YEAR not in books.find(loaded.collection)


def test_a_public_book_with_a_leak_is_not_committed(sample_root):
    docx, loaded = _public_book(sample_root)
    before = docx.read_bytes()
    # an editor's reference document that carries a contact's phone in its properties
    case = next(c for c in loaded.collection.cases if c.contact and c.contact.mobile)
    reference = sample_root / "theme" / "reference.docx"
    reference.parent.mkdir(exist_ok=True)
    from casebook.outputs.book import styles

    styles.write_reference(reference)
    _inject_core_property(reference, case.contact.mobile)
    loaded = _load(sample_root)
    with pytest.raises(verify.Leak):
        book_stage.build_book(sample_root, loaded.collection, YEAR, views.PUBLIC, docx.parent, make_pdf=False)
    assert docx.read_bytes() == before
    assert not list(docx.parent.glob(".*"))  # no staging folder left behind


def _inject_core_property(path: Path, value: str) -> None:
    """Write ``value`` into the document's styles (where a template's sample text would sit)."""
    with zipfile.ZipFile(path) as archive:
        items = {n: archive.read(n) for n in archive.namelist()}
    styles_xml = items["word/styles.xml"].decode("utf-8")
    items["word/styles.xml"] = re.sub(r"(<w:name w:val=\")", rf"\g<1>{value}", styles_xml, count=1).encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in items.items():
            archive.writestr(name, data)


# --- one build at a time, safe files --------------------------------------------------------------


def test_a_second_build_refuses_while_one_runs(sample_root, monkeypatch, capsys):
    monkeypatch.setenv("CASEBOOK_LOCK_WAIT", "0")
    with files.build_lock(sample_root):
        code = pipeline.build(sample_root, [pipeline.Stage("book", year=YEAR)])
    assert code == Exit.CONTENT
    assert "另一个生成任务正在处理此合集" in capsys.readouterr().err
    assert not (sample_root / "build" / "book").exists()


def test_temporary_names_are_unique_and_leftovers_of_dead_builds_removed(tmp_path):
    target = tmp_path / "a.json"
    assert files.temp_path(target) != files.temp_path(target)
    dead = tmp_path / ".site.new-999999999-abc"
    dead.mkdir()
    mine = files.staging_dir(tmp_path / "site")
    files.remove_leftovers(tmp_path, ".site.*-*")
    assert not dead.exists() and mine.exists()  # a running build's staging folder is kept


def test_published_files_get_readable_modes_whatever_the_umask(tmp_path):
    import os

    old = os.umask(0o077)
    try:
        folder = files.staging_dir(tmp_path / "site")
        (folder / "sub").mkdir()
        (folder / "sub" / "page.html").write_text("x")
        files.set_modes(folder)
        files.write_text(tmp_path / "book.txt", "y")
    finally:
        os.umask(old)
    assert (folder / "sub" / "page.html").stat().st_mode & 0o777 == 0o644
    assert (folder / "sub").stat().st_mode & 0o777 == 0o755
    assert (tmp_path / "book.txt").stat().st_mode & 0o777 == 0o644


@pytest.mark.slow  # a whole-output rebuild, run in CI (the fast loop keeps its quicker neighbours)
def test_a_draft_made_with_new_does_not_stop_the_public_outputs(sample_root, capsys):
    from conftest import run_cli

    made = run_cli(
        "--root", str(sample_root), "new", "--title", "刚开始写的案例", "--unit", "某某公司党委", "--year", "2024",
        "--category", "企业",
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    loaded = _load(sample_root)
    assert loaded.report.errors  # the template's gaps are errors for `check`
    assert views.gate(loaded.collection, loaded.report, views.PUBLIC).open
    assert pipeline.build(sample_root, [pipeline.Stage("book", year=YEAR)], loaded) == Exit.OK
    builder.prepare(loaded.collection)  # the site's pages too
    assert "未收录" in capsys.readouterr().err


def test_the_scanner_finds_values_sharing_prefixes_and_long_values_by_their_start():
    long_title = "很长的未公开案例标题" * 20  # 200 characters, beyond the 240 bytes searched
    forbidden = views.Forbidden({"13905512345": "联系方式", "1390551": "联系方式", long_title: "未公开案例"})
    scanner = verify.Scanner(forbidden)
    assert scanner.search("电话1390551999".encode()) == "联系方式"
    assert scanner.search("电话13905512345".encode()) == "联系方式"
    assert scanner.search("电话139055".encode()) is None
    assert scanner.search(("标题：" + long_title[:90]).encode()) == "未公开案例"
