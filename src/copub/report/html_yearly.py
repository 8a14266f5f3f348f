"""The report page's yearly numbers: years × the goal indicators, each with its 95% interval.

The same numbers the figures draw, so nobody has to read a share off a chart.
Shares follow the report's counting method (Wilson intervals for full
counting, bootstrap stability intervals for fractional counting).
"""

from __future__ import annotations

from copub.indicators.catalogue import terminal_columns
from copub.indicators.definitions import share_column
from copub.render import fmt
from copub.render.html import Cell, esc, policy_note, table
from copub.report.data import ReportData

__all__ = ["YEARLY_HEADERS", "yearly_section", "yearly_stems"]

#: Short column headers of the yearly table, by share stem.
YEARLY_HEADERS: dict[str, str] = {
    "intl": "International",
    "level2": "Level 2",
    "priority": "Priority countries",
    "lmic": "Low/middle income",
    "devpartner": "Development partners",
    "enhance": "ENHANCE",
    "n5t": "Nordic Five Tech",
    "infrastructure": "Infra­structures",
    "fund_ec": "EC funding",
    "fund_erc": "ERC",
    "fund_msca": "MSCA",
}


def yearly_stems(data: ReportData) -> list[str]:
    """Every goal indicator, in goal order, then the user's own groups, that the table has."""
    stems = [stem for goal in data.goal_list for stem in goal.indicators]
    stems += [stem for _, stem in terminal_columns(data.options.defs)]
    return [s for s in dict.fromkeys(stems) if share_column(s) in data.yearly.columns]


def _cell(row: dict[str, object], column: str) -> str:
    value = row.get(column)
    if fmt.is_missing(value):
        return "n/a"
    low, high = row.get(f"{column}_low"), row.get(f"{column}_high")
    interval = ""
    if not (fmt.is_missing(low) or fmt.is_missing(high)):
        interval = f"<span class=ci>{100 * float(low):.1f}–{100 * float(high):.1f}</span>"  # type: ignore[arg-type]
    return f"{esc(fmt.percent(value))}{interval}"  # type: ignore[arg-type]


#: Share columns per table beyond the two fixed parts, so each table fits a printed page.
_MAX_STEMS = 5

#: The yearly table comes in parts, so each fits a printed page.
_PARTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "International, channels and partner countries",
        ("intl", "level2", "priority", "lmic", "devpartner"),
    ),
    (
        "Alliances, infrastructures and EU funding",
        ("enhance", "n5t", "infrastructure", "fund_ec", "fund_erc", "fund_msca"),
    ),
)


def _part(data: ReportData, stems: list[str], suffix: str) -> str:
    works_column = "works_frac" if suffix else "works"
    headers: list[tuple[str, bool]] = [("Year", False), ("Works", True)]
    short = data.short_labels
    notes = data.indicator_notes  # a partner's column carries its policy note
    headers += [
        (esc(YEARLY_HEADERS.get(s, short.get(s, s))) + policy_note(notes.get(s)), True)
        for s in stems
    ]
    rows: list[list[Cell] | str] = []
    for row in data.yearly.iter_rows(named=True):
        year = f"{row['year']}{' *' if row.get('partial') else ''}"
        works = fmt.count(row[works_column], 1 if suffix else 0)
        cells: list[Cell] = [(esc(year), False), (esc(works), True)]
        cells += [(_cell(row, share_column(s) + suffix), True) for s in stems]
        rows.append(cells)
    return table(headers, rows, css_class="yearly")


def yearly_section(data: ReportData) -> str:
    """The yearly tables (two parts) with a sentence on how to read them."""
    suffix = "_frac" if data.options.fractional else ""
    present = yearly_stems(data)
    parts = []
    placed: set[str] = set()
    for title, wanted in _PARTS:
        stems = [s for s in wanted if s in present]
        placed.update(stems)
        if stems:
            parts.append(f"<h3>{esc(title)}</h3>" + _part(data, stems, suffix))
    rest = [s for s in present if s not in placed]
    chunks = [rest[i : i + _MAX_STEMS] for i in range(0, len(rest), _MAX_STEMS)]
    for number, chunk in enumerate(chunks, start=1):
        title = "Other goal indicators" + (
            f" ({number} of {len(chunks)})" if len(chunks) > 1 else ""
        )
        parts.append(f"<h3>{esc(title)}</h3>" + _part(data, chunk, suffix))
    interval = "bootstrap stability interval" if suffix else "Wilson interval"
    partial = bool(data.yearly["partial"].any())
    return (
        f"<p>Share of the institution's works per year ({esc(data.options.counting)} counting), "
        f"with its 95% {interval} in small type below each share. These are the numbers the "
        "figures draw; every column is in <code>tables/yearly.csv</code> and "
        "<code>report.xlsx</code>.</p>"
        + "".join(parts)
        + (
            "<p class=note>* incomplete year (on or after the date the data were built): not "
            "comparable with complete years.</p>"
            if partial
            else ""
        )
    )
