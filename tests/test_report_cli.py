"""Every option of ``copub report``, with good and bad values, through ``copub.cli.main``."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import polars as pl
import pytest

from report_helpers import run_report, sample_register, sample_tables


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, object]:
    run = run_report(capsys, "--format", "json", "--bootstrap", "0", *args)
    assert run.code == 0, run.err
    document: dict[str, object] = json.loads(run.out)
    return document


def _yearly(document: dict[str, object]) -> list[dict[str, object]]:
    rows = document["yearly"]
    assert isinstance(rows, list)
    return rows


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--years", "2025-2012"], "ends before it starts"),
        (["--years", "recent"], "must look like 2012-2025"),
        (["--baseline", "2022-2025", "--plan", "2018-2021"], "must end before the plan"),
        (["--baseline", "2018-2023"], "must end before the plan"),
        (["--plan", "1800-1801"], "outside"),
        (["--baseline", "last"], "must look like"),
        (["--types", "preprints"], "invalid choice: 'preprints'"),
        (["--counting", "weighted"], "invalid choice: 'weighted'"),
        (["--preset", "incites"], "invalid choice: 'incites'"),
        (["--format", "xml"], "invalid choice: 'xml'"),
        (["--bootstrap", "-1"], "must be 0 or more"),
        (["--bootstrap", "many"], "not a whole number"),
        (["--top", "0"], "must be 1 or more"),
        (["--institution", "NTNU"], "not an OpenAlex institution id"),
        (["--groups", "/no/such/groups.toml"], "does not exist"),
        (["--seed", "-3"], "seed"),
        (["--scale", "0"], "scale"),
        (["--data-dir", "/tmp"], "not allowed with argument --sample"),
    ],
)
def test_bad_values_exit_2_with_one_clear_line(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    run = run_report(capsys, *args)
    assert run.code == 2
    assert run.out == ""
    errors = [line for line in run.err.splitlines() if line.startswith("copub: error:")]
    assert len(errors) == 1 and message in errors[0], run.err
    assert "Traceback" not in run.err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--institution", "I1"], "has no works"),
        (["--register", "/no/such/register.csv"], "does not exist"),
    ],
)
def test_missing_data_exits_1_with_one_clear_line(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    run = run_report(capsys, *args)
    assert run.code == 1, run.err
    errors = [line for line in run.err.splitlines() if line.startswith("copub: error:")]
    assert len(errors) == 1 and message in errors[0], run.err
    assert "Traceback" not in run.err


def test_out_that_is_a_file_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "report.txt"
    target.write_text("not a directory", encoding="utf-8")
    run = run_report(capsys, "--out", str(target))
    assert run.code == 2 and "is not a directory" in run.err


def test_register_in_a_wrong_format_is_a_data_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = tmp_path / "register.csv"
    bad.write_text("title;publisher\nNature;Springer\n", encoding="utf-8")
    run = run_report(capsys, "--register", str(bad))
    assert run.code == 1 and str(bad) in run.err and "Traceback" not in run.err


def test_groups_file_in_a_wrong_format_is_a_data_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = tmp_path / "groups.toml"
    bad.write_text("[groups.x\nlabel = 1\n", encoding="utf-8")
    run = run_report(capsys, "--groups", str(bad))
    assert run.code == 1 and "groups.toml" in run.err


def test_years_select_the_rows(capsys: pytest.CaptureFixture[str]) -> None:
    run = run_report(capsys, "--format", "csv", "--bootstrap", "0", "--years", "2016-2020")
    table = pl.read_csv(io.StringIO(run.out))
    assert table["year"].to_list() == [2016, 2017, 2018, 2019, 2020]


def test_institution_accepts_the_openalex_url(capsys: pytest.CaptureFixture[str]) -> None:
    document = _json(capsys, "--institution", "https://openalex.org/I204778367")
    assert document["institution"] == "I204778367"
    assert document["institution_name"] == "Norwegian University of Science and Technology"


def test_register_adds_level_2(capsys: pytest.CaptureFixture[str]) -> None:
    register = str(sample_register())
    rows = _yearly(_json(capsys, "--register", register))
    shares = [r["level2_share"] for r in rows]
    assert all(isinstance(s, float) and 0 <= s <= 1 for s in shares)
    assert all(isinstance(r["channel_unmatched_share"], float) for r in rows)
    table = run_report(capsys, "--bootstrap", "0", "--register", register).out
    year_rows = [line for line in table.splitlines() if re.match(r"^20\d\d", line)]
    assert year_rows and not any(line.rstrip().endswith("n/a") for line in year_rows)
    assert "unavailable: no register" not in table


def test_register_comes_from_the_environment(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COPUB_REGISTER", str(sample_register()))
    document = _json(capsys)
    definitions = document["options"]["definitions"]  # type: ignore[index]
    assert definitions["register"] == str(sample_register())
    assert all(isinstance(r["level2_share"], float) for r in _yearly(document))


def test_groups_file_adds_a_share(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    groups = tmp_path / "groups.toml"
    groups.write_text(
        '[groups.sweden]\nlabel = "Sweden"\nkind = "country"\nsource = "test"\n'
        'vintage = "2024"\nmembers = [{ code = "SE", name = "Sweden" }]\n',
        encoding="utf-8",
    )
    rows = _yearly(_json(capsys, "--groups", str(groups)))
    assert all(0 <= r["sweden_share"] <= r["nordic_share"] for r in rows)  # type: ignore[operator]


def test_baseline_and_plan_set_the_comparison(capsys: pytest.CaptureFixture[str]) -> None:
    document = _json(capsys, "--baseline", "2013-2015", "--plan", "2016-2019")
    rows = {r["year"]: r for r in _yearly(document)}
    comparison = {c["indicator"]: c for c in document["period_comparison"]}  # type: ignore[attr-defined]

    def pooled(first: int, last: int) -> float:
        works = sum(rows[y]["intl_works"] for y in range(first, last + 1))  # type: ignore[misc]
        base = sum(rows[y]["intl_base"] for y in range(first, last + 1))  # type: ignore[misc]
        return works / base

    assert comparison["intl"]["baseline_share"] == pytest.approx(pooled(2013, 2015))
    assert comparison["intl"]["plan_share"] == pytest.approx(pooled(2016, 2019))
    table = run_report(capsys, "--bootstrap", "0", "--baseline", "2013-2015", "--plan", "2016-2019")
    assert "Plan 2016-2019 against baseline 2013-2015" in table.out


def test_types_all_keeps_every_work(capsys: pytest.CaptureFixture[str]) -> None:
    core = {r["year"]: r["works"] for r in _yearly(_json(capsys))}
    every = {r["year"]: r["works"] for r in _yearly(_json(capsys, "--types", "all"))}
    assert all(every[y] >= core[y] for y in core)  # type: ignore[operator]
    # Every NTNU work: the sample's tables also hold the N5T peers' own works
    # (ids W8…, issue 14), which are not NTNU's.
    works = sample_tables().works["work_id"]
    ntnu = works.filter(~works.str.starts_with("W8")).len()
    assert sum(every.values()) == ntnu  # type: ignore[arg-type]


def test_counting_fractional_shows_fractional_shares(capsys: pytest.CaptureFixture[str]) -> None:
    document = _json(capsys, "--counting", "fractional")
    comparison = {c["indicator"]: c for c in document["period_comparison"]}  # type: ignore[attr-defined]
    goal = next(g for g in document["goals"] if g["indicator"] == "intl")  # type: ignore[attr-defined]
    assert goal["plan_share"] == pytest.approx(comparison["intl"]["plan_share_frac"])
    assert goal["difference_low"] is None
    run = run_report(capsys, "--bootstrap", "0", "--counting", "fractional")
    assert "Works (frac)" in run.out and "fractional counting" in run.out
    first = _yearly(document)[0]
    line = next(x for x in run.out.splitlines() if x.startswith(str(first["year"])))
    assert f"{100 * first['intl_share_frac']:.1f}%" in line  # type: ignore[operator]


@pytest.mark.parametrize(
    ("preset", "column"), [("scival", "scival_international_share"), ("bibliometrix", "mcp_share")]
)
def test_preset_adds_its_shares(
    capsys: pytest.CaptureFixture[str], preset: str, column: str
) -> None:
    document = _json(capsys, "--preset", preset)
    assert document["options"]["definitions"]["preset"] == preset  # type: ignore[index]
    assert all(0 <= r[column] <= 1 for r in _yearly(document))  # type: ignore[operator]


def test_bootstrap_gives_fractional_intervals(capsys: pytest.CaptureFixture[str]) -> None:
    without = _yearly(_json(capsys))
    assert all(r["intl_share_frac_low"] is None for r in without)
    run = run_report(capsys, "--format", "json", "--bootstrap", "30")
    rows = json.loads(run.out)["yearly"]
    assert all(r["intl_share_frac_low"] <= r["intl_share_frac"] <= r["intl_share_frac_high"]
               for r in rows)  # fmt: skip
    assert "30 bootstrap resamples" in run.err


def test_data_dir_reads_stored_tables(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    sample_tables().write(tmp_path / "data")
    run = run_report(
        capsys, "--data-dir", str(tmp_path / "data"), "--format", "json", "--bootstrap", "0",
        sample=False,
    )  # fmt: skip
    assert run.code == 0, run.err
    document = json.loads(run.out)
    # The provenance travels with the tables: stored sample data still says it is synthetic.
    assert document["synthetic"] is True and "SYNTHETIC" in run.err


def test_data_dir_without_tables_is_a_data_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    run = run_report(capsys, "--data-dir", str(tmp_path), sample=False)
    assert run.code == 1 and "no copub tables" in run.err
    # It says what to do: fetch or import, or try the sample (issue 25.10).
    assert "copub fetch" in run.err and "--sample" in run.err
