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

import io
import json
import math
from typing import Any

import polars as pl

from copub.indicators.definitions import share_column, share_columns
from copub.indicators.schemas import YEARLY_LEAD
from copub.indicators.trends import ADJUSTMENT_NOTE, share_names
from copub.report.data import ReportData
from copub.report.impact_section import impact_json, impact_markdown
from copub.report.scope import UNMEASURED_GOALS

__all__ = [
    "SYNTHETIC_COLUMN",
    "comment_line",
    "csv_frame",
    "markdown_table",
    "render_csv",
    "render_json",
    "render_markdown",
    "to_records",
    "write_csv_text",
]

_SYNTHETIC = "SYNTHETIC SAMPLE DATA: not real publications"

#: The column every CSV and spreadsheet made from synthetic data ends with.
SYNTHETIC_COLUMN = "synthetic"


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


def csv_frame(frame: pl.DataFrame, *, synthetic: bool) -> pl.DataFrame:
    """``frame`` ready for CSV and spreadsheets: lists joined with ``;``, and the
    :data:`SYNTHETIC_COLUMN` last when the data is synthetic.

    Examples
    --------
    >>> frame = pl.DataFrame({"year": [2020], "groups": [["eu", "nordic"]]})
    >>> csv_frame(frame, synthetic=True).row(0)
    (2020, 'eu;nordic', 'SYNTHETIC SAMPLE DATA: not real publications')
    >>> csv_frame(frame, synthetic=False).columns
    ['year', 'groups']
    """
    flat = frame.with_columns(
        pl.col(c).cast(pl.List(pl.String)).list.join(";")
        for c, dtype in frame.schema.items()
        if isinstance(dtype, pl.List)
    )
    if synthetic:
        flat = flat.with_columns(pl.lit(_SYNTHETIC).alias(SYNTHETIC_COLUMN))
    return flat


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


def write_csv_text(frame: pl.DataFrame) -> str:
    """RFC 4180 text: one header row, CRLF line ends, fields quoted when needed.

    Examples
    --------
    >>> write_csv_text(pl.DataFrame({"a": [1], "b": ["x,y"]})).split("\\r\\n")
    ['a,b', '1,"x,y"', '']
    """
    buffer = io.StringIO()
    frame.write_csv(buffer, line_terminator="\r\n")
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
        markdown_table(yearly.select(list(YEARLY_LEAD))),
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
    return "\n".join(out).rstrip() + "\n"
