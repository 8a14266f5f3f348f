"""``copub impact`` on the tiny sample and on tables without impact fields; the report's section."""

from __future__ import annotations

import json
from pathlib import Path

import orjson
import polars as pl
import pytest

import copub
from copub.cli import main
from copub.outdir import MARKER
from report_helpers import SAMPLE_ARGS, report_dir

DEFINITIONS = "OpenAlex field-normalised percentiles; self-citations included"


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["impact", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_table_names_definitions_and_fits(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, *SAMPLE_ARGS, "--bootstrap", "20", "--by", "priority")
    assert code == 0
    assert "SYNTHETIC" in out and "SYNTHETIC" in err
    assert DEFINITIONS in out and "Leiden Ranking" in out
    assert max(len(line) for line in out.splitlines()) <= 100
    assert "Difference [95% CI]" in out
    rows = [line for line in out.splitlines() if line[:4].isdigit()]
    assert any("With Panorama" in r for r in rows) and any("Domestic only" in r for r in rows)


def test_csv_json_markdown_and_files(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = _run(capsys, *SAMPLE_ARGS, "--bootstrap", "0", "--format", "csv")
    # Plain CSV on stdout (one header row); the provenance and definitions on stderr.
    assert code == 0 and out.startswith("year,") and "SYNTHETIC" in err and DEFINITIONS in err
    table = pl.read_csv(out.encode())
    assert set(table["synthetic"]) == {"SYNTHETIC SAMPLE DATA: not real publications"}
    assert {"year", "collaboration", "top10_share", "fwci_mean", "partial"} <= set(table.columns)
    code, out, _ = _run(capsys, *SAMPLE_ARGS, "--bootstrap", "0", "--format", "json")
    document = json.loads(out)
    facts = document["analysis_provenance"]
    assert document["synthetic"] is True and facts["definitions"] == DEFINITIONS
    assert "Leiden" in facts["leiden_difference"]
    assert {r["indicator"] for r in document["tables"]["impact_difference"]} == {
        "top10", "top1", "fwci_ge1", "fwci", "cites_window"
    }  # fmt: skip
    code, out, _ = _run(capsys, *SAMPLE_ARGS, "--bootstrap", "0", "--format", "markdown")
    assert out.startswith("## Citation impact") and "SYNTHETIC" in out
    out_dir = tmp_path / "impact"
    code, _, _ = _run(capsys, *SAMPLE_ARGS, "--bootstrap", "0", "--out", str(out_dir))
    assert code == 0
    names = {p.name for p in (out_dir / "tables").iterdir()}
    assert {"impact.csv", "impact.parquet", "impact_difference.csv"} <= names
    assert {p.name for p in out_dir.iterdir()} == {
        "tables", "figures", "impact.html", "provenance.json", MARKER
    }  # fmt: skip
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no build left beside
    parquet = pl.read_parquet(out_dir / "tables" / "impact.parquet")
    assert parquet.height == pl.read_csv(out_dir / "tables" / "impact.csv").height
    assert DEFINITIONS in (out_dir / "provenance.json").read_text()
    assert DEFINITIONS in (out_dir / "impact.html").read_text()


@pytest.mark.parametrize(
    "args, message",
    [
        (["--by", "nowhere"], "unknown collaboration type 'nowhere'"),
        (["--compare", "international"], "two different collaboration types"),
        (["--periods", "month"], "invalid choice"),
        (["--citation-window", "-1"], "must be 0 or more"),
        (["--by", "level2", "--data-dir"], None),
    ],
)
def test_bad_values_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, args: list[str], message: str | None
) -> None:
    if args[-1] == "--data-dir":  # channel levels without a register
        copub.load_sample(seed=3, scale=0.005).write(tmp_path)
        args = [*args, str(tmp_path)]
        message = "channel levels need a register"
    else:
        args = [*SAMPLE_ARGS, *args]
    code, _out, err = _run(capsys, *args)
    assert code == 2 and message in err and "Traceback" not in err


def test_without_impact_fields_says_unavailable(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    institution = {
        "id": "https://openalex.org/I204778367", "display_name": "NTNU", "country_code": "NO",
        "type": "education", "lineage": ["https://openalex.org/I204778367"],
    }  # fmt: skip
    works = [
        {"id": f"https://openalex.org/W{n}", "publication_year": 2019, "type": "article",
         "authorships": [{"author": {"id": "https://openalex.org/A1"},
                          "institutions": [institution], "countries": ["NO"]}]}
        for n in range(5)
    ]  # fmt: skip
    page = tmp_path / "page.json"
    page.write_bytes(orjson.dumps({"meta": {"count": 5}, "results": works}))
    copub.read_works([page]).write(tmp_path / "data")
    # Bare works have no source: only the "all" universe keeps them.
    args = ("--data-dir", str(tmp_path / "data"), "--bootstrap", "0", "--universe", "all")
    code, out, _ = _run(capsys, *args)
    assert code == 0
    assert "unavailable" in out
    row = next(line for line in out.splitlines() if line.startswith("2019  All works"))
    assert "n/a" in row and "0.0%" not in row and "100%" in row  # coverage: all missing


def test_report_has_the_impact_section(tmp_path_factory: pytest.TempPathFactory) -> None:
    out = report_dir(tmp_path_factory.getbasetemp())
    page = (out / "report.html").read_text(encoding="utf-8")
    assert '<section id="impact">' in page and DEFINITIONS in page
    assert (out / "figures" / "impact_top10.png").exists()
    impact = pl.read_csv(out / "tables" / "impact.csv", comment_prefix="#")
    assert {"domestic", "international"} <= set(impact["collaboration"])
    difference = pl.read_csv(out / "tables" / "impact_difference.csv", comment_prefix="#")
    assert set(difference["indicator"]) == {"top10", "top1", "fwci_ge1", "fwci", "cites_window"}
