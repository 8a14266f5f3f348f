"""Citation impact: against plain Python over the raw JSON, invariants, bad input, differences."""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import orjson
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal
from scipy import stats

import copub
from conftest import shared_path
from copub.classify import load_groups
from copub.errors import UsageError
from copub.indicators.impact import impact_difference, impact_indicators
from copub.indicators.impact_stats import aggregate_impact
from copub.indicators.trends import two_proportion_p
from reference_leiden import leiden_weight
from test_normalize_impact import _fwci_reference


def _short(url: str) -> str:
    return url.rsplit("/", 1)[-1]


def _plain(raw: list[dict[str, Any]], institution: str) -> dict[str, float | None]:
    """PP(top 10%), mean FWCI and coverage of one institution, in plain Python."""
    top10 = base = 0
    top10_frac = base_frac = 0.0
    fwcis: list[float] = []
    n = no_pct = no_fwci = 0
    for work in raw:
        home = any(
            _short(i["id"]) == institution
            or institution in {_short(x) for x in i.get("lineage") or []}
            for a in work["authorships"]
            for i in a["institutions"]
            if i.get("id")
        )
        if not home:
            continue
        # The Leiden fractional weight, from the independent port of Leiden's code.
        weight = leiden_weight(work, institution)
        n += 1
        pct = work.get("citation_normalized_percentile")
        if pct is None:
            no_pct += 1
        else:
            base += 1
            top10 += bool(pct["is_in_top_10_percent"])
            base_frac += weight
            top10_frac += weight * bool(pct["is_in_top_10_percent"])
        fwci = _fwci_reference(work)
        counts = work.get("counts_by_year") or []
        hidden = (work.get("cited_by_count") or 0) - sum(c["cited_by_count"] for c in counts)
        if fwci == 0 and work["publication_year"] < 2012 and hidden > 0:
            fwci = None  # its window lies before counts_by_year begins: unknown, not zero
        if fwci is None:
            no_fwci += 1
        else:
            fwcis.append(fwci)
    return {
        "works": n,
        "top10_share": top10 / base if base else None,
        "top10_share_frac": top10_frac / base_frac if base_frac else None,
        "fwci_mean": sum(fwcis) / len(fwcis) if fwcis else None,
        "percentile_missing_share": no_pct / n,
        "fwci_missing_share": no_fwci / n,
    }


def _close(got: Any, expected: Any) -> bool:
    if expected is None:
        return got is None
    return got is not None and math.isclose(got, expected, rel_tol=1e-9, abs_tol=1e-12)


def test_real_2026_page_every_institution_matches_plain_python() -> None:
    path = shared_path("openalex-2026", "works_page_2026.json")
    raw = json.loads(path.read_text())["results"]
    tables = copub.read_works([path], include_xpac=True)  # raw holds every record
    groups = load_groups()
    institutions = sorted(
        {_short(i["id"]) for w in raw for a in w["authorships"] for i in a["institutions"]
         if i.get("id")}
    )  # fmt: skip
    assert len(institutions) > 100
    for institution in institutions:
        expected = _plain(raw, institution)
        got = impact_indicators(
            tables, institution=institution, groups=groups, types="all", periods="all",
            collaborations=["all"], bootstrap=0,
        ).row(0, named=True)  # fmt: skip
        for column, value in expected.items():
            assert _close(got[column], value), (institution, column, got[column], value)


def _impact_works(draw: st.DrawFn) -> pl.DataFrame:
    n = draw(st.integers(1, 40))
    rows = []
    for i in range(n):
        has_pct = draw(st.booleans())
        has_fwci = draw(st.booleans())
        fwci = draw(st.floats(0, 50, allow_nan=False)) if has_fwci else 0.0
        rows.append(
            {
                "_period": str(draw(st.sampled_from([2020, 2021]))),
                "work_id": f"W{i}",
                "weight": draw(st.floats(0.01, 1.0)),
                "c:all": True,
                "c:x": draw(st.booleans()),
                "has_percentile": has_pct,
                "top10": has_pct and draw(st.booleans()),
                "top1": False,
                "has_fwci": has_fwci,
                "fwci_ge1": has_fwci and fwci >= 1,
                "fwci_value": fwci,
                "has_cites_window": True,
                "cites_value": float(draw(st.integers(0, 500))),
            }
        )
    return pl.DataFrame(rows)


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_invariants(data: st.DataObject) -> None:
    works = _impact_works(data.draw)
    table = aggregate_impact(works, ["all", "x"], bootstrap=50, seed=1)
    for row in table.iter_rows(named=True):
        for stem in ("top10", "top1", "fwci_ge1"):
            # full counting is at least fractional counting (weights are at most 1)
            assert row[f"{stem}_works"] >= row[f"{stem}_works_frac"] - 1e-9
            assert row[f"{stem}_base"] >= row[f"{stem}_base_frac"] - 1e-9
            for suffix in ("", "_frac"):
                share = row[f"{stem}_share{suffix}"]
                if share is None:
                    continue
                assert 0 <= share <= 1
                low, high = row[f"{stem}_share{suffix}_low"], row[f"{stem}_share{suffix}_high"]
                assert 0 <= low <= share + 1e-12 and share - 1e-12 <= high <= 1
        for stem in ("fwci", "cites_window"):
            for suffix in ("", "_frac"):
                mean = row[f"{stem}_mean{suffix}"]
                if mean is not None:
                    assert (
                        row[f"{stem}_mean{suffix}_low"] <= mean <= row[f"{stem}_mean{suffix}_high"]
                    )
        for stem in ("percentile_missing", "fwci_missing", "cites_window_missing"):
            assert 0 <= row[f"{stem}_share"] <= 1


