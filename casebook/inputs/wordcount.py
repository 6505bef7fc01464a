"""字数 as the notices count it: the characters of the text, without Markdown syntax or white space."""

from __future__ import annotations

import functools
import re

_RULES = (
    # comments; an unclosed <!-- stops at the next one, so each attempt is bounded (not quadratic)
    (re.compile(r"<!--(?:[^<]|<(?!!--))*?-->"), ""),
    # images and links; [^[\]] stops each attempt at the next bracket (linear on thousands of "[")
    (re.compile(r"!\[([^\[\]]*)\]\([^()]*\)"), ""),  # images: their captions are counted from photos
    (re.compile(r"\[([^\[\]]*)\]\([^()]*\)"), r"\1"),  # links keep their text
    (re.compile(r"<[^<>\n]+>"), ""),  # HTML tags (an unclosed < stops at the next one)
    (re.compile(r"^ {0,3}#{1,6}[ \t]*", re.M), ""),  # heading marks
    (re.compile(r"^ {0,3}>[ \t]?", re.M), ""),  # block quotes
    (re.compile(r"^[ \t]*(?:[-*+]|\d+[.)])[ \t]+", re.M), ""),  # list markers
    (re.compile(r"^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(\|[ \t]*:?-{3,}:?[ \t]*)*\|?[ \t]*$", re.M), ""),  # table rules
    (re.compile(r"^ {0,3}(?:[-*_][ \t]*){3,}$", re.M), ""),  # thematic breaks
    (re.compile(r"[*_`|~]"), ""),  # emphasis, code, table pipes
    (re.compile(r"\s+"), ""),
)


@functools.lru_cache(maxsize=4096)  # every load counts the same bodies and summaries again
def count(markdown: str) -> int:
    text = markdown
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return len(text)
