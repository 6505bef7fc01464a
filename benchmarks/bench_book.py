"""Benchmark of the printed anthology: a generated 100-case volume, once text only and once with
250 photos (4000×3000 JPEG), built as DOCX and PDF, beside pandoc converting the same Markdown with
the same reference document.

    python benchmarks/bench_book.py [--cases 100] [--photos 250] [--work /tmp/casebook-bench] [--no-pdf]

Each measurement runs in a fresh subprocess so that peak memory (ru_maxrss) is its own. Targets
(issue 4): text only, DOCX time ≤ 1.0× pandoc's; with photos ≤ 0.3× pandoc's; peak memory ≤ 300 MB.

Measured on the 2-core development machine (Debian pandoc 2.17, LibreOffice 7.4), 2026-11-25:
  text only:  DOCX 0.53 s vs pandoc 0.86 s (0.61×); PDF 8.2 s for 820 pages; peak 114 MB
  250 photos: DOCX 5.3 s cold (1.1 s with the photo cache) vs pandoc 324 s (0.02×); PDF 19.5 s for
              1020 pages; peak 197 MB (photo workers 133 MB each at most; pandoc 710 MB);
              DOCX 82 MB (pandoc 243 MB: it embeds the originals)
After the pipeline work (1 Dec 2026, --no-pandoc, before = 4971a71 → after): text DOCX 0.50–0.78 s →
  0.69–0.89 s in the benchmark's child (noise: in-process, warm, 0.54–0.79 s → 0.47–0.55 s), PDF 12.2 → 13.0 s;
  250 photos: DOCX cold 7.6 → 9.9 s and reading the collection 0.28 → 4.8 s (check decodes every photo fully
  once, then caches the verdict), DOCX with the photo cache 1.51 → 1.04 s, PDF 25.6 → 22.5 s, peak 207 → 205 MB
After the book work of issue 9 (1 Dec 2026, 20:25–20:51, the machine shared, load 3–8 on 2 cores, so
wall times are 1.5–3× the quiet ones; each version in a fresh process, runs alternated; before =
b27d536, the volume without issue 9; head = d470e22, titles by jieba with its dictionary from our
marshal cache; after = this version). DOCX of the text-only volume, build and save after loading,
two batches of 6–8 runs:
  CPU (process time) min before 0.60 s, head 1.10–1.27 s, after 0.60–0.64 s; median before
  0.71–0.78 s, head 1.50–1.72 s, after 0.84–0.97 s. This script's docx_s (wall, median of 8):
  before 1.49 s, head 2.74 s, after 1.75 s; as printed by one full run: 1.35 s (2.06 s in another).
  With the photo cache (250 photos): CPU median before 1.50 s, head 2.24 s, after 1.54 s.
  What head spent: `import jieba` 0.37 s (0.31 s of it pkg_resources, which jieba imports only to open
  its dictionary: titles._import_jieba hides it, 0.03 s left) and the dictionary 0.3–0.6 s (marshal
  of 498 000 entries): jieba's cuts of every text set are now kept beside that cache (titles.keep_cuts),
  so a rebuild of known titles imports no jieba at all; a volume of new titles pays the dictionary
  once (line "标题都是新的": +0.2–0.3 s). Also: a header part per case made without python-docx's
  walk over every part and relationship (same part names, rIds and bytes), titles' pinyin read only
  where order and unit tie, word breaks memoised per text. The text-only volume holds about 15 %
  more than before (编委会, 前言 and 篇 rows in the 目录, 单位索引, a section and a running head per
  case: 100 more parts): what is left of the difference at the median; with photos the two are level.
  PDF cost of tagging (structure tree, /Lang, alt text; the faster of two alternated conversions
  each, line "PDF 标签的代价"): text-only, 847 pages: 27.7 s tagged vs 24.0 s untagged (+3.7 s,
  +15 %), 11.6 MB vs 2.2 MB; 250 photos, 1027 pages, one conversion each under load 7: 94.1 MB vs
  84.3 MB (times not comparable in that run).
Fourth session (1 Dec 2026, idle machine, three runs each, alternated, --no-pdf --no-pandoc --photos 0): text-only
  DOCX before the book work (b27d536) 0.78 / 0.81 / 1.10 s, this version 0.51 / 0.58 / 0.82 s (inline patterns
  searched only where their characters occur, runs written as XML text; the same bytes as before the change).
Seventh session (2 Dec 2026, children alternated, 4971a71 → this version): with 250 photos, cold, 6.3 / 6.5 s
  → 5.8 / 6.5 s (12.3 / 11.9 s before photos were turned upright in place, without copies); with the photo
  cache 1.11 / 1.76 s → 0.94 / 1.55 s; text only 0.59 / 0.55 / 0.97 s → 0.53 / 0.42 / 0.72 s (the child
  now reads the pinyin memo as the command does).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))


def _child(kind: str, root: Path, out: Path) -> dict:
    """Runs inside the subprocess: one measurement, reported as JSON."""
    from casebook.inputs.loader import load
    from casebook.outputs.book import docx_writer, package, pdf, styles
    from casebook.publish import views
    from casebook.util import pinyin

    pinyin.use_store(root / ".cache")  # as pipeline.load does: the readings of the last build's names
    started = time.perf_counter()
    collection, report = load(root)
    assert collection is not None and not report.errors, [d.format() for d in report.errors[:5]]
    loaded = time.perf_counter()
    result: dict = {"load_s": loaded - started}
    target = out / f"{kind}.docx"
    if kind in ("docx", "docx-warm", "docx-new-titles"):
        cache = out / "photo-cache" if kind == "docx-warm" else None
        document = styles.load_reference(root)
        volume = docx_writer.build(document, views.internal(collection), 2024, "internal", cache)
        package.save(document, target, title="bench", author="bench", year=2024, fragments=volume.fragments)
        result["docx_s"] = time.perf_counter() - loaded
        result["size_mb"] = target.stat().st_size / 1e6
    elif kind in ("pdf", "pdf-untagged"):  # tagged as the book is, or without tags: what they cost
        source, target = out / "docx.docx", out / f"{kind}.pdf"
        begin = time.perf_counter()
        pdf.convert(source, target, tagged=kind == "pdf")
        result["pdf_s"] = time.perf_counter() - begin
        result["pages"] = int(
            subprocess.run(["pdfinfo", str(target)], capture_output=True, text=True)
            .stdout.split("Pages:")[1]
            .split()[0]
        )
        result["pdf_mb"] = target.stat().st_size / 1e6
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result["workers_peak_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return result


def measure(kind: str, root: Path, out: Path) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--child", kind, "--root", str(root), "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
        env=_new_titles_env(out) if kind == "docx-new-titles" else None,
    )
    if done.returncode != 0:
        raise SystemExit(f"{kind} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _new_titles_env(out: Path) -> dict:
    """A temporary folder holding jieba's dictionary cache (casebook's titles._tokenizer) but not the
    cuts of titles already set: the child breaks every title as new, loading jieba's dictionary."""
    folder = out / "tmp-new-titles"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    for cache in Path(tempfile.gettempdir()).glob("casebook-jieba-*.marshal"):
        if not cache.name.startswith("casebook-jieba-cuts-"):
            shutil.copy2(cache, folder / cache.name)
    return dict(os.environ, TMPDIR=str(folder))


