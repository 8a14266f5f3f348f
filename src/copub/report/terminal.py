"""The terminal view: the yearly table, the plan-versus-baseline comparison and a quality line.

Everything fits in 100 columns. Shares follow the chosen counting method;
the international share carries its 95% interval (Wilson under full
counting, the bootstrap under fractional counting).
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from itertools import zip_longest
from typing import Any

import polars as pl

from copub.indicators.catalogue import terminal_columns
from copub.indicators.definitions import share_column
from copub.render import fmt
from copub.render.text import wrap_label
from copub.report.checks import unavailable_reason
from copub.report.data import ReportData
from copub.report.goals import DEFAULT_MIN_CHANGE, SIGNIFICANCE
from copub.report.quality import quality_line
from copub.report.scope import scope_text

__all__ = ["WIDTH", "render_terminal"]

WIDTH = 100

#: The yearly table's share columns: (header, stem), from the indicator catalogue.


def _share(row: Mapping[str, Any], stem: str, suffix: str) -> float | None:
    value = row.get(share_column(stem) + suffix)
    return None if value is None or fmt.is_missing(value) else float(value)


def _yearly_lines(data: ReportData) -> list[str]:
    suffix = "_frac" if data.options.fractional else ""
    chosen = terminal_columns(data.options.defs)
    columns = [(h, s) for h, s in chosen if share_column(s) in data.yearly.columns]
    works_header = "Works (frac)" if suffix else "Works"
    header = f"{'Year':<6}{works_header:>12}  {'International [95% CI]':<24}" + "".join(
        f"{h:>9}" for h, _ in columns
    )
    lines = [header, "-" * len(header)]
    for row in data.yearly.iter_rows(named=True):
        year = f"{row['year']}{'*' if row.get('partial') else ''}"
        works = fmt.count(row["works_frac"], 1) if suffix else fmt.count(row["works"])
        intl = fmt.percent(_share(row, "intl", suffix))
        low = row.get(f"intl_share{suffix}_low")
        high = row.get(f"intl_share{suffix}_high")
        cells = "".join(f"{fmt.percent(_share(row, s, suffix)):>9}" for _, s in columns)
        lines.append(f"{year:<6}{works:>12}  {intl:>6} {fmt.interval(low, high):<17}{cells}")
    if bool(data.yearly["partial"].any()):
        lines.append("* incomplete year: not comparable with complete years")
    partial_register = data.yearly.filter(pl.col("register_partial").fill_null(False))["year"]
    if partial_register.len():
        years = ", ".join(str(y) for y in partial_register.to_list())
        lines.append(
            f"register partial in {years} (only its level-2 decisions): level-2 shares not shown"
        )
    return lines


def _comparison_lines(data: ReportData, unicode: bool) -> list[str]:
    options = data.options
    (b0, b1), (p0, p1) = options.baseline, options.plan
    title = (
        f"Plan {p0}-{p1} against baseline {b0}-{b1} "
        f"({options.counting} counting; change with its 95% interval and p-value)"
    )
    header = f"  {'Indicator':<34}{'Baseline':>9}{'Plan':>9}  {'Change [95% CI]':<27}{'p':>7}"
    lines = [title, header, "-" * len(header)]
    short = data.short_labels
    for row in data.goals.iter_rows(named=True):
        # A long label goes on over the next lines of its column, never cut.
        label, *more = wrap_label(short.get(row["indicator"], str(row["label"])), 33)
        mark = fmt.arrow(row["status"], unicode=unicode)
        if row["status"] == "unavailable":
            reason = unavailable_reason(
                str(row["indicator"]),
                register_available=data.register_available,
                years=data.yearly["year"].to_list(),
                baseline=options.baseline,
                plan=options.plan,
            )
            said = textwrap.wrap(reason, WIDTH - 36) or [""]
            lines.append(f"{mark} {label:<34}{said[0]}")
            rest = zip_longest(more, said[1:], fillvalue="")
            lines += [f"  {m:<34}{r}".rstrip() for m, r in rest]
            continue
        ci = ""
        if not fmt.is_missing(row["difference_low"]):
            ci = f"[{100 * row['difference_low']:+.1f}, {100 * row['difference_high']:+.1f}]"
        lines.append(
            f"{mark} {label:<34}{fmt.percent(row['baseline_share']):>9}"
            f"{fmt.percent(row['plan_share']):>9}  "
            f"{fmt.change(row['difference']):>9} {ci:<17}{fmt.p_value(row['p_value']):>7}"
            + ("  small" if row.get("meaningful") is False and row["status"] != "flat" else "")
        )
        lines += [f"  {m}" for m in more]
        if row.get("note"):  # the policy context on the row it explains
            lines += fmt.policy_note_lines(row["note"], WIDTH)
    up, down, flat = (fmt.arrow(s, unicode=unicode) for s in ("up", "down", "flat"))
    legend = (
        f"{up} significant rise, {down} significant fall, {flat} no significant change "
        f"(two-proportion z-test, Holm-adjusted over the indicators shown, {SIGNIFICANCE:g} "
        f"level; p is the raw value); small: significant, but less than "
        f"the goal's smallest change that matters ({_thresholds(data)})"
    )
    if options.fractional:
        legend += "; fractional shares, the test is on full counts"
    partial = data.goals.filter(pl.col("plan_partial").fill_null(False)).height > 0
    if partial:
        legend += "; the plan period includes an incomplete year"
    lines += textwrap.wrap(legend, WIDTH)
    return lines


def _thresholds(data: ReportData) -> str:
    values = sorted({float(v) for v in data.goals["min_change"].drop_nulls().to_list()})
    if not values or values == [DEFAULT_MIN_CHANGE]:
        return f"{100 * DEFAULT_MIN_CHANGE:.1f} pp"
    return "from " + " to ".join(f"{100 * v:.1f} pp" for v in (values[0], values[-1]))


def render_terminal(data: ReportData, *, unicode: bool = True) -> str:
    """The terminal report as text, every line at most 100 characters.

    Parameters
    ----------
    data : ReportData
    unicode : bool
        Use arrows and dashes outside ASCII (off for terminals that cannot
        show them).

    Examples
    --------
    >>> import copub
    >>> from copub.report import ReportOptions, build_report
    >>> from copub.progress import Progress
    >>> data = build_report(copub.load_sample(scale=0.01), ReportOptions(bootstrap=0),
    ...                     scope="table", progress=Progress.silent())
    >>> text = render_terminal(data)
    >>> max(len(line) for line in text.splitlines()) <= 100
    True
    """
    options = data.options
    years = data.yearly["year"].to_list()
    first, last = min(years), max(years)
    title = (
        f"{data.institution_name} ({options.institution}), {first}-{last}: "
        f"{options.counting} counting, {options.preset} definitions, "
        f"{options.universe_label}"
    )
    lines: list[str] = []
    if data.synthetic:
        lines.append("SYNTHETIC SAMPLE DATA: not real publications".center(WIDTH, "="))
    lines += textwrap.wrap(title, WIDTH)
    lines.append("")
    lines += _yearly_lines(data)
    lines.append("")
    lines += _comparison_lines(data, unicode)
    lines.append("")
    lines += textwrap.wrap(quality_line(data.quality), WIDTH, subsequent_indent="  ")
    for line in scope_text():
        lines += textwrap.wrap(line, WIDTH, subsequent_indent="  ")
    for note in data.notes:
        lines += textwrap.wrap(f"Note: {note}", WIDTH, subsequent_indent="  ")
    lines += textwrap.wrap(f"Source: {data.provenance.describe()}", WIDTH, subsequent_indent="  ")
    for result in data.results:
        lines += ["", f"== {result.title} " + "=" * max(0, WIDTH - len(result.title) - 4)]
        # Indented, so a reader of the yearly table above never takes its rows for its own.
        text = result.text_with_notes(result.summary or result.text, WIDTH - 2)
        shown = text.rstrip("\n").split("\n")
        lines += [f"  {line}" if line else line for line in shown]
    text = "\n".join(lines) + "\n"
    if not unicode:
        text = text.replace("–", "-").replace("…", "...")
        text = text.encode("ascii", "replace").decode("ascii")
    return text
