"""Benchmark of the site's search: a generated collection (bench_site.generate: cases of ~4000
characters), built twice — with the site's own index and with Material's former lunr+jieba search
(builder.build(search="lunr"), kept for this comparison only) — then searched in headless Chromium.

    python benchmarks/bench_search.py [--cases 1000 10000] [--queries 20] [--work /tmp/casebook-bench-search] [--no-lunr]

Prints per size and engine: index size on disk (raw, gzip), bytes loaded by the page for one query,
time from the last keystroke to the first result, recall (the expected case among the results) and
precision (the expected case first) over unit, title and body-phrase queries, and results for absent
terms (should be 0).

Measured on the 2-core machine (1 Dec 2026, other jobs running; 1000 cases, 20 unit and title
queries): own index 32.4 MB on disk (17.3 MB gzip) in 2153 files, a query loads median 138 KB
(max 268 KB), first result median 0.31 s (max 0.60 s) after the last keystroke, recall 20/20,
expected case first 20/20, absent terms 0 results. The lunr+jieba run was cut short; the issue's
figures for it on the same kind of tree: 45 MB index, first result 9–12 s.
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
    """(kind, query, expected case folder name) for units, titles and body phrases of random cases."""
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
        result += [("unit", unit, slug_hint), ("title", number, slug_hint)]
    return result


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def _serve(folder: Path):
    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def _measure(site: Path, lunr: bool, queries: list, number_of: dict) -> dict:
    from playwright.sync_api import sync_playwright

    server, base = _serve(site)
    times, loaded, recall, precision, absent = [], [], 0, 0, []
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
                        sizes.append(len(response.body()))

                page.on("response", record)
                if lunr:
                    box = page.locator("input.md-search__input")
                    box.click()
                    started = time.perf_counter()
                    box.fill(query)
                    page.wait_for_function(
                        "() => /符合条件|没有找到/.test(document.querySelector('.md-search-result__meta').textContent)",
                        timeout=120_000,
                    )
                    links = ".md-search-result__link"
                else:
                    page.locator(".cbs-open").click()
                    started = time.perf_counter()
                    page.fill("#cbs-input", query)
                    page.wait_for_function(
                        "() => /找到|没有找到/.test(document.querySelector('#cbs-status').textContent)"
                    )
                    links = ".cbs__link"
                times.append(time.perf_counter() - started)
                page.wait_for_timeout(50)
                hrefs = page.locator(links).evaluate_all("els => els.map(e => e.getAttribute('href'))")
                found = [number_of.get(re.sub(r"^.*cases/([^/#]+)/.*$", r"\1", h)) for h in hrefs]
                loaded.append(sum(sizes))
                if kind == "absent":
                    absent.append(len(hrefs))
                else:
                    recall += expected in found
                    precision += bool(found) and found[0] == expected
                page.close()
            browser.close()
    finally:
        server.shutdown()
    n = len(queries)
    times.sort()
    return {
        "median_s": round(times[len(times) // 2], 3),
        "max_s": round(times[-1], 3),
        "loaded_kb_median": round(sorted(loaded)[len(loaded) // 2] / 1024, 1),
        "loaded_kb_max": round(max(loaded) / 1024, 1),
        "recall": f"{recall}/{n}",
        "precision_at_1": f"{precision}/{n}",
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
    parser.add_argument("--queries", type=int, default=10)
    parser.add_argument("--work", type=Path, default=Path("/tmp/casebook-bench-search"))
    parser.add_argument("--no-lunr", action="store_true")
    args = parser.parse_args()
    for count in args.cases:
        root = args.work / str(count) / "collection"
        if not (root / "cases").is_dir():
            shutil.rmtree(root, ignore_errors=True)
            root.mkdir(parents=True)
            generate(root, count, 1)
        queries = [(k, q, re.search(r"基准案例(\d+)$", e).group(1)) for k, q, e in _queries(root, args.queries)]
        for lunr in [False] if args.no_lunr else [False, True]:
            name = "lunr+jieba" if lunr else "casebook"
            out = args.work / str(count) / ("site-lunr" if lunr else "site")
            seconds = _build(root, out, lunr)
            raw, packed = _size(out / "search")
            numbers = _slugs(out)
            figures = _measure(out, lunr, queries, numbers)
            print(json.dumps({"cases": count, "search": name, "build_s": round(seconds, 1),
                              "index_mb": round(raw / 1e6, 2), "index_gzip_mb": round(packed / 1e6, 2), **figures},
                             ensure_ascii=False), flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
