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
