"""One real `python build.py …` process per command, as an editor runs them (the rest of the suite
calls the same entry point in-process): exit codes, streams and no traceback."""

from __future__ import annotations

import pytest
from conftest import run_cli_process


@pytest.mark.parametrize(
    "args, code, stream, text",
    [
        (("--help",), 0, "stdout", "用法："),
        (("check",), 0, "stdout", "检查了 14 个案例"),
        (("book", "--year", "2024"), 0, "stdout", "已生成 2024 年度选编"),
        (("lists", "--year", "2024"), 0, "stdout", "申报目录和推荐汇总表"),
        (("site",), 0, "stdout", "网站已生成"),
        (("new", "--title", "试点", "--unit", "某单位", "--year", "2024", "--category", "企业"), 0, "stdout", "已新建"),
        (("import", "不存在的文件.docx"), 2, "stderr", "E709"),
        (("book", "--year", "1999"), 2, "stderr", "没有可收录的案例"),
    ],
)
def test_each_command_in_a_real_process(sample_root, monkeypatch, args, code, stream, text):
    monkeypatch.setenv("CASEBOOK_PDF", "0")
    done = run_cli_process("--root", str(sample_root), *args)
    assert done.returncode == code, done.stdout + done.stderr
    assert text in getattr(done, stream), done.stdout + done.stderr
    assert "Traceback" not in done.stderr
