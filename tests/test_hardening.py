"""Editors' files configure and never execute or reach out; children die with their build; the
preview refuses a port it cannot use; template parts of reference.docx never reach a book."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from conftest import run_cli

from casebook import pipeline
from casebook.outcome import Exit
from casebook.outputs.book import stage as book_stage
from casebook.outputs.book import styles
from casebook.outputs.site.mkdocs_config import same_site
from casebook.publish import views


def test_a_program_calling_tag_in_mkdocs_yml_is_refused_by_check_and_never_runs(sample_root, tmp_path):
    marker = tmp_path / "pwned"
    with (sample_root / "mkdocs.yml").open("a", encoding="utf-8") as handle:
        handle.write(f'\nextra:\n  x: !!python/object/apply:os.system ["touch {marker}"]\n')
    line = (sample_root / "mkdocs.yml").read_text(encoding="utf-8").splitlines().index("extra:") + 2
    done = run_cli("--root", str(sample_root), "check")
    assert done.returncode == 1
    assert f"mkdocs.yml:{line}: E621" in done.stdout and "!!python/object/apply:os.system" in done.stdout
    assert pipeline.build(sample_root, [pipeline.Stage("site")]) == Exit.CONTENT
    assert not marker.exists()


def test_errors_in_files_an_output_does_not_read_do_not_stop_it(sample_root):
    (sample_root / "mkdocs.yml").write_text("nav: [\n", encoding="utf-8")
    loaded = pipeline.load(sample_root)
    assert [d.code for d in loaded.report.errors] == ["E621"]
    assert pipeline.build(sample_root, [pipeline.Stage("book", year=2024)], loaded) == Exit.OK


@pytest.mark.parametrize(
    "url",
    [
        "https:\\\\evil.example\\a.css",
        "\\\\evil.example\\b.js",
        "https:/evil2.example/c.js",
        "//evil.example/d.js",
        " \x01https://evil.example/e.js",
        "java\nscript:alert(1)",
        "HTTPS://EVIL.EXAMPLE/f.css",
    ],
)
def test_urls_that_reach_another_host_as_a_browser_reads_them(url):
    assert not same_site(url)


@pytest.mark.parametrize("url", ["assets/site.css", "/css/extra.css", "js/a.js?v=2", "../x.css"])
def test_urls_of_this_site(url):
    assert same_site(url)


def test_serve_refuses_a_port_in_use_or_out_of_range(sample_root):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = run_cli("--root", str(sample_root), "serve", "--port", str(port))
    assert done.returncode == 2 and "已被其他程序占用" in done.stderr and "预览地址" not in done.stderr
    done = run_cli("--root", str(sample_root), "serve", "--port", "70000")
    assert done.returncode == 2 and "1–65535" in done.stderr


def test_a_child_process_dies_with_a_killed_parent(tmp_path):
    pid_file = tmp_path / "child.pid"
    parent = (
        "import subprocess, sys, time; from casebook.util import children;"
        "p = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'], **children.popen_options());"
        f"open({str(pid_file)!r}, 'w').write(str(p.pid)); time.sleep(60)"
    )
    proc = subprocess.Popen([sys.executable, "-c", parent])
    deadline = time.monotonic() + 20
    while not pid_file.is_file() or not pid_file.read_text():
        assert time.monotonic() < deadline
        time.sleep(0.05)
    child = int(pid_file.read_text())
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 10
    while _alive(child):
        assert time.monotonic() < deadline, "the child outlived its killed parent"
        time.sleep(0.05)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/status")
    return not (status.is_file() and "State:\tZ" in status.read_text())


# --- an editor's reference.docx: styles are taken, its metadata never -----------------------------

MARKER = "编辑单位机密备注Z9"


def _reference_with_metadata(path: Path) -> None:
    styles.write_reference(path)
    with zipfile.ZipFile(path) as archive:
        items = {n: archive.read(n) for n in archive.namelist()}
    items["docProps/app.xml"] = (
        '<?xml version="1.0"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        f'extended-properties"><Company>{MARKER}</Company><Manager>{MARKER}</Manager></Properties>'
    ).encode()
    items["docProps/custom.xml"] = (
        '<?xml version="1.0"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="2" name="备注"><vt:lpwstr>{MARKER}'
        "</vt:lpwstr></property></Properties>"
    ).encode()
    items["docProps/thumbnail.jpeg"] = b"\xff\xd8\xff\xe0" + MARKER.encode() + b"\xff\xd9"
    rels = items["_rels/.rels"].decode()
    extra = (
        '<Relationship Id="rIdC" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'custom-properties" Target="docProps/custom.xml"/>'
        '<Relationship Id="rIdT" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/'
        'thumbnail" Target="docProps/thumbnail.jpeg"/>'
    )
    items["_rels/.rels"] = rels.replace("</Relationships>", extra + "</Relationships>").encode()
    types = items["[Content_Types].xml"].decode()
    extra_types = (
        '<Override PartName="/docProps/custom.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.custom-properties+xml"/>'
        '<Default Extension="jpeg" ContentType="image/jpeg"/>'
    )
    items["[Content_Types].xml"] = types.replace("</Types>", extra_types + "</Types>").encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in items.items():
            archive.writestr(name, data)


def test_reference_document_metadata_never_reaches_the_book(sample_root):
    reference = sample_root / "theme" / "reference.docx"
    reference.parent.mkdir(exist_ok=True)
    _reference_with_metadata(reference)
    loaded = pipeline.load(sample_root)
    assert not loaded.report.errors
    out = sample_root / "build" / "book"
    made = book_stage.build_book(sample_root, loaded.collection, 2024, views.PUBLIC, out, make_pdf=False)
    with zipfile.ZipFile(made.docx) as archive:
        names = archive.namelist()
        data = b"".join(archive.read(n) for n in names)
    assert "docProps/custom.xml" not in names and not any("thumbnail" in n for n in names)
    assert MARKER.encode() not in data
    assert b"<Application>casebook</Application>" in data


# --- characters no font can print -----------------------------------------------------------------

needs_fontconfig = pytest.mark.skipif(shutil.which("fc-list") is None, reason="fontconfig (fc-list) not installed")


@needs_fontconfig
def test_extension_b_names_print_and_unknown_characters_are_reported(sample_root):
    from casebook.diagnostics import Report
    from casebook.outputs.book import glyphs

    assert all(glyphs.printable(c) for c in "𠀀𪚥𤭢")  # fonts-hanazono (scripts/install-system-deps.sh)
    assert all(glyphs.printable(c) for c in "😀👍🎉✊")  # fonts-symbola: emoji print, in black
    index = sample_root / "cases" / "2024" / "中原筑友-机手驿站" / "index.md"
    text = index.read_text(encoding="utf-8").replace("成立于2012年", "成立于2012年（\U0010fffd）", 1)
    index.write_text(text, encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "\U0010fffd" in row)
    collection = pipeline.load(sample_root).collection
    report = Report()
    glyphs.report_missing([c for c in collection.cases if c.rel == "cases/2024/中原筑友-机手驿站/index.md"], report)
    assert [(d.line, d.code) for d in report.items] == [(line, "W622")]
    assert "U+10FFFD" in report.items[0].message


# --- literal text in the engine's Markdown ----------------------------------------------------------


@pytest.mark.parametrize("title", ["波浪~号^上标", "竖线|星*下_方[括](号)#井", "反斜\\杠{大}`码`!.-+", "<尖>&"])
def test_titles_come_out_exactly_as_written(title):
    import html

    from casebook.document import new_markdown
    from casebook.outputs.site.sanitize import md_text

    heading = new_markdown().convert("# " + md_text(title))
    assert html.unescape(re.sub(r"<[^>]+>", "", heading)) == title


def test_footnotes_stay_in_the_body_before_the_case_footer(sample_root):
    from casebook.outputs.site import case_page, public_model
    from casebook.outputs.site.sanitize import Renderer

    index = sample_root / "cases" / "2024" / "中原筑友-机手驿站" / "index.md"
    text = index.read_text(encoding="utf-8").replace("成立于2012年", "成立于2012年[^1]", 1)
    index.write_text(text + "\n[^1]: 据公司年报。\n", encoding="utf-8")
    model = public_model.make(pipeline.load(sample_root).collection)
    case = next(c for c in model.cases if c.rel.endswith("中原筑友-机手驿站/index.md"))
    page = case_page.render(model, case, Renderer(), {}, {})
    assert "据公司年报" in page
    assert page.index("据公司年报") < page.index("cb-case-end")


# --- a full disk is said in one Chinese sentence ----------------------------------------------------


@pytest.fixture
def full_disk(tmp_path):
    """A 64 KB file system (tmpfs; needs root, as CI and this machine have)."""
    mount = tmp_path / "small"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    yield mount
    subprocess.run(["umount", str(mount)], check=False)


def test_a_book_on_a_full_disk_is_one_chinese_sentence(sample_root, full_disk):
    done = run_cli(
        "--root",
        str(sample_root),
        "book",
        "--year",
        "2024",
        "--out",
        str(full_disk / "book"),
        env={"CASEBOOK_PDF": "0"},
    )
    assert done.returncode == 1
    assert "磁盘已满" in done.stderr and "Traceback" not in done.stderr
    assert not [p for p in (full_disk / "book").rglob("*") if p.is_file() and p.name != "manifest.json"]


@pytest.mark.slow
def test_a_site_on_a_full_disk_is_one_chinese_sentence_and_the_old_site_stays(sample_root, full_disk):
    out = full_disk / "site"
    out.mkdir()
    (out / "sitemap.xml").write_text("previous", encoding="utf-8")
    done = run_cli("--root", str(sample_root), "site", "--out", str(out))
    assert done.returncode == 1
    said = "\n".join(line for line in done.stderr.splitlines() if not line.startswith("提示："))  # site_url hint
    assert "磁盘已满" in said and "Traceback" not in said and "mkdocs" not in said
    assert (out / "sitemap.xml").read_text(encoding="utf-8") == "previous"


# --- two builds of one collection at once ----------------------------------------------------------


@pytest.mark.slow
def test_two_site_builds_at_once_both_finish_and_publish_a_whole_site(sample_root):
    from conftest import PROJECT

    command = [sys.executable, str(PROJECT / "build.py"), "--root", str(sample_root), "site"]
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    first = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    time.sleep(0.5)
    second = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    results = [p.communicate(timeout=600) for p in (first, second)]
    assert [p.returncode for p in (first, second)] == [0, 0], results
    assert any("等待其结束" in err for _out, err in results)
    site = sample_root / "site"
    files = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
    assert "index.html" in files and "search/meta.js" in files and len(files) > 100
    assert not list(sample_root.glob(".site.*"))  # no staging or old folder left behind


# --- the same PDF in Beijing and in CI ----------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice（soffice）未安装")
def test_the_pdf_does_not_depend_on_time_zone_or_locale(sample_root, tmp_path):
    from conftest import PROJECT

    made = []
    for zone, lang in (("Asia/Shanghai", "zh_CN.UTF-8"), ("UTC", "C")):
        out = tmp_path / zone.replace("/", "-")
        env = dict(os.environ, TZ=zone, LANG=lang, LC_ALL=lang, CASEBOOK_PDF="1", PYTHONIOENCODING="utf-8")
        command = [sys.executable, str(PROJECT / "build.py"), "--root", str(sample_root), "book", "--year", "2023"]
        done = subprocess.run([*command, "--out", str(out)], capture_output=True, text=True, env=env, timeout=900)
        assert done.returncode == 0, done.stderr
        made.append(next(out.glob("*.pdf")).read_bytes())
    assert made[0] == made[1]


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice（soffice）未安装")
def test_rare_characters_and_emoji_reach_the_pdf(sample_root, tmp_path):
    """Extension B names and emoji used to vanish from the PDF (or print as boxes) while the DOCX was right."""
    index = (
        sample_root / "cases" / "2023" / next(p.name for p in (sample_root / "cases" / "2023").iterdir() if p.is_dir())
    )
    index = index / "index.md"
    text = index.read_text(encoding="utf-8")
    paragraph = next(row for row in text.splitlines() if len(row) > 40 and not row.startswith(("#", "!", " ", "-")))
    index.write_text(text.replace(paragraph, paragraph + "𠀀𪚥村的群众为此点赞👍🎉。", 1), encoding="utf-8")
    done = run_cli(
        "--root", str(sample_root), "book", "--year", "2023", "--out", str(tmp_path), env={"CASEBOOK_PDF": "1"}
    )
    assert done.returncode == 0, done.stderr
    pdf = next(tmp_path.glob("*.pdf"))
    words = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "𠀀𪚥村" in words.replace("\n", "") and "👍" in words and "🎉" in words
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "HanaMin" in fonts and "Symbola" in fonts, fonts
