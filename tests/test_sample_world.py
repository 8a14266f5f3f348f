"""The synthetic world: determinism, normalizer contract, and the stated distributions."""

from __future__ import annotations

import json
from pathlib import Path

import orjson
import polars as pl
import pytest

import copub
from copub.classify.countries import work_countries
from copub.classify.issn import normalize_issn
from copub.indicators.universe import institution_works
from copub.normalize import Tables
from copub.sample import SampleFiles, write_sample
from copub.sample.calibration import partner_mix
from copub.sample.world import YEARS, international_share, works_in_year

NTNU = "I204778367"
SCALE = 0.01


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> SampleFiles:
    return write_sample(tmp_path_factory.mktemp("world"), seed=0, scale=SCALE)


@pytest.fixture(scope="module")
def tables(world: SampleFiles) -> Tables:
    # The world's own counts include its XPAC works, which reading drops by default.
    return copub.read_works(world.work_files, include_xpac=True)


def _records(paths: tuple[Path, ...]) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for path in paths:
        out += orjson.loads(path.read_bytes())["results"]
    return out


def test_same_seed_same_bytes_and_tables(
    world: SampleFiles, tmp_path: Path, tables: Tables
) -> None:
    again = write_sample(tmp_path, seed=0, scale=SCALE)
    assert [p.name for p in again.work_files] == [p.name for p in world.work_files]
    for a, b in zip(again.work_files, world.work_files, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
    assert again.register.read_bytes() == world.register.read_bytes()
    rebuilt = copub.read_works(again.work_files, include_xpac=True)
    for name, frame in tables.frames().items():
        assert rebuilt.frames()[name].equals(frame), name


def test_other_seed_other_world(tables: Tables, tmp_path: Path) -> None:
    other = copub.read_works(
        write_sample(tmp_path, seed=1, scale=SCALE).work_files, include_xpac=True
    )
    assert not other.authorships.equals(tables.authorships)
    assert not other.works.select("type", "n_authors").equals(
        tables.works.select("type", "n_authors")
    )


def test_passes_the_normalizer(world: SampleFiles, tables: Tables) -> None:
    tables.check_keys()
    counts = tables.provenance.counts
    assert counts["duplicates_removed"] > 0, "some works should be sent twice"
    assert counts["records"] == (
        counts["works"] + counts["duplicates_removed"] + counts["truncated_completed"]
    )
    # Every hyperauthored work sent cut at 100 is completed by its full record.
    n_full = sum(len(json.loads(p.read_text())["results"]) for p in world.full_records)
    assert counts["truncated_completed"] == n_full > 0
    assert counts["truncated_works"] == 0
    per_year = dict(tables.works.group_by("year").len().iter_rows())
    assert per_year == dict(world.counts)
    assert set(world.counts) == set(range(YEARS[0], YEARS[1] + 1))
    for year, n in world.counts.items():
        assert n == works_in_year(year, SCALE)
    assert world.counts[YEARS[1]] > world.counts[YEARS[0]], "volume grows"


def test_pages_look_like_a_cursor_run(world: SampleFiles) -> None:
    by_year: dict[str, list[dict[str, object]]] = {}
    for path in world.pages:
        page = orjson.loads(path.read_bytes())
        assert set(page) == {"meta", "results", "group_by"}
        assert len(page["results"]) <= 200
        by_year.setdefault(path.name[6:10], []).append(page["meta"])
    for year, metas in by_year.items():
        assert all(m["count"] == world.counts[int(year)] for m in metas)
        assert metas[-1]["next_cursor"] is None
        assert all(m["next_cursor"] for m in metas[:-1])


def test_hyperauthored_truncated_in_pages_complete_in_full_records(world: SampleFiles) -> None:
    pages = {r["id"]: r for r in _records(world.pages)}
    full = _records(world.full_records)
    assert full, "every year of this size has a hyperauthored work"
    for record in full:
        complete = record["authorships"]
        listed = pages[record["id"]]
        assert isinstance(complete, list) and len(complete) > 100
        assert record["is_authors_truncated"] is False
        assert listed["is_authors_truncated"] is True
        assert listed["authorships"] == complete[:100]
        # The institution filter only sees the first 100: a home author must be there.
        home = [
            a
            for a in listed["authorships"]
            if any(NTNU in i["lineage"][-1] for i in a["institutions"])
        ]
        assert home
    truncated = [r for r in pages.values() if r["is_authors_truncated"]]
    assert {r["id"] for r in truncated} == {r["id"] for r in full}
    assert max(len(r["authorships"]) for r in full) >= 1500, "hundreds to thousands of authors"


def test_read_works_prefers_the_complete_records(world: SampleFiles, tables: Tables) -> None:
    only_pages = copub.read_works(world.pages, include_xpac=True)
    cut = only_pages.works.filter(pl.col("is_authors_truncated"))
    assert cut.height > 0 and (cut["n_authors"] == 100).all()
    whole = tables.works.join(cut.select("work_id"), on="work_id")
    assert (whole["n_authors"] > 100).all() and not whole["is_authors_truncated"].any()


def test_issns_have_valid_check_digits(tables: Tables, world: SampleFiles) -> None:
    issns = tables.sources["issns"].explode().drop_nulls().to_list()
    assert len(issns) > 50
    # classify's normaliser rejects a wrong check digit.
    assert all(normalize_issn(i) == i for i in issns)
    register = pl.read_csv(world.register)
    assert all(normalize_issn(i) == i for i in register["issn"].unique().to_list())


def test_register_matches_sources_and_moves(tables: Tables, world: SampleFiles) -> None:
    register = pl.read_csv(world.register)
    assert register.columns == ["issn", "year", "level"]
    assert set(register["level"].unique().to_list()) == {0, 1, 2}
    assert register["year"].min() == YEARS[0] and register["year"].max() == YEARS[1]
    changed = register.group_by("issn").agg(pl.col("level").n_unique()).filter(pl.col("level") > 1)
    assert changed.height > 0, "some levels change over the years"
    listed = set(register["issn"].to_list())
    journals = tables.sources.filter(pl.col("type") == "journal")
    in_register = journals["issns"].list.eval(pl.element().is_in(list(listed))).list.any()
    assert 0.8 < in_register.mean() < 1.0, "most, not all, journals are listed"  # type: ignore[operator]
    levels = copub.load_register(world.register)
    assert levels.levels.height == register.height


def test_team_sizes_within_bounds(tables: Tables) -> None:
    n = tables.works["n_authors"]
    assert 3 <= n.median() <= 6  # type: ignore[operator]
    assert 0.03 <= (n == 1).mean() <= 0.15  # type: ignore[operator]
    assert 0.003 <= (n > 100).mean() <= 0.02  # type: ignore[operator]
    assert n.max() <= 3000  # type: ignore[operator]


def test_missing_institutions_and_countries(tables: Tables) -> None:
    a = tables.authorships
    no_institution = a["n_institutions"] == 0
    no_country = a["countries"].list.len() == 0
    assert 0.01 <= no_country.mean() <= 0.05  # type: ignore[operator]
    country_only = no_institution & ~no_country
    assert country_only.sum() > 0, "some authorships have a country but no institution"
    assert 0.03 <= (a["n_institutions"] > 1).mean() <= 0.15  # type: ignore[operator]


def test_international_share_per_year(tables: Tables) -> None:
    universe = institution_works(tables, NTNU)
    labels = work_countries(tables, institution=NTNU)
    shares = (
        universe.join(labels, on="work_id")
        .group_by("year")
        .agg(share=pl.col("is_international").mean())
        .sort("year")
    )
    assert shares.height == YEARS[1] - YEARS[0] + 1
    assert shares["share"].is_between(0.55, 0.70).all(), shares
    assert shares["share"][-1] > shares["share"][0], "rising slowly"
    for year, share in shares.iter_rows():
        assert share == pytest.approx(international_share(year), abs=0.02)


def test_document_types_retractions_paratext(tables: Tables) -> None:
    types = dict(tables.works.group_by("type").len().iter_rows())
    core = sum(types.get(t, 0) for t in ("article", "review", "book-chapter"))
    assert 0.8 < core / tables.works.height < 0.95
    assert {"preprint", "editorial", "book", "paratext", "erratum"} <= set(types)
    assert tables.works["is_retracted"].sum() > 0
    paratext = tables.works.filter(pl.col("is_paratext"))
    assert paratext.height > 0 and (paratext["type"] == "paratext").all()


def test_real_partners_and_home_units(tables: Tables) -> None:
    inst = tables.institutions
    home = inst.filter(pl.col("institution_id") == NTNU).row(0, named=True)
    assert home["ror"] == "05xg72x27" and home["country_code"] == "NO"
    units = inst.filter(pl.col("lineage").list.contains(NTNU) & (pl.col("institution_id") != NTNU))
    assert units.height >= 5
    rors = set(inst["ror"].drop_nulls().to_list())
    alliance = {"040wg7k59", "026vcq606", "04qtj9h94", "05a28rw58", "02e2c7k09", "020hwjq30"}
    assert len(alliance & rors) >= 4
    cern = inst.filter(pl.col("ror") == "01ggx4157").row(0, named=True)
    assert cern["type"] == "facility" and cern["institution_id"] == "I67311998"
    assert set(inst["country_code"].drop_nulls().unique().to_list()) > {"NO", "US", "DE", "SE"}


def test_funders_in_the_grants_shape(world: SampleFiles, tables: Tables) -> None:
    funders = set(tables.funding["funder_id"].to_list())
    assert {"F4320320300", "F4320334678", "F4320323299"} <= funders
    assert {"F4320338337", "F4320338438"} & funders, "an MSCA funder"
    grants = [g for r in _records(world.pages) for g in r["grants"]]
    assert grants and all(set(g) == {"funder", "funder_display_name", "award_id"} for g in grants)
    assert all(g["funder"].startswith("https://openalex.org/F") for g in grants)
    funded = tables.funding["work_id"].n_unique() / tables.works.height
    assert 0.2 < funded < 0.6


def test_partner_mix_russia_falls_after_2022() -> None:
    mix = partner_mix(YEARS)
    ru, us = mix.countries.index("RU"), mix.countries.index("US")
    assert mix.for_year(2025)[ru] < mix.for_year(2022)[ru] < mix.for_year(2021)[ru]
    assert mix.for_year(2025)[us] > 0.2
    assert "NO" not in mix.countries and len(mix.countries) >= 40
