"""Chunk frames to OpenAlex work JSON, assembled from pre-encoded pieces in polars.

Every free-text piece (names, institutions, sources, funders) is JSON-encoded
once with orjson when the world is built; here the pieces are only gathered
and concatenated, column-wise, so no Python object is made per work.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import polars as pl

from copub.sample.fat import FatPools, fat_columns
from copub.sample.ids import OPENALEX
from copub.sample.impact import impact_fields
from copub.sample.institutions import country_name
from copub.sample.works import TRUNCATE_AT, Chunk
from copub.sample.world import World

__all__ = ["encode_chunk"]

_UPDATED = "2025-11-01T00:00:00.000000"


def _gather(series: pl.Series, rows: npt.NDArray[np.int64] | pl.Series) -> pl.Series:
    """``series[rows]``, with null where a row is -1."""
    index = pl.Series(rows, dtype=pl.Int64)
    return series.gather(pl.select(pl.when(index >= 0).then(index)).to_series())


def _quoted(values: pl.Series) -> pl.Expr:
    return pl.lit('"') + pl.lit(values) + pl.lit('"')


def _authorship_json(
    world: World, a: pl.DataFrame, n_authors: pl.Series, fat: bool
) -> pl.DataFrame:
    inst = world.institutions.frame
    frag, raw, code, ids = inst["frag"], inst["raw"], inst["country_code"], inst["institution_id"]
    pool_codes = pl.Series(world.institutions.pool_codes)
    pool_raw = pl.Series([f'"{country_name(c)}"' for c in world.institutions.pool_codes])
    rows = {k: a[k].to_numpy() for k in ("inst1", "inst2", "inst3", "country_pool")}
    c1, c2, c3 = (_gather(code, rows[k]) for k in ("inst1", "inst2", "inst3"))
    c0 = _gather(pool_codes, rows["country_pool"])
    last = a["position"] == (n_authors.gather(a["work"]) - 1)
    codes = pl.DataFrame({"c0": c0, "c1": c1, "c2": c2, "c3": c3}).select(
        "c0",
        "c1",
        c2=pl.when(pl.col("c2") != pl.col("c1")).then("c2"),
        c3=pl.when(
            (pl.col("c3") != pl.col("c1")) & (pl.col("c3") != pl.col("c2").fill_null(""))
        ).then("c3"),
    )
    quoted = [pl.lit('"') + pl.col(c) + pl.lit('"') for c in ("c0", "c1", "c2", "c3")]
    pieces = pl.DataFrame(
        {
            "f1": _gather(frag, rows["inst1"]),
            "f2": _gather(frag, rows["inst2"]),
            "f3": _gather(frag, rows["inst3"]),
            "r0": _gather(pool_raw, rows["country_pool"]),
            "r1": _gather(raw, rows["inst1"]),
            "r2": _gather(raw, rows["inst2"]),
            "r3": _gather(raw, rows["inst3"]),
            "i1": _gather(ids, rows["inst1"]),
            "i2": _gather(ids, rows["inst2"]),
            "i3": _gather(ids, rows["inst3"]),
            "name": world.authors.name_frags.gather(a["name"]),
            "orcid": _gather(world.authors.orcid_frags, a["orcid_row"].to_numpy()).fill_null(
                "null"
            ),
        }
    ).with_columns(codes)
    author_id = pl.format("A9{}", a["author_num"].cast(pl.String).str.zfill(11))
    position = (
        pl.when(pl.Series(a["position"] == 0))
        .then(pl.lit("first"))
        .when(pl.Series(last))
        .then(pl.lit("last"))
        .otherwise(pl.lit("middle"))
    )
    parts: list[pl.Expr] = [
        pl.lit('{"author_position":"'),
        position,
        pl.lit('","author":{"id":"' + OPENALEX),
        author_id,
        pl.lit('","display_name":'),
        pl.col("name"),
        pl.lit(',"orcid":'),
        pl.col("orcid"),
        pl.lit('},"institutions":['),
        pl.concat_str(["f1", "f2", "f3"], separator=",", ignore_nulls=True),
        pl.lit('],"countries":['),
        pl.concat_str(quoted, separator=",", ignore_nulls=True),
        pl.lit('],"is_corresponding":'),
        pl.when(pl.Series(a["is_corresponding"])).then(pl.lit("true")).otherwise(pl.lit("false")),
        pl.lit(',"raw_author_name":'),
        pl.col("name"),
        pl.lit(',"raw_affiliation_strings":['),
        pl.concat_str(["r0", "r1", "r2", "r3"], separator=",", ignore_nulls=True),
        pl.lit("]"),
    ]
    # Raw affiliation strings, as irregular as OpenAlex's (issue 12): a
    # country-only string naming no institution, one string per institution,
    # and for some authorships one string naming two institutions; one work
    # in 50 is an older record with no ``affiliations`` field at all.
    key = (a["work"].cast(pl.Int64) * 31 + a["position"].cast(pl.Int64) * 7) % 100
    joint = pl.Series(key < 15) & pl.col("i2").is_not_null()
    single = [
        pl.lit('{"raw_affiliation_string":')
        + pl.col(r)
        + pl.lit(',"institution_ids":["' + OPENALEX)
        + pl.col(i)
        + pl.lit('"]}')
        for r, i in (("r1", "i1"), ("r2", "i2"), ("r3", "i3"))
    ]
    both = (
        pl.lit('{"raw_affiliation_string":')
        + pl.col("r1").str.strip_suffix('"')
        + pl.lit("; ")
        + pl.col("r2").str.strip_prefix('"')
        + pl.lit(',"institution_ids":["' + OPENALEX)
        + pl.col("i1")
        + pl.lit('","' + OPENALEX)
        + pl.col("i2")
        + pl.lit('"]}')
    )
    only_country = (
        pl.lit('{"raw_affiliation_string":') + pl.col("r0") + pl.lit(',"institution_ids":[]}')
    )
    # Some authors also give a second string that names no institution (a
    # phone number, a bare street address), as W2102727322's do in OpenAlex.
    loose = pl.when(pl.Series(key % 10 == 3) & pl.col("i1").is_not_null()).then(
        pl.lit('{"raw_affiliation_string":"Postboks ')
        + pl.Series(a["work"].cast(pl.Int64) % 97 + 100).cast(pl.String)
        + pl.lit('","institution_ids":[]}')
    )
    strings = (
        pl.when(joint)
        .then(
            pl.concat_str([only_country, both, single[2], loose], separator=",", ignore_nulls=True)
        )
        .otherwise(pl.concat_str([only_country, *single, loose], separator=",", ignore_nulls=True))
    )
    old_record = pl.Series((a["work"].cast(pl.Int64) % 50) == 17)
    parts.append(
        pl.when(old_record)
        .then(pl.lit(""))
        .otherwise(pl.lit(',"affiliations":[') + strings + pl.lit("]"))
    )
    parts.append(pl.lit("}"))
    return pieces.select(
        work=a["work"],
        position=a["position"],
        author_id=author_id,
        is_corresponding=a["is_corresponding"],
        i1=pl.col("i1"),
        i2=pl.col("i2"),
        i3=pl.col("i3"),
        c0=pl.col("c0"),
        c1=pl.col("c1"),
        c2=pl.col("c2"),
        c3=pl.col("c3"),
        json=pl.concat_str(parts),
    )


def _per_work(authorships: pl.DataFrame, hyper_rows: pl.Series) -> pl.DataFrame:
    """Authorship lists (truncated and complete) and the work-level counts."""
    page = (
        authorships.filter(pl.col("position") < TRUNCATE_AT)
        .group_by("work", maintain_order=True)
        .agg(page=pl.col("json").str.join(","))
    )
    full = (
        authorships.filter(pl.col("work").is_in(hyper_rows.implode()))
        .group_by("work", maintain_order=True)
        .agg(full=pl.col("json").str.join(","))
    )
    countries = (
        authorships.select("work", "c0", "c1", "c2", "c3")
        .unpivot(index="work")
        .drop_nulls("value")
        .group_by("work")
        .agg(n_countries=pl.col("value").n_unique())
    )
    institutions = (
        authorships.select("work", "i1", "i2", "i3")
        .unpivot(index="work")
        .drop_nulls("value")
        .group_by("work")
        .agg(n_institutions=pl.col("value").n_unique())
    )
    corresponding = authorships.filter(pl.col("is_corresponding")).select(
        "work",
        corr_author=pl.lit('"' + OPENALEX) + pl.col("author_id") + pl.lit('"'),
        corr_insts=pl.concat_str(
            [pl.lit('"' + OPENALEX) + pl.col(c) + pl.lit('"') for c in ("i1", "i2", "i3")],
            separator=",",
            ignore_nulls=True,
        ),
    )
    return (
        page.join(full, on="work", how="left")
        .join(countries, on="work", how="left")
        .join(institutions, on="work", how="left")
        .join(corresponding, on="work", how="left")
        .with_columns(pl.col("n_countries", "n_institutions").fill_null(0))
    )


def _bool(expr: pl.Expr) -> pl.Expr:
    return pl.when(expr).then(pl.lit("true")).otherwise(pl.lit("false"))


def _location(doi: pl.Expr, oa: pl.Expr) -> pl.Expr:
    """The primary location: the work's DOI page in its source."""
    return pl.concat_str(
        [
            pl.lit('{"is_oa":'),
            oa,
            pl.lit(',"landing_page_url":'),
            doi,
            pl.lit(',"pdf_url":null,"source":'),
            pl.col("source_frag").fill_null("null"),
            pl.lit(',"license":null,"license_id":null,"version":"publishedVersion",'),
            pl.lit('"is_accepted":true,"is_published":true}'),
        ]
    )


