"""Rebuild speed (issue 15): the pieces that let a rebuild skip work, each checked on its own (fast),
and the paths through them checked against a full build (slow: the real engine).

- "unchanged" is decided from ``builder.input_key`` before anything is prepared;
- generated files come from the build cache (``render_cache.BlobCache``) by a key of their inputs,
  and only what was made now is searched by publish.verify again;
- the site before the current one is kept as the spare and brought up to date link by link."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest
from conftest import run_cli
from test_site_helpers import make_collection

from casebook.inputs.loader import load
from casebook.outputs.site import builder
from casebook.outputs.site.docs_tree import DocsTree
from casebook.outputs.site.render_cache import BlobCache
from casebook.publish import verify

CASE = Path("cases") / "2024" / "华东重机-班组微宣讲走进车间" / "index.md"
OTHER = Path("cases") / "2023" / "苏南精工-职工微心愿清单"


def test_blob_cache_keeps_what_a_build_used(tmp_path: Path):
    path = tmp_path / "cache.bin"
    cache = BlobCache(path)
    assert cache.get("a", lambda: "eins") == ("eins", False)
    assert cache.get("b", lambda: {"x.js": b"1"}) == ({"x.js": b"1"}, False)
    cache.save()
    again = BlobCache(path)
    assert again.get("a", lambda: pytest.fail("made again")) == ("eins", True)
    again.save()  # only "a" was used: "b" is dropped
    assert BlobCache(path).get("b", lambda: "neu") == ("neu", False)
    path.write_bytes(b"\x00damaged")
    assert BlobCache(path).get("a", lambda: "frisch") == ("frisch", False)


def test_cached_texts_are_not_searched_again(tmp_path: Path):
    tree = DocsTree()
    tree.add("a.md", "made now")
    tree.add("b.md", "from the cache", verified=True)
    assert list(tree.unverified()) == ["a.md"]
    tree.sync(tmp_path / "docs")
    assert tree.written == {"a.md", "b.md"}
    again = DocsTree()
    again.add("a.md", "made now")
    again.add("b.md", "changed")
    again.sync(tmp_path / "docs")
    assert again.written == {"b.md"}


def test_mirror_links_replaces_and_prunes(tmp_path: Path):
    source = tmp_path / "source"
    (source / "d").mkdir(parents=True)
    (source / "a.html").write_text("a", encoding="utf-8")
    (source / "d" / "b.html").write_text("b", encoding="utf-8")
    target = tmp_path / "target"
    (target / "gone" / "deep").mkdir(parents=True)
    (target / "gone" / "deep" / "x.html").write_text("x", encoding="utf-8")
    (target / "a.html").write_text("old", encoding="utf-8")  # another file at a wanted path
    wanted = {"a.html": source / "a.html", "d/b.html": source / "d" / "b.html"}
    listing, made = builder._mirror(target, wanted)
    assert sorted(p.relative_to(target).as_posix() for p in target.rglob("*")) == ["a.html", "d", "d/b.html"]
    assert made == {"d"}

    def record(stats):  # what the site's record keeps of each file
        return {rel: (s.st_size, s.st_ino, s.st_mtime_ns, s.st_ctime_ns) for rel, s in stats.items()}

    assert record(listing) == record(builder._listing(target))
    assert all((target / rel).stat().st_ino == src.stat().st_ino for rel, src in wanted.items())
    kept = (target / "d" / "b.html").stat().st_ino
    (source / "a.html").unlink()
    (source / "a.html").write_text("new", encoding="utf-8")  # a new file (new inode) at the same path
    (tmp_path / "elsewhere.html").hardlink_to(source / "d" / "b.html")  # a name more: b's ctime moves
    listing, made = builder._mirror(target, wanted)
    assert record(listing) == record(builder._listing(target)) and made == set()
    assert (target / "a.html").read_text(encoding="utf-8") == "new"
    assert (target / "d" / "b.html").stat().st_ino == kept


def _edit(root: Path, rel: Path, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.slow  # loads a collection (photos decoded): seconds on a loaded machine
def test_input_key_follows_what_the_site_is_made_from(tmp_path: Path):
    root = make_collection(tmp_path / "collection", books=False)
    collection, _ = load(root)
    first = builder.input_key(collection, {}, False, "casebook")
    assert builder.input_key(collection, {}, False, "casebook") == first
    assert builder.input_key(collection, {}, True, "casebook") != first  # the offline variant
    mkdocs = root / "mkdocs.yml"
    mkdocs.write_text(mkdocs.read_text(encoding="utf-8") + "\n# 注释\n", encoding="utf-8")
    second = builder.input_key(collection, {}, False, "casebook")
    assert second != first
    case = collection.cases[0]
    edited = dataclasses.replace(
        collection, cases=(dataclasses.replace(case, body=case.body + "补"), *collection.cases[1:])
    )
    assert builder.input_key(edited, {}, False, "casebook") != second


# --- through the engine ---------------------------------------------------------------------------


def _site(root: Path, out: Path) -> str:
    result = run_cli("--root", str(root), "site", "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _full(root: Path, out: Path) -> None:
    collection, _ = load(root)
    builder.build(collection, out, incremental=False)


@pytest.mark.slow
def test_nothing_prepared_when_nothing_changed(tmp_path: Path, monkeypatch):
    root = make_collection(tmp_path / "collection", books=False)
    out = tmp_path / "site"
    _site(root, out)
    collection, _ = load(root)

    def refuse(*args, **kwargs):
        raise AssertionError("prepared although nothing changed")

    monkeypatch.setattr(builder, "prepare", refuse)
    prepared, _ = builder.build(collection, out)
    assert prepared.outcome == "unchanged" and prepared.model is None and prepared.cases > 0


@pytest.mark.slow
def test_cached_pages_are_searched_when_a_value_becomes_forbidden(tmp_path: Path):
    """Pages from the build cache hold a phrase that then becomes another case's contact address (in
    process: check would name it first): the forbidden values are in every cache key, so the pages
    are searched again and the build stops, leaving the site as it was."""
    root = make_collection(tmp_path / "collection", books=False)
    out = tmp_path / "site"
    phrase = "滨江大道一号机修楼"
    _edit(root, CASE, "三员合一", f"三员合一（{phrase}）")
    _site(root, out)
    before = _files(out)
    collection, _ = load(root)
    cases = tuple(
        dataclasses.replace(c, contact=dataclasses.replace(c.contact, address=phrase))
        if c.folder.name == OTHER.name
        else c
        for c in collection.cases
    )
    assert cases != collection.cases
    with pytest.raises(verify.Leak) as stopped:
        builder.build(dataclasses.replace(collection, cases=cases), out)
    assert "联系方式" in str(stopped.value)
    assert _files(out) == before


@pytest.mark.slow
def test_damaged_spare_still_gives_the_full_build(tmp_path: Path):
    root = make_collection(tmp_path / "collection", books=False)
    out, full = tmp_path / "site", tmp_path / "full"
    _site(root, out)
    _edit(root, CASE, "三员合一", "四员合一")
    _site(root, out)  # the first site becomes the spare
    spare = builder.spare_dir(out.resolve())
    assert spare.is_dir() and not any(p.name.startswith(".casebook") for p in out.rglob("*"))
    _edit(root, CASE, "四员合一", "五员合一")
    assert "重新渲染" in _site(root, out)  # through the spare, still only the changed pages
    _full(root, full)
    assert _files(out) == _files(full)
    page = next(spare.rglob("index.html"))
    page.unlink()  # (its inode's ctime changes: the engine's copy is not trusted either)
    page.write_text("<p>手工改过</p>", encoding="utf-8")  # a file of its own at a site path
    (spare / "stray.html").write_text("<p>多出来的</p>", encoding="utf-8")
    os.unlink(next(spare.rglob("*.jpg")))
    _edit(root, CASE, "五员合一", "六员合一")
    _site(root, out)
    _full(root, full)
    assert _files(out) == _files(full)


def _inodes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_ino for p in folder.rglob("*") if p.is_file()}


@pytest.mark.slow
def test_after_a_full_render_the_spare_already_holds_the_new_files(tmp_path: Path, monkeypatch):
    """Every file is new after a full render: the spare is relinked then, not by the next edit, and
    the site's record is stated again (the links moved every file's ctime)."""
    root = make_collection(tmp_path / "collection", books=False)
    out = tmp_path / "site"
    _site(root, out)
    _edit(root, CASE, "三员合一", "四员合一")
    _site(root, out)  # the first site becomes the spare
    _full(root, out)
    spare = builder.spare_dir(out.resolve())
    assert _inodes(spare) == _inodes(out)
    recorded = builder._read_json(builder.state_file(out.resolve()))["files"]
    assert {rel: [s.st_size, s.st_mtime_ns, s.st_ino, s.st_ctime_ns] for rel, s in builder._listing(out).items()} == {
        rel: [r[0], r[1], r[2], r[4]] for rel, r in recorded.items()
    }
    linked = []
    real = os.link
    monkeypatch.setattr(os, "link", lambda *a, **k: linked.append(a[1]) or real(*a, **k))
    _edit(root, CASE, "四员合一", "五员合一")
    collection, _ = load(root)
    prepared, _ = builder.build(collection, out)
    assert prepared.outcome == "incremental" and 0 < len(linked) < 20, linked


def _inodes_and_bytes(folder: Path) -> dict[str, tuple[int, bytes]]:
    return {
        p.relative_to(folder).as_posix(): (p.stat().st_ino, p.read_bytes()) for p in folder.rglob("*") if p.is_file()
    }


@pytest.mark.slow
def test_a_full_render_keeps_the_inode_of_every_file_it_did_not_change(tmp_path: Path):
    """A full render (a new tool version, a changed theme) links each output with the bytes of the last
    render's to that very file: the published site and its spare go on sharing it."""
    root = make_collection(tmp_path / "collection", books=False)
    out = tmp_path / "site"
    _site(root, out)
    engine = builder.cache_dir(root.resolve()) / "engine"
    before = _inodes_and_bytes(engine)
    _edit(root, CASE, "三员合一", "四员合一")
    _full(root, out)
    after = _inodes_and_bytes(engine)
    kept = {rel for rel in before.keys() & after.keys() if before[rel][1] == after[rel][1]}
    assert kept and len(kept) < len(before)  # the edited page and what lists it are new
    assert all((before[rel][0] == after[rel][0]) == (rel in kept) for rel in before.keys() & after.keys())


