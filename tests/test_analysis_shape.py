"""One shape for every analysis (issue 24): each bug of the hand-wired seams, shown fixed.

Every test here failed on the commit before the analysis registry (db889c6).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from PIL import Image

from cli_run import run_cli
from copub.analyses.contract import AnalysisInputs, AnalysisResult, ShowOptions
from copub.analyses.registry import ANALYSES
from copub.classify.definitions import Definitions
from copub.cli import main
from copub.cli.commands import COMMANDS
from copub.outdir import MARKER
from copub.progress import Progress
from copub.report.options import ReportOptions
from report_helpers import SAMPLE_ARGS, report_dir, run_report, sample_tables

KTH = "I86987016"
GROUPS = (
    '[groups.iberia]\nlabel = "Iberia"\nkind = "country"\nsource = "test"\nvintage = "2024"\n'
    'members = [{ code = "ES", name = "Spain" }, { code = "PT", name = "Portugal" }]\n'
)


def test_the_eu_section_belongs_to_the_reports_home(capsys: pytest.CaptureFixture[str]) -> None:
    """``report --institution KTH`` showed NTNU's EU figures under KTH's header."""
    ntnu = run_report(capsys, "--bootstrap", "0", "--format", "json")
    kth = run_report(capsys, "--bootstrap", "0", "--format", "json", "--institution", KTH)
    assert ntnu.code == kth.code == 0
    eu_ntnu = json.loads(ntnu.out)["analyses"]["eu"]
    eu_kth = json.loads(kth.out)["analyses"]["eu"]
    assert eu_ntnu["available"] and eu_ntnu["analysis_provenance"]["home"] == "ntnu"
    assert not eu_kth["available"] and not eu_kth["tables"]
    assert f"No EU organisation is mapped to institution {KTH}" in eu_kth["reason"]
    # Named on purpose, another organisation's figures are shown as that organisation's.
    uio = run_report(capsys, "--bootstrap", "0", "--format", "json", "--institution", KTH,
                     "--organisation", "uio")  # fmt: skip
    assert json.loads(uio.out)["analyses"]["eu"]["analysis_provenance"]["home"] == "uio"


def test_a_users_group_reaches_every_output(tmp_path: Path) -> None:
    """The catalogue is evaluated per Definitions: a new group shows in terminal, HTML,
    xlsx and the group figure (it used to reach only the CSV)."""
    groups = tmp_path / "groups.toml"
    groups.write_text(GROUPS, encoding="utf-8")
    out = tmp_path / "report"
    args = ["report", *SAMPLE_ARGS, "--bootstrap", "0", "--groups", str(groups)]
    # In-process: what reaches each output is the point, not the process around it. The
    # streams say UTF-8, as the pipe of a subprocess in a UTF-8 locale does.
    done = run_cli(*args, "--out", str(out), encoding="utf-8")
    assert done.code == 0, done.err
    header = next(line for line in done.out.splitlines() if line.startswith("Year"))
    assert "Iberia" in header
    assert max(len(line) for line in done.out.splitlines()) <= 100
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "<th class=num>Iberia</th>" in page or ">Iberia<" in page
    book = openpyxl.load_workbook(out / "report.xlsx", read_only=True)
    yearly_header = next(book["yearly"].iter_rows(values_only=True))
    assert "iberia_share" in yearly_header
    assert "Iberia" in (out / "figures" / "group_shares.svg").read_text(encoding="utf-8")


def test_report_options_keep_every_other_definition() -> None:
    """``ReportOptions.with_(years=…)`` reset membership, window, HK/MO and fractional."""
    definitions = Definitions(
        membership="historical", period_window=3, merge_hk_mo=False, fractional="institutions"
    )
    changed = ReportOptions(definitions, top_partners=7).with_(years=(2018, 2020))
    assert changed.defs == definitions.with_(years=(2018, 2020))
    assert changed.top_partners == 7
    assert changed.with_(top_partners=3).defs == changed.defs


def test_mobility_is_a_first_class_section(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Plain CSV, every table in the workbook, the figure style, and before Provenance."""
    # The run's one sample report (``report --sample --out``, built once for every module).
    out = report_dir(tmp_path_factory.getbasetemp())
    names = {"mobility_yearly", "mobility_flows", "mobility_countries", "mobility_flow_table",
             "mobility_definitions"}  # fmt: skip
    book = openpyxl.load_workbook(out / "report.xlsx", read_only=True)
    assert names <= set(book.sheetnames)
    for name in names:
        first = next(csv.reader(io.StringIO((out / "tables" / f"{name}.csv").read_text())))
        assert not first[0].startswith("#") and first[-1] == "synthetic"
    svg = (out / "figures" / "mobility_flows.svg").read_text(encoding="utf-8")
    assert "SYNTHETIC" in svg and "Source:" in svg
    assert "#0072b2" in svg.lower()  # the report's palette, not matplotlib's default blue
    with Image.open(out / "figures" / "mobility_flows.png") as image:
        assert "SYNTHETIC" in image.info["Description"]
    page = (out / "report.html").read_text(encoding="utf-8")
    assert page.index('<section id="mobility">') < page.index('<section id="provenance">')
    assert "Researchers recruited from and leaving for abroad" in page  # the caption


