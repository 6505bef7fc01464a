"""What generated pages share outside the templates: the published photo record and YAML front matter.
HTML itself is written by the templates (casebook.outputs.site.templates), which escape every value."""

from __future__ import annotations

import json
from dataclasses import dataclass


@dataclass(frozen=True)
class WebPhoto:
    """A published photo: site paths of its derivatives, their sizes, and its caption."""

    full: str
    full_size: tuple[int, int]
    thumb: str
    thumb_size: tuple[int, int]
    caption: str


def front_matter(**values: object) -> str:
    """YAML front matter (JSON values are valid YAML)."""
    lines = ["---"]
    for key, value in values.items():
        if value is not None:
            lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    lines.append("---")
    return "\n".join(lines) + "\n\n"
