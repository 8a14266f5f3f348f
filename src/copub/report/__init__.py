"""Stage 6: the yearly report — terminal table, machine-readable output, files and HTML.

Examples
--------
>>> import copub, tempfile
>>> from copub.report import ReportOptions, build_report, render_terminal, write_report
>>> from copub.progress import Progress
>>> data = build_report(copub.load_sample(scale=0.002), ReportOptions(bootstrap=0),
...                     progress=Progress.silent())
>>> "SYNTHETIC" in render_terminal(data).splitlines()[0]
True
>>> write_report(data, tempfile.mkdtemp(), progress=Progress.silent()).html.name
'report.html'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from copub._lazy import lazy_exports

if TYPE_CHECKING:  # for the type checker; at run time each name loads on first use
    from copub.report.build import build_report
    from copub.report.data import ReportData
    from copub.report.files import WrittenReport, write_report
    from copub.report.formats import render_csv, render_json, render_markdown
    from copub.report.goals import GOALS, Goal, goal_summary
    from copub.report.html import render_html
    from copub.report.options import ReportOptions
    from copub.report.scope import UNMEASURED_GOALS
    from copub.report.terminal import render_terminal
    from copub.report.workbook import write_workbook

#: Where each public name lives (see copub._lazy): importing the package imports none.
_EXPORTS = {
    "build_report": "copub.report.build",
    "ReportData": "copub.report.data",
    "WrittenReport": "copub.report.files",
    "write_report": "copub.report.files",
    "render_csv": "copub.report.formats",
    "render_json": "copub.report.formats",
    "render_markdown": "copub.report.formats",
    "GOALS": "copub.report.goals",
    "Goal": "copub.report.goals",
    "goal_summary": "copub.report.goals",
    "render_html": "copub.report.html",
    "ReportOptions": "copub.report.options",
    "UNMEASURED_GOALS": "copub.report.scope",
    "render_terminal": "copub.report.terminal",
    "write_workbook": "copub.report.workbook",
}

__all__ = [
    "GOALS",
    "UNMEASURED_GOALS",
    "Goal",
    "ReportData",
    "ReportOptions",
    "WrittenReport",
    "build_report",
    "goal_summary",
    "render_csv",
    "render_html",
    "render_json",
    "render_markdown",
    "render_terminal",
    "write_report",
    "write_workbook",
]

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
