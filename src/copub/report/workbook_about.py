"""What the first sheet of ``report.xlsx`` says: each sheet, the definitions, the source.

The sheet list is made from the same tables the workbook writes
(:func:`workbook_sheets` over :meth:`ReportData.tables`), so it cannot drift
from the sheets; what a table holds comes from :data:`TABLE_ABOUT`, whose keys
a test compares with every table the report and the registered analyses
declare. The definitions are the report's :class:`Definitions` in words.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from copub.indicators.presets import PRESETS
from copub.indicators.universe import universe_words
from copub.report.data import ReportData

__all__ = [
    "ABOUT_SHEET",
    "REPORT_TABLE_SECTIONS",
    "SYNTHETIC_LINE",
    "TABLE_ABOUT",
    "Sheet",
    "definition_rows",
    "sheet_about",
    "source_rows",
    "workbook_sheets",
]

ABOUT_SHEET = "About"
SYNTHETIC_LINE = "SYNTHETIC SAMPLE DATA: not real publications"
#: Excel's longest sheet name.
_MAX_NAME = 31

#: The report section (a key of report.html's SECTIONS) of each of the report's own tables;
#: an analysis's tables are in that analysis's section.
REPORT_TABLE_SECTIONS: dict[str, str] = {
    "yearly": "yearly",
    "windows": "yearly",
    "period_comparison": "goals",
    "goals": "goals",
    "partners": "partners",
    "partner_institutions": "partners",
    "data_quality": "quality",
    "definitions": "definitions",
    "partner_groups": "definitions",
}

#: What each table holds, by table name (a key ending in ``*`` covers every name it starts).
TABLE_ABOUT: dict[str, str] = {
    "yearly": "One row per publication year: works (full and fractional counting) and every "
    "share with its interval; partial years are flagged.",
    "windows": "The same shares over rolling periods of several years (the period window).",
    "period_comparison": "Every share in the plan period against the baseline period: the "
    "difference, its interval and p-values (raw and adjusted for many tests).",
    "goals": "The development goals: each goal's indicators, plan against baseline, the "
    "status and whether the change is meaningful.",
    "partners": "Partner countries ranked by co-publications with the institution, with "
    "their groups and change.",
    "partner_institutions": "Partner institutions ranked by co-publications with the "
    "institution, with their country and groups.",
    "data_quality": "Checks of the data: coverage, missing countries, channels not in the "
    "register, with their values.",
    "definitions": "Every indicator: its column name, its definition in words and whether "
    "it could be computed.",
    "partner_groups": "The partner groups (priority countries, LMICs, Nordic, …): members, "
    "source and vintage.",
    "impact": "Citation impact (top 10% share, mean normalised citations) per year and "
    "collaboration type.",
    "impact_difference": "Per year, the difference in impact between two collaboration "
    "types, with its interval.",
    "impact_overall": "The impact difference over the whole period, one row per indicator.",
    "eu_summary": "EU programme participation of the home organisation: projects and "
    "funding per programme part.",
    "eu_goals": "The plan's EU goals (ERC, EIC Pathfinder, MSCA, …) with the counts behind them.",
    "eu_pillar2_ranking": "Pillar 2 participation of the Norwegian organisations, ranked.",
    "eu_pillar2_standing": "Where the home organisation stands among the Norwegian "
    "organisations in Pillar 2.",
    "eu_matches": "How the home organisation was matched in the EU participation data.",
    "eu_participations": "Every EU project participation of the home organisation.",
    "eu_roles": "The home organisation's roles (coordinator, participant, …) in EU projects.",
    "eu_publication_links": "Works linked to EU projects of the home organisation.",
    "eu_goal_status": "Each EU goal's status.",
    "mobility_yearly": "Per year: home authors, researchers recruited from and leaving for "
    "abroad, concurrent affiliations, guests, and their shares with intervals.",
    "mobility_flows": "Per year, direction and partner group: the authors who moved.",
    "mobility_countries": "Per year and direction: the authors who moved, by country.",
    "mobility_flow_table": "Inflow, outflow and concurrent affiliations per partner group, "
    "over the whole period.",
    "mobility_definitions": "The mobility definitions in words (recruited, left, guests, "
    "early career).",
    "peers": "The home institution beside its peers: works and shares per institution.",
    "peers_shared_works": "Works each peer shares with each partner.",
    "breakdown_*": "The shares per field, domain, subfield or unit of the institution; "
    "small groups are flagged.",
    "standing_*": "The groups at each end of the breakdown, ranked against the institution "
    "as a whole.",
    "points_by_year": "Norwegian publication points (NVI) per year, for the home and its peers.",
    "points_per_work": "The publication points of every work: channel, level, base points "
    "and the institution's share.",
}


def table_about(name: str) -> str | None:
    """What table ``name`` holds, or None when :data:`TABLE_ABOUT` does not say.

    Examples
    --------
    >>> table_about("standing_field")[:16]
    'The groups at ea'
    >>> table_about("no_such_table") is None
    True
    """
    if name in TABLE_ABOUT:
        return TABLE_ABOUT[name]
    return next(
        (
            text
            for key, text in TABLE_ABOUT.items()
            if key.endswith("*") and name.startswith(key[:-1])
        ),
        None,
    )


@dataclass(frozen=True)
class Sheet:
    """One table sheet of the workbook.

    Attributes
    ----------
    name : str
        The sheet's name (the table's name, cut to Excel's 31 characters).
    table : str
        The table's name (its file stem in ``tables/``).
    section : str
        The report section the table belongs to.
    holds : str
        What the table holds, in one sentence.
    frame : pl.DataFrame
    """

    name: str
    table: str
    section: str
    holds: str
    frame: pl.DataFrame


def _sheet_name(table: str, taken: set[str]) -> str:
    """``table`` cut to Excel's limit, made unique with a number when the cut collides."""
    name, number = table[:_MAX_NAME], 2
    while name.casefold() in taken:  # Excel compares sheet names without case
        suffix = f"~{number}"
        name, number = table[: _MAX_NAME - len(suffix)] + suffix, number + 1
    taken.add(name.casefold())
    return name


