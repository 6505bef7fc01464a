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
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))


def _child(kind: str, root: Path, out: Path) -> dict:
    """Runs inside the subprocess: one measurement, reported as JSON."""
    from casebook.inputs.loader import load
    from casebook.outputs.book import docx_writer, package, pdf, styles
    from casebook.publish import views

    started = time.perf_counter()
    collection, report = load(root)
    assert collection is not None and not report.errors, [d.format() for d in report.errors[:5]]
    loaded = time.perf_counter()
    result: dict = {"load_s": loaded - started}
    target = out / f"{kind}.docx"
    if kind in ("docx", "docx-warm"):
        cache = out / "photo-cache" if kind == "docx-warm" else None
        document = styles.load_reference(root)
        volume = docx_writer.build(document, views.internal(collection), 2024, "internal", cache)
        package.save(document, target, title="bench", author="bench", year=2024, fragments=volume.fragments)
        result["docx_s"] = time.perf_counter() - loaded
        result["size_mb"] = target.stat().st_size / 1e6
    elif kind == "pdf":
        source = out / "docx.docx"
        begin = time.perf_counter()
        pdf.convert(source, out / "book.pdf")
        result["pdf_s"] = time.perf_counter() - begin
        result["pages"] = int(
            subprocess.run(["pdfinfo", str(out / "book.pdf")], capture_output=True, text=True)
            .stdout.split("Pages:")[1]
            .split()[0]
        )
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result["workers_peak_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return result


def measure(kind: str, root: Path, out: Path) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--child", kind, "--root", str(root), "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"{kind} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


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
        ours = measure("docx", root, out)
        pdf = measure("pdf", root, out) if pdf_mod.available() and not args.no_pdf else None
        pandoc = None if args.no_pandoc else measure_pandoc(root, out)
        label = "纯文字" if not photos else f"含 {photos} 张照片"
        print(row(f"{args.cases} 个案例，{label}", ours, pandoc, pdf, target), flush=True)
        if photos:
            warm = measure("docx-warm", root, out)  # fills the cache
            warm = measure("docx-warm", root, out)
            print(f"  （照片缓存命中时 DOCX {warm['docx_s']:.2f} s）", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
