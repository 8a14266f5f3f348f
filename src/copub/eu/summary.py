"""Per framework programme and programme part: projects, coordinated projects, EC contribution.

And the plan's comparisons of Horizon Europe with Horizon 2020: "double ERC",
"increase MSCA", "double EIC Pathfinder" (against H2020's FET Open and FET
Proactive, which Pathfinder Open and Challenges succeed; FET Flagships and
FET HPC are shown on their own) and Pillar 2, as raw ratios and pro-rated by
the data's real span, since Horizon Europe (2021–2027) is still running while
Horizon 2020 (2014–2020) is complete.

Examples
--------
>>> rows = pl.DataFrame({"framework_programme": ["H2020", "H2020", "HORIZON"],
...     "project_id": ["1", "2", "3"], "programme_part": ["erc", "erc", "erc"],
...     "pillar2": [False, False, False], "role": ["coordinator", "participant", "coordinator"],
...     "ec_contribution_eur": [1.0, 2.0, 4.0], "signature_year": [2015, 2016, 2022],
...     "signature_date": [dt.date(2015, 3, 1), dt.date(2016, 3, 1), dt.date(2024, 4, 22)]})
>>> summary = programme_summary(rows)
>>> summary.filter(framework_programme="H2020", programme_part="erc").row(0)[2:6]
('ERC', 2, 1, 3.0)
>>> goals = programme_goals(summary, rows)
>>> goals.filter(goal="double_erc").select("ratio_raw", "horizon_span").row(0)
(0.5, '2021-01-01 to 2024-04-22 (3.30 years)')
>>> round(goals.filter(goal="double_erc")["ratio_pro_rated"].item(), 2)
1.06
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final

import polars as pl

from copub.eu.schema import BENEFICIARY_ROLES, PART_LABELS

__all__ = [
    "FRAMEWORK_YEARS",
    "GOALS",
    "PARTS_OF",
    "Goal",
    "HorizonSpan",
    "horizon_span",
    "programme_goals",
    "programme_roles",
    "programme_summary",
]

#: The years each framework programme awards grants in.
FRAMEWORK_YEARS: Final[dict[str, tuple[int, int]]] = {
    "FP7": (2007, 2013),
    "H2020": (2014, 2020),
    "HORIZON": (2021, 2027),
}

#: The programme parts each framework programme has.
PARTS_OF: Final[dict[str, tuple[str, ...]]] = {
    "FP7": ("erc", "msca", "infrastructures", "other"),
    "H2020": (
        "erc", "msca", "infrastructures", "fet_open_proactive", "fet_flagships", "fet_hpc", "fet",
        "industrial_leadership", "societal_challenges", "widening", "other",
    ),
    "HORIZON": (
        "erc", "msca", "infrastructures", "eic_pathfinder", "eic_other",
        *(f"cluster_{k}" for k in range(1, 7)), "widening", "other",
    ),
}  # fmt: skip


@dataclass(frozen=True)
class Goal:
    """A plan goal comparing a Horizon Europe part with its Horizon 2020 counterpart."""

    key: str
    label: str
    horizon_part: str
    h2020_part: str
    target: float


#: ``pillar2`` stands for every part flagged ``pillar2`` (the HE clusters; H2020 LEIT + SC).
GOALS: Final[tuple[Goal, ...]] = (
    Goal("double_erc", "Double the ERC portfolio", "erc", "erc", 2.0),
    Goal("increase_msca", "Increase the MSCA portfolio", "msca", "msca", 1.0),
    Goal("double_eic_pathfinder", "Double EIC Pathfinder (against FET Open and Proactive)",
         "eic_pathfinder", "fet_open_proactive", 2.0),
    Goal("pillar2", "Pillar 2 (against H2020 LEIT + societal challenges)", "pillar2",
         "pillar2", 1.0),
)  # fmt: skip


def programme_summary(home_rows: pl.DataFrame) -> pl.DataFrame:
    """The home organisation's projects per framework programme and programme part.

    Counts only beneficiary roles (coordinator, participant): associated
    partners and third parties sign no grant. ``projects`` are distinct
    project ids, ``coordinated`` those it coordinates, ``participations`` its
    rows, ``ec_contribution_eur`` its EC contribution.

    Every part of each framework programme present is listed, with zeros; a
    part the programme does not have (data that say so) is listed after them,
    so the rows always add up to every beneficiary row.
    """
    rows = home_rows.filter(pl.col("role").is_in(BENEFICIARY_ROLES))
    counted = rows.group_by("framework_programme", "programme_part").agg(
        projects=pl.col("project_id").n_unique().cast(pl.Int64),
        coordinated=pl.col("project_id")
        .filter(pl.col("role") == "coordinator")
        .n_unique()
        .cast(pl.Int64),
        participations=pl.len().cast(pl.Int64),
        ec_contribution_eur=pl.col("ec_contribution_eur").sum().round(2),
    )
    frameworks = sorted(
        set(home_rows["framework_programme"].unique().to_list())
        | set(counted["framework_programme"].to_list())
    )
    cells: list[tuple[str, int, str]] = []
    for fp in frameworks:
        parts = list(PARTS_OF.get(fp, ()))
        # A part the programme does not have still shows, rather than vanish from the sums.
        seen = counted.filter(pl.col("framework_programme") == fp)["programme_part"].to_list()
        parts += sorted(set(seen) - set(parts))
        cells += [(fp, i, part) for i, part in enumerate(parts)]
    grid = pl.DataFrame(
        cells,
        schema={"framework_programme": pl.String, "_order": pl.Int64, "programme_part": pl.String},
        orient="row",
    )
    return (
        grid.join(counted, on=["framework_programme", "programme_part"], how="left")
        .with_columns(
            pl.col("projects", "coordinated", "participations").fill_null(0),
            pl.col("ec_contribution_eur").fill_null(0.0),
            label=pl.col("programme_part").replace_strict(
                PART_LABELS, default=pl.col("programme_part"), return_dtype=pl.String
            ),
        )
        .sort("framework_programme", "_order")
        .select(
            "framework_programme", "programme_part", "label", "projects", "coordinated",
            "ec_contribution_eur", "participations",
        )
    )  # fmt: skip


@dataclass(frozen=True)
class HorizonSpan:
    """How much of Horizon Europe the data covers: from its start to the latest date in it.

    ``last`` is the latest signature date of a Horizon Europe row (a row
    without one counts by its start date); ``years`` is the span in years of
    365.25 days, at most the programme's 7.
    """

    first: dt.date
    last: dt.date
    years: float

    def describe(self) -> str:
        """``2021-01-01 to 2024-04-22 (3.30 years)``."""
        return f"{self.first.isoformat()} to {self.last.isoformat()} ({self.years:.2f} years)"


def horizon_span(rows: pl.DataFrame) -> HorizonSpan | None:
    """The span of Horizon Europe the data covers (:class:`HorizonSpan`); None without dates.

    Examples
    --------
    >>> rows = pl.DataFrame({"framework_programme": ["HORIZON", "H2020"],
    ...     "signature_date": [dt.date(2024, 4, 22), dt.date(2019, 1, 1)]})
    >>> horizon_span(rows).describe()
    '2021-01-01 to 2024-04-22 (3.30 years)'
    """
    first_year, last_year = FRAMEWORK_YEARS["HORIZON"]
    first = dt.date(first_year, 1, 1)
    dates = rows.filter(pl.col("framework_programme") == "HORIZON")["signature_date"].drop_nulls()
    dates = dates.filter(dates >= first)
    if not dates.len():
        return None
    latest = dates.max()
    assert isinstance(latest, dt.date)
    last = min(latest, dt.date(last_year, 12, 31))
    years = min((last - first).days / 365.25, float(last_year - first_year + 1))
    return HorizonSpan(first, last, max(years, 1 / 365.25))


def programme_roles(home_rows: pl.DataFrame) -> pl.DataFrame:
    """Every role the data has, per framework programme and part: ``projects, participations``.

    The summary and the goals count beneficiaries (coordinator, participant)
    only; this table shows the rest beside them (MSCA partners, associated
    partners, third parties, international partners), so that "MSCA 0" is not
    read as no MSCA at all. ``in_goals`` says whether the goals count the role.
    """
    return (
        home_rows.group_by("framework_programme", "programme_part", "role")
        .agg(
            projects=pl.col("project_id").n_unique().cast(pl.Int64),
            participations=pl.len().cast(pl.Int64),
        )
        .with_columns(in_goals=pl.col("role").is_in(BENEFICIARY_ROLES))
        .sort("framework_programme", "programme_part", "role")
    )


def _projects(rows: pl.DataFrame, framework: str, part: str) -> int:
    chosen = rows.filter(
        (pl.col("framework_programme") == framework)
        & pl.col("role").is_in(BENEFICIARY_ROLES)
        & (pl.col("pillar2") if part == "pillar2" else pl.col("programme_part") == part)
    )
    return int(chosen["project_id"].n_unique())


def programme_goals(
    summary: pl.DataFrame, home_rows: pl.DataFrame, span: HorizonSpan | None = None
) -> pl.DataFrame:
    """Each "Horizon Europe against Horizon 2020" goal: counts, raw and pro-rated ratios, status.

    ``ratio_raw`` = HE projects ÷ H2020 projects; ``ratio_pro_rated`` = (HE
    projects per year so far) ÷ (H2020 projects per year over its 7 years),
    with the years so far the data's real span (:func:`horizon_span`: from
    2021-01-01 to the latest signature date, so a partial last year is not
    counted whole; pass the span of *all* rows, so an organisation without a
    project lately is not pro-rated over less than the data covers; default:
    of ``home_rows``). ``horizon_span`` says the span; ``roles`` the roles
    counted (beneficiaries: coordinator, participant; see
    :func:`programme_roles` for the others).

    ``status``: ``met`` (raw ratio at the target), ``on track`` (pro-rated
    ratio at the target), ``behind``; ``no baseline`` when H2020 has no
    project in that part (no ratio exists); ``no data`` when either programme
    is missing from the data.
    """
    frameworks = set(summary["framework_programme"].to_list())
    span = span if span is not None else horizon_span(home_rows)
    he_years = span.years if span is not None else None
    described = span.describe() if span is not None else None
    h0, h1 = FRAMEWORK_YEARS["H2020"]
    rows = []
    for goal in GOALS:
        have = {"HORIZON", "H2020"} <= frameworks
        he = _projects(home_rows, "HORIZON", goal.horizon_part) if have else None
        h2020 = _projects(home_rows, "H2020", goal.h2020_part) if have else None
        raw = pro = None
        status = "no data"
        if he is not None and h2020 == 0:
            status = "no baseline"
        if he is not None and h2020 and he_years:
            raw = he / h2020
            pro = (he / he_years) / (h2020 / (h1 - h0 + 1))
            status = "met" if raw >= goal.target else "on track" if pro >= goal.target else "behind"
        rows.append(
            (goal.key, goal.label, goal.horizon_part, goal.h2020_part, he, h2020, he_years,
             described, raw, pro, goal.target, status, ", ".join(BENEFICIARY_ROLES))
        )  # fmt: skip
    return pl.DataFrame(
        rows,
        schema={
            "goal": pl.String, "label": pl.String, "horizon_part": pl.String,
            "h2020_part": pl.String, "horizon_projects": pl.Int64, "h2020_projects": pl.Int64,
            "horizon_years": pl.Float64, "horizon_span": pl.String, "ratio_raw": pl.Float64,
            "ratio_pro_rated": pl.Float64, "target": pl.Float64, "status": pl.String,
            "roles": pl.String,
        },
        orient="row",
    )  # fmt: skip
