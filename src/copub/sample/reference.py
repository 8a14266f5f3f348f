"""Real organisations that the synthetic world names, with the ids we could verify.

Facts only. Alliance members follow ``alliance_members.csv`` in the shared
reference data (compiled from the ENHANCE and Nordic Five Tech web pages).
RORs are given only where verified; where an OpenAlex id could not be verified
the generator gives the member a synthetic id (``I9…``, 12 digits, a range real
OpenAlex ids do not use), so alliance matching by ROR keeps working.

Verification notes (public code and documentation found with a code search):

- CERN: ROR 01ggx4157 and OpenAlex I67311998 (seen in an OpenAlex
  ``group_by`` answer and in independent code); ESRF ROR 02550n020; EMBL
  (Heidelberg) ROR 03mstc592. ESO's ROR could not be verified, so it has none.
- Funders: the funder table of OpenAlex's own awards pipeline (found with the
  code search) gives European Commission F4320320300, Horizon 2020 Framework
  Programme F4320332999, European Research Council F4320334678, H2020 Marie
  Skłodowska-Curie Actions F4320338337, HORIZON EUROPE Marie Sklodowska-Curie
  Actions F4320338438 and Norges Forskningsråd F4320323299; EC and ERC also
  appear in independent code. Partner countries' national funders are
  synthetic (``F9…``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

__all__ = [
    "ALLIANCE_MEMBERS",
    "FUNDERS",
    "HOME",
    "HOME_UNITS",
    "INFRASTRUCTURES",
    "Funder",
    "RealInstitution",
]


@dataclass(frozen=True)
class RealInstitution:
    """A real organisation as an OpenAlex dehydrated institution."""

    name: str
    country: str
    ror: str | None
    openalex_id: str | None
    type: str
    city: str
    #: Relative pull within its country's synthetic partners (1.0 = a typical partner).
    weight: float = 1.0


@dataclass(frozen=True)
class Funder:
    """A funder in the OpenAlex ``grants`` shape; ``openalex_id`` None means synthetic."""

    key: str
    name: str
    openalex_id: str | None


HOME: Final = RealInstitution(
    name="Norwegian University of Science and Technology",
    country="NO",
    ror="05xg72x27",
    openalex_id="I204778367",
    type="education",
    city="Trondheim",
)

#: Child units of the home institution: synthetic ids, lineage includes HOME.
HOME_UNITS: Final[tuple[str, ...]] = (
    "Department of Physics",
    "Department of Chemistry",
    "Department of Computer Science",
    "Department of Marine Technology",
    "Department of Clinical and Molecular Medicine",
    "Department of Electric Energy",
    "Department of Geoscience and Petroleum",
    "Department of Biology",
    "Department of Psychology",
    "Department of Mechanical and Industrial Engineering",
    "University Museum",
    "Department of Public Health and Nursing",
)

#: ENHANCE (7 founders + TU Delft, Gdańsk Tech, ETH Zurich since Nov 2022) and
#: Nordic Five Tech, without the home institution.
ALLIANCE_MEMBERS: Final[tuple[RealInstitution, ...]] = (
    RealInstitution(
        "Technische Universität Berlin", "DE", "03v4gjf40", None, "education", "Berlin", 6.0
    ),
    RealInstitution(
        "Chalmers University of Technology",
        "SE",
        "040wg7k59",
        "I66862912",
        "education",
        "Gothenburg",
        8.0,
    ),
    RealInstitution("Politecnico di Milano", "IT", "01nffqt88", None, "education", "Milan", 6.0),
    RealInstitution("RWTH Aachen University", "DE", "04xfq0f34", None, "education", "Aachen", 6.0),
    RealInstitution(
        "Universitat Politècnica de València", "ES", None, None, "education", "Valencia", 4.0
    ),
    RealInstitution(
        "Warsaw University of Technology", "PL", None, None, "education", "Warsaw", 4.0
    ),
    RealInstitution(
        "Delft University of Technology", "NL", "02e2c7k09", None, "education", "Delft", 7.0
    ),
    RealInstitution(
        "Gdańsk University of Technology", "PL", None, None, "education", "Gdańsk", 3.0
    ),
    RealInstitution("ETH Zurich", "CH", "05a28rw58", "I35440088", "education", "Zurich", 7.0),
    RealInstitution("Aalto University", "FI", "020hwjq30", None, "education", "Espoo", 7.0),
    RealInstitution(
        "Technical University of Denmark",
        "DK",
        "04qtj9h94",
        "I96673099",
        "education",
        "Kongens Lyngby",
        8.0,
    ),
    RealInstitution(
        "KTH Royal Institute of Technology",
        "SE",
        "026vcq606",
        "I86987016",
        "education",
        "Stockholm",
        8.0,
    ),
)

#: International research infrastructures (OpenAlex type ``facility``).
INFRASTRUCTURES: Final[tuple[RealInstitution, ...]] = (
    RealInstitution(
        "European Organization for Nuclear Research",
        "CH",
        "01ggx4157",
        "I67311998",
        "facility",
        "Geneva",
        5.0,
    ),
    RealInstitution(
        "European Synchrotron Radiation Facility",
        "FR",
        "02550n020",
        None,
        "facility",
        "Grenoble",
        2.0,
    ),
    RealInstitution(
        "European Molecular Biology Laboratory",
        "DE",
        "03mstc592",
        None,
        "facility",
        "Heidelberg",
        2.0,
    ),
    RealInstitution("European Southern Observatory", "DE", None, None, "facility", "Garching", 1.0),
)

#: The funders behind the plan's EU-funding goal, and the national research council.
#: Where OpenAlex files one programme under several funders, all appear, by era.
FUNDERS: Final[tuple[Funder, ...]] = (
    Funder("ec", "European Commission", "F4320320300"),
    Funder("h2020", "Horizon 2020 Framework Programme", "F4320332999"),
    Funder("erc", "European Research Council", "F4320334678"),
    Funder("msca", "H2020 Marie Skłodowska-Curie Actions", "F4320338337"),
    Funder("msca-he", "HORIZON EUROPE Marie Sklodowska-Curie Actions", "F4320338438"),
    Funder("rcn", "Norges Forskningsråd", "F4320323299"),
)
