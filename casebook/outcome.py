"""Exit codes and what every command prints the same way: diagnostics, refusals, notes."""

from __future__ import annotations

import enum
import errno
import sys
from collections.abc import Iterable

from casebook.diagnostics import Diagnostic, Report


class Exit(enum.IntEnum):
    OK = 0
    CONTENT = 1  # the content has errors, or an output was refused
    USAGE = 2  # wrong usage, or a file that cannot be used at all (import)


def say(text: str) -> None:
    """A result the user asked for (stdout)."""
    sys.stdout.write(text.rstrip("\n") + "\n")


def warn(text: str) -> None:
    """Progress, warnings and errors (stderr), so stdout stays machine-readable."""
    sys.stderr.write(text.rstrip("\n") + "\n")


def show(items: Iterable[Diagnostic]) -> None:
    for item in items:
        warn(item.format())


def refuse(what: str, blocking: list[Diagnostic] | tuple[Diagnostic, ...]) -> Exit:
    """Print the errors that stop an output and say it was not made."""
    show(sorted(dict.fromkeys(blocking), key=lambda d: (d.path, d.line or 0, d.code)))
    warn(f"有 {len(blocking)} 个错误，未生成{what}。请先修正（python build.py check 可查看全部问题）。")
    return Exit.CONTENT


def print_report(report: Report, fmt: str = "text") -> None:
    """``check``'s output: every finding (stdout), then the summary (stderr for json)."""
    if fmt == "json":
        sys.stdout.write(report.to_json() + "\n")
    else:
        for item in report.sorted():
            sys.stdout.write(item.format() + "\n")
    summary = f"检查了 {report.checked} 个案例：{len(report.errors)} 个错误，{len(report.warnings)} 个警告\n"
    (sys.stderr if fmt == "json" else sys.stdout).write(summary)


_ERRNO = {
    errno.EROFS: "文件系统只读",
    errno.ENOSPC: "磁盘已满",
    errno.EDQUOT: "磁盘配额已满",
    errno.EACCES: "没有写入权限",
    errno.EPERM: "没有写入权限",
}


def os_problem(error: OSError, what: str) -> str:
    """One Chinese sentence for a failed read or write, from the errno, with the path."""
    reason = _ERRNO.get(error.errno or 0) or error.strerror or str(error)
    where = f"：{error.filename}" if error.filename else ""
    return f"写入{what}失败（{reason}）{where}"


def chosen_years(available: list[int], year: int | None, what: str) -> list[int] | None:
    """``--year`` checked against the years an output has cases for (None: refused, said); every
    year when not given."""
    if year is None:
        return available
    if year not in available:
        have = "、".join(str(y) for y in available) or "无"
        warn(f"错误：{year} 年度没有{what}（现有年度：{have}）")
        return None
    return [year]
