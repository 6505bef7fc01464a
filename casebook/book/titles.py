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


def balanced_lines(text: str, max_width: float = 20.0) -> list[str]:
    """Split text into the fewest lines of at most max_width ems, as even in width as possible."""
    widths = [char_width(ch) for ch in text]
    total = sum(widths)
    if total <= max_width or len(text) < 4:
        return [text]
    prefix = [0.0]
    for value in widths:
        prefix.append(prefix[-1] + value)
    candidates = [0] + [i for i in range(1, len(text)) if _allowed(text, i)] + [len(text)]
    for count in range(math.ceil(total / max_width), len(text) + 1):
        target = total / count
        # best[k][j]: least cost of k lines ending at candidate j
        best: list[dict[int, tuple[float, int]]] = [{0: (0.0, -1)}]
        for _k in range(count):
            layer: dict[int, tuple[float, int]] = {}
            for j in candidates[1:]:
                for i, (cost, _) in best[-1].items():
                    width = prefix[j] - prefix[i]
                    if i >= j or width > max_width:
                        continue
                    penalty = (width - target) ** 2
                    penalty -= _bonus(text, j)
                    if (cost + penalty) < layer.get(j, (math.inf, 0))[0]:
                        layer[j] = (cost + penalty, i)
            best.append(layer)
        if len(text) in best[-1]:
            cuts, j = [], len(text)
            for k in range(count, 0, -1):
                i = best[k][j][1]
                cuts.append((i, j))
                j = i
            return [text[i:j] for i, j in reversed(cuts)]
    return [text]
