"""Words a reader understands in the report: whole labels, names instead of paths and keys.

No label of the terminal report is cut ("Priority countries (Panorama), o…"):
a long one goes on over the next line of its column. The HTML names its
sources instead of printing developer paths, shows the options as words, and
the mobility flow table names its groups.
"""

from __future__ import annotations

import re
from html import escape

import pytest

from copub.indicators.catalogue import short_labels
from copub.progress import Progress
from copub.report import ReportOptions, build_report
from copub.report.data import ReportData
from copub.report.terminal import render_terminal
from report_helpers import sample_tables


@pytest.fixture(scope="module")
def data() -> ReportData:
    return build_report(
        sample_tables(), ReportOptions(bootstrap=0), scope="table", progress=Progress.silent()
    )


def _comparison_labels(text: str) -> list[str]:
    """The indicator labels of the plan-versus-baseline table, continuation lines joined."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("  Indicator"))
    labels: list[str] = []
    for line in lines[start + 2 :]:
        if "significant rise" in line:  # the legend
            break
        if line[:1] in "↑↓→·" and line[1:2] == " ":
            labels.append(line[2:36].strip())
        elif line.startswith("  ") and line[2:3] != " " and labels:
            labels[-1] += " " + line[2:36].strip()  # the label goes on below
        elif line.startswith("    Policy note:") or line.startswith("      "):
            continue
        else:
            break
    return labels


def test_no_label_of_the_terminal_report_is_cut(data: ReportData) -> None:
    text = render_terminal(data)
    assert "…" not in text
    assert max(len(line) for line in text.splitlines()) <= 100
    shown = _comparison_labels(text)
    expected = [short_labels()[stem] for stem in data.goals["indicator"]]
    assert shown == expected
    assert any(len(label) > 33 for label in shown)  # some did not fit on one line
    assert "Priority countries (Panorama), of intl." in shown


def test_the_mobility_flow_table_names_its_groups() -> None:
    import copub
    from copub.analyses.mobility.present import flow_table, mobility_html, mobility_terminal
    from copub.classify import load_groups
    from copub.indicators.mobility import mobility_indicators
    from report_helpers import SCALE, SEED

    result = mobility_indicators(copub.load_sample_authors(seed=SEED, scale=SCALE), "I204778367")
    keys = flow_table(result)["group"].to_list()
    assert {"lmic", "nordic"} <= set(keys)
    labels = {g.key: g.label for g in load_groups()}
    text = mobility_terminal(result)
    flows = text[text.index("Flows by partner group") :].splitlines()[2:]
    shown = [line[2:].rsplit(None, 3)[0].strip() for line in flows if line.strip()]
    assert shown == [labels[k] for k in keys]
    html = mobility_html(result)
    cells = re.findall(r"<tr><td>([^<]*)</td>", html[html.index("Partner group") :])
    assert cells == [escape(labels[k]) for k in keys]
    assert not {"lmic", "nordic"} & set(cells)


def _text_of(html: str) -> str:
    """The words a reader sees: scripts, styles and tags removed."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


_PATHS = re.compile(r"(?<![\w.:/])(?:\.\.?/|~/|/(?:tmp|home|work|usr|var|Users)/)\S*")


def test_the_html_names_sources_and_options_in_words(tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    from report_helpers import report_dir

    html = (report_dir(tmp_path_factory.getbasetemp()) / "report.html").read_text()
    text = _text_of(html)
    assert _PATHS.findall(text) == []
    assert "'preset'" not in text and "definitions={" not in text and "top_partners=" not in text
    provenance = html[html.index('<section id="provenance">') :]
    facts = dict(re.findall(r"<dt>([^<]*)</dt><dd>([^<]*)</dd>", provenance))
    assert facts["Baseline"] == "2018–2021" and facts["Plan period"] == "2022–2025"
    assert facts["Counting"] == "full" and facts["Hong Kong and Macao"] == "counted as China"
    assert facts["Partners listed"] == "15"
    assert "Nordic Five Tech" in facts["Partner groups"]  # labels, not keys
    assert facts["Channel register"].startswith("channel_register.csv: ")
    assert "Institutions" not in facts  # said once, in the Institution fact
    assert "Panorama strategies 2016-2020 and 2021-2027 (regjeringen.no)" in text


def test_real_inputs_are_named_not_pathed(data: ReportData) -> None:
    from copub.report.html import _provenance

    files = tuple(f"/home/someone/pages/page-{i}.json" for i in range(5))
    real = data.with_(provenance=data.provenance.with_(synthetic=False, inputs=files))
    shown = _text_of(_provenance(real, "now"))
    assert "/home/someone" not in shown
    assert "5 files: page-0.json; page-1.json; page-2.json and 2 more" in shown


@pytest.mark.parametrize(
    ("args", "name"),
    [
        (["peers", "--group", "n5t"], "Norwegian University of Science and Technology (home)"),
        (["breakdown", "--by", "field"], "Biochemistry, Genetics and Molecular Biology"),
    ],
)
def test_peers_and_breakdown_cut_no_name(args: list[str], name: str) -> None:
    from cli_run import run_cli
    from report_helpers import SAMPLE_ARGS

    run = run_cli(*args, *SAMPLE_ARGS)
    assert run.code == 0, run.err
    assert "…" not in run.out and max(map(len, run.out.splitlines())) <= 100
    # the name's first line, then the rest of it below in the same column
    lines = run.out.splitlines()
    at = next(i for i, line in enumerate(lines) if name.split()[0] in line)
    column = lines[at].index(name.split()[0])
    joined = " ".join([lines[at][column:].split("  ")[0], lines[at + 1][column:].strip()])
    assert joined == name
