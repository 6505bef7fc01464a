"""The one Markdown dialect of the project: the site (through mkdocs) and the book parse case
bodies with the same Python-Markdown extensions, so both outputs agree."""

from __future__ import annotations

EXTENSIONS: list[str] = ["tables", "attr_list", "footnotes", "def_list", "fenced_code", "sane_lists", "toc"]
EXTENSION_CONFIGS: dict[str, dict] = {}
