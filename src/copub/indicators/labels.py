"""One labelling step: every work of the universe, labelled once for every figure.

:func:`label_works` is the only place where the classification stage meets
the indicators. For each work in the universe it computes, once, the home
weight (full and fractional), the countries, the international and
collaboration flags, the partner-group flags, the channel level and the
funding flags. The yearly and window tables, the period comparison, the
partner table, the networks and the report all read the same
:class:`LabelledWorks`, so a definition cannot differ between them.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from copub.classify import channel_levels, funding_flags, work_countries, work_group_flags
from copub.classify.collaboration import work_institutions
from copub.classify.definitions import Definitions
from copub.errors import DataError
from copub.indicators.counting import fallback_authorships, fractional_weights
from copub.indicators.universe import universe_works
from copub.normalize import Tables

__all__ = ["LabelledWorks", "home_weights", "label_works"]


@dataclass(frozen=True)
class LabelledWorks:
    """The universe's works with every label, and what they were labelled by.

    Attributes
    ----------
    works : pl.DataFrame
        One row per work in the universe: ``work_id, year, weight,
        countries, n_countries, is_international, is_collab, n_institutions,
        country_missing, n_authorships, n_authorships_no_country,
        n_authorships_fallback``, one Boolean per partner group (and
        ``priority_XX``), ``funded_ec, funded_erc, funded_msca``, and
        ``level, in_register`` (null without a register). ``weight`` is the
        home institution's fractional weight; full counting weighs 1.
    definitions : Definitions
    tables : Tables
        The tables the labels came from (the partner table and networks
        read authorships from them).
    """

    works: pl.DataFrame
    definitions: Definitions
    tables: Tables

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
            return LabelledWorks(works=works, definitions=definitions, tables=self.tables)
        return None


def _check_institutions(tables: Tables, definitions: Definitions) -> None:
    if tables.works.is_empty():
        return
    known = tables.institutions.filter(
        pl.col("institution_id").is_in(definitions.institutions)
        | pl.col("lineage").list.eval(pl.element().is_in(definitions.institutions)).list.any()
    )
    if known.is_empty():
        # No works for the institution is a fact about the data (exit 1).
        raise DataError(
            f"institution {', '.join(definitions.institutions)} does not occur in these tables, "
            "so it has no works: check --institution against the data you fetched or imported"
        )


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
    >>> weights.select("work_id", "year").equals(labelled.select("work_id", "year"))
    True
    >>> bool((weights["weight"] - labelled["weight"]).abs().max() < 1e-12)  # parallel sums
    True
    """
    _check_institutions(tables, definitions)
    universe = universe_works(tables, definitions)
    weights = fractional_weights(tables, definitions.institutions, rule=definitions.fractional_rule)
    return (
        universe.join(weights, on="work_id", how="left")
        .with_columns(pl.col("weight").fill_null(0.0))
        .sort("work_id")
    )


def label_works(tables: Tables, definitions: Definitions) -> LabelledWorks:
    """Label every work of the universe once.

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
    home = definitions.institutions
    universe = home_weights(tables, definitions)
    countries = work_countries(tables, institution=home, merge_hk_mo=definitions.merge).drop(
        "unknown_codes"
    )
    flags = work_group_flags(
        tables,
        definitions.partner_groups,
        institution=home,
        membership=definitions.membership,
        merge_hk_mo=definitions.merge,
    )
    frame = (
        universe.join(countries, on="work_id", how="left")
        .join(work_institutions(tables), on="work_id", how="left")
        .join(tables.works.select("work_id", n_authorships="n_authors"), on="work_id", how="left")
        .join(fallback_authorships(tables), on="work_id", how="left")
        .join(flags, on="work_id", how="left")
        .join(funding_flags(tables), on="work_id", how="left")
    )
    register = definitions.channel_register
    if register is not None:
        frame = frame.join(channel_levels(tables, register), on="work_id", how="left")
    else:
        frame = frame.with_columns(
            level=pl.lit(None, pl.Int8), in_register=pl.lit(None, pl.Boolean)
        )
    frame = frame.with_columns(
        pl.col("weight").fill_null(0.0),
        pl.col("n_institutions").fill_null(0),
        pl.col("n_authorships_fallback").fill_null(0),
        # Leiden's P(collab): more than one organisation, or more than one country.
        is_collab=pl.col("several_organisations").fill_null(False) | (pl.col("n_countries") >= 2),
    ).drop("several_organisations")
    return LabelledWorks(works=frame.sort("work_id"), definitions=definitions, tables=tables)