def pandoc_markdown(root: Path, target: Path) -> None:
    """The same cases as one Markdown file, photo links made absolute."""
    from casebook.inputs.loader import load
    from casebook.publish import views

    collection, _ = load(root)
    chunks = []
    for case in views.internal(collection).cases:
        body = case.body
        for photo in case.photos:
            body = body.replace(f"]({photo.file})", f"]({photo.path})")
        chunks.append(f"# {case.title}\n\n{case.unit}\n\n{body}\n")
    target.write_text("\n".join(chunks), encoding="utf-8")


def measure_pandoc(root: Path, out: Path) -> dict | None:
    program = shutil.which("pandoc")
    if program is None:
        return None
    source = out / "pandoc.md"
    pandoc_markdown(root, source)
    command = [
        "/usr/bin/time",
        "-f",
        "%M",
        program,
        str(source),
        "-f",
        "markdown",
        "-o",
        str(out / "pandoc.docx"),
        f"--reference-doc={PROJECT / 'theme' / 'reference.docx'}",
    ]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    peak = float(done.stderr.strip().splitlines()[-1]) / 1024 if done.returncode == 0 else float("nan")
    return {"docx_s": seconds, "peak_mb": peak, "size_mb": (out / "pandoc.docx").stat().st_size / 1e6}


def make_collection(work: Path, cases: int, photos: int) -> Path:
    from casebook.outputs.book import synth

    root = work / f"c{cases}-p{photos}"
    marker = root / ".complete"
    if not marker.exists():
        if root.exists():
            shutil.rmtree(root)
        print(f"生成测试合集 {root.name}（{cases} 个案例，{photos} 张 4000×3000 照片）……", flush=True)
        synth.make(root, cases, photos, chars=4000, photo_size=(4000, 3000))
        marker.write_text("ok")
    return root


