"""The one Markdown dialect of the project. The site renders case bodies with it (then sanitises
the HTML), the engine gets the same extensions for the Markdown the generator hands it, and the
book parses bodies with it too, so a body means the same thing everywhere."""

from __future__ import annotations

import markdown
from pymdownx.slugs import slugify as make_slugify

EXTENSIONS: tuple[str, ...] = ("tables", "attr_list", "footnotes", "def_list", "fenced_code", "sane_lists", "toc")
SLUGIFY = make_slugify(case="lower")  # Unicode slugs: Chinese headings keep readable anchors
BACKLINK_TITLE = "返回正文第 %d 处"


def extension_configs(**extra: dict) -> dict[str, dict]:
    """Each extension's settings, with `extra` merged over them per extension (e.g. toc={...})."""
    configs: dict[str, dict] = {"toc": {"slugify": SLUGIFY}, "footnotes": {"BACKLINK_TITLE": BACKLINK_TITLE}}
    for name, values in extra.items():
        if name not in EXTENSIONS:
            raise ValueError(f"{name} is not an extension of the dialect")
        configs[name] = {**configs.get(name, {}), **values}
    return configs


def new_markdown(**extra: dict) -> markdown.Markdown:
    """A parser for the dialect. Reuse it with reset(): building one costs more than a short body."""
    return markdown.Markdown(extensions=list(EXTENSIONS), extension_configs=extension_configs(**extra))


def engine_extensions(**extra: dict) -> list:
    """`markdown_extensions` for mkdocs.yml: the dialect's names, with their settings where any."""
    configs = extension_configs(**extra)
    return [{name: configs[name]} if configs.get(name) else name for name in EXTENSIONS]
