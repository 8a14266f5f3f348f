"""Publication points (NVI) of the home institution(s), per work and per year.

The rules are :mod:`~copub.analyses.points.rules` (the national system's,
ported); this module finds their inputs in copub's labelled works and tables:

- the channel level is the labelling's ``level`` (the register's level for
  the work's year, :func:`copub.classify.channels.level_labels`), never
  derived again here;
- international is the national rule (an affiliation country other than
  ``NO``) applied to the labelling's ``countries`` of the work;
- the publication type is OpenAlex's work type (:data:`PUBLICATION_TYPES`),
  and the channel is the journal of an article or review and the series of
  a book or chapter (the register is matched on ISSNs);
- the author shares count each authorship once per distinct top-level
  institution (:func:`~copub.analyses.points.rules.organisation_count` on the
  OpenAlex lineages), at least once;
- an institution's creators are its authorships: those affiliated with it or
  a child unit (:func:`copub.classify.home.home_institution_ids`).

The points of one (work, institution) depend only on (type, channel, level,
international, creators, shares); each distinct combination is computed once
with :func:`~copub.analyses.points.rules.institution_points` in decimals, and
sums are taken in ten-thousandths (integers), so every figure is exact.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import polars as pl

from copub.analyses.points import rules
from copub.analyses.points.differences import DIFFERENCES
from copub.classify.definitions import Definitions
from copub.classify.home import home_institution_ids
from copub.errors import UsageError
from copub.indicators.label_cache import cached_results
from copub.indicators.labels import LabelledWorks, label_works
from copub.normalize import Tables

__all__ = [
    "CHANNEL_KINDS",
    "POINTS_BY_YEAR_SCHEMA",
    "POINTS_PER_WORK_SCHEMA",
    "PUBLICATION_TYPES",
    "PointsResult",
    "compute_points",
]

#: OpenAlex work type -> NVI publication type; other types earn no points.
PUBLICATION_TYPES: dict[str, rules.PublicationType] = {
    "article": "article",
    "review": "review",
    "book": "monograph",
    "book-chapter": "chapter",
}
#: The channel an ISSN-matched level belongs to, per NVI publication type.
CHANNEL_KINDS: dict[rules.PublicationType, rules.ChannelKind] = {
    "article": "journal",
    "review": "journal",
    "monograph": "series",
    "commentary": "series",
    "chapter": "series",
}

#: One row per (work, institution) that earns points.
POINTS_PER_WORK_SCHEMA = pl.Schema(
    {
        "work_id": pl.String,
        "year": pl.Int32,
        "institution_id": pl.String,
        "publication_type": pl.String,
        "channel_kind": pl.String,
        "level": pl.Int8,
        "base_points": pl.Float64,
        "intl": pl.Boolean,
        "institution_creators": pl.Int32,
        "creator_shares": pl.Int32,
        "author_share_fraction": pl.Float64,
        "points": pl.Float64,
        "points_without_intl": pl.Float64,
    }
)

#: One row per (year, institution): the sums of :data:`POINTS_PER_WORK_SCHEMA`.
POINTS_BY_YEAR_SCHEMA = pl.Schema(
    {
        "year": pl.Int32,
        "institution_id": pl.String,
        "universe_works": pl.Int32,
        "counted_type_works": pl.Int32,
        "not_in_register_works": pl.Int32,
        "register_covers_year": pl.Boolean,
        "works": pl.Int32,
        "points": pl.Float64,
        "points_per_work": pl.Float64,
        "level2_points": pl.Float64,
        "level2_points_share": pl.Float64,
        "intl_works": pl.Int32,
        "intl_factor_effect": pl.Float64,
    }
)

_E4 = Decimal(10_000)
_KEY = [
    "publication_type",
    "channel_kind",
    "level",
    "intl",
    "institution_creators",
    "creator_shares",
]


@dataclass(frozen=True)
class PointsResult:
    """Publication points of the home institution(s).

    Attributes
    ----------
    points_by_year : pl.DataFrame
        :data:`POINTS_BY_YEAR_SCHEMA`; one row per institution and year.
        ``works``: works that earn points; ``intl_factor_effect``: points the
        1.3 factor adds; ``level2_points_share``: level-2 works' points over
        all points. The points columns are null in years the register does
        not cover (``register_covers_year``), never zero.
    points_per_work : pl.DataFrame
        :data:`POINTS_PER_WORK_SCHEMA`; one row per work and institution
        that earns points.
    available : bool
        False without a channel register (both tables empty).
    reason : str or None
        Why the points are unavailable.
    notes : tuple of str
        Where these points differ from the national system's
        (:data:`~copub.analyses.points.differences.DIFFERENCES`), and any
        year the register does not cover.
    """

    points_by_year: pl.DataFrame
    points_per_work: pl.DataFrame
    available: bool
    reason: str | None
    notes: tuple[str, ...]


def _labelled(source: LabelledWorks | Tables, definitions: Definitions) -> LabelledWorks:
    if isinstance(source, LabelledWorks):
        served = source.serving(definitions)
        return served if served is not None else label_works(source.tables, definitions)
    if isinstance(source, Tables):
        return label_works(source, definitions)
    raise UsageError(f"points: expected LabelledWorks or Tables, not {type(source).__name__}")


def _typed(labelled: LabelledWorks) -> pl.DataFrame:
    """``work_id, year, publication_type, channel_kind, level, intl, n_authors`` per work."""
    works = labelled.tables.works.select("work_id", "type", "n_authors")
    return (
        labelled.works.select("work_id", "year", "level", "countries")
        .join(works, on="work_id", how="left")
        .with_columns(
            publication_type=pl.col("type").replace_strict(PUBLICATION_TYPES, default=None),
        )
        .with_columns(
            channel_kind=pl.col("publication_type").replace_strict(CHANNEL_KINDS, default=None),
            intl=pl.col("countries")
            .list.eval(pl.element() != rules.HOME_COUNTRY)
            .list.any()
            .fill_null(False),
        )
        .select(
            "work_id",
            "year",
            "publication_type",
            "channel_kind",
            "level",
            "intl",
            pl.col("n_authors").fill_null(0),
        )
    )


def _organisation_counts(tables: Tables, authorships: pl.DataFrame) -> pl.DataFrame:
    """``institutions`` (sorted list) -> ``organisations`` for each list of 2 or more."""
    combos = authorships.filter(pl.col("institutions").list.len() >= 2).select("institutions")
    combos = combos.unique()
    if combos.is_empty():
        return pl.DataFrame(schema={"institutions": pl.List(pl.String), "organisations": pl.Int32})
    needed = combos.explode("institutions").unique()["institutions"]
    known = tables.institutions.filter(pl.col("institution_id").is_in(needed.implode()))
    lineage = {
        row["institution_id"]: {row["institution_id"], *(row["lineage"] or ())}
        for row in known.select("institution_id", "lineage").iter_rows(named=True)
    }
    counts = [
        rules.organisation_count([lineage.get(i, {i}) for i in ids])
        for ids in combos["institutions"].to_list()
    ]
    return combos.with_columns(organisations=pl.Series(counts, dtype=pl.Int32))


def _creator_shares(tables: Tables, works: pl.DataFrame) -> pl.DataFrame:
    """``work_id, creator_shares``: every authorship's top-level institutions, at least 1.

    Authors OpenAlex left out of a truncated list count one share each.
    """
    keys = works.select("work_id")
    affiliations = (
        tables.affiliations.join(keys, on="work_id", how="semi")
        .select("work_id", "position", "institution_id")
        .unique()
    )
    authorships = (
        tables.authorships.join(keys, on="work_id", how="semi")
        .select("work_id", "position")
        .unique()
        .join(
            affiliations.group_by("work_id", "position").agg(
                institutions=pl.col("institution_id").sort()
            ),
            on=["work_id", "position"],
            how="left",
        )
        .with_columns(pl.col("institutions").fill_null([]))
    )
    organisations = _organisation_counts(tables, authorships)
    shares = (
        authorships.join(organisations, on="institutions", how="left")
        .with_columns(
            share=pl.max_horizontal(
                pl.coalesce("organisations", pl.col("institutions").list.len()), pl.lit(1)
            )
        )
        .group_by("work_id")
        .agg(listed=pl.len(), shares=pl.col("share").sum())
    )
    return (
        works.select("work_id", "n_authors")
        .join(shares, on="work_id", how="left")
        .select(
            "work_id",
            creator_shares=(
                pl.col("shares").fill_null(0)
                + pl.max_horizontal(pl.col("n_authors") - pl.col("listed").fill_null(0), 0)
            ).cast(pl.Int32),
        )
    )


def _institution_creators(
    tables: Tables, works: pl.DataFrame, institutions: Sequence[str]
) -> pl.DataFrame:
    """``work_id, institution_id, institution_creators`` where the institution has a creator."""
    keys = works.select("work_id")
    affiliations = tables.affiliations.join(keys, on="work_id", how="semi")
    parts = []
    for institution in institutions:
        ids = home_institution_ids(tables, institution)
        parts.append(
            affiliations.filter(pl.col("institution_id").is_in(ids))
            .group_by("work_id")
            .agg(institution_creators=pl.col("position").n_unique().cast(pl.Int32))
            .with_columns(institution_id=pl.lit(institution))
        )
    return pl.concat(parts).select("work_id", "institution_id", "institution_creators")


def _combination_points(keys: pl.DataFrame) -> pl.DataFrame:
    """Each distinct rule input with its base points, fraction and points (ten-thousandths)."""
    rows = []
    for kind, channel, level, intl, creators, shares in keys.iter_rows():
        base = rules.base_points(kind, channel, level)
        assert base is not None  # the keys are candidates only
        points = rules.institution_points(base, intl, creators, shares)
        plain = rules.institution_points(base, False, creators, shares)
        fraction = rules.contributor_fraction(creators, shares)
        rows.append((float(base), float(fraction), int(points * _E4), int(plain * _E4)))
    values = pl.DataFrame(
        rows,
        schema={
            "base_points": pl.Float64,
            "author_share_fraction": pl.Float64,
            "points_e4": pl.Int64,
            "plain_e4": pl.Int64,
        },
        orient="row",
    )
    return pl.concat([keys, values], how="horizontal")


def _from_e4(expr: pl.Expr) -> pl.Expr:
    """Ten-thousandths as the nearest float to the 4-decimal value (polars' division
    alone can land one float step off, 60.989700000000006 for 609897)."""
    return (expr / 10_000).round(4)


def _candidate_levels() -> pl.DataFrame:
    """``publication_type, channel_kind, level`` of every pairing that earns points."""
    return pl.DataFrame(
        [
            (kind, channel, level)
            for (kind, channel), by in rules.BASE_POINTS.items()
            for level in by
        ],
        schema={"publication_type": pl.String, "channel_kind": pl.String, "level": pl.Int8},
        orient="row",
    )


def _per_work(labelled: LabelledWorks, typed: pl.DataFrame) -> pl.DataFrame:
    tables = labelled.tables
    candidates = typed.join(
        _candidate_levels(), on=["publication_type", "channel_kind", "level"], how="semi"
    )
    institutions = labelled.definitions.institutions
    frame = candidates.join(
        _institution_creators(tables, candidates, institutions), on="work_id"
    ).join(_creator_shares(tables, candidates), on="work_id")
    if frame.is_empty():
        return (
            pl.DataFrame(schema=POINTS_PER_WORK_SCHEMA)
            .with_columns(points_e4=pl.lit(0, pl.Int64), plain_e4=pl.lit(0, pl.Int64))
            .clear()
        )
    combos = _combination_points(frame.select(_KEY).unique(maintain_order=True))
    return (
        frame.join(combos, on=_KEY, how="left")
        .with_columns(
            points=_from_e4(pl.col("points_e4")), points_without_intl=_from_e4(pl.col("plain_e4"))
        )
        .select(*POINTS_PER_WORK_SCHEMA.names(), "points_e4", "plain_e4")
        .cast(POINTS_PER_WORK_SCHEMA)
        .sort("institution_id", "year", "work_id")
    )


def _by_year(
    labelled: LabelledWorks, typed: pl.DataFrame, per_work: pl.DataFrame, covered: tuple[int, int]
) -> pl.DataFrame:
    definitions = labelled.definitions
    tables = labelled.tables
    institutions = definitions.institutions
    if definitions.years is not None:
        years = list(range(definitions.years[0], definitions.years[1] + 1))
    else:
        years = sorted(typed["year"].unique().drop_nulls().to_list())
    grid = pl.DataFrame({"year": years}, schema={"year": pl.Int32}).join(
        pl.DataFrame({"institution_id": list(institutions)}, schema={"institution_id": pl.String}),
        how="cross",
    )
    members = typed.join(_institution_creators(tables, typed, institutions), on="work_id")
    counts = members.group_by("year", "institution_id").agg(
        universe_works=pl.len(),
        counted_type_works=pl.col("publication_type").is_not_null().sum(),
        not_in_register_works=(
            pl.col("publication_type").is_not_null() & pl.col("level").is_null()
        ).sum(),
    )
    e4 = pl.col("points_e4")
    sums = per_work.group_by("year", "institution_id").agg(
        works=pl.len(),
        points_e4=e4.sum(),
        level2_e4=e4.filter(pl.col("level") == 2).sum(),
        intl_works=pl.col("intl").sum(),
        effect_e4=(e4 - pl.col("plain_e4")).sum(),
    )
    covers = pl.col("year").is_between(*covered)
    points = pl.col("points_e4").fill_null(0)

    def when_covered(expr: pl.Expr) -> pl.Expr:
        return pl.when(covers).then(expr).otherwise(None)

    frame = (
        grid.join(counts, on=["year", "institution_id"], how="left")
        .join(sums, on=["year", "institution_id"], how="left")
        .with_columns(
            pl.col("universe_works", "counted_type_works", "not_in_register_works").fill_null(0),
            register_covers_year=covers,
            works=when_covered(pl.col("works").fill_null(0)),
            points=when_covered(_from_e4(points)),
            points_per_work=when_covered(
                pl.when(pl.col("works") > 0).then(points / 10_000 / pl.col("works"))
            ),
            level2_points=when_covered(_from_e4(pl.col("level2_e4").fill_null(0))),
            level2_points_share=when_covered(
                pl.when(points > 0).then(pl.col("level2_e4").fill_null(0) / points)
            ),
            intl_works=when_covered(pl.col("intl_works").fill_null(0)),
            intl_factor_effect=when_covered(_from_e4(pl.col("effect_e4").fill_null(0))),
        )
    )
    order = {institution: i for i, institution in enumerate(institutions)}
    return (
        frame.select(POINTS_BY_YEAR_SCHEMA.names())
        .cast(POINTS_BY_YEAR_SCHEMA)
        .sort(pl.col("institution_id").replace_strict(order, return_dtype=pl.Int32), "year")
    )


def _unavailable(reason: str) -> PointsResult:
    return PointsResult(
        points_by_year=pl.DataFrame(schema=POINTS_BY_YEAR_SCHEMA),
        points_per_work=pl.DataFrame(schema=POINTS_PER_WORK_SCHEMA),
        available=False,
        reason=reason,
        notes=DIFFERENCES,
    )


def compute_points(
    labelled_or_tables: LabelledWorks | Tables, definitions: Definitions
) -> PointsResult:
    """The publication points of every institution of ``definitions``, per work and year.

    Parameters
    ----------
    labelled_or_tables : LabelledWorks or Tables
        Labelled works (relabelled when they cannot serve ``definitions``;
        they must come from in-memory tables), or tables to label.
    definitions : Definitions
        ``institutions`` (one row per institution and year: a peers run
        passes several), ``years``, ``universe`` and ``register``.

    Returns
    -------
    PointsResult
        ``available=False`` with the reason when there is no channel register.

    Examples
    --------
    >>> import copub
    >>> result = compute_points(copub.load_sample(scale=0.01), Definitions(years=(2020, 2021)))
    >>> result.available, result.reason
    (False, 'publication points need the channel register for channel levels: pass one ...')
    """
    register = definitions.channel_register
    if register is None:
        return _unavailable(
            "publication points need the channel register for channel levels: pass one "
            "(--register FILE, or Definitions(register=...)); without it no work has a level"
        )
    labelled = _labelled(labelled_or_tables, definitions)

    def compute() -> dict[str, pl.DataFrame]:
        typed = _typed(labelled)
        per_work = _per_work(labelled, typed)
        return {
            "per_work": per_work,
            "by_year": _by_year(labelled, typed, per_work, register.years),
        }

    # Pure in the tables and definitions (the register's levels among them): cached for the sample.
    tables = cached_results(labelled.source, definitions, "points", compute)
    per_work, by_year = tables["per_work"], tables["by_year"]
    uncovered = by_year.filter(~pl.col("register_covers_year"))["year"].unique().sort()
    notes = DIFFERENCES
    if not uncovered.is_empty():
        notes += (
            f"The register ({register.source}) has levels for {register.years[0]}-"
            f"{register.years[1]} only; no points are given for "
            f"{', '.join(str(y) for y in uncovered.to_list())}.",
        )
    return PointsResult(
        points_by_year=by_year,
        points_per_work=per_work.drop("points_e4", "plain_e4"),
        available=True,
        reason=None,
        notes=notes,
    )
