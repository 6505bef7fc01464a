"""The screenshots in docs/screenshots/: home, a browse page (按类别) and a case page at 375 and 1280 px,
made small from the ones the browser test writes (tests/test_showcase_browser.py, the sample published
with site_url, so the case page shows its QR button). Run that test first:

    python -m pytest -m slow tests/test_showcase_browser.py -k screens
    python scripts/screenshots.py

Each full-page shot is cut to its first screens (MAX_HEIGHT) and stored as a palette PNG (256 colours,
Pillow's median cut without dithering, optimised): the same input gives the same bytes."""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image

PROJECT = Path(__file__).resolve().parent.parent
SOURCE = PROJECT / "tests" / "artifacts"
TARGET = PROJECT / "docs" / "screenshots"
PAGES = {"home": "home", "browse": "category-index", "case": "case"}  # name here: name in the test
WIDTHS = (375, 1280)
MAX_HEIGHT = {375: 2000, 1280: 1600}  # CSS pixels (the test shoots at device scale 1)


def shrink(source: Path, target: Path, max_height: int) -> int:
    with Image.open(source) as image:
        image = image.convert("RGB")
        if image.height > max_height:
            image = image.crop((0, 0, image.width, max_height))
        small = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    small.save(target, "PNG", optimize=True)
    return target.stat().st_size


def main() -> int:
    missing = [
        SOURCE / f"showcase-{shot}-{width}.png" for shot in PAGES.values() for width in WIDTHS
        if not (SOURCE / f"showcase-{shot}-{width}.png").is_file()
    ]  # fmt: skip
    if missing:
        print("缺少截图，请先运行：python -m pytest -m slow tests/test_showcase_browser.py -k screens", file=sys.stderr)
        for path in missing:
            print(f"  {path}", file=sys.stderr)
        return 1
    TARGET.mkdir(parents=True, exist_ok=True)
    for name, shot in PAGES.items():
        for width in WIDTHS:
            target = TARGET / f"{name}-{width}.png"
            size = shrink(SOURCE / f"showcase-{shot}-{width}.png", target, MAX_HEIGHT[width])
            print(f"{target.relative_to(PROJECT)}  {size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
