"""Public metadata of the published cases as CSV (UTF-8 with BOM, for Excel) and JSON."""

from __future__ import annotations

import csv
import io
import json

from casebook.outputs.site import urls
from casebook.outputs.site.public_model import SiteModel

COLUMNS = [
    ("title", "案例名称"),
    ("unit", "申报单位"),
    ("recommender", "推荐单位"),
    ("category", "类别"),
    ("themes", "主题"),
    ("year", "年度"),
    ("authors", "执笔人"),
    ("award", "获评情况"),
    ("summary", "案例概要"),
    ("url", "网址"),
]


def columns(model: SiteModel) -> list[tuple[str, str]]:
    """The CSV's columns, in the campaign's words: its term for the categories (类别, 领域) and its
    summary's label (案例概要和创新点, 简要事迹 …)."""
    own = {"category": model.category_term, "summary": model.summary_label}
    return [(key, own.get(key) or label) for key, label in COLUMNS]


def records(model: SiteModel) -> list[dict]:
    return [
        {
            "title": c.title,
            "unit": c.unit,
            "recommender": c.recommender,
            "category": c.category,
            "themes": list(c.themes),
            "year": c.year,
            "authors": list(c.authors),
            "award": c.award,
            "summary": c.summary,
            "url": urls.case_url(c.slug),
        }
        for c in model.cases
    ]


def _cell(value: object) -> str:
    """A CSV cell Excel will not run as a formula."""
    text = "、".join(value) if isinstance(value, list) else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def to_csv(model: SiteModel) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    chosen = columns(model)
    writer.writerow([label for _, label in chosen])
    for record in records(model):
        writer.writerow([_cell(record[key]) for key, _ in chosen])
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")


def to_json(model: SiteModel) -> bytes:
    data = {
        "title": model.title,
        "organiser": model.organiser,
        "labels": dict(columns(model)),  # the keys' names in the campaign's words (the CSV's headers)
        "cases": records(model),
    }
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
