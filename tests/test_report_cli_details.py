"""Command-line details: --version, one error prefix, 100-column partners, warnings that
tell the reader what went wrong, and the real reason an indicator is unavailable."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from copub.cli import main
from copub.provenance import package_versions
from report_helpers import SAMPLE_ARGS, run_report, sample_register


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.strip() == f"copub {package_versions()['copub']}"


@pytest.mark.parametrize(
    "args",
    [
        ["report", "--years", "recent"],
        ["partners", "--kind", "author"],
        ["network", "--out", "x", "--counting", "half"],
        ["report", "--no-such-option"],
    ],
)
def test_one_error_prefix(capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("copub: error: ")
    # Not "copub: error: copub report: …": the command is named once, in the hint.
    assert err.count("copub") == 2 and re.search(r"\(see copub( \w+)? --help\)$", err.strip())


@pytest.mark.parametrize("kind", ["country", "institution"])
def test_partners_table_fits_100_columns(capsys: pytest.CaptureFixture[str], kind: str) -> None:
    capsys.readouterr()
    assert main(["partners", *SAMPLE_ARGS, "--kind", kind, "--top", "40"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert len(lines) > 40 and max(len(line) for line in lines) <= 100
    assert "SYNTHETIC" in lines[0] and "Works" in lines[1]


def test_partners_json_has_provenance_and_rows(capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["partners", *SAMPLE_ARGS, "--format", "json", "--top", "5"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["synthetic"] is True and document["warning"].startswith("SYNTHETIC")
    assert document["provenance"]["synthetic"] is True
    assert [row["rank"] for row in document["tables"]["partners"]] == [1, 2, 3, 4, 5]


def test_groups_that_change_the_home_country_warn(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    groups = tmp_path / "groups.toml"
    groups.write_text(
        'home_country = "SE"\n[groups.mine]\nlabel = "Mine"\nkind = "country"\n'
        'source = "test"\nvintage = "2024"\nmembers = [{ code = "DE" }]\n',
        encoding="utf-8",
    )
    run = run_report(capsys, "--bootstrap", "0", "--groups", str(groups))
    assert run.code == 0
    assert "warning: The partner groups set the home country to SE" in run.err
    assert "is in NO" in run.err
    quiet = run_report(capsys, "--bootstrap", "0")
    assert "home country" not in quiet.err


def test_a_register_that_matches_few_works_warns(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    register = tmp_path / "levels.csv"
    register.write_text("issn,year,level\n0028-0836,2020,2\n", encoding="utf-8")
    run = run_report(capsys, "--bootstrap", "0", "--register", str(register))
    assert run.code == 0
    assert re.search(
        r"warning: \d+\.\d% of works have a channel that is not in the register", run.err
    )
    assert "Note: " in run.out and "not in the register" in run.out
    good = run_report(capsys, "--bootstrap", "0", "--register", str(sample_register()))
    assert "not in the register" not in good.err


def test_a_publisher_list_given_as_register_warns(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # The register's publisher export: no ISSN columns, one level column per year.
    publishers = tmp_path / "forlag.csv"
    publishers.write_text(
        '"forlag_id";"Original tittel";"Nivå 2023";"Nivå 2022"\n'
        '"1";"Springer";"1";"1"\n"2";"Elsevier";"1";"1"\n',
        encoding="utf-8",
    )
    run = run_report(capsys, "--bootstrap", "0", "--register", str(publishers))
    assert run.code == 0, run.err
    assert "looks like the publisher list" in run.err


def test_unavailable_says_the_plan_is_outside_years(capsys: pytest.CaptureFixture[str]) -> None:
    register = str(sample_register())
    run = run_report(capsys, "--bootstrap", "0", "--register", register, "--years", "2012-2020")
    assert run.code == 0
    assert "no year of the plan period 2022-2025 in --years" in run.out
    assert "no register" not in run.out
    without = run_report(capsys, "--bootstrap", "0", "--years", "2012-2020", sample=True)
    # --sample brings its own register, so the reason is still the years.
    assert "no year of the plan period" in without.out


def test_the_real_publisher_export_warns(capsys: pytest.CaptureFixture[str]) -> None:
    from conftest import shared_path

    publishers = shared_path("channel-register", "publishers_export_2022.csv")
    run = run_report(capsys, "--bootstrap", "0", "--register", str(publishers))
    assert run.code == 0, run.err
    assert "looks like the publisher list" in run.err
