"""A generated collection for tests and benchmarks: N cases in the machinery-2024 format, with
distinct JPEG photos of a chosen size. Deterministic for given arguments."""

from __future__ import annotations

import random
from pathlib import Path

from PIL import Image, ImageDraw

UNITS = (
    "华东重型机床",
    "辽河铸锻",
    "重庆渝江齿轮",
    "厦门鹭岛电机",
    "中原筑友",
    "长沙湘麓职院",
    "江淮机械培训中心",
    "鲁中农机",
    "苏南精工",
    "西岭液压",
)
PHRASES = (
    "公司党委坚持以职工为中心，把思想政治工作融入生产经营全过程",
    "围绕“三个一”工作法，建立了班前讲、工间聊、班后议的工作节奏",
    "2023年共开展活动126场次，覆盖职工3200余人次，满意率达到96.5%",
    "各车间党支部结合实际，创新方法载体，推动理论学习入脑入心",
    "通过“导师结对”和“以赛代训”，宣讲员队伍从“敢讲”向“会讲”转变",
    "把文件语言转化为“车间话”，一批带着机油味的宣讲稿在车间里流传开来",
    "针对倒班职工，各单位录制了3分钟左右的短视频，通过企业微信推送",
    "建立“选题申报、集中备课、现场宣讲、职工评议、效果反馈”的闭环流程",
)
SECTIONS = ("基本情况", "主要做法", "工作成效", "工作启示")
SETTINGS = """title: 机械工业基层思想政治工作创新案例选编
organiser: 江淮机械工业职工思想政治工作研究会
profile: machinery-2024
book:
  summary: true
"""


def _text(rng: random.Random, chars: int) -> str:
    out, size = [], 0
    while size < chars:
        phrase = rng.choice(PHRASES)
        out.append(phrase + rng.choice("，。"))
        size += len(phrase) + 1
    text = "".join(out)
    return text[:-1] + "。"


def _photo(path: Path, index: int, size: tuple[int, int]) -> None:
    rng = random.Random(index)
    small = Image.new("RGB", (64, 48))
    small.putdata([(rng.randrange(256), rng.randrange(256), rng.randrange(256)) for _ in range(64 * 48)])
    image = small.resize(size, Image.Resampling.BILINEAR)
    draw = ImageDraw.Draw(image)
    draw.rectangle(
        (size[0] // 10, size[1] // 10, size[0] // 3, size[1] // 3),
        outline=(255, 255, 255),
        width=max(2, size[0] // 200),
    )
    draw.text((size[0] // 8, size[1] // 8), f"photo {index}", fill=(255, 255, 255))
    image.save(path, "JPEG", quality=88)


def _case(rng: random.Random, number: int, photos: int, chars: int) -> tuple[str, list[str]]:
    unit = f"{UNITS[number % len(UNITS)]}第{number}分公司"
    files = [f"{k}.jpg" for k in range(1, photos + 1)]
    body_parts, per_section = [], max(200, chars // 6)
    placed = iter(files)
    for index, name in enumerate(SECTIONS):
        body_parts.append(f"## {'一二三四'[index]}、{name}\n")
        if index == 1:
            for sub in range(2):
                body_parts.append(f"### （{'一二'[sub]}）做法{sub + 1}\n")
                body_parts.append(f"#### 1.具体举措\n\n{_text(rng, per_section // 2)}\n")
                body_parts.append(f"##### （1）细化要求\n\n{_text(rng, per_section // 2)}\n")
        else:
            body_parts.append(_text(rng, per_section) + "\n")
        image = next(placed, None)
        if image:
            body_parts.append(f"![]({image})\n")
    photo_yaml = "".join(
        f"  - file: {name}\n    time: 2024年{(k % 12) + 1}月\n    subject: {unit}\n    event: 开展第{k}次主题活动\n"
        for k, name in enumerate(files, start=1)
    )
    category = "企业" if number % 3 else "院校"
    text = (
        "---\n"
        f"title: 第{number}号案例：以“微宣讲”推动创新理论走进车间班组的探索与实践\n"
        f"unit: {unit}党委\n"
        "recommender: 江淮机械工业联合会\n"
        f"category: {category}\n"
        "year: 2024\n"
        "authors: [张明远, 李晓岚]\n"
        f"summary: {_text(rng, 300)}\n"
        "status: approved\n"
        f"public: {'false' if number % 7 == 3 else 'true'}\n"
        f"slug: case-{number:04d}\n"
        "contact:\n"
        f"  name: 联系人{number}\n"
        f'  mobile: "139{number:08d}"\n'
        f"  email: contact{number}@example.cn\n"
        + (f"photos:\n{photo_yaml}" if files else "")
        + "---\n"
        + "\n".join(body_parts)
    )
    return text, files


def make(
    root: Path, cases: int, photos: int = 0, chars: int = 3000, photo_size: tuple[int, int] = (1600, 1200)
) -> Path:
    """Write a collection with `cases` cases sharing `photos` photos (spread evenly) under root."""
    rng = random.Random(20241)
    (root / "content").mkdir(parents=True, exist_ok=True)
    (root / "content" / "settings.yml").write_text(SETTINGS, encoding="utf-8")
    (root / "content" / "preface.md").write_text("---\ntitle: 前言\n---\n" + _text(rng, 600) + "\n", encoding="utf-8")
    photo_index = 0
    for number in range(1, cases + 1):
        count = photos // cases + (1 if number <= photos % cases else 0)
        text, files = _case(rng, number, count, chars)
        folder = root / "cases" / "2024" / f"单位{number:04d}-案例"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "index.md").write_text(text, encoding="utf-8")
        for name in files:
            photo_index += 1
            target = folder / name
            if not target.exists():
                _photo(target, photo_index, photo_size)
    return root