@settings(max_examples=25, deadline=None)
@given(st.data())
def test_a_null_percentile_is_in_coverage_only(data: st.DataObject) -> None:
    works = _impact_works(data.draw)
    extra = works.head(1).with_columns(
        work_id=pl.lit("Wextra"),
        has_percentile=pl.lit(False),
        top10=pl.lit(False),
        top1=pl.lit(False),
    )
    before = aggregate_impact(works, ["all"], bootstrap=0, seed=0)
    after = aggregate_impact(pl.concat([works, extra]), ["all"], bootstrap=0, seed=0)
    period = extra["_period"][0]
    b = before.filter(_period=period).row(0, named=True)
    a = after.filter(_period=period).row(0, named=True)
    assert a["works"] == b["works"] + 1
    for column in ("top10_works", "top10_base", "top10_works_frac", "top10_base_frac"):
        assert math.isclose(a[column], b[column], abs_tol=1e-12), column
    assert _close(a["top10_share"], b["top10_share"])
    assert a["percentile_missing_share"] > b["percentile_missing_share"] or (
        b["percentile_missing_share"] == 1.0
    )


def _page(tmp_path: Path, works: list[dict[str, Any]]) -> Path:
    path = tmp_path / "page.json"
    path.write_bytes(orjson.dumps({"meta": {"count": len(works)}, "results": works}))
    return path


def _bare_work(n: int, year: int) -> dict[str, Any]:
    institution = {
        "id": "https://openalex.org/I204778367", "display_name": "NTNU", "country_code": "NO",
        "type": "education", "lineage": ["https://openalex.org/I204778367"],
    }  # fmt: skip
    return {
        "id": f"https://openalex.org/W{n}",
        "publication_year": year,
        "type": "article",
        "authorships": [{"author": {"id": f"https://openalex.org/A{n}"},
                         "institutions": [institution], "countries": ["NO"]}],
    }  # fmt: skip


def test_works_without_impact_fields_are_unavailable_not_zero(tmp_path: Path) -> None:
    tables = copub.read_works([_page(tmp_path, [_bare_work(i, 2018 + i % 3) for i in range(9)])])
    # Bare works have no source: only the "all" universe keeps them.
    impact = impact_indicators(tables, types="all", bootstrap=20)
    assert impact["works"].sum() > 0
    for column in (
        "top10_share",
        "top10_share_frac",
        "top1_share",
        "fwci_mean",
        "fwci_mean_frac",
        "fwci_ge1_share",
        "cites_window_mean",
        "top10_share_low",
    ):
        assert impact[column].null_count() == impact.height, column  # fmt: skip
    assert (impact["percentile_missing_share"] == 1.0).all()
    assert (impact["fwci_missing_share"] == 1.0).all()
    assert (impact["top10_works"] == 0).all() and (impact["top10_base"] == 0).all()


def test_bad_arguments_are_usage_errors() -> None:
    tables = copub.Tables.empty()
    with pytest.raises(UsageError, match="collaboration type 'nowhere'"):
        impact_indicators(tables, collaborations=["nowhere"])
    with pytest.raises(UsageError, match="channel levels need a register"):
        impact_indicators(tables, collaborations=["level2"])
    with pytest.raises(UsageError, match="periods"):
        impact_indicators(tables, periods="month")  # type: ignore[arg-type]
    with pytest.raises(UsageError, match="citation window"):
        impact_indicators(tables, window=-1)
    with pytest.raises(UsageError, match="two different"):
        impact_difference(tables, compare=("domestic", "domestic"))


@pytest.fixture(scope="module")
def sample() -> copub.Tables:
    return copub.load_sample(scale=0.02)


