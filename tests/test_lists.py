"""The organisers' lists (申报目录, 推荐汇总表) and the book/lists command line."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import docx
import pytest
from conftest import run_cli
from docx.oxml.ns import qn

from casebook.inputs.loader import load
from casebook.outputs.book import lists, synth

TITLE = "机械工业基层思想政治工作创新案例选编（2024年度）"


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("lists") / "collection"
    synth.make(root, cases=5, photos=0, chars=800)
    # a second recommender and a case without one
    for number, recommender in ((2, "recommender: 华东机械行业协会"), (4, None)):
        index = root / "cases" / "2024" / f"单位{number:04d}-案例" / "index.md"
        text = index.read_text(encoding="utf-8")
        if recommender:
            text = text.replace("recommender: 江淮机械工业联合会", recommender)
        else:
            text = text.replace("recommender: 江淮机械工业联合会\n", "")
        index.write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def written(root, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("out")
    collection, report = load(root)
    assert not report.errors
    assert lists.run(collection, None, out) == 0
    return out


def test_six_files_per_year(written):
    names = sorted(p.name for p in written.iterdir() if not p.name.startswith("."))
    assert names == sorted(
        f"{TITLE}{kind}{ext}" for kind in ("申报目录", "推荐汇总表") for ext in (".docx", ".xlsx", ".csv")
    )


def test_summary_csv_grouped_by_recommender(written):
    with open(written / f"{TITLE}推荐汇总表.csv", encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))
    assert rows[0] == ["推荐单位", "序号", "党组织/申报单位", "联系人", "联系电话", "推荐案例名称"]
    groups = [r[0] for r in rows[1:]]
    assert groups == sorted(groups, key=lambda g: (g == lists.NO_RECOMMENDER, g != "华东机械行业协会"))
    assert "华东机械行业协会" in groups and lists.NO_RECOMMENDER in groups
    assert len(rows) - 1 == 5  # every approved case, non-public ones too
    assert all(re.fullmatch(r"139\d{8}", r[4]) for r in rows[1:])


def test_applications_xlsx_and_docx(written):
    import openpyxl  # 0.5 s to import: not in the other worker's collection

    sheet = openpyxl.load_workbook(written / f"{TITLE}申报目录.xlsx").active
    values = [row for row in sheet.iter_rows(values_only=True)]
    assert values[1] == ("序号", "案例名称", "申报单位", "联系人", "联系方式")
    numbered = [r for r in values[2:] if isinstance(r[0], int)]
    assert [r[0] for r in numbered] == [1, 2, 3, 4, 5]
    document = docx.Document(str(written / f"{TITLE}申报目录.docx"))
    table = document.element.body.find(qn("w:tbl"))
    header = ["".join(t.text for t in tc.iter(qn("w:t"))) for tc in table.find(qn("w:tr")).findall(qn("w:tc"))]
    assert header == ["序号", "案例名称", "申报单位", "联系人", "联系方式"]
    assert "contact1@example.cn" in "".join(t.text or "" for t in table.iter(qn("w:t")))


def test_lists_are_deterministic(root, written, tmp_path):
    collection, _ = load(root)
    lists.run(collection, 2024, tmp_path)
    for path in written.iterdir():
        if not path.name.startswith("."):
            assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name


def test_lists_never_go_into_site(root, tmp_path):
    collection, _ = load(root)
    assert lists.run(collection, None, root / "site" / "lists") == 2
    assert not (root / "site").exists()


def test_lists_never_go_into_a_site_built_elsewhere(root, tmp_path):
    published = tmp_path / "www"  # a site built with `site --out` somewhere else
    (published / "search").mkdir(parents=True)
    (published / "sitemap.xml").write_text("<urlset/>", encoding="utf-8")
    collection, _ = load(root)
    assert lists.run(collection, None, published / "lists") == 2
    assert not (published / "lists").exists()


# --- command line -------------------------------------------------------------------------


def test_cli_lists_and_unknown_year(root, tmp_path):
    done = run_cli("--root", str(root), "lists", "--out", str(tmp_path / "l"))
    assert done.returncode == 0, done.stderr
    assert "申报目录" in done.stdout
    done = run_cli("--root", str(root), "lists", "--year", "1999")
    assert done.returncode == 2 and "1999" in done.stderr


def test_cli_internal_book_never_goes_into_site(root):
    done = run_cli("--root", str(root), "book", "--edition", "internal", "--out", str(root / "site" / "book"))
    assert done.returncode == 2 and "site/" in done.stderr
    assert not (root / "site").exists()


def test_cli_book_unknown_year_is_usage_error(root):
    done = run_cli("--root", str(root), "book", "--year", "1999")
    assert done.returncode == 2
    assert "1999" in done.stderr


def test_cli_refuses_to_build_with_content_errors(sample_root, tmp_path):
    index = next((sample_root / "cases").glob("*/*/index.md"))
    index.write_text(index.read_text(encoding="utf-8").replace("## 一、", "## 三、", 1), encoding="utf-8")
    done = run_cli("--root", str(sample_root), "book", "--out", str(tmp_path / "b"))
    assert done.returncode == 1
    assert "E3" in done.stderr and "未生成" in done.stderr
    assert not (tmp_path / "b").exists()


def test_cli_book_builds_the_sample_collection(sample_root, tmp_path, monkeypatch):
    monkeypatch.setenv("CASEBOOK_PDF", "0")
    done = run_cli("--root", str(sample_root), "book", "--edition", "internal", "--out", str(tmp_path / "b"))
    assert done.returncode == 0, done.stderr
    made = sorted(p.name for p in (tmp_path / "b").glob("*.docx"))
    assert made and all(name.endswith("组织方版.docx") for name in made)


def test_xlsx_and_docx_properties_are_fixed(written):
    import zipfile

    for name in (f"{TITLE}申报目录.xlsx", f"{TITLE}推荐汇总表.docx"):
        with zipfile.ZipFile(written / name) as archive:
            core = archive.read("docProps/core.xml").decode("utf-8")
            assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert "2024-01-01T00:00:00Z" in core
        assert re.findall(r"20\d\d-\d\d-\d\dT[\d:]+Z", core) == ["2024-01-01T00:00:00Z"] * len(
            re.findall(r"20\d\d-\d\d-\d\dT[\d:]+Z", core)
        )
