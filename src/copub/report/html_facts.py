"""The provenance section's words: sources by name, options as a table, never a path.

A reader of ``report.html`` gets the name of each source (the register's
file name, a partner group's publisher) and the options in words ("Baseline:
2018–2021"); the machine-readable paths stay in ``provenance.json``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import PurePath, PureWindowsPath
from typing import Any

__all__ = ["OPTION_WORDS", "option_rows", "without_paths"]

#: A filesystem path: absolute, home- or dot-relative, or a Windows drive path,
#: not inside a word (``bavla/OpenAlex``) or a URL (``https://…``).
_PATH = r"(?<![\w.:/~\\])(?:(?:~|\.{1,2})?/[^\s,;()]+|[A-Za-z]:\\[^\s,;()]+)"
#: A clause that only says where a copy of the source lies: ", as listed in ../x.csv".
_WHERE_CLAUSE = re.compile(r"[,;]\s+[^,;]*?\bin\s+" + _PATH)


def _name(match: re.Match[str]) -> str:
    path = match.group()
    return (PureWindowsPath(path) if "\\" in path else PurePath(path)).name or path


def without_paths(text: str) -> str:
    """``text`` with no filesystem path: a clause pointing at a file dropped, a path by its name.

    Examples
    --------
    >>> without_paths("Panorama strategies (regjeringen.no), as listed in "
    ...               "../shared/data/reference/panorama_countries.csv")
    'Panorama strategies (regjeringen.no)'
    >>> without_paths("/tmp/cache/channel_register.csv")
    'channel_register.csv'
    >>> without_paths("V. Batagelj, bavla/OpenAlex (https://api.openalex.org/works)")
    'V. Batagelj, bavla/OpenAlex (https://api.openalex.org/works)'
    """
    return re.sub(_PATH, _name, _WHERE_CLAUSE.sub("", text))


#: The reader's words for each option of ``ReportOptions.to_dict()``, in table order.
OPTION_WORDS: dict[str, str] = {
    "years": "Years",
    "preset": "Definition preset",
    "universe": "Universe",
    "types": "Document types",
    "counting": "Counting",
    "fractional": "Fractional weights from",
    "membership": "Group membership",
    "merge_hk_mo": "Hong Kong and Macao",
    "groups": "Partner groups",
    "baseline": "Baseline",
    "plan": "Plan period",
    "period_window": "Rolling window",
    "bootstrap": "Bootstrap resamples",
    "full_interval": "Interval (full counting)",
    "seed": "Random seed",
    "citation_window": "Citation window",
    "mobility_window": "Mobility window",
    "early_career_years": "Early career",
    "guest_max_years": "Guest stay at most",
    "home_country": "Home country",
    "eu_organisation": "EU organisation",
    "peer_group": "Peer group",
    "peers": "Peers",
    "breakdown_by": "Breakdown by",
    "breakdown_units": "Breakdown units",
    "min_works": "Smallest group shown",
    "top_partners": "Partners listed",
}

_YEARS = ("period_window", "citation_window", "mobility_window", "early_career_years",
          "guest_max_years")  # fmt: skip
_NOT_SET = {"years": "every year in the data", "home_country": "from the institution's country"}


def _value(key: str, value: Any, labels: Mapping[str, str]) -> str:
    if key == "merge_hk_mo":
        return "counted as China" if value else "kept apart"
    if key == "groups":
        return ", ".join(labels.get(str(v), str(v)) for v in value)
    if key in ("years", "baseline", "plan") and isinstance(value, list) and len(value) == 2:
        return f"{value[0]}–{value[1]}"
    if key in _YEARS:
        return f"{value} years"
    if key == "min_works":
        return f"{value} works"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value).replace("_", " ")


def option_rows(
    options: Mapping[str, Any], group_labels: Mapping[str, str] | None = None
) -> list[tuple[str, str]]:
    """The report's options as (words, value) rows; unset options are left out.

    ``options`` is ``ReportOptions.to_dict()``: its ``definitions`` are read as
    options of their own; the institution and the register are said with the
    other facts (by name).

    Examples
    --------
    >>> option_rows({"top_partners": 15, "definitions": {"baseline": [2018, 2021],
    ...     "counting": "full", "register": "/x/r.csv", "peers": [], "years": None,
    ...     "merge_hk_mo": True}})
    ... # doctest: +NORMALIZE_WHITESPACE
    [('Years', 'every year in the data'), ('Counting', 'full'),
     ('Hong Kong and Macao', 'counted as China'), ('Baseline', '2018–2021'),
     ('Partners listed', '15')]
    """
    flat = {k: v for k, v in options.items() if k != "definitions"}
    flat |= dict(options.get("definitions") or {})
    labels = group_labels or {}
    rows = []
    known = [k for k in OPTION_WORDS if k in flat] + [k for k in flat if k not in OPTION_WORDS]
    for key in known:
        value = flat[key]
        if key in ("register", "institutions"):
            continue
        if value is None or value == []:
            if key in _NOT_SET:
                rows.append((OPTION_WORDS[key], _NOT_SET[key]))
            continue
        words = OPTION_WORDS.get(key, key.replace("_", " ").capitalize())
        rows.append((words, without_paths(_value(key, value, labels))))
    return rows
