"""The report's peers and field sections: text, figures, tables and an HTML fragment.

``report --peers G`` adds the home institution beside the members of group
``G`` (:func:`copub.peer_indicators`): a terminal table, small multiples of
each institution's international share over the years with its interval,
and the tables. ``report --by field`` adds the breakdown
(:func:`copub.breakdown_indicators`): a ranked dot plot of the share per
field over the requested years with 95% intervals, and "where we stand".
The renderers only format what those functions computed.
"""

from __future__ import annotations

import io
import math
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib
import polars as pl
from matplotlib.figure import Figure

from copub.atomic import atomic_write
from copub.indicators.breakdown import Breakdown, standing_sentence, where_we_stand
from copub.indicators.definitions import share_column
from copub.indicators.peers import PeerIndicators, peer_group
from copub.report.formats import csv_frame, write_csv_text
from copub.report.html_parts import esc, img_tag
from copub.report.text import clip, percent, text_table

__all__ = [
    "ExtraSection",
    "breakdown_section",
    "breakdown_text",
    "fields_figure",
    "peers_figure",
    "peers_section",
    "peers_text",
    "write_section",
]

_SYNTHETIC = "SYNTHETIC sample data: not real publications"
_GROUPS = ("n5t", "enhance", "norway_universities")


@dataclass(frozen=True)
class ExtraSection:
    """One added report section: what each renderer shows of it."""

    key: str
    title: str
    text: str
    caption: str
    figure: Figure
    tables: dict[str, pl.DataFrame] = field(default_factory=dict)
    synthetic: bool = False


def _codes(result: PeerIndicators) -> dict[str, str]:
    """Short labels: a packaged group's member code (by id, else by name), else the id."""
    by_id: dict[str, str] = {}
    by_name: dict[str, str] = {}
    for key in _GROUPS:
        for member in peer_group(key, result.definitions).members:
            if member.openalex_id:
                by_id.setdefault(member.openalex_id, member.code)
            if member.name:
                by_name.setdefault(member.name, member.code)
    names = dict(result.table.select("institution_id", "institution_name").unique().iter_rows())
    return {i: by_id.get(i) or by_name.get(str(names.get(i, ""))) or i for i in result.institutions}


def peers_text(result: PeerIndicators, indicator: str = "intl") -> str:
    """The peers table of one share (within 100 columns), then the shared-works matrix."""
    share = share_column(indicator)
    by = "year" if "year" in result.table.columns else "period"
    rows = []
    for row in result.table.iter_rows(named=True):
        name = clip(row["institution_name"], 34) + (" (home)" if row["is_home"] else "")
        mark = "" if row["is_home"] else ("*" if row[f"{share}_differs"] else "")
        rank = row[f"{share}_rank"]
        rows.append(
            [
                str(row[by]),
                name,
                f"{row['works']:,}",
                percent(row[share], row[f"{share}_low"], row[f"{share}_high"]) + f" {mark:1}",
                percent(row[f"{share}_frac"]),
                "-" if rank is None else str(rank),
            ]
        )
    headers = [by.capitalize(), "Institution", "Works", f"{indicator} full [95%]", "frac", "Rank"]
    parts = [text_table(headers, rows, [False, False, True, True, True, True])]
    parts.append("* differs from the home institution (two-proportion z-test, p < 0.05)")
    for missing in result.unresolved:
        parts.append(f"not in the data: {missing}")
    codes = _codes(result)
    share_of = {
        (a, b): s
        for a, b, s in result.shared.select("institution_id", "partner_id", "share").iter_rows()
    }
    order = list(result.institutions)
    lines = [
        [codes[a], *("-" if a == b else percent(share_of[(a, b)]) for b in order)] for a in order
    ]
    parts.append(
        "\nShare of the row institution's works that the column institution is also on:\n"
        + text_table(["", *(codes[i] for i in order)], lines, [False] + [True] * len(order))
    )
    return "\n".join(parts) + "\n"