@pytest.mark.slow
def test_a_full_build_searches_again_only_what_it_made_unless_the_values_changed(tmp_path: Path, monkeypatch):
    """incremental=False renders every page again, but the photos verified by the last build (the
    same files, the same forbidden values) are not searched again; other values: everything is."""
    root = make_collection(tmp_path / "collection", books=False)
    out = tmp_path / "site"
    _site(root, out)
    searched: list[str] = []
    real = verify.scan_files

    def spy(files, forbidden):
        searched.extend(name for _, name in files)
        return real(files, forbidden)

    monkeypatch.setattr(verify, "scan_files", spy)
    collection, _ = load(root)
    builder.build(collection, out, incremental=False)
    assert any(name.endswith(".html") for name in searched)
    assert not any(name.endswith(".jpg") for name in searched)
    searched.clear()
    cases = tuple(
        dataclasses.replace(c, contact=dataclasses.replace(c.contact, address="滨江大道九号"))
        if c.folder.name == OTHER.name
        else c
        for c in collection.cases
    )
    builder.build(dataclasses.replace(collection, cases=cases), out, incremental=False)
    assert any(name.endswith(".jpg") for name in searched)


def test_blob_cache_appends_what_changed_and_reads_back_the_same_entries(tmp_path: Path, monkeypatch):
    from casebook.outputs.site import render_cache

    path = tmp_path / "cache.bin"
    cache = BlobCache(path)
    for n in range(50):  # k0 dropped and k50 made below: 2 changes in 50 entries, an append
        cache.get(f"k{n}", lambda n=n: b"x" * 1000 + bytes([n]))
    cache.save()
    whole = path.stat().st_size
    again = BlobCache(path)
    for n in range(1, 50):  # k0 dropped, k50 made
        again.get(f"k{n}", pytest.fail)
    again.get("k50", lambda: "neu")
    again.save()
    assert whole < path.stat().st_size < whole + 200  # appended: the change, not the whole cache
    monkeypatch.setattr(render_cache, "_KEPT", {})  # as a new process reads it
    read = BlobCache(path)
    assert read.get("k50", pytest.fail) == ("neu", True)
    assert read.get("k7", pytest.fail) == (b"x" * 1000 + bytes([7]), True)
    assert read.get("k0", lambda: "made") == ("made", False)
    with open(path, "ab") as handle:  # an append cut off by a crash
        handle.write(b"\x00\x00\x10\x00garbage")
    monkeypatch.setattr(render_cache, "_KEPT", {})
    cut = BlobCache(path)
    assert cut.get("k7", pytest.fail)[1] and cut.get("k50", pytest.fail)[1]  # the sound chunks stand
    cut.save()  # and the file is written whole again: the two entries used
    assert path.stat().st_size < 2 * 1100
    monkeypatch.setattr(render_cache, "_KEPT", {})
    assert BlobCache(path).get("k50", pytest.fail) == ("neu", True)
    few = BlobCache(path)
    few.get("k7", pytest.fail)
    few.save()  # half the entries dropped: written whole, not appended
    assert path.stat().st_size < 1100 + len(BlobCache.MAGIC) + 50
