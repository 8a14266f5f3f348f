"""Compute a report's content from tables: indicators, comparison, goals, partners, quality.

This is where the report meets the earlier stages; the renderers never
compute anything themselves.
"""

from __future__ import annotations

import functools
from typing import Literal

import polars as pl

from copub.analyses.contract import AnalysisInputs, ShowOptions
from copub.analyses.registry import ANALYSES
from copub.errors import DataError
from copub.indicators.catalogue import goals, indicator_notes, indicator_specs
from copub.indicators.label_cache import cached_bytes, cached_results, results_key
from copub.indicators.presets import preset_notes
from copub.indicators.trends import compare_periods
from copub.indicators.yearly import window_indicators, yearly_indicators
from copub.networks.html_page import partner_map_of
from copub.networks.partners import partner_table
from copub.networks.prepared import PreparedNetwork, prepare_network
from copub.normalize import Tables
from copub.normalize.fingerprint import fingerprint_of
from copub.progress import Progress
from copub.report.checks import home_country_warning, register_warnings
from copub.report.data import ReportData, definitions_table, groups_table
from copub.report.goals import goal_summary
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
    inputs: AnalysisInputs | None = None,
    show: ShowOptions | None = None,
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
    inputs : AnalysisInputs, optional
        The inputs of the registered analyses (authors, EU data); default the
        tables alone. Every analysis that applies to them and to the
        definitions (:attr:`copub.analyses.contract.Analysis.wanted`) becomes a
        section of the report.
    show : ShowOptions, optional
        How the analyses' sections are shown.

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
    definitions = options.defs
    progress.note(
        f"labelling works and computing yearly indicators ({definitions.bootstrap} bootstrap "
        "resamples)"
        if definitions.bootstrap
        else "labelling works and computing yearly indicators"
    )
    inputs = inputs or AnalysisInputs(tables)
    # Label once for every year; each table then takes its years from the definitions.
    labelled = inputs.labelled(definitions)
    # Pure in the sample and the definitions: a warm run reads them (with their intervals).
    yearly = cached_results(
        tables, definitions, "yearly", lambda: {"yearly": yearly_indicators(labelled, definitions)}
    )["yearly"]
    if yearly.is_empty():
        span = f" in {options.years[0]}-{options.years[1]}" if options.years else ""
        raise DataError(
            f"institution {options.institution} has no works{span} in these tables "
            f"({options.universe_label}): check --institution, --years and --universe"
        )
    comparison = cached_results(
        tables, definitions, "comparison",
        lambda: {"comparison": compare_periods(yearly, definitions=definitions)},
    )["comparison"]  # fmt: skip
    specs = indicator_specs(definitions)
    labels = {spec.name: spec.label for spec in specs}
    notes: list[str] = list(preset_notes(definitions.preset))
    if definitions.register is None:
        notes.append("Level-2 and channel indicators are unavailable: no register was given.")
    home_warning = home_country_warning(definitions.partner_groups, tables, options.institution)
    warnings = register_warnings(definitions.channel_register, yearly) + (
        [home_warning] if home_warning else []
    )
    for warning in warnings:
        progress.note(f"warning: {warning}")
    notes += warnings
    show = show or ShowOptions()
    results = tuple(
        analysis.run(inputs, definitions, show, progress)
        for analysis in ANALYSES
        if analysis.wanted(inputs, definitions)
    )
    data = ReportData(
        results=results,
        options=options,
        provenance=tables.provenance,
        institution_name=institution_name(tables, options.institution),
        yearly=yearly,
        comparison=comparison,
        goals=goal_summary(
            comparison,
            labels,
            fractional=options.fractional,
            goals=goals(definitions),
            notes=indicator_notes(definitions),
        ),
        quality=quality_table(yearly, tables.provenance),
        definitions=definitions_table(specs),
        group_sources=groups_table(definitions.partner_groups),
        notes=tuple(notes),
        known=fingerprint_of(tables),
    )
    if scope == "table":
        return data
    progress.note(f"computing rolling {definitions.period_window}-year windows")
    windows = cached_results(
        tables, definitions, "windows",
        lambda: {"windows": window_indicators(labelled, definitions)},
    )["windows"]  # fmt: skip
    progress.note("ranking partners and building the country network")
    ranked = cached_results(
        tables, definitions, "partners",
        lambda: {kind: partner_table(labelled, kind, definitions)
                 for kind in ("country", "institution")},
    )  # fmt: skip
    partners, institutions = ranked["country"], ranked["institution"]

    # Built once, when first needed: the picture's graph, the map and the periods picture
    # all come from it; a warm run of the sample copies all three and never builds it.
    @functools.cache
    def country_network() -> PreparedNetwork:
        return prepare_network(labelled, "country", definitions, counting=options.counting)

    progress.note("drawing the interactive partner map")
    # The map's HTML is pure in the same inputs as the network: kept for the sample.
    known = data.known
    partner_map = cached_bytes(
        known,
        "map",
        lambda: (
            results_key(known.fingerprint, definitions, "map", options.counting) if known else ""
        ),
        lambda: partner_map_of(country_network()).fragment().encode(),
    ).decode()
    return data.with_(
        windows=windows, partners=partners, institution_partners=institutions,
        country_network=country_network, partner_map=partner_map,
    )  # fmt: skip
