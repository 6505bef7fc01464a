#!/usr/bin/env python3
"""Generate the photos of the sample collection in ``cases/``.

Every case lists its photos in the front matter (``photos: - file: 1.jpg …``). This script reads
those lists and draws a simple but plausible scene for each file (a workshop, a meeting room, an
outdoor site or an exhibition hall: gradient wall or sky, shapes for machines and people, a red
banner), then writes it as a JPEG beside the case's ``index.md``.

The output is deterministic: seeds are derived from the case folder and file name with CRC-32,
and no timestamps are written, so running the script twice gives identical bytes (with the same
Pillow/libjpeg).

A few photos deliberately carry EXIF metadata that later stages must handle (see ``SPECIAL``):

* GPS coordinates (GPSInfo IFD 0x8825) — must be stripped from every public output;
* Orientation 6 or 8 — the pixels are stored rotated, so a viewer that applies the tag shows the
  picture upright; the build must apply the rotation before it drops the tag.

Usage::

    python scripts/make_sample_photos.py            # all cases under ./cases
    python scripts/make_sample_photos.py --check    # only verify the files and their EXIF
    python scripts/make_sample_photos.py --cases DIR
"""

from __future__ import annotations

import argparse
import io
import random
import sys
import zlib
from fractions import Fraction
from pathlib import Path

import yaml
from PIL import Image, ImageDraw, ImageFilter, ImageOps
from PIL.TiffImagePlugin import IFDRational

ROOT = Path(__file__).resolve().parent.parent

TAG_ORIENTATION = 0x0112
TAG_SOFTWARE = 0x0131
TAG_GPSINFO = 0x8825

LANDSCAPE = (1600, 1200)
PORTRAIT = (1200, 1600)

# Photos with special properties, keyed by "<year>/<case folder>/<file>".
# size is the upright (displayed) size; orientation is the EXIF tag written;
# gps is (latitude, longitude) in decimal degrees (positive = N / E).
SPECIAL: dict[str, dict] = {
    "2024/华东重机-班组微宣讲走进车间/1.jpg": {"gps": (31.820591, 117.227219)},  # 合肥
    "2024/重庆渝江齿轮-匠心契约传承工匠精神/2.jpg": {"gps": (29.563010, 106.551557)},  # 重庆
    "2024/中原筑友-机手驿站/1.jpg": {"gps": (34.746599, 113.625368), "scene": "outdoor"},  # 郑州
    "2023/秦川机械学校-大国工匠进校园/2.jpg": {"gps": (34.341568, 108.939770)},  # 西安
    "2024/厦门鹭岛电机-鹭岛心语关爱驿站/2.jpg": {"orientation": 6},
    "2023/洛水轴承-厂史馆里的党课/1.jpg": {"orientation": 6},
    "2024/长沙湘麓职院-行走的装备史实景思政课/3.jpg": {"orientation": 8, "size": PORTRAIT},
    "2023/洛水轴承-厂史馆里的党课/2.jpg": {  # 洛阳
        "orientation": 8,
        "size": PORTRAIT,
        "gps": (34.619682, 112.454040),
    },
    "2024/江淮机械行业培训中心-夜校加工位双课堂/2.jpg": {"size": PORTRAIT},
    "2023/南岭机电职院-一生一策精准帮扶/1.jpg": {"size": PORTRAIT},
}

SCENES = ("workshop", "meeting", "outdoor", "hall")

# Keywords in a photo's subject/event that suggest a scene; first match wins.
SCENE_WORDS = [
    ("outdoor", ("工地", "物流园", "户外", "纪念馆", "乡村")),
    ("hall", ("长廊", "展厅", "厂史", "陈列", "推土机", "光荣榜")),
    ("workshop", ("车间", "工位", "机床", "实训", "工作室", "钳工", "车床", "比武", "绕线", "挖掘机")),
    ("meeting", ("会", "仪式", "课堂", "讲堂", "驿站", "宣讲", "答疑", "颁", "表彰", "营")),
]


# --------------------------------------------------------------------------------------------
# drawing helpers


def _mix(c1, c2, t):
    return tuple(round(a + (b - a) * t) for a, b in zip(c1, c2, strict=True))


def _jitter(rng, color, amount=12):
    return tuple(max(0, min(255, c + rng.randint(-amount, amount))) for c in color)


