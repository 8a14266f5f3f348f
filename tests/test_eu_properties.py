"""Invariants of the EU summary and ranking on random participation tables (hypothesis)."""

from __future__ import annotations

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from copub.eu.ranking import pillar2_ranking
from copub.eu.summary import programme_goals, programme_summary

_PARTS = ("erc", "msca", "fet_open_proactive", "fet_hpc", "eic_pathfinder", "cluster_1",
          "societal_challenges", "other")  # fmt: skip
_ROLES = ("coordinator", "participant", "associatedPartner", "thirdParty")

_row = st.fixed_dictionaries(
    {
        "framework_programme": st.sampled_from(("H2020", "HORIZON")),
        "project_id": st.integers(1, 15).map(str),
        "programme_part": st.sampled_from(_PARTS),
        "pillar2": st.booleans(),
        "role": st.sampled_from(_ROLES),
        "ec_contribution_eur": st.floats(0, 1e7, allow_nan=False),
        "signature_year": st.integers(2014, 2025),
        "organisation_id": st.sampled_from(("a", "b", "c", "d")),
        "organisation_name": st.sampled_from(("A", "B")),
        "country": st.sampled_from(("NO", "SE")),
        "activity_type": st.sampled_from(("HES", "REC")),
    }
)


def _frame(rows: list[dict[str, object]]) -> pl.DataFrame:
    dated = pl.DataFrame(
        rows,
        schema={
            "framework_programme": pl.String, "project_id": pl.String,
            "programme_part": pl.String, "pillar2": pl.Boolean, "role": pl.String,
            "ec_contribution_eur": pl.Float64, "signature_year": pl.Int32,
            "organisation_id": pl.String, "organisation_name": pl.String,
            "country": pl.String, "activity_type": pl.String,
        },
    )  # fmt: skip
    # Each row signed mid-June of its year: the span the goals are pro-rated over.
    return dated.with_columns(signature_date=pl.date(pl.col("signature_year"), 6, 15))


@settings(max_examples=60, deadline=None)
@given(st.lists(_row, max_size=40))
def test_summary_counts_are_consistent(rows: list[dict[str, object]]) -> None:
    frame = _frame(rows)
    summary = programme_summary(frame)
    assert bool((summary["coordinated"] <= summary["projects"]).all())
    assert bool((summary["projects"] <= summary["participations"]).all())
    beneficiaries = [r for r in rows if r["role"] in ("coordinator", "participant")]
    assert int(summary["participations"].sum()) == len(beneficiaries)
    for fp in ("H2020", "HORIZON"):
        for part in _PARTS:
            want = {r["project_id"] for r in beneficiaries
                    if r["framework_programme"] == fp and r["programme_part"] == part}  # fmt: skip
            got = summary.filter(framework_programme=fp, programme_part=part)["projects"]
            assert (int(got.sum()) if got.len() else 0) == len(want)
    goals = programme_goals(summary, frame)
    for r in goals.iter_rows(named=True):
        if r["ratio_raw"] is not None:
            assert r["ratio_raw"] == r["horizon_projects"] / r["h2020_projects"]
            # pro-rating divides by years so far (at most 7): never below the raw ratio
            assert r["ratio_pro_rated"] >= r["ratio_raw"] - 1e-12


@settings(max_examples=60, deadline=None)
@given(st.lists(_row, max_size=40))
def test_ranking_is_a_ranking(rows: list[dict[str, object]]) -> None:
    ranking = pillar2_ranking(_frame(rows))
    for (fp,), group in ranking.group_by(["framework_programme"]):
        ordered = group.sort("rank_ec")
        euros = ordered["ec_contribution_eur"].to_list()
        assert euros == sorted(euros, reverse=True), fp
        assert ordered["rank_ec"][0] == 1
        assert bool((group["country_rank_ec"] <= group["rank_ec"]).all())
        assert int(group["organisations"][0]) == group.height
    counted = [r for r in rows if r["pillar2"] and r["activity_type"] == "HES"
               and r["role"] in ("coordinator", "participant")]  # fmt: skip
    assert int(ranking["participations"].sum()) == len(counted)
