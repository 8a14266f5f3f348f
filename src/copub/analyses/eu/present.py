"""The EU analysis: the plan's goals on EU projects won, and the tables behind them.

Goals: "double ERC" and "double EIC Pathfinder" (against H2020's FET), Horizon
Europe against Horizon 2020, raw and pro-rated by year; "top 20 in Pillar 2"
and "the best Norwegian university in Pillar 2", from the ranking of
higher-education participants by EC contribution. A ranking over a data set
that does not hold every participant (the Norwegian grants file, a country's
summary) cannot say "top 20": its status says so.

Examples
--------
>>> import tempfile
>>> from copub.eu.analysis import EuInputs, eu_participation
>>> from copub.sample.cordis import write_cordis_sample
>>> out = write_cordis_sample(tempfile.mkdtemp())
>>> result = eu_participation(EuInputs(cordis=(out / "h2020", out / "horizon-europe")))
>>> eu_goal_status(result)["goal"].to_list()
['double_erc', 'double_eic_pathfinder', 'increase_msca', 'top20_pillar2', 'best_in_country_pillar2']
>>> lines = eu_lines(result)
>>> lines[0].strip("= ").startswith("SYNTHETIC"), max(len(line) for line in lines) <= 100
(True, True)
"""

from __future__ import annotations

import dataclasses
import textwrap

import polars as pl

from copub.analyses.contract import AnalysisInputs, AnalysisResult, ShowOptions, unavailable
from copub.classify.definitions import Definitions
from copub.eu.analysis import EuParticipation, eu_participation
from copub.eu.home import load_organisations, organisation_of_institution
from copub.eu.schema import PART_LABELS
from copub.progress import Progress
from copub.render.html import esc, table
from copub.render.text import wrap_label

__all__ = ["compute_eu", "eu_goal_status", "eu_html", "eu_lines", "home_organisation"]

_WIDTH = 100
_SYNTHETIC = "SYNTHETIC EU DATA: not real projects"
_TOP = 20


def _ratio(value: object) -> str:
    return "n/a" if value is None else f"{float(value):.2f}"  # type: ignore[arg-type]


def eu_goal_status(result: EuParticipation) -> pl.DataFrame:
    """``goal, label, value, target, status, detail`` for the plan's EU goals."""
    rows: list[tuple[str, str, str, str, str, str]] = []
    goals = {row["goal"]: row for row in result.goals.iter_rows(named=True)}
    for key in ("double_erc", "double_eic_pathfinder", "increase_msca"):
        g = goals[key]
        detail = (
            f"Horizon Europe {g['horizon_projects']} projects in {g['horizon_span']} "
            f"against H2020 {g['h2020_projects']} in 7 years; raw ratio {_ratio(g['ratio_raw'])}, "
            f"pro-rated {_ratio(g['ratio_pro_rated'])}"
            if g["status"] not in ("no data", "no baseline")
            else f"no H2020 project in {PART_LABELS.get(str(g['h2020_part']), 'Pillar 2')} to "
            f"compare with; Horizon Europe {g['horizon_projects']} projects"
            if g["status"] == "no baseline"
            else "needs Horizon Europe and H2020 participations of the home organisation"
        )
        rows.append((key, str(g["label"]), _ratio(g["ratio_pro_rated"]), f"{g['target']:g}×",
                     str(g["status"]), detail))  # fmt: skip
    home = result.standing.filter(
        (pl.col("organisation") == result.home.key) & (pl.col("framework_programme") == "HORIZON")
    )
    countries = set(result.ranking.filter(pl.col("framework_programme") == "HORIZON")["country"]
                    .drop_nulls().to_list())  # fmt: skip
    complete = len(countries) > 3
    if home.is_empty():
        value, status, detail = "n/a", "no data", "no Horizon Europe Pillar 2 participation"
        country_value, country_status = "n/a", "no data"
        country_detail = "no Horizon Europe Pillar 2 participation"
        before = result.standing.filter(
            (pl.col("organisation") == result.home.key) & (pl.col("framework_programme") == "H2020")
        )
        if before.height:
            b = before.row(0, named=True)
            context = (
                f"; H2020 counterpart (LEIT + societal challenges): #{b['rank_ec']} of "
                f"{b['organisations']}, #{b['country_rank_ec']} in {b['country']}"
            )
            detail += context
            country_detail += context
    else:
        r = home.row(0, named=True)
        value = f"#{r['rank_ec']} of {r['organisations']}"
        status = ("met" if r["rank_ec"] <= _TOP else "not met") if complete else "incomplete data"
        detail = (
            f"by EC contribution ({r['ec_contribution_eur'] / 1e6:.1f} M€); "
            f"#{r['rank_participations']} by participations ({r['participations']})"
            + ("" if complete else "; the data does not hold every participant")
        )
        country_value = f"#{r['country_rank_ec']} in {r['country']}"
        country_status = "met" if r["country_rank_ec"] == 1 else "not met"
        country_detail = "by EC contribution, HES participants"
    rows.append(("top20_pillar2", "Top 20 universities in Pillar 2", value, f"≤ {_TOP}", status,
                 detail))  # fmt: skip
    rows.append(("best_in_country_pillar2", "Best university of its country in Pillar 2",
                 country_value, "#1", country_status, country_detail))  # fmt: skip
    return pl.DataFrame(
        rows, schema=["goal", "label", "value", "target", "status", "detail"], orient="row"
    )


