"""DocsTree.sync when files move to new names (the search index's version folder): bytes the folder
already holds are hard-linked, not written again, and the manifest stays true."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from casebook.outputs.site.docs_tree import DocsTree

NAMES = ["b/0.js", "b/1.js", "u/0.js", "d/1.js", "d/2.js"]


def _tree(version: str, changed: frozenset[str] = frozenset(), extra: dict[str, bytes] | None = None) -> DocsTree:
    tree = DocsTree()
    tree.add("search/meta.js", f"meta {version}")
    for name in NAMES:
        suffix = version.encode() if name in changed else b""
        tree.add(f"search/{version}/{name}", f"shard {name} ".encode() * 50 + suffix)
    for rel, data in (extra or {}).items():
        tree.add(rel, data)
    return tree


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _inodes(folder: Path, version: str) -> dict[str, int]:
    return {name: (folder / "search" / version / name).stat().st_ino for name in NAMES}


def _manifest_is_true(folder: Path) -> bool:
    """Every entry matches its file's stat and bytes: the next sync trusts them all, reading none."""
    manifest = json.loads((folder.parent / "docs.manifest.json").read_text(encoding="utf-8"))
    for rel, entry in manifest.items():
        stat = (folder / rel).stat()
        digest = hashlib.sha1((folder / rel).read_bytes()).hexdigest()
        if entry != [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, digest]:
            return False
    return set(manifest) == set(_files(folder))


def test_moved_files_become_links_of_their_old_copies(tmp_path: Path):
    folder = tmp_path / "docs"
    _tree("v1").sync(folder)
    before = _inodes(folder, "v1")
    (tmp_path / "site").mkdir()  # the builder links the files into the staged site: their ctime moves
    os.link(folder / "search/v1/b/0.js", tmp_path / "site" / "b0.js")
    second = _tree("v2", frozenset({"d/2.js"}))
    assert second.sync(folder) == 2 * len(NAMES) + 1  # placed anew, old ones removed, meta.js rewritten
    after = _inodes(folder, "v2")
    assert {name for name in NAMES if after[name] == before[name]} == set(NAMES) - {"d/2.js"}
    assert _files(folder) == second.texts  # exactly the wanted bytes, the old version folder gone
    assert second.written == set(second.texts)  # linked files hold the bytes of texts: searched
    assert _manifest_is_true(folder)  # links and removals moved the ctimes: recorded after them
    assert _tree("v2", frozenset({"d/2.js"})).sync(folder) == 0


def test_a_source_changed_since_its_entry_is_not_linked(tmp_path: Path):
    folder = tmp_path / "docs"
    _tree("v1").sync(folder)
    edited = folder / "search/v1/b/1.js"
    stat, inode = edited.stat(), edited.stat().st_ino
    with open(edited, "r+b") as handle:  # in place, same size, mtime put back (a hand edit of the site)
        handle.write(b"X")
    os.utime(edited, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    second = _tree("v2")
    second.sync(folder)
    target = folder / "search/v2/b/1.js"
    assert target.read_bytes() == second.texts["search/v2/b/1.js"]
    assert target.stat().st_ino != inode
    assert "search/v2/b/1.js" in second.written
    assert _manifest_is_true(folder)


def test_an_existing_target_is_replaced_by_a_link_without_leftovers(tmp_path: Path):
    folder = tmp_path / "docs"
    _tree("v1", extra={"search/x.js": b"old x"}).sync(folder)
    crashed = folder / "search" / "v1" / ".tmp-999999-abc.js"  # what a killed build left
    crashed.write_bytes(b"half")
    source = folder / "search/v1/u/0.js"
    inode = source.stat().st_ino
    second = _tree("v2", extra={"search/x.js": source.read_bytes()})
    second.sync(folder)
    assert (folder / "search/x.js").stat().st_ino == inode
    assert _files(folder) == second.texts  # no temporary file, neither the crash's nor the link's
    assert _manifest_is_true(folder)


def test_another_trees_files_are_no_sources(tmp_path: Path):
    folder = tmp_path / "docs"
    pages = DocsTree()
    pages.add("page.md", "same bytes")
    pages.sync(folder, keep=lambda rel: rel.startswith("search/"))
    page = (folder / "page.md").stat()
    search = _tree("v1", extra={"search/copy.js": b"same bytes"})
    search.sync(folder, keep=lambda rel: not rel.startswith("search/"))
    assert (folder / "search/copy.js").stat().st_ino != page.st_ino
    assert (folder / "page.md").stat().st_ctime_ns == page.st_ctime_ns  # its manifest entry still holds
    assert _manifest_is_true(folder)


def test_files_are_written_when_links_fail(tmp_path: Path, monkeypatch):
    folder = tmp_path / "docs"
    _tree("v1").sync(folder)
    before = _inodes(folder, "v1")

    def cross_device(*_args, **_kwargs):
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(os, "link", cross_device)
    second = _tree("v2")
    second.sync(folder)
    assert _files(folder) == second.texts
    assert not set(_inodes(folder, "v2").values()) & set(before.values())
    assert second.written == set(second.texts)
    assert _manifest_is_true(folder)


def test_links_made_elsewhere_are_noted_so_the_next_sync_trusts_the_manifest(tmp_path):
    from casebook.outputs.site.docs_tree import note_links

    folder, site = tmp_path / "docs", tmp_path / "site"
    _tree("v1").sync(folder)
    site.mkdir()
    for name in NAMES:  # the stage links the placed files into the staged site: their ctime moves
        os.link(folder / "search" / "v1" / name, site / name.replace("/", "-"))
    assert not _manifest_is_true(folder)
    note_links(folder, [f"search/v1/{name}" for name in NAMES] + ["cases/absent.jpg"])
    assert _manifest_is_true(folder)
    (folder / "search" / "v1" / NAMES[0]).write_bytes(b"edited in place")  # another size: not taken for it
    note_links(folder, [f"search/v1/{NAMES[0]}"])
    assert not _manifest_is_true(folder)
