"""``report.html``: one self-contained page a strategy office can forward as it is.

The page holds, in order: a one-page summary (every goal, its status and its
indicators' changes; page 1 in print), the development goals and their status, the
figures, the partner review (with the interactive partner map), every
registered analysis's section, data quality, the definitions used and the
provenance. Figures are inline PNG (base64), the stylesheet and the map's
scripts are inline, and the page's Content-Security-Policy forbids any
request, so the file needs nothing else; it prints cleanly (without the map).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import polars as pl

from copub.analyses.contract import AnalysisResult
from copub.indicators.presets import PRESETS
from copub.render import fmt
from copub.render.html import Cell, esc, img_tag, policy_note, table
from copub.report.data import ReportData
from copub.report.html_facts import option_rows, without_paths
from copub.report.html_goals import goals_section
from copub.report.html_style import CSS, print_mark_css
from copub.report.html_summary import summary_section
from copub.report.html_yearly import yearly_section
from copub.report.options import UNIVERSE_LABELS
from copub.report.plots import FigureFile
from copub.report.scope import scope_section

__all__ = ["GROUP_NAMES", "PAGE_POLICY", "SECTIONS", "render_html"]

#: report.html fetches nothing: inline style, scripts and images only.
PAGE_POLICY = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data:; connect-src 'none'; base-uri 'none'; form-action 'none'"
)

#: Section ids and headings, in page order.
SECTIONS: tuple[tuple[str, str], ...] = (
    ("summary", "Summary: the goals at a glance"),  # page 1 in print
    ("goals", "Development goals and status"),
    ("scope", "Not measured in this report"),
    ("yearly", "Yearly figures"),
    ("figures", "Figures"),
    ("partners", "Partner review"),
    ("analyses", ""),  # each registered analysis's section, in registry order
    ("quality", "Data quality"),
    ("definitions", "Definitions used"),
    ("provenance", "Provenance"),
)
_SYNTHETIC = "SYNTHETIC SAMPLE: these numbers come from generated data, not from real publications"


def _period(period: tuple[int, int]) -> str:
    return f"{period[0]}–{period[1]}"


def _figures(figures: Sequence[FigureFile], first: int = 1) -> str:
    if not figures:
        return "<p class=note>No figures were drawn for this selection.</p>"
    parts = []
    for number, figure in enumerate(figures, start=first):
        image = img_tag(figure.png, figure.title, svg=figure.svg)
        parts.append(
            f'<figure id="fig-{esc(figure.name)}">{image}'
            f"<figcaption><strong>Figure {number}. {esc(figure.title)}.</strong> "
            f"{esc(figure.caption)} Files: <code>figures/{esc(figure.png.name)}</code>, "
            f"<code>figures/{esc(figure.svg.name)}</code>.</figcaption></figure>"
        )
    return "".join(parts)


#: Short names of the shipped groups for the partner tables.
GROUP_NAMES = {
    "home": "home country",
    "nordic": "Nordic",
    "eu": "EU",
    "eea": "EEA",
    "priority": "priority",
    "devpartner": "development partner",
    "lmic": "LMIC",
    "enhance": "ENHANCE",
    "n5t": "N5T",
    "infrastructure": "infrastructure",
}


def _result_body(result: AnalysisResult, figures: Sequence[FigureFile], first: int) -> str:
    """An analysis's section: its own HTML, its figures, and its notes."""
    banner = f"<p class=note><strong>{esc(_SYNTHETIC)}</strong></p>" if result.synthetic else ""
    if not result.available:
        banner += f"<p class=note>Unavailable: {esc(result.reason or '')}</p>"
    notes = "".join(f"<p class=note>{esc(note)}</p>" for note in result.notes)
    shown = _figures(figures, first) if figures else ""
    return banner + result.html + shown + notes


def _groups_text(value: object) -> str:
    if not isinstance(value, list):
        return "" if value is None else str(value)
    keys = [str(v) for v in value]
    if "eu" in keys and "eea" in keys:
        keys.remove("eea")  # every EU member is in the EEA: say it once
    return ", ".join(GROUP_NAMES.get(k, k) for k in keys)


