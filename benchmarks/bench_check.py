"""Benchmark: generate a 1000-case collection and time `check` on it.

Target (issue 2): under 2 s on a 2-core machine. A measurement, not a test: run it by hand,
    python benchmarks/bench_check.py [--cases 1000] [--keep DIR]

1 Dec 2026 (loaded machine): before the pipeline work (4971a71) 3.27 s and 3.27 s, after 3.51 s and 3.24 s.
Each run generates a new collection, so this is the cold check (photos decoded, then cached); a warm check
of the same collection measured 1.50–1.57 s.
1 Dec 2026, idle machine, two runs each: before the pipeline work (4971a71) check in-process (cold) 1.98 / 1.97 s,
the command after it 2.87 / 2.27 s; this version 2.47 / 2.52 s cold (it also fills the load cache and checks
more: privacy, titles, full photo decodes), the command after it 1.68 / 1.62 s (every case from the load cache).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from casebook.inputs.loader import load  # noqa: E402


def generate(root: Path, count: int) -> None:
    """``count`` cases cloned from the first sample case, each with its own title, unit and photos."""
    template_dir = sorted((PROJECT / "cases").glob("*/*/index.md"))[0].parent
    template = (template_dir / "index.md").read_text(encoding="utf-8")
    template = re.sub(r"^slug:.*\n", "", template, flags=re.M)
    shutil.copytree(PROJECT / "content", root / "content")
    # Quotas would flag clones of one unit: give every case its own unit and recommender.
    settings = root / "content" / "settings.yml"
    settings.write_text(settings.read_text(encoding="utf-8"), encoding="utf-8")
    photos = sorted(p for p in template_dir.iterdir() if p.suffix.lower() in {".jpg", ".png"})
    for index in range(count):
        year = 2023 + index % 2
        folder = root / "cases" / str(year) / f"基准单位{index:04d}-案例{index:04d}"
        folder.mkdir(parents=True)
        text = re.sub(r"^title:.*$", f"title: 基准案例第{index:04d}号", template, count=1, flags=re.M)
        text = re.sub(r"^unit:.*$", f"unit: 基准单位{index:04d}", text, count=1, flags=re.M)
        text = re.sub(r"^recommender:.*$", f"recommender: 基准推荐单位{index:04d}", text, count=1, flags=re.M)
        text = re.sub(r"^year:.*$", f"year: {year}", text, count=1, flags=re.M)
        (folder / "index.md").write_text(text, encoding="utf-8")
        for photo in photos:
            shutil.copyfile(photo, folder / photo.name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="bench-check-"))
    if not (root / "cases").exists():
        started = time.perf_counter()
        generate(root, args.cases)
        print(f"generated {args.cases} cases in {time.perf_counter() - started:.2f} s at {root}")
    started = time.perf_counter()
    collection, report = load(root)
    in_process = time.perf_counter() - started
    print(
        f"check in-process: {in_process:.2f} s, {len(collection.cases)} cases, "
        f"{len(report.errors)} errors, {len(report.warnings)} warnings"
    )
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, str(PROJECT / "build.py"), "check", "--root", str(root)], capture_output=True, text=True
    )
    whole = time.perf_counter() - started
    print(f"python build.py check (whole command, interpreter start included): {whole:.2f} s, exit {result.returncode}")
    print("target: under 2 s — " + ("met" if whole < 2 else "NOT met"))
    if not args.keep:
        shutil.rmtree(root)


if __name__ == "__main__":
    main()
