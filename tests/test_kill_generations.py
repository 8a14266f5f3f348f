"""SIGKILL or SIGINT ``import`` and ``report --out`` at a moment hypothesis picks.

The moments lie in the write phase, from the first file written to the switch
into place and a little after: before it nothing has been written. Whatever
the moment, the tables in the data directory and the report directory are a
complete old generation or a complete new one: never a mix, never a
half-written file. The next writer clears what the killed one left.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import copub
from conftest import shared_path
from copub.cli import main
from copub.normalize.generations import GENERATIONS_DIR
from report_helpers import report_dir

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")

REPO = Path(__file__).resolve().parents[1]
SIGNALS = st.sampled_from([signal.SIGKILL, signal.SIGINT])


def _env(cache: Path) -> dict[str, str]:
    env = {**os.environ, "COPUB_CACHE_DIR": str(cache)}
    env["PYTHONPATH"] = os.pathsep.join([str(REPO / "src"), env.get("PYTHONPATH", "")])
    return env


def _kill_at(
    args: list[str], cache: Path, after: float, signum: int, *, once: Path | None = None
) -> int:
    """Signal the command ``after`` seconds after it starts (or after ``once`` glob-matches).

    ``once`` is a directory whose ``.*building-*`` entry marks the write phase,
    so that a kill can be aimed at the moments that matter most.
    """
    process = subprocess.Popen(
        [sys.executable, "-m", "copub", *args],
        env=_env(cache),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    if once is not None:
        deadline = time.monotonic() + 120
        while not list(once.glob(".*building-*")) and process.poll() is None:
            assert time.monotonic() < deadline, "the write phase never began"
            time.sleep(0.005)
    time.sleep(after)
    process.send_signal(signum)
    _, err = process.communicate(timeout=60)
    assert b"Traceback" not in err
    return process.returncode


def _write_phase(args: list[str], cache: Path, folder: Path) -> float:
    """Run the command to the end; how long its ``.*building-*`` entry in ``folder`` lived.

    The whole run's duration if the entry lived too briefly to be seen.
    """
    start = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "copub", *args],
        env=_env(cache),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    begun = ended = None
    while process.poll() is None:
        building = bool(list(folder.glob(".*building-*")))
        now = time.monotonic()
        if building and begun is None:
            begun = now
        if not building and begun is not None and ended is None:
            ended = now
        time.sleep(0.002)
    _, err = process.communicate()
    assert process.returncode == 0, err.decode()
    return (ended or time.monotonic()) - (begun or start)


def _shape(tables: copub.Tables) -> dict[str, int]:
    return {name: frame.height for name, frame in tables.frames().items()}


# ---- import -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def import_case(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    pages = sorted(shared_path("openalex").glob("works_*.json"))
    old = copub.read_works(pages[1:2])
    new = copub.read_works(pages)
    cache = tmp_path_factory.mktemp("cache")
    probe = tmp_path_factory.mktemp("probe")
    seconds = _write_phase(
        ["import", *map(str, pages), "--data-dir", str(probe)], cache, probe / GENERATIONS_DIR
    )
    return {"pages": pages, "old": old, "new": new, "seconds": seconds, "cache": cache}


@pytest.mark.slow
@given(fraction=st.floats(0.0, 1.2), signum=SIGNALS)
@settings(
    max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_import_killed_at_any_moment_leaves_old_or_new_tables(
    import_case: dict[str, object],
    tmp_path_factory: pytest.TempPathFactory,
    fraction: float,
    signum: int,
) -> None:
    """Killed at a moment of the table write (or just after it): the old tables or the new.

    The pages are read before anything is written, so the kills are spent on
    the write: from its first file to the switch of the generation (``fraction``
    1), and a little after.
    """
    old, new = import_case["old"], import_case["new"]
    assert isinstance(old, copub.Tables) and isinstance(new, copub.Tables)
    data_dir = tmp_path_factory.mktemp("import-kill")
    old.write(data_dir)
    pages = [str(p) for p in import_case["pages"]]  # type: ignore[attr-defined]
    seconds = float(import_case["seconds"])  # type: ignore[arg-type]
    code = _kill_at(
        ["import", *pages, "--data-dir", str(data_dir)],
        import_case["cache"],  # type: ignore[arg-type]
        fraction * seconds,
        signum,
        once=data_dir / GENERATIONS_DIR,
    )
    assert code in (0, 130, -signal.SIGKILL, -signal.SIGINT)
    tables = copub.load_tables(data_dir)
    assert _shape(tables) in (_shape(old), _shape(new))
    want = old if _shape(tables) == _shape(old) else new
    assert sorted(tables.works["work_id"]) == sorted(want.works["work_id"])
    assert set(tables.authorships["work_id"]) <= set(tables.works["work_id"])
    # The next writer clears whatever the killed one left beside the tables.
    new.write(data_dir)
    leftovers = [p.name for p in (data_dir / GENERATIONS_DIR).iterdir()]
    assert not [name for name in leftovers if name.startswith(".building-")]
    assert len(leftovers) <= 2


@pytest.mark.slow
def test_two_writers_at_once_never_mix(tmp_path: Path) -> None:
    pages = sorted(shared_path("openalex").glob("works_*.json"))
    cache = tmp_path / "cache"
    runs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "copub",
                "import",
                *map(str, chosen),
                "--data-dir",
                str(tmp_path / "data"),
                "--replace",
            ],
            env=_env(cache),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for chosen in (pages[:1], pages)
    ]
    errors = [run.communicate(timeout=120)[1].decode() for run in runs]
    codes = [run.returncode for run in runs]
    # Each either wrote its generation or was told another copub is writing.
    for code, err in zip(codes, errors, strict=True):
        assert "Traceback" not in err
        assert code == 0 or "another copub process is writing" in err, err
    tables = copub.load_tables(tmp_path / "data")
    heights = {copub.read_works(c).works.height for c in (pages[:1], pages)}
    assert tables.works.height in heights
    tables.check_keys()


# ---- report --out -----------------------------------------------------------------


_FLOAT = re.compile(rb"-?\d+\.\d+(?:[eE][-+]?\d+)?")
_SVG_DATA = re.compile(rb"data:image/svg\+xml;base64,[A-Za-z0-9+/=]+")
_SVG_DATE = re.compile(
    rb"<dc:date>[^<]*</dc:date>|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[.0-9]*(?:\+00:00|Z)?"
)
_SVG_ID = re.compile(rb"\b(?:url\(#|id=\"|href=\"#)[A-Za-z0-9_-]+")


def _round(match: re.Match[bytes]) -> bytes:
    return b"%.9g" % float(match.group(0))


def _digest(path: Path) -> str:
    """A digest that ignores what differs between two runs of the same report.

    Parallel sums differ in the last bits of a float, and matplotlib names SVG
    clip paths at random; SVGs and the HTML carry the time they were made;
    anything else that differs is a different report.
    """
    data = path.read_bytes()
    assert data, f"{path} is empty"
    if path.suffix == ".parquet":
        frame = pl.read_parquet(path)
        floats = [c for c, t in frame.schema.items() if t.is_float()]
        data = frame.with_columns(pl.col(floats).round(9)).write_json().encode()
    elif path.suffix in (".csv", ".json", ".html", ".svg", ".txt", ".md"):
        data = _SVG_DATA.sub(b"svg", data)  # inline SVGs carry their random ids in base64
        data = _SVG_DATE.sub(b"", _SVG_ID.sub(b"#id", _FLOAT.sub(_round, data)))
    return hashlib.sha256(data).hexdigest()


def _snapshot(folder: Path) -> dict[str, str]:
    """Every file's relative path and digest."""
    return {
        path.relative_to(folder).as_posix(): _digest(path)
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def report_case(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    # The run's shared cache: the sample is built once for every test that needs it.
    cache = Path(os.environ["COPUB_CACHE_DIR"])
    base = ["report", "--sample", "--scale", "0.01", "--bootstrap", "0", "--out"]
    # The old report is any complete one copub wrote that differs from the new one in every
    # file: the run's shared sample report (another seed, scale and register), built once.
    old = report_dir(tmp_path_factory.getbasetemp())
    new = tmp_path_factory.mktemp("new") / "report"
    # The new one by the real command, timing its write phase, where the kills aim.
    seconds = _write_phase([*base, str(new)], cache, new.parent)
    return {"old": old, "new": new, "seconds": seconds, "cache": cache, "base": base}


@pytest.mark.slow
@given(fraction=st.floats(0.0, 1.2), signum=SIGNALS)
@settings(
    max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_report_out_killed_at_any_moment_is_old_or_new(
    report_case: dict[str, object],
    tmp_path_factory: pytest.TempPathFactory,
    fraction: float,
    signum: int,
) -> None:
    """Killed at a moment of the write phase (or just after it): the old report or the new.

    Before the write phase nothing is written, so the kills are spent where the
    files change: from the first file of the new report to its switch into place
    (``fraction`` 1), and a little after.
    """
    old, new = Path(str(report_case["old"])), Path(str(report_case["new"]))
    out = tmp_path_factory.mktemp("report-kill") / "report"
    shutil.copytree(old, out)
    base = list(report_case["base"])  # type: ignore[call-overload]
    seconds = float(report_case["seconds"])  # type: ignore[arg-type]
    code = _kill_at(
        [*base, str(out)],
        report_case["cache"],  # type: ignore[arg-type]
        fraction * seconds,
        signum,
        once=out.parent,
    )
    assert code in (0, 130, -signal.SIGKILL, -signal.SIGINT)
    got, before, after = _snapshot(out), _snapshot(old), _snapshot(new)
    assert before != after
    assert got in (before, after), sorted(
        name
        for name in set(got) | set(after)
        if got.get(name) not in (before.get(name), after.get(name))
    )
    assert not list(out.parent.glob(".report.building-*")) or code != 0


def test_report_refuses_a_data_directory_and_its_tables(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pages = sorted(shared_path("openalex").glob("works_*.json"))
    copub.read_works(pages[:1]).write(tmp_path)
    before = (tmp_path / "tables" / "provenance.json").read_bytes()
    for target in (tmp_path / "tables", tmp_path):
        args = ["report", "--data-dir", str(tmp_path), "--types", "all", "--out", str(target)]
        assert main(args) == 2
        err = capsys.readouterr()
        assert err.out == ""  # refused before the table was printed
        assert err.err.count("\n") == 1 and "choose another directory" in err.err
    assert (tmp_path / "tables" / "provenance.json").read_bytes() == before
