"""The citation-impact section in HTML."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from copub.analyses.impact.section import ImpactSection, definitions_lines
from copub.render import fmt
from copub.render.html import Cell, esc, table

__all__ = ["impact_html"]


# Intervals go on their own line (class ``ci``, as in the yearly tables), so the
# table fits a printed page.
def _share(value: object, low: object = None, high: object = None) -> str:
    text = esc(fmt.percent(value))  # type: ignore[arg-type]
    interval = fmt.interval(low, high)  # type: ignore[arg-type]
    return f"{text}<span class=ci>{esc(interval)}</span>" if interval else text


def _difference(row: dict[str, object], suffix: str) -> str:
    text = esc(fmt.change(row[f"difference{suffix}"]))  # type: ignore[arg-type]
    low, high = row[f"difference{suffix}_low"], row[f"difference{suffix}_high"]
    if not (fmt.is_missing(low) or fmt.is_missing(high)):
        text += f"<span class=ci>[{100 * low:+.1f}, {100 * high:+.1f}]</span>"  # type: ignore[operator]
    return text


def impact_html(section: ImpactSection, *, fractional: bool = False) -> str:
    """Definitions, PP(top 10%) of the compared types per year with the difference, and
    a pointer to the full tables (the writer adds the figure)."""
    parts = [f"<p>{esc(' '.join(definitions_lines(section.window)))}</p>"]
    if not section.available:
        return parts[0] + (
            "<p class=note>Citation impact is unavailable: no work in these tables has a "
            "citation percentile or an FWCI (fetch with the current OpenAlex schema).</p>"
        )
    suffix = "_frac" if fractional else ""
    a, b = section.compare
    column = section.period_column
    by_period = {(r[column], r["collaboration"]): r for r in section.table.iter_rows(named=True)}
    labels = dict(section.table.select("collaboration", "label").unique().iter_rows())
    rows: list[Sequence[Cell] | str] = []
    for row in section.difference.filter(pl.col("indicator") == "top10").iter_rows(named=True):
        ra, rb = by_period.get((row[column], a), {}), by_period.get((row[column], b), {})
        stem = f"top10_share{suffix}"
        rows.append(
            [
                (esc(f"{row[column]}{'*' if row['partial'] else ''}"), False),
                (_share(rb.get(stem), rb.get(f"{stem}_low"), rb.get(f"{stem}_high")), True),
                (_share(ra.get(stem), ra.get(f"{stem}_low"), ra.get(f"{stem}_high")), True),
                (_difference(row, suffix), True),
                (esc(fmt.p_value(row[f"p_value{suffix}"]) or "n/a"), True),
                (esc(fmt.percent(rb.get(f"percentile_missing_share{suffix}"), 0)), True),
                (esc(fmt.percent(ra.get(f"percentile_missing_share{suffix}"), 0)), True),
            ]
        )
    headers = [
        (esc(column.capitalize()), False),
        (esc(f"{labels.get(b, b)}: PP(top 10%)"), True),
        (esc(f"{labels.get(a, a)}: PP(top 10%)"), True),
        (esc(f"Difference {a} − {b} [95% CI]"), True),
        ("p", True),
        (esc(f"No percentile ({b})"), True),
        (esc(f"No percentile ({a})"), True),
    ]
    parts.append(
        table(
            headers,
            rows,
            css_class="yearly",
            caption=esc(
                f"PP(top 10%), {'fractional' if fractional else 'full'} counting, with 95% "
                "intervals; * the "
                f"citation window (publication year + {section.window} years) is still open."
            ),
        )
    )
    parts.append(
        "<p>Every type and figure (PP(top 1%), mean FWCI, FWCI ≥ 1, windowed citations, "
        "coverage, both counting methods) is in <code>tables/impact.csv</code>; the "
        "differences and their tests in <code>tables/impact_difference.csv</code>.</p>"
    )
    return "".join(parts)
