"""Text normalisation shared by the importer: full-width digits and letters, spaces, line breaks."""

from __future__ import annotations

import re

# Full-width digits and Latin letters become ASCII; full-width punctuation (，“”（）) stays.
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF10, 0xFF1A)}
_FULL_WIDTH.update({code: code - 0xFEE0 for code in range(0xFF21, 0xFF3B)})
_FULL_WIDTH.update({code: code - 0xFEE0 for code in range(0xFF41, 0xFF5B)})
_SPACES = re.compile(r"[ \t\u00a0\u3000\u2000-\u200b\u2028\u2029\u0085\u202f\u205f\ufeff]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
_ASCII_WORD_END = re.compile(r"[A-Za-z0-9,.;:!?)]$")
_ASCII_WORD_START = re.compile(r"^[A-Za-z0-9(]")


def half_width(text: str) -> str:
    return text.translate(_FULL_WIDTH)


def join_lines(parts: list[str]) -> str:
    """Join the pieces of a paragraph split by manual line breaks: no space between Chinese text,
    one space between Latin words."""
    out = ""
    for part in parts:
        part = part.strip(" \t\u3000\u00a0")
        if not part:
            continue
        if out and _ASCII_WORD_END.search(out) and _ASCII_WORD_START.match(part):
            out += " "
        out += part
    return out


def clean(text: str) -> str:
    """One paragraph's text: half-width digits and letters, runs of spaces collapsed, trimmed."""
    text = _CONTROL.sub("", half_width(text))
    return _SPACES.sub(" ", text).strip()


def close_gaps(text: str) -> str:
    """Drop spaces between Chinese characters (letter-spaced titles such as 基 本 情 况)."""
    return _CJK_GAP.sub("", text)


_CJK_GAP = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef“”‘’]) +(?=[\u3000-\u9fff\uff00-\uffef“”‘’])")


def squash(text: str) -> str:
    """Text without any whitespace, for comparing labels."""
    return re.sub(r"\s+", "", half_width(text))
