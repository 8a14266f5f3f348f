"""Compute a report's content from tables: indicators, comparison, goals, partners, quality.

This is where the report meets the earlier stages; the renderers never
compute anything themselves.
"""

from __future__ import annotations

from typing import Literal

import polars as pl

from copub.classify import PartnerGroups, Register, load_groups, load_register
from copub.errors import UsageError
from copub.indicators.presets import PRESETS
from copub.indicators.trends import compare_periods
from copub.indicators.yearly import indicator_specs, window_indicators, yearly_indicators
from copub.networks.build import build_network
from copub.networks.partners import partner_table
from copub.normalize import Tables
from copub.progress import Progress
from copub.report.data import ReportData, definitions_table, groups_table
from copub.report.goals import goal_summary
from copub.report.impact_section import build_impact_section
from copub.report.options import ReportOptions
from copub.report.quality import quality_table

__all__ = ["build_report", "institution_name"]

Scope = Literal["table", "files"]


def institution_name(tables: Tables, institution: str) -> str:
    """The display name of ``institution`` in the tables, else its id.

    Examples
    --------
    >>> institution_name(Tables.empty(), "I204778367")
    'I204778367'
    """
    names = tables.institutions.filter(pl.col("institution_id") == institution)["name"]
    return str(names[0]) if names.len() and names[0] else institution


def build_report(
    tables: Tables,
    options: ReportOptions | None = None,
    *,
    scope: Scope = "files",
    progress: Progress | None = None,
) -> ReportData:
    """Everything a report shows, computed from ``tables``.

    Parameters
    ----------
    tables : Tables
    options : ReportOptions, optional
        Defaults: NTNU, every year, Leiden definitions, 1,000 bootstrap resamples.
    scope : {"table", "files"}
        ``"table"`` computes what the terminal and stdout formats show (the
        yearly table, the comparison, goals and quality); ``"files"`` adds the
        rolling windows, the partner review and the country network.
    progress : Progress, optional
        Where progress notes go (stderr by default).

    Returns
    -------
    ReportData

    Examples
    --------
    >>> import copub
    >>> options = ReportOptions(bootstrap=0)
    >>> data = build_report(copub.load_sample(scale=0.01), options, scope="table",
    ...                     progress=Progress.silent())
    >>> data.synthetic, "intl_share" in data.yearly.columns
    (True, True)
    """
    options = options or ReportOptions()
    progress = progress or Progress()
    groups: PartnerGroups = load_groups(options.groups)
    register: Register | None = None
    if options.register is not None:
        progress.note(f"reading the channel register {options.register}")
        register = load_register(options.register)
    types = options.types or PRESETS[options.preset].types
    progress.note(
        f"computing yearly indicators ({options.bootstrap} bootstrap resamples)"
        if options.bootstrap
        else "computing yearly indicators"
    )
    yearly = yearly_indicators(
        tables,
        institution=options.institution,
        years=options.years,
        register=register,
        groups=groups,
        types=types,
        preset=options.preset,
        bootstrap=options.bootstrap,
        seed=options.seed,
    )
    if yearly.is_empty():
        span = f" in {options.years[0]}-{options.years[1]}" if options.years else ""
        raise UsageError(
            f"institution {options.institution} has no works{span} in these tables "
            f"({types} document types): check --institution and --years"
        )
    comparison = compare_periods(yearly, baseline=options.baseline, plan=options.plan)
    specs = indicator_specs(groups, register_available=register is not None, preset=options.preset)
    labels = {spec.name: spec.label for spec in specs}
    notes: list[str] = []
    if register is None:
        notes.append("Level-2 and channel indicators are unavailable: no register was given.")
    progress.note("computing citation impact by collaboration type")
    impact = build_impact_section(
        tables,
        institution=options.institution,
        years=options.years,
        register=register,
        groups=groups,
        types=types,
        bootstrap=options.bootstrap,
        seed=options.seed,
    )
    data = ReportData(
        impact=impact,
        options=options,
        provenance=tables.provenance,
        institution_name=institution_name(tables, options.institution),
        yearly=yearly,
        comparison=comparison,
        goals=goal_summary(comparison, labels, fractional=options.fractional),
        quality=quality_table(yearly, tables.provenance),
        definitions=definitions_table(specs),
        group_sources=groups_table(groups),
        notes=tuple(notes),
    )
    if scope == "table":
        return data
    progress.note("computing rolling 4-year windows")
    windows = window_indicators(
        tables,
        institution=options.institution,
        years=options.years,
        register=register,
        groups=groups,
        types=types,
        preset=options.preset,
        bootstrap=options.bootstrap,
        seed=options.seed,
    )
    progress.note("ranking partners and building the country network")
    partners, institutions = (
        partner_table(
            tables,
            kind,
            institution=options.institution,
            years=options.years,
            types=types,
            baseline=options.baseline,
            plan=options.plan,
            groups=groups,
        )
        for kind in ("country", "institution")
    )
    network = build_network(
        tables,
        "country",
        institution=options.institution,
        years=options.years,
        types=types,
        counting=options.counting,
        groups=groups,
    )
    return data.with_(
        windows=windows, partners=partners, institution_partners=institutions, network=network
    )
