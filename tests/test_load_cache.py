"""The load cache (casebook/inputs/loadcache.py): a second load of an unchanged collection takes every
case from the cache, and after any change the result is that of a fresh load (a stale hit would make
`check` lie)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from casebook.inputs import loadcache, loader
from casebook.model import Case, FolderState


@pytest.fixture
def root(sample_root: Path, monkeypatch) -> Path:
    monkeypatch.setattr(loader, "CACHE_FROM", 1)  # the sample's 14 cases are below the threshold
    return sample_root


def _load(root: Path):
    """(collection, report, hits, misses) of one load."""
    before = dict(loadcache.STATS)
    collection, report = loader.load(root)
    return collection, report, loadcache.STATS["hits"] - before["hits"], loadcache.STATS["misses"] - before["misses"]


def _fresh(root: Path):
    """A load without the cache file: what the cached load must equal."""
    (root / loadcache.CACHE_PATH).unlink(missing_ok=True)
    collection, report, hits, _ = _load(root)
    assert hits == 0
    return collection, report


def _same(cached, fresh) -> None:
    (collection, report), (expected, expected_report) = cached, fresh
    assert collection.cases == expected.cases
    assert [c.lines for c in collection.cases] == [c.lines for c in expected.cases]  # lines: compare=False
    assert collection.states == expected.states
    assert report.sorted() == expected_report.sorted()
    assert report.items == expected_report.items  # the same order as well
    assert report.checked == expected_report.checked


def _photo(root: Path) -> Path:
    return sorted((root / "cases").glob("*/*/1.jpg"))[0]


def test_a_second_load_takes_every_case_from_the_cache(root):
    first = _load(root)
    assert first[3] == first[1].checked > 0
    assert (root / loadcache.CACHE_PATH).is_file()
    collection, report, hits, misses = _load(root)
    assert (hits, misses) == (report.checked, 0)
    _same((collection, report), first[:2])
    _same((collection, report), _fresh(root))


def test_an_unchanged_load_does_not_rewrite_the_file(root):
    _load(root)
    saved = loadcache.STATS["saved"]
    _load(root)
    assert loadcache.STATS["saved"] == saved


def test_an_edited_index_is_loaded_again(root):
    before = _load(root)[1]
    index = sorted((root / "cases").glob("*/*/index.md"))[0]
    stat = index.stat()
    text = index.read_text(encoding="utf-8").replace("title: ", "title: 改过的", 1)
    index.write_text(text + "\n联系电话 0551-63512345\n", encoding="utf-8")
    os.utime(index, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # the old time put back: the bytes decide
    collection, report, hits, misses = _load(root)
    assert misses == 1 and hits == report.checked - 1
    assert report.sorted() != before.sorted()
    _same((collection, report), _fresh(root))


@pytest.mark.parametrize("in_place", [False, True])
def test_a_photo_replaced_by_another_of_the_same_size(root, in_place):
    _load(root)
    photo = _photo(root)
    data, stat = photo.read_bytes(), photo.stat()
    broken = data[: len(data) // 2] + bytes(len(data) - len(data) // 2)  # cut short, same size
    if in_place:
        with open(photo, "r+b") as handle:
            handle.write(broken)
    else:
        other = photo.with_name("other.tmp")
        other.write_bytes(broken)
        os.replace(other, photo)
    os.utime(photo, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    collection, report, _, misses = _load(root)
    assert misses == 1
    assert any(d.code == "E206" for d in report.items)
    _same((collection, report), _fresh(root))


def test_a_deleted_photo(root):
    _load(root)
    _photo(root).unlink()
    collection, report, _, misses = _load(root)
    assert misses == 1
    assert any(d.code == "E203" for d in report.items)
    _same((collection, report), _fresh(root))


def test_a_photo_made_a_link_out_of_its_folder(root, tmp_path):
    _load(root)
    photo = _photo(root)
    outside = tmp_path / "outside.jpg"
    shutil.copyfile(photo, outside)
    photo.unlink()
    photo.symlink_to(outside)
    collection, report, _, misses = _load(root)
    assert misses == 1
    assert any(d.code == "E204" for d in report.items)
    _same((collection, report), _fresh(root))


def test_a_setting_that_changes_a_case_check(root):
    _load(root)
    settings = root / "content" / "settings.yml"
    settings.write_text(
        settings.read_text(encoding="utf-8").replace("rules:\n", "rules:\n  body: {max: 100}\n", 1), encoding="utf-8"
    )
    collection, report, hits, _ = _load(root)
    assert hits == 0
    assert any(d.code == "E105" for d in report.items)
    _same((collection, report), _fresh(root))


def test_cases_added_and_removed(root):
    _load(root)
    folders = sorted((root / "cases").glob("*/*/index.md"))
    shutil.rmtree(folders[0].parent)
    shutil.copytree(folders[1].parent, folders[1].parent.with_name("新案例-复制"))
    collection, report, hits, misses = _load(root)
    assert misses == 1 and hits == report.checked - 1
    _same((collection, report), _fresh(root))
    kept = (root / loadcache.CACHE_PATH).read_text(encoding="utf-8")
    assert folders[0].parent.name not in kept  # only the folders loaded this time are kept


def _damaged(path: Path, how: str) -> None:
    data = path.read_bytes()
    header, _, body = data.partition(b"\n")
    head = body.partition(b"\t")[0]
    variants = {
        "truncated": data[: len(data) // 2],
        "garbage": os.urandom(2000),
        "empty": b"",
        "foreign": b'{"not": "ours"}\n',
        "bad utf-8": header + b"\n\xff\xfe\n",
        "wrong header": json.dumps(["casebook-load-cache/0", "x"]).encode() + b"\n" + body,
        "class not allowed": header + b"\n" + head + b'\t[[],[["Case", ["os.system", "echo"]], ["l"], null]]\n',
        "deep": header + b"\n" + head + b"\t" + b'["l",' * 50_000 + b"1" + b"]" * 50_000 + b"\n",
    }
    path.write_bytes(variants[how])


@pytest.mark.parametrize(
    "how", ["truncated", "garbage", "empty", "foreign", "bad utf-8", "wrong header", "class not allowed", "deep"]
)
def test_a_damaged_cache_file_is_an_empty_cache(root, how):
    _load(root)
    _damaged(root / loadcache.CACHE_PATH, how)
    cached = _load(root)[:2]
    _same(cached, _fresh(root))


def test_a_forged_entry_that_decodes_to_another_class_is_refused(root):
    first = _load(root)
    path = root / loadcache.CACHE_PATH
    header, *lines = path.read_text(encoding="utf-8").rstrip("\n").split("\n")
    head, rest = lines[0].split("\t", 1)
    probes, raw = json.loads(rest)
    raw[0] = loadcache.encode(FolderState())  # a state where the case belongs
    lines[0] = head + "\t" + json.dumps([probes, raw])
    path.write_text("\n".join([header, *lines, ""]), encoding="utf-8")
    collection, report, _, misses = _load(root)
    assert misses == 1
    _same((collection, report), first[:2])


def test_small_collections_have_no_cache(sample_root):
    assert loader.load(sample_root)[1].checked < loader.CACHE_FROM
    assert not (sample_root / loadcache.CACHE_PATH).exists()


def test_a_cache_that_cannot_be_written_is_skipped(root):
    (root / ".cache").mkdir(exist_ok=True)
    (root / ".cache" / "load").write_text("not a folder", encoding="utf-8")
    first = _load(root)
    second = _load(root)
    assert second[2] == 0  # nothing could be kept
    _same(second[:2], first[:2])


def test_encoding_round_trips_the_model(root):
    collection, _ = loader.load(root)
    for case in collection.cases:
        again = loadcache.decode(json.loads(json.dumps(loadcache.encode(case))))
        assert type(again) is Case and again == case and again.lines == case.lines
    with pytest.raises(loadcache.Unsupported):
        loadcache.encode({1, 2})
    with pytest.raises(KeyError):
        loadcache.decode(["Path", "x"])


# --- the clean memo: other cases' contact values are searched for only in what changed -----------------


def _address(index: Path) -> str:
    import re

    return re.search(r"^  address: (.+)$", index.read_text(encoding="utf-8"), re.M).group(1)


def _public_texts(monkeypatch) -> list:
    from casebook.inputs import privacy

    made, real = [], privacy.PublicText
    monkeypatch.setattr(privacy, "PublicText", lambda fields: made.append(1) or real(fields))
    return made


def _e506(report) -> list[str]:
    return [d.path for d in report.errors if d.code == "E506"]


def test_an_unchanged_load_searches_no_case_for_other_cases_contacts(root, monkeypatch):
    _load(root)
    made = _public_texts(monkeypatch)
    _load(root)
    assert made == []
    index = sorted((root / "cases").glob("*/*/index.md"))[0]
    index.write_text(index.read_text(encoding="utf-8") + "\n修订一处文字。\n", encoding="utf-8")
    _load(root)
    assert len(made) == 2  # the edited case: its own check when loaded, then the collection's


def test_a_leak_into_an_edited_case_is_found_with_the_memo(root):
    first, second = sorted((root / "cases").glob("*/*/index.md"))[:2]
    assert _e506(_load(root)[1]) == []
    first.write_text(first.read_text(encoding="utf-8") + f"\n活动地点在{_address(second)}。\n", encoding="utf-8")
    found = _e506(_load(root)[1])
    assert found and all(path.startswith(first.parent.relative_to(root).as_posix()) for path in found)
    assert found == _e506(_fresh(root)[1])


def test_a_changed_contact_searches_every_case_again(root):
    first, second = sorted((root / "cases").glob("*/*/index.md"))[:2]
    first.write_text(first.read_text(encoding="utf-8") + "\n活动在云岭县星河路9号举行。\n", encoding="utf-8")
    assert _e506(_load(root)[1]) == []  # nobody's address yet: the case is remembered as clean
    text = second.read_text(encoding="utf-8")
    second.write_text(text.replace(f"address: {_address(second)}", "address: 云岭县星河路9号"), encoding="utf-8")
    found = _e506(_load(root)[1])
    assert found and all(path.startswith(first.parent.relative_to(root).as_posix()) for path in found)
