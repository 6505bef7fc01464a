"""The site's own search index, in process (no engine, no browser): records only from the public
view, folding, sharding, ranking data, absent terms, no private text in any shard, same bytes twice.

A small Python reading of the index (`_search`) mirrors theme/site/assets/casebook/search.js, so the
ranking order can be checked here; tests/test_search_browser.py checks the script itself."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from pathlib import Path

import pytest
from test_site_helpers import DRAFT_TITLE, PRIVATE_TITLE, SECRET, WITHDRAWN_TITLE, XSS_SLUG, make_collection

from casebook.inputs.loader import load
from casebook.outputs.site import public_model
from casebook.outputs.site.search import files, fold, index, records, shards
from casebook.publish import verify, views

_ADD = re.compile(r'^casebookSearch\.add\(("[^"]*"),(.*)\);\n$', re.S)


def _read(data: bytes) -> tuple[str, object]:
    found = _ADD.match(data.decode("utf-8"))
    assert found, data[:80]
    return json.loads(found.group(1)), json.loads(found.group(2))


@pytest.fixture(scope="module")
def site_root(tmp_path_factory, warm_caches):
    """The site tests' collection without its books (the index does not read them), with warm caches."""
    root = make_collection(tmp_path_factory.mktemp("search") / "collection", books=False)
    for cache in (Path(".cache") / "assets", Path("build") / ".cache"):
        shutil.copytree(warm_caches / cache, root / cache, copy_function=os.link)
    return root


@pytest.fixture(scope="module")
def collection(site_root):
    loaded, _ = load(site_root)
    return loaded


@pytest.fixture(scope="module")
def model(collection):
    return public_model.make(collection)


@pytest.fixture(scope="module")
def built(model):
    return files(model)


@pytest.fixture(scope="module")
def parsed(built):
    out = {}
    for data in built.values():
        name, value = _read(data)
        out[name] = value
    return out


def _cases(meta: dict) -> list[list]:
    """meta.docs unpacked as search.js does: [ends of title, unit, summary, body, length, category,
    year, award, themes] per case."""
    reader, rows = index.Reader(meta["docs"]), []
    for _ in range(meta["n"]):
        at, row = 0, []
        for _ in range(5):
            at += reader.gamma() - 1
            row.append(at)
        row += [reader.gamma() - 1, reader.gamma() - 1, reader.read(1)]
        row.append([reader.gamma() - 1 for _ in range(reader.gamma() - 1)])
        rows.append(row)
    return rows


def _search(parsed: dict, query: str) -> list[str]:
    """Ranked case URLs for ``query``, as search.js computes them."""
    meta = parsed["meta"]
    if "cases" not in parsed:
        parsed["cases"] = _cases(meta)
    cases = parsed["cases"]
    lengths = [row[4] for row in cases]
    parts = []
    for word in query.split():
        for p in fold.fold(word).split(fold.BREAK):
            if p and p not in parts:
                parts.append(p)
    if not parts:
        return []
    per_part = []
    for p in parts:
        hits = {}
        if len(p) == 1:
            encoded = parsed[f"u/{shards.shard_of(p, meta['nu'])}"].get(p)
            for doc, (f, count) in (index.char_hits(encoded, meta["n"]) if encoded else {}).items():
                ends = cases[doc]
                exact = (f == 0 and ends[0] == 1) or (f == 1 and ends[1] - ends[0] == 2)
                hits[doc] = (f if exact else f + 2, count, 0)
        else:
            offsets = list(range(0, len(p) - 1, 2))
            if offsets[-1] != len(p) - 2:
                offsets.append(len(p) - 2)
            lists = []
            for o in offsets:
                key = p[o : o + 2]
                encoded = parsed[f"b/{shards.shard_of(key, meta['nb'])}"].get(key)
                lists.append(index.bigram_hits(encoded, meta["n"], lengths) if encoded else {})
            for doc, starts in lists[0].items():
                if not all(doc in other for other in lists[1:]):
                    continue
                ends = cases[doc]
                found = [s for s in starts if all(s + o in lists[k][doc] for k, o in enumerate(offsets) if k)]
                best = None
                for s in found:
                    f = index.field_at(ends[:4], s)
                    tier = f + 2
                    if f == 0 and s == 0 and len(p) == ends[0]:
                        tier = 0
                    if f == 1 and s == ends[0] + 1 and s + len(p) == ends[1]:
                        tier = 1
                    if best is None or tier < best[0]:
                        best = (tier, s)
                if best:
                    hits[doc] = (best[0], len(found), best[1])
        per_part.append(hits)
    ranked = []
    for doc, (tier, count, first) in per_part[0].items():
        if all(doc in other for other in per_part[1:]):
            tier += sum(other[doc][0] for other in per_part[1:])
            count += sum(other[doc][1] for other in per_part[1:])
            award = cases[doc][7]
            ranked.append((tier, -count, first, -award, doc))
    ranked.sort()
    return [parsed[f"d/{r[-1]}"]["u"] for r in ranked]