def _summary_rows(result: EuParticipation) -> list[tuple[str, str, str, str, str, str, str]]:
    summary = result.summary.filter(pl.col("organisation") == result.home.key)
    rows = []
    for part in PART_LABELS:
        cells = {}
        for fp in ("H2020", "HORIZON"):
            hit = summary.filter(
                (pl.col("framework_programme") == fp) & (pl.col("programme_part") == part)
            )
            cells[fp] = hit.row(0, named=True) if hit.height else None
        if all(c is None for c in cells.values()):
            continue
        out = [PART_LABELS[part]]
        for fp in ("H2020", "HORIZON"):
            c = cells[fp]
            out += (
                ["", "", ""]
                if c is None
                else [str(c["projects"]), str(c["coordinated"]),
                      f"{c['ec_contribution_eur'] / 1e6:.1f}"]
            )  # fmt: skip
        rows.append(tuple(out))
    return rows  # type: ignore[return-value]


def _linked_projects(result: EuParticipation) -> pl.DataFrame:
    """The home organisation's projects that works acknowledge, most works first."""
    if result.links is None:
        return pl.DataFrame()
    return (
        result.links.filter(pl.col("home"))
        .group_by("project_id", "framework_programme", "programme_part", "acronym")
        .agg(works=pl.col("work_id").n_unique().cast(pl.Int64))
        .sort(["works", "project_id"], descending=[True, False])
    )


def _links_lines(result: EuParticipation, width: int = _WIDTH) -> list[str]:
    if result.links is None:
        return []
    home = result.links.filter(pl.col("home"))
    projects = _linked_projects(result)
    text = (
        f"Publications: {home['work_id'].n_unique()} works acknowledge "
        f"{projects.height} of the home organisation's EU projects (EC-family funder as in "
        "fund_ec; award id = CORDIS project id)"
    )
    if projects.height and int(projects["works"].max()) > 1:  # type: ignore[arg-type]
        top = ", ".join(
            f"{r['acronym'] or r['project_id']} ({r['works']})"
            for r in projects.head(5).iter_rows(named=True)
        )
        text += f"; most: {top}"
    return textwrap.wrap(text, width, subsequent_indent="  ")


