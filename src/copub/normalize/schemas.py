"""The table contracts: one ``pl.Schema`` per table, checked at every boundary.

Ids are short OpenAlex keys (``W…``, ``A…``, ``I…``, ``S…``, ``F…``), not URLs.
``position`` is the 0-based index of an authorship in the work's author list.
Each table ends with its integer key columns (:mod:`copub.normalize.keys`):
``work_key`` beside every ``work_id``, ``institution_key`` beside the
``institution_id`` of the institutions and affiliations tables. The build
makes the tables of :data:`UNKEYED` from the records and then adds the keys.
"""

from __future__ import annotations

from typing import Final

import polars as pl

from copub.normalize.keys import INSTITUTION_KEY, KEY_COLUMNS, WORK_KEY

__all__ = [
    "AFFILIATIONS",
    "AFFILIATION_STRINGS",
    "AUTHORSHIPS",
    "FUNDING",
    "INSTITUTIONS",
    "KEYS",
    "RAW_WORK",
    "SCHEMAS",
    "SOURCES",
    "UNKEYED",
    "WORKS",
]

_STR_LIST = pl.List(pl.String())
#: Citations received per calendar year (OpenAlex ``counts_by_year``).
_COUNTS_BY_YEAR = pl.List(pl.Struct({"year": pl.Int32(), "cited_by_count": pl.Int64()}))
_ID_NAME = pl.Struct({"id": pl.String(), "display_name": pl.String()})

#: ``authorships.affiliation_strings``: ``string_id`` numbers the distinct
#: (trimmed, non-empty) raw affiliation strings of a work, so the same string
#: under two authors has the same id; ``institution_ids`` are the string's
#: short institution ids as that authorship reports them (possibly none).
AFFILIATION_STRINGS: Final = pl.List(
    pl.Struct({"string_id": pl.Int32(), "institution_ids": _STR_LIST})
)

_WORKS: Final = pl.Schema(
    {
        "work_id": pl.String(),
        "year": pl.Int32(),
        "publication_date": pl.Date(),
        "type": pl.String(),
        "doi": pl.String(),
        "title": pl.String(),
        "language": pl.String(),
        "is_retracted": pl.Boolean(),
        "is_paratext": pl.Boolean(),
        "source_id": pl.String(),
        "issn_l": pl.String(),
        "issns": _STR_LIST,
        "n_authors": pl.Int32(),
        "is_authors_truncated": pl.Boolean(),
        # What the Leiden universe reads (issue 12): references, XPAC.
        "n_references": pl.Int32(),
        "is_xpac": pl.Boolean(),
        # --- citation impact (issue 15): null means "unavailable", never 0 ---
        "cited_by_count": pl.Int64(),
        "fwci": pl.Float64(),
        "citation_percentile": pl.Float64(),
        "is_top_1_percent": pl.Boolean(),
        "is_top_10_percent": pl.Boolean(),
        "counts_by_year": _COUNTS_BY_YEAR,
        "topic_id": pl.String(),
        "topic_name": pl.String(),
        "subfield_id": pl.String(),
        "subfield_name": pl.String(),
        "field_id": pl.String(),
        "field_name": pl.String(),
        "domain_id": pl.String(),
        "domain_name": pl.String(),
    }
)

_AUTHORSHIPS: Final = pl.Schema(
    {
        "work_id": pl.String(),
        "position": pl.Int32(),
        "author_id": pl.String(),
        "author_name": pl.String(),
        "is_corresponding": pl.Boolean(),
        "countries": _STR_LIST,
        "n_institutions": pl.Int32(),
        "n_raw_affiliations": pl.Int32(),
        # Leiden's fractional counting (issue 12): one entry per distinct raw
        # affiliation string of the authorship; null when the record has no
        # ``affiliations`` field.
        "affiliation_strings": AFFILIATION_STRINGS,
    }
)

_AFFILIATIONS: Final = pl.Schema(
    {
        "work_id": pl.String(),
        "position": pl.Int32(),
        "institution_id": pl.String(),
    }
)

_INSTITUTIONS: Final = pl.Schema(
    {
        "institution_id": pl.String(),
        "name": pl.String(),
        "ror": pl.String(),
        "country_code": pl.String(),
        "type": pl.String(),
        "lineage": _STR_LIST,
    }
)

_SOURCES: Final = pl.Schema(
    {
        "source_id": pl.String(),
        "name": pl.String(),
        "type": pl.String(),
        "issn_l": pl.String(),
        "issns": _STR_LIST,
        "publisher": pl.String(),
        # CWTS's core-source flag, as OpenAlex reports it (issue 12).
        "is_core": pl.Boolean(),
    }
)

_FUNDING: Final = pl.Schema(
    {
        "work_id": pl.String(),
        "funder_id": pl.String(),
        "funder_name": pl.String(),
        "funder_ror": pl.String(),
        "award_id": pl.String(),
    }
)

