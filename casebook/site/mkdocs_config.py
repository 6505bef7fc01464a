"""The engine configuration: the editors' mkdocs.yml, merged with what the generator owns
(docs tree, nav, search with jieba, Markdown dialect, theme overrides, privacy settings)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from ..document import engine_extensions
from ..frontmatter import yaml_problem

SEPARATOR = r"[\s\u200b\u3000\-、。，．？！；]+"
SLUGIFY_TAG = "tag:yaml.org,2002:python/object/apply:pymdownx.slugs.slugify"
OWNED = ("docs_dir", "site_dir", "nav", "plugins", "markdown_extensions", "use_directory_urls", "hooks", "INHERIT")
# Settings with which Material would make readers' browsers call another host (a repository API,
# an analytics tag, a consent banner for it): never passed to the engine.
EXTERNAL = ("repo_url", "repo_name", "edit_uri")
EXTERNAL_EXTRA = ("analytics", "consent", "social")


class ConfigError(ValueError):
    """A problem of mkdocs.yml, in Chinese, with its line when known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class Tagged:
    """A YAML node with an application tag (e.g. !!python/name:…), kept as written."""

    tag: str
    value: object


class _Loader(yaml.SafeLoader):
    pass


ALLOWED_TAGS = ("!ENV", "!relative")  # mkdocs' own tags; editors' files configure, they never execute


def _construct_tagged(loader: yaml.Loader, suffix: str, node: yaml.Node) -> Tagged:
    if node.tag not in ALLOWED_TAGS:
        mark = node.start_mark
        raise ConfigError(
            f"mkdocs.yml:{mark.line + 1}: 不允许的 YAML 标签“{node.tag.replace('tag:yaml.org,2002:', '!!')}”："
            "网站设置只能写普通的值（可用 !ENV 读取环境变量），不能调用程序",
            mark.line + 1,
        )
    return Tagged(node.tag, _construct_value(loader, node))


def _construct_value(loader: yaml.Loader, node: yaml.Node) -> object:
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node, deep=True)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    return loader.construct_scalar(node)


_Loader.add_multi_constructor("tag:yaml.org,2002:python/", _construct_tagged)
_Loader.add_multi_constructor("!", _construct_tagged)


class _GeneratedLoader(yaml.SafeLoader):
    """For reading back a config this module wrote (its own slugify tag), never an editor's file."""


_GeneratedLoader.add_multi_constructor(
    "tag:yaml.org,2002:python/", lambda loader, suffix, node: Tagged(node.tag, _construct_value(loader, node))
)


def load_generated(path: Path) -> dict:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_GeneratedLoader)  # noqa: S506 - safe loader subclass


class _Dumper(yaml.SafeDumper):
    pass


def _represent_tagged(dumper: yaml.Dumper, data: Tagged) -> yaml.Node:
    if isinstance(data.value, dict):
        return dumper.represent_mapping(data.tag, data.value)
    if isinstance(data.value, list):
        return dumper.represent_sequence(data.tag, data.value)
    return dumper.represent_scalar(data.tag, str(data.value))


_Dumper.add_representer(Tagged, _represent_tagged)


def load_base(path: Path) -> dict:
    if not path.is_file():
        return {}
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506 - safe loader subclass
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else None
        detail = yaml_problem((getattr(error, "problem", None) or "").strip())
        raise ConfigError(f"{path.name}:{line or 1}: {detail}", line) from error
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path.name}: 应为“键: 值”的映射")
    return data


_CONTROL = re.compile(r"[\x00-\x20\x7f]+")


def same_site(url: str) -> bool:
    """True when a browser would load ``url`` from this site: read as browsers read it (surrounding
    control characters and spaces dropped, tabs and newlines inside removed, backslashes as slashes),
    it has neither a scheme (``https:/host``, ``javascript:``) nor a host (``//host``, ``\\\\host``)."""
    text = _CONTROL.sub("", url).replace("\\", "/")
    if not text or text.startswith("//"):
        return not text
    parts = urlsplit(text)
    return not parts.scheme and not parts.netloc


def _remote(value: object) -> bool:
    return isinstance(value, str) and not same_site(value)


def _local(entries: object) -> list:
    """Stylesheets and scripts that live on this site (anything from another host is dropped)."""
    result = []
    for entry in entries if isinstance(entries, list) else []:
        text = entry if isinstance(entry, str) else str(entry.get("path", "")) if isinstance(entry, dict) else ""
        if text and same_site(text):
            result.append(entry)
    return result


def markdown_extensions() -> list:
    """Exactly the project's dialect (casebook.document): the pages the generator writes (headings
    with {#anchor}, sanitised HTML blocks) are meant for it; extensions editors add to mkdocs.yml
    are ignored. The slugify is the dialect's (document.SLUGIFY), written as a YAML tag."""
    slugify = Tagged(SLUGIFY_TAG, {"kwds": {"case": "lower"}})
    return engine_extensions(toc={"permalink": "¶", "permalink_title": "本节链接", "slugify": slugify})


def generate(
    base: dict,
    *,
    site_name: str,
    docs_dir: Path,
    site_dir: Path,
    theme_dir: Path,
    user_dict: Path,
    nav: list,
    extra: dict,
) -> dict:
    config = {k: v for k, v in base.items() if k not in OWNED and k not in EXTERNAL}
    theme = base.get("theme") if isinstance(base.get("theme"), dict) else {}
    theme = {k: v for k, v in theme.items() if not _remote(v)}  # logo/favicon from another host
    config["site_name"] = site_name
    config["docs_dir"] = str(docs_dir)
    config["site_dir"] = str(site_dir)
    config["use_directory_urls"] = True
    config["theme"] = {
        **theme,
        "name": "material",
        "custom_dir": str(theme_dir),
        "language": "zh",
        "font": False,  # no Google Fonts: nothing may be fetched from another host
    }
    config["nav"] = nav
    config["plugins"] = [{"search": {"separator": SEPARATOR, "jieba_dict_user": str(user_dict)}}]
    config["markdown_extensions"] = markdown_extensions()
    editors_extra = base.get("extra") if isinstance(base.get("extra"), dict) else {}
    editors_extra = {k: v for k, v in editors_extra.items() if k not in EXTERNAL_EXTRA}
    config["extra"] = {**editors_extra, "generator": False, "casebook": extra}
    config["extra_css"] = ["assets/casebook/casebook.css", *_local(base.get("extra_css"))]
    config["extra_javascript"] = ["assets/casebook/casebook.js", *_local(base.get("extra_javascript"))]
    config["not_in_nav"] = "/cases/\n/browse/*/*/\n"
    return config


def dump(config: dict) -> str:
    header = "# 由 python build.py site 生成，请勿手工修改；要改网站设置请编辑合集根目录的 mkdocs.yml。\n"
    return header + yaml.dump(config, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)
