"""One case's folder: article.html, 1.jpg…, cover.jpg, cover-square.jpg, meta.json, 发布信息.txt,
学习强国.txt. Returns the warnings of its limits."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from casebook.diagnostics import Report
from casebook.model import Case
from casebook.outputs.site import urls
from casebook.outputs.site.sanitize import Renderer
from casebook.outputs.wechat import article, covers, limits, texts
from casebook.outputs.wechat.photos import PhotoCache

META = "meta.json"
ARTICLE = "article.html"
RELEASE = "发布信息.txt"
XUEXI = "学习强国.txt"


@dataclass(frozen=True)
class Options:
    accent: str
    source: str  # the 来源 line ("" = none)
    site_url: str  # "" = no 原文链接
    renderer: Renderer
    photos: PhotoCache


def folder_of(case: Case) -> str:
    return f"{case.year}/{case.slug}"


def case_link(site_url: str, case: Case) -> str:
    return f"{site_url.rstrip('/')}/{urls.case_url(case.slug)}" if site_url else ""


def write(case: Case, target: Path, options: Options) -> Report:
    target.mkdir(parents=True)
    made = article.build(case, options.accent, options.source, options.renderer)
    photos = []
    prepared = {}
    for photo in made.photos:
        copy = options.photos.prepare(photo.path)
        prepared[photo.number] = copy
        name = article.photo_file(photo)
        shutil.copyfile(copy.article, target / name)
        photos.append(
            {"file": name, "caption": photo.caption, "width": copy.size[0], "height": copy.size[1],
             "bytes": (target / name).stat().st_size}
        )  # fmt: skip
    page = article.document(made).encode("utf-8")
    (target / ARTICLE).write_bytes(page)
    cover_photo, cover_missing = covers.chosen(case)
    large = options.photos.prepare(cover_photo.path).large if cover_photo is not None else None
    for name, blob in covers.covers(large, options.accent, options.photos.covers).items():
        (target / name).write_bytes(blob)
    plain = texts.plain_text(made.html)
    digest = texts.digest(case.summary)
    count = texts.characters(plain)
    report = limits.check(case, digest, count, len(page), cover_missing)
    title = texts.title_of(case)
    meta = {
        "title": title,
        "title_length": len(title),
        "author": texts.author_of(case),
        "digest": digest.text,
        "source_url": case_link(options.site_url, case),
        "characters": count,
        "html_bytes": len(page),
        "photos": photos,
        "cover": "cover.jpg",
        "cover_square": "cover-square.jpg",
        "cover_from": article.photo_file(cover_photo) if cover_photo is not None else "",
        "case": {"title": case.title, "unit": case.unit, "year": case.year, "slug": case.slug},
        "warnings": [f"{d.code} {d.message}" for d in report.sorted()],
    }
    (target / META).write_bytes(texts.meta_json(meta))
    (target / RELEASE).write_text(texts.release_notes(meta), encoding="utf-8")
    (target / XUEXI).write_text(texts.xuexi(plain), encoding="utf-8")
    return report
