"""The sample's pure results (yearly table, impact, points, windows, partners) cached on disk.

A warm report must show exactly what a cold one shows, and any change of a
definition, the seed, the resamples or copub's source must compute again.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from polars.testing import assert_frame_equal

import copub
from copub.analyses.contract import AnalysisInputs
from copub.analyses.impact import section as impact_section
from copub.analyses.points import compute as points_compute
from copub.classify.definitions import Definitions
from copub.indicators import label_cache
from copub.normalize import Tables
from copub.progress import Progress
from copub.report import build as report_build
from copub.report.build import build_report
from copub.report.data import ReportData
from copub.report.options import ReportOptions
from copub.report.plots import FigureFile
from copub.report.terminal import render_terminal
from copub.sample import sample_register_path
from copub.sample.author_histories import load_sample_authors
from copub.settings import Settings

SEED, SCALE = 1, 0.002


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("result-cache")


@pytest.fixture
def sample(cache: Path) -> Tables:
    return copub.load_sample(seed=SEED, scale=SCALE, settings=Settings(cache_dir=cache))


@pytest.fixture
def computed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The name of each result really computed (not read from the cache)."""
    runs: list[str] = []
    for module, name in [
        (report_build, "yearly_indicators"),
        (report_build, "window_indicators"),
        (report_build, "partner_table"),
        (impact_section, "impact_indicators"),
        (points_compute, "_per_work"),
    ]:
        real = getattr(module, name)

        def counted(*args: object, _real: object = real, _name: str = name, **kw: object) -> object:
            runs.append(_name)
            return _real(*args, **kw)  # type: ignore[operator]

        monkeypatch.setattr(module, name, counted)
    return runs


def _definitions(cache: Path, **changes: object) -> Definitions:
    register = copub.load_register(
        sample_register_path(SEED, SCALE, settings=Settings(cache_dir=cache))
    )
    return Definitions(register=register, bootstrap=40).with_(**changes)


def _report(tables: Tables, definitions: Definitions, cache: Path) -> ReportData:
    authors = load_sample_authors(SEED, SCALE, settings=Settings(cache_dir=cache))
    inputs = AnalysisInputs(tables, authors=authors)
    return build_report(
        tables, ReportOptions(definitions), scope="files", progress=Progress.silent(),
        inputs=inputs,
    )  # fmt: skip


def _assert_same(a: ReportData, b: ReportData) -> None:
    assert render_terminal(a, unicode=True) == render_terminal(b, unicode=True)
    tables_a, tables_b = a.tables(), b.tables()
    assert list(tables_a) == list(tables_b)
    for name, frame in tables_a.items():
        assert_frame_equal(frame, tables_b[name], check_exact=True)
        assert frame.schema == tables_b[name].schema, name


def _entries(cache: Path) -> set[str]:
    return {p.name for p in (cache / label_cache.RESULTS_DIR).glob("*.tables")}


def test_a_warm_report_shows_exactly_what_a_cold_one_does(
    sample: Tables, cache: Path, computed: list[str]
) -> None:
    definitions = _definitions(cache)
    cold = _report(sample, definitions, cache)
    names = {"yearly_indicators", "window_indicators", "partner_table", "impact_indicators",
             "_per_work"}  # fmt: skip
    assert set(computed) == names
    computed.clear()
    warm = _report(copub.load_sample(seed=SEED, scale=SCALE, settings=Settings(cache_dir=cache)),
                   definitions, cache)  # fmt: skip
    assert computed == []  # every result read back, in a new load of the same world
    _assert_same(cold, warm)
    assert cold.partner_map and warm.partner_map == cold.partner_map
    # The same as tables nobody fingerprinted (computed afresh, never cached).
    fresh = _report(sample.with_(), definitions, cache)
    assert set(computed) == names
    _assert_same(cold, fresh)
    assert fresh.partner_map == cold.partner_map


@pytest.mark.parametrize(
    "changes",
    [{"seed": 7}, {"bootstrap": 30}, {"full_interval": "bootstrap"}, {"baseline": (2016, 2019)}],
)
def test_a_changed_definition_computes_a_new_result(
    sample: Tables, cache: Path, computed: list[str], changes: dict[str, object]
) -> None:
    base = _definitions(cache)
    before = _report(sample, base, cache)
    computed.clear()
    changed = _report(sample, base.with_(**changes), cache)
    assert "yearly_indicators" in computed and "impact_indicators" in computed
    assert not changed.yearly.equals(before.yearly) or not changed.comparison.equals(
        before.comparison
    )


