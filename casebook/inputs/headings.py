"""Heading numbering in the official style: 一、 → （一） → 1. → （1）. The headings themselves come
from casebook.document.scan, which reads them as Python-Markdown does."""

from __future__ import annotations

import re
from dataclasses import dataclass

_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN = "[零〇一二两三四五六七八九十百]+"
# (level, pattern) in the order of the hierarchy; level 1 is 一、
_MARKERS = (
    (1, re.compile(rf"^({_CN})、")),
    (2, re.compile(rf"^[（(]({_CN})[）)]")),
    (3, re.compile(r"^(\d+)[.．](?!\d)")),
    (4, re.compile(r"^[（(](\d+)[）)]")),
)
HASHES_FOR_LEVEL = {1: 2, 2: 3, 3: 4, 4: 5}  # 一、 is a "##" heading: "#" is the case title


@dataclass(frozen=True)
class Heading:
    line: int  # file line
    hashes: int  # Markdown depth (number of #)
    text: str  # full heading text, marker included
    level: int | None  # 1..4 from the numbering marker, None when unnumbered
    number: int | None
    marker: str  # the marker as written ("一、"), "" when unnumbered
    title: str  # text after the marker


def chinese_number(text: str) -> int | None:
    """一 → 1, 十二 → 12, 二十三 → 23, 一百零五 → 105; None when not a numeral."""
    if not text or any(ch not in _CN_DIGITS and ch not in "十百" for ch in text):
        return None
    total, current = 0, 0
    for ch in text:
        if ch == "百":
            total += (current or 1) * 100
            current = 0
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = current * 10 + _CN_DIGITS[ch] if current else _CN_DIGITS[ch]
    return total + current


def to_chinese(number: int) -> str:
    digits = "零一二三四五六七八九"
    if number < 10:
        return digits[number]
    if number < 20:
        return "十" + (digits[number % 10] if number % 10 else "")
    if number < 100:
        return digits[number // 10] + "十" + (digits[number % 10] if number % 10 else "")
    return str(number)


def marker_for(level: int, number: int) -> str:
    return {1: f"{to_chinese(number)}、", 2: f"（{to_chinese(number)}）", 3: f"{number}.", 4: f"（{number}）"}[level]


def classify(text: str) -> tuple[int, int, str] | None:
    """(level, number, marker) for a numbered heading text, else None."""
    for level, pattern in _MARKERS:
        match = pattern.match(text)
        if match:
            raw = match.group(1)
            number = int(raw) if raw.isdigit() else chinese_number(raw)
            if number is None:
                return None
            return level, number, match.group(0)
    return None


def heading(line: int, hashes: int, text: str) -> Heading:
    """A heading as written (casebook.document.scan finds them), with its numbering read."""
    found = classify(text)
    level, number, marker = found if found else (None, None, "")
    title = text[len(marker) :].strip() if marker else text
    return Heading(line, hashes, text, level, number, marker, title)


@dataclass(frozen=True)
class NumberingProblem:
    line: int
    code: str  # E303 sequence, E304 wrong depth, E305 level skipped
    values: dict


def numbering_problems(headings: list[Heading]) -> list[NumberingProblem]:
    """Numbers run 1, 2, 3 … within their parent; levels nest without gaps; depth matches level."""
    problems: list[NumberingProblem] = []
    last = {1: 0, 2: 0, 3: 0, 4: 0}  # last number seen at each level under the current parent
    open_level = 0  # deepest level currently open
    for heading in headings:
        if heading.level is None or heading.number is None:
            continue
        level = heading.level
        if heading.hashes != HASHES_FOR_LEVEL[level]:
            problems.append(
                NumberingProblem(
                    heading.line,
                    "E304",
                    {"heading": heading.text, "marker": heading.marker, "hashes": "#" * HASHES_FOR_LEVEL[level]},
                )
            )
        if level > open_level + 1:
            parent = {1: "一、", 2: "（一）", 3: "1."}[level - 1]
            problems.append(NumberingProblem(heading.line, "E305", {"actual": heading.marker, "parent": parent}))
        expected = last[level] + 1
        if heading.number != expected:
            problems.append(
                NumberingProblem(
                    heading.line, "E303", {"expected": marker_for(level, expected), "actual": heading.marker}
                )
            )
        last[level] = heading.number
        for deeper in range(level + 1, 5):
            last[deeper] = 0
        open_level = level
    return problems
