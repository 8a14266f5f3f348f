"""The real OpenAlex pages of ../shared/data (2024 and 2026 schema) and their raw works."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from conftest import shared_path


def real_pages() -> list[Path]:
    """The five 2024-schema pages and the 2026-schema page (skips without ../shared)."""
    return [
        *sorted(shared_path("openalex").glob("*.json")),
        shared_path("openalex-2026", "works_page_2026.json"),
    ]


def raw_works(pages: list[Path]) -> tuple[dict[str, dict[str, Any]], set[str]]:
    """The works by short id (the newer record wins) and the ids seen more than once."""
    works: dict[str, dict[str, Any]] = {}
    seen: Counter[str] = Counter()
    for page in pages:
        for work in json.loads(page.read_text())["results"]:
            key = work["id"].rsplit("/", 1)[-1]
            works[key] = work
            seen[key] += 1
    return works, {k for k, n in seen.items() if n > 1}


def _short(url: str) -> str:
    return url.rsplit("/", 1)[-1]


def _top_university(key: str, known: dict[str, dict[str, Any]]) -> bool:
    """A top-level university: type ``education``, its lineage only itself."""
    record = known.get(key) or {}
    lineage = [_short(x) for x in record.get("lineage") or [key]]
    return record.get("type") == "education" and lineage == [key]


def joint_unit_cases(
    raw: dict[str, dict[str, Any]], known: dict[str, dict[str, Any]]
) -> list[tuple[str, str, tuple[str, ...]]]:
    """``(work, unit, universities)``: a unit on the work whose lineage holds two or more
    top-level universities (the Leiden Ranking's joint organisations), found in the data."""
    found = set()
    for work_id, work in raw.items():
        for authorship in work.get("authorships") or []:
            for inst in authorship.get("institutions") or []:
                unit = _short(inst["id"])
                lineage = [_short(x) for x in inst.get("lineage") or []]
                universities = tuple(
                    sorted(u for u in lineage if u != unit and _top_university(u, known))
                )
                if len(universities) >= 2:
                    found.add((work_id, unit, universities))
    return sorted(found)


def child_home_cases(raw: dict[str, dict[str, Any]]) -> list[tuple[str, str, str]]:
    """``(work, child, parent)``: a one-country work whose only institutions are a unit and
    its top-level parent (OpenAlex lineage), found in the data."""
    found = []
    for work_id, work in sorted(raw.items()):
        insts = {
            _short(i["id"]): i
            for a in work.get("authorships") or []
            for i in a.get("institutions") or []
        }
        countries = {i.get("country_code") for i in insts.values()} - {None}
        if len(insts) != 2 or len(countries) != 1:
            continue
        for child, record in insts.items():
            lineage = [_short(x) for x in record.get("lineage") or []]
            parent = next(iter(set(insts) - {child}))
            top = [_short(x) for x in insts[parent].get("lineage") or []] == [parent]
            if parent in lineage and top:
                found.append((work_id, child, parent))
    return found
