"""Inside the institution: the figures per OpenAlex field (domain, subfield) or per unit.

:func:`breakdown_indicators` labels the universe once
(:func:`~copub.indicators.labels.label_works`), splits the labelled works
into groups and runs :func:`~copub.indicators.yearly.yearly_indicators` (or
the window table) on each group's works, so every share is computed by the
same code as the institution's own table.

Groups
------
``field``, ``domain``, ``subfield``
    The work's OpenAlex ``primary_topic`` (its field, domain or subfield id
    and name). A work without one is in the ``unknown`` group. Each work is
    in exactly one group, so full and fractional counts add up to the total.
``unit``
    The child institutions of the home institution (OpenAlex lineage) on the
    work's home authorships, e.g. faculties or departments. A work whose home
    authorships name only the top-level institution is in the ``no_unit``
    group. A work on two units counts fully in both (full counting), and its
    home weight is split equally between them (fractional counting), so the
    fractional counts add up to the total and the full counts add up to at
    least the total.

A group with fewer than ``min_works`` works in a row is flagged ``small``,
never hidden. :func:`where_we_stand` ranks the groups by a share pooled over
the requested years.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Literal

import polars as pl

from copub.classify.definitions import Definitions
from copub.errors import UsageError
from copub.indicators.catalogue import indicator_specs
from copub.indicators.definitions import share_column
from copub.indicators.labels import LabelledWorks, label_works
from copub.indicators.schemas import check_table, window_schema, yearly_schema
from copub.indicators.yearly import window_indicators, yearly_indicators
from copub.normalize import Tables

__all__ = [
    "BREAKDOWN_LEAD",
    "NO_UNIT",
    "STANDING",
    "UNKNOWN",
    "Breakdown",
    "BreakdownBy",
    "breakdown_indicators",
    "breakdown_schema",
    "where_we_stand",
    "work_groups",
]

BreakdownBy = Literal["field", "domain", "subfield", "unit"]
#: The group of works without an OpenAlex primary topic.
UNKNOWN: Final = "unknown"
#: The group of works whose home authorships name no unit below the top.
NO_UNIT: Final = "no_unit"

#: The columns every breakdown table starts with.
BREAKDOWN_LEAD: Final = pl.Schema(
    {"group_id": pl.String(), "group_name": pl.String(), "small": pl.Boolean()}
)

#: :func:`where_we_stand`: groups ranked by a share over the pooled years.
STANDING: Final = pl.Schema(
    {
        "end": pl.String(),
        "rank": pl.Int32(),
        "group_id": pl.String(),
        "group_name": pl.String(),
        "works": pl.Int64(),
        "small": pl.Boolean(),
        "share": pl.Float64(),
        "share_low": pl.Float64(),
        "share_high": pl.Float64(),
        "share_frac": pl.Float64(),
    }
)


def breakdown_schema(
    definitions: Definitions, period: Literal["year", "window"] = "year"
) -> pl.Schema:
    """The declared schema of a breakdown table.

    :data:`BREAKDOWN_LEAD`, then the yearly (or window) table's columns.

    Examples
    --------
    >>> list(breakdown_schema(Definitions()))[:5]
    ['group_id', 'group_name', 'small', 'year', 'works']
    """
    specs = indicator_specs(definitions)
    base = yearly_schema(specs) if period == "year" else window_schema(specs)
    return pl.Schema(dict(BREAKDOWN_LEAD) | dict(base))


@dataclass(frozen=True)
class Breakdown:
    """The result of :func:`breakdown_indicators`.

    Attributes
    ----------
    table : pl.DataFrame
        One row per group and year (or window); schema :func:`breakdown_schema`.
    pooled : pl.DataFrame
        One row per group over all requested years (a window table with one
        window spanning them); schema ``breakdown_schema(…, "window")``.
    by : str
    min_works : int
        The ``small`` threshold.
    definitions : Definitions
    """

    table: pl.DataFrame
    pooled: pl.DataFrame
    by: BreakdownBy
    min_works: int
    definitions: Definitions


def _topic_groups(labelled: LabelledWorks, by: str) -> pl.DataFrame:
    topics = labelled.tables.works.select(
        "work_id",
        pl.col(f"{by}_id").fill_null(UNKNOWN).alias("group_id"),
        pl.col(f"{by}_name").fill_null(f"(no OpenAlex {by})").alias("group_name"),
    )
    return (
        labelled.works.select("work_id")
        .join(topics, on="work_id", how="left")
        .with_columns(
            pl.col("group_id").fill_null(UNKNOWN),
            pl.col("group_name").fill_null(f"(no OpenAlex {by})"),
            share=pl.lit(1.0),
        )
    )


def _units(tables: Tables, home: str) -> pl.DataFrame:
    return tables.institutions.filter(
        (pl.col("institution_id") != home) & pl.col("lineage").list.contains(home)
    ).select("institution_id", "name")


def _unit_groups(labelled: LabelledWorks, units: Sequence[str] | None) -> pl.DataFrame:
    tables = labelled.tables
    home = labelled.definitions.institution
    children = _units(tables, home)
    if units:
        known = set(children["institution_id"].to_list())
        strangers = [u for u in units if u not in known]
        if strangers:
            raise UsageError(
                f"breakdown: {', '.join(strangers)} is not a unit of {home} "
                "(no child institution with it in its OpenAlex lineage in these tables)"
            )
    home_ids = [home, *children["institution_id"].to_list()]
    on_home = tables.affiliations.filter(pl.col("institution_id").is_in(home_ids))
    per_work = (
        labelled.works.select("work_id")
        .join(on_home, on="work_id", how="left")
        .join(children, on="institution_id", how="left")
        .with_columns(group_id=pl.when(pl.col("name").is_not_null()).then(pl.col("institution_id")))
    )
    with_unit = (
        per_work.filter(pl.col("group_id").is_not_null())
        .select("work_id", "group_id", group_name="name")
        .unique()
    )
    no_unit = (
        labelled.works.select("work_id")
        .join(with_unit.select("work_id").unique(), on="work_id", how="anti")
        .with_columns(group_id=pl.lit(NO_UNIT), group_name=pl.lit("(no unit below the top)"))
    )
    groups = pl.concat([with_unit, no_unit], how="vertical")
    groups = groups.with_columns(share=1.0 / pl.len().over("work_id").cast(pl.Float64))
    if units:
        groups = groups.filter(pl.col("group_id").is_in(list(units)))
    return groups


def work_groups(
    labelled: LabelledWorks, by: BreakdownBy, *, units: Sequence[str] | None = None
) -> pl.DataFrame:
    """``work_id, group_id, group_name, share``: each universe work's group(s).

    ``share`` is the part of the work's home weight the group gets (1 for
    fields; split equally between a work's units).

    Examples
    --------
    >>> import copub
    >>> labelled = label_works(copub.load_sample(scale=0.01), Definitions(bootstrap=0))
    >>> groups = work_groups(labelled, "field")
    >>> groups["work_id"].n_unique() == groups.height == labelled.works.height
    True
    """
    if by in ("field", "domain", "subfield"):
        return _topic_groups(labelled, by)
    if by == "unit":
        return _unit_groups(labelled, units)
    raise UsageError(f"breakdown: by must be field, domain, subfield or unit, not {by!r}")


def _years(labelled: LabelledWorks) -> tuple[int, int] | None:
    if labelled.definitions.years is not None:
        return labelled.definitions.years
    if labelled.works.is_empty():
        return None
    years = labelled.works["year"]
    return int(years.min()), int(years.max())  # type: ignore[arg-type]


def breakdown_indicators(
    tables: Tables | LabelledWorks,
    definitions: Definitions | None = None,
    *,
    by: BreakdownBy = "field",
    period: Literal["year", "window"] = "year",
    units: Sequence[str] | None = None,
    min_works: int = 30,
) -> Breakdown:
    """The yearly (or window) figures per field, domain, subfield or unit; see the module docs.

    Parameters
    ----------
    tables : Tables or LabelledWorks
    definitions : Definitions, optional
    by : {"field", "domain", "subfield", "unit"}
    period : {"year", "window"}
    units : sequence of str, optional
        With ``by="unit"``: only these units (each must be a child of the
        home institution, else :class:`UsageError`).
    min_works : int
        Rows with fewer works are flagged ``small``.

    Examples
    --------
    >>> import copub
    >>> d = Definitions(years=(2020, 2021), bootstrap=0)
    >>> result = breakdown_indicators(copub.load_sample(scale=0.01), d, by="field")
    >>> total = copub.yearly_indicators(copub.load_sample(scale=0.01), d)
    >>> result.table.group_by("year").agg(pl.col("works").sum()).sort("year")["works"].to_list() \\
    ...     == total["works"].to_list()
    True
    """
    if isinstance(min_works, bool) or not isinstance(min_works, int) or min_works < 0:
        raise UsageError(f"breakdown: min_works must be 0 or more, not {min_works!r}")
    if isinstance(tables, LabelledWorks) and definitions is None:
        labelled = tables
    else:
        source = tables.tables if isinstance(tables, LabelledWorks) else tables
        labelled = label_works(source, definitions or Definitions())
    chosen = labelled.definitions
    groups = work_groups(labelled, by, units=units)
    span = _years(labelled)
    names = groups.select("group_id", "group_name").unique("group_id", keep="first")
    order = (
        groups.group_by("group_id")
        .agg(n=pl.len())
        .sort(["n", "group_id"], descending=[True, False])
    )
    tables_out: list[pl.DataFrame] = []
    pooled_out: list[pl.DataFrame] = []
    fixed = chosen.with_(years=span) if span is not None and chosen.years is None else chosen
    pooled_definitions = (
        fixed.with_(period_window=span[1] - span[0] + 1) if span is not None else fixed
    )
    for group_id in order["group_id"].to_list():
        name = names.filter(pl.col("group_id") == group_id)["group_name"].item()
        members = groups.filter(pl.col("group_id") == group_id).select("work_id", "share")
        subset = (
            labelled.works.join(members, on="work_id", how="inner")
            .with_columns(weight=pl.col("weight") * pl.col("share"))
            .drop("share")
        )
        lead = [pl.lit(group_id).alias("group_id"), pl.lit(name).alias("group_name")]
        own = LabelledWorks(works=subset, definitions=fixed, tables=labelled.tables)
        figures = yearly_indicators(own) if period == "year" else window_indicators(own)
        tables_out.append(figures.select(*lead, pl.all()))
        whole = LabelledWorks(works=subset, definitions=pooled_definitions, tables=labelled.tables)
        pooled_out.append(window_indicators(whole).select(*lead, pl.all()))
    small = (pl.col("works") < min_works).alias("small")
    schema = breakdown_schema(chosen, period)
    table = _finish(tables_out, small, schema, "breakdown table")
    pooled = _finish(pooled_out, small, breakdown_schema(chosen, "window"), "pooled breakdown")
    return Breakdown(table=table, pooled=pooled, by=by, min_works=min_works, definitions=chosen)


def _finish(
    frames: list[pl.DataFrame], small: pl.Expr, schema: pl.Schema, what: str
) -> pl.DataFrame:
    if not frames:
        return pl.DataFrame(schema=schema)
    table = pl.concat(frames, how="vertical").with_columns(small)
    return check_table(table.select(list(schema)), schema, what)


def where_we_stand(result: Breakdown, indicator: str = "intl", n: int = 5) -> pl.DataFrame:
    """The ``n`` groups with the highest and the ``n`` with the lowest pooled share.

    Groups without works in the base of the share are left out; small
    groups stay in, flagged. Schema :data:`STANDING`; ``end`` is ``highest``
    or ``lowest``, ``rank`` counts from that end.

    Examples
    --------
    >>> import copub
    >>> d = Definitions(years=(2020, 2021), bootstrap=0)
    >>> result = breakdown_indicators(copub.load_sample(scale=0.01), d, by="field")
    >>> stand = where_we_stand(result, n=2)
    >>> stand["end"].to_list()
    ['highest', 'highest', 'lowest', 'lowest']
    """
    share = share_column(indicator)
    if share not in result.pooled.columns:
        raise UsageError(f"where we stand: no share {indicator!r} in this breakdown")
    rows = result.pooled.filter(pl.col(share).is_not_null()).select(
        "group_id",
        "group_name",
        "works",
        "small",
        pl.col(share).alias("share"),
        pl.col(f"{share}_low").alias("share_low"),
        pl.col(f"{share}_high").alias("share_high"),
        pl.col(f"{share}_frac").alias("share_frac"),
    )
    top = rows.sort(["share", "group_id"], descending=[True, False]).head(n)
    bottom = rows.sort(["share", "group_id"], descending=[False, False]).head(n)
    table = pl.concat(
        [
            top.with_columns(end=pl.lit("highest"), rank=pl.int_range(1, pl.len() + 1)),
            bottom.with_columns(end=pl.lit("lowest"), rank=pl.int_range(1, pl.len() + 1)),
        ]
    ).with_columns(pl.col("rank").cast(pl.Int32))
    return check_table(table.select(list(STANDING)), STANDING, "where we stand")
