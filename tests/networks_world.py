"""Tiny hand-made OpenAlex worlds for the network tests (not a test module).

``work(...)`` writes one OpenAlex-shaped work; ``tables_from(...)`` reads a list
of them through :func:`copub.read_works`, so the tests exercise the real
normalizer. Institutions are given as tuples (id, country, type, ror, lineage).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import copub
from copub.classify.membership import Group, Member, PartnerGroups

HOME = "I1"

# id: (name, country, type, ror, lineage)
INSTITUTIONS: dict[str, tuple[str, str, str, str | None, list[str]]] = {
    "I1": ("Home University", "NO", "education", "01home0001", ["I1"]),
    "I11": ("Home University, Dept. of Physics", "NO", "education", None, ["I11", "I1"]),
    "I2": ("Uppsala Universitet", "SE", "education", "02swe0002", ["I2"]),
    "I3": ("Stanford University", "US", "education", "03usa0003", ["I3"]),
    "I4": ("Tsinghua University", "CN", "education", "04chn0004", ["I4"]),
    "I5": ("CERN", "CH", "facility", "05cern005", ["I5"]),
    "I6": ('Institute "Alpha, Beta; Gamma"', "BR", "education", "06bra0006", ["I6"]),
    "I7": ("Hong Kong University", "HK", "education", "07hkg0007", ["I7"]),
}


def institution(iid: str) -> dict[str, Any]:
    name, country, kind, ror, lineage = INSTITUTIONS[iid]
    return {
        "id": f"https://openalex.org/{iid}",
        "display_name": name,
        "ror": f"https://ror.org/{ror}" if ror else None,
        "country_code": country,
        "type": kind,
        "lineage": [f"https://openalex.org/{x}" for x in lineage],
    }


def work(
    wid: str,
    year: int,
    authors: list[tuple[str | None, list[str], list[str] | None]],
    *,
    type_: str = "article",
) -> dict[str, Any]:
    """A work; each author is (author id, institution ids, countries).

    ``countries=None`` takes the institutions' countries, as OpenAlex does.
    """
    authorships = []
    for author_id, inst_ids, countries in authors:
        if countries is None:
            countries = sorted({INSTITUTIONS[i][1] for i in inst_ids})
        authorships.append(
            {
                "author": {
                    "id": f"https://openalex.org/{author_id}" if author_id else None,
                    "display_name": f"Author {author_id}",
                },
                "institutions": [institution(i) for i in inst_ids],
                "countries": countries,
                "is_corresponding": False,
                "raw_author_name": f"Author {author_id}",
                "raw_affiliation_strings": [INSTITUTIONS[i][0] for i in inst_ids],
                "affiliations": [
                    {
                        "raw_affiliation_string": INSTITUTIONS[i][0],
                        "institution_ids": [f"https://openalex.org/{i}"],
                    }
                    for i in inst_ids
                ],
            }
        )
    return {
        "id": f"https://openalex.org/{wid}",
        "doi": None,
        "display_name": f"Work {wid}",
        "publication_year": year,
        "publication_date": f"{year}-06-01",
        "type": type_,
        "language": "en",
        "is_retracted": False,
        "is_paratext": False,
        "is_authors_truncated": False,
        # A journal source and references: the Leiden universe needs them.
        "primary_location": {"source": {"id": "https://openalex.org/S1", "type": "journal"}},
        "referenced_works_count": 10,
        "authorships": authorships,
        "grants": [],
    }


def tables_from(works: list[dict[str, Any]], tmp_path: Path, name: str = "works") -> copub.Tables:
    path = tmp_path / f"{name}.jsonl"
    path.write_text("".join(json.dumps(w) + "\n" for w in works), encoding="utf-8")
    return copub.read_works([path])


def small_world() -> list[dict[str, Any]]:
    """Seven works of the home institution I1, one foreign-only work, one editorial."""
    return [
        work("W1", 2019, [("A1", ["I1"], None), ("A2", ["I2"], None)]),
        work("W2", 2019, [("A1", ["I11"], None), ("A3", ["I3"], None), ("A4", ["I4"], None)]),
        work("W3", 2020, [("A1", ["I1"], None), ("A2", ["I2", "I3"], None)]),
        work("W4", 2022, [("A5", ["I1"], None), ("A6", ["I5"], None), ("A3", ["I3"], None)]),
        work("W5", 2023, [("A1", ["I1"], None), ("A7", ["I6"], None)]),
        work("W6", 2023, [("A1", ["I1"], None), ("A8", ["I7"], None), (None, [], [])]),
        work("W7", 2024, [("A5", ["I1"], None)]),
        work("W8", 2023, [("A2", ["I2"], None), ("A3", ["I3"], None)]),
        work("W9", 2023, [("A1", ["I1"], None), ("A2", ["I2"], None)], type_="editorial"),
    ]


def small_groups() -> PartnerGroups:
    """A few groups in the shape the shipped ones have."""

    def country(code: str, valid_from: int | None = None) -> Member:
        return Member(code, None, None, None, valid_from, None, "member")

    return PartnerGroups(
        (
            Group("home", "Home", "country", (country("NO"),), "test", "test"),
            Group("nordic", "Nordic", "country", (country("NO"), country("SE")), "test", "test"),
            Group(
                "priority",
                "Priority",
                "country",
                (country("US"), country("CN"), country("BR", 2021)),
                "test",
                "test",
            ),
            Group("lmic", "LMIC", "country", (country("CN"), country("BR")), "test", "test"),
            Group(
                "enhance",
                "ENHANCE",
                "institution",
                (Member("sweuni", None, "02swe0002", None, None, None, "member"),),
                "test",
                "test",
            ),
            Group(
                "infrastructure",
                "Infrastructures",
                "institution_type",
                (Member("facility", None, None, None, None, None, "member"),),
                "test",
                "test",
            ),
        ),
        home_country="NO",
    )