def workbook_sheets(data: ReportData) -> tuple[Sheet, ...]:
    """Every table of the report as a sheet, in the order of :meth:`ReportData.tables`.

    Examples
    --------
    >>> import copub
    >>> from copub.report import ReportOptions, build_report
    >>> from copub.progress import Progress
    >>> data = build_report(copub.load_sample(scale=0.01), ReportOptions(bootstrap=0),
    ...                     scope="table", progress=Progress.silent())
    >>> [(s.name, s.section) for s in workbook_sheets(data)][:2]
    [('yearly', 'Yearly figures'), ('period_comparison', 'Development goals and status')]
    """
    from copub.report.html import SECTIONS

    titles = dict(SECTIONS)
    sections = {name: titles[key] for name, key in REPORT_TABLE_SECTIONS.items()}
    # An analysis's table is in its section, also when it shares a name with a report table.
    sections |= {name: r.title for r in data.results for name in r.tables}
    taken = {ABOUT_SHEET.casefold()}
    sheets = []
    for table, frame in data.tables().items():
        section = sections.get(table, "Report")
        # A table nobody described still gets a row: its columns say what it holds.
        holds = table_about(table) or f"Columns: {', '.join(frame.columns)}."
        sheets.append(Sheet(_sheet_name(table, taken), table, section, holds, frame))
    return tuple(sheets)


def _period(period: tuple[int, int]) -> str:
    return f"{period[0]}–{period[1]}"