def eu_lines(result: EuParticipation, *, unicode: bool = True, width: int = _WIDTH) -> list[str]:
    """The EU section for the terminal, every line at most 100 characters."""
    lines: list[str] = []
    if result.synthetic:
        lines.append(_SYNTHETIC.center(width, "="))
    lines += textwrap.wrap(
        f"EU programme participation: {result.home.describe()}", width, subsequent_indent="  "
    )
    header = (
        f"{'Programme part':<40}{'H2020':>8}{'coord':>7}{'M€':>8}{'HE':>10}{'coord':>7}{'M€':>8}"
    )
    lines += [header, "-" * len(header)]
    for name, *cells in _summary_rows(result):
        label, *more = wrap_label(name, 39)  # a long part name goes on below, never cut
        lines.append(
            f"{label:<40}{cells[0]:>8}{cells[1]:>7}{cells[2]:>8}"
            f"{cells[3]:>10}{cells[4]:>7}{cells[5]:>8}"
        )
        lines += more
    lines.append(
        "projects = distinct projects as coordinator or participant; M€ = its EC contribution"
    )
    lines.append("")
    lines.append("Goals (Horizon Europe against Horizon 2020; ranks among HES participants)")
    for row in eu_goal_status(result).iter_rows(named=True):
        lines += textwrap.wrap(
            f"  {row['label']}: {row['value']} (target {row['target']}) - {row['status']}; "
            f"{row['detail']}",
            width,
            subsequent_indent="      ",
        )
    standing = result.standing.sort("framework_programme", "rank_ec")
    if standing.height:
        lines.append("")
        lines.append("Pillar 2 standing (H2020: LEIT + societal challenges), by EC contribution")
        for r in standing.iter_rows(named=True):
            name, *more = wrap_label(str(r["organisation"]), 12)
            lines.append(
                f"  {r['framework_programme']:<8} {name:<12} #{r['rank_ec']:<4} of "
                f"{r['organisations']:<5} #{r['country_rank_ec']} in {r['country']}  "
                f"{r['participations']:>4} participations  "
                f"{r['ec_contribution_eur'] / 1e6:>7.1f} M€"
            )
            lines += [f"  {'':<8} {m}" for m in more]
    lines += _links_lines(result, width)
    matched = ", ".join(
        f"{r['rows']} {r['source']} rows on {r['matched_on']}"
        for r in result.matches.filter(pl.col("organisation") == result.home.key).iter_rows(
            named=True
        )
    )
    lines += textwrap.wrap(f"Matched: {matched or 'nothing'}", width, subsequent_indent="  ")
    for note in result.notes:
        lines += textwrap.wrap(f"Note: {note}", width, subsequent_indent="  ")
    for source in result.sources:
        lines += textwrap.wrap(f"Source: {source}", width, subsequent_indent="  ")
    if not unicode:
        lines = [
            line.replace("€", "EUR").replace("…", "...").replace("≤", "<=").replace("×", "x")
            .encode("ascii", "replace").decode("ascii")
            for line in lines
        ]  # fmt: skip
    return lines


def eu_html(result: EuParticipation) -> str:
    """The EU section's HTML body (the report puts it in its ``<section id="eu">``)."""
    goals = table(
        [("Goal", False), ("Value", True), ("Target", True), ("Status", False), ("Detail", False)],
        [
            [(esc(r["label"]), False), (esc(r["value"]), True), (esc(r["target"]), True),
             (f'<span class="st {esc(r["status"]).replace(" ", "-")}">{esc(r["status"])}</span>',
              False), (esc(r["detail"]), False)]
            for r in eu_goal_status(result).iter_rows(named=True)
        ],
    )  # fmt: skip
    summary = table(
        [("Programme part", False), ("H2020 projects", True), ("coordinated", True),
         ("M€", True), ("Horizon Europe projects", True), ("coordinated", True), ("M€", True)],
        [[(esc(label), False), *((esc(c), True) for c in cells)]
         for label, *cells in _summary_rows(result)],
    )  # fmt: skip
    standing = table(
        [("Programme", False), ("Organisation", False), ("Rank (EC)", True),
         ("of", True), ("Rank in country", True), ("Participations", True), ("M€", True)],
        [
            [(esc(r["framework_programme"]), False), (esc(r["organisation_name"]), False),
             (str(r["rank_ec"]), True), (str(r["organisations"]), True),
             (f"{r['country_rank_ec']} ({esc(r['country'])})", True),
             (str(r["participations"]), True), (f"{r['ec_contribution_eur'] / 1e6:.1f}", True)]
            for r in result.standing.sort("framework_programme", "rank_ec").iter_rows(named=True)
        ],
    )  # fmt: skip
    papers = ""
    if result.links is not None:
        linked = _linked_projects(result)
        papers = "<h3>Publications from EU projects</h3>" + "".join(
            f"<p>{esc(line)}</p>" for line in [" ".join(_links_lines(result))]
        ) + table(
            [("Project", False), ("Programme", False), ("Part", False), ("Works", True)],
            [
                [(esc(r["acronym"] or r["project_id"]), False),
                 (esc(r["framework_programme"]), False),
                 (esc(PART_LABELS.get(str(r["programme_part"]), r["programme_part"])), False),
                 (str(r["works"]), True)]
                for r in linked.head(20).iter_rows(named=True)
            ],
        )  # fmt: skip
    banner = f'<p class="banner" role="note">{esc(_SYNTHETIC)}</p>' if result.synthetic else ""
    notes = "".join(f"<p class=note>{esc(n)}</p>" for n in result.notes)
    sources = "".join(f"<li>{esc(s)}</li>" for s in result.sources)
    return (
        f"{banner}"
        f"<p>{esc(result.home.describe())}. Projects are distinct projects in which the "
        "organisation is coordinator or participant; M€ is its EC contribution.</p>"
        f"<h3>Goals</h3>{goals}<h3>Projects by programme part</h3>{summary}"
        f"<h3>Pillar 2 standing</h3>{standing}{papers}{notes}<ul>{sources}</ul>"
    )


