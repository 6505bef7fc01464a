"""Breaking a long case title into balanced lines (no lone character or two on the last line)."""

from __future__ import annotations

import math

# A line must not start with these (closing punctuation) nor end with the openers.
NO_LINE_START = "”’）》〉】」』，。、；：！？…·）)]%"
NO_LINE_END = "“‘（《〈【「『(["
GOOD_BREAK_AFTER = "，、：；”》）—"
WIDE_SYMBOLS = "“”‘’—…·"


def char_width(ch: str) -> float:
    """In ems: CJK and the quotes set in the CJK face are 1, Latin letters and digits about 1/2."""
    return 1.0 if ord(ch) >= 0x2E80 or ch in WIDE_SYMBOLS else 0.5


def _allowed(text: str, i: int) -> bool:
    """May a line break sit before text[i]?"""
    before, after = text[i - 1], text[i]
    if after in NO_LINE_START or before in NO_LINE_END:
        return False
    if before.isascii() and after.isascii() and before.isalnum() and after.isalnum():
        return False
    return not (before == "—" and after == "—")


def _bonus(text: str, j: int) -> float:
    """Prefer breaking before a dash-introduced subtitle, then after punctuation."""
    if j >= len(text):
        return 0.0
    if text[j] == "—" and text[j - 1] != "—":
        return 30.0
    return 6.0 if text[j - 1] in GOOD_BREAK_AFTER else 0.0


# Above this many characters (five times the longest title `check` lets through) lines are filled
# greedily, in linear time whatever the breaks: nobody reads such a text for balance.
BALANCE_MAX_CHARS = 500


def balanced_lines(text: str, max_width: float = 20.0) -> list[str]:
    """Split text into the fewest lines of at most max_width ems, as even in width as possible.

    A dynamic programme over the allowed breaks, line by line. Since the line count is the least
    possible (found greedily first), the k-th break can only lie where k lines reach it and the lines
    left can still hold the rest: a band (lines × max_width − total width) wide, under a line for prose.
    Each break looks back one line only, so the work is about (lines) × (breaks per band) × (breaks per
    line): linear in the length, where the former search over every line count was cubic.
    Text with a stretch no line can hold (a long run of Latin letters) stays on one line.
    """
    widths = [char_width(ch) for ch in text]
    total = sum(widths)
    if total <= max_width or len(text) < 4:
        return [text]
    prefix = [0.0]
    for value in widths:
        prefix.append(prefix[-1] + value)
    candidates = [0] + [i for i in range(1, len(text)) if _allowed(text, i)] + [len(text)]
    greedy = _greedy(candidates, prefix, max_width)
    if greedy is None:
        return [text]
    if len(text) > BALANCE_MAX_CHARS:
        return [text[i:j] for i, j in zip(greedy, greedy[1:], strict=False)]
    cuts = _balanced(text, candidates, prefix, max_width, len(greedy) - 1)
    return [text[i:j] for i, j in zip(cuts, cuts[1:], strict=False)]


def _greedy(candidates: list[int], prefix: list[float], max_width: float) -> list[int] | None:
    """Breaks of the fullest-first filling (it gives the least line count), or None when some stretch
    between two allowed breaks is wider than a line."""
    cuts, last, previous = [0], 0, 0
    for j in candidates[1:]:
        if prefix[j] - prefix[last] > max_width:
            if previous == last or prefix[j] - prefix[previous] > max_width:
                return None
            cuts.append(previous)
            last = previous
        previous = j
    cuts.append(candidates[-1])
    return cuts


def _balanced(text: str, candidates: list[int], prefix: list[float], max_width: float, count: int) -> list[int]:
    """The breaks of `count` lines with the least sum of (width - mean)² less the break bonuses."""
    total, end = prefix[-1], len(text)
    target = total / count
    slack = 1e-9  # float sums: a band edge must not drop a break the greedy filling used
    layer: list[tuple[int, float]] = [(0, 0.0)]  # (break, least cost), breaks ascending
    back: list[dict[int, int]] = []  # per line: its end → its start, on the best path
    for k in range(1, count + 1):
        low, high = total - (count - k) * max_width - slack, k * max_width + slack
        new_layer: list[tuple[int, float]] = []
        links: dict[int, int] = {}
        first = 0  # index in layer of the first start not more than a line before j
        for j in candidates[1:]:
            if prefix[j] < low or (k == count and j != end):
                continue
            if prefix[j] > high:
                break
            while first < len(layer) and prefix[j] - prefix[layer[first][0]] > max_width:
                first += 1
            best, start = math.inf, -1
            for i, cost in layer[first:]:
                if i >= j:
                    break
                value = cost + ((prefix[j] - prefix[i] - target) ** 2 - _bonus(text, j))  # the old sum's order
                if value < best:
                    best, start = value, i
            if start >= 0:
                new_layer.append((j, best))
                links[j] = start
        layer = new_layer
        back.append(links)
    cuts, j = [end], end
    for links in reversed(back):
        j = links[j]
        cuts.append(j)
    return cuts[::-1]
