"""Everything one report shows, computed once and handed to every renderer."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import polars as pl

from copub.analyses.contract import AnalysisResult
from copub.classify import PartnerGroups
from copub.indicators.catalogue import Goal, goals, indicator_notes, short_labels
from copub.indicators.definitions import ShareSpec, share_column
from copub.provenance import Provenance
from copub.render.tables import csv_frame
from copub.report.options import ReportOptions

if TYPE_CHECKING:
    import networkx as nx

    from copub.networks.prepared import PreparedNetwork
    from copub.normalize.fingerprint import Known

__all__ = ["ReportData", "definitions_table", "groups_table"]


def definitions_table(specs: list[ShareSpec]) -> pl.DataFrame:
    """The share definitions as a table: ``indicator, label, column, definition, available``.

    Examples
    --------
    >>> spec = ShareSpec("intl", "International", pl.col("x"), None, "Two countries or more.")
    >>> definitions_table([spec]).row(0)
    ('intl', 'International', 'intl_share', 'Two countries or more.', True)
    """
    return pl.DataFrame(
        [(s.name, s.label, share_column(s.name), s.definition, s.available) for s in specs],
        schema={
            "indicator": pl.String,
            "label": pl.String,
            "column": pl.String,
            "definition": pl.String,
            "available": pl.Boolean,
        },
        orient="row",
    )


def groups_table(groups: PartnerGroups) -> pl.DataFrame:
    """The partner groups in use: ``group, label, kind, members, source, vintage``.

    ``members`` counts the current membership.

    Examples
    --------
    >>> from copub.classify import load_groups
    >>> groups_table(load_groups()).filter(group="nordic")["kind"].item()
    'country'
    """
    return pl.DataFrame(
        [(g.key, g.label, g.kind, len(g.current_members()), g.source, g.vintage) for g in groups],
        schema={
            "group": pl.String,
            "label": pl.String,
            "kind": pl.String,
            "members": pl.Int64,
            "source": pl.String,
            "vintage": pl.String,
        },
        orient="row",
    )


@dataclass(frozen=True)
class ReportData:
    """The report's content; renderers (terminal, files, HTML) only format it.

    Attributes
    ----------
    options : ReportOptions
    provenance : Provenance
        Of the tables the report was made from.
    institution_name : str
        The home institution's display name (its id when unknown).
    yearly : pl.DataFrame
        :func:`copub.yearly_indicators`.
    comparison : pl.DataFrame
        :func:`copub.compare_periods` of ``yearly``.
    goals : pl.DataFrame
        :func:`copub.report.goals.goal_summary`.
    quality : pl.DataFrame
        :func:`copub.report.quality.quality_table`.
    definitions : pl.DataFrame
        :func:`definitions_table` of the share specs used.
    group_sources : pl.DataFrame
        :func:`groups_table` of the partner groups used.
    windows : pl.DataFrame, optional
        Rolling 4-year windows (only computed for files).
    partners : pl.DataFrame, optional
        The partner review (country partners), for files.
    institution_partners : pl.DataFrame, optional
        The partner review (institution partners), for files.
    country_network : callable, optional
        Builds the country network (:attr:`prepared`, :attr:`network`) when it
        is first asked for, once for every copy of the data: a warm report
        whose figures and map come from the cache never builds it.
    notes : tuple of str
        Sections left out and why, stated in the report.
    results : tuple of AnalysisResult
        The registered analyses the report holds (citation impact, EU
        participation, mobility, peers, breakdown, ...), in registry order.
    """

    options: ReportOptions
    provenance: Provenance
    institution_name: str
    yearly: pl.DataFrame
    comparison: pl.DataFrame
    goals: pl.DataFrame
    quality: pl.DataFrame
    definitions: pl.DataFrame
    group_sources: pl.DataFrame
    windows: pl.DataFrame | None = None
    partners: pl.DataFrame | None = None
    institution_partners: pl.DataFrame | None = None
    country_network: Callable[[], PreparedNetwork] | None = None
    notes: tuple[str, ...] = field(default=())
    results: tuple[AnalysisResult, ...] = ()
    #: The interactive partner map as an HTML fragment (inline scripts and data).
    partner_map: str | None = None
    #: The fingerprint of the tables when known (the sample): their files may be cached.
    known: Known | None = None

    @property
    def prepared(self) -> PreparedNetwork | None:
        """The country network with what its works listings need (the map, the periods picture)."""
        return None if self.country_network is None else self.country_network()

    @functools.cached_property
    def network(self) -> nx.Graph | None:
        """The country co-authorship network as a graph, for the picture."""
        prepared = self.prepared
        return None if prepared is None else prepared.network.to_graph()

    @property
    def synthetic(self) -> bool:
        """True when the tables are the generated sample."""
        return self.provenance.synthetic

    @property
    def register_available(self) -> bool:
        """True when the level-2 indicators could be computed."""
        level2 = self.definitions.filter(pl.col("indicator") == "level2")
        return bool(level2.height and level2["available"].item())

    def tables(self) -> dict[str, pl.DataFrame]:
        """Every table the report writes, by file stem, absent ones left out."""
        out: dict[str, pl.DataFrame | None] = {
            "yearly": self.yearly,
            "windows": self.windows,
            "period_comparison": self.comparison,
            "goals": self.goals,
            "partners": self.partners,
            "partner_institutions": self.institution_partners,
            "data_quality": self.quality,
            "definitions": self.definitions,
            "partner_groups": self.group_sources,
        }
        for result in self.results:
            out.update(result.tables)
        return {name: frame for name, frame in out.items() if frame is not None}

    # Read for every row of every rendering: computed once per report (a cached property
    # writes the instance's dictionary directly, which a frozen dataclass allows).
    @functools.cached_property
    def goal_list(self) -> tuple[Goal, ...]:
        """The development goals under the report's definitions (its groups included)."""
        return goals(self.options.defs)

    @functools.cached_property
    def short_labels(self) -> dict[str, str]:
        """Terminal labels by share stem, under the report's definitions."""
        return short_labels(self.options.defs)

    @functools.cached_property
    def indicator_notes(self) -> dict[str, str]:
        """Policy notes of the indicators about one partner (``priority_RU``), by stem."""
        return indicator_notes(self.options.defs)

    @functools.cached_property
    def digest(self) -> str:
        """A digest of what the report's files are made of (its figures' drawing aside).

        Every table (its schema and its values as CSV: the same values give the
        same text however they are laid out in memory), the notes, provenance,
        options, institution name and each result's notes and provenance.
        Computed once: the workbook and every kept figure are keyed by it.
        """
        digest = hashlib.sha256()
        facts = (
            self.institution_name, self.notes, self.options.to_dict(), self.provenance.to_dict(),
            [(r.key, r.title, r.notes, dict(r.provenance), r.available, r.reason, r.synthetic)
             for r in self.results],
        )  # fmt: skip
        digest.update(json.dumps(facts, sort_keys=True, default=repr).encode())
        for name, frame in self.tables().items():
            digest.update(repr((name, frame.schema)).encode())
            digest.update(csv_frame(frame, synthetic=False).write_csv().encode())
        return digest.hexdigest()

    def result(self, key: str) -> AnalysisResult | None:
        """The result of the registered analysis ``key``, if the report holds it."""
        return next((r for r in self.results if r.key == key), None)

    def with_(self, **changes: Any) -> ReportData:
        """Return a copy with ``changes`` applied."""
        return dataclasses.replace(self, **changes)

    def header(self) -> dict[str, Any]:
        """The provenance block every machine-readable output carries."""
        return {
            "synthetic": self.synthetic,
            "warning": "SYNTHETIC SAMPLE DATA: not real publications" if self.synthetic else None,
            "institution": self.options.institution,
            "institution_name": self.institution_name,
            "provenance": self.provenance.to_dict(),
            "options": self.options.to_dict(),
            "notes": list(self.notes),
            "analyses": {
                r.key: {
                    "available": r.available,
                    "reason": r.reason,
                    "notes": list(r.notes),
                    "provenance": dict(r.provenance),
                }
                for r in self.results
            },
        }
