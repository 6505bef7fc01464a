"""Benchmark: generate a 1000-case collection and time `check` on it.

Target (issue 2): under 2 s on a 2-core machine. A measurement, not a test: run it by hand,
    python benchmarks/bench_check.py [--cases 1000] [--keep DIR]

1 Dec 2026 (loaded machine): before the pipeline work (4971a71) 3.27 s and 3.27 s, after 3.51 s and 3.24 s.
Each run generates a new collection, so this is the cold check (photos decoded, then cached); a warm check
of the same collection measured 1.50–1.57 s.
1 Dec 2026, idle machine, two runs each: before the pipeline work (4971a71) check in-process (cold) 1.98 / 1.97 s,
the command after it 2.87 / 2.27 s; this version 2.47 / 2.52 s cold (it also fills the load cache and checks
more: privacy, titles, full photo decodes), the command after it 1.68 / 1.62 s (every case from the load cache).
Of those +0.5 s, ~1.7 s of CPU was system time: the photo memo was one small JSON file per case folder (1000
file creations and renames a cold check). Now one memo per collection (.cache/assets/<tag>/memo.json; the
loader's workers leave one part each, merged by the next process to open it).
1 Dec 2026, shared machine (load ~1.5), alternated: 4971a71 in-process 1.84 / 1.84 s, this version 2.03 / 1.96 s;
the load alone, wall and CPU (user+sys, workers included): 4971a71 1.75 s 3.29 (3.05+0.24), 1.75 s 3.19,
1.61 s 2.90, 1.76 s 3.24, 1.92 s 3.65; the memo per folder 1.98 s 3.39 (2.90+0.49), 2.36 s 4.13 (3.26+0.87);
one memo 1.98 s 3.46 (3.16+0.29), 1.91 s 3.41, 1.89 s 3.35, 1.96 s 3.42, 1.82 s 3.26 (3.03+0.23). System time
is back to 4971a71's; the ~0.1–0.2 s of user time left is the extra checks and the load cache's entries.
2 Dec 2026, idle machine, alternated, three runs each (after pypinyin is imported once before the workers
fork, not by each): cold in-process 4971a71 1.70 / 1.59 / 1.89 s, this version 2.18 / 2.36 / 2.53 s (the full
decode of every photo, the privacy and title checks, the load cache's entries); the command after it
4971a71 2.06–2.77 s, this version 0.94–1.16 s.
2 Dec 2026, seventh session, alternated, three runs each, pypinyin imported outside the timing in both:
cold in-process 4971a71 1.77 / 1.77 / 1.78 s, this version 2.04 / 1.90 / 2.05 s. The difference is the
full decode the pipeline issue asks for (simplejpeg imported in each worker), the privacy and title checks
and the load cache's entries. The command after it: 4971a71 2.82 / 2.42 / 2.84 s, this version
1.21 / 0.84 / 1.44 s.
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
    from casebook.util import pinyin

    pinyin.preload()  # outside the timing, as before the pipeline work (slugs.py imported pypinyin then)
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
