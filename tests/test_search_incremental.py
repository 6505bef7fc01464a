"""The incremental search index (search/incremental.py): after each edit of a small generated
collection, the spliced files equal shards.files of the same model byte for byte, every file."""

from __future__ import annotations

import dataclasses
import json
import random
from pathlib import Path

import pytest

from casebook.model import Case
from casebook.outputs.site import urls
from casebook.outputs.site.public_model import Group, SiteModel
from casebook.outputs.site.render_cache import BlobCache
from casebook.outputs.site.sanitize import Renderer
from casebook.outputs.site.search import incremental, index, records, shards

_CHARS = "创新工作室职工技能培训安全生产服务群众社区党建数字化平台班组管理质量提升"
_CATEGORIES = ("管理创新", "技术创新")
_YEARS = (2024, 2023)
_RARE = "鲲鹏"  # in exactly 20 of the 40 cases: df 20 → 21 changes its Rice parameter


def _text(rng: random.Random, length: int) -> str:
    sentences = []
    while sum(map(len, sentences)) < length:
        sentences.append("".join(rng.choice(_CHARS) for _ in range(rng.randint(4, 12))) + rng.choice("，。；"))
    return "".join(sentences)


def _cases(count: int = 40) -> list[Case]:
    rng = random.Random(15)
    cases = []
    for n in range(count):
        body = _text(rng, rng.randint(20, 90)) + (_RARE + "。" if n % 2 else "")
        cases.append(
            Case(
                folder=Path("."), rel="", folder_name=f"c{n}", title=f"案例{n}{_text(rng, 6)}", unit=f"单位{n % 7}",
                category=_CATEGORIES[n % 2], year=_YEARS[n % 3 == 0], summary=_text(rng, 20), body=body,
                body_line=1, slug=f"case-{n:02d}", themes=("主题甲",) if n % 3 else (),
            )
        )  # fmt: skip
    return cases


def _model(cases: list[Case]) -> SiteModel:
    def group(kind: str, name: str, members: list[Case]) -> Group:
        return Group(kind, name, name, urls.category_url(name), tuple(members))

    return SiteModel(
        title="测试", organiser="", icp="", cases=tuple(cases),
        categories=tuple(group("category", c, [x for x in cases if x.category == c]) for c in _CATEGORIES),
        years=tuple(group("year", str(y), [x for x in cases if x.year == y]) for y in _YEARS),
        themes=(group("theme", "主题甲", [x for x in cases if x.themes]),), units=(),
    )  # fmt: skip


@pytest.fixture(autouse=True)
def _small_collections_kept_too(monkeypatch):
    monkeypatch.setattr(incremental, "INCREMENTAL_FROM", 0)  # these collections are far below the threshold