def encode_chunk(
    world: World, chunk: Chunk, attributes: pl.DataFrame, fat: FatPools | None = None
) -> pl.DataFrame:
    """``number, year, is_hyper, page_json, full_json`` for every work of the chunk.

    ``page_json`` is the record as a list response gives it (authorships cut
    at 100, ``is_authors_truncated``); ``full_json`` is the complete
    single-work record, set only for hyperauthored works.
    """
    n_authors = attributes["n_authors"]
    authorships = _authorship_json(world, chunk.authorships, n_authors, fat is not None)
    hyper_rows = pl.Series(np.flatnonzero(attributes["is_hyper"].to_numpy()).astype(np.int32))
    per_work = _per_work(authorships, hyper_rows)
    sources = world.sources.frame["frag"]
    works = (
        attributes.with_row_index("work")
        .with_columns(pl.col("work").cast(pl.Int32))
        .with_columns(
            source_frag=_gather(sources, attributes["source"].to_numpy()),
        )
    )
    works = works.join(per_work, on="work", how="left", maintain_order="left")
    # Citation impact (issue 15): replaces cited_by_count, adds the other fields.
    works = works.with_columns(impact_fields(world, chunk, attributes))
    wid = pl.format("W9{}", pl.col("number").cast(pl.String).str.zfill(11))
    doi = (
        pl.when(pl.col("doi").is_not_null())
        .then(pl.lit('"') + pl.col("doi") + pl.lit('"'))
        .otherwise(pl.lit("null"))
    )
    oa = _bool(pl.col("is_oa"))
    location = _location(doi, oa)
    heavy: list[pl.Expr] = []
    if fat is not None:
        first = int(attributes["number"][0])
        rest = fat_columns(fat, world.seed, chunk.year, first, attributes.height)
        heavy = [
            pl.lit(',"locations_count":2,"locations":['),
            location,
            pl.lit("," + fat.repository_location + '],"best_oa_location":'),
            location,
            pl.lit(rest),
        ]
    head = pl.concat_str(
        [
            pl.lit('{"id":"' + OPENALEX),
            wid,
            pl.lit('","doi":'),
            doi,
            pl.lit(',"title":"'),
            pl.col("title"),
            pl.lit('","display_name":"'),
            pl.col("title"),
            pl.lit('","publication_year":'),
            pl.col("year").cast(pl.String),
            pl.lit(',"publication_date":"'),
            pl.col("date"),
            pl.lit('","ids":{"openalex":"' + OPENALEX),
            wid,
            pl.lit('"'),
            pl.when(pl.col("doi").is_not_null())
            .then(pl.lit(',"doi":') + doi)
            .otherwise(pl.lit("")),
            pl.lit('},"language":'),
            pl.when(pl.col("language").is_not_null())
            .then(pl.lit('"') + pl.col("language") + pl.lit('"'))
            .otherwise(pl.lit("null")),
            pl.lit(',"primary_location":'),
            location,
            pl.lit(',"type":"'),
            pl.col("type"),
            pl.lit('","type_crossref":"'),
            pl.col("crossref"),
            pl.lit('","open_access":{"is_oa":'),
            oa,
            pl.lit(',"oa_status":'),
            pl.when(pl.col("is_oa")).then(pl.lit('"green"')).otherwise(pl.lit('"closed"')),
            pl.lit(',"oa_url":null,"any_repository_has_fulltext":false},"authorships":['),
        ]
    )
    tail = pl.concat_str(
        [
            pl.lit(',"countries_distinct_count":'),
            pl.col("n_countries").cast(pl.String),
            pl.lit(',"institutions_distinct_count":'),
            pl.col("n_institutions").cast(pl.String),
            pl.lit(',"corresponding_author_ids":['),
            pl.col("corr_author").fill_null(""),
            pl.lit('],"corresponding_institution_ids":['),
            pl.col("corr_insts").fill_null(""),
            pl.lit('],"cited_by_count":'),
            pl.col("cited_by_count").cast(pl.String),
            pl.col("impact"),
            pl.lit(',"biblio":{"volume":"'),
            pl.col("volume").cast(pl.String),
            pl.lit('","issue":null,"first_page":"'),
            pl.col("first_page").cast(pl.String),
            pl.lit('","last_page":"'),
            (pl.col("first_page") + 11).cast(pl.String),
            pl.lit('"},"is_retracted":'),
            _bool(pl.col("is_retracted")),
            pl.lit(',"is_paratext":'),
            _bool(pl.col("is_paratext")),
            pl.lit(',"is_xpac":'),
            _bool(pl.col("is_xpac")),
            pl.lit(',"referenced_works_count":'),
            pl.col("n_references").cast(pl.String),
            pl.lit(',"grants":['),
            pl.col("grants"),
            pl.lit('],"updated_date":"' + _UPDATED + '","created_date":"'),
            pl.col("date"),
            pl.lit('"'),
            *heavy,
            pl.lit("}"),
        ]
    )
    truncated = pl.col("n_authors") > TRUNCATE_AT
    return works.select(
        "number",
        "year",
        "is_hyper",
        page_json=pl.concat_str(
            [head, pl.col("page"), pl.lit('],"is_authors_truncated":'), _bool(truncated), tail]
        ),
        full_json=pl.when(pl.col("full").is_not_null()).then(
            pl.concat_str([head, pl.col("full"), pl.lit('],"is_authors_truncated":false'), tail])
        ),
    )
