"""Markdown bodies: the project's one dialect (dialect.py) and the one scanner of headings and
image references (outline.py, on blocks.py and inline.py), which reads a body as that dialect does."""

from casebook.document import limits
from casebook.document.dialect import (
    BACKLINK_TITLE,
    EXTENSIONS,
    SLUGIFY,
    engine_extensions,
    extension_configs,
    new_markdown,
)
from casebook.document.outline import Heaviest, ImageRef, Outline, normalise_src, scan

__all__ = [
    "BACKLINK_TITLE",
    "EXTENSIONS",
    "SLUGIFY",
    "Heaviest",
    "ImageRef",
    "Outline",
    "engine_extensions",
    "extension_configs",
    "limits",
    "new_markdown",
    "normalise_src",
    "scan",
]
