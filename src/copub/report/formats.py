"""Machine-readable output on stdout: CSV, JSON and markdown, each with its provenance.

- CSV: one ``#`` comment line stating the provenance (and, for the sample,
  that it is synthetic), then every column of the yearly table. Read it with
  ``pl.read_csv(path, comment_prefix="#")``.
- JSON: an object with the provenance block, the yearly rows, the
  plan-versus-baseline comparison, the goal summary and the data quality.
- markdown: the same content as tables, one per indicator.
"""

from __future__ import annotations

import io
import json
import math
from typing import Any

import polars as pl

from copub.indicators.definitions import share_column, share_columns
from copub.indicators.trends import share_names
from copub.report.data import ReportData
from copub.report.impact_section import impact_json, impact_markdown

__all__ = [
    "comment_line",
    "markdown_table",
    "render_csv",
    "render_json",
    "render_markdown",
    "to_records",
]

_SYNTHETIC = "SYNTHETIC SAMPLE DATA: not real publications"


def comment_line(data: ReportData, what: str = "yearly indicators") -> str:
    """The provenance as one ``#`` line (no newline).

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


def to_records(frame: pl.DataFrame) -> list[dict[str, Any]]:
    """Rows as dictionaries, with NaN turned into None (JSON has no NaN).

    Examples
    --------
    >>> to_records(pl.DataFrame({"x": [1.0, float("nan")]}))
    [{'x': 1.0}, {'x': None}]
    """
    return [
        {
            key: None if isinstance(value, float) and math.isnan(value) else value
            for key, value in row.items()
        }
        for row in frame.iter_rows(named=True)
    ]


def render_csv(data: ReportData) -> str:
    """The yearly table, every column, after one provenance comment line."""
    buffer = io.StringIO()
    buffer.write(comment_line(data) + "\n")
    data.yearly.write_csv(buffer)
    return buffer.getvalue()


def render_json(data: ReportData) -> str:
    """The report as one JSON document with the provenance block."""
    document = {
        **data.header(),
        "yearly": to_records(data.yearly),
        "period_comparison": to_records(data.comparison),
        "goals": to_records(data.goals),
        "data_quality": to_records(data.quality),
        **({"impact": impact_json(data.impact)} if data.impact is not None else {}),
    }
    return json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float):
        return f"{value:.4f}" if abs(value) < 10 else f"{value:,.1f}"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value).replace("|", "\\|")


def markdown_table(frame: pl.DataFrame) -> str:
    """A frame as a GitHub-flavoured markdown table.

    Examples
    --------
    >>> print(markdown_table(pl.DataFrame({"year": [2020], "share": [0.5]})))
    | year | share |
    |---:|---:|
    | 2020 | 0.5000 |
    """
    align = ["---:" if dtype.is_numeric() else "---" for dtype in frame.dtypes]
    lines = [
        "| " + " | ".join(frame.columns) + " |",
        "|" + "|".join(align) + "|",
    ]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in frame.iter_rows()]
    return "\n".join(lines)


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
        markdown_table(
            yearly.select("year", "works", "works_frac", "partial", "authorship_no_country_rate")
        ),
        "",
    ]
    for stem in share_names(yearly):
        columns = [c for c in share_columns(stem) if c in yearly.columns]
        out += [f"## {labels.get(stem, stem)} (`{share_column(stem)}`)", ""]
        out += [markdown_table(yearly.select("year", *columns)), ""]
    if data.impact is not None:
        out += [impact_markdown(data.impact, synthetic=data.synthetic)]
    (b0, b1), (p0, p1) = options.baseline, options.plan
    out += [f"## Plan {p0}-{p1} against baseline {b0}-{b1}", ""]
    out += [markdown_table(data.comparison), ""]
    out += ["## Development goals", ""]
    out += [markdown_table(data.goals.drop("goal_text")), ""]
    out += ["## Data quality", ""]
    out += [markdown_table(data.quality), ""]
    for note in data.notes:
        out += [f"- {note}"]
    return "\n".join(out).rstrip() + "\n"
