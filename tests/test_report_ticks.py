"""Axis labels that do not lie: every numeric tick label of every figure is its tick's value.

A percentage axis labelled 0, 2, 5, 8, 10, 12, 15, 18% on gridlines 2.5 apart
read "12%" at 12.5%. Each figure is drawn and every tick position compared
with its label, parsed in plain Python.
"""

from __future__ import annotations

import re

import pytest
from matplotlib.axis import Axis
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

import copub
from copub.analyses.impact.plot import impact_figure
from copub.analyses.impact.section import build_impact_section
from copub.progress import Progress
from copub.render.figures import percent_formatter
from copub.report import ReportOptions, build_report
from copub.report.plots import trend_figures
from report_helpers import SCALE, SEED, sample_register, sample_tables

_NUMBER = re.compile(r"^[−-]?\d+(?:\.\d+)?%?$")


def _checked_labels(axis: Axis) -> list[tuple[float, str]]:
    """(position, label) of every numeric major tick label inside the axis' view."""
    low, high = sorted(axis.get_view_interval())
    out = []
    for tick in axis.get_major_ticks():
        label = tick.label1.get_text()
        position = float(tick.get_loc())
        if label and _NUMBER.match(label) and low - 1e-12 <= position <= high + 1e-12:
            out.append((position, label))
    return out


def _label_value(label: str) -> float:
    text = label.replace("−", "-")
    return float(text[:-1]) / 100 if text.endswith("%") else float(text)


def _assert_ticks_true(figure: Figure, name: str) -> int:
    FigureCanvasAgg(figure).draw()  # type: ignore[no-untyped-call]
    percent_axes = 0
    for ax in figure.axes:
        if not ax.get_visible():
            continue
        for axis in (ax.xaxis, ax.yaxis):
            pairs = _checked_labels(axis)
            if any(label.endswith("%") for _, label in pairs):
                percent_axes += 1
            for position, label in pairs:
                assert _label_value(label) == pytest.approx(position, abs=1e-12), (
                    name, label, position,
                )  # fmt: skip
    return percent_axes


@pytest.fixture(scope="module")
def data():  # type: ignore[no-untyped-def]
    options = ReportOptions(bootstrap=20, register=sample_register())
    return build_report(sample_tables(), options, scope="table", progress=Progress.silent())


def test_every_trend_and_impact_figure_labels_its_ticks_exactly(data) -> None:  # type: ignore[no-untyped-def]
    figures = [(t.name, t.figure) for t in trend_figures(data)]
    section = build_impact_section(sample_tables(), copub.Definitions(bootstrap=20))
    figures.append(("impact_top10", impact_figure(section)))
    names = {name for name, _ in figures}
    assert {"priority_countries", "impact_top10", "international_share"} <= names
    for name, figure in figures:
        assert _assert_ticks_true(figure, name) >= 1, f"{name} has no percentage axis"


def test_priority_panels_with_quarter_steps_say_so(data) -> None:  # type: ignore[no-untyped-def]
    """A panel whose gridlines are 2.5 points apart shows 2.5, 7.5, 12.5 — not 2, 8, 12."""
    figure = next(t.figure for t in trend_figures(data) if t.name == "priority_countries")
    for ax in figure.axes:
        ax.set_ylim(0, 0.19)  # matplotlib puts ticks 2.5 points apart on this range
    _assert_ticks_true(figure, "priority_countries")
    labels = [t.get_text() for t in figure.axes[0].get_yticklabels()]
    assert "12.5%" in labels, labels


def test_the_other_figures_label_their_ticks_exactly() -> None:
    from copub.analyses.breakdown.present import fields_figure
    from copub.analyses.mobility.present import mobility_figure
    from copub.analyses.peers.present import peers_figure
    from copub.indicators.breakdown import breakdown_indicators

    tables = sample_tables()
    d = copub.Definitions(years=(2018, 2021), bootstrap=0)
    peers = copub.peer_indicators(copub.load_sample(scale=0.02), d, group="n5t")
    _assert_ticks_true(peers_figure(peers, synthetic=True), "peers")
    fields = breakdown_indicators(tables, d, by="field")
    _assert_ticks_true(fields_figure(fields, synthetic=True), "fields")
    authors = copub.load_sample_authors(seed=SEED, scale=SCALE)
    mobility = copub.mobility_indicators(authors, "I204778367")
    _assert_ticks_true(mobility_figure(mobility, synthetic=True), "mobility")


@pytest.mark.parametrize("top", [0.05, 0.19, 0.31, 0.012, 1.0])
def test_exact_percent_formatter_on_matplotlib_s_own_ticks(top: float) -> None:
    figure = Figure()
    ax = figure.subplots()
    ax.plot([0, 1], [0, top])
    ax.set_ylim(0, top)
    ax.yaxis.set_major_formatter(percent_formatter())
    assert _assert_ticks_true(figure, f"0..{top}") == 1
