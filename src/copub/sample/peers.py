"""SYNTHETIC works of NTNU's Nordic Five Tech peers, so the sample can compare institutions.

The main generator makes NTNU's works; some of them already have a co-author
at DTU, KTH, Chalmers or Aalto (they sit in their country's pool). This
module adds each peer's *own* works, without NTNU: journal articles with
the fields the Leiden universe reads (a journal source, references, raw
affiliation strings), an OpenAlex-style ``primary_topic`` and, for a share
of them, co-authors abroad or at another peer. A shared work is one record,
so the union is stored once.

Each peer has its own profile (:data:`PEER_PROFILES`): the chance that one
of its own works has co-authors abroad is set so that, together with the
works it shares with NTNU and the other peers (all international), its
international share lands near the Leiden Ranking 2020 PP(int collab)
(2016-2019: DTU 66.4%, KTH 70.9%, Chalmers 64.1%, Aalto 66.2%; NTNU 58.8%),
so KTH comes out more international than NTNU. These are targets for a
synthetic world, not the real figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Final

import orjson

from copub.sample.ids import OPENALEX, rng_for
from copub.sample.impact import _topic_json
from copub.sample.institutions import HOME_POOL
from copub.sample.world import World

__all__ = ["PEER_PROFILES", "PeerProfile", "write_peer_pages"]

_PER_PAGE = 200
#: Works per year of each peer at scale 1 (kept small: the figures are shares).
_WORKS_PER_YEAR = 1000
_SHARED_WITH_PEER = 0.06


@dataclass(frozen=True)
class PeerProfile:
    """One synthetic peer: who it is and how international its own works are."""

    name: str
    #: Chance that one of its own works has co-authors abroad.
    international: float
    #: Relative volume (DTU and KTH publish more than Chalmers and Aalto).
    volume: float


PEER_PROFILES: Final = (
    PeerProfile("Technical University of Denmark", 0.58, 1.2),
    PeerProfile("KTH Royal Institute of Technology", 0.63, 1.1),
    PeerProfile("Chalmers University of Technology", 0.55, 0.8),
    PeerProfile("Aalto University", 0.58, 0.9),
)


def _author(number: int, name: str) -> dict[str, str]:
    return {"id": f"{OPENALEX}A8{number:011d}", "display_name": name}


def _authorship(
    position: int, number: int, institution: dict[str, object], raw: str
) -> dict[str, object]:
    return {
        "author_position": "first" if position == 0 else "middle",
        "author": _author(number, f"Synthetic Author {number}"),
        "institutions": [institution],
        "countries": [institution["country_code"]],
        "is_corresponding": position == 0,
        "raw_affiliation_strings": [raw],
        "affiliations": [{"raw_affiliation_string": raw, "institution_ids": [institution["id"]]}],
    }


def write_peer_pages(world: World, folder: Path) -> tuple[tuple[Path, ...], dict[int, int]]:
    """Write the peers' own works as list-response pages; return the pages and works per year.

    Deterministic for a world's seed and scale. Work ids are ``W8`` and 11
    digits: distinct from the main generator's ``W9…`` and from real ids.
    """
    folder.mkdir(parents=True, exist_ok=True)
    frame = world.institutions.frame
    names = frame["name"].to_list()
    frags = [orjson.loads(f) for f in frame["frag"].to_list()]
    raws = [orjson.loads(r) for r in frame["raw"].to_list()]
    countries = frame["country_code"].to_list()
    rors = frame["ror"].to_list()
    pools = frame["pool"].to_list()
    peers = [names.index(p.name) for p in PEER_PROFILES if p.name in names]
    profiles = [p for p in PEER_PROFILES if p.name in names]
    abroad = {
        row: [
            i
            for i, code in enumerate(countries)
            # Synthetic institutions only: a real alliance member here would get
            # co-publications without works of its own, and peers would misread them.
            # Nor NTNU's units (pool 0): the peers' own works are without NTNU.
            if code != countries[row] and rors[i] is None and pools[i] != HOME_POOL
        ]
        for row in peers
    }
    journals = world.sources.frame.filter(world.sources.frame["kind"] == "journal")["frag"]
    journal_frags = journals.to_list()
    topics = _topic_json()
    counts: dict[int, int] = {}
    paths: list[Path] = []
    number = 0
    for year in range(world.years[0], world.years[1] + 1):
        rng = rng_for(world.seed, "peers", year)
        records: list[bytes] = []
        for row, profile in zip(peers, profiles, strict=True):
            n = max(3, round(_WORKS_PER_YEAR * profile.volume * world.scale))
            for _ in range(n):
                number += 1
                k = int(rng.integers(1, 4))
                institutions = [row] * k
                if rng.random() < profile.international:
                    others = abroad[row]
                    institutions += [others[int(j)] for j in rng.integers(0, len(others), 2)]
                if rng.random() < _SHARED_WITH_PEER:
                    institutions.append(peers[int(rng.integers(0, len(peers)))])
                authorships = [
                    _authorship(i, number * 10 + i, frags[inst], raws[inst])
                    for i, inst in enumerate(institutions)
                ]
                month = int(rng.integers(1, 13))
                topic = topics[int(rng.integers(0, len(topics)))]
                source = journal_frags[int(rng.integers(0, len(journal_frags)))]
                work = (
                    b'{"id":"' + f"{OPENALEX}W8{number:011d}".encode() + b'",'
                    b'"doi":null,"display_name":"Synthetic peer work ' + str(number).encode()
                    + b'","publication_year":' + str(year).encode()
                    + b',"publication_date":"' + f"{year}-{month:02d}-15".encode() + b'",'
                    b'"type":"article","language":"en","is_retracted":false,'
                    b'"is_paratext":false,"is_xpac":false,"is_authors_truncated":false,'
                    b'"updated_date":"2026-01-01T00:00:00","referenced_works_count":25,'
                    b'"cited_by_count":0,"primary_location":{"source":' + source.encode()
                    + b'},"authorships":' + orjson.dumps(authorships)
                    + b',"primary_topic":' + topic.encode() + b',"grants":[]}'
                )  # fmt: skip
                records.append(work)
        counts[year] = len(records)
        for page, first in enumerate(range(0, len(records), _PER_PAGE)):
            body = b",".join(records[first : first + _PER_PAGE])
            meta = orjson.dumps({"count": len(records), "next_cursor": None})
            path = folder / f"peer_works_{year}_{page + 1:05d}.json"
            path.write_bytes(b'{"meta":' + meta + b',"results":[' + body + b'],"group_by":[]}')
            paths.append(path)
    return tuple(paths), counts