def definition_rows(data: ReportData) -> list[tuple[str, str]]:
    """The report's definitions in words: ``(definition, meaning)`` rows.

    Examples
    --------
    >>> import copub
    >>> from copub.report import ReportOptions, build_report
    >>> from copub.progress import Progress
    >>> data = build_report(copub.load_sample(scale=0.01), ReportOptions(bootstrap=0),
    ...                     scope="table", progress=Progress.silent())
    >>> dict(definition_rows(data))["Counting"][:40]
    'full counting: each work counts 1 (the t'
    """
    options = data.options
    defs = options.defs
    preset = PRESETS[defs.preset]
    years = data.yearly["year"].to_list()
    if defs.years is not None:
        span = _period(defs.years)
    else:
        span = _period((min(years), max(years))) if years else "none in the data"
    fractional = {
        "affiliation_strings": "each authorship weighs 1/number of authors, split over its "
        "raw affiliation strings, then over each string's institutions (Leiden's rule)",
        "institutions": "each authorship weighs 1/number of authors, split equally over its "
        "distinct institutions",
    }[defs.fractional_rule]
    counting = (
        "full counting: each work counts 1 (the tables also carry fractional counting, "
        f"in the *_frac columns: {fractional})"
        if defs.counting == "full"
        else f"fractional counting: {fractional}"
    )
    full_interval = (
        "Wilson 95% score intervals"
        if defs.full_interval == "wilson"
        else "bootstrap stability intervals"
    )
    bootstrap = (
        f"{defs.bootstrap} bootstrap resamples of works (seed {defs.seed})"
        if defs.bootstrap
        else "no bootstrap (0 resamples): fractional shares have no interval"
    )
    register = defs.channel_register
    groups = (
        data.group_sources["label"].to_list()
        if "label" in data.group_sources.columns
        else list(defs.partner_groups.keys())
    )
    peers = ", ".join([*([f"the group {defs.peer_group}"] if defs.peer_group else []), *defs.peers])
    rows = [
        (
            "Institution",
            f"{data.institution_name} ({', '.join(defs.institutions)}): a work is the "
            "institution's when one of its authorships is affiliated with it or one of its "
            "child units (OpenAlex lineage)",
        ),
        ("Years", f"{span}, by publication year; years not yet complete are marked partial"),
        (
            "Universe",
            f"{universe_words(defs.universe_rule, defs.types)}; the {preset.name} preset "
            f"({preset.source})",
        ),
        ("Counting", counting),
        (
            "Countries of a work",
            "every affiliated institution's country and every authorship's countries; Hong "
            "Kong and Macao " + ("counted as China" if defs.merge else "kept apart from China"),
        ),
        (
            "Partner groups",
            ", ".join(groups)
            + (
                "; each group's members in the work's year"
                if defs.membership == "historical"
                else "; each group's current members, for every year"
            ),
        ),
        ("Windows", f"rolling periods of {defs.period_window} years"),
        (
            "Baseline and plan",
            f"baseline {_period(defs.baseline)} against plan {_period(defs.plan)}, counts "
            "pooled over each period",
        ),
        ("Intervals", f"full-counting shares: {full_interval}; {bootstrap}"),
        (
            "Channel register",
            register.source
            if register is not None
            else "none given: the level indicators are unavailable, never zero",
        ),
        ("Citation window", f"the publication year and the {defs.citation_window} years after it"),
        (
            "Mobility",
            f"recruited (left): an affiliation abroad in the {defs.mobility_window} years "
            f"before the first (after the last) home year; early career: at most "
            f"{defs.early_career_years} years since the first publication; guest: at most "
            f"{defs.guest_max_years} home years; abroad is outside "
            + (defs.home_country or "the home institution's country in the data"),
        ),
        (
            "EU organisation",
            defs.eu_organisation or "the organisation the packaged mapping gives the institution",
        ),
        ("Peers", peers or "none chosen"),
        (
            "Breakdown",
            (f"by {defs.breakdown_by}" if defs.breakdown_by else "none chosen")
            + f"; groups with fewer than {defs.min_works} works are flagged small",
        ),
        ("Top partners", f"the report lists the top {options.top_partners} partners"),
    ]
    return rows


def source_rows(data: ReportData) -> list[tuple[str, str]]:
    """Where the numbers came from: ``(item, value)`` rows, then the counts and notes."""
    prov = data.provenance
    rows = [
        ("Data", SYNTHETIC_LINE if data.synthetic else f"real records ({prov.source})"),
        ("Source", prov.describe()),
        ("Query", prov.query or ""),
        ("Built", prov.created),
        ("API", prov.api_url or ""),
        ("Inputs", "; ".join(prov.inputs)),
        ("Software", ", ".join(f"{k} {v}" for k, v in prov.versions.items())),
    ]
    rows += [
        (f"Count: {key.replace('_', ' ')}", f"{value:,}") for key, value in prov.counts.items()
    ]
    rows += [("Note", note) for note in data.notes]
    return [(item, value) for item, value in rows if value]


def sheet_about(sheets: tuple[Sheet, ...]) -> list[tuple[str, str, str, int | None]]:
    """The About sheet's list: ``(sheet, what it holds, section, rows)``, itself first."""
    own = (
        ABOUT_SHEET,
        "This sheet: what each sheet holds, the definitions and where the data came from.",
        "",
        None,
    )
    return [own, *((s.name, s.holds, s.section, s.frame.height) for s in sheets)]
