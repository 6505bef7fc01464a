"""Benchmark of the site's search: a generated collection (bench_site.generate: cases of ~4000
characters), built twice — with the site's own index and with Material's former lunr+jieba search
(builder.build(search="lunr"), kept for this comparison only) — then searched in headless Chromium.

    python benchmarks/bench_search.py [--cases 1000 10000] [--queries 10] [--photos 1] [--work DIR] [--no-lunr | --lunr-only]
                                      [--lunr-queries 3] [--lunr-timeout 60] [--reuse]

Prints per size and engine: index size on disk (raw, gzip, files), bytes loaded by the page for one
query, time from filling the box to the result count (each query in a fresh page: nothing cached),
recall (the expected case among the results shown; for body phrases, which occur in many generated
cases, among all hits of the script's search function) and precision (the expected case first, unit
and title queries), and results for absent terms (should be 0), overall and per kind. lunr takes
20–30 s a query, so it is asked only --lunr-queries cases (units and titles, no phrases) with a time
limit each; its worker loads the whole index, a request the page does not see, so its bytes are the
index file's size. --reuse measures sites built before (no build time); --photos 0 for 10 000 cases.

Measured on the shared 2-core machine (1 Dec 2026, load average 6–9 from other jobs: times are
inflated; 10 cases × unit, title number and an 8–14 character body phrase, plus 3 absent terms):

  1000 cases       index                           loaded per query     first result
                                                   (median / max)       (median / max)
  before (varints) 32.4 MB, 17.3 gzip, 2153 files  228 / 335 KB         0.30 / 0.47 s
  after (bits)     25.6 MB, 15.8 gzip, 2153 files  187 / 328 KB         0.29 / 0.43 s
  lunr+jieba       48.3 MB, 8.1 gzip, 1 file        47.2 MB (all)        23.4 / 28.7 s (7 queries)

  per kind, before → after: unit 250 → 200 KB, title number 117 → 82 KB, phrase 298 → 237 KB.
  Own index, before and after: recall 10/10 units, 10/10 titles, 10/10 phrases; expected case first
  20/20; absent terms 0, 0, 0 results. lunr: recall 2/2 units, 0/2 titles (基准案例第N号 matches all
  1000, the case is not among those shown), expected case first 0/4, absent terms 32, 74 and 0 results.
  Building the index (in process, CPU, records made beforehand): 19.0 s before, 10.9 s after.

  (lunr's row was measured while the 10 000 build below ran; before it, about 20 s to the first result.)

10 000 cases (--photos 0, own index only, one run: 27 min for generating, building and searching;
the site build 1493 s under that load, peak memory 2.3 GB): index 252.8 MB (153.5 MB gzip) in 14 515
files, meta.js 134 KB; a query loads median 480 KB, max 1275 KB (unit queries median 906 KB: a single
key's postings grow with the collection, 公司 is 529 KB and 职工 1.2 MB here); first result median
0.43 s (max 0.68 s); recall 10/10 units, 10/10 titles, 10/10 phrases; expected case first 20/20;
absent terms 0, 0, 0 results.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import random
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))
sys.path.insert(0, str(PROJECT / "benchmarks"))

from bench_site import generate  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
LUNR = r"""
import sys
from pathlib import Path
from casebook.inputs.loader import load
from casebook.outputs.site import builder
collection, _ = load(Path(sys.argv[1]))
builder.build(collection, Path(sys.argv[2]), search="lunr")
"""
ABSENT = ["区块链", "人工智能", "量子计算"]
LUNR_SETTLE = 3.0


def _build(root: Path, out: Path, lunr: bool) -> float:
    started = time.perf_counter()
    if lunr:
        command = [sys.executable, "-c", LUNR, str(root), str(out)]
    else:
        command = [sys.executable, str(PROJECT / "build.py"), "--root", str(root), "site", "--out", str(out)]
    subprocess.run(command, check=True, capture_output=True, cwd=PROJECT)
    return time.perf_counter() - started


def _size(folder: Path) -> tuple[int, int]:
    raw = packed = 0
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            raw += len(data)
            packed += len(gzip.compress(data, 6))
    return raw, packed


def _queries(root: Path, count: int) -> list[tuple[str, str, str]]:
    """(kind, query, expected case folder name) for the unit, the title's number and a body phrase
    (8–14 characters of one sentence) of ``count`` random cases."""
    rng = random.Random(7)
    folders = sorted((root / "cases").glob("*/*/index.md"))
    chosen = rng.sample(folders, min(count, len(folders)))
    result = []
    for index_md in chosen:
        text = index_md.read_text(encoding="utf-8")
        slug_hint = index_md.parent.name
        unit = re.search(r"^unit: (.+)$", text, re.M).group(1)
        title = re.search(r"^title: (.+)$", text, re.M).group(1)
        number = re.search(r"基准案例第(\d+)号", title).group(0)
        body = text.split("\n---\n", 1)[1]
        sentences = [s for s in re.split(r"[。！？；\n]", body) if len(s) >= 16 and not s.startswith(("#", "!"))]
        sentence = rng.choice(sentences)
        start = rng.randrange(len(sentence) - 14)
        phrase = sentence[start : start + rng.randint(8, 14)]
        result += [("unit", unit, slug_hint), ("title", number, slug_hint), ("phrase", phrase, slug_hint)]
    return result


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def _serve(folder: Path):
    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def _docs(site: Path) -> list[str]:
    """Case folder number of every case of the own index, by the index's case number (d/<n>.js)."""
    folder = next(p for p in (site / "search").iterdir() if p.is_dir())
    numbers = {}
    for path in (folder / "d").glob("*.js"):
        page = re.search(r'"u":"cases/([^/"]+)/"', path.read_text(encoding="utf-8")).group(1)
        numbers[int(path.stem)] = page
    return [numbers[n] for n in range(len(numbers))]