def test_records_come_from_the_public_view_only(collection, model):
    found = records.make(model)
    published = {c.slug for c in views.public(collection).cases}
    assert {r.url for r in found} == {f"cases/{s}/" for s in published}
    assert len(found) < len(collection.cases)  # the sample has drafts, withdrawn and non-public cases
    text = json.dumps([r.parts for r in found], ensure_ascii=False)
    for secret in (PRIVATE_TITLE, DRAFT_TITLE, WITHDRAWN_TITLE, *SECRET.values()):
        assert secret not in text


def test_fields_stay_apart_and_carry_no_invisible_characters(model):
    for record in records.make(model):
        kinds = [kind for kind, _ in record.parts]
        assert kinds[:2] == [records.TITLE, records.UNIT] and kinds == sorted(kinds)
        for kind, sentence in record.parts:
            assert "\u200b" not in sentence and "\n" not in sentence
            if (
                kind == records.BODY and XSS_SLUG not in record.url
            ):  # (that case quotes markup as text) rendered and sanitised, then read as text: no markup left
                assert not re.search(r"<(p|div|span|strong|em|img|a|figure)\b", sentence), sentence
            assert "申报单位" not in sentence or "推荐单位" not in sentence  # never the fact box run together


def test_folding():
    assert fold.fold("“鹭岛心语”") == "鹭岛心语"
    assert fold.fold("鹭岛·心语") == fold.fold("鹭岛 心语") == "鹭岛心语"
    assert fold.fold("ＡＢＣ１２３") == "abc123"
    assert fold.fold("MiXeD Case") == "mixedcase"
    assert fold.fold("第一句。第二句！") == "第一句\n第二句\n"
    assert fold.fold("零\u200b宽") == "零宽"
    assert fold.sentences("甲乙。丙丁！戊") == ["甲乙。", "丙丁！", "戊"]


def test_bit_codes_round_trip():
    numbers = [1, 2, 3, 31, 32, 1023, 1024, 99999, 7]
    reader = index.Reader(index.pack("".join(index.gamma(n) for n in numbers)))
    assert [reader.gamma() for _ in numbers] == numbers
    for k in (0, 1, 5, 13):
        reader = index.Reader(index.pack("".join(index.rice(n - 1, k) for n in numbers) + index.gamma(1)))
        assert [reader.rice(k) + 1 for _ in numbers] == numbers and reader.gamma() == 1
    assert index.pack("") == "" and index.pack("000001") == "B" and index.pack("1") == "g"
    assert index.width(1) == 1 and index.width(2) == 1 and index.width(1024) == 10 and index.width(1025) == 11
    assert index.rice_parameter(1000, 1000) == 0 and index.rice_parameter(1000, 10) == 6


def test_postings_decode_to_every_position(model):
    found = records.make(model)
    built = index.postings(found)
    bigrams = {key: index.bigram_hits(v, len(found), built.lengths) for key, v in built.bigrams.items()}
    chars = {key: index.char_hits(v, len(found)) for key, v in built.unigrams.items()}
    expected_bigrams: dict = {}
    for record in found:
        text, ends = index.folded(record)
        assert built.lengths[record.number] == len(text) and built.ends[record.number] == ends
        for i in range(len(text) - 1):
            if fold.BREAK not in text[i : i + 2]:
                expected_bigrams.setdefault(text[i : i + 2], {}).setdefault(record.number, []).append(i)
        for char in set(text) - {fold.BREAK}:
            assert chars[char][record.number] == (index.field_at(ends, text.index(char)), text.count(char))
    assert bigrams == expected_bigrams
    assert sum(map(len, chars.values())) == sum(len(set(index.folded(r)[0]) - {fold.BREAK}) for r in found)


