"""The universe: the home institution's works that a figure counts.

Rules (``Definitions.universe``):

``leiden`` (default)
    The Leiden Ranking Open Edition's publications, as its code selects them
    (CWTS-OpenAlex-databases ``indicators/table_scripts/02_create_tables.sql``
    and ``calc_leiden_ranking_open_edition.sql``): a document type that fits
    the source type — article or review in a journal; article, review or
    book chapter in a book series, a conference or an ebook platform — so a
    source is needed; at least one author, at least one raw affiliation
    string and at least one reference; not retracted. copub also drops
    OpenAlex's paratext and XPAC works (see the README's presets table).
``core``
    Leiden's *core publications*: the ``leiden`` rules restricted to
    articles and reviews in journals and articles, reviews and chapters in
    book series, in English, in a source OpenAlex marks ``is_core`` (CWTS's
    core-source flag), published in 2000 or later (``publication_year >=
    2000``, as the Leiden Ranking's database holds).
``types``
    The document types in ``Definitions.types`` (default article, review,
    book chapter), not retracted, not paratext — copub's rule before issue 12.
``all``
    Every work.

A work belongs to the home when at least one authorship is affiliated with a
home institution or one of its child units (OpenAlex lineage).
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from copub.classify.definitions import (
    CORE_TYPES,
    Definitions,
    TypesChoice,
    Universe,
    legacy_universe,
)
from copub.classify.home import home_institution_ids
from copub.classify.keyed import KeyedTables
from copub.errors import UsageError
from copub.normalize import Tables

__all__ = [
    "CORE_TYPES",
    "UNIVERSE_LABELS",
    "TypesChoice",
    "institution_works",
    "legacy_universe",
    "universe_keyed",
    "universe_rule",
    "universe_words",
    "universe_works",
]

#: The first publication year of Leiden's core publications.
CORE_FIRST_YEAR = 2000

#: How each universe rule is named in headers, footers and file notes.
UNIVERSE_LABELS: dict[str, str] = {
    "leiden": "Leiden Ranking universe",
    "core": "Leiden core publications",
    "types": "article, review, book-chapter",
    "all": "all document types",
}


def universe_words(rule: str, types: Sequence[str] = CORE_TYPES) -> str:
    """The universe a figure counts, in words (the document types of the ``types`` rule).

    Examples
    --------
    >>> universe_words("leiden"), universe_words("types", ("article",))
    ('Leiden Ranking universe', 'document types article')
    """
    if rule == "types":
        return f"document types {', '.join(types)}"
    return UNIVERSE_LABELS.get(rule, rule)


_JOURNAL_TYPES = ("article", "review")
_BOOK_TYPES = ("book-chapter", "article", "review")


def _has_affiliation(keyed: KeyedTables) -> pl.Expr:
    """Per row of ``keyed.works``: at least one raw affiliation string (Boolean).

    From ``affiliation_strings`` where the record has them; a record without
    the ``affiliations`` field falls back on ``raw_affiliation_strings``. The
    works with such an authorship are flagged by position (no group-by, no join).
    """
    strings = pl.col("n_affiliation_strings")
    has = pl.when(strings.is_null()).then(pl.col("n_raw_affiliations") > 0).otherwise(strings > 0)
    return keyed.of_works(keyed.authorships.filter(has)["wid"])


def universe_rule(rule: Universe, types: Sequence[str] = CORE_TYPES) -> pl.Expr:
    """The Boolean row filter of a universe rule over ``works`` joined with
    ``source_type``, ``source_is_core`` and ``has_affiliation`` columns.

    Examples
    --------
    >>> frame = pl.DataFrame({"type": ["article"], "source_type": ["repository"]})
    >>> frame.select(ok=universe_rule("all"))["ok"].to_list()
    [True]
    """
    kind, source = pl.col("type"), pl.col("source_type")
    if rule == "all":
        return pl.lit(True)
    if rule == "types":
        return kind.is_in(list(types)) & ~pl.col("is_retracted") & ~pl.col("is_paratext")
    journal = kind.is_in(_JOURNAL_TYPES) & (source == "journal")
    series = kind.is_in(_BOOK_TYPES) & (source == "book series")
    proceedings = kind.is_in(_BOOK_TYPES) & source.is_in(["conference", "ebook platform"])
    metadata = (
        pl.col("source_id").is_not_null()
        & (pl.col("n_authors") > 0)
        & pl.col("has_affiliation")
        & (pl.col("n_references").fill_null(0) > 0)
    )
    leiden = (
        (journal | series | proceedings).fill_null(False)
        & metadata
        & ~pl.col("is_retracted")
        & ~pl.col("is_paratext")
        & ~pl.col("is_xpac")
    )
    if rule == "leiden":
        return leiden
    if rule == "core":
        return (
            leiden
            & (journal | series).fill_null(False)
            & (pl.col("language") == "en").fill_null(False)
            & pl.col("source_is_core").fill_null(False)
            # Leiden's database starts in 2000: an older work is never a core publication.
            & (pl.col("year") >= CORE_FIRST_YEAR).fill_null(False)
        )
    raise UsageError(f"universe must be one of leiden, core, types, all, not {rule!r}")


def _with_sources(keyed: KeyedTables, works: pl.LazyFrame) -> pl.LazyFrame:
    """``works`` with ``source_type`` and ``source_is_core``: their source's (null: none)."""
    sources = keyed.sources
    ids = sources["source_id"]
    if not ids.len() or ids.null_count() or ids.n_unique() != ids.len():
        # A left join, as a source listed twice (hand-made tables) has always read.
        columns = sources.lazy().select("source_id", source_type="type", source_is_core="is_core")
        return works.join(columns, on="source_id", how="left")
    # Each source id once: its row found by a cast (no join of every work), read by position.
    row = pl.col("source_id").cast(pl.Enum(ids), strict=False).to_physical()
    return works.with_columns(
        source_type=pl.lit(sources["type"]).gather(row),
        source_is_core=pl.lit(sources["is_core"]).gather(row),
    )


def universe_keyed(keyed: KeyedTables, definitions: Definitions) -> pl.DataFrame:
    """:func:`universe_works` on keyed tables: ``wid, year``, sorted (home from ``keyed``)."""
    works = _with_sources(keyed, keyed.works.lazy()).with_columns(
        has_affiliation=_has_affiliation(keyed)
    )
    if definitions.years is not None:
        works = works.filter(pl.col("year").is_between(*definitions.years))
    works = works.filter(universe_rule(definitions.universe_rule, definitions.types))
    has_home = keyed.of_works(keyed.affiliations.filter(pl.col("is_home"))["wid"])
    return works.filter(has_home).select("wid", "year").sort("wid").collect()


def universe_works(tables: Tables, definitions: Definitions) -> pl.DataFrame:
    """The works in the universe: ``work_id, year``, sorted by ``work_id``.

    Examples
    --------
    >>> universe_works(Tables.empty(), Definitions()).columns
    ['work_id', 'year']
    """
    keyed = KeyedTables.from_tables(tables, home_institution_ids(tables, definitions.institutions))
    return keyed.with_work_ids(universe_keyed(keyed, definitions))


def institution_works(
    tables: Tables,
    institution: str,
    *,
    years: tuple[int, int] | None = None,
    types: TypesChoice = "core",
) -> pl.DataFrame:
    """The old entry point: :func:`universe_works` with ``types=`` (see :func:`legacy_universe`)."""
    fields = legacy_universe(types)
    return universe_works(
        tables,
        Definitions(institutions=(institution,), years=years, **fields),  # type: ignore[arg-type]
    )