def _partner_rows(partners: pl.DataFrame, top: int, with_country: bool) -> list[list[Cell]]:
    rows: list[list[Cell]] = []
    for row in partners.head(top).iter_rows(named=True):
        cells: list[Cell] = [
            (esc(row["rank"]), True),
            (esc(row["label"] or row["partner_id"]) + policy_note(row.get("note")), False),
        ]
        if with_country:
            cells.append((esc(row.get("country") or ""), False))
        cells += [
            (esc(_groups_text(row.get("groups"))), False),
            (esc(fmt.count(row["works"])), True),
            (esc(fmt.percent(row["share"])), True),
            (esc(fmt.percent(row["baseline_share"])), True),
            (esc(fmt.percent(row["plan_share"])), True),
            (esc(fmt.change(row["share_change"])), True),
            (esc(fmt.p_value(row["p_value"])), True),
        ]
        rows.append(cells)
    return rows


def _partners(data: ReportData) -> str:
    options = data.options
    top = options.top_partners
    tail = [
        ("Groups", False),
        ("Works", True),
        ("Share", True),
        (f"Baseline {_period(options.baseline)}", True),
        (f"Plan {_period(options.plan)}", True),
        ("Change", True),
        ("p", True),
    ]
    parts = [
        "<p>Partners ranked by co-publications (full counting) over the report's years. "
        "Share: the share of the institution's works with the partner; the change compares "
        "the plan period with the baseline (two-proportion z-test). The full tables, with "
        "counts per year and fractional weights, are in <code>tables/partners.csv</code> and "
        "<code>tables/partner_institutions.csv</code>.</p>"
    ]
    if data.partners is None and data.institution_partners is None:
        return parts[0] + "<p class=note>The partner review was not computed.</p>"
    if data.partners is not None:
        parts.append(f"<h3>Top {min(top, data.partners.height)} partner countries</h3>")
        parts.append(
            table(
                [("#", True), ("Country", False), *tail],
                _partner_rows(data.partners, top, with_country=False),
            )
        )
    if data.institution_partners is not None:
        parts.append(
            f"<h3>Top {min(top, data.institution_partners.height)} partner institutions</h3>"
        )
        parts.append(
            table(
                [("#", True), ("Institution", False), ("Country", False), *tail],
                _partner_rows(data.institution_partners, top, with_country=True),
            )
        )
    if data.partner_map is not None:
        # The interactive map: inline scripts and data, no request (see the page's policy).
        parts.append(
            "<p class=noprint>The interactive partner map below: pan, zoom, search; click a "
            "country or a link to list the works behind it. Distance from home, in the "
            "centre, means co-publications with home (dashed rings give the counts); partners "
            "that co-publish with each other sit side by side.</p>"
            f'<div class="noprint">{data.partner_map}</div>'
        )
    return "".join(parts)


def _quality_value(value: float | None, unit: str) -> str:
    if unit == "share":
        return fmt.percent(value)
    return fmt.count(value)


def _quality(data: ReportData) -> str:
    rows: list[list[Cell]] = [
        [
            (esc(row["check"]), False),
            (esc(_quality_value(row["value"], row["unit"])), True),
            (esc(row["detail"]), False),
        ]
        for row in data.quality.iter_rows(named=True)
    ]
    parts = [table([("Check", False), ("Value", True), ("Detail", False)], rows)]
    yearly = data.yearly
    per_year: list[list[Cell]] = []
    for row in yearly.iter_rows(named=True):
        per_year.append(
            [
                (esc(f"{row['year']}{' (incomplete)' if row['partial'] else ''}"), False),
                (esc(fmt.count(row["works"])), True),
                (esc(fmt.percent(row.get("country_missing_share"))), True),
                (esc(fmt.percent(row.get("authorship_no_country_rate"))), True),
                (esc(fmt.percent(row.get("channel_unmatched_share"))), True),
            ]
        )
    parts.append("<h3>Coverage by year</h3>")
    parts.append(
        table(
            [
                ("Year", False),
                ("Works", True),
                ("Not provably domestic", True),
                ("Authorships without country", True),
                ("Channel not in register", True),
            ],
            per_year,
        )
    )
    parts.append(
        "<p class=note>A work in which some authorship outside the institution has no country "
        "cannot be proven domestic; copub never counts unknown as domestic.</p>"
    )
    if data.notes:
        parts.append("<ul>" + "".join(f"<li>{esc(n)}</li>" for n in data.notes) + "</ul>")
    return "".join(parts)


