"""Checks across cases: unique titles and slugs, quotas per unit and per recommender."""

from __future__ import annotations

from collections import defaultdict

from casebook.diagnostics import Report
from casebook.model import Case, Collection


def check_collection(collection: Collection, report: Report) -> None:
    live = [c for c in collection.cases if c.status != "withdrawn"]
    _unique(live, "title", "E401", report)
    _unique(collection.cases, "slug", "E402", report)
    _quotas(collection, live, report)


def _unique(cases: list[Case] | tuple[Case, ...], key: str, code: str, report: Report) -> None:
    first: dict[str, Case] = {}
    for case in sorted(cases, key=lambda c: c.rel):
        value = getattr(case, key)
        if value in first:
            report.add(case.rel, case.line_of(key), code, **{key: value, "other": first[value].rel})
        else:
            first[value] = case


def _quotas(collection: Collection, live: list[Case], report: Report) -> None:
    profile = collection.profile
    by_unit: dict[tuple[int, str], list[Case]] = defaultdict(list)
    by_recommender: dict[tuple[int, str], list[Case]] = defaultdict(list)
    for case in sorted(live, key=lambda c: c.rel):
        by_unit[(case.year, case.unit)].append(case)
        if case.recommender:
            by_recommender[(case.year, case.recommender)].append(case)
    if profile.per_unit is not None:
        for (year, unit), cases in by_unit.items():
            for case in cases[profile.per_unit :]:
                report.add(
                    case.rel,
                    case.line_of("unit"),
                    "E403",
                    year=year,
                    unit=unit,
                    count=len(cases),
                    limit=profile.per_unit,
                )
    for (year, recommender), cases in by_recommender.items():
        limit = profile.recommenders.get(recommender, profile.per_recommender)
        if limit is None:
            continue
        for case in cases[limit:]:
            report.add(
                case.rel,
                case.line_of("recommender"),
                "E404",
                year=year,
                recommender=recommender,
                count=len(cases),
                limit=limit,
            )