class _Builds:
    """Builds in a row, as the builder makes them: a fresh build cache object each time, saved after."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.paths = folder, []

    def run(self, cases: list[Case], expect_incremental: bool) -> dict[str, bytes]:
        model = _model(cases)
        blobs = BlobCache(self.folder / "generated.bin")
        made, spliced = incremental.files(model, Renderer(), blobs, "code", self.folder / "state.bin")
        blobs.save()
        assert made == shards.files(model), "not the bytes of the full computation"
        assert spliced is expect_incremental
        return made


def _edit(cases: list[Case], number: int, **changes) -> list[Case]:
    return [dataclasses.replace(c, **changes) if i == number else c for i, c in enumerate(cases)]


def _record(case: Case) -> records.Record:
    return records.Record(0, *records.fields(case, Renderer()))


@pytest.fixture
def builds(tmp_path) -> _Builds:
    return _Builds(tmp_path)


def test_edits_splice_the_same_bytes(builds):
    cases = _cases()
    builds.run(cases, expect_incremental=False)  # seeds the state
    cases = _edit(cases, 5, body=cases[5].body.replace("。", "，", 1) + "新的内容出现。")
    builds.run(cases, expect_incremental=True)
    cases = _edit(cases, 6, body=cases[6].body[: len(cases[6].body) // 2])  # bigrams disappear
    builds.run(cases, expect_incremental=True)
    cases = _edit(cases, 7, title=cases[7].title + "獬豸")  # a character no other case has
    builds.run(cases, expect_incremental=True)
    cases = _edit(cases, 7, title=cases[7].title.replace("獬豸", ""))  # and gone again
    builds.run(cases, expect_incremental=True)
    cases = _edit(cases, 0, summary="")  # the first record
    builds.run(cases, expect_incremental=True)
    cases = _edit(cases, 39, body=cases[39].body + "最后一个案例。")  # the last record
    builds.run(cases, expect_incremental=True)
    cases = _edit(_edit(cases, 3, summary=cases[3].summary * 2), 30, body="短。")  # two records at once
    builds.run(cases, expect_incremental=True)
    builds.run(cases, expect_incremental=True)  # nothing changed


def test_rice_parameter_and_position_width_change(builds):
    cases = _cases()
    count = len(cases)
    assert sum(_RARE in c.body for c in cases) == 20
    builds.run(cases, expect_incremental=False)
    assert index.rice_parameter(count, 20) != index.rice_parameter(count, 21)
    cases = _edit(cases, 10, body=cases[10].body + _RARE + "。")  # df 20 → 21
    builds.run(cases, expect_incremental=True)
    cases = _edit(cases, 10, body=cases[10].body.replace(_RARE, "鲸"))  # and back to 20
    builds.run(cases, expect_incremental=True)
    before = len(index.folded(_record(cases[12]))[0])
    grown = cases[12].body + _text(random.Random(1), 1 << before.bit_length())
    cases = _edit(cases, 12, body=grown)
    after = len(index.folded(_record(cases[12]))[0])
    assert index.width(before) != index.width(after)
    builds.run(cases, expect_incremental=True)


def test_added_removed_cases_and_damaged_state(builds, tmp_path):
    cases = _cases()
    builds.run(cases, expect_incremental=False)
    extra = dataclasses.replace(cases[0], slug="case-new", title="新增的案例", body="全新的正文。")
    builds.run([*cases[:20], extra, *cases[20:]], expect_incremental=False)  # the numbers shift
    builds.run(cases, expect_incremental=False)
    (tmp_path / "state.bin").write_bytes(b"\x00damaged")
    builds.run(cases, expect_incremental=False)
    builds.run(_edit(cases, 1, body="改过的正文。"), expect_incremental=True)


def test_unchanged_build_keeps_the_state_and_a_damaged_one_is_not_used(builds, tmp_path):
    cases = _cases()
    builds.run(cases, expect_incremental=False)
    state = tmp_path / "state.bin"
    before = state.stat()
    builds.run(cases, expect_incremental=True)  # nothing changed: the state is not written again
    assert state.stat().st_mtime_ns == before.st_mtime_ns and state.stat().st_ino == before.st_ino
    raw = bytearray(state.read_bytes())
    at = raw.index(b"casebookSearch.add") + 40  # inside a kept shard file's bytes
    raw[at] ^= 1
    state.write_bytes(bytes(raw))
    builds.run(_edit(cases, 2, body="改过的正文。"), expect_incremental=False)  # the checksum differs


def test_shard_count_changes_with_the_size(builds, monkeypatch):
    cases = _cases()
    found = records.make(_model(cases))
    total = sum(shards.size(k, v) for k, v in index.postings(found).bigrams.items())
    monkeypatch.setattr(shards, "TARGET_SHARD", total // 4 + 1)  # four bigram shards, just
    assert shards.shard_count(total) == 4
    assert _bigram_shards(builds.run(cases, expect_incremental=False)) == 4
    grown = _edit(cases, 8, body=cases[8].body + "新的词语组合出现在正文。")
    assert _bigram_shards(builds.run(grown, expect_incremental=True)) == 8  # every key moves
    assert _bigram_shards(builds.run(cases, expect_incremental=True)) == 4


def _bigram_shards(made: dict[str, bytes]) -> int:
    meta = made["search/meta.js"].decode()
    return json.loads(meta[meta.index(",") + 1 : meta.rindex(")")])["nb"]


def test_old_record_gone_from_the_build_cache(builds, tmp_path):
    cases = _cases()
    builds.run(cases, expect_incremental=False)
    (tmp_path / "generated.bin").unlink()  # the last build's records (their texts) are gone
    builds.run(_edit(cases, 4, body="改过的正文。"), expect_incremental=False)
    builds.run(_edit(cases, 4, body="再改一次的正文。"), expect_incremental=True)


def test_edits_append_to_the_state_and_the_next_build_reads_it_back(builds, monkeypatch):
    from casebook.util import chunks

    monkeypatch.setattr(incremental, "_APPEND_AT_MOST", 1.0)  # this small collection's edits touch many files
    cases = _cases()
    builds.run(cases, expect_incremental=False)
    for number in (5, 6, 7):
        cases = _edit(cases, number, body=cases[number].body + "新的内容出现。")
        builds.run(cases, expect_incremental=True)  # from the appended state: the full computation's bytes
    bodies, sound = chunks.read(builds.folder / "state.bin", incremental._MAGIC)
    assert sound and len(bodies) == 4
    with open(builds.folder / "state.bin", "ab") as handle:  # an append cut off by a crash
        handle.write(b"\x00\x01\x00\x00cut")
    cases = _edit(cases, 8, body=cases[8].body + "又一次修改。")
    builds.run(cases, expect_incremental=False)  # not used: computed whole, written whole
    assert len(chunks.read(builds.folder / "state.bin", incremental._MAGIC)[0]) == 1


def test_a_bodys_html_stays_in_the_build_cache_while_its_record_is_reused(tmp_path, monkeypatch):
    """After a full computation, builds whose records all come from the build cache keep the bodies'
    HTML entries with them (the cache does not drop a thousand entries, which rewrote its whole file),
    so a later title edit makes that record again without rendering the body again."""
    cases = _cases()

    def build(cases: list[Case]) -> None:
        blobs = BlobCache(tmp_path / "generated.bin")
        incremental.files(_model(cases), records.CachedRenderer(blobs, "code"), blobs, "code", tmp_path / "state.bin")
        blobs.save()

    build(cases)  # every body rendered
    build(cases)  # every record reused
    converted = []
    real = Renderer.to_html
    monkeypatch.setattr(Renderer, "to_html", lambda self, source: converted.append(source) or real(self, source))
    build(_edit(cases, 4, title=cases[4].title + "（修订）"))
    assert converted == []
