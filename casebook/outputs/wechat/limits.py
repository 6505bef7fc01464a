"""The WeChat draft box's limits, checked per article: each broken one is a warning (W640–W645) at the
case's file and line, saying by how much and what to do."""

from __future__ import annotations

from casebook.diagnostics import Report
from casebook.model import Case
from casebook.outputs.wechat.texts import AUTHOR_MAX, DIGEST_MAX, TITLE_MAX, Digest, author_of

TEXT_MAX = 20_000  # characters of an article
HTML_MAX = 1_000_000  # bytes of an article's HTML (the editor's limit is 1 MB)


def _size(count: int) -> str:
    return f"{count / 1_000_000:.2f} MB（{count} 字节）"


def check(case: Case, digest: Digest, characters: int, html_bytes: int, cover_missing: bool) -> Report:
    report = Report()
    if case.wechat_title and len(case.wechat_title) > TITLE_MAX:
        report.add(
            case.rel, case.line_of("wechat_title"), "W640", what="公众号标题（wechat_title）",
            count=len(case.wechat_title), limit=TITLE_MAX, hint=f"请精简到 {TITLE_MAX} 字以内",
        )  # fmt: skip
    elif not case.wechat_title and len(case.title) > TITLE_MAX:
        hint = f"请在 front matter 中加一行 wechat_title: 写一个 {TITLE_MAX} 字以内的短标题（见 guide/fields.md）"
        report.add(
            case.rel, case.line_of("title"), "W640", what="案例名称", count=len(case.title), limit=TITLE_MAX, hint=hint
        )
    if digest.cut:
        report.add(case.rel, case.line_of("summary"), "W641", limit=DIGEST_MAX, count=digest.first_sentence)
    author = author_of(case)
    if len(author) > AUTHOR_MAX:
        report.add(case.rel, case.line_of("authors"), "W644", value=author, count=len(author), limit=AUTHOR_MAX)
    if characters > TEXT_MAX:
        report.add(case.rel, case.body_line, "W642", count=characters, limit=TEXT_MAX)
    if html_bytes > HTML_MAX:
        report.add(case.rel, case.body_line, "W643", size=_size(html_bytes), limit=HTML_MAX)
    if cover_missing:
        report.add(case.rel, case.line_of("wechat_cover"), "W645", file=case.wechat_cover)
    return report
