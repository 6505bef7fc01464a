"""Memoised parsing (util/memo.py): one parse per content, results that callers may not spoil."""

from __future__ import annotations

from casebook import document
from casebook.diagnostics import Report
from casebook.inputs import frontmatter
from casebook.util import memo


def test_results_are_kept_by_content_and_the_oldest_go_first():
    calls = []

    @memo.by_content(maxsize=2)
    def length(text: str, extra: int) -> int:
        calls.append(text)
        return len(text) + extra

    assert [length("甲乙", 0), length("甲乙", 0), length("甲乙", 1)] == [2, 2, 3]
    assert calls == ["甲乙", "甲乙"]  # the second argument is part of the key
    length("丙", 0)  # evicts ("甲乙", 0), the least recently used
    length("甲乙", 0)
    assert calls == ["甲乙", "甲乙", "丙", "甲乙"]


def test_the_outline_is_scanned_once_per_body():
    body = "## 一、做法\n\n![](1.jpg)\n"
    assert document.scan(body, 7) is document.scan(body, 7)
    assert document.scan(body, 7).headings[0].line == 7


def test_front_matter_is_a_fresh_copy_and_its_findings_are_reported_every_time():
    text = "---\ntitle: 案例\nphotos:\n  - file: 1.jpg\n---\n正文\n"
    first = frontmatter.split(text, "cases/a/index.md", Report())
    first.data["photos"][0]["file"] = "改了.jpg"  # the loader edits entries in place
    first.lines["x"] = 1
    again = frontmatter.split(text, "cases/a/index.md", Report())
    assert again.data["photos"][0]["file"] == "1.jpg" and "x" not in again.lines
    bad = "---\ntitle：案例\n---\n"
    for _ in range(2):
        report = Report()
        assert frontmatter.split(bad, "cases/b/index.md", report) is None
        assert [(d.path, d.line, d.code) for d in report.items] == [("cases/b/index.md", 2, "E014")]


def test_compiled_templates_are_reused_until_their_source_changes(tmp_path):
    from casebook.outputs.site import templates

    folder = tmp_path / templates.SUBDIR
    folder.mkdir(parents=True)
    (folder / "x-test.html").write_text("甲{{ v }}\n", encoding="utf-8")
    assert templates.render(templates.environment(tmp_path), "x-test.html", v=1) == "甲1"
    stored = dict(templates._COMPILED.store)
    assert stored  # compiled once, kept for the next environment
    assert templates.render(templates.environment(tmp_path), "x-test.html", v=2) == "甲2"
    (folder / "x-test.html").write_text("乙{{ v }}\n", encoding="utf-8")  # same name, new source
    assert templates.render(templates.environment(tmp_path), "x-test.html", v=3) == "乙3"
