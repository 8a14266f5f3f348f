"""Policy context on the figures it explains: Russia's frozen institutional cooperation.

The fact lives once, as a member's ``note`` in the packaged partner groups;
:func:`copub.classify.policy_notes` hands it to every output about the partner.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from copub.classify import load_groups, policy_notes
from copub.errors import DataError
from copub.progress import Progress
from copub.report import ReportOptions, build_report
from copub.report.plots import priority_figure
from report_helpers import sample_tables


def test_russia_s_note_comes_from_the_packaged_groups() -> None:
    notes = policy_notes()
    assert "March 2022" in notes["RU"] and "frozen" in notes["RU"]
    assert "US" not in notes  # only partners with a note


def test_a_user_groups_file_can_add_notes(tmp_path: Path) -> None:
    path = tmp_path / "groups.toml"
    path.write_text(
        '[groups.watch]\nlabel = "Watched"\nkind = "country"\nsource = "test"\n'
        'vintage = "2024"\nmembers = [ { code = "BY", note = "Cooperation paused 2022" },'
        ' { code = "RU", note = "Institutional cooperation frozen by the Ministry of Education'
        ' and Research in March 2022" } ]\n'
    )
    notes = policy_notes(load_groups(path))
    assert notes["BY"] == "Cooperation paused 2022"
    assert notes["RU"].count("March 2022") == 1  # the same note twice is said once
    path.write_text(
        '[groups.watch]\nlabel = "W"\nkind = "country"\nsource = "t"\nvintage = "1"\n'
        'members = [ { code = "BY", note = "" } ]\n'
    )
    with pytest.raises(DataError, match="'note' must be a non-empty string"):
        load_groups(path)


def test_the_priority_figure_shows_the_note_on_russia_s_panel() -> None:
    data = build_report(
        sample_tables(), ReportOptions(bootstrap=0), scope="table", progress=Progress.silent()
    )
    trend = priority_figure(data)
    assert trend is not None
    panels = {ax.get_title(loc="left"): ax for ax in trend.figure.axes if ax.get_visible()}
    russia = panels["Russia"]
    texts = " ".join(t.get_text().replace("\n", " ") for t in russia.texts)
    assert policy_notes()["RU"] in texts
    others = [t.get_text() for title, ax in panels.items() if title != "Russia" for t in ax.texts]
    assert not any("frozen" in t for t in others)
    assert policy_notes()["RU"] in trend.caption