#: The tables as the build makes them from the records, before the keys.
UNKEYED: Final[dict[str, pl.Schema]] = {
    "works": _WORKS,
    "authorships": _AUTHORSHIPS,
    "affiliations": _AFFILIATIONS,
    "institutions": _INSTITUTIONS,
    "sources": _SOURCES,
    "funding": _FUNDING,
}
_KEY_TYPES = {WORK_KEY: pl.UInt32(), INSTITUTION_KEY: pl.UInt32()}


def _keyed(name: str) -> pl.Schema:
    return pl.Schema({**UNKEYED[name], **{k: _KEY_TYPES[k] for k in KEY_COLUMNS[name]}})


WORKS: Final = _keyed("works")
AUTHORSHIPS: Final = _keyed("authorships")
AFFILIATIONS: Final = _keyed("affiliations")
INSTITUTIONS: Final = _keyed("institutions")
SOURCES: Final = _keyed("sources")
FUNDING: Final = _keyed("funding")

#: The six-table contract: every table with its key columns last.
SCHEMAS: Final[dict[str, pl.Schema]] = {
    "works": WORKS,
    "authorships": AUTHORSHIPS,
    "affiliations": AFFILIATIONS,
    "institutions": INSTITUTIONS,
    "sources": SOURCES,
    "funding": FUNDING,
}

#: The key of each table: no two rows share it.
KEYS: Final[dict[str, tuple[str, ...]]] = {
    "works": ("work_id",),
    "authorships": ("work_id", "position"),
    "affiliations": ("work_id", "position", "institution_id"),
    "institutions": ("institution_id",),
    "sources": ("source_id",),
    "funding": ("work_id", "funder_id", "award_id"),
}

_INSTITUTION = pl.Struct(
    {
        "id": pl.String(),
        "display_name": pl.String(),
        "ror": pl.String(),
        "country_code": pl.String(),
        "type": pl.String(),
        "lineage": _STR_LIST,
    }
)

#: The narrow schema of one raw OpenAlex work: only the fields copub reads.
#: Passing it to polars' JSON readers skips everything else (abstracts,
#: concepts, references), which is what makes normalizing fast.
RAW_WORK: Final = pl.Schema(
    {
        "id": pl.String(),
        "doi": pl.String(),
        "display_name": pl.String(),
        # Float64, so a year such as 2020.7 or 99999999999 is seen and refused
        # (copub.normalize.reader), never cut or overflowed to another year.
        "publication_year": pl.Float64(),
        "publication_date": pl.String(),
        "type": pl.String(),
        "language": pl.String(),
        "is_retracted": pl.Boolean(),
        "is_paratext": pl.Boolean(),
        "is_authors_truncated": pl.Boolean(),
        "updated_date": pl.String(),
        # Leiden universe fields (issue 12).
        "is_xpac": pl.Boolean(),
        "referenced_works_count": pl.Int32(),
        "primary_location": pl.Struct(
            {
                "source": pl.Struct(
                    {
                        "id": pl.String(),
                        "display_name": pl.String(),
                        "issn_l": pl.String(),
                        "issn": _STR_LIST,
                        "type": pl.String(),
                        "host_organization_name": pl.String(),
                        "is_core": pl.Boolean(),
                    }
                )
            }
        ),
        "authorships": pl.List(
            pl.Struct(
                {
                    "author": pl.Struct({"id": pl.String(), "display_name": pl.String()}),
                    "institutions": pl.List(_INSTITUTION),
                    "countries": _STR_LIST,
                    "is_corresponding": pl.Boolean(),
                    "raw_author_name": pl.String(),
                    "raw_affiliation_strings": _STR_LIST,
                    "affiliations": pl.List(
                        pl.Struct(
                            {"raw_affiliation_string": pl.String(), "institution_ids": _STR_LIST}
                        )
                    ),
                }
            )
        ),
        "grants": pl.List(
            pl.Struct(
                {"funder": pl.String(), "funder_display_name": pl.String(), "award_id": pl.String()}
            )
        ),
        "awards": pl.List(
            pl.Struct(
                {
                    "funder_id": pl.String(),
                    "funder_display_name": pl.String(),
                    "funder_award_id": pl.String(),
                }
            )
        ),
        "funders": pl.List(
            pl.Struct({"id": pl.String(), "display_name": pl.String(), "ror": pl.String()})
        ),
        # --- citation impact (issue 15) ---
        "cited_by_count": pl.Int64(),
        "fwci": pl.Float64(),
        "citation_normalized_percentile": pl.Struct(
            {
                "value": pl.Float64(),
                "is_in_top_1_percent": pl.Boolean(),
                "is_in_top_10_percent": pl.Boolean(),
            }
        ),
        "counts_by_year": _COUNTS_BY_YEAR,
        "primary_topic": pl.Struct(
            {
                "id": pl.String(),
                "display_name": pl.String(),
                "subfield": _ID_NAME,
                "field": _ID_NAME,
                "domain": _ID_NAME,
            }
        ),
    }
)
