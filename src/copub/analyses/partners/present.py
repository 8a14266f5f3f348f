"""The partner review: partner countries or institutions ranked by co-publications."""

from __future__ import annotations

import textwrap

import polars as pl

from copub.analyses.contract import AnalysisInputs, AnalysisResult, ShowOptions
from copub.classify.definitions import Definitions
from copub.errors import UsageError
from copub.networks.partners import partner_table
from copub.progress import Progress
from copub.render import fmt
from copub.render.html import esc

__all__ = ["WIDTH", "compute_partners", "summary_columns", "terminal_table"]

_SUMMARY = (
    "rank",
    "partner_id",
    "label",
    "groups",
    "works",
    "works_frac",
    "share",
    "baseline_share",
    "plan_share",
    "share_change",
    "p_value",
    "note",
)


def summary_columns(table: pl.DataFrame) -> pl.DataFrame:
    """The columns a person reads: rank, partner, groups, counts, shares and the change test."""
    return table.select(c for c in _SUMMARY if c in table.columns).with_columns(
        pl.col("groups").list.join(", ")
    )


#: The terminal table's width, as the report's.
WIDTH = 100


def terminal_table(table: pl.DataFrame, kind: str) -> str:
    """The ranked partners as a plain table of at most :data:`WIDTH` columns.

    A label or a group list longer than its column wraps onto the next lines
    (never cut); a partner with a policy note has it on the line below.

    Examples
    --------
    >>> table = pl.DataFrame({"rank": [1], "partner_id": ["US"], "label": ["United States"],
    ...     "groups": [["priority"]], "works": [120], "share": [0.1], "baseline_share": [0.09],
    ...     "plan_share": [0.11], "share_change": [0.02], "p_value": [0.004]})
    >>> line = terminal_table(table, "country").splitlines()[2]
    >>> line.split()[:5], len(line) <= WIDTH
    (['1', 'United', 'States', '(US)', 'priority'], True)
    >>> line.split()[5:]
    ['120', '10.0%', '9.0%', '11.0%', '+2.0', 'pp', '0.004']
    """
    name = "Institution" if kind == "institution" else "Country"
    header = (
        f"{'#':>3} {name:<30} {'Groups':<18} {'Works':>6} {'Share':>6} {'Base':>6} "
        f"{'Plan':>6} {'Change':>8} {'p':>6}"
    )
    lines = [header, "-" * len(header)]
    for row in table.iter_rows(named=True):
        label = str(row["label"] or row["partner_id"])
        if kind == "country":
            label = f"{label} ({row['partner_id']})"
        labels = textwrap.wrap(label, 30) or [""]
        groups = textwrap.wrap(", ".join(row.get("groups") or []), 18) or [""]
        lines.append(
            f"{row['rank']:>3} {labels[0]:<30} {groups[0]:<18} {fmt.count(row['works']):>6} "
            f"{fmt.percent(row['share']):>6} {fmt.percent(row['baseline_share']):>6} "
            f"{fmt.percent(row['plan_share']):>6} {fmt.change(row['share_change']):>8} "
            f"{fmt.p_value(row['p_value']):>6}"
        )
        for i in range(1, max(len(labels), len(groups))):
            more = labels[i] if i < len(labels) else ""
            more_groups = groups[i] if i < len(groups) else ""
            lines.append(f"{'':>3} {more:<30} {more_groups}".rstrip())
        if row.get("note"):
            lines += fmt.policy_note_lines(row["note"], WIDTH)
    lines.append(
        "Share: of the institution's works; Base/Plan: baseline and plan period; Change: "
        "plan minus"
    )
    lines.append("baseline (two-proportion z-test p). csv/json give every column.")
    return "\n".join(lines) + "\n"


def compute_partners(
    inputs: AnalysisInputs, definitions: Definitions, options: ShowOptions, progress: Progress
) -> AnalysisResult:
    """The ranked partner table of ``options.partner_kind``, filtered to ``options.group``."""
    kind = options.partner_kind
    known = definitions.partner_groups.keys()
    if options.group is not None and options.group not in known:
        raise UsageError(
            f"--group {options.group!r} is not a partner group; known: {', '.join(known)}"
        )
    progress.note(f"ranking partner {'institutions' if kind == 'institution' else 'countries'}")
    table = partner_table(inputs.labelled(definitions), kind, definitions)
    if options.group is not None:
        table = table.filter(pl.col("groups").list.contains(options.group))
    table = table.head(options.top)
    text = terminal_table(table, kind)
    return AnalysisResult(
        key="partners",
        title=f"Partner {'institutions' if kind == 'institution' else 'countries'}",
        tables={"partners": table},
        text=text,
        html=f"<pre>{esc(text)}</pre>",
        provenance={"kind": kind, "group": options.group, "top": options.top},
        synthetic=inputs.synthetic,
    )
