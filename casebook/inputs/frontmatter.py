"""Split a case file into YAML front matter and Markdown body, keeping the line of every key."""

from __future__ import annotations

import copy
import dataclasses
import datetime
import re
from dataclasses import dataclass

import yaml

from casebook.diagnostics import Diagnostic, Report
from casebook.util import memo

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_FENCE = re.compile(r"^---\s*$")
_CLOSE = re.compile(r"^(---|\.\.\.)\s*$")
_FULLWIDTH_COLON = re.compile(r"^\s*(?:-\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*：")
_KEY_WITH_VALUE = re.compile(r"^((?: *- +)* *)[^\s#-][^:#]*:[ \t]+[^#\s]")  # group 1: the key's column

# PyYAML's problems in the words editors understand; anything else is shown as PyYAML says it.
_YAML_PROBLEMS = {
    "mapping values are not allowed here": "此处不能出现“: ”（值中含有半角冒号时请给整个值加引号）",
    "mapping values are not allowed in this context": "此处不能出现“: ”（值中含有半角冒号时请给整个值加引号）",
    "could not find expected ':'": "找不到应有的“: ”（键和值之间要有半角冒号和空格）",
    "found unexpected end of stream": "引号没有闭合",
    "found character that cannot start any token": "出现了不能开头的字符（如 Tab、@ 或 `）",
    "did not find expected key": "缩进不一致，找不到应有的键",
    "did not find expected '-' indicator": "列表缩进不一致，找不到应有的“- ”",
    "found undefined alias": "出现了未定义的别名（* 开头的值请加引号）",
    "expected <block end>, but found '<block sequence start>'": "列表缩进不一致",
    "found unknown escape character": "双引号中出现了未知的转义字符（\\），请改用单引号",
    "did not find expected ',' or ']'": "方括号 [ ] 没有闭合，或列表项之间缺少逗号",
    "did not find expected ',' or '}'": "花括号 { } 没有闭合，或各项之间缺少逗号",
}
# Errors noticed only lines after the mistake (an unclosed quote or bracket, a key without its
# colon): the context mark is where the mistake starts, which is the line editors must fix.
_AT_CONTEXT = (
    "while scanning a quoted scalar",
    "while scanning a simple key",
    "while parsing a flow sequence",
    "while parsing a flow mapping",
)


def yaml_problem(problem: str) -> str:
    """PyYAML's problem in Chinese; unknown ones keep PyYAML's words as a hint after a Chinese lead."""
    if problem in _YAML_PROBLEMS:
        return _YAML_PROBLEMS[problem]
    if problem.startswith("could not determine a constructor for the tag"):
        return "不支持以 ! 开头的标签（值以 ! 开头时请给整个值加引号）"
    if problem.startswith("found unhashable key"):
        return "键不能是列表或映射"
    return f"无法解析的写法（YAML 提示：{problem}）" if problem else "无法解析"


@dataclass(frozen=True)
class FrontMatter:
    data: dict
    lines: dict[str, int]  # dotted key path ("photos.0.file") -> 1-based file line
    body: str
    body_line: int  # file line of the body's first line


def split(text: str, rel: str, report: Report) -> FrontMatter | None:
    """Parse ``text`` (already decoded, LF line ends); report problems against ``rel``."""
    front, found = _split_once(text, rel)
    report.items.extend(found)
    if front is None:
        return None
    return dataclasses.replace(front, data=_thawed(front.data), lines=dict(front.lines))  # callers edit them


def _thawed(value: object, seen: dict[int, object] | None = None) -> object:
    """A copy of parsed YAML that callers may edit: dicts and lists copied once each (YAML aliases share
    them: an alias bomb stays small), the immutable leaves shared (copy.deepcopy took a tenth of a load)."""
    if value is None or type(value) in _LEAVES:
        return value
    seen = {} if seen is None else seen
    if id(value) in seen:
        return seen[id(value)]
    if type(value) is dict:
        copied = seen[id(value)] = {}
        copied.update((key, _thawed(item, seen)) for key, item in value.items())
    elif type(value) is list:
        copied = seen[id(value)] = []
        copied.extend(_thawed(item, seen) for item in value)
    else:
        copied = seen[id(value)] = copy.deepcopy(value)
    return copied


_LEAVES = frozenset({str, int, float, bool, datetime.date, datetime.datetime})


@memo.by_content()
def _split_once(text: str, rel: str) -> tuple[FrontMatter | None, tuple[Diagnostic, ...]]:
    """One parse per content and file per process (see util/memo.py), with what it reported."""
    report = Report()
    return _split(text, rel, report), tuple(report.items)