def _vgradient(img, box, top, bottom):
    """Fill box (x0, y0, x1, y1) with a vertical gradient."""
    x0, y0, x1, y1 = box
    draw = ImageDraw.Draw(img)
    h = max(1, y1 - y0)
    for i in range(h):
        draw.line([(x0, y0 + i), (x1, y0 + i)], fill=_mix(top, bottom, i / h))


def _banner(draw, rng, box, color=(190, 28, 32), text_color=(250, 222, 120)):
    """A red banner with rows of pale 'characters' (glyph-like blocks)."""
    x0, y0, x1, y1 = box
    draw.rectangle(box, fill=color)
    draw.rectangle((x0, y0, x1, y0 + max(2, (y1 - y0) // 14)), fill=_mix(color, (255, 255, 255), 0.25))
    h = y1 - y0
    gh = int(h * 0.5)
    gw = gh
    n = max(4, min(16, int((x1 - x0) * 0.8 // (gw * 1.25))))
    total = n * gw * 1.25
    x = x0 + ((x1 - x0) - total) / 2
    y = y0 + (h - gh) / 2
    for _ in range(n):
        gx = int(x)
        # each glyph: a few strokes inside a square
        for _ in range(rng.randint(3, 5)):
            if rng.random() < 0.5:
                sy = int(y + rng.random() * gh)
                draw.rectangle(
                    (
                        gx + int(gw * rng.random() * 0.3),
                        sy,
                        gx + int(gw * (0.7 + rng.random() * 0.3)),
                        sy + max(2, gh // 9),
                    ),
                    fill=text_color,
                )
            else:
                sx = int(gx + rng.random() * gw)
                draw.rectangle(
                    (
                        sx,
                        int(y + gh * rng.random() * 0.3),
                        sx + max(2, gw // 9),
                        int(y + gh * (0.7 + rng.random() * 0.3)),
                    ),
                    fill=text_color,
                )
        x += gw * 1.25


def _person(draw, rng, x, y, scale, shirt=None, helmet=None, back=False):
    """A standing person whose feet are at (x, y); scale ~ height in pixels."""
    shirt = shirt or _jitter(
        rng, rng.choice([(40, 70, 140), (30, 90, 160), (60, 60, 70), (230, 230, 235), (150, 40, 40), (40, 110, 80)])
    )
    skin = _jitter(rng, (226, 186, 150), 10)
    hair = _jitter(rng, (30, 26, 24), 6)
    trousers = _jitter(rng, (45, 50, 65), 8)
    h = scale
    head = h * 0.13
    body_top = y - h * 0.82
    # legs
    draw.rectangle((x - h * 0.09, y - h * 0.45, x - h * 0.015, y), fill=trousers)
    draw.rectangle((x + h * 0.015, y - h * 0.45, x + h * 0.09, y), fill=trousers)
    # torso and arms
    draw.rounded_rectangle((x - h * 0.14, body_top, x + h * 0.14, y - h * 0.42), radius=int(h * 0.05), fill=shirt)
    draw.rectangle((x - h * 0.19, body_top + h * 0.03, x - h * 0.13, y - h * 0.5), fill=_mix(shirt, (0, 0, 0), 0.15))
    draw.rectangle((x + h * 0.13, body_top + h * 0.03, x + h * 0.19, y - h * 0.5), fill=_mix(shirt, (0, 0, 0), 0.15))
    # head
    cy = body_top - head * 0.9
    draw.ellipse((x - head * 0.8, cy - head, x + head * 0.8, cy + head), fill=hair if back else skin)
    if helmet:
        draw.pieslice((x - head * 0.95, cy - head * 1.15, x + head * 0.95, cy + head * 0.6), 180, 360, fill=helmet)
        draw.rectangle((x - head * 1.05, cy - head * 0.3, x + head * 1.05, cy - head * 0.18), fill=helmet)
    elif not back:
        draw.pieslice((x - head * 0.82, cy - head * 1.05, x + head * 0.82, cy + head * 0.5), 180, 360, fill=hair)


def _crowd(draw, rng, w, y_front, y_back, n, scale_front, scale_back, back=False, helmets=False):
    people = []
    for _ in range(n):
        t = rng.random()
        y = y_back + (y_front - y_back) * t
        s = scale_back + (scale_front - scale_back) * t
        people.append((y, rng.uniform(0.03, 0.97) * w, s))
    for y, x, s in sorted(people):
        helmet = rng.choice([(245, 200, 30), (240, 240, 240), (220, 60, 40)]) if helmets else None
        _person(draw, rng, x, y, s, helmet=helmet, back=back)


def _machine(draw, rng, x0, y0, x1, y1, color=None):
    """A machine tool: body, window, control panel, base."""
    color = color or _jitter(rng, rng.choice([(70, 120, 160), (200, 200, 195), (60, 130, 110), (230, 150, 40)]))
    w, h = x1 - x0, y1 - y0
    draw.rectangle((x0, y1 - h * 0.12, x1, y1), fill=_mix(color, (0, 0, 0), 0.45))
    draw.rectangle((x0 + w * 0.03, y0, x1 - w * 0.03, y1 - h * 0.12), fill=color)
    draw.rectangle((x0 + w * 0.03, y0, x1 - w * 0.03, y0 + h * 0.06), fill=_mix(color, (255, 255, 255), 0.3))
    # window
    draw.rectangle((x0 + w * 0.12, y0 + h * 0.18, x0 + w * 0.62, y0 + h * 0.62), fill=(60, 70, 80))
    draw.rectangle((x0 + w * 0.14, y0 + h * 0.2, x0 + w * 0.6, y0 + h * 0.6), fill=(120, 150, 165))
    draw.line(
        (x0 + w * 0.2, y0 + h * 0.22, x0 + w * 0.45, y0 + h * 0.58), fill=(170, 195, 205), width=max(2, int(w * 0.02))
    )
    # control panel
    draw.rectangle((x0 + w * 0.7, y0 + h * 0.2, x0 + w * 0.9, y0 + h * 0.5), fill=(40, 40, 45))
    draw.rectangle((x0 + w * 0.72, y0 + h * 0.23, x0 + w * 0.88, y0 + h * 0.33), fill=(90, 160, 200))
    for i in range(3):
        cx = x0 + w * (0.74 + i * 0.06)
        draw.ellipse(
            (cx - w * 0.015, y0 + h * 0.4, cx + w * 0.015, y0 + h * 0.4 + w * 0.03),
            fill=rng.choice([(220, 40, 40), (40, 180, 60), (240, 200, 40)]),
        )


def _excavator(draw, rng, x, y, s):
    """An excavator facing right, tracks' bottom at y, size s (track length)."""
    yellow = _jitter(rng, (238, 178, 20), 8)
    dark = (40, 40, 40)
    draw.rounded_rectangle((x, y - s * 0.18, x + s, y), radius=int(s * 0.09), fill=dark)
    for i in range(6):
        cx = x + s * (0.1 + i * 0.16)
        draw.ellipse((cx - s * 0.05, y - s * 0.14, cx + s * 0.05, y - s * 0.04), fill=(90, 90, 90))
    draw.rectangle((x + s * 0.05, y - s * 0.42, x + s * 0.85, y - s * 0.18), fill=yellow)
    draw.rectangle((x + s * 0.5, y - s * 0.72, x + s * 0.85, y - s * 0.42), fill=yellow)
    draw.rectangle((x + s * 0.55, y - s * 0.67, x + s * 0.8, y - s * 0.48), fill=(110, 150, 170))
    boom = [
        (x + s * 0.8, y - s * 0.45),
        (x + s * 1.3, y - s * 1.0),
        (x + s * 1.38, y - s * 0.93),
        (x + s * 0.9, y - s * 0.36),
    ]
    draw.polygon(boom, fill=yellow)
    arm = [
        (x + s * 1.3, y - s * 1.0),
        (x + s * 1.55, y - s * 0.35),
        (x + s * 1.48, y - s * 0.33),
        (x + s * 1.26, y - s * 0.9),
    ]
    draw.polygon(arm, fill=_mix(yellow, (0, 0, 0), 0.1))
    draw.pieslice((x + s * 1.38, y - s * 0.42, x + s * 1.68, y - s * 0.12), 90, 270, fill=dark)


def _bulldozer(draw, rng, x, y, s):
    """An old green bulldozer, tracks' bottom at y, track length s."""
    green = _jitter(rng, (70, 105, 70), 8)
    dark = (45, 45, 40)
    draw.rounded_rectangle((x, y - s * 0.22, x + s, y), radius=int(s * 0.1), fill=dark)
    draw.rectangle((x + s * 0.1, y - s * 0.5, x + s * 0.7, y - s * 0.22), fill=green)
    draw.rectangle((x + s * 0.15, y - s * 0.85, x + s * 0.5, y - s * 0.5), fill=green)
    draw.rectangle((x + s * 0.2, y - s * 0.8, x + s * 0.45, y - s * 0.6), fill=(140, 160, 150))
    draw.rectangle((x + s * 0.62, y - s * 0.78, x + s * 0.66, y - s * 0.5), fill=dark)
    draw.polygon(
        [(x + s * 1.0, y - s * 0.55), (x + s * 1.15, y - s * 0.6), (x + s * 1.18, y), (x + s * 1.02, y)],
        fill=_mix(green, (0, 0, 0), 0.2),
    )


# --------------------------------------------------------------------------------------------
# scenes (all coordinates relative to w, h so portrait and landscape both work)


def _scene_workshop(img, rng):
    w, h = img.size
    draw = ImageDraw.Draw(img)
    horizon = int(h * rng.uniform(0.52, 0.6))
    wall = _jitter(rng, (196, 204, 210))
    _vgradient(img, (0, 0, w, horizon), _mix(wall, (255, 255, 255), 0.3), wall)
    _vgradient(img, (0, horizon, w, h), (150, 155, 150), (95, 105, 100))
    # windows high on the wall
    for i in range(6):
        wx = w * (0.04 + i * 0.165)
        draw.rectangle((wx, h * 0.08, wx + w * 0.12, h * 0.2), fill=(225, 235, 245))
        draw.line((wx + w * 0.06, h * 0.08, wx + w * 0.06, h * 0.2), fill=(150, 160, 170), width=4)
    # overhead crane beam
    draw.rectangle((0, h * 0.24, w, h * 0.27), fill=(240, 190, 40))
    draw.rectangle((w * 0.55, h * 0.27, w * 0.6, h * 0.31), fill=(60, 60, 60))
    draw.line((w * 0.575, h * 0.31, w * 0.575, h * 0.42), fill=(40, 40, 40), width=3)
    # banner on the wall
    _banner(draw, rng, (int(w * 0.15), int(h * 0.31), int(w * 0.85), int(h * 0.37)))
    # safety lines on the floor
    for t in (0.25, 0.75):
        draw.line((w * t, horizon, w * (t + (t - 0.5) * 1.2), h), fill=(235, 205, 40), width=max(4, w // 200))
    # machines along the wall
    n = rng.randint(2, 3)
    for i in range(n):
        mx0 = w * (0.03 + i * (0.94 / n)) + rng.uniform(0, w * 0.03)
        mw = w * 0.94 / n * 0.85
        mh = h * rng.uniform(0.2, 0.26)
        _machine(draw, rng, int(mx0), int(horizon + h * 0.04 - mh), int(mx0 + mw), int(horizon + h * 0.04))
    _crowd(draw, rng, w, h * 0.97, horizon + h * 0.12, rng.randint(4, 8), h * 0.42, h * 0.25, helmets=True)


def _scene_meeting(img, rng):
    w, h = img.size
    draw = ImageDraw.Draw(img)
    wall = _jitter(rng, (232, 222, 200))
    floor_y = int(h * 0.62)
    _vgradient(img, (0, 0, w, floor_y), _mix(wall, (255, 255, 255), 0.2), wall)
    _vgradient(img, (0, floor_y, w, h), (150, 110, 80), (110, 75, 50))
    # stage backdrop and banner
    draw.rectangle((w * 0.08, h * 0.08, w * 0.92, h * 0.46), fill=_jitter(rng, (176, 30, 36), 8))
    _banner(
        draw,
        rng,
        (int(w * 0.12), int(h * 0.12), int(w * 0.88), int(h * 0.2)),
        color=(176, 30, 36),
        text_color=(255, 236, 160),
    )
    # party emblem-like golden disc
    draw.ellipse((w * 0.46, h * 0.24, w * 0.54, h * 0.24 + w * 0.08), fill=(235, 190, 60))
    # podium and speaker
    _person(draw, rng, w * 0.3, floor_y - h * 0.02, h * 0.3)
    draw.rectangle((w * 0.24, floor_y - h * 0.15, w * 0.36, floor_y - h * 0.01), fill=(120, 70, 40))
    draw.rectangle((w * 0.265, floor_y - h * 0.12, w * 0.335, floor_y - h * 0.07), fill=(200, 40, 40))
    # head table
    draw.rectangle((w * 0.45, floor_y - h * 0.07, w * 0.9, floor_y), fill=(165, 30, 35))
    draw.rectangle((w * 0.45, floor_y - h * 0.08, w * 0.9, floor_y - h * 0.07), fill=(235, 235, 230))
    # flowers
    for fx in (0.12, 0.88):
        draw.ellipse((w * fx - w * 0.04, floor_y - h * 0.12, w * fx + w * 0.04, floor_y - h * 0.02), fill=(50, 120, 60))
        for _ in range(6):
            px, py = w * fx + rng.uniform(-w * 0.03, w * 0.03), floor_y - h * rng.uniform(0.05, 0.11)
            draw.ellipse((px - 8, py - 8, px + 8, py + 8), fill=rng.choice([(230, 60, 60), (250, 200, 60)]))
    # audience from behind
    rows = rng.randint(2, 3)
    for r in range(rows):
        y = h * (0.99 - r * 0.1)
        s = h * (0.45 - r * 0.07)
        for i in range(rng.randint(5, 8)):
            x = w * (0.06 + i * 0.13) + rng.uniform(-w * 0.02, w * 0.02)
            _person(draw, rng, x, y + s * 0.35, s, back=True)


def _scene_outdoor(img, rng):
    w, h = img.size
    draw = ImageDraw.Draw(img)
    horizon = int(h * rng.uniform(0.5, 0.6))
    _vgradient(img, (0, 0, w, horizon), _jitter(rng, (110, 160, 220)), (205, 225, 240))
    _vgradient(img, (0, horizon, w, h), (176, 146, 104), (128, 100, 70))
    # distant buildings / hills
    x = 0
    while x < w:
        bw = rng.randint(w // 14, w // 7)
        bh = rng.randint(h // 14, h // 5)
        draw.rectangle((x, horizon - bh, x + bw, horizon), fill=_jitter(rng, (170, 180, 190), 10))
        x += bw + rng.randint(0, w // 30)
    # container hut with banner (the "station")
    hx0, hx1 = w * 0.05, w * 0.42
    draw.rectangle((hx0, horizon - h * 0.2, hx1, horizon + h * 0.08), fill=(40, 110, 170))
    for i in range(8):
        lx = hx0 + (hx1 - hx0) * i / 8
        draw.line((lx, horizon - h * 0.2, lx, horizon + h * 0.08), fill=(30, 90, 140), width=3)
    _banner(draw, rng, (int(hx0 + w * 0.02), int(horizon - h * 0.18), int(hx1 - w * 0.02), int(horizon - h * 0.12)))
    draw.rectangle((hx0 + w * 0.24, horizon - h * 0.08, hx0 + w * 0.3, horizon + h * 0.08), fill=(230, 230, 225))
    _excavator(draw, rng, int(w * 0.5), int(horizon + h * 0.16), w * 0.22)
    _crowd(draw, rng, w, h * 0.98, horizon + h * 0.2, rng.randint(3, 6), h * 0.4, h * 0.28, helmets=True)


def _scene_hall(img, rng):
    w, h = img.size
    draw = ImageDraw.Draw(img)
    floor_y = int(h * 0.64)
    wall = _jitter(rng, (214, 200, 176))
    _vgradient(img, (0, 0, w, floor_y), _mix(wall, (255, 255, 255), 0.25), wall)
    _vgradient(img, (0, floor_y, w, h), (120, 100, 85), (80, 65, 55))
    _banner(draw, rng, (int(w * 0.1), int(h * 0.05), int(w * 0.9), int(h * 0.11)), color=(150, 30, 30))
    # framed pictures on the wall
    n = rng.randint(4, 6)
    for i in range(n):
        fx = w * (0.05 + i * 0.9 / n)
        fw = w * 0.9 / n * 0.8
        draw.rectangle((fx, h * 0.16, fx + fw, h * 0.36), fill=(90, 60, 30))
        draw.rectangle(
            (fx + 6, h * 0.16 + 6, fx + fw - 6, h * 0.36 - 6),
            fill=_jitter(rng, rng.choice([(150, 140, 120), (120, 120, 115), (170, 150, 120)]), 10),
        )
        draw.rectangle((fx, h * 0.38, fx + fw, h * 0.4), fill=(240, 235, 220))
    # display case
    draw.rectangle((w * 0.05, floor_y - h * 0.2, w * 0.35, floor_y), fill=(95, 70, 50))
    draw.rectangle((w * 0.07, floor_y - h * 0.19, w * 0.33, floor_y - h * 0.08), fill=(190, 210, 215))
    # an old machine on a plinth
    draw.rectangle((w * 0.42, floor_y - h * 0.02, w * 0.95, floor_y + h * 0.03), fill=(160, 150, 140))
    _bulldozer(draw, rng, int(w * 0.45), int(floor_y - h * 0.02), w * 0.38)
    _crowd(draw, rng, w, h * 0.98, floor_y + h * 0.1, rng.randint(3, 6), h * 0.42, h * 0.3)


PAINTERS = {"workshop": _scene_workshop, "meeting": _scene_meeting, "outdoor": _scene_outdoor, "hall": _scene_hall}


# --------------------------------------------------------------------------------------------
# EXIF


def _rational(value: float, denominator: int = 1) -> IFDRational:
    f = (
        Fraction(value).limit_denominator(10**6)
        if denominator == 1
        else Fraction(round(value * denominator), denominator)
    )
    return IFDRational(f.numerator, f.denominator)


def _dms(value: float) -> tuple[IFDRational, IFDRational, IFDRational]:
    value = abs(value)
    degrees = int(value)
    minutes_full = (value - degrees) * 60
    minutes = int(minutes_full)
    seconds = (minutes_full - minutes) * 60
    return (IFDRational(degrees, 1), IFDRational(minutes, 1), _rational(seconds, 100))


def build_exif(orientation: int | None = None, gps: tuple[float, float] | None = None) -> Image.Exif:
    exif = Image.Exif()
    exif[TAG_SOFTWARE] = "casebook make_sample_photos"
    if orientation:
        exif[TAG_ORIENTATION] = orientation
    if gps:
        lat, lon = gps
        ifd = exif.get_ifd(TAG_GPSINFO)
        ifd[0] = b"\x02\x03\x00\x00"  # GPSVersionID 2.3.0.0
        ifd[1] = "N" if lat >= 0 else "S"  # GPSLatitudeRef
        ifd[2] = _dms(lat)  # GPSLatitude
        ifd[3] = "E" if lon >= 0 else "W"  # GPSLongitudeRef
        ifd[4] = _dms(lon)  # GPSLongitude
        ifd[18] = "WGS-84"  # GPSMapDatum
    return exif


# --------------------------------------------------------------------------------------------
# public API


def render(width: int, height: int, seed: int, scene: str | None = None) -> Image.Image:
    """Draw an upright scene of width × height pixels."""
    rng = random.Random(seed)
    scene = scene or SCENES[seed % len(SCENES)]
    img = Image.new("RGB", (width, height), (200, 200, 200))
    PAINTERS[scene](img, rng)
    # soften the hard vector edges a little so it reads more like a photograph
    return img.filter(ImageFilter.GaussianBlur(1.1))


def make_photo(
    path,
    width: int,
    height: int,
    seed: int,
    orientation: int | None = None,
    gps: tuple[float, float] | None = None,
    scene: str | None = None,
    quality: int = 80,
) -> Path:
    """Write a deterministic JPEG photo to ``path``.

    ``width`` × ``height`` is the upright size a viewer shows. With ``orientation`` 6 or 8 the
    pixel data is stored rotated (height × width) and the EXIF Orientation tag is set, so that
    applying the tag (e.g. ``ImageOps.exif_transpose``) gives the upright picture back.
    ``gps`` = (latitude, longitude) in decimal degrees adds a GPSInfo IFD.
    """
    path = Path(path)
    upright = render(width, height, seed, scene)
    if orientation in (None, 1):
        stored = upright
    elif orientation == 6:  # viewer rotates 90° clockwise → store rotated 90° counter-clockwise
        stored = upright.transpose(Image.Transpose.ROTATE_90)
    elif orientation == 8:  # viewer rotates 90° counter-clockwise → store rotated clockwise
        stored = upright.transpose(Image.Transpose.ROTATE_270)
    elif orientation == 3:
        stored = upright.transpose(Image.Transpose.ROTATE_180)
    else:
        raise ValueError(f"unsupported orientation {orientation!r}")
    exif = build_exif(orientation if orientation not in (None, 1) else None, gps)
    buf = io.BytesIO()
    stored.save(buf, "JPEG", quality=quality, optimize=True, exif=exif.tobytes())
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buf.getvalue())
    return path


# --------------------------------------------------------------------------------------------
# cases


def read_front_matter(index: Path) -> dict:
    text = index.read_text("utf-8-sig")
    if not text.startswith("---"):
        return {}
    end = text.find("\n---", 3)
    if end < 0:
        return {}
    data = yaml.safe_load(text[3:end]) or {}
    return data if isinstance(data, dict) else {}


def pick_scene(photo: dict, seed: int) -> str:
    words = f"{photo.get('subject', '')}{photo.get('event', '')}"
    for scene, keys in SCENE_WORDS:
        if any(k in words for k in keys):
            return scene
    return SCENES[seed % len(SCENES)]


def iter_photos(cases: Path):
    """Yield (key, target path, photo dict) for every photo listed in the cases."""
    for index in sorted(cases.glob("*/*/index.md")):
        fm = read_front_matter(index)
        for photo in fm.get("photos") or []:
            if not isinstance(photo, dict) or not photo.get("file"):
                continue
            key = f"{index.parent.parent.name}/{index.parent.name}/{photo['file']}"
            yield key, index.parent / photo["file"], photo


def generate(cases: Path) -> list[Path]:
    written = []
    for key, target, photo in iter_photos(cases):
        spec = SPECIAL.get(key, {})
        seed = zlib.crc32(key.encode("utf-8"))
        width, height = spec.get("size", LANDSCAPE)
        scene = spec.get("scene") or pick_scene(photo, seed)
        make_photo(target, width, height, seed, orientation=spec.get("orientation"), gps=spec.get("gps"), scene=scene)
        written.append(target)
    return written


def check(cases: Path) -> int:
    problems = 0
    gps_count = orient_count = 0
    for key, target, _photo in iter_photos(cases):
        spec = SPECIAL.get(key, {})
        if not target.exists():
            print(f"missing: {key}")
            problems += 1
            continue
        size = target.stat().st_size
        with Image.open(target) as im:
            exif = im.getexif()
            gps = exif.get_ifd(TAG_GPSINFO)
            orientation = exif.get(TAG_ORIENTATION)
            upright = ImageOps.exif_transpose(im).size
        want = spec.get("size", LANDSCAPE)
        flags = []
        if gps:
            gps_count += 1
            flags.append(
                f"GPS {gps.get(1)} {[float(v) for v in gps.get(2, ())]} {gps.get(3)} {[float(v) for v in gps.get(4, ())]}"
            )
        if orientation in (6, 8):
            orient_count += 1
            flags.append(f"Orientation {orientation}")
        ok = (
            upright == tuple(want)
            and size <= 150_000
            and bool(gps) == bool(spec.get("gps"))
            and orientation == spec.get("orientation")
        )
        if not ok:
            problems += 1
        print(
            f"{'ok ' if ok else 'BAD'} {key}  upright {upright[0]}x{upright[1]}  {size // 1024} KB  {'; '.join(flags)}"
        )
    print(f"{gps_count} photos with GPS, {orient_count} with Orientation 6/8, {problems} problems")
    if gps_count < 3 or orient_count < 2:
        problems += 1
    return problems


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", type=Path, default=ROOT / "cases", help="cases folder (default: ./cases)")
    ap.add_argument("--check", action="store_true", help="only verify existing photos")
    args = ap.parse_args(argv)
    if not args.check:
        written = generate(args.cases)
        print(f"wrote {len(written)} photos")
    return 1 if check(args.cases) else 0


if __name__ == "__main__":
    sys.exit(main())