def test_eu_sample_is_the_reports_sample() -> None:
    """``eu --sample`` used scale 0.1 where ``report --sample`` used 1.0."""
    from copub.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    scales = {name: sub.choices[name].get_default("scale") for name in ("report", "eu")}
    assert scales == {"report": 1.0, "eu": 1.0}


def test_every_analysis_command_writes_the_same_way(tmp_path: Path) -> None:
    """Every analysis goes through the same writers: plain CSV, Parquet, figures, HTML."""
    # No bootstrap resamples: the writers are what is checked here, not the intervals.
    no_draws = ["--bootstrap", "0"]
    commands = {
        "impact": no_draws, "mobility": [], "peers": ["--group", "n5t", *no_draws],
        "breakdown": ["--by", "field", *no_draws], "points": [], "eu": [], "partners": [],
    }  # fmt: skip
    assert set(commands) == {a.key for a in ANALYSES}
    for key, extra in commands.items():
        out = tmp_path / key
        assert main([key, *SAMPLE_ARGS, *extra, "--out", str(out)]) == 0, key
        assert (out / MARKER).is_file() and (out / f"{key}.html").is_file()
        provenance = json.loads((out / "provenance.json").read_text(encoding="utf-8"))
        assert provenance["analysis"] == key and provenance["synthetic"] is True
        for path in (out / "tables").glob("*.csv"):
            first = path.read_text(encoding="utf-8").splitlines()[0]
            assert not first.startswith("#") and first.endswith(",synthetic"), path
            assert pl.read_parquet(path.with_suffix(".parquet")).height == pl.read_csv(
                path, infer_schema_length=None
            ).height
        for svg in (out / "figures").glob("*.svg"):
            assert "SYNTHETIC" in svg.read_text(encoding="utf-8"), svg


def test_an_out_folder_copub_did_not_write_is_refused(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me", encoding="utf-8")
    for command in ("impact", "mobility", "points"):
        assert main([command, *SAMPLE_ARGS, "--out", str(mine)]) == 2
        assert (mine / "notes.txt").read_text(encoding="utf-8") == "keep me"
    data = tmp_path / "data"
    sample_tables().write(data)
    assert main(["points", *SAMPLE_ARGS, "--out", str(data / "tables" / "x")]) == 2


@pytest.mark.slow
def test_a_killed_analysis_out_leaves_the_old_folder_or_the_new(tmp_path: Path) -> None:
    """Killed while writing, the folder holds the complete old result (never a mix)."""
    out = tmp_path / "impact"
    assert main(["impact", *SAMPLE_ARGS, "--bootstrap", "0", "--out", str(out)]) == 0
    before = sorted(p.relative_to(out) for p in out.rglob("*"))
    for delay in (0.8, 1.6, 2.4):
        process = subprocess.Popen(
            [sys.executable, "-m", "copub", "impact", *SAMPLE_ARGS, "--bootstrap", "0",
             "--out", str(out)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert sorted(p.relative_to(out) for p in out.rglob("*")) == before


def test_a_new_analysis_is_one_folder_and_one_registry_line() -> None:
    """Every registered analysis has a command and declares its tables' schemas."""
    names = {c.name for c in COMMANDS}
    for analysis in ANALYSES:
        assert analysis.key in names
        assert analysis.schemas and analysis.summary


def test_results_are_checked_against_their_schemas() -> None:
    inputs = AnalysisInputs(sample_tables())
    definitions = Definitions(bootstrap=0, peer_group="n5t", breakdown_by="field")
    for analysis in ANALYSES:
        if analysis.key == "mobility":
            continue  # needs an authors table (covered above)
        result = analysis.run(inputs, definitions, ShowOptions(), Progress.silent())
        assert isinstance(result, AnalysisResult) and result.key == analysis.key


def test_one_report_validates_its_definitions_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The institution and the year ranges are parsed at the edge (the options, then one
    Definitions), never again by a stage (it was 6 and 10 times for one ``report --out``)."""
    import importlib

    import copub.validate as validate

    for name in ("copub.cli.report_cmd", "copub.cli._common", "copub.classify.definitions",
                 "copub.indicators.trends", "copub.indicators.mobility"):  # fmt: skip
        importlib.import_module(name)
    calls = {"parse_institution_id": 0, "parse_year_range": 0}
    for name in calls:
        original = getattr(validate, name)

        def counted(*args: object, _original: object = original, _name: str = name,
                    **kwargs: object) -> object:  # fmt: skip
            calls[_name] += 1
            return _original(*args, **kwargs)  # type: ignore[operator]

        for module in list(sys.modules.values()):
            if getattr(module, "__name__", "").startswith("copub") and (
                getattr(module, name, None) is original
            ):
                monkeypatch.setattr(module, name, counted)
    out = tmp_path / "report"
    args = ["report", *SAMPLE_ARGS, "--bootstrap", "0", "--years", "2015-2024", "--out", str(out)]
    assert main(args) == 0
    # --institution (the option's own check, then the Definitions), --years likewise, and the
    # baseline and plan in the Definitions: each once at the edge, the other default once more.
    assert calls["parse_institution_id"] <= 3, calls
    assert calls["parse_year_range"] <= 6, calls
