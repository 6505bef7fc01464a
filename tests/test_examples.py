"""The example collections (examples/<profile>/): one per built-in profile, each checks clean, and
(slow) builds its public book and its site under that campaign's own title and categories.

Every run works on a copy in tmp_path: nothing is ever written into examples/ (the check alone
writes a photo cache)."""

from __future__ import annotations

import csv
import re
import shutil
import zipfile
from pathlib import Path

import pytest
import yaml
from conftest import PROJECT, run_cli, warm_copy

from casebook.inputs.profiles import available
from casebook.inputs.profiles import load as builtin_profile

EXAMPLES = PROJECT / "examples"

# The volume each example must produce: 《{settings.title}（{year}年度）》.
VOLUMES = {
    "machinery-2024": (
        "机械工业基层思想政治工作创新案例选编（2023年度）",
        "机械工业基层思想政治工作创新案例选编（2024年度）",
    ),
    "nantong-teams-2021": ("南通市班组职工思想政治工作创新案例选编（2021年度）",),
    "anhui-sites-2022": ("安徽省基层思想政治工作创新案例选编（2022年度）",),  # notice 002, 四（四）
    "fujian-party-2021": ("福建省新时代党建品牌、优秀案例选编（2021年度）",),
    "zhaoqing-education-2023": ("肇庆市教育系统基层党建工作创新案例汇编（2023年度）",),
}
# machinery-2024 is the shipped sample itself (examples/machinery-2024 links to the root's folders);
# the sample's own tests build it, so the slow tests here build the four others.
BUILT_HERE = [p for p in VOLUMES if p != "machinery-2024"]


def _copy(profile: str, tmp_path: Path) -> Path:
    return warm_copy(EXAMPLES / profile, tmp_path / profile)


def _settings(profile: str) -> dict:
    return yaml.safe_load((EXAMPLES / profile / "content" / "settings.yml").read_text(encoding="utf-8"))


def _cases(root: Path) -> list[dict]:
    result = []
    for index in sorted(root.glob("cases/*/*/index.md")):
        text = index.read_text(encoding="utf-8")
        result.append(yaml.safe_load(text.split("---", 2)[1]))
    return result


def test_every_builtin_profile_has_an_example_and_every_example_names_one():
    assert set(available()) == set(VOLUMES)
    folders = {p.name for p in EXAMPLES.iterdir() if p.is_dir()}
    assert folders == set(available())
    for profile in folders:
        assert _settings(profile)["profile"] == profile
        for name in ("index.md", "preface.md", "about.md"):
            assert (EXAMPLES / profile / "content" / name).is_file(), (profile, name)
        assert (EXAMPLES / profile / "mkdocs.yml").is_file()


@pytest.mark.parametrize("profile", sorted(VOLUMES))
def test_example_follows_its_campaign(profile):
    """5–8 cases (the sample has more), at least two categories or themes, one case kept from the public."""
    cases = _cases(EXAMPLES / profile)
    rules = builtin_profile(profile)
    assert len(cases) >= 5 and (profile == "machinery-2024" or len(cases) <= 8)
    assert any(c.get("public") is False for c in cases)
    categories = {c["category"] for c in cases}
    themes = {t for c in cases for t in c.get("themes") or []}
    assert categories <= {c.name for c in rules.categories}
    assert len(categories) >= 2 or len(themes) >= 2  # 001 has one category: its nine themes are the way in
    if profile == "nantong-teams-2021":  # 班组基本情况 and 2–3 JPG photos each
        assert all(c.get("unit_info") and 2 <= len(c["photos"]) <= 3 for c in cases)
    if profile == "zhaoqing-education-2023":  # 推荐汇总表: every case has a recommender and a contact
        assert all(c.get("recommender") and c["contact"]["mobile"] for c in cases)