def test_shards_are_script_files_and_sized(built, parsed):
    meta = parsed["meta"]
    named = {f"search/{kind}/{i}.{tags[i * 6 : i * 6 + 6]}.js" for kind, tags in meta["f"].items()
             for i in range(len(tags) // 6) if tags[i * 6] != "~"}  # fmt: skip
    assert set(built) == {"search/meta.js"} | named  # each file named with its tag, as meta.js lists it
    for path, data in built.items():
        if path != "search/meta.js":
            assert path.split(".")[-2] == shards.tag(hashlib.sha256(data).digest())
    assert all(p.endswith(".js") for p in built)
    bigram = [n for n in parsed if n.startswith("b/")]
    assert len(bigram) <= meta["nb"] and meta["nb"] & (meta["nb"] - 1) == 0
    for name, value in parsed.items():
        if name.startswith(("b/", "u/")):
            kind, number = name.split("/")
            count = meta["nb"] if kind == "b" else meta["nu"]
            assert all(shards.shard_of(key, count) == int(number) for key in value)
    assert shards.shard_count(10) == 1 and shards.shard_count(10_000_000) == 1024


def test_same_model_same_bytes(model, built):
    assert files(model) == built
    offline = files(model, html_links=True)
    assert _read(offline["search/meta.js"])[1]["h"] == 1 and _read(built["search/meta.js"])[1]["h"] == 0


def test_ranking_on_the_sample(parsed):
    assert _search(parsed, "华东重型机床有限公司党委")[0] == "cases/banzu-weixuanjiang/"
    assert _search(parsed, "班组“微宣讲”让创新理论走进车间") == ["cases/banzu-weixuanjiang/"]
    assert _search(parsed, "微宣讲")[0] == "cases/banzu-weixuanjiang/"
    assert _search(parsed, "鹭岛心语")[0] == "cases/xiamenludaodianji-ludaoxinyuguanaiyizhan/"
    assert _search(parsed, "厦门 心语") == ["cases/xiamenludaodianji-ludaoxinyuguanaiyizhan/"]
    assert _search(parsed, "ＨＵＡＤＯＮＧ") == _search(parsed, "huadong")


def test_title_outranks_unit_outranks_body(parsed, model):
    # a word in one case's title and in other cases' bodies: the title's case comes first
    for case in model.cases:
        for word in re.split(r"[“”：，、\s]+", case.title):
            hits = _search(parsed, word) if len(word) >= 3 else []
            others = [c for c in model.cases if c is not case and word in c.title]
            if hits and not others:
                assert hits[0] == f"cases/{case.slug}/", word


def quoted_phrases(model) -> list[tuple[str, str]]:
    """(phrase, case URL) for every phrase in “…” in a published case's body, as the reader sees
    it (the rendered body's sentences; a quote may run over a sentence end)."""
    found = []
    for record in records.make(model):
        body = "\n".join(s for kind, s in record.parts if kind == records.BODY)
        found += [(q, record.url) for q in re.findall(r"“([^“”]+)”", body) if fold.fold(q).strip()]
    return found


def test_every_quoted_body_phrase_finds_its_case(parsed, model):
    phrases = quoted_phrases(model)
    assert len(phrases) > 150  # the sample's bodies quote a lot
    missing = [(q, url) for q, url in phrases if url not in _search(parsed, q)]
    assert missing == []


def test_unit_names_and_title_terms_find_their_case_first(parsed, model):
    for case in model.cases:
        url = f"cases/{case.slug}/"
        found = _search(parsed, case.unit)
        assert url in found and next(c for c in model.cases if f"cases/{c.slug}/" == found[0]).unit == case.unit
        assert _search(parsed, case.title)[0] == url
        for term in re.split(r"[“”‘’《》「」：:，,、；（）()!！？?\s—]+", case.title):
            if len(term) >= 2:
                found = _search(parsed, term)
                assert url in found, term
                if not any(term in c.title for c in model.cases if c is not case):
                    assert found[0] == url, term


@pytest.mark.parametrize("query", ["区块链", "人工智能", "华东重型机床区块链", "微宣讲 区块链", "立得住工棚"])
def test_absent_terms_find_nothing(parsed, query):
    assert _search(parsed, query) == []


def test_unpublished_titles_find_nothing(parsed):
    for title in (PRIVATE_TITLE, DRAFT_TITLE, WITHDRAWN_TITLE):
        assert _search(parsed, title) == []


def test_no_private_text_in_any_shard(collection, built):
    forbidden = views.forbidden(collection)
    assert PRIVATE_TITLE in forbidden.values
    assert verify.scan_blobs(built, forbidden) == []
    everything = b"".join(built.values()).decode("utf-8")
    for secret in (PRIVATE_TITLE, DRAFT_TITLE, WITHDRAWN_TITLE, *SECRET.values()):
        assert secret not in everything


def test_a_leak_into_a_shard_would_be_found(collection, built):
    forbidden = views.forbidden(collection)
    poisoned = dict(built)
    name = next(p for p in built if "/d/" in p)
    poisoned[name] = built[name].replace(b'"t":"', f'"t":"{PRIVATE_TITLE}'.encode())
    assert [f.file for f in verify.scan_blobs(poisoned, forbidden)] == [name]


def test_the_category_facet_is_named_as_the_campaign_names_it(parsed, tmp_path):
    import shutil

    from conftest import PROJECT

    assert parsed["meta"]["catName"] == "类别"
    root = tmp_path / "fujian"
    shutil.copytree(PROJECT / "examples" / "fujian-party-2021", root)
    fujian, _ = load(root)
    name, meta = _read(files(public_model.make(fujian))["search/meta.js"])
    assert name == "meta" and meta["catName"] == "领域"
