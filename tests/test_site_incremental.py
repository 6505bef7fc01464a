"""Rebuilds of the website (issue 15): nothing changed → nothing rebuilt; one change → only what depends
on it, byte-identical to a full build of the same collection into another folder."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from conftest import run_cli
from PIL import Image
from test_site_helpers import EXIF_SLUG, PRIVATE_TITLE, make_collection

from casebook.inputs.loader import load
from casebook.outputs.site import builder

pytestmark = pytest.mark.slow  # drives the real engine

CASE = Path("cases") / "2024" / "华东重机-班组微宣讲走进车间" / "index.md"
CASE_SLUG = "banzu-weixuanjiang"
CASE_TITLE = "班组“微宣讲”让创新理论走进车间"


def _site(root: Path, out: Path, *extra: str) -> str:
    result = run_cli("--root", str(root), "site", "--out", str(out), *extra)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def _full(root: Path, out: Path, offline: bool = False) -> None:
    """The same collection built the old way: the whole site by the engine, nothing reused."""
    collection, _ = load(root)
    builder.build(collection, out, offline=offline, incremental=False)


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _assert_same(a: Path, b: Path) -> None:
    left, right = _files(a), _files(b)
    assert sorted(left) == sorted(right), (sorted(set(left) ^ set(right)))[:20]
    differing = [name for name in left if left[name] != right[name]]
    assert not differing, differing[:20]


def _stats(folder: Path) -> dict[str, tuple]:
    return {p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in folder.rglob("*") if p.is_file()}  # fmt: skip


@pytest.fixture()
def collection(tmp_path: Path) -> Path:
    return make_collection(tmp_path / "collection")


def _edit(root: Path, old: str, new: str, rel: Path = CASE) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_nothing_changed_nothing_rebuilt(collection: Path, tmp_path: Path):
    out = tmp_path / "site"
    assert "网站已生成" in _site(collection, out)
    before, stats = _files(out), _stats(out)
    said = _site(collection, out)
    assert "网站无变化，未重新生成" in said
    assert _files(out) == before and _stats(out) == stats  # not even rewritten
    state = json.loads(builder.state_file(out.resolve()).read_text(encoding="utf-8"))
    assert sorted(state["files"]) == sorted(before)
    assert not any(p.name.startswith(".") for p in out.rglob("*"))  # the record is beside the site, not in it


def test_damaged_output_is_not_taken_for_current(collection: Path, tmp_path: Path):
    out = tmp_path / "site"
    _site(collection, out)
    page = out / "cases" / CASE_SLUG / "index.html"
    good = page.read_bytes()
    stat = page.stat()
    page.write_bytes(good.replace("微宣讲".encode(), "改动了".encode(), 1))  # same size, hand-edited
    os.utime(page, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # even with its old time
    assert "网站无变化" not in _site(collection, out)
    assert page.read_bytes() == good
    (out / "stray.html").write_text("<p>手工加的</p>", encoding="utf-8")
    assert "网站无变化" not in _site(collection, out)
    assert not (out / "stray.html").exists()
    (out / "404.html").unlink()
    assert "网站无变化" not in _site(collection, out)
    assert (out / "404.html").is_file()
    assert "网站无变化" in _site(collection, out)


def test_one_case_edited_equals_full_build(collection: Path, tmp_path: Path):
    out, full = tmp_path / "site", tmp_path / "full"
    _site(collection, out)
    unrelated = out / "cases" / "zhigong-weixinyuan" / "index.html"  # another year: no shared book either
    kept = unrelated.stat().st_ino
    _edit(collection, "三员合一", "四员合一")
    said = _site(collection, out)
    assert "重新渲染" in said, said  # incremental, not the whole site
    assert "四员合一" in (out / "cases" / CASE_SLUG / "index.html").read_text(encoding="utf-8")
    assert unrelated.stat().st_ino == kept  # a page that does not show the case was not rendered again
    _full(collection, full)
    _assert_same(out, full)
    # the title (shown on the home, browse and group pages, in the search index and the exports)
    _edit(collection, f"title: {CASE_TITLE}", "title: 班组“微宣讲”让创新理论走进车间和班前会")
    _site(collection, out)
    _full(collection, full)
    _assert_same(out, full)
    assert "走进车间和班前会" in (out / "index.html").read_text(encoding="utf-8")


def test_photo_replaced_equals_full_build(collection: Path, tmp_path: Path):
    out, full = tmp_path / "site", tmp_path / "full"
    _site(collection, out)
    photo = out / "cases" / EXIF_SLUG / "photo-1.jpg"
    before = photo.read_bytes()
    Image.new("RGB", (1500, 1000), (10, 200, 10)).save(
        collection / "cases" / "2024" / "照片测试厂-照片元数据" / "1.jpg"
    )
    assert "重新渲染" in _site(collection, out)
    assert photo.read_bytes() != before
    _full(collection, full)
    _assert_same(out, full)


def test_case_made_non_public_disappears_everywhere(collection: Path, tmp_path: Path):
    out, full = tmp_path / "site", tmp_path / "full"
    _site(collection, out)
    assert (out / "cases" / CASE_SLUG).is_dir()
    _edit(collection, "\npublic: true\n", "\npublic: false\n")
    said = _site(collection, out)
    assert "重新渲染" in said, said
    assert not (out / "cases" / CASE_SLUG).exists()
    for path in out.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert CASE_TITLE.encode() not in data and CASE_SLUG.encode() not in data, path
            assert PRIVATE_TITLE.encode() not in data
    _full(collection, full)
    _assert_same(out, full)
    _edit(collection, "\npublic: false\n", "\npublic: true\n")  # and back
    _site(collection, out)
    _full(collection, full)
    _assert_same(out, full)


def test_settings_or_theme_change_is_a_full_build(collection: Path, tmp_path: Path):
    out, full = tmp_path / "site", tmp_path / "full"
    _site(collection, out)
    settings = Path("content") / "settings.yml"
    text = (collection / settings).read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title:"))
    _edit(collection, title, title + "（修订）", settings)
    said = _site(collection, out)
    assert "网站已生成" in said and "重新渲染" not in said, said  # the site name is on every page
    _full(collection, full)
    _assert_same(out, full)
    theme = collection / "theme" / "site"
    builder.shutil.copytree(builder.TOOL_THEME, theme)
    css = theme / "assets" / "casebook" / "casebook.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n/* 本合集 */\n", encoding="utf-8")
    said = _site(collection, out)
    assert "网站已生成" in said and "重新渲染" not in said, said
    assert "本合集" in (out / "assets" / "casebook" / "casebook.css").read_text(encoding="utf-8")


def test_offline_variant_rebuilds_incrementally(collection: Path, tmp_path: Path):
    out, full = tmp_path / "offline", tmp_path / "full"
    _site(collection, out, "--offline")
    assert "网站无变化" in _site(collection, out, "--offline")
    _edit(collection, "三员合一", "四员合一")
    assert "重新渲染" in _site(collection, out, "--offline")
    _full(collection, full, offline=True)
    _assert_same(out, full)
    assert _zip_members(out.with_name("offline.zip"), "offline/") == _zip_members(full.with_name("full.zip"), "full/")


def _zip_members(path: Path, prefix: str) -> list[tuple[str, bytes]]:
    import zipfile

    with zipfile.ZipFile(path) as archive:
        return [(name.removeprefix(prefix), archive.read(name)) for name in archive.namelist()]


def test_the_engine_started_ahead_renders_the_edit_and_equals_a_full_build(tmp_path: Path):
    collection = make_collection(tmp_path / "collection", books=False)  # no download goes stale on an edit
    out, full = tmp_path / "site", tmp_path / "full"
    first, _ = builder.build(load(collection)[0], out)
    assert not first.ahead  # nothing to bring up to date yet
    assert list((builder.cache_dir(collection) / "engine-templates").iterdir())  # compiled templates kept
    _edit(collection, "三员合一", "四员合一")
    edited, _ = builder.build(load(collection)[0], out)
    assert edited.outcome == "incremental" and edited.ahead
    assert "四员合一" in (out / "cases" / CASE_SLUG / "index.html").read_text(encoding="utf-8")
    _full(collection, full)
    _assert_same(out, full)
    copy = collection / "cases" / "2024" / "新增案例"  # another set of pages: not ahead
    shutil.copytree((collection / CASE).parent, copy)
    text = (copy / "index.md").read_text(encoding="utf-8").replace(CASE_TITLE, "新增的案例")
    (copy / "index.md").write_text(text.replace(f"slug: {CASE_SLUG}", "slug: xinzeng"), encoding="utf-8")
    added, _ = builder.build(load(collection)[0], out)
    assert added.outcome == "incremental" and not added.ahead
    _full(collection, full)
    _assert_same(out, full)


def test_an_engine_started_ahead_and_cancelled_changes_nothing(collection: Path, tmp_path: Path):
    from casebook.outputs.site import engine

    out = tmp_path / "site"
    builder.build(load(collection)[0], out)
    folder = builder.cache_dir(collection) / "engine"
    before = _stats(folder)
    waiting = engine.Waiting(builder.cache_dir(collection) / "mkdocs-build.yml", folder)
    waiting.cancel()
    assert not waiting.went and _stats(folder) == before
