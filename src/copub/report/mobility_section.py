"""The report's mobility section: terminal text, tables, the inflow/outflow figure and HTML.

Made from a :class:`~copub.indicators.mobility.MobilityResult`; every output
repeats :data:`~copub.indicators.mobility.MOBILITY_NOTE` (histories come from
publications; a proxy) and says SYNTHETIC when the data are.

Examples
--------
>>> import copub
>>> result = copub.mobility_indicators(copub.load_sample_authors(scale=0.01), "I204778367")
>>> text = mobility_terminal(result, synthetic=True)
>>> "SYNTHETIC" in text and "proxy" in text
True
>>> flow_table(result).columns[:3]
['group', 'inflow', 'outflow']
"""

from __future__ import annotations

import os
import textwrap
from collections.abc import Mapping
from pathlib import Path

import matplotlib
import polars as pl
from matplotlib.figure import Figure

from copub.indicators.mobility import MobilityResult
from copub.report.formats import csv_frame, write_csv_text
from copub.report.html_parts import esc, img_tag, table

__all__ = [
    "flow_table",
    "mobility_figure",
    "mobility_html",
    "mobility_terminal",
    "write_mobility",
]

_SYNTHETIC = "SYNTHETIC sample data: invented author histories, not real researchers"
_DIRECTIONS = ("inflow", "outflow", "concurrent")


def _pct(value: object) -> str:
    return "n/a" if value is None else f"{float(value) * 100:.1f}%"  # type: ignore[arg-type]


def _interval(row: Mapping[str, object], share: str) -> str:
    low, high = row[f"{share}_low"], row[f"{share}_high"]
    if row[share] is None:
        return "n/a"
    return f"{_pct(row[share])} [{_pct(low)}–{_pct(high)}]"


def flow_table(result: MobilityResult) -> pl.DataFrame:
    """Authors per partner group and direction, summed over the years reported.

    An author who moves twice (say, arrives in 2015 and leaves in 2020) counts
    in both directions; within one direction and year an author counts once per group.
    """
    totals = result.flows.group_by("group", "direction").agg(pl.col("authors").sum())
    order = result.flows.select("group").unique(maintain_order=True).with_row_index("order")
    wide = (
        totals.pivot(on="direction", index="group", values="authors")
        .join(order, on="group", how="left")
        .sort("order")
        .drop("order")
    )
    for direction in _DIRECTIONS:
        if direction not in wide.columns:
            wide = wide.with_columns(pl.lit(0, pl.UInt32).alias(direction))
    return wide.select("group", *_DIRECTIONS).fill_null(0)


def _header(result: MobilityResult, synthetic: bool) -> list[str]:
    first, last = result.years
    lines = [
        f"Researcher mobility: {result.institution}, {first}-{last} "
        f"(abroad = outside {result.home_country}; N = {result.definitions.window} years)"
    ]
    if synthetic:
        lines.append(_SYNTHETIC)
    lines.append(result.note)
    return lines


def mobility_terminal(result: MobilityResult, *, synthetic: bool = False) -> str:
    """The yearly table (counts, shares with 95% intervals) and the flows by group, as text."""
    header = [part for line in _header(result, synthetic) for part in textwrap.wrap(line, 100)]
    lines = ["", *header, ""]
    # Indented, so a reader of the yearly table above never takes these rows for its own.
    head = (
        f"  {'year':<4} {'home':>5} {'recruited [95% CI]':>22} {'left [95% CI]':>22} "
        f"{'concur.':>7} {'guests':>6} {'early career intl':>19}"
    )
    lines.append(head)
    for row in result.yearly.iter_rows(named=True):
        early = f"{row['early_intl']}/{row['early_career']} {_pct(row['early_intl_share'])}"
        lines.append(
            f"  {row['year']:<4} {row['home_authors']:>5} "
            f"{row['recruited']:>4} {_interval(row, 'recruited_share'):>17} "
            f"{row['left']:>4} {_interval(row, 'left_share'):>17} "
            f"{row['concurrent']:>7} {row['guests']:>6} {early:>19}"
        )
    lines += ["", "Flows by partner group (authors, summed over the years):"]
    flows = flow_table(result)
    lines.append(f"  {'group':<16}{'inflow':>8}{'outflow':>9}{'concurrent':>12}")
    for group, inflow, outflow, concurrent in flows.iter_rows():
        lines.append(f"  {group:<16}{inflow:>8}{outflow:>9}{concurrent:>12}")
    return "\n".join(lines) + "\n"


def mobility_figure(result: MobilityResult, *, synthetic: bool = False) -> Figure:
    """Recruited from abroad and left for abroad per year (counts of authors)."""
    matplotlib.use("Agg", force=False)
    figure = Figure(figsize=(8, 4), layout="constrained")
    axes = figure.subplots()
    years = result.yearly["year"].to_list()
    axes.plot(
        years, result.yearly["recruited"].to_list(), marker="o", label="recruited from abroad"
    )
    axes.plot(years, result.yearly["left"].to_list(), marker="s", label="left for abroad")
    axes.plot(
        years,
        result.yearly["concurrent"].to_list(),
        marker="^",
        linestyle=":",
        label="concurrent foreign affiliation",
    )
    axes.set_xlabel("year")
    axes.set_ylabel("authors")
    axes.legend(frameon=False)
    title = f"Inflow and outflow of researchers, {result.institution}"
    axes.set_title(title + (" (SYNTHETIC)" if synthetic else ""))
    figure.text(0.01, 0.005, "Proxy from OpenAlex publication histories", fontsize=7)
    return figure


