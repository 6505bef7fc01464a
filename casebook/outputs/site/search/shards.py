"""The index files in the docs tree, all script files (a page loads them with <script>, which works
from file:// where fetch does not):

    search/meta.js               version, shard counts, facet names, and per case (one packed bit
                                 string, see index.py): field ends, length, facets, award
    search/<v>/b/<k>.js          bigram postings, shard k = FNV-1a(code points) mod nb
    search/<v>/u/<k>.js          single-character postings, shard k = FNV-1a mod nu
    search/<v>/d/<n>.js          case n's url, title, unit, facts and sentences (snippets, display):
                                 p = [summary sentences, body sentences, other facts]

<v> is a hash of the content, so a browser never mixes a cached shard with a new meta.js. Every
file is deterministic: same public model, same bytes."""

from __future__ import annotations

import hashlib
import json

from casebook.outputs.site.public_model import SiteModel
from casebook.outputs.site.sanitize import Renderer
from casebook.outputs.site.search import index, records
from casebook.outputs.site.search.records import Record

INDEX_DIR = "search"
TARGET_SHARD = 12_000  # bytes of postings per shard, at most on average (a query loads one per bigram)
MAX_SHARDS = 4096
GLOBAL = "casebookSearch"


def shard_of(key: str, count: int) -> int:
    h = 0x811C9DC5
    for char in key:
        h = ((h ^ ord(char)) * 0x01000193) & 0xFFFFFFFF
    return h % count


def shard_count(total: int) -> int:
    count = 1
    while count < MAX_SHARDS and total / count > TARGET_SHARD:
        count *= 2
    return count


def _js(name: str, data: object) -> bytes:
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return f"{GLOBAL}.add({json.dumps(name)},{payload});\n".encode()


def _shard_js(name: str, data: dict[str, str]) -> bytes:
    """_js of a shard, faster: the values are base-64 digits (nothing to escape), the keys few."""
    body = ",".join([f'{json.dumps(key, ensure_ascii=False)}:"{data[key]}"' for key in sorted(data)])
    return f"{GLOBAL}.add({json.dumps(name)},{{{body}}});\n".encode()


def _sharded(joined: dict[str, str], prefix: str) -> tuple[int, dict[str, dict[str, str]]]:
    count = shard_count(sum(len(k.encode()) + len(v) + 6 for k, v in joined.items()))
    shards: dict[str, dict[str, str]] = {}
    for key in sorted(joined):
        shards.setdefault(f"{prefix}/{shard_of(key, count)}", {})[key] = joined[key]
    return count, shards


def _doc(record: Record) -> dict:
    return {
        "u": record.url,
        "t": record.title,
        "n": record.unit,
        "c": record.category,
        "y": record.year,
        "a": record.award,
        "p": [[s for kind, s in record.parts if kind == f] for f in (records.SUMMARY, records.BODY, records.OTHER)],
    }


def _docs(lengths: list[int], all_ends: list[list[int]], rows: list[tuple[int, int, int, list[int]]]) -> str:
    """Per case: γ(e+1) of the four field ends and the length as differences, γ(category+1),
    γ(year+1), one bit award, γ(themes+1) and γ(theme+1) each; one packed bit string."""
    gamma = index.gamma
    bits = []
    for ends, length, (category, year, award, themes) in zip(all_ends, lengths, rows, strict=True):
        previous = 0
        for end in [*ends, length]:
            bits.append(gamma(end - previous + 1))
            previous = end
        bits += [gamma(category + 1), gamma(year + 1), "1" if award else "0", gamma(len(themes) + 1)]
        bits += [gamma(t + 1) for t in themes]
    return index.pack("".join(bits))


def doc_file(record: Record) -> bytes:
    return _js(f"d/{record.number}", _doc(record))


def files(model: SiteModel, renderer: Renderer | None = None, html_links: bool = False) -> dict[str, bytes]:
    """Every index file, by docs-relative path. ``html_links``: the site links pages as .../index.html
    (the offline site), so the script appends it to case URLs."""
    found = records.make(model, renderer)
    postings = index.postings(found)
    return assemble(model, found, postings, html_links)


def assemble(model: SiteModel, found: list[Record], postings, html_links: bool, doc=doc_file) -> dict[str, bytes]:
    """The files from the records and their postings (``bigrams``, ``unigrams``, ``lengths``,
    ``ends``: an index.Postings or the same from incremental.py); ``doc``: a record's d/<n>.js."""
    nb, bigram_shards = _sharded(postings.bigrams, "b")
    nu, unigram_shards = _sharded(postings.unigrams, "u")
    categories = sorted({r.category for r in found}, key=[g.name for g in model.categories].index)
    years = [g.name for g in model.years]
    themes = [g.name for g in model.themes]
    rows = [
        (
            categories.index(r.category),
            years.index(str(r.year)),
            1 if r.award else 0,
            [themes.index(t) for t in r.themes if t in themes],
        )
        for r in found
    ]
    content: dict[str, bytes] = {}
    for name, data in sorted({**bigram_shards, **unigram_shards}.items()):
        content[f"{name}.js"] = _shard_js(name, data)
    for r in found:
        content[f"d/{r.number}.js"] = doc(r)
    digest = hashlib.sha256()
    for name in sorted(content):
        digest.update(name.encode() + b"\0" + content[name])
    version = digest.hexdigest()[:12]
    meta = {
        "v": version,
        "h": 1 if html_links else 0,
        "nb": nb,
        "nu": nu,
        "n": len(found),
        "cats": categories,
        "catName": model.category_term,  # 类别, or 领域 where the campaign says so
        "years": years,
        "themes": themes,
        "docs": _docs(postings.lengths, postings.ends, rows),
    }
    result = {f"{INDEX_DIR}/meta.js": _js("meta", meta)}
    result.update({f"{INDEX_DIR}/{version}/{name}": data for name, data in content.items()})
    return result
