"""``copub network`` and ``copub partners`` on hand-made tables; bad values exit 2."""

from __future__ import annotations

import contextlib
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from copub.cli import main
from networks_world import HOME, small_world, tables_from


@pytest.fixture()
def data_dir(tmp_path: Path) -> Path:
    tables_from(small_world(), tmp_path).write(tmp_path / "data")
    return tmp_path / "data"


def test_network_command_writes_vosviewer_files(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "net"
    code = main(
        [
            "network",
            "--data-dir",
            str(data_dir),
            "--institution",
            HOME,
            "--kind",
            "country",
            "--format",
            "vosviewer",
            "--format",
            "gexf",
            "--plot",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    printed = capsys.readouterr()
    names = {Path(line).name for line in printed.out.split()}
    assert {
        "country_network_map.txt",
        "country_network_network.txt",
        "country_network.json",
        "country_network.gexf",
        "country_network.png",
        "country_network.svg",
    } <= names
    assert "6 nodes" in printed.err
    assert (out / "country_network_map.txt").read_text().startswith("id\tlabel\t")


def test_network_top_and_cap(data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "net"
    code = main(
        [
            "network",
            "--data-dir",
            str(data_dir),
            "--institution",
            HOME,
            "--kind",
            "institution",
            "--top",
            "2",
            "--max-nodes-per-work",
            "none",
            "--format",
            "gephi",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    nodes = pl.read_csv(out / "institution_network_nodes.csv")
    assert sorted(nodes["Id"]) == sorted([HOME, "I2", "I3"])


def test_partners_command(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base = ["partners", "--data-dir", str(data_dir), "--institution", HOME]
    assert main([*base, "--format", "csv"]) == 0
    table = pl.read_csv(io.StringIO(capsys.readouterr().out))
    assert table["partner_id"].to_list()[:2] == ["US", "SE"]
    assert "works_2019" in table.columns
    assert main([*base, "--kind", "institution", "--format", "json", "--top", "2"]) == 0
    assert [r["partner_id"] for r in json.loads(capsys.readouterr().out)["tables"]["partners"]] == [
        "I3",
        "I2",
    ]
    assert main([*base, "--format", "markdown"]) == 0
    assert "| rank" in capsys.readouterr().out
    assert main(base) == 0
    assert "United States" in capsys.readouterr().out
    assert main([*base, "--group", "priority", "--format", "csv"]) == 0
    priority = pl.read_csv(io.StringIO(capsys.readouterr().out))
    assert sorted(priority["partner_id"]) == ["BR", "CN", "US"]


@pytest.mark.parametrize(
    "extra",
    [
        ["network", "--kind", "journal", "--out", "x"],
        ["network", "--format", "csv", "--out", "x"],
        ["network", "--counting", "half", "--out", "x"],
        ["network", "--top", "0", "--out", "x"],
        ["network", "--max-nodes-per-work", "1", "--out", "x"],
        ["network", "--years", "2025-2012", "--out", "x"],
        ["network"],
        ["partners", "--kind", "author"],
        ["partners", "--format", "xml"],
        ["partners", "--baseline", "2020-2023"],
        ["partners", "--institution", "NTNU"],
        ["partners", "--group", "nope"],
    ],
)
def test_bad_values_exit_2(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str]
) -> None:
    args = [*extra, "--data-dir", str(data_dir)]
    if "--institution" not in extra:
        args += ["--institution", HOME]
    code = main(args)
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("copub: error:") and "Traceback" not in err


def test_on_the_sample(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sample = ["--sample", "--scale", "0.01"]
    out = tmp_path / "net"
    assert (
        main(["network", *sample, "--kind", "country", "--format", "vosviewer", "--out", str(out)])
        == 0
    )
    header = (out / "country_network_map.txt").read_text().splitlines()[0].split("\t")
    assert header[:7] == ["id", "label", "description", "url", "x", "y", "cluster"]
    assert "SYNTHETIC" in (out / "country_network_about.txt").read_text()
    capsys.readouterr()
    assert main(["partners", *sample, "--group", "priority", "--format", "csv", "--top", "50"]) == 0
    table = pl.read_csv(io.StringIO(capsys.readouterr().out))
    assert {"US", "CN", "JP"} <= set(table["partner_id"])
    assert table["baseline_share"].is_not_null().all()


@pytest.mark.parametrize(
    ("value", "reason"),
    [("x", "'x' is not a whole number, 'none' or 'auto'"), ("1", "1 is too small")],
)
def test_max_nodes_per_work_errors_name_the_option(
    capsys: pytest.CaptureFixture[str], value: str, reason: str
) -> None:
    capsys.readouterr()
    code = main(["network", "--sample", "--max-nodes-per-work", value, "--out", "x"])
    err = capsys.readouterr().err
    assert code == 2
    assert f"argument --max-nodes-per-work: {reason}" in err
    assert "_cap" not in err and len(err.strip().splitlines()) == 1


def test_a_network_past_the_link_limit_is_refused_unless_forced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from copub.networks import build

    # The sample at this scale is small: lower the limit instead of building 62 million links.
    monkeypatch.setattr(build, "MAX_LINKS", 1_000)
    args = ["network", "--sample", "--scale", "0.01", "--kind", "author"]
    capsys.readouterr()
    code = main([*args, "--max-nodes-per-work", "none", "--out", str(tmp_path / "a")])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert err[-1].startswith("copub: error: the author network could have up to ")
    assert "more than the 1,000" in err[-1] and "--force" in err[-1]
    assert not (tmp_path / "a").exists()
    forced = [*args, "--max-nodes-per-work", "none", "--force", "--format", "pajek"]
    assert main([*forced, "--out", str(tmp_path / "b")]) == 0
    assert (tmp_path / "b" / "author_network.net").stat().st_size > 0


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize(
    ("fmt", "name"),
    [("gephi", "country_network_nodes.csv"), ("gexf", "country_network.gexf"),
     ("html", "country_network.html")],
)  # fmt: skip
def test_a_full_disk_says_what_where_and_what_to_do(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    fmt: str,
    name: str,
) -> None:
    from copub.cli import network_cmd

    out = tmp_path / "net"
    real = network_cmd.building

    @contextlib.contextmanager
    def planted(target: Path, **options: Any) -> Iterator[Path]:
        with real(target, **options) as folder:
            # /dev/full fails every write with ENOSPC, as a full disk does.
            (folder / name).symlink_to("/dev/full")
            yield folder

    monkeypatch.setattr(network_cmd, "building", planted)
    capsys.readouterr()
    code = main(["network", "--sample", "--scale", "0.01", "--format", fmt, "--out", str(out)])
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert code == 1
    assert err.startswith(f"copub: error: cannot write the {fmt} file")
    assert f"into {out}: " in err and "No space left on device" in err
    assert err.endswith("free some space or choose another --out")
    assert not out.exists() and not list(tmp_path.iterdir())  # nothing half-written is left
