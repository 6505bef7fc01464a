"""Make the photos of the example collections (examples/<profile>/cases/**) from code.

Every picture listed under `photos:` in a case's front matter (or placed in its body with ``![](N.jpg)``)
is drawn as a small abstract scene: a sky, a horizon, blocks for buildings or machines, round figures
for people, a few lines. No text and no real place is drawn. The scene is chosen by a seed made from
the photo's path, so the same path always gives the same picture (the JPEG bytes are identical for the
same Pillow version), and a new case gets its photos by running this script again:

    python scripts/make_example_photos.py            # every example, only missing photos
    python scripts/make_example_photos.py --force    # redraw all of them

The pictures are 1200×800 JPEG (quality 82), well under 200 KB each.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import re
import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SIZE = (1200, 800)
QUALITY = 82

# One palette per example, so that the five collections look different: (sky top, sky bottom, ground,
# accents).
PALETTES = {
    "nantong-teams-2021": (
        (70, 110, 160),
        (190, 210, 225),
        (95, 100, 110),
        [(220, 120, 40), (60, 140, 200), (235, 200, 60)],
    ),
    "anhui-sites-2022": (
        (90, 150, 200),
        (215, 230, 235),
        (110, 150, 80),
        [(200, 60, 50), (240, 190, 70), (80, 120, 170)],
    ),
    "fujian-party-2021": (
        (60, 120, 170),
        (225, 215, 200),
        (140, 120, 90),
        [(200, 40, 40), (245, 200, 90), (40, 110, 90)],
    ),
    "zhaoqing-education-2023": (
        (100, 160, 210),
        (230, 235, 230),
        (120, 160, 110),
        [(210, 70, 60), (70, 130, 200), (250, 210, 80)],
    ),
    "machinery-2024": ((80, 100, 130), (200, 205, 215), (90, 90, 95), [(210, 90, 40), (70, 120, 180), (230, 190, 60)]),
}
DEFAULT_PALETTE = PALETTES["machinery-2024"]

FILE_LINE = re.compile(r"^\s*-?\s*file:\s*['\"]?([^'\"#\s]+)", re.MULTILINE)
IMAGE_REF = re.compile(r"!\[[^\]]*\]\(([^)\s]+\.jpe?g)\)")


def seed_of(relative: str) -> int:
    return int.from_bytes(hashlib.sha256(relative.encode("utf-8")).digest()[:8], "big")


def shade(color: tuple[int, int, int], factor: float) -> tuple[int, int, int]:
    return tuple(max(0, min(255, int(c * factor))) for c in color)  # type: ignore[return-value]


def draw_scene(seed: int, palette) -> Image.Image:
    rng = random.Random(seed)
    sky_top, sky_bottom, ground, accents = palette
    width, height = SIZE
    image = Image.new("RGB", SIZE)
    draw = ImageDraw.Draw(image)
    horizon = rng.randint(int(height * 0.45), int(height * 0.62))
    for y in range(horizon):  # sky: a vertical gradient
        t = y / max(1, horizon - 1)
        draw.line(
            [(0, y), (width, y)], fill=tuple(int(a + (b - a) * t) for a, b in zip(sky_top, sky_bottom, strict=True))
        )
    for y in range(horizon, height):  # ground: darker towards the viewer
        t = (y - horizon) / max(1, height - horizon)
        draw.line([(0, y), (width, y)], fill=shade(ground, 1.1 - 0.35 * t))
    if rng.random() < 0.6:  # the sun or a lamp
        r = rng.randint(30, 60)
        cx, cy = rng.randint(100, width - 100), rng.randint(60, horizon - 80)
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=(250, 240, 200))
    x = rng.randint(-40, 40)
    while x < width:  # blocks on the horizon: buildings, machines, shelves
        w, h = rng.randint(70, 200), rng.randint(60, int(horizon * 0.8))
        color = shade(rng.choice([ground, sky_top, *accents]), rng.uniform(0.55, 0.95))
        draw.rectangle([x, horizon - h, x + w, horizon + 4], fill=color)
        for wy in range(horizon - h + 14, horizon - 10, 28):  # windows
            for wx in range(x + 10, x + w - 14, 26):
                if rng.random() < 0.55:
                    draw.rectangle([wx, wy, wx + 12, wy + 14], fill=shade(sky_bottom, rng.uniform(0.85, 1.05)))
        x += w + rng.randint(6, 60)
    for _ in range(rng.randint(1, 3)):  # a table, a banner or a band across the ground
        y = rng.randint(horizon + 30, height - 120)
        x0 = rng.randint(0, width // 2)
        draw.rectangle(
            [x0, y, x0 + rng.randint(200, 600), y + rng.randint(18, 40)], fill=shade(rng.choice(accents), 0.9)
        )
    for _ in range(rng.randint(5, 14)):  # people: a body and a head
        px = rng.randint(30, width - 30)
        scale = rng.uniform(0.6, 1.4)
        base = rng.randint(horizon + 40, height - 10)
        body_w, body_h, head = int(34 * scale), int(90 * scale), int(16 * scale)
        color = rng.choice(accents)
        draw.rounded_rectangle(
            [px - body_w // 2, base - body_h, px + body_w // 2, base], radius=int(10 * scale), fill=color
        )
        draw.ellipse([px - head, base - body_h - 2 * head - 4, px + head, base - body_h - 4], fill=(235, 200, 170))
    for _ in range(rng.randint(2, 6)):  # lines: rails, cables, paths
        draw.line(
            [
                (rng.randint(0, width), rng.randint(horizon, height)),
                (rng.randint(0, width), rng.randint(horizon, height)),
            ],
            fill=shade(ground, 0.6),
            width=rng.randint(2, 6),
        )
    return image.filter(ImageFilter.GaussianBlur(0.8))


def photos_of(index: Path) -> list[str]:
    text = index.read_text(encoding="utf-8")
    names = FILE_LINE.findall(text.split("\n---", 1)[0]) + IMAGE_REF.findall(text)
    return sorted({n for n in names if n.lower().endswith((".jpg", ".jpeg"))})


def make(examples: Path = EXAMPLES, force: bool = False) -> list[Path]:
    written = []
    for index in sorted(examples.glob("*/cases/*/*/index.md")):
        profile = index.relative_to(examples).parts[0]
        if (examples / profile / "cases").is_symlink():  # machinery-2024 is the shipped sample: real photos
            continue
        palette = PALETTES.get(profile, DEFAULT_PALETTE)
        for name in photos_of(index):
            target = index.parent / name
            if target.exists() and not force:
                continue
            relative = target.relative_to(examples).as_posix()
            draw_scene(seed_of(relative), palette).save(target, "JPEG", quality=QUALITY, optimize=False)
            written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="生成示例合集的图片（抽象场景，无文字）")
    parser.add_argument("--force", action="store_true", help="重新生成已有的图片")
    args = parser.parse_args(argv)
    written = make(force=args.force)
    for path in written:
        print(f"{path.relative_to(ROOT)}  {path.stat().st_size // 1024} KB")
    print(f"共生成 {len(written)} 张图片")
    return 0


if __name__ == "__main__":
    sys.exit(main())
