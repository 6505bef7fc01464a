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
    """At most ``per_unit`` cases per unit and year (E403), and per recommender and year its own limit
    or ``per_recommender`` (E404): the cases past the limit, in folder order, are reported."""
    profile = collection.profile
    by_unit: dict[tuple[int, str], list[Case]] = defaultdict(list)
    by_recommender: dict[tuple[int, str], list[Case]] = defaultdict(list)
    for case in sorted(live, key=lambda c: c.rel):
        by_unit[(case.year, case.unit)].append(case)
        if case.recommender:
            by_recommender[(case.year, case.recommender)].append(case)
    _over(by_unit, lambda _unit: profile.per_unit, "unit", "E403", report)
    _over(
        by_recommender,
        lambda name: profile.recommenders.get(name, profile.per_recommender),
        "recommender",
        "E404",
        report,
    )


def _over(groups: dict[tuple[int, str], list[Case]], limit_of, key: str, code: str, report: Report) -> None:
    for (year, name), cases in groups.items():
        limit = limit_of(name)
        if limit is None:
            continue
        for case in cases[limit:]:
            report.add(case.rel, case.line_of(key), code, year=year, count=len(cases), limit=limit, **{key: name})