_TITLE = "EU programme participation"


def home_organisation(definitions: Definitions, organisations: object = None) -> str | None:
    """The home organisation in EU data: ``definitions.eu_organisation``, else the mapping's
    organisation of the first home institution, else None (never another institution's).

    Examples
    --------
    >>> home_organisation(Definitions())
    'ntnu'
    >>> home_organisation(Definitions(institutions="I86987016")) is None
    True
    >>> home_organisation(Definitions(institutions="I86987016", eu_organisation="uio"))
    'uio'
    """
    if definitions.eu_organisation is not None:
        return definitions.eu_organisation
    mapping = load_organisations(organisations)  # type: ignore[arg-type]
    found = organisation_of_institution(definitions.institution, mapping)
    return found.key if found is not None else None


def compute_eu(
    inputs: AnalysisInputs, definitions: Definitions, options: ShowOptions, progress: Progress
) -> AnalysisResult:
    """EU participation of the report's home organisation (CORDIS, the Norwegian grants file)."""
    if inputs.eu is None:
        return unavailable(
            "eu", _TITLE, "No EU data was given (--cordis, --norway-grants, or --sample).",
            synthetic=inputs.synthetic,
        )  # fmt: skip
    home = home_organisation(definitions, inputs.eu.organisations)
    if home is None:
        return unavailable(
            "eu", _TITLE,
            f"No EU organisation is mapped to institution {definitions.institution}: give "
            "--organisation (a mapping key, PIC, VAT or organisation number), or add its OpenAlex "
            "id to an --organisations file.",
            synthetic=inputs.synthetic,
        )  # fmt: skip
    compare = tuple(o for o in inputs.eu.organisation if o != home)
    result = eu_participation(dataclasses.replace(inputs.eu, organisation=(home, *compare)))
    result = result.with_links(inputs.tables)
    return present_eu(result, unicode=options.unicode)


def present_eu(result: EuParticipation, *, unicode: bool = True) -> AnalysisResult:
    """``result`` for every writer: tables (with the goal status), text and HTML."""
    tables = dict(result.tables())
    tables["eu_goal_status"] = eu_goal_status(result)
    return AnalysisResult(
        key="eu",
        title=_TITLE,
        tables=tables,
        text="\n".join(eu_lines(result, unicode=unicode)) + "\n",
        summary="\n".join(eu_lines(result, unicode=unicode, width=_WIDTH - 2)),
        html=eu_html(result),
        notes=result.notes,
        provenance={
            "home": result.home.key,
            "home_identifiers": result.home.describe(),
            "peers": [p.key for p in result.peers],
            "sources": list(result.sources),
        },
        synthetic=result.synthetic,
    )