def _measure(site: Path, lunr: bool, queries: list, number_of: dict, timeout_s: float) -> dict:
    """Each query in a fresh page (nothing cached): the time from filling the box to the result count,
    the bytes of /search/ responses, recall (the expected case among the results shown: for unit and
    title queries; for phrases among all hits of the own index's search function, as phrases occur in
    many generated cases) and precision (the expected case first, units and titles). A lunr query
    that shows nothing within ``timeout_s`` counts as timed out."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    server, base = _serve(site)
    order = [] if lunr else _docs(site)
    times, loaded, absent, timed_out = [], [], [], []
    by_kind: dict[str, list[float]] = {}
    loaded_by_kind: dict[str, list[int]] = {}
    recall = {"unit": 0, "title": 0, "phrase": 0}
    asked = {"unit": 0, "title": 0, "phrase": 0}
    precision = 0
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
            )
            for kind, query, expected in [*queries, *(("absent", q, "") for q in ABSENT)]:
                page = browser.new_page()
                page.goto(base)
                page.wait_for_load_state("networkidle")
                sizes: list[int] = []

                def record(response, sizes=sizes):
                    if "/search/" in response.url:
                        try:
                            sizes.append(len(response.body()))
                        except Exception:  # a response still streaming when the page closes
                            pass

                page.on("response", record)
                try:
                    if lunr:
                        box = page.locator("input.md-search__input")
                        box.click()
                        started = time.perf_counter()
                        box.fill(query)
                        # the worker loads the whole index (a request the page does not see), then
                        # "没有找到" shows for a moment before the results: wait for results, and take
                        # 没有找到 as final when nothing follows within LUNR_SETTLE seconds
                        page.wait_for_function(
                            "() => /符合条件/.test(document.querySelector('.md-search-result__meta').textContent)",
                            timeout=timeout_s * 1000,
                        )
                        ready = time.perf_counter()
                        try:
                            page.wait_for_function(
                                "() => /个符合条件/.test(document.querySelector('.md-search-result__meta').textContent)",
                                timeout=LUNR_SETTLE * 1000,
                            )
                        except PlaywrightTimeout:
                            started += time.perf_counter() - ready  # the time to 没有找到, not the wait after it
                        sizes.append((site / "search" / "search_index.json").stat().st_size)
                        links = ".md-search-result__link"
                    else:
                        page.locator(".cbs-open").click()
                        started = time.perf_counter()
                        page.fill("#cbs-input", query)
                        page.wait_for_function(
                            "() => /找到|没有找到/.test(document.querySelector('#cbs-status').textContent)",
                            timeout=timeout_s * 1000,
                        )
                        links = ".cbs__link"
                except PlaywrightTimeout:
                    timed_out.append(query)
                    page.close()
                    continue
                times.append(time.perf_counter() - started)
                by_kind.setdefault(kind, []).append(time.perf_counter() - started)
                page.wait_for_timeout(50)
                hrefs = page.locator(links).evaluate_all("els => els.map(e => e.getAttribute('href'))")
                found = [number_of.get(re.sub(r"^.*cases/([^/#]+)/.*$", r"\1", h)) for h in hrefs]
                loaded.append(sum(sizes))
                loaded_by_kind.setdefault(kind, []).append(sum(sizes))
                if kind == "absent":
                    absent.append(len(hrefs))
                    page.close()
                    continue
                asked[kind] += 1
                if kind == "phrase" and not lunr:
                    docs = page.evaluate(
                        "q => window.casebookSearch.search(q).then(r => r.hits.map(h => h.doc))", query
                    )
                    found = [number_of.get(order[d]) for d in docs]
                recall[kind] += expected in found
                if kind != "phrase":
                    precision += bool(found) and found[0] == expected
                page.close()
            browser.close()
    finally:
        server.shutdown()
    times.sort()
    return {
        "queries_measured": len(times),
        "timed_out": timed_out,
        "median_s": round(times[len(times) // 2], 3) if times else None,
        "max_s": round(times[-1], 3) if times else None,
        "loaded_kb_median": round(sorted(loaded)[len(loaded) // 2] / 1024, 1) if loaded else None,
        "loaded_kb_max": round(max(loaded) / 1024, 1) if loaded else None,
        "by_kind": {
            k: {
                "median_s": round(sorted(v)[len(v) // 2], 3),
                "max_s": round(max(v), 3),
                "loaded_kb_median": round(sorted(loaded_by_kind[k])[len(v) // 2] / 1024, 1),
                "loaded_kb_max": round(max(loaded_by_kind[k]) / 1024, 1),
            }
            for k, v in by_kind.items()
        },  # fmt: skip
        "recall": {k: f"{recall[k]}/{asked[k]}" for k in asked if asked[k]},
        "precision_at_1": f"{precision}/{asked['unit'] + asked['title']}",
        "absent_results": absent,
    }


def _slugs(site: Path) -> dict:
    """case slug on the site → case folder name (the generated names carry the case number)."""
    result = {}
    for page in (site / "cases").iterdir():
        html = (page / "index.html").read_text(encoding="utf-8")
        found = re.search(r"基准案例第(\d+)号", html)
        if found:
            result[page.name] = found.group(1)
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, nargs="+", default=[1000])
    parser.add_argument("--queries", type=int, default=10, help="cases whose unit, title and a phrase are asked")
    parser.add_argument("--photos", type=int, default=1, help="photos per generated case (0 for 10 000 cases)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/casebook-bench-search"))
    parser.add_argument("--no-lunr", action="store_true")
    parser.add_argument("--lunr-only", action="store_true")
    parser.add_argument("--lunr-queries", type=int, default=3, help="cases asked of lunr (each query takes seconds)")
    parser.add_argument(
        "--lunr-timeout", type=float, default=60, help="seconds per lunr query before it counts as timed out"
    )
    parser.add_argument("--reuse", action="store_true", help="measure the sites an earlier run built (no build time)")
    args = parser.parse_args()  # fmt: skip
    for count in args.cases:
        root = args.work / str(count) / "collection"
        if not (root / "cases").is_dir():
            shutil.rmtree(root, ignore_errors=True)
            root.mkdir(parents=True)
            generate(root, count, args.photos)
        queries = [(k, q, re.search(r"基准案例(\d+)$", e).group(1)) for k, q, e in _queries(root, args.queries)]
        for lunr in [False] if args.no_lunr else [True] if args.lunr_only else [False, True]:
            name = "lunr+jieba" if lunr else "casebook"
            out = args.work / str(count) / ("site-lunr" if lunr else "site")
            seconds = None if args.reuse and out.is_dir() else _build(root, out, lunr)
            raw, packed = _size(out / "search")
            files = sum(1 for p in (out / "search").rglob("*") if p.is_file())
            numbers = _slugs(out)
            asked = [q for q in queries if q[0] != "phrase"][: 2 * args.lunr_queries] if lunr else queries
            figures = _measure(out, lunr, asked, numbers, args.lunr_timeout if lunr else 30)
            print(json.dumps({"cases": count, "search": name, "build_s": seconds and round(seconds, 1),
                              "index_mb": round(raw / 1e6, 2), "index_gzip_mb": round(packed / 1e6, 2),
                              "index_files": files, **figures}, ensure_ascii=False), flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