def _definitions(data: ReportData) -> str:
    options = data.options
    preset = PRESETS[options.preset]
    universe = esc(options.universe_label)
    methods = [
        f"<b>Preset:</b> {esc(preset.name)} ({esc(preset.source)}).",
        f"<b>Universe:</b> works with at least one authorship affiliated with "
        f"{esc(data.institution_name)} or one of its child units; {universe}; years from "
        "<code>publication_year</code>.",
        "<b>Countries of a work:</b> every affiliated institution's country and every "
        "authorship's countries"
        + (", Hong Kong and Macao counted as China." if preset.merge_hk_mo else "."),
        "<b>Full counting:</b> each work counts 1. <b>Fractional counting</b> (Leiden): each "
        "authorship weighs 1/n<sub>authors</sub>, split equally over its institutions; the "
        "institution's weight is the sum over its own slots; shares are Σ weight·flag / Σ weight.",
        "<b>Intervals:</b> Wilson 95% intervals for full-counting shares; a bootstrap "
        f"stability interval ({options.bootstrap} resamples of works, seed {options.seed}) for "
        "fractional shares.",
        "<b>Plan against baseline:</b> counts pooled over each period; the difference with "
        "Newcombe's hybrid score interval and the two-proportion z-test. <b>Trend:</b> "
        "Cochran–Armitage over complete years.",
        "<b>Incomplete years</b> (from the date the data were built) are flagged, never mixed "
        "in silently.",
    ]
    spec_rows: list[list[Cell]] = [
        [
            (esc(row["label"]), False),
            (f"<code>{esc(row['column'])}</code>", False),
            (esc(row["definition"]), False),
            ("yes" if row["available"] else "no (needs a register)", False),
        ]
        for row in data.definitions.iter_rows(named=True)
    ]
    group_rows: list[list[Cell]] = [
        [
            (esc(row["label"]), False),
            (esc(row["members"]), True),
            (esc(without_paths(row["source"])), False),
            (esc(row["vintage"]), False),
        ]
        for row in data.group_sources.iter_rows(named=True)
    ]
    return (
        '<ul class="methods">'
        + "".join(f"<li>{m}</li>" for m in methods)
        + "</ul><h3>Indicators</h3>"
        + table(
            [("Indicator", False), ("Column", False), ("Definition", False), ("Available", False)],
            spec_rows,
        )
        + "<h3>Partner groups</h3>"
        + table(
            [("Group", False), ("Members", True), ("Source", False), ("Vintage", False)],
            group_rows,
        )
        + "<h3>Definition presets</h3>"
        + table(
            [
                ("Preset", False),
                ("Reproduces", False),
                ("Document types", False),
                ("Hong Kong, Macao", False),
                ("Extra indicators", False),
            ],
            [
                [
                    (f"<b>{esc(p.name)}</b> (used)" if p is preset else esc(p.name), False),
                    (esc(p.source), False),
                    (esc(UNIVERSE_LABELS[p.universe]), False),
                    ("counted as China" if p.merge_hk_mo else "kept apart", False),
                    (esc(", ".join(spec.label for spec in p.extra) or "none"), False),
                ]
                for p in PRESETS.values()
            ],
        )
    )


def _provenance(data: ReportData, generated: str) -> str:
    prov = data.provenance
    options = data.options
    years = data.yearly["year"].to_list()
    source = {
        "openalex": f"OpenAlex ({prov.api_url or 'https://api.openalex.org'})",
        "import": "OpenAlex records imported from files",
        "synthetic": "copub's synthetic world (generated, not real publications)",
    }.get(prov.source, prov.source)
    counts = ", ".join(f"{k.replace('_', ' ')} {v:,}" for k, v in prov.counts.items())
    versions = ", ".join(f"{k} {v}" for k, v in prov.versions.items())
    facts = [
        ("Institution", f"{data.institution_name} ({options.institution})"),
        ("Years", f"{min(years)}–{max(years)}" if years else "none"),
        ("Data source", source),
        ("Query", prov.query or ""),
        ("Fetched or generated", prov.created),
        ("Counts", counts),
        ("Inputs", _inputs(prov.inputs)),
        ("Software", versions),
        ("Channel register", _register(data)),
        ("Report generated", generated),
    ]
    # Words and names only: the paths are in provenance.json.
    items = "".join(f"<dt>{esc(k)}</dt><dd>{esc(without_paths(v))}</dd>" for k, v in facts if v)
    labels = {g.key: g.label for g in options.defs.partner_groups}
    chosen = "".join(
        f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in option_rows(options.to_dict(), labels)
    )
    synthetic = f'<p class="st down">{esc(_SYNTHETIC)}.</p>' if data.synthetic else ""
    return (
        f'{synthetic}<dl class="facts">{items}</dl>'
        f'<h3>Options</h3><dl class="facts">{chosen}</dl>'
        "<p class=note>The machine-readable provenance, with the paths of every input, is in "
        "<code>provenance.json</code>.</p>"
    )


