"""One labelling step: every work of the universe, labelled once for every figure.

:func:`label_works` is the only place where the classification stage meets
the indicators. For each work in the universe it computes, once, the home
weight (full and fractional), the countries, the international and
collaboration flags, the partner-group flags, the channel level and the
funding flags. The yearly and window tables, the period comparison, the
partner table, the networks and the report all read the same
:class:`LabelledWorks`, so a definition cannot differ between them.

The tables are keyed by integers once (:class:`~copub.classify.keyed.KeyedTables`)
and every label is computed from the keyed rows, so no string join runs per
row. Every label of a work depends on that work's rows alone, so a
:class:`~copub.indicators.scan.TableScan` is labelled in passes over ranges
of work ids, each read lazily with the streaming engine, with the very same
code: the labelled works are identical.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from copub.classify.bibliometrix import bibliometrix_labels
from copub.classify.channels import level_labels
from copub.classify.collaboration import institution_labels
from copub.classify.countries import country_labels
from copub.classify.definitions import Definitions
from copub.classify.funding import funding_keyed
from copub.classify.group_flags import group_labels
from copub.classify.home import home_institution_ids
from copub.classify.keyed import KeyedTables, key_tables
from copub.concurrent import WORKERS, side_by_side
from copub.errors import DataError, UsageError
from copub.indicators.counting import fallback_labels, joint_unit_labels, weight_labels
from copub.indicators.label_cache import cached_labels
from copub.indicators.scan import TableScan
from copub.indicators.universe import universe_keyed
from copub.normalize import Tables

__all__ = ["LabelledWorks", "home_weights", "label_works"]


@dataclass(frozen=True, init=False)
class LabelledWorks:
    """The universe's works with every label, and what they were labelled by.

    Attributes
    ----------
    works : pl.DataFrame
        One row per work in the universe: ``work_id, year, weight,
        countries, n_countries, is_international, is_collab, n_institutions,
        country_missing, n_authorships, n_authorships_no_country,
        n_authorships_fallback, joint_unit``, one Boolean per partner group (and
        ``priority_XX``), ``funded_ec, funded_erc, funded_msca``, and
        ``level, in_register`` (null without a register). ``weight`` is the
        home institution's fractional weight; full counting weighs 1.
        ``joint_unit``: the home took part of a joint unit's weight (1/k for
        k universities, :mod:`copub.indicators.counting`). Under the
        ``bibliometrix`` preset also ``n_au_co, au1_co, au1_home``; under the
        ``scival`` preset ``several_merged`` (more than one institution after
        merging by OpenAlex lineage, whatever the home)
        (:mod:`copub.classify.bibliometrix`).
    definitions : Definitions
    source : Tables or TableScan
        What the labels came from (the third argument, ``tables``).
    tables : Tables
        The in-memory tables the labels came from: the partner table, the
        networks, the breakdowns and the impact figures read authorships and
        works from them. Labels made from a :class:`TableScan` have none:
        reading ``tables`` raises :class:`~copub.errors.UsageError`.
    """

    works: pl.DataFrame
    definitions: Definitions
    source: Tables | TableScan

    def __init__(
        self, works: pl.DataFrame, definitions: Definitions, tables: Tables | TableScan
    ) -> None:
        object.__setattr__(self, "works", works)
        object.__setattr__(self, "definitions", definitions)
        object.__setattr__(self, "source", tables)

    @property
    def tables(self) -> Tables:
        """The in-memory tables (see the class docs); a scan has none."""
        if isinstance(self.source, TableScan):
            raise UsageError(
                "these labelled works come from copub.scan_tables (data read in passes), which "
                "serves the yearly and window tables only; the partner table, networks, "
                "breakdowns and impact figures read the tables in memory: label "
                "copub.load_tables(data_dir) for them"
            )
        return self.source

    def serving(self, definitions: Definitions) -> LabelledWorks | None:
        """These labels under ``definitions``, without labelling again, if they can serve.

        They can when the definitions are the same (same groups and register
        objects too), or when these cover every year and ``definitions`` only
        restricts the years: the works are then filtered to those years.
        """
        mine = self.definitions
        if mine.groups is not definitions.groups or mine.register is not definitions.register:
            return None
        if mine == definitions:
            return self
        years = definitions.years
        if mine.years is None and years is not None and mine == definitions.with_(years=None):
            works = self.works.filter(pl.col("year").is_between(*years))
            return LabelledWorks(works, definitions, self.source)
        return None


def _check_institutions(
    institutions: pl.DataFrame, has_works: bool, definitions: Definitions
) -> None:
    if not has_works:
        return
    known = institutions.filter(
        pl.col("institution_id").is_in(definitions.institutions)
        | pl.col("lineage").list.eval(pl.element().is_in(definitions.institutions)).list.any()
    )
    if known.is_empty():
        # No works for the institution is a fact about the data (exit 1).
        raise DataError(
            f"institution {', '.join(definitions.institutions)} does not occur in these tables, "
            "so it has no works: check --institution against the data you fetched or imported"
        )


def _keyed(tables: Tables, definitions: Definitions) -> KeyedTables:
    """In-memory tables on integer keys, once the home institution is known to occur."""
    _check_institutions(tables.institutions, not tables.works.is_empty(), definitions)
    return KeyedTables.from_tables(tables, home_institution_ids(tables, definitions.institutions))


def _in_universe(keyed: KeyedTables, definitions: Definitions) -> tuple[KeyedTables, pl.DataFrame]:
    """The universe (``wid, year, …``) and the keyed tables cut down to it."""
    universe = universe_keyed(keyed, definitions)
    if universe.height == keyed.works.height:
        # Every work (distinct wids of the works): nothing to cut, no copy of every table.
        return keyed, universe
    # Every other label of a work reads that work's rows alone: label the universe only.
    return keyed.restrict(universe["wid"]), universe


def home_weights(tables: Tables, definitions: Definitions) -> pl.DataFrame:
    """The universe and the home institution's fractional weight in each work.

    The first columns of :func:`label_works`, without the other labels: what
    the networks need, at a fraction of the cost.

    Returns
    -------
    pl.DataFrame
        ``work_id, year, weight`` (0 where no home slot carries weight),
        sorted by ``work_id``.

    Raises
    ------
    DataError
        When no home institution occurs in non-empty tables.

    Examples
    --------
    >>> import copub
    >>> tables = copub.load_sample(scale=0.01)
    >>> d = Definitions(years=(2020, 2021))
    >>> weights, labelled = home_weights(tables, d), label_works(tables, d).works
    >>> weights.equals(labelled.select("work_id", "year", "weight"))
    True
    """
    keyed, universe = _in_universe(_keyed(tables, definitions), definitions)
    weights = keyed.per_work(weight_labels(keyed, rule=definitions.fractional_rule))
    frame = pl.concat(
        [universe.select("wid", "year"), weights.collect().drop("wid")], how="horizontal"
    ).with_columns(pl.col("weight").fill_null(0.0))
    return keyed.with_work_ids(frame).select("work_id", "year", "weight")


def _label(keyed: KeyedTables, definitions: Definitions, workers: int = WORKERS) -> pl.DataFrame:
    """The labelled works of keyed tables (one pass), sorted by ``work_id``.

    ``workers``: how many labels are computed at once (1 keeps a pass's memory low).
    """
    keyed, universe = _in_universe(keyed, definitions)
    works = keyed.works.lazy()

    def aligned(frame: pl.DataFrame | pl.LazyFrame) -> pl.DataFrame:
        """``frame``'s columns for every work of the universe, in its order."""
        return keyed.per_work(frame).collect().drop("wid")

    register = definitions.channel_register

    def levels() -> pl.DataFrame:
        if register is not None:
            return aligned(level_labels(works, keyed.sources.lazy(), register, "wid"))
        return pl.DataFrame(
            {
                "level": pl.repeat(None, universe.height, dtype=pl.Int8, eager=True),
                "in_register": pl.repeat(None, universe.height, dtype=pl.Boolean, eager=True),
            }
        )

    def bibliometrix() -> pl.DataFrame:
        # bibliometrix's AU_CO and AU1_CO: only its preset reads them.
        if definitions.preset == "bibliometrix":
            homes = keyed.institutions.filter(
                pl.col("institution_id").is_in(definitions.institutions)
            )["country_code"].drop_nulls()
            return aligned(bibliometrix_labels(keyed, homes.to_list()))
        return pl.DataFrame()

    # Each label reads the keyed rows alone: they are computed side by side.
    labels = side_by_side(
        lambda: aligned(weight_labels(keyed, rule=definitions.fractional_rule)),
        lambda: country_labels(keyed, merge_hk_mo=definitions.merge).drop("wid", "unknown_codes"),
        lambda: aligned(institution_labels(keyed, merged=definitions.preset == "scival")),
        lambda: aligned(fallback_labels(keyed)),
        lambda: aligned(joint_unit_labels(keyed)),
        lambda: group_labels(
            keyed,
            definitions.partner_groups,
            membership=definitions.membership,
            merge_hk_mo=definitions.merge,
        ).drop("wid"),
        lambda: funding_keyed(keyed).drop("wid"),
        levels,
        bibliometrix,
        workers=workers,
    )
    weights, countries, institutions, fallback, joint, groups, funding, channel, bx = labels
    parts = [
        universe,
        weights,
        countries,
        institutions,
        keyed.works.select(n_authorships="n_authors"),
        fallback,
        joint,
        groups,
        funding,
        channel,
        bx,
    ]
    frame = pl.concat(parts, how="horizontal").with_columns(
        pl.col("weight").fill_null(0.0),
        pl.col("n_institutions").fill_null(0),
        pl.col("n_authorships_fallback").fill_null(0),
        pl.col("joint_unit").fill_null(False),
        # Leiden's P(collab): more than one organisation, or more than one country.
        is_collab=pl.col("several_organisations").fill_null(False) | (pl.col("n_countries") >= 2),
    )
    return keyed.with_work_ids(frame.drop("several_organisations"))


def _label_scan(scan: TableScan, definitions: Definitions) -> pl.DataFrame:
    """Label a scan in passes over ranges of work ids (see the module docs)."""
    institutions = scan.institutions.collect(engine="streaming")
    sources = scan.sources.collect(engine="streaming")
    home_ids = home_institution_ids(institutions, definitions.institutions)
    has_works = scan.works.select("work_id").head(1).collect(engine="streaming").height > 0
    _check_institutions(institutions, has_works, definitions)
    parts = []
    for frames in scan.passes():
        keyed = key_tables(
            {**frames, "institutions": institutions, "sources": sources},
            home_ids=home_ids,
            engine="streaming",
            workers=1,
        )
        parts.append(_label(keyed, definitions, workers=1))
        del keyed
    return _concat_columns(parts)


def _concat_columns(parts: list[pl.DataFrame]) -> pl.DataFrame:
    """The passes' labelled works, one after the other, as one contiguous frame.

    Column by column, each column's parts dropped once it is copied, so the
    copy needs room for one more column rather than for the whole labelled
    works twice (as ``pl.concat(parts, rechunk=True)`` does). Empties
    ``parts``.

    Examples
    --------
    >>> parts = [pl.DataFrame({"a": [1, 2], "b": ["x", "y"]}), pl.DataFrame({"a": [3], "b": ["z"]})]
    >>> _concat_columns(parts).equals(pl.DataFrame({"a": [1, 2, 3], "b": ["x", "y", "z"]}))
    True
    >>> parts
    []
    """
    if len(parts) == 1:
        return parts.pop().rechunk()
    columns = []
    for name in parts[0].columns:
        columns.append(pl.concat([part.get_column(name) for part in parts], rechunk=True))
        parts[:] = [part.drop(name) for part in parts]
    parts.clear()
    return pl.DataFrame(columns)


def label_works(tables: Tables | TableScan, definitions: Definitions) -> LabelledWorks:
    """Label every work of the universe once.

    Parameters
    ----------
    tables : Tables or TableScan
        In-memory tables, or a scan (:func:`~copub.indicators.scan.scan_tables`),
        labelled in passes with the streaming engine: the labelled works are
        the same; only the yearly and window tables can read labels of a scan
        (see :attr:`LabelledWorks.tables`).
    definitions : Definitions

    Raises
    ------
    DataError
        When no home institution occurs in non-empty tables.

    Examples
    --------
    >>> import copub
    >>> labelled = label_works(copub.load_sample(scale=0.01), Definitions(years=(2020, 2021)))
    >>> labelled.works["year"].is_between(2020, 2021).all()
    True
    """
    if isinstance(tables, TableScan):
        return LabelledWorks(_label_scan(tables, definitions), definitions, tables)
    # Known tables (the sample) keep their labelled works in the cache.
    works = cached_labels(
        tables, definitions, lambda: _label(_keyed(tables, definitions), definitions)
    )
    return LabelledWorks(works, definitions, tables)
