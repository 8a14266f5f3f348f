"""The partner review: the institution's partner countries or institutions, ranked.

A partner of a work is any country (or institution) of the work other than
the home country (or the home institution with its child units) — the same
rule as the partner-group shares. Counts are over the institution's universe:

- ``works``: works with the partner (full counting);
- ``works_frac``: the home institution's Leiden fractional weight summed over
  those works, so ``share_frac = works_frac / Σ weight`` is the partner's
  share under fractional counting, as in the yearly figures;
- ``note``: the partner's policy note, e.g. Russia's frozen institutional
  cooperation (an institution in Russia shows its country's note);
- ``baseline_share`` / ``plan_share``: the share of the institution's works
  in each period that have the partner; ``share_change`` is plan minus
  baseline, with the pooled two-proportion z-test's two-sided ``p_value``.

No cap on nodes per work applies: a consortium paper is one co-publication
with each of its partners.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import polars as pl

from copub.classify.definitions import Definitions, resolve_definitions
from copub.classify.groups import PartnerGroups
from copub.classify.policy import with_policy_notes
from copub.errors import UsageError
from copub.indicators.labels import LabelledWorks
from copub.indicators.schemas import check_table
from copub.indicators.trends import two_proportion_p
from copub.indicators.universe import TypesChoice
from copub.networks.build import network_data
from copub.networks.memberships import group_flags
from copub.networks.options import NetworkOptions
from copub.networks.schemas import PARTNERS_LEAD, PARTNERS_TRAIL, partner_schema
from copub.normalize import Tables

__all__ = ["partner_table"]

_LEADING_COLUMNS = tuple(PARTNERS_LEAD)[2:]
_TRAILING_COLUMNS = tuple(PARTNERS_TRAIL)


def _period_counts(
    rows: pl.DataFrame, universe: pl.DataFrame, period: tuple[int, int], name: str
) -> tuple[pl.DataFrame, float]:
    in_period = pl.col("year").is_between(*period)
    counts = (
        rows.filter(in_period).group_by("node").agg(pl.len().cast(pl.Int64).alias(f"{name}_works"))
    )
    return counts, float(universe.filter(in_period).height)


def partner_table(
    tables: Tables | LabelledWorks,
    kind: Literal["country", "institution"] = "country",
    definitions: Definitions | None = None,
    *,
    institution: str | None = None,
    years: tuple[int, int] | None = None,
    types: TypesChoice | None = None,
    baseline: tuple[int, int] | None = None,
    plan: tuple[int, int] | None = None,
    groups: PartnerGroups | None = None,
) -> pl.DataFrame:
    """Partner countries or institutions ranked by co-publications.

    Parameters
    ----------
    tables : Tables or LabelledWorks
    kind : {"country", "institution"}
    definitions : Definitions, optional
        The home, universe, Hong Kong/Macao switch, groups, baseline and plan
        — the yearly figures' own. ``definitions.years`` are the years
        counted in ``works``, the shares and the ``works_YYYY`` columns (the
        years present in the universe when not set); the baseline and plan
        are compared whatever the years are.
    institution, years, types, baseline, plan
        The old keyword arguments; they override ``definitions``' fields, and
        the periods go through the one period rule.
    groups : PartnerGroups, optional
        Partner groups for the memberships; the definitions' when omitted.

    Returns
    -------
    pl.DataFrame
        One row per partner with at least one work in ``years``, ranked by
        ``works`` (then ``works_frac``, then id): ``rank, partner_id, label,
        country, type, groups, is_priority, is_lmic, is_devpartner,
        is_alliance, is_infrastructure, works, works_frac, share, share_frac,
        works_YYYY`` (one column per year, zeros included), ``baseline_works,
        baseline_share, plan_works, plan_share, share_change, p_value, note``.
        ``share`` is over all the institution's works in ``years``; ``note`` is
        the partner's policy note (an institution's own, then its country's;
        :func:`copub.classify.policy.with_policy_notes`), null when it has none.

    Raises
    ------
    UsageError
        For an unknown kind, bad periods, or an institution not in the tables.

    Examples
    --------
    >>> import copub
    >>> table = copub.partner_table(copub.load_sample(scale=0.01), "country")
    >>> table["rank"][0], "NO" in table["partner_id"].to_list()
    (1, False)
    """
    if kind not in ("country", "institution"):
        raise UsageError(f"the partner table's kind is 'country' or 'institution', not {kind!r}")
    if definitions is None and isinstance(tables, LabelledWorks):
        definitions = tables.definitions
    chosen = resolve_definitions(
        definitions, institution=institution, years=years, types=types, baseline=baseline, plan=plan
    )
    base_period, plan_period = chosen.baseline, chosen.plan
    options = NetworkOptions.create(
        kind, definitions=chosen.with_(years=None), max_nodes_per_work=None
    )
    selected_years = chosen.years
    partner_groups = groups if groups is not None else chosen.partner_groups
    data = network_data(tables, options, groups=partner_groups)
    universe = data.universe
    partners = data.nodes.filter(~pl.col("is_home"))
    rows = data.work_nodes.join(partners.select("node"), on="node", how="semi")

    if selected_years is None:
        # The years present; an empty universe gives an empty range and no year columns.
        years_present = universe["year"]
        selected_years = (
            (int(years_present.min()), int(years_present.max()))  # type: ignore[arg-type]
            if universe.height
            else (0, -1)
        )
    first, last = selected_years
    in_years = pl.col("year").is_between(first, last)
    counted = rows.filter(in_years)
    n_works = universe.filter(in_years).height
    total_weight = float(universe.filter(in_years)["home_weight"].sum())

    totals = counted.group_by("node").agg(
        works=pl.len().cast(pl.Int64), works_frac=pl.col("home_weight").sum()
    )
    year_columns = [f"works_{y}" for y in range(first, last + 1)]
    per_year = (
        counted.group_by("node", "year")
        .agg(n=pl.len().cast(pl.Int64))
        .with_columns(column=pl.lit("works_") + pl.col("year").cast(pl.String))
        .pivot("column", index="node", values="n", on_columns=year_columns)
    )
    base_counts, n1 = _period_counts(rows, universe, base_period, "baseline")
    plan_counts, n2 = _period_counts(rows, universe, plan_period, "plan")

    table = (
        totals.join(partners, on="node", how="left")
        .join(group_flags(partners.select("node", "groups"), partner_groups), on="node", how="left")
        .join(per_year.select("node", *year_columns), on="node", how="left")
        .join(base_counts, on="node", how="left")
        .join(plan_counts, on="node", how="left")
        .with_columns(
            pl.col([*year_columns, "baseline_works", "plan_works"]).fill_null(0).cast(pl.Int64)
        )
        .with_columns(
            share=pl.col("works") / n_works if n_works else pl.lit(None, pl.Float64),
            share_frac=pl.col("works_frac") / total_weight
            if total_weight > 0
            else pl.lit(None, pl.Float64),
            baseline_share=pl.col("baseline_works") / n1 if n1 else pl.lit(None, pl.Float64),
            plan_share=pl.col("plan_works") / n2 if n2 else pl.lit(None, pl.Float64),
        )
        .with_columns(share_change=pl.col("plan_share") - pl.col("baseline_share"))
        .sort(["works", "works_frac", "node"], descending=[True, True, False])
    )
    p_values = two_proportion_p(
        table["baseline_works"].to_numpy(),
        np.full(table.height, n1),
        table["plan_works"].to_numpy(),
        np.full(table.height, n2),
    )
    result = with_policy_notes(
        table.with_columns(
            p_value=pl.Series(p_values, dtype=pl.Float64).fill_nan(None),
            rank=pl.int_range(1, table.height + 1, dtype=pl.Int64),
        ),
        partner_groups,
        partner="node",
    ).select(
        "rank",
        pl.col("node").alias("partner_id"),
        *_LEADING_COLUMNS,
        *year_columns,
        *_TRAILING_COLUMNS,
    )
    return check_table(result, partner_schema(range(first, last + 1)), "partner table")
