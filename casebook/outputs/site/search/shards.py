"""The index files in the docs tree, all script files (a page loads them with <script>, which works
from file:// where fetch does not):

    search/meta.js               shard counts, facet names, each file's tag (f), and per case (one
                                 packed bit string, see index.py): field ends, length, facets, award
    search/b/<k>.<t>.js          bigram postings, shard k = FNV-1a(code points) mod nb
    search/u/<k>.<t>.js          single-character postings, shard k = FNV-1a mod nu
    search/d/<n>.<t>.js          case n's url, title, unit, facts and sentences (snippets, display):
                                 p = [summary sentences, body sentences, other facts]

<t> is the file's tag, the first TAG base-64 digits of its content's SHA-256, listed in meta.js
(``f``: per kind one string of fixed-width tags, ABSENT for a shard without keys): a browser never
mixes a cached file with a new meta.js, and a file whose bytes did not change keeps its name, so an
edit renames only the few files it changed (a version folder for all of them moved every file).
Every file is deterministic: same public model, same bytes. search/incremental.py keeps the files
and digests of the last build and reserialises only the shards whose keys changed (read_shard reads
one back), then calls ``finish`` as ``assemble`` does."""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass

from casebook.outputs.site.public_model import SiteModel
from casebook.outputs.site.sanitize import Renderer
from casebook.outputs.site.search import index, records
from casebook.outputs.site.search.records import Record

INDEX_DIR = "search"
TARGET_SHARD = 12_000  # bytes of postings per shard, at most on average (a query loads one per bigram)
MAX_SHARDS = 4096
GLOBAL = "casebookSearch"
TAG = 6  # base-64 digits of a file's hash in its name: 36 bits, 13 KB of meta.js at 1000 cases
ABSENT = "~" * TAG  # a shard no key falls into: no file (the reader takes it as empty)


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


def shard_js(name: str, data: dict[str, str]) -> bytes:
    """_js of a shard, faster: the values are base-64 digits (nothing to escape), the keys few."""
    body = ",".join([f'{json.dumps(key, ensure_ascii=False)}:"{data[key]}"' for key in sorted(data)])
    return f"{GLOBAL}.add({json.dumps(name)},{{{body}}});\n".encode()


def read_shard(name: str, data: bytes) -> dict[str, str]:
    """A shard file's keys and postings back (search/incremental.py keeps the files, not the keys)."""
    head = f"{GLOBAL}.add({json.dumps(name)},".encode()
    if not data.startswith(head) or not data.endswith(b");\n"):
        raise ValueError(f"not the shard {name}")
    return json.loads(data[len(head) : -3])


def size(key: str, postings: str) -> int:
    """What a key adds to its kind's total, which sets the shard count."""
    return len(key.encode()) + len(postings) + 6


def _sharded(joined: dict[str, str], prefix: str) -> tuple[int, dict[str, dict[str, str]]]:
    count = shard_count(sum(size(k, v) for k, v in joined.items()))
    return count, split(joined, prefix, count)


def split(joined: dict[str, str], prefix: str, count: int) -> dict[str, dict[str, str]]:
    """Shard name → its keys (in order) and postings."""
    shards: dict[str, dict[str, str]] = {}
    for key in sorted(joined):
        shards.setdefault(f"{prefix}/{shard_of(key, count)}", {})[key] = joined[key]
    return shards


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


def digest(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def tag(file_digest: bytes) -> str:
    return base64.urlsafe_b64encode(file_digest)[:TAG].decode()


def _tags(digests: dict[str, bytes], kind: str, count: int) -> str:
    """The tags of files <kind>/0 … <kind>/count-1, in one string."""
    found = (digests.get(f"{kind}/{i}.js") for i in range(count))
    return "".join(tag(d) if d is not None else ABSENT for d in found)


def files(model: SiteModel, renderer: Renderer | None = None, html_links: bool = False) -> dict[str, bytes]:
    """Every index file, by docs-relative path. ``html_links``: the site links pages as .../index.html
    (the offline site), so the script appends it to case URLs."""
    found = records.make(model, renderer)
    postings = index.postings(found)
    return assemble(model, found, postings, html_links)


def assemble(model: SiteModel, found: list[Record], postings, html_links: bool) -> dict[str, bytes]:
    """The files from the records and their postings (an index.Postings: ``bigrams``, ``unigrams``,
    ``lengths``, ``ends``)."""
    nb, nu, groups = sharded(postings)
    content = {f"{name}.js": shard_js(name, data) for name, data in groups.items()}
    content.update({f"d/{r.number}.js": doc_file(r) for r in found})
    digests = {name: digest(data) for name, data in content.items()}
    return finish(model, found, Layout(nb, nu, postings.lengths, postings.ends), content, digests, html_links)


def sharded(postings) -> tuple[int, int, dict[str, dict[str, str]]]:
    """The bigram and unigram shard counts, and each shard's keys and postings by its name."""
    nb, bigram_shards = _sharded(postings.bigrams, "b")
    nu, unigram_shards = _sharded(postings.unigrams, "u")
    return nb, nu, {**bigram_shards, **unigram_shards}


@dataclass
class Layout:
    """What meta.js says besides the model: the shard counts and each record's length and field ends."""

    nb: int
    nu: int
    lengths: list[int]
    ends: list[list[int]]


def finish(
    model: SiteModel, found: list[Record], layout: Layout, content: dict, digests: dict, html_links: bool
) -> dict[str, bytes]:
    """meta.js and the ``content`` files (shards and d/<n>.js by name, with their ``digests``), each
    named with its tag."""
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
    meta = {
        "f": {kind: _tags(digests, kind, n) for kind, n in (("b", layout.nb), ("u", layout.nu), ("d", len(found)))},
        "h": 1 if html_links else 0,
        "nb": layout.nb,
        "nu": layout.nu,
        "n": len(found),
        "cats": categories,
        "catName": model.category_term,  # 类别, or 领域 where the campaign says so
        "years": years,
        "themes": themes,
        "docs": _docs(layout.lengths, layout.ends, rows),
    }
    result = {f"{INDEX_DIR}/meta.js": _js("meta", meta)}
    result.update({f"{INDEX_DIR}/{name[:-3]}.{tag(digests[name])}.js": content[name] for name in sorted(content)})
    return result
