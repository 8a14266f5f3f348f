"""The authors table and the mobility indicators, against plain Python over the raw JSON."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import copub
from cli_run import run_cli
from conftest import shared_path
from copub.classify.definitions import Definitions
from copub.errors import DataError, UsageError
from copub.indicators.mobility import author_mobility, mobility_indicators
from copub.normalize.authors import AUTHORS, read_authors

PNNL = "I142606810"  # Pacific Northwest National Laboratory: 28 of the 70 real authors


def _records() -> list[dict[str, Any]]:
    folder = shared_path("openalex-authors")
    records: list[dict[str, Any]] = []
    for name in ("authors_page_50.json", "authors_search_page_20.json"):
        records += json.loads((folder / name).read_bytes())["results"]
    return records


def _pages() -> list[Path]:
    folder = shared_path("openalex-authors")
    return [folder / "authors_page_50.json", folder / "authors_search_page_20.json"]


def _short(url: str) -> str:
    return url.rsplit("/", 1)[-1]


def test_real_author_records_import_exactly() -> None:
    authors = read_authors(_pages())
    assert authors.schema == AUTHORS
    want = set()
    for r in _records():
        for a in r["affiliations"]:
            inst = a["institution"]
            for year in a["years"]:
                want.add(
                    (
                        _short(r["id"]),
                        _short(inst["id"]),
                        inst["country_code"],
                        tuple(_short(x) for x in inst["lineage"]),
                        year,
                    )
                )
    got = {
        (a, i, c, tuple(lin), y)
        for a, i, c, lin, y in authors.select(
            "author_id", "institution_id", "country_code", "lineage", "year"
        ).iter_rows()
    }
    assert got == want and authors.height == len(want)


def test_single_record_gzip_and_json_lines(tmp_path: Path) -> None:
    records = _records()[:3]
    single = tmp_path / "A.json"
    single.write_text(json.dumps(records[0], indent=2))
    lines = tmp_path / "a.jsonl.gz"
    lines.write_bytes(gzip.compress("\n".join(json.dumps(r) for r in records[1:]).encode()))
    authors = read_authors([single, lines])
    assert set(authors["author_id"]) == {_short(r["id"]) for r in records if r["affiliations"]}
    assert copub.read_authors(single).height == sum(
        len(a["years"]) for a in records[0]["affiliations"]
    )


def _write(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text(json.dumps({"meta": {"count": len(records)}, "results": records}))
    return path


def test_bad_author_input_names_the_file_and_record(tmp_path: Path) -> None:
    record = _records()[0]
    no_affiliations = {k: v for k, v in record.items() if k != "affiliations"}
    path = _write(tmp_path / "no_aff.json", [record, no_affiliations])
    with pytest.raises(DataError, match=r"no_aff\.json: record 2 .*no 'affiliations'"):
        read_authors(path)
    bad_year = json.loads(json.dumps(record))
    bad_year["affiliations"][0]["years"] = [1850]
    with pytest.raises(DataError, match=r"years\.json: record 1 .*year 1850 is outside"):
        read_authors(_write(tmp_path / "years.json", [bad_year]))
    future = json.loads(json.dumps(record))
    future["affiliations"][0]["years"] = [3000]
    with pytest.raises(DataError, match=r"year 3000 is outside"):
        read_authors(_write(tmp_path / "future.json", [future]))
    with pytest.raises(DataError, match=r"works_page\.json: record 1 is an OpenAlex work"):
        read_authors(shared_path("openalex", "works_page.json"))
    with pytest.raises(DataError, match=r"authors_page_50\.json: record 1: .*OpenAlex author"):
        copub.read_works(_pages()[0])
    (tmp_path / "broken.json").write_text('{"meta": {}, "results": [{"id": ')
    with pytest.raises(DataError, match=r"broken\.json: not valid JSON"):
        read_authors(tmp_path / "broken.json")


def _plain_mobility(
    records: list[dict[str, Any]],
    home: str,
    country: str,
    n: int = 3,
    early: int = 6,
    guest_max: int = 2,
) -> dict[int, dict[str, int]]:
    """The definitions, written again in plain Python over the raw records."""
    out: dict[int, dict[str, int]] = {}

    def add(year: int, key: str) -> None:
        out.setdefault(year, {}).setdefault(key, 0)
        out[year][key] += 1

    for r in records:
        home_years: set[int] = set()
        abroad: set[int] = set()
        every: set[int] = set()
        for a in r["affiliations"]:
            inst = a["institution"]
            is_home = _short(inst["id"]) == home or home in {_short(x) for x in inst["lineage"]}
            for y in a["years"]:
                every.add(y)
                if is_home:
                    home_years.add(y)
                elif inst["country_code"] and inst["country_code"] != country:
                    abroad.add(y)
        if not home_years:
            continue
        first, last = min(home_years), max(home_years)
        guest = (
            len(home_years) <= guest_max
            and any(f < first for f in abroad)
            and any(f > last for f in abroad)
        )
        for y in home_years:
            add(y, "home_authors")
            if y == first and any(y - n <= f <= y - 1 for f in abroad):
                add(y, "recruited")
            if y in abroad:
                add(y, "concurrent")
            if guest:
                add(y, "guests")
            if y - min(every) <= early:
                add(y, "early_career")
                if any(f <= y for f in abroad):
                    add(y, "early_intl")
        if any(last + 1 <= f <= last + 1 + n for f in abroad):
            add(last + 1, "left")
    return out


@pytest.mark.parametrize("window", [1, 3])
def test_real_mobility_counts_equal_a_plain_computation(window: int) -> None:
    result = mobility_indicators(
        read_authors(_pages()),
        Definitions(institutions=PNNL, mobility_window=window),
        years=(1990, 2026),
    )
    assert result.home_country == "US"
    plain = _plain_mobility(_records(), PNNL, "US", n=window)
    keys = (
        "home_authors",
        "recruited",
        "left",
        "concurrent",
        "guests",
        "early_career",
        "early_intl",
    )
    for row in result.yearly.iter_rows(named=True):
        assert {k: row[k] for k in keys} == {k: plain.get(row["year"], {}).get(k, 0) for k in keys}
    assert result.yearly["home_authors"].sum() > 100 and result.yearly["left"].sum() > 0
    assert result.yearly["concurrent"].sum() > 0
    flows = result.flows.filter(pl.col("group") == "nordic")
    assert flows.height == 0 or flows["authors"].min() > 0


def test_handmade_histories() -> None:
    rows = [
        # A1: recruited from SE in 2015 (foreign 2013), leaves for DE in 2019 (foreign 2020)
        ("A1", "I9", "SE", 2013),
        ("A1", "I1", "NO", 2015),
        ("A1", "I1", "NO", 2018),
        ("A1", "I8", "DE", 2020),
        # A2: a guest: US 2014, home 2016, US 2017; also early career throughout
        ("A2", "I7", "US", 2014),
        ("A2", "I1", "NO", 2016),
        ("A2", "I7", "US", 2017),
        # A3: a child unit of I1, domestic before, a visit to CN in 2016
        ("A3", "I5", "NO", 2005),
        ("A3", "I2", "NO", 2016),
        ("A3", "I6", "CN", 2016),
    ]
    frame = pl.DataFrame(
        {
            "author_id": [r[0] for r in rows],
            "institution_id": [r[1] for r in rows],
            "country_code": [r[2] for r in rows],
            "year": [r[3] for r in rows],
            "lineage": [[r[1], "I1"] if r[1] == "I2" else [r[1]] for r in rows],
        },
    )
    authors = frame.select(
        [
            pl.col(n).cast(t) if n in frame.columns else pl.lit(None, t).alias(n)
            for n, t in AUTHORS.items()
        ]
    )
    result = mobility_indicators(authors, "I1", years=(2014, 2020))
    by_year = {row["year"]: row for row in result.yearly.iter_rows(named=True)}
    assert by_year[2015]["recruited"] == 1 and by_year[2016]["recruited"] == 1  # A2 (2014)
    assert by_year[2019]["left"] == 1 and by_year[2017]["left"] == 1  # A1, A2
    assert by_year[2016]["concurrent"] == 1 and by_year[2016]["guests"] == 1
    assert by_year[2016]["home_authors"] == 2 and by_year[2016]["early_career"] == 1  # A2
    assert by_year[2019]["left_share"] == 1.0  # of home authors in 2018: A1 only
    flows = {(r["year"], r["direction"], r["group"]) for r in result.flows.iter_rows(named=True)}
    assert (2015, "inflow", "nordic") in flows and (2019, "outflow", "eu") in flows
    assert (2016, "concurrent", "priority") in flows
    countries = set(result.countries.select("year", "direction", "country_code").iter_rows())
    assert {
        (2015, "inflow", "SE"),
        (2019, "outflow", "DE"),
        (2016, "concurrent", "CN"),
    } <= countries
    # A longer window does not make the 2013 stay an arrival two years on; a shorter one drops it.
    short = mobility_indicators(
        authors, Definitions(institutions="I1", mobility_window=1), years=(2015, 2015)
    )
    assert short.yearly["recruited"].to_list() == [0]
    flags = author_mobility(authors, "I1")
    # A1 too: two home years (2015, 2018) between stays abroad (2013, 2020) make a guest.
    assert sorted(flags.filter(pl.col("guest"))["author_id"].unique()) == ["A1", "A2"]
    assert by_year[2015]["guests"] == 1 and by_year[2018]["guests"] == 1


def test_bad_arguments() -> None:
    empty = pl.DataFrame(schema=AUTHORS)
    with pytest.raises(UsageError, match="mobility_window must be"):
        Definitions(mobility_window=0)
    with pytest.raises(UsageError, match="institution"):
        mobility_indicators(empty, "NTNU")
    with pytest.raises(UsageError, match="pass home_country"):
        mobility_indicators(empty, "I1")
    with pytest.raises(DataError, match="lacks columns"):
        mobility_indicators(pl.DataFrame({"author_id": ["A1"]}), "I1")
    with pytest.raises(UsageError, match="ends before it starts"):
        mobility_indicators(read_authors(_pages()), PNNL, years="2020-2010")


@settings(max_examples=25, deadline=None)
@given(st.randoms(use_true_random=False))
def test_shares_lie_in_their_intervals_and_rows_permute_freely(rng: Any) -> None:
    authors = copub.load_sample_authors(scale=0.002)
    shuffled = authors.sample(fraction=1.0, shuffle=True, seed=rng.randint(0, 10**6))
    a = mobility_indicators(authors, "I204778367")
    b = mobility_indicators(shuffled, "I204778367")
    assert a.yearly.equals(b.yearly)
    assert a.flows.sort(a.flows.columns).equals(b.flows.sort(b.flows.columns))
    for share in (
        "recruited_share",
        "left_share",
        "concurrent_share",
        "guest_share",
        "early_intl_share",
    ):
        rows = a.yearly.drop_nulls(share)
        assert (
            (rows[f"{share}_low"] <= rows[share])
            & (rows[share] <= rows[f"{share}_high"])
            & (rows[share] >= 0)
            & (rows[share] <= 1)
        ).all()


def test_sample_has_every_kind_of_history() -> None:
    result = mobility_indicators(copub.load_sample_authors(scale=0.01), "I204778367")
    totals = result.yearly.select(pl.exclude("year", "censored_reason").sum()).row(0, named=True)
    for column in ("recruited", "left", "concurrent", "guests", "early_intl"):
        assert totals[column] > 0, column
    inflow = result.flows.filter(pl.col("direction") == "inflow")
    assert "priority" in set(inflow["group"])


def test_cli_mobility_import_and_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from copub.cli import main

    assert main(["import", *map(str, _pages()), "--data-dir", str(tmp_path / "d")]) == 0
    capsys.readouterr()
    argv = ["mobility", "--data-dir", str(tmp_path / "d"), "--institution", PNNL,
            "--format", "json", "--out", str(tmp_path / "out")]  # fmt: skip
    assert main(argv) == 0
    payload = json.loads(capsys.readouterr().out)
    assert any("proxy" in note for note in payload["notes"])
    assert payload["analysis_provenance"]["home_country"] == "US"
    assert not payload["synthetic"] and len(payload["tables"]["mobility_definitions"]) == 7
    assert (tmp_path / "out" / "figures" / "mobility_flows.png").stat().st_size > 1000
    # Plain CSV with one header row, like every report table.
    assert (tmp_path / "out" / "tables" / "mobility_yearly.csv").read_text().startswith("year,")
    # On stdout too: no comment line before the header (pandas reads it with its defaults).
    assert main([*argv[:-4], "--format", "csv"]) == 0
    import io

    import pandas as pd

    frame = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert list(frame.columns[:2]) == ["year", "home_authors"] and len(frame) > 0
    assert main(["mobility", "--sample", "--scale", "0.002", "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert "SYNTHETIC" in out and "proxy" in out
    assert main(["mobility", "--data-dir", str(tmp_path / "none")]) == 1
    assert "no authors table" in capsys.readouterr().err
    assert main(["mobility", "--sample", "--window", "0"]) == 2
    # The wrong kind of file: one line on stderr, no traceback, the file named.
    bad = run_cli("import", str(_pages()[0]), "--kind", "works", "--data-dir", str(tmp_path / "e"))
    assert bad.code == 1 and "authors_page_50.json" in bad.err
    assert "Traceback" not in bad.err and len(bad.err.strip().splitlines()) <= 2


def test_real_flow_countries_equal_a_plain_computation() -> None:
    result = mobility_indicators(read_authors(_pages()), PNNL, years=(1990, 2026))
    want: dict[tuple[int, str, str], set[str]] = {}
    for r in _records():
        home: set[int] = set()
        abroad: dict[int, set[str]] = {}
        for a in r["affiliations"]:
            inst = a["institution"]
            is_home = PNNL in {_short(x) for x in inst["lineage"]} or _short(inst["id"]) == PNNL
            for y in a["years"]:
                if is_home:
                    home.add(y)
                elif inst["country_code"] and inst["country_code"] != "US":
                    abroad.setdefault(y, set()).add(inst["country_code"])
        if not home:
            continue
        first, last = min(home), max(home)
        windows = {"inflow": (first, range(first - 3, first)),
                   "outflow": (last + 1, range(last + 1, last + 5))}  # fmt: skip
        for direction, (year, span) in windows.items():
            for f in span:
                for country in abroad.get(f, ()):
                    want.setdefault((year, direction, country), set()).add(r["id"])
        for y in home:
            for country in abroad.get(y, ()):
                want.setdefault((y, "concurrent", country), set()).add(r["id"])
    got = {
        (y, d, c): n
        for y, d, c, n in result.countries.select(
            "year", "direction", "country_code", "authors"
        ).iter_rows()
    }
    assert got == {key: len(ids) for key, ids in want.items()}
    assert any(d == "inflow" for _, d, _ in got) and any(d == "outflow" for _, d, _ in got)
