"""Machine-readable output on stdout: CSV, JSON and markdown, each with its provenance.

- CSV: plain RFC 4180 CSV with one header row: every column of the yearly
  table, and for data made from the synthetic sample a last column
  ``synthetic`` saying so on every row. The provenance goes to stderr (the
  CLI), to ``--format json`` and to the ``--out`` sidecars.
- JSON: an object with the provenance block, the yearly rows, the
  plan-versus-baseline comparison, the goal summary and the data quality.
- markdown: the same content as tables, one per indicator.
"""

from __future__ import annotations

import json

from copub.analyses.contract import AnalysisResult
from copub.indicators.definitions import share_column, share_columns
from copub.indicators.schemas import YEARLY_LEAD
from copub.indicators.trends import ADJUSTMENT_NOTE, share_names
from copub.render import fmt
from copub.render.tables import (
    SYNTHETIC_TEXT,
    csv_frame,
    markdown_table,
    to_records,
    write_csv_text,
)
from copub.report.data import ReportData
from copub.report.scope import UNMEASURED_GOALS

__all__ = [
    "comment_line",
    "render_csv",
    "render_json",
    "render_markdown",
    "result_markdown",
]

_SYNTHETIC = SYNTHETIC_TEXT

def comment_line(data: ReportData, what: str = "yearly indicators") -> str:
    """The provenance as one ``#`` line (no newline), for stderr: never inside a CSV.

    Examples
    --------
    >>> import copub
    >>> from copub.report import ReportOptions, build_report
    >>> from copub.progress import Progress
    >>> data = build_report(copub.load_sample(scale=0.01), ReportOptions(bootstrap=0),
    ...                     scope="table", progress=Progress.silent())
    >>> comment_line(data).startswith("# copub yearly indicators; SYNTHETIC")
    True
    """
    parts = [f"# copub {what}"]
    if data.synthetic:
        parts.append(_SYNTHETIC)
    parts.append(data.provenance.describe().replace("\n", " "))
    return "; ".join(parts)


def render_csv(data: ReportData) -> str:
    """The yearly table, every column, as RFC 4180 CSV with one header row.

    Data made from the synthetic sample carries the ``synthetic`` column on
    every row; the provenance is not in the CSV (see :func:`comment_line`).

    Examples
    --------
    >>> import copub, csv, io
    >>> from copub.report import ReportOptions, build_report
    >>> from copub.progress import Progress
    >>> data = build_report(copub.load_sample(scale=0.01), ReportOptions(bootstrap=0),
    ...                     scope="table", progress=Progress.silent())
    >>> rows = list(csv.reader(io.StringIO(render_csv(data))))
    >>> rows[0][0], rows[0][-1], rows[1][-1].startswith("SYNTHETIC")
    ('year', 'synthetic', True)
    """
    return write_csv_text(csv_frame(data.yearly, synthetic=data.synthetic))


def render_json(data: ReportData) -> str:
    """The report as one JSON document with the provenance block."""
    document = {
        **data.header(),
        "yearly": to_records(data.yearly),
        "period_comparison": to_records(data.comparison),
        "goals": to_records(data.goals),
        "data_quality": to_records(data.quality),
        "analyses": {result.key: result.to_json() for result in data.results},
    }
    return json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def render_markdown(data: ReportData) -> str:
    """Every column of the yearly table (one table per indicator), the comparison,
    the goal summary and the data quality, as markdown."""
    yearly = data.yearly
    options = data.options
    labels = dict(data.definitions.select("indicator", "label").iter_rows())
    out = [f"# copub report: {data.institution_name} ({options.institution})", ""]
    if data.synthetic:
        out += [f"> **{_SYNTHETIC}.**", ""]
    out += [f"Source: {data.provenance.describe()}", ""]
    out += ["## Works per year", ""]
    out += [
        markdown_table(yearly.select(list(YEARLY_LEAD))),
        "",
    ]
    for stem in share_names(yearly):
        columns = [c for c in share_columns(stem) if c in yearly.columns]
        out += [f"## {labels.get(stem, stem)} (`{share_column(stem)}`)", ""]
        if stem in data.indicator_notes:  # the partner's policy context, with its numbers
            out += [f"> {fmt.policy_note(data.indicator_notes[stem])}", ""]
        out += [markdown_table(yearly.select("year", *columns)), ""]
    (b0, b1), (p0, p1) = options.baseline, options.plan
    out += [f"## Plan {p0}-{p1} against baseline {b0}-{b1}", ""]
    out += [markdown_table(data.comparison), ""]
    out += ["## Development goals", ""]
    out += [markdown_table(data.goals.drop("goal_text")), ""]
    out += [
        "`meaningful`: a significant change (Holm-adjusted p < 0.05) at least `min_change` "
        "in size (a share difference; 0.01 = one percentage point). " + ADJUSTMENT_NOTE,
        "",
    ]
    out += ["## Not measured in this report", ""]
    out += [f"- {goal}: needs {source}." for goal, source in UNMEASURED_GOALS] + [""]
    out += ["## Data quality", ""]
    out += [markdown_table(data.quality), ""]
    for note in data.notes:
        out += [f"- {note}"]
    for result in data.results:
        out += ["", result_markdown(result)]
    return "\n".join(out).rstrip() + "\n"


def result_markdown(result: AnalysisResult) -> str:
    """One analysis's result as markdown: its title, notes and every table."""
    out = [f"## {result.title}", ""]
    if result.synthetic:
        out += [f"_{SYNTHETIC_TEXT}_", ""]
    if not result.available:
        out += [f"Unavailable: {result.reason}", ""]
    out += [f"- {note}" for note in result.notes] + ([""] if result.notes else [])
    for name, frame in result.tables.items():
        out += [f"### `{name}`", "", markdown_table(frame), ""]
    return "\n".join(out)