def _write_csv(frame: pl.DataFrame, path: Path, synthetic: bool) -> None:
    # Plain RFC 4180 CSV like every report table (the caveat is in the parquet metadata,
    # the definitions table and the page); the synthetic column marks sample data.
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(write_csv_text(csv_frame(frame, synthetic=synthetic)), encoding="utf-8")
    os.replace(tmp, path)


def write_mobility(
    result: MobilityResult, out_dir: str | os.PathLike[str], *, synthetic: bool = False
) -> list[Path]:
    """Write ``tables/mobility_*.csv|parquet`` and ``figures/mobility_flows.png|svg``.

    Each CSV is plain RFC 4180 with one header row (and, for the sample, the
    ``synthetic`` column on every row). Each parquet file carries the note and
    the mark as key-value metadata (``copub.note``, ``copub.synthetic``).
    """
    out = Path(out_dir)
    (out / "tables").mkdir(parents=True, exist_ok=True)
    (out / "figures").mkdir(parents=True, exist_ok=True)
    frames = {
        "mobility_yearly": result.yearly,
        "mobility_flows": result.flows,
        "mobility_countries": result.countries,
        "mobility_flow_table": flow_table(result),
        "mobility_definitions": pl.DataFrame({"definition": list(result.definitions.describe())}),
    }
    metadata = {
        "copub.note": result.note,
        "copub.synthetic": "true" if synthetic else "false",
        "copub.institution": result.institution,
    }
    written = []
    for name, frame in frames.items():
        csv = out / "tables" / f"{name}.csv"
        _write_csv(frame, csv, synthetic)
        parquet = out / "tables" / f"{name}.parquet"
        tmp = parquet.with_name(f".{parquet.name}.tmp")
        frame.write_parquet(tmp, metadata=metadata)
        os.replace(tmp, parquet)
        written += [csv, parquet]
    figure = mobility_figure(result, synthetic=synthetic)
    for suffix in ("png", "svg"):
        path = out / "figures" / f"mobility_flows.{suffix}"
        tmp = path.with_name(f".{path.stem}.tmp.{suffix}")
        figure.savefig(tmp, dpi=144)
        os.replace(tmp, path)
        written.append(path)
    return written


def mobility_html(result: MobilityResult, out_dir: Path, *, synthetic: bool = False) -> str:
    """The section's HTML body: note, figure (from :func:`write_mobility`), tables, definitions."""
    parts = [f"<p>{esc(line)}</p>" for line in _header(result, synthetic)]
    png = out_dir / "figures" / "mobility_flows.png"
    if png.is_file():
        parts.append(img_tag(png, "Researchers recruited from and leaving for abroad per year"))
    headers = [
        ("Year", False),
        ("Home authors", True),
        ("Recruited from abroad", True),
        ("Left for abroad", True),
        ("Concurrent foreign", True),
        ("Guests", True),
        ("Early career with foreign experience", True),
    ]

    def with_interval(count: object, share: str, row: Mapping[str, object]) -> str:
        # The interval on its own line (as in the yearly tables), so the table fits a page.
        if row[share] is None:
            return f"{esc(count)} · n/a"
        bounds = f"[{_pct(row[f'{share}_low'])}–{_pct(row[f'{share}_high'])}]"
        return f"{esc(count)} · {esc(_pct(row[share]))}<span class=ci>{esc(bounds)}</span>"

    rows = [
        [
            (esc(row["year"]), False),
            (esc(row["home_authors"]), True),
            (with_interval(row["recruited"], "recruited_share", row), True),
            (with_interval(row["left"], "left_share", row), True),
            (esc(row["concurrent"]), True),
            (esc(row["guests"]), True),
            (
                esc(f"{row['early_intl']}/{row['early_career']} · {_pct(row['early_intl_share'])}"),
                True,
            ),
        ]
        for row in result.yearly.iter_rows(named=True)
    ]
    parts.append(
        table(
            headers,
            rows,
            css_class="yearly",
            caption="Mobility per year (shares with Wilson 95% intervals)",
        )
    )
    flows = flow_table(result)
    parts.append(
        table(
            [("Partner group", False), ("Inflow", True), ("Outflow", True), ("Concurrent", True)],
            [
                [(esc(g), False), (esc(i), True), (esc(o), True), (esc(c), True)]
                for g, i, o, c in flows.iter_rows()
            ],
            caption="Authors by partner group, summed over the years",
        )
    )
    items = "".join(f"<li>{esc(line)}</li>" for line in result.definitions.describe())
    parts.append(f"<ul>{items}</ul>")
    return "".join(parts)
