"""Reading the editors' mkdocs.yml as plain data: mkdocs' own tags kept as written, every other
application tag refused with its line (editors' files configure, they never execute)."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path

import yaml

from casebook.inputs.frontmatter import yaml_problem
from casebook.util import memo


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


def load_base(path: Path) -> dict:
    if not path.is_file():
        return {}
    return copy.deepcopy(_parse(path.read_text(encoding="utf-8"), path.name))  # callers extend it


@memo.by_content(maxsize=64)  # read by check and by every site build: parsed once per content
def _parse(text: str, name: str) -> dict:
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - safe loader subclass
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else None
        detail = yaml_problem((getattr(error, "problem", None) or "").strip())
        raise ConfigError(f"{name}:{line or 1}: {detail}", line) from error
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{name}: 应为“键: 值”的映射")
    return data