def _inputs(inputs: Sequence[str]) -> str:
    """The inputs by name: a few file names, else how many files."""
    names = [without_paths(i) for i in inputs]
    if len(names) > 3:
        return f"{len(names):,} files: {'; '.join(names[:3])} and {len(names) - 3:,} more"
    return "; ".join(names)


def _register(data: ReportData) -> str:
    """The channel register by its file's name, its size and its years."""
    register = data.options.defs.channel_register
    if register is None:
        return "none given"
    first, last = register.years
    return (
        f"{without_paths(register.source)}: {register.n_channels:,} channels, "
        f"levels {first}–{last}"
    )


def render_html(
    data: ReportData,
    figures: Sequence[FigureFile],
    *,
    generated: str | None = None,
    result_figures: Mapping[str, Sequence[FigureFile]] | None = None,
) -> str:
    """The report as one self-contained HTML page.

    Parameters
    ----------
    data : ReportData
    figures : sequence of FigureFile
        The PNGs are read and inlined.
    generated : str, optional
        Timestamp printed in the provenance (default now, UTC).
    result_figures : mapping of str to sequence of FigureFile, optional
        The figures of each registered analysis's result (by key), drawn in its section.

    Returns
    -------
    str
    """
    generated = generated or dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    options = data.options
    years = data.yearly["year"].to_list()
    span = f"{min(years)}–{max(years)}" if years else ""
    title = f"International co-publication report: {data.institution_name}"
    result_figures = result_figures or {}
    bodies = {
        "summary": summary_section(data),
        "goals": goals_section(data),
        "scope": scope_section(),
        "yearly": yearly_section(data),
        "figures": _figures(figures),
        "partners": _partners(data),
        "quality": _quality(data),
        "definitions": _definitions(data),
        "provenance": _provenance(data, generated),
    }
    # Every section in page order; the registered analyses take the place of "analyses".
    entries: list[tuple[str, str, str, bool]] = []
    number = len(figures) + 1
    for key, name in SECTIONS:
        if key != "analyses":
            # The summary is page 1 in print: the goal section starts page 2.
            newpage = key in ("goals", "figures", "definitions")
            entries.append((key, name, bodies[key], newpage))
            continue
        for result in data.results:
            shown = result_figures.get(result.key, ())
            entries.append((result.key, result.title, _result_body(result, shown, number), True))
            number += len(shown)
    toc = "".join(f'<li><a href="#{esc(key)}">{esc(name)}</a></li>' for key, name, _, _ in entries)
    sections = "".join(
        f'<section id="{esc(key)}"><h2{" class=newpage" if newpage else ""}>'
        f"{esc(name)}</h2>{body}</section>"
        for key, name, body, newpage in entries
    )
    banner = f'<div class="banner" role="note">{esc(_SYNTHETIC)}</div>' if data.synthetic else ""
    origin = "synthetic sample" if data.synthetic else data.provenance.source
    subtitle = (
        f"{esc(options.institution)} · {esc(span)} · {esc(options.counting)} counting · "
        f"{esc(PRESETS[options.preset].source)} definitions · data: {esc(origin)}, built "
        f"{esc(data.provenance.created[:10])}"
    )
    footer = (
        f"Made with copub {esc(data.provenance.versions.get('copub', ''))} on {esc(generated)}."
        + (f" {esc(_SYNTHETIC)}." if data.synthetic else "")
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        # No request of any kind: the figures and the partner map's scripts are inline.
        f'<meta http-equiv="Content-Security-Policy" content="{PAGE_POLICY}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}{' (SYNTHETIC SAMPLE)' if data.synthetic else ''}</title>"
        f'<meta name="generator" content="copub">'
        f"<style>{CSS}{print_mark_css(data.synthetic)}</style></head><body>{banner}"
        f'<div class="wrap"><header class="top"><p class="eyebrow">Yearly report</p>'
        f"<h1>{esc(title)}</h1><p class=subtitle>{subtitle}</p>"
        f'<nav class="toc" aria-label="Contents"><ol>{toc}</ol></nav></header>'
        f"<main>{sections}</main><footer>{footer}</footer></div></body></html>\n"
    )
