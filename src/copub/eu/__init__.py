"""EU programme participation (H2020, Horizon Europe) from CORDIS and the Norwegian grants file.

A classify/indicators-level stage with its own inputs: it reads CORDIS bulk
downloads, CORDIS-derived participation summaries and the Research Council of
Norway's H2020 file into one participation table (:data:`PARTICIPATIONS`),
classifies programme parts from legal bases and topics, finds the home
organisation through a mapping the user controls, and computes the
per-programme summary, the Horizon Europe ÷ H2020 goals, the Pillar 2 ranking
and the links from works' EC funding to projects. It imports only earlier
stages (normalize, classify) and the shared modules.

Examples
--------
>>> import tempfile
>>> from copub.eu import EuInputs, eu_participation
>>> from copub.sample.cordis import write_cordis_sample
>>> out = write_cordis_sample(tempfile.mkdtemp())
>>> result = eu_participation(EuInputs(cordis=(out / "h2020", out / "horizon-europe")))
>>> result.goals["goal"].to_list()
['double_erc', 'increase_msca', 'double_eic_pathfinder', 'pillar2']
>>> bool((result.summary["coordinated"] <= result.summary["projects"]).all())
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from copub._lazy import lazy_exports

if TYPE_CHECKING:  # for the type checker; at run time each name loads on first use
    from copub.eu.analysis import EuInputs, EuParticipation, eu_participation, read_participations
    from copub.eu.cordis import CordisSource, classify_projects, read_cordis
    from copub.eu.home import Organisation, load_organisations, resolve_organisation
    from copub.eu.links import award_project_id, project_links
    from copub.eu.norway import read_norway_grants
    from copub.eu.programmes import call_programme_part, part_of_legal_basis, programme_part
    from copub.eu.ranking import pillar2_ranking
    from copub.eu.schema import PART_LABELS, PARTICIPATIONS, ProgrammePart
    from copub.eu.summaries import read_participation_summary
    from copub.eu.summary import GOALS, programme_goals, programme_summary

#: Where each public name lives (see copub._lazy): importing the package imports none.
_EXPORTS = {
    "EuInputs": "copub.eu.analysis",
    "EuParticipation": "copub.eu.analysis",
    "eu_participation": "copub.eu.analysis",
    "read_participations": "copub.eu.analysis",
    "CordisSource": "copub.eu.cordis",
    "classify_projects": "copub.eu.cordis",
    "read_cordis": "copub.eu.cordis",
    "Organisation": "copub.eu.home",
    "load_organisations": "copub.eu.home",
    "resolve_organisation": "copub.eu.home",
    "award_project_id": "copub.eu.links",
    "project_links": "copub.eu.links",
    "read_norway_grants": "copub.eu.norway",
    "call_programme_part": "copub.eu.programmes",
    "part_of_legal_basis": "copub.eu.programmes",
    "programme_part": "copub.eu.programmes",
    "pillar2_ranking": "copub.eu.ranking",
    "PART_LABELS": "copub.eu.schema",
    "PARTICIPATIONS": "copub.eu.schema",
    "ProgrammePart": "copub.eu.schema",
    "read_participation_summary": "copub.eu.summaries",
    "GOALS": "copub.eu.summary",
    "programme_goals": "copub.eu.summary",
    "programme_summary": "copub.eu.summary",
}

__all__ = [
    "GOALS",
    "PARTICIPATIONS",
    "PART_LABELS",
    "CordisSource",
    "EuInputs",
    "EuParticipation",
    "Organisation",
    "ProgrammePart",
    "award_project_id",
    "call_programme_part",
    "classify_projects",
    "eu_participation",
    "load_organisations",
    "part_of_legal_basis",
    "pillar2_ranking",
    "programme_goals",
    "programme_part",
    "programme_summary",
    "project_links",
    "read_cordis",
    "read_norway_grants",
    "read_participation_summary",
    "read_participations",
    "resolve_organisation",
]

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