@pytest.mark.parametrize("profile", sorted(VOLUMES))
def test_example_checks_clean(profile, tmp_path):
    result = run_cli("--root", str(_copy(profile, tmp_path)), "check", "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 个错误，0 个警告" in result.stdout + result.stderr


@pytest.mark.slow  # starts and kills processes (or makes the photos afresh): CI runs it
def test_example_photos_are_small_and_reproducible(tmp_path):
    """The committed photos are what scripts/make_example_photos.py draws."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_example_photos", PROJECT / "scripts" / "make_example_photos.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    copy = tmp_path / "examples"
    shutil.copytree(EXAMPLES / "anhui-sites-2022", copy / "anhui-sites-2022")
    for photo in copy.glob("*/cases/*/*/*.jpg"):
        photo.unlink()
    written = module.make(copy)
    assert written
    for photo in written:
        original = EXAMPLES / photo.relative_to(copy)
        assert photo.read_bytes() == original.read_bytes(), original
    for photo in EXAMPLES.glob("*/cases/*/*/*.jpg"):
        if not (photo.parents[3] / "cases").is_symlink():
            assert photo.stat().st_size < 200_000, photo


# ---- slow: the real book and site ----------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("profile", BUILT_HERE)
def test_example_builds_its_volume_lists_and_site(profile, tmp_path):
    root = _copy(profile, tmp_path)
    env = {"CASEBOOK_PDF": "0"}  # DOCX only: the PDF path is tested on the sample
    book = run_cli("--root", str(root), "book", env=env)
    assert book.returncode == 0, book.stdout + book.stderr
    for volume in VOLUMES[profile]:
        docx = root / "build" / "book" / f"{volume}.docx"
        assert docx.is_file(), sorted(p.name for p in (root / "build" / "book").iterdir())
        with zipfile.ZipFile(docx) as package:
            xml = package.read("word/document.xml").decode("utf-8")
        assert volume in "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", xml))  # the cover, in runs

    lists = run_cli("--root", str(root), "lists", env=env)
    assert lists.returncode == 0, lists.stdout + lists.stderr
    (year,) = {c["year"] for c in _cases(root)}
    summary = next((root / "build" / "lists").glob(f"*（{year}年度）推荐汇总表.csv"))
    with summary.open(encoding="utf-8-sig") as handle:
        header = next(csv.reader(handle))
    assert {"序号", "联系人", "联系电话", "推荐案例名称"} <= set(header)  # notice 004, 附件3

    site = run_cli("--root", str(root), "site", "--out", str(tmp_path / "site"))
    assert site.returncode == 0, site.stdout + site.stderr
    out = tmp_path / "site"
    rules = builtin_profile(profile)
    public = [c for c in _cases(root) if c.get("public") is not False and c.get("status", "approved") == "approved"]
    hidden = [c for c in _cases(root) if c not in public]
    index = (out / "browse" / "category" / "index.html").read_text(encoding="utf-8")
    for category in {c["category"] for c in public}:
        assert category in index and category in {c.name for c in rules.categories}
    themes = {t for c in public for t in c.get("themes") or []}
    if themes:
        theme_index = (out / "browse" / "theme" / "index.html").read_text(encoding="utf-8")
        assert all(theme in theme_index for theme in themes)
    pages = "".join(p.read_text(encoding="utf-8") for p in out.rglob("*.html"))
    for case in hidden:
        assert case["title"] not in pages


@pytest.mark.slow
@pytest.mark.parametrize("profile", BUILT_HERE)
def test_example_volume_meets_the_anthology_format(profile, tmp_path):
    """附件2's format holds for every campaign's volume, as for the sample's (tests/test_book.py)."""
    import docx
    import test_book as book_format
    from docx.oxml.ns import qn

    from casebook import pipeline
    from casebook.outputs.book import stage

    root = _copy(profile, tmp_path)
    collection = pipeline.load(root).collection
    year = int(VOLUMES[profile][0].rsplit("（", 1)[1][:4])
    made = stage.build_book(root, collection, year, "public", tmp_path / "out", make_pdf=False)
    doc = docx.Document(str(made.docx))
    for sect in doc.element.body.iter(qn("w:sectPr")):
        size, margins = sect.find(qn("w:pgSz")), sect.find(qn("w:pgMar"))
        assert (int(size.get(qn("w:w"))), int(size.get(qn("w:h")))) == book_format.A4
        assert all(abs(int(margins.get(qn(f"w:{s}"))) - t) <= 1 for s, t in book_format.MARGINS.items())
    book_format.test_footer_is_a_centred_page_field_in_songti_14pt(doc)
    book_format.test_document_language_is_zh_cn(doc)
    book_format.test_no_theme_fonts_anywhere_in_styles(doc)
    book_format.test_body_runs_are_fangsong_and_times_16pt_exact_31pt_indented(doc)
    book_format.test_case_titles_22pt_xiaobiaosong_bold_centred_on_a_new_page(doc, collection)
