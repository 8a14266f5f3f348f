"""Hypothesis strategies for OpenAlex-shaped works."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

import copub

#: The settings of the property tests that build tables from generated works.
TABLE_SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def tables_of(works: list[dict[str, Any]]) -> copub.Tables:
    """The tables ``copub.read_works`` builds from ``works`` as one list page."""
    path = Path(tempfile.mkdtemp()) / "page.json"
    path.write_text(json.dumps({"meta": {"count": len(works)}, "results": works}))
    return copub.read_works([path])

INSTITUTIONS = [
    ("I1", "NO", "education", ["I1"]),
    ("I2", "NO", "education", ["I2", "I1"]),  # a child unit of I1
    ("I3", "SE", "education", ["I3"]),
    ("I4", "US", "facility", ["I4"]),
    ("I5", "HK", "education", ["I5"]),
    ("I6", "CN", "company", ["I6"]),
]


@st.composite
def authorships(draw: st.DrawFn) -> dict[str, Any]:
    chosen = draw(
        st.lists(st.sampled_from(INSTITUTIONS), max_size=3, unique_by=lambda inst: inst[0])
    )
    countries = draw(st.lists(st.sampled_from(["NO", "SE", "US", "BR", "ZZ"]), max_size=2))
    # Raw affiliation strings as irregular as OpenAlex's: strings naming no,
    # one or two of the author's institutions, blank strings, the same string
    # under several authors; some records have no ``affiliations`` field.
    ids = [f"https://openalex.org/{inst[0]}" for inst in chosen]
    strings = draw(
        st.none()
        | st.lists(
            st.tuples(
                st.sampled_from(["Home dept", "Partner lab", "Somewhere", " Home dept ", ""]),
                st.lists(st.sampled_from(ids), max_size=2, unique=True) if ids else st.just([]),
            ),
            max_size=3,
        )
    )
    extra: dict[str, Any] = {}
    if strings is not None:
        extra["affiliations"] = [
            {"raw_affiliation_string": text, "institution_ids": inst_ids}
            for text, inst_ids in strings
        ]
    return {
        **extra,
        "author_position": "middle",
        "author": {
            "id": f"https://openalex.org/A{draw(st.integers(1, 50))}",
            "display_name": draw(st.text(max_size=5)),
        },
        "institutions": [
            {
                "id": f"https://openalex.org/{i}",
                "display_name": f"Institution {i}",
                "ror": None,
                "country_code": cc,
                "type": kind,
                "lineage": [f"https://openalex.org/{x}" for x in lineage],
            }
            for i, cc, kind, lineage in chosen
        ],
        "countries": countries,
        "is_corresponding": draw(st.booleans()),
        "raw_author_name": "x",
        "raw_affiliation_strings": [text for text, _ in strings or []],
    }


@st.composite
def works(draw: st.DrawFn, ids: st.SearchStrategy[int] | None = None) -> dict[str, Any]:
    wid = draw(ids if ids is not None else st.integers(1, 10**6))
    return {
        "id": f"https://openalex.org/W{wid}",
        "doi": None,
        "display_name": draw(st.text(max_size=10)),
        "publication_year": draw(st.integers(2015, 2025)),
        "type": draw(st.sampled_from(["article", "review", "book-chapter", "editorial"])),
        "language": "en",
        "is_retracted": draw(st.booleans()),
        "is_paratext": False,
        "primary_location": {
            "source": draw(
                st.none()
                | st.just(
                    {
                        "id": "https://openalex.org/S1",
                        "display_name": "Journal",
                        "issn_l": "0028-0836",
                        "issn": ["0028-0836", "1476-4687"],
                        "type": "journal",
                        "host_organization_name": "Publisher",
                    }
                )
            )
        },
        "authorships": draw(st.lists(authorships(), max_size=6)),
        "referenced_works_count": draw(st.sampled_from([0, 3, 20])),
        "grants": [],
    }


def unique_works(max_size: int = 12) -> st.SearchStrategy[list[dict[str, Any]]]:
    """Lists of works with distinct ids."""
    return st.lists(works(), max_size=max_size, unique_by=lambda w: w["id"])