def _split(text: str, rel: str, report: Report) -> FrontMatter | None:
    lines = text.split("\n")
    if not lines or not _FENCE.match(lines[0]):
        report.add(rel, 1, "E010")
        return None
    end = next((i for i in range(1, len(lines)) if _CLOSE.match(lines[i])), None)
    if end is None:
        report.add(rel, 1, "E011", start=1)
        return None
    head = lines[1:end]
    if not _prescan(head, rel, report):
        return None
    parsed = parse_yaml("\n".join(head), rel, report, first_line=2)
    if parsed is None:
        return None
    data, key_lines = parsed
    return FrontMatter(data, key_lines, "\n".join(lines[end + 1 :]), end + 2)


def _prescan(head: list[str], rel: str, report: Report) -> bool:
    """Catch the two mistakes that make YAML's own message useless: tabs and '：'.

    Lines that continue a value (a `>-` summary, a long title) are text, where both may stand."""
    clean = True
    text_beyond: int | None = None  # lines indented deeper than this continue the value above
    for number, line in enumerate(head, start=2):
        indent = len(line) - len(line.lstrip(" "))
        if text_beyond is not None and (not line.strip() or indent > text_beyond):
            continue
        key = _KEY_WITH_VALUE.match(line)
        text_beyond = len(key.group(1)) if key else None
        if "\t" in line:
            report.add(rel, number, "E013")
            clean = False
        match = _FULLWIDTH_COLON.match(line)
        if match:
            report.add(rel, number, "E014", key=match.group(1))
            clean = False
    return clean


def parse_yaml(source: str, rel: str, report: Report, first_line: int = 1) -> tuple[dict, dict[str, int]] | None:
    """A YAML mapping and the file line of every key; problems go to ``report``."""
    loader = _Loader(source)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        if error.context in _AT_CONTEXT and error.context_mark is not None:
            mark = error.context_mark
        line = mark.line + first_line if mark else first_line
        problem = (error.problem or "").strip()
        detail = yaml_problem(problem)
        quote = _unclosed_quote(source, mark.line if mark else 0)
        if quote is not None:  # YAML read on to the next quote and stumbled far below the mistake
            line, detail = quote + first_line, "引号没有闭合"
        report.add(rel, line, "E012", detail=detail)
        return None
    except (yaml.YAMLError, ValueError, TypeError, RecursionError) as error:
        report.add(rel, first_line, "E012", detail=str(error).splitlines()[0] if str(error) else "无法解析")
        return None
    finally:
        loader.dispose()
    if data is None:
        data = {}
    if not isinstance(data, dict):
        kinds = {list: "一个列表", str: "一段文字"}
        report.add(rel, first_line, "E015", kind=kinds.get(type(data), "其他内容"))
        return None
    key_lines: dict[str, int] = {}
    if node is not None:
        _collect_lines(node, "", key_lines, rel, report, first_line)
    return data, key_lines


_QUOTED_VALUE = re.compile(r"""^\s*(?:-\s+)?[^\s:#'"][^:#]*:\s+(["'])(.*)$""")


def _unclosed_quote(source: str, error_line: int) -> int | None:
    """The 0-based line, at or above ``error_line``, whose value opens a quote it never closes —
    when closing the quote there makes the whole text parse. None otherwise."""
    lines = source.split("\n")
    for index in range(min(error_line, len(lines) - 1), -1, -1):
        match = _QUOTED_VALUE.match(lines[index])
        if not match:
            continue
        quote, rest = match.groups()
        rest = re.sub(r"\\.", "", rest) if quote == '"' else rest.replace("''", "")  # escapes
        if quote in rest:
            continue
        trial = [*lines[:index], lines[index] + quote, *lines[index + 1 :]]
        try:
            yaml.load("\n".join(trial), Loader=_Loader)
        except (yaml.YAMLError, ValueError, TypeError, RecursionError):
            continue
        return index
    return None


def _collect_lines(
    node: yaml.Node,
    prefix: str,
    out: dict[str, int],
    rel: str,
    report: Report,
    first: int,
    depth: int = 0,
    seen: set[int] | None = None,
) -> None:
    # Aliases share nodes: visit each node once, or a "billion laughs" document takes hours.
    seen = set() if seen is None else seen
    if depth > 8 or id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            name = f"{prefix}{key_node.value}" if isinstance(key_node, yaml.ScalarNode) else f"{prefix}?"
            line = key_node.start_mark.line + first
            if name in out:
                report.add(rel, line, "E016", key=name, first=out[name])
            else:
                out[name] = line
            _collect_lines(value_node, name + ".", out, rel, report, first, depth + 1, seen)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            out.setdefault(f"{prefix}{index}", item.start_mark.line + first)
            _collect_lines(item, f"{prefix}{index}.", out, rel, report, first, depth + 1, seen)
