"""One sample everywhere: the synthetic world depends on its seed and scale only.

The partner-country calibration is packaged data (an extract of V. Batagelj's
``norway_country_pairs_1990_2023.csv``); nothing beside the checkout or the
working directory changes it.
"""

from __future__ import annotations

import csv
import hashlib
import os
import subprocess
import sys
from pathlib import Path

from conftest import shared_path
from copub.sample.calibration import CALIBRATION_FILE, packaged_shares, partner_mix
from copub.sample.world import YEARS

SRC = Path(__file__).resolve().parents[1] / "src"


def _digest(folder: Path) -> dict[str, str]:
    """sha256 of every file written; README.txt names its own folder, which is left out."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(
            p.read_bytes().replace(str(folder).encode(), b"OUT")
        ).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _write_sample(cwd: Path, base: Path, env_extra: dict[str, str]) -> dict[str, str]:
    out = cwd / "sample"
    env = {k: v for k, v in os.environ.items() if k != "COPUB_SHARED_DIR"}
    env |= {
        "PYTHONPATH": str(SRC),
        "COPUB_CACHE_DIR": str(base / "cache"),
        "COPUB_DATA_DIR": str(base / "data"),
        **env_extra,
    }
    subprocess.run(
        [sys.executable, "-m", "copub", "sample", "--out", str(out), "--seed", "1",
         "--scale", "0.002"],
        cwd=cwd, env=env, check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    return _digest(out)


def _fake_shared(root: Path) -> Path:
    """A ``shared/`` folder with a calibration table unlike the real one (all US)."""
    reference = root / "shared" / "data" / "reference"
    reference.mkdir(parents=True)
    lines = ["year,country_a,country_b,n_works,no_total,share_of_no_works"]
    lines += [f"{y},NO,US,500,1000,0.5" for y in range(1990, 2024)]
    lines += [f"{y},NO,SE,10,1000,0.01" for y in range(1990, 2024)]
    (reference / CALIBRATION_FILE).write_text("\n".join(lines) + "\n")
    return root / "shared"


def test_the_sample_is_the_same_with_a_shared_folder_beside_it(tmp_path: Path) -> None:
    plain = tmp_path / "plain" / "work"
    plain.mkdir(parents=True)
    beside = tmp_path / "beside" / "work"
    beside.mkdir(parents=True)
    shared = _fake_shared(tmp_path / "beside")
    first = _write_sample(plain, tmp_path / "plain", {})
    second = _write_sample(beside, tmp_path / "beside", {"COPUB_SHARED_DIR": str(shared)})
    assert first and any(name.endswith(".json") for name in first)
    assert first == second


def test_packaged_facts_are_the_source_file_s_rows() -> None:
    """Every packaged row is the source table's row, its share rounded to 4 decimals (facts with
    their source named, not a copy of the file; CI has the file)."""
    source = shared_path("reference", CALIBRATION_FILE)
    with source.open(newline="") as handle:
        published = {
            (int(r["year"]), r["country_b"]): float(r["share_of_no_works"])
            for r in csv.DictReader(handle)
            if r["country_a"] == "NO"
        }
    packaged = packaged_shares()
    assert packaged.height > 800
    for year, country, share in packaged.iter_rows():
        assert share == round(published[(year, country)], 4), (year, country)
    # the packaged rows are every source row of those countries in those years
    countries = set(packaged["country_b"].to_list())
    expected = {k for k in published if k[1] in countries and 2012 <= k[0] <= 2023}
    assert expected == set(packaged.select("year", "country_b").iter_rows())


def test_the_mix_names_its_source() -> None:
    mix = partner_mix(YEARS)
    assert "Batagelj" in mix.source and CALIBRATION_FILE in mix.source
