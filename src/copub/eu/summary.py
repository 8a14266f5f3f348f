"""Per framework programme and programme part: projects, coordinated projects, EC contribution.

And the plan's comparisons of Horizon Europe with Horizon 2020: "double ERC",
"increase MSCA", "double EIC Pathfinder" (against H2020's FET) and Pillar 2,
as raw ratios and pro-rated by year, since Horizon Europe (2021–2027) is still
running while Horizon 2020 (2014–2020) is complete.

Examples
--------
>>> rows = pl.DataFrame({"framework_programme": ["H2020", "H2020", "HORIZON"],
...     "project_id": ["1", "2", "3"], "programme_part": ["erc", "erc", "erc"],
...     "pillar2": [False, False, False], "role": ["coordinator", "participant", "coordinator"],
...     "ec_contribution_eur": [1.0, 2.0, 4.0], "signature_year": [2015, 2016, 2022]})
>>> summary = programme_summary(rows)
>>> summary.filter(framework_programme="H2020", programme_part="erc").row(0)[2:6]
('ERC', 2, 1, 3.0)
>>> goals = programme_goals(summary, rows)
>>> goals.filter(goal="double_erc").select("ratio_raw", "ratio_pro_rated").row(0)
(0.5, 1.75)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import polars as pl

from copub.eu.schema import BENEFICIARY_ROLES, PART_LABELS

__all__ = [
    "FRAMEWORK_YEARS",
    "GOALS",
    "PARTS_OF",
    "Goal",
    "horizon_years",
    "programme_goals",
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
        "erc", "msca", "infrastructures", "fet", "industrial_leadership", "societal_challenges",
        "widening", "other",
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
    Goal("double_eic_pathfinder", "Double EIC Pathfinder (against FET)", "eic_pathfinder",
         "fet", 2.0),
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


def horizon_years(rows: pl.DataFrame) -> int | None:
    """Years of Horizon Europe the data covers: 2021 to its latest signature year (at most 7)."""
    years = rows.filter(pl.col("framework_programme") == "HORIZON")["signature_year"].drop_nulls()
    if not years.len():
        return None
    first, last = FRAMEWORK_YEARS["HORIZON"]
    return max(1, min(int(years.max()), last) - first + 1)  # type: ignore[arg-type]


def _projects(rows: pl.DataFrame, framework: str, part: str) -> int:
    chosen = rows.filter(
        (pl.col("framework_programme") == framework)
        & pl.col("role").is_in(BENEFICIARY_ROLES)
        & (pl.col("pillar2") if part == "pillar2" else pl.col("programme_part") == part)
    )
    return int(chosen["project_id"].n_unique())


def programme_goals(
    summary: pl.DataFrame, home_rows: pl.DataFrame, years_so_far: int | None = None
) -> pl.DataFrame:
    """Each "Horizon Europe against Horizon 2020" goal: counts, raw and pro-rated ratios, status.

    ``ratio_raw`` = HE projects ÷ H2020 projects; ``ratio_pro_rated`` = (HE
    projects per year so far) ÷ (H2020 projects per year over its 7 years),
    with the years so far from 2021 to the latest HE signature year in the
    data (``years_so_far``: pass :func:`horizon_years` of *all* rows, so an
    organisation without a project in the latest year is not pro-rated over
    fewer years than the data covers; default: of ``home_rows``).

    ``status``: ``met`` (raw ratio at the target), ``on track`` (pro-rated
    ratio at the target), ``behind``; ``no baseline`` when H2020 has no
    project in that part (no ratio exists); ``no data`` when either programme
    is missing from the data.
    """
    frameworks = set(summary["framework_programme"].to_list())
    he_years = years_so_far if years_so_far is not None else horizon_years(home_rows)
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
             raw, pro, goal.target, status)
        )  # fmt: skip
    return pl.DataFrame(
        rows,
        schema={
            "goal": pl.String, "label": pl.String, "horizon_part": pl.String,
            "h2020_part": pl.String, "horizon_projects": pl.Int64, "h2020_projects": pl.Int64,
            "horizon_years": pl.Int64, "ratio_raw": pl.Float64, "ratio_pro_rated": pl.Float64,
            "target": pl.Float64, "status": pl.String,
        },
        orient="row",
    )  # fmt: skip