def breakdown_text(result: Breakdown, indicator: str = "intl", top: int = 5) -> str:
    """Each group over the pooled years, then "where we stand", within 100 columns."""
    share = share_column(indicator)
    pooled = result.pooled.sort(pl.col(share).fill_null(-1.0), descending=True)
    period = pooled["period"][0] if pooled.height else ""
    rows = [
        [
            clip(str(r["group_id"]), 14),
            clip(r["group_name"], 38),
            f"{r['works']:,}",
            percent(r[share], r[f"{share}_low"], r[f"{share}_high"]),
            percent(r[f"{share}_frac"]),
            "small" if r["small"] else "",
        ]
        for r in pooled.iter_rows(named=True)
    ]
    headers = [result.by.capitalize(), "Name", "Works", f"{indicator} full [95%]", "frac", ""]
    parts = [
        f"{indicator} share by {result.by}, {period}:",
        text_table(headers, rows, [False, False, True, True, True, False]),
        f"small: fewer than {result.min_works} works (shown, not hidden)",
    ]
    stand = where_we_stand(result, indicator, top)
    lines = [
        [
            r["end"],
            str(r["rank"]),
            clip(r["group_name"], 38),
            f"{r['works']:,}",
            percent(r["share"], r["share_low"], r["share_high"]),
            "small" if r["small"] else "",
        ]
        for r in stand.iter_rows(named=True)
    ]
    parts.append("\nWhere we stand:")
    if lines:
        parts.append(
            text_table(
                ["End", "#", "Name", "Works", f"{indicator} full [95%]", ""],
                lines,
                [False, True, False, True, True, False],
            )
        )
    parts.append(textwrap.fill(standing_sentence(result, stand, indicator), 100))
    return "\n".join(parts) + "\n"


def _title(text: str, synthetic: bool) -> str:
    return f"{text} (SYNTHETIC sample data)" if synthetic else text


def peers_figure(result: PeerIndicators, *, synthetic: bool, indicator: str = "intl") -> Figure:
    """Small multiples: one panel per institution, its share over time with the 95% interval.

    The home institution's line is repeated, grey, in every peer's panel.
    """
    share = share_column(indicator)
    by = "year" if "year" in result.table.columns else "first_year"
    n = len(result.institutions)
    ncols = min(3, n)
    nrows = math.ceil(n / ncols)
    figure = Figure(figsize=(9.0, 2.6 * nrows + 0.8), layout="constrained")
    figure.suptitle(_title(f"{indicator} share beside the peers", synthetic), x=0.01, ha="left")
    home = result.table.filter("is_home").sort(by)
    axes = figure.subplots(nrows, ncols, sharex=True, sharey=True, squeeze=False)
    for ax, institution in zip(axes.flat, result.institutions, strict=False):
        rows = result.table.filter(pl.col("institution_id") == institution).sort(by)
        x = rows[by].to_list()
        ax.fill_between(
            x,
            rows[f"{share}_low"].fill_null(float("nan")).to_list(),
            rows[f"{share}_high"].fill_null(float("nan")).to_list(),
            alpha=0.25,
            color="#1f77b4",
            linewidth=0,
        )
        ax.plot(x, rows[share].fill_null(float("nan")).to_list(), color="#1f77b4", marker="o")
        if institution != result.home:
            ax.plot(home[by].to_list(), home[share].fill_null(float("nan")).to_list(),
                    color="grey", linestyle="--", linewidth=1)  # fmt: skip
        ax.set_title(clip(str(rows["institution_name"][0]), 34), fontsize=9)
        ax.set_ylim(0, 1)
        ax.grid(alpha=0.3)
    for ax in list(axes.flat)[n:]:
        ax.set_visible(False)
    for ax in list(axes.flat)[:n]:
        ax.xaxis.set_tick_params(labelbottom=True)  # a panel with none below keeps its years
    return figure


