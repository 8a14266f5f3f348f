"""What an analysis is: one question, computed from the inputs under one :class:`Definitions`.

An :class:`Analysis` is a record in the registry (:mod:`copub.analyses.registry`):
its key and title, the schemas of the tables it returns, a ``compute``
function and a ``present`` function. ``compute`` takes the shared
:class:`AnalysisInputs` (tables, labelled works, authors, EU inputs) and the
one validated :class:`~copub.classify.definitions.Definitions`, and returns an
:class:`AnalysisResult`: named tables, figures, summary text, notes and
provenance. The report and every subcommand write results with the same
writers (:mod:`copub.render`), so an analysis never imports the report.

Examples
--------
>>> import polars as pl
>>> result = AnalysisResult("demo", "Demo", {"demo": pl.DataFrame({"year": [2020]})})
>>> result.main_table.columns, result.available
(['year'], True)
>>> check_schemas(result, {"demo": pl.Schema({"year": pl.Int64})})
>>> check_schemas(result, {"demo": pl.Schema({"works": pl.Int64})})
Traceback (most recent call last):
...
copub.errors.CopubError: analysis demo: table demo lacks columns works
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import polars as pl

from copub.errors import CopubError, UsageError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from copub.classify.definitions import Definitions
    from copub.eu.analysis import EuInputs
    from copub.indicators.labels import LabelledWorks
    from copub.normalize import Tables
    from copub.progress import Progress

Period = Literal["year", "window", "all"]

__all__ = [
    "Analysis",
    "AnalysisInputs",
    "AnalysisResult",
    "FigureSpec",
    "ShowOptions",
    "check_schemas",
    "unavailable",
]


@dataclass(frozen=True)
class FigureSpec:
    """One figure of a result: drawn on demand with the shared style (:mod:`copub.render.figures`).

    ``draw`` returns a matplotlib figure; the writer adds the SYNTHETIC tag,
    the source footer and saves PNG and SVG.
    """

    name: str
    title: str
    caption: str
    draw: Callable[[], Figure]


@dataclass(frozen=True)
class AnalysisResult:
    """What an analysis found, ready for every writer.

    Attributes
    ----------
    key, title : str
        The registry key and the section title.
    tables : mapping of str to pl.DataFrame
        Named tables (file stems), the main one first.
    text : str
        The terminal presentation (plain text, lines of at most 100 characters).
    summary : str
        What the report's terminal shows of it, indented under its title (lines
        of at most 98 characters); default ``text``.
    html : str
        The report section's HTML body (figures are added by the writer).
    figures : tuple of FigureSpec
    notes : tuple of str
        Sentences every output carries (caveats, differences from a namesake).
    provenance : mapping
        JSON-ready facts behind the numbers (definitions used, inputs, counts).
    synthetic : bool
        True when made from the synthetic sample.
    available : bool
        False when the inputs cannot answer the question; ``reason`` says why.
    """

    key: str
    title: str
    tables: Mapping[str, pl.DataFrame] = field(default_factory=dict)
    text: str = ""
    summary: str = ""
    html: str = ""
    figures: tuple[FigureSpec, ...] = ()
    notes: tuple[str, ...] = ()
    provenance: Mapping[str, Any] = field(default_factory=dict)
    synthetic: bool = False
    available: bool = True
    reason: str | None = None

    def text_with_notes(self, text: str, width: int = 100) -> str:
        """``text`` followed by each note it does not already say, wrapped to ``width``."""
        import textwrap

        missing = [note for note in self.notes if note not in text]
        lines = [
            line
            for note in missing
            for line in textwrap.wrap(f"Note: {note}", width, subsequent_indent="  ")
        ]
        return text.rstrip("\n") + "\n" + "".join(f"{line}\n" for line in lines)

    @property
    def main_table(self) -> pl.DataFrame:
        """The first table (an empty frame when there is none)."""
        return next(iter(self.tables.values()), pl.DataFrame())

    def to_json(self) -> dict[str, Any]:
        """The result as one JSON-ready object: tables as lists of rows, with the notes."""
        from copub.render.tables import to_records

        return {
            "key": self.key,
            "title": self.title,
            "synthetic": self.synthetic,
            "available": self.available,
            "reason": self.reason,
            "notes": list(self.notes),
            "analysis_provenance": dict(self.provenance),
            "tables": {name: to_records(frame) for name, frame in self.tables.items()},
        }


def unavailable(key: str, title: str, reason: str, *, synthetic: bool = False) -> AnalysisResult:
    """A result that says why the question cannot be answered from these inputs.

    Examples
    --------
    >>> result = unavailable("points", "Points", "No register was given. " * 8)
    >>> result.available, max(len(line) for line in result.text.splitlines()) <= 98
    (False, True)
    """
    import textwrap

    text = textwrap.fill(f"{title}: unavailable. {reason}", 98, subsequent_indent="  ")
    return AnalysisResult(
        key, title, text=text + "\n", synthetic=synthetic, available=False, reason=reason
    )


@dataclass
class AnalysisInputs:
    """Everything the analyses of one run read, loaded once and shared.

    ``labelled`` labels the universe once per run (every year; each analysis
    takes its years from the definitions). Only the CLI and the public API
    build this; an analysis reads from it.

    Attributes
    ----------
    tables : Tables
    authors : pl.DataFrame, optional
        The authors table (affiliation histories), for the mobility analysis.
    eu : EuInputs, optional
        CORDIS files and the Norwegian grants file, for the EU analysis.
    """

    tables: Tables
    authors: pl.DataFrame | None = None
    eu: EuInputs | None = None
    _labelled: dict[object, LabelledWorks] = field(default_factory=dict, repr=False)

    @property
    def synthetic(self) -> bool:
        """True when the tables are the synthetic sample."""
        return self.tables.provenance.synthetic

    def labelled(self, definitions: Definitions) -> LabelledWorks:
        """The universe labelled under ``definitions`` (every year), computed once."""
        from copub.indicators.labels import label_works

        every_year = definitions.with_(years=None)
        key = (every_year, id(every_year.groups), id(every_year.register))
        if key not in self._labelled:
            self._labelled[key] = label_works(self.tables, every_year)
        return self._labelled[key]


@dataclass(frozen=True)
class ShowOptions:
    """How results are shown: presentation only, never what a number means.

    Attributes
    ----------
    indicator : str
        The share the terminal tables of peers and breakdown show (``intl``).
    top : int
        Groups at each end of "where we stand", partners listed (5).
    period : {"year", "window", "all"}
        Rows per year, per rolling window of ``definitions.period_window`` years,
        or (impact) one row for the whole range.
    collaborations : tuple of str, optional
        The collaboration types the impact tables list (default all).
    compare : (str, str)
        The two collaboration types the impact difference compares.
    partner_kind : {"country", "institution"}
        The partners the partner review ranks.
    group : str, optional
        Only the partners in this partner group.
    unicode : bool
        Whether the terminal takes arrows and dashes.
    """

    indicator: str = "intl"
    top: int = 5
    period: Period = "year"
    collaborations: tuple[str, ...] | None = None
    compare: tuple[str, str] = ("international", "domestic")
    partner_kind: Literal["country", "institution"] = "country"
    group: str | None = None
    unicode: bool = True

    def table_rows(self) -> Literal["year", "window"]:
        """``period`` for the tables that have rows per year or per window only.

        Examples
        --------
        >>> ShowOptions(period="window").table_rows()
        'window'
        >>> ShowOptions(period="all").table_rows()
        Traceback (most recent call last):
        ...
        copub.errors.UsageError: rows per year or per window only (period 'all' is the impact's)
        """
        if self.period == "all":
            raise UsageError("rows per year or per window only (period 'all' is the impact's)")
        return self.period


Compute = Callable[["AnalysisInputs", "Definitions", ShowOptions, "Progress"], AnalysisResult]
#: Whether the analysis belongs in a report under these definitions and inputs.
Wanted = Callable[["AnalysisInputs", "Definitions"], bool]


@dataclass(frozen=True)
class Analysis:
    """One registered analysis (see the module docs).

    Attributes
    ----------
    key, title : str
    compute : callable
        ``(inputs, definitions, options, progress) -> AnalysisResult``.
    schemas : mapping of str to pl.Schema
        The declared columns of each table a result may hold; checked on every result.
    wanted : callable
        Whether ``copub report`` includes it for these inputs and definitions.
    summary : str
        One line for ``--help`` and the README.
    """

    key: str
    title: str
    compute: Compute
    schemas: Mapping[str, pl.Schema]
    wanted: Wanted
    summary: str

    def run(
        self,
        inputs: AnalysisInputs,
        definitions: Definitions,
        options: ShowOptions | None = None,
        progress: Progress | None = None,
    ) -> AnalysisResult:
        """``compute``, with the result's tables checked against the declared schemas."""
        from copub.progress import Progress

        result = self.compute(
            inputs, definitions, options or ShowOptions(), progress or Progress.silent()
        )
        check_schemas(result, self.schemas)
        return result


def check_schemas(result: AnalysisResult, schemas: Mapping[str, pl.Schema]) -> None:
    """Check that every table of ``result`` is declared and has its declared columns and types.

    A table may carry more columns than declared (per-group share columns); a
    declared column must be there with its declared type.

    Raises
    ------
    CopubError
        An internal error: the analysis broke its own contract.
    """
    for name, frame in result.tables.items():
        schema = schemas.get(name)
        if schema is None:
            matches = [s for pattern, s in schemas.items() if pattern.endswith("*")
                       and name.startswith(pattern[:-1])]  # fmt: skip
            if not matches:
                raise CopubError(f"analysis {result.key}: table {name} is not declared")
            schema = matches[0]
        missing = [c for c in schema if c not in frame.columns]
        if missing:
            raise CopubError(
                f"analysis {result.key}: table {name} lacks columns {', '.join(missing)}"
            )
        wrong = [
            f"{c} ({frame.schema[c]}, not {dtype})"
            for c, dtype in schema.items()
            if frame.schema[c] != dtype and frame.schema[c] != pl.Null
        ]
        if wrong:
            raise CopubError(f"analysis {result.key}: table {name}: {', '.join(wrong)}")