def row(label: str, ours: dict, pandoc: dict | None, pdf: dict | None, target: float) -> str:
    ratio = f"{ours['docx_s'] / pandoc['docx_s']:.2f}×" if pandoc else "—"
    verdict = ("达标" if ours["docx_s"] <= target * pandoc["docx_s"] else "未达标") if pandoc else "无 pandoc"
    pandoc_s = f"{pandoc['docx_s']:.2f} s" if pandoc else "—"
    pdf_s = f"{pdf['pdf_s']:.1f} s（{pdf['pages']} 页）" if pdf else "—"
    memory = max(ours["peak_mb"], ours["workers_peak_mb"])
    return (
        f"{label}: DOCX {ours['docx_s']:.2f} s（读取合集另计 {ours['load_s']:.2f} s）, pandoc {pandoc_s}, "
        f"比值 {ratio}（目标 ≤ {target}×，{verdict}）; PDF {pdf_s}; 峰值内存 {memory:.0f} MB "
        f"（主进程 {ours['peak_mb']:.0f} MB，图片子进程 {ours['workers_peak_mb']:.0f} MB{'，pandoc ' + format(pandoc['peak_mb'], '.0f') + ' MB' if pandoc else ''}）; "
        f"DOCX {ours['size_mb']:.1f} MB{'（pandoc ' + format(pandoc['size_mb'], '.1f') + ' MB）' if pandoc else ''}"
    )


def fastest(one: dict | None, other: dict) -> dict:
    return other if one is None or other["pdf_s"] < one["pdf_s"] else one


def tagging_cost(tagged: dict, untagged: dict) -> str:
    """What the tagged PDF (structure, /Lang, alt text) costs over the same conversion without tags."""
    seconds, size = tagged["pdf_s"] - untagged["pdf_s"], tagged["pdf_mb"] - untagged["pdf_mb"]
    return (
        f"PDF 标签的代价：带标签 {tagged['pdf_s']:.1f} s、{tagged['pdf_mb']:.1f} MB，不带标签 {untagged['pdf_s']:.1f} s、"
        f"{untagged['pdf_mb']:.1f} MB（多 {seconds:+.1f} s，{seconds / untagged['pdf_s']:+.0%}；文件 {size:+.1f} MB）"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=100)
    parser.add_argument("--photos", type=int, default=250)
    parser.add_argument("--work", default="/tmp/casebook-bench")
    parser.add_argument("--no-pdf", action="store_true")
    parser.add_argument("--no-pandoc", action="store_true", help="skip pandoc (slow with photos)")
    parser.add_argument("--child")
    parser.add_argument("--root")
    parser.add_argument("--out")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(_child(args.child, Path(args.root), Path(args.out))))
        return 0
    from casebook.outputs.book import pdf as pdf_mod

    work = Path(args.work)
    runs = [(0, 1.0)] + ([(args.photos, 0.3)] if args.photos else [])
    for photos, target in runs:
        root = make_collection(work, args.cases, photos)
        out = work / f"out-{photos}"
        if out.exists():
            shutil.rmtree(out)
        out.mkdir(parents=True)
        fresh = measure("docx-new-titles", root, out) if not photos else None
        measure("docx-warm", root, out)  # the titles' cuts kept (and the photos' cache filled)
        ours = measure("docx", root, out)  # as rebuilt, titles known; photos decoded afresh
        pdf = untagged = None
        for _ in range(2 if pdf_mod.available() and not args.no_pdf else 0):  # alternately, the faster of two
            pdf = fastest(pdf, measure("pdf", root, out))
            untagged = fastest(untagged, measure("pdf-untagged", root, out))
        pandoc = None if args.no_pandoc else measure_pandoc(root, out)
        label = "纯文字" if not photos else f"含 {photos} 张照片"
        print(row(f"{args.cases} 个案例，{label}", ours, pandoc, pdf, target), flush=True)
        if fresh:
            print(f"  （标题都是新的、须载入 jieba 词典时 DOCX {fresh['docx_s']:.2f} s）", flush=True)
        if pdf and untagged:
            print(f"  {tagging_cost(pdf, untagged)}", flush=True)
        if photos:
            warm = measure("docx-warm", root, out)
            print(f"  （照片缓存命中时 DOCX {warm['docx_s']:.2f} s）", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