def fields_figure(result: Breakdown, *, synthetic: bool, indicator: str = "intl") -> Figure:
    """A ranked dot plot: the pooled share per group with its 95% interval; small groups hollow."""
    share = share_column(indicator)
    rows = result.pooled.filter(pl.col(share).is_not_null()).sort(share)
    height = max(3.0, 0.32 * rows.height + 1.2)
    figure = Figure(figsize=(9.0, height), layout="constrained")
    figure.suptitle(
        _title(f"{indicator} share by {result.by}, ranked", synthetic), x=0.01, ha="left"
    )
    ax = figure.subplots()
    y = list(range(rows.height))
    values = rows[share].to_list()
    low = [v - lo for v, lo in zip(values, rows[f"{share}_low"].to_list(), strict=True)]
    high = [hi - v for v, hi in zip(values, rows[f"{share}_high"].to_list(), strict=True)]
    ax.errorbar(values, y, xerr=[low, high], fmt="none", ecolor="grey", capsize=2)
    small = rows["small"].to_list()
    ax.scatter(
        values, y, color=["white" if s else "#1f77b4" for s in small], edgecolors="#1f77b4",
        zorder=3,
    )  # fmt: skip
    labels = [
        clip(str(n), 40) + (" (small)" if s else "")
        for n, s in zip(rows["group_name"], small, strict=True)
    ]
    ax.set_yticks(y, labels, fontsize=8)
    ax.set_xlim(0, 1)
    ax.set_xlabel(f"{indicator} share, full counting, 95% interval")
    ax.grid(axis="x", alpha=0.3)
    return figure


def peers_section(result: PeerIndicators, *, synthetic: bool) -> ExtraSection:
    """The peers section of a report."""
    return ExtraSection(
        key="peers",
        title="Beside the peers",
        text=peers_text(result),
        caption="Each panel: one institution's international share per year (line) with its "
        "95% interval (band); the dashed grey line is the home institution.",
        figure=peers_figure(result, synthetic=synthetic),
        tables={"peers": result.table, "peers_shared_works": result.shared},
        synthetic=synthetic,
    )


def breakdown_section(result: Breakdown, *, synthetic: bool) -> ExtraSection:
    """The breakdown section of a report."""
    return ExtraSection(
        key=f"by_{result.by}",
        title=f"By {result.by}",
        text=breakdown_text(result),
        caption=f"International share per {result.by} over the requested years, full "
        "counting, with 95% Wilson intervals; hollow dots have fewer than "
        f"{result.min_works} works.",
        figure=fields_figure(result, synthetic=synthetic),
        tables={
            f"breakdown_{result.by}": result.table,
            f"standing_{result.by}": where_we_stand(result),
        },
        synthetic=synthetic,
    )


def write_section(section: ExtraSection, out_dir: Path) -> str:
    """Write the section's tables (CSV) and figure (PNG, SVG); return its HTML fragment."""
    for name, frame in section.tables.items():
        # Plain RFC 4180 CSV like every report table; the synthetic column marks sample data.
        text = write_csv_text(csv_frame(frame, synthetic=section.synthetic))
        atomic_write(out_dir / "tables" / f"{name}.csv", text.encode())
    figures = out_dir / "figures"
    figures.mkdir(parents=True, exist_ok=True)
    png, svg = figures / f"{section.key}.png", figures / f"{section.key}.svg"
    for path, fmt in ((png, "png"), (svg, "svg")):
        buffer = io.BytesIO()
        with matplotlib.rc_context({"svg.fonttype": "none"}):
            section.figure.savefig(buffer, format=fmt, dpi=144)
        atomic_write(path, buffer.getvalue())
    banner = f"<p class=note><strong>{esc(_SYNTHETIC)}</strong></p>" if section.synthetic else ""
    return (
        f"{banner}<pre>{esc(section.text)}</pre>"
        f'<figure id="fig-{esc(section.key)}">{img_tag(png, section.title, svg=svg)}'
        f"<figcaption>{esc(section.caption)} Files: <code>figures/{esc(png.name)}</code>, "
        f"<code>figures/{esc(svg.name)}</code>.</figcaption></figure>"
    )