def test_an_edited_copub_source_computes_again(
    sample: Tables, cache: Path, computed: list[str], monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:  # fmt: skip
    definitions = _definitions(cache, seed=11)
    _report(sample, definitions, cache)
    computed.clear()
    source = tmp_path / "copub"
    (source / "indicators").mkdir(parents=True)
    (source / "indicators" / "shares.py").write_text("# other shares\n")
    monkeypatch.setattr(label_cache, "_SOURCE", source)
    _report(sample, definitions, cache)
    assert "yearly_indicators" in computed and "_per_work" in computed


def test_a_damaged_entry_is_computed_again(sample: Tables, cache: Path) -> None:
    definitions = _definitions(cache, seed=12)
    first = _report(sample, definitions, cache)
    for path in (cache / label_cache.RESULTS_DIR).glob("*.tables"):
        path.write_bytes(path.read_bytes()[:40])
    _assert_same(first, _report(sample, definitions, cache))


def test_cached_results_of_unknown_tables_are_computed_every_time(cache: Path) -> None:
    runs: list[int] = []

    def compute() -> dict[str, pl.DataFrame]:
        runs.append(1)
        return {"t": pl.DataFrame({"x": [1.5, float("nan")]})}

    for _ in range(2):
        label_cache.cached_results(Tables.empty(), Definitions(), "demo", compute)
    assert len(runs) == 2


def test_a_cached_folder_is_written_once_and_read_whole(sample: Tables, cache: Path) -> None:
    writes: list[Path] = []

    def write(out: Path) -> None:
        writes.append(out)
        (out / "a.csv").write_text("x\n1\n")

    first = label_cache.cached_folder(sample, "demo", write, extra=1)
    again = label_cache.cached_folder(sample, "demo", write, extra=1)
    other = label_cache.cached_folder(sample, "demo", write, extra=2)
    assert first is not None and first == again and other != first
    assert len(writes) == 2 and (first / "a.csv").read_text() == "x\n1\n"
    assert label_cache.cached_folder(sample.with_(), "demo", write) is None


def test_the_workbook_is_kept_by_content_and_copied_byte_for_byte(
    sample: Tables, cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from copub.report import workbook

    data = _report(sample, _definitions(cache, seed=13), cache)
    assert data.known is not None
    written: list[Path] = []
    real = workbook._write_book

    def counted(data: ReportData, target: Path) -> Path:
        written.append(target)
        return real(data, target)

    monkeypatch.setattr(workbook, "_write_book", counted)
    workbook.write_workbook(data, tmp_path / "cold.xlsx")
    workbook.write_workbook(data, tmp_path / "warm.xlsx")
    assert len(written) == 1
    workbook.write_workbook(dataclasses.replace(data, known=None), tmp_path / "plain.xlsx")
    assert len(written) == 2  # unknown tables: written every time
    cold = (tmp_path / "cold.xlsx").read_bytes()
    assert cold == (tmp_path / "warm.xlsx").read_bytes() == (tmp_path / "plain.xlsx").read_bytes()
    # Another value in a sheet is another workbook.
    changed = dataclasses.replace(data, yearly=data.yearly.with_columns(pl.col("works") + 1))
    workbook.write_workbook(changed, tmp_path / "changed.xlsx")
    assert len(written) == 3 and (tmp_path / "changed.xlsx").read_bytes() != cold


# ---- figures (copub.report.figure_cache) ----

_STAMP = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:\+00:00|Z)?")


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The stem of every figure file matplotlib really writes."""
    from matplotlib.figure import Figure

    saves: list[str] = []
    real = Figure.savefig

    def counted(self: Figure, fname: object, *args: object, **kw: object) -> None:
        saves.append(Path(str(fname)).stem)
        real(self, fname, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(Figure, "savefig", counted)
    return saves


def _figures(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((folder / "figures").iterdir())}


def _entries_of_figures(cache: Path) -> set[str]:
    return {p.name for p in (cache / label_cache.RESULTS_DIR).glob("*.figure")}


def test_figures_from_the_cache_equal_freshly_drawn_ones(
    sample: Tables, cache: Path, tmp_path: Path, drawn: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from copub.report.files import write_report

    definitions = _definitions(cache, seed=21)
    data = _report(sample, definitions, cache)
    assert data.known is not None
    write_report(data, tmp_path / "cold", progress=Progress.silent())
    cold = _figures(tmp_path / "cold")
    assert {Path(name).stem for name in cold} <= set(drawn)
    assert {"international_share.png", "partner_network.svg", "impact_top10.png"} <= set(cold)
    drawn.clear()
    # A warm report of a new load of the same world: no figure drawn, no network built.
    builds: list[int] = []
    real_prepare = report_build.prepare_network

    def counted_prepare(*args: Any, **kwargs: Any) -> Any:
        builds.append(1)
        return real_prepare(*args, **kwargs)

    monkeypatch.setattr(report_build, "prepare_network", counted_prepare)
    again = copub.load_sample(seed=SEED, scale=SCALE, settings=Settings(cache_dir=cache))
    write_report(_report(again, definitions, cache), tmp_path / "warm", progress=Progress.silent())
    assert drawn == [] and builds == []  # every figure (and the map) copied from the cache
    write_report(
        dataclasses.replace(data, known=None), tmp_path / "plain", progress=Progress.silent()
    )
    assert {Path(name).stem for name in cold} <= set(drawn)  # unknown tables: drawn again
    # Byte for byte the same files, and the same report but for its own time stamps.
    assert _figures(tmp_path / "warm") == cold == _figures(tmp_path / "plain")
    html = {run: _STAMP.sub(b"T", (tmp_path / run / "report.html").read_bytes())
            for run in ("cold", "warm", "plain")}  # fmt: skip
    assert html["cold"] == html["warm"] == html["plain"]
    # The copies still say on their face that the data are synthetic.
    for name, blob in cold.items():
        assert b"SYNTHETIC" in blob, name


def _probe(calls: list[str]) -> Callable[[Path], FigureFile]:
    """A figure drawn in no time (each call counted): the keying is what is tested here;
    the real figures' bytes are by the test above."""

    def draw(folder: Path) -> FigureFile:
        calls.append(folder.name)
        folder.mkdir(parents=True, exist_ok=True)
        png, svg = folder / "probe.png", folder / "probe.svg"
        png.write_bytes(b"png of the probe")
        svg.write_bytes(b"<svg>the probe</svg>")
        return FigureFile("probe", "Probe", "A probe figure.", png, svg)

    return draw


def test_a_change_in_what_a_figure_shows_draws_it_again(
    sample: Tables, cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from copub.report.figure_cache import kept_figure

    data = _report(sample, _definitions(cache, seed=22), cache)
    calls: list[str] = []

    def keep(report: ReportData, folder: str, depends: str = "") -> FigureFile | None:
        return kept_figure(report, tmp_path / folder, "probe", _probe(calls), depends=depends)

    first = keep(data, "first")
    kept = keep(data, "kept")
    assert calls == ["first"]  # the second one copied
    assert first is not None and kept is not None
    assert (kept.title, kept.caption) == (first.title, first.caption)
    assert kept.png.read_bytes() == first.png.read_bytes()
    assert kept.svg.read_bytes() == first.svg.read_bytes()
    # Another value in the yearly table.
    halved = data.yearly.with_columns(pl.col("intl_share") / 2)
    keep(dataclasses.replace(data, yearly=halved), "changed")
    # Another definition (the baseline).
    rebased = _report(sample, _definitions(cache, seed=22, baseline=(2016, 2019)), cache)
    keep(rebased, "rebased")
    # Another text the figure is drawn from (an analysis's presented words).
    keep(data, "worded", depends="another caption")
    # Edited copub source.
    source = tmp_path / "copub"
    (source / "report").mkdir(parents=True)
    (source / "report" / "plots.py").write_text("# other figures\n")
    monkeypatch.setattr(label_cache, "_SOURCE", source)
    keep(data, "edited")
    assert calls == ["first", "changed", "rebased", "worded", "edited"]


def test_a_damaged_figure_entry_is_drawn_again(sample: Tables, cache: Path, tmp_path: Path) -> None:
    from copub.report.figure_cache import kept_figure

    data = _report(sample, _definitions(cache, seed=23), cache)
    calls: list[str] = []
    before = _entries_of_figures(cache)
    first = kept_figure(data, tmp_path / "first", "probe", _probe(calls))
    (entry,) = _entries_of_figures(cache) - before
    path = cache / label_cache.RESULTS_DIR / entry
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) // 2])  # a cut entry
    again = kept_figure(data, tmp_path / "again", "probe", _probe(calls))
    assert calls == ["first", "again"]
    assert first is not None and again is not None
    assert (again.caption, again.png.read_bytes()) == (first.caption, first.png.read_bytes())
    assert path.read_bytes() == whole  # kept whole again
