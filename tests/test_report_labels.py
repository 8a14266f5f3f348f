"""Labels that travel: the sample stays SYNTHETIC through `sample` → `import` → every output,
a real import never says it, and every CSV and the workbook open with default readers."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pandas as pd
import polars as pl
import pytest
from PIL import Image

from conftest import shared_path
from copub.cli import main
from report_helpers import SCALE, SEED

MARK = "SYNTHETIC"
TABLES = (
    "yearly",
    "windows",
    "period_comparison",
    "goals",
    "partners",
    "partner_institutions",
    "data_quality",
    "definitions",
    "partner_groups",
    "impact",
    "impact_difference",
    "impact_overall",
)
#: The imported sample's report has the sample's register, so it has publication points;
#: the real pages' report has no register, and its points section says so (no tables).
POINTS = ("points_by_year", "points_per_work")


@dataclass(frozen=True)
class Outputs:
    """Everything the commands printed and wrote for one data directory."""

    streams: dict[str, str]
    report: Path
    network: Path


def _run(args: list[str]) -> tuple[str, str]:
    """Run the command line in-process; return (stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(args)
    assert code == 0, err.getvalue()
    return out.getvalue(), err.getvalue()


def _outputs(
    data_dir: Path, base: Path, extra: list[str], report_extra: list[str] | None = None
) -> Outputs:
    streams: dict[str, str] = {}
    source = ["--data-dir", str(data_dir), *extra]
    reporting = [*source, *(report_extra or [])]
    for fmt in ("table", "csv", "json", "markdown"):
        out, err = _run(["report", *reporting, "--bootstrap", "0", "--format", fmt])
        streams[f"report {fmt} stdout"], streams[f"report {fmt} stderr"] = out, err
    report = base / "report"
    out, err = _run(["report", *reporting, "--bootstrap", "20", "--out", str(report)])
    streams["report --out stdout"], streams["report --out stderr"] = out, err
    for fmt in ("table", "csv", "json", "markdown"):
        out, err = _run(["partners", *source, "--format", fmt])
        streams[f"partners {fmt} stdout"], streams[f"partners {fmt} stderr"] = out, err
    network = base / "network"
    formats = [
        x for f in ("gexf", "graphml", "vosviewer", "gephi", "pajek") for x in ("--format", f)
    ]
    out, err = _run(
        ["network", *source, "--kind", "country", *formats, "--plot", "--out", str(network)]
    )
    streams["network stdout"], streams["network stderr"] = out, err
    return Outputs(streams, report, network)


@pytest.fixture(scope="module")
def imported_sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """`sample --out D`, then `import D/pages/*.json --data-dir X`: (D, X)."""
    base = tmp_path_factory.mktemp("imported-sample")
    sample_dir, data_dir = base / "sample", base / "data"
    assert (
        main(["sample", "--out", str(sample_dir), "--seed", str(SEED), "--scale", str(SCALE)]) == 0
    )
    pages = sorted(str(p) for p in (sample_dir / "pages").glob("*.json"))
    assert pages and main(["import", *pages, "--data-dir", str(data_dir)]) == 0
    return sample_dir, data_dir


@pytest.fixture(scope="module")
def synthetic_outputs(
    imported_sample: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory
) -> Outputs:
    sample_dir, data_dir = imported_sample
    return _outputs(
        data_dir,
        tmp_path_factory.mktemp("synthetic-out"),
        [],
        ["--register", str(sample_dir / "channel_register.csv")],
    )


@pytest.fixture(scope="module")
def real_outputs(tmp_path_factory: pytest.TempPathFactory) -> Outputs:
    pages = sorted(str(p) for p in shared_path("openalex").glob("*.json"))
    base = tmp_path_factory.mktemp("real-out")
    assert main(["import", *pages, "--data-dir", str(base / "data")]) == 0
    # The institution with most works in the five real pages (6 works, every year it has).
    return _outputs(base / "data", base, ["--institution", "I94402716", "--types", "all"])


def _file_text(path: Path) -> str:
    """What a reader of the file sees as text: metadata of images, sheets of a workbook."""
    if path.suffix == ".png":
        with Image.open(path) as image:
            return " ".join(str(v) for v in image.info.values())
    if path.suffix == ".parquet":
        return json.dumps(pl.read_parquet_metadata(path))
    if path.suffix == ".xlsx":
        book = openpyxl.load_workbook(path, read_only=True)
        return " ".join(
            str(cell) for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row
        )
    return path.read_text(encoding="utf-8")


def _files(outputs: Outputs) -> list[Path]:
    return sorted(
        p for root in (outputs.report, outputs.network) for p in root.rglob("*") if p.is_file()
    )


def test_import_of_the_sample_is_marked_synthetic(imported_sample: tuple[Path, Path]) -> None:
    import copub

    _, data_dir = imported_sample
    tables = copub.load_tables(data_dir)
    assert tables.provenance.synthetic is True and tables.provenance.source == "import"
    assert tables.provenance.counts["synthetic_works"] == tables.works.height > 0


def test_every_stream_and_file_from_the_imported_sample_says_synthetic(
    synthetic_outputs: Outputs,
) -> None:
    for name, text in synthetic_outputs.streams.items():
        if name.endswith("stdout") and name.startswith("network"):
            continue  # the network command prints only the paths it wrote
        assert MARK in text, name
    files = _files(synthetic_outputs)
    assert len(files) > 40
    silent = [p.name for p in files if MARK not in _file_text(p)]
    # VOSviewer's network file is bare "id id strength" lines with no place for a note;
    # its map file and JSON beside it, and _about.txt, say SYNTHETIC.
    assert silent == ["country_network_network.txt"]
    header = json.loads((synthetic_outputs.report / "provenance.json").read_text())
    assert header["synthetic"] is True
    page = (synthetic_outputs.report / "report.html").read_text(encoding="utf-8")
    assert 'class="banner"' in page and "@top-center" in page
    assert "data: synthetic sample" in page


def test_a_real_import_never_says_synthetic(real_outputs: Outputs) -> None:
    for name, text in real_outputs.streams.items():
        assert MARK not in text, name
    files = _files(real_outputs)
    assert len(files) > 40
    marked = [p.name for p in files if MARK in _file_text(p)]
    assert marked == []
    header = json.loads((real_outputs.report / "provenance.json").read_text())
    assert header["synthetic"] is False
    yearly = pl.read_csv(real_outputs.report / "tables" / "yearly.csv")
    assert "synthetic" not in yearly.columns


def _documented_columns(report: Path, name: str, synthetic: bool) -> list[str]:
    """The columns tables/README.txt documents for ``name``.csv."""
    readme = (report / "tables" / "README.txt").read_text(encoding="utf-8")
    line = next(x for x in readme.splitlines() if x.startswith(f"{name}.csv "))
    columns = line.split(": ", 1)[1].split(", ")
    parquet = pl.read_parquet(report / "tables" / f"{name}.parquet").columns
    assert columns == [*parquet, *(["synthetic"] if synthetic else [])]
    return columns


def _check_csv(text: str, columns: list[str]) -> None:
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == columns and all(len(r) == len(columns) for r in rows)
    assert not rows[0][0].startswith("#")
    frame = pl.read_csv(io.StringIO(text))
    assert frame.columns == columns and frame.height == len(rows) - 1
    pandas = pd.read_csv(io.StringIO(text))
    assert list(pandas.columns) == columns and len(pandas) == len(rows) - 1


@pytest.mark.parametrize(
    ("which", "name"),
    [(which, name) for which in ("synthetic", "real") for name in TABLES]
    + [("synthetic", name) for name in POINTS],
)
def test_every_out_csv_opens_with_default_readers(
    request: pytest.FixtureRequest, which: str, name: str
) -> None:
    outputs: Outputs = request.getfixturevalue(f"{which}_outputs")
    columns = _documented_columns(outputs.report, name, which == "synthetic")
    text = (outputs.report / "tables" / f"{name}.csv").read_bytes().decode("utf-8")
    _check_csv(text, columns)
    assert text.endswith("\r\n")  # RFC 4180 line ends


@pytest.mark.parametrize("which", ["synthetic", "real"])
def test_stdout_csv_is_plain_with_the_yearly_columns(
    request: pytest.FixtureRequest, which: str
) -> None:
    outputs: Outputs = request.getfixturevalue(f"{which}_outputs")
    text = outputs.streams["report csv stdout"]
    columns = _documented_columns(outputs.report, "yearly", which == "synthetic")
    _check_csv(text, columns)
    assert "copub yearly indicators" in outputs.streams["report csv stderr"]
    partners = outputs.streams["partners csv stdout"]
    header = next(csv.reader(io.StringIO(partners)))
    assert header[:3] == ["rank", "partner_id", "label"]
    assert (header[-1] == "synthetic") is (which == "synthetic")
    assert pd.read_csv(io.StringIO(partners)).shape == pl.read_csv(io.StringIO(partners)).shape


def test_workbook_has_every_sheet_and_the_mark(synthetic_outputs: Outputs) -> None:
    path = synthetic_outputs.report / "report.xlsx"
    assert zipfile.is_zipfile(path)
    book = openpyxl.load_workbook(path, read_only=True)
    assert book.sheetnames == ["About", *TABLES, *POINTS]
    about = list(book["About"].iter_rows(values_only=True))
    assert about[0][0] == "SYNTHETIC SAMPLE DATA: not real publications"
    for name in (*TABLES, *POINTS):
        rows = list(book[name].iter_rows(values_only=True))
        parquet = pl.read_parquet(synthetic_outputs.report / "tables" / f"{name}.parquet")
        assert list(rows[0]) == [*parquet.columns, "synthetic"]
        assert len(rows) - 1 == parquet.height
        assert {r[-1] for r in rows[1:]} == {"SYNTHETIC SAMPLE DATA: not real publications"}
    yearly = list(book["yearly"].iter_rows(values_only=True))
    expected = pl.read_parquet(synthetic_outputs.report / "tables" / "yearly.parquet")
    column = yearly[0].index("intl_share")
    assert [r[column] for r in yearly[1:]] == pytest.approx(expected["intl_share"].to_list())


def test_real_workbook_has_no_mark(real_outputs: Outputs) -> None:
    book = openpyxl.load_workbook(real_outputs.report / "report.xlsx", read_only=True)
    assert book.sheetnames == ["About", *TABLES]
    assert next(book["yearly"].iter_rows(values_only=True))[-1] != "synthetic"
    about = [row[:2] for row in book["About"].iter_rows(values_only=True)]
    assert str(about[0][0]).startswith("copub report: ")  # no warning above the title
    assert ("Data", "real records (import)") in about


def test_network_exports_say_synthetic_inside_and_about_lists_every_file(
    synthetic_outputs: Outputs,
) -> None:
    import networkx as nx

    folder = synthetic_outputs.network
    about = (folder / "country_network_about.txt").read_text(encoding="utf-8")
    written = [Path(p).name for p in synthetic_outputs.streams["network stdout"].split()]
    listed = about.split("files: ", 1)[1].strip().split(", ")
    assert sorted(listed) == sorted(n for n in written if n != "country_network_about.txt")
    for name in ("country_network.gexf", "country_network.net", "country_network_map.txt",
                 "country_network.json", "country_network_nodes.csv",
                 "country_network.png"):  # fmt: skip
        assert name in listed
    gexf = nx.read_gexf(folder / "country_network.gexf")
    assert gexf.number_of_nodes() > 5
    assert "SYNTHETIC" in (folder / "country_network.gexf").read_text()[:1000]
    assert nx.read_graphml(folder / "country_network.graphml").graph["synthetic"] is True
    pajek = nx.read_pajek(folder / "country_network.net")
    assert pajek.number_of_nodes() == gexf.number_of_nodes()
    nodes = pl.read_csv(folder / "country_network_nodes.csv")
    assert set(nodes["synthetic"]) == {"SYNTHETIC sample data (not real publications)"}