def test_partial_years_are_those_whose_window_is_open(sample: copub.Tables) -> None:
    impact = impact_indicators(
        sample, collaborations=["all"], bootstrap=0, as_of=dt.date(2024, 5, 1)
    )
    expected = [year + 3 >= 2024 for year in impact["year"]]
    assert impact["partial"].to_list() == expected
    windows = impact_indicators(
        sample, periods="window", collaborations=["all"], bootstrap=0, as_of=dt.date(2024, 5, 1)
    )
    assert windows["partial"].to_list() == [last + 3 >= 2024 for last in windows["last_year"]]
    assert (windows["last_year"] - windows["first_year"] == 3).all()


def test_sample_has_impact_and_international_uplift(sample: copub.Tables) -> None:
    whole = impact_indicators(
        sample, periods="all", collaborations=["all", "domestic", "international"], bootstrap=0,
        types="all",
    )  # fmt: skip
    rows = {r["collaboration"]: r for r in whole.iter_rows(named=True)}
    assert 0.06 < rows["all"]["top10_share"] < 0.14
    assert 0 < rows["all"]["percentile_missing_share"] < 0.2
    assert rows["international"]["top10_share"] > rows["domestic"]["top10_share"]
    cites = sample.works["cited_by_count"]
    assert cites.max() > 20 * cites.median()  # heavy-tailed  # type: ignore[operator]


def test_windowed_citations_match_plain_python(sample: copub.Tables) -> None:
    # The home institution's works (the sample's peers' own works carry no impact fields).
    works = sample.works.filter(
        (pl.col("year") == 2016) & pl.col("counts_by_year").is_not_null()
    ).head(200)
    from copub.indicators.citation_window import windowed_citations

    got = dict(windowed_citations(works, window=3).iter_rows())
    for row in works.iter_rows(named=True):
        expected = sum(
            c["cited_by_count"] for c in row["counts_by_year"] if 2016 <= c["year"] <= 2019
        )
        assert got[row["work_id"]] == expected
    assert (
        sum(c["cited_by_count"] for c in works["counts_by_year"][0]) == works["cited_by_count"][0]
    )


def test_difference_matches_its_parts_and_tests(sample: copub.Tables) -> None:
    diff = impact_difference(sample, periods="all", bootstrap=300, seed=3)
    again = impact_difference(sample, periods="all", bootstrap=300, seed=3)
    # Seeded: the same resamples (fractional weights may differ in the last bit).
    assert_frame_equal(diff, again, rel_tol=1e-9)
    parts = impact_indicators(
        sample, periods="all", collaborations=["international", "domestic"], bootstrap=0
    )
    intl = parts.filter(collaboration="international").row(0, named=True)
    dom = parts.filter(collaboration="domestic").row(0, named=True)
    top10 = diff.filter(indicator="top10").row(0, named=True)
    assert math.isclose(top10["value_a"], intl["top10_share"])
    assert math.isclose(top10["value_b"], dom["top10_share"])
    assert math.isclose(top10["difference"], intl["top10_share"] - dom["top10_share"])
    assert math.isclose(top10["value_a_frac"], intl["top10_share_frac"])
    expected_p = two_proportion_p(
        *(np.array([float(x)]) for x in (dom["top10_works"], dom["top10_base"],
                                         intl["top10_works"], intl["top10_base"]))
    )[0]  # fmt: skip
    assert math.isclose(top10["p_value"], float(expected_p))
    for row in diff.iter_rows(named=True):
        for suffix in ("", "_frac"):
            d = row[f"difference{suffix}"]
            assert row[f"difference{suffix}_low"] <= d <= row[f"difference{suffix}_high"]
            assert 0 <= row[f"p_value{suffix}"] <= 1
    # The synthetic world has an international uplift: the test finds it.
    assert top10["difference_low"] > 0 and top10["p_value"] < 0.01
    # Welch's t-test on the FWCI values, computed independently.
    per_work = copub.impact_per_work(sample)
    fwci = diff.filter(indicator="fwci").row(0, named=True)
    xa = per_work.filter(pl.col("is_international") & pl.col("has_fwci"))["fwci"].to_numpy()
    xb = per_work.filter(
        ~pl.col("is_international") & ~pl.col("country_missing") & pl.col("has_fwci")
    )["fwci"].to_numpy()
    assert math.isclose(fwci["p_value"], float(stats.ttest_ind(xa, xb, equal_var=False).pvalue))
    assert math.isclose(fwci["value_a"], float(xa.mean()))


def test_a_given_per_work_frame_gives_the_same_figures(sample: copub.Tables) -> None:
    per_work = copub.impact_per_work(sample)
    computed = impact_indicators(sample, bootstrap=30)
    reused = impact_indicators(sample, bootstrap=30, per_work=per_work)
    assert_frame_equal(computed, reused, rel_tol=1e-9)
