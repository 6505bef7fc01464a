"""Print guide/checks.md, the editors' table of diagnostic codes: python -m casebook.codes_doc > guide/checks.md"""

from __future__ import annotations

from casebook.codes import MESSAGES


def render() -> str:
    lines = [
        "# 检查项与代码",
        "",
        "`python build.py check` 的每条结果形如 `路径:行号: 代码 说明`。代码固定不变，可用于脚本。"
        "E 开头为错误（须改正，否则退出码为 1），W 开头为警告（`--strict` 时也视为失败）。",
        "",
        "本页由 `python -m casebook.codes_doc > guide/checks.md` 生成。",
        "",
        "| 代码 | 说明（{} 处为具体内容） |",
        "|---|---|",
    ]
    lines += [f"| {code} | {message.replace('|', '/')} |" for code, message in MESSAGES.items()]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(render(), end="")
